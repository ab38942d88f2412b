"""Read a flow file into a YAML node tree, safely, turning every failure into a problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import yaml
from yaml.nodes import Node, ScalarNode
from yaml.reader import ReaderError

from bot.flowfiles.positions import START, Position
from bot.flowfiles.problems import Code, Reporter

# A real flow is a few kilobytes; the limit keeps a wrong file (a video, a log) from
# tying up the loader.
MAX_BYTES: Final = 512 * 1024
# A flow nests six levels (flow, steps, step, choices, choice, value); anything much
# deeper is a mistake, and the composer recurses once per level.
MAX_DEPTH: Final = 20


class _TooDeepError(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__("too deep")
        self.mark = mark


class _GuardedLoader(yaml.SafeLoader):
    """A SafeLoader whose composer refuses deep nesting and replaces aliases by nulls.

    Aliases (*name) are refused outright: a flow never needs them, and an alias can
    repeat a part a billion times ("billion laughs") once the tree is walked.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.aliases: list[yaml.Mark] = []

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event: Any = self.get_event()  # type: ignore[no-untyped-call]
            mark: yaml.Mark = event.start_mark
            self.aliases.append(mark)
            return ScalarNode("tag:yaml.org,2002:null", "", mark, event.end_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _TooDeepError(mark)
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def mark_position(mark: yaml.Mark | None) -> Position:
    """Return a PyYAML mark (0-based) as a 1-based position."""
    return START if mark is None else Position(mark.line + 1, mark.column + 1)


def position(node: Node) -> Position:
    """Return where a node starts."""
    return mark_position(node.start_mark)


def read_file(path: Path, report: Reporter) -> bytes | None:
    """Read a flow file's bytes, or report why it cannot be read."""
    try:
        with path.open("rb") as fileobj:
            data = fileobj.read(MAX_BYTES + 1)
    except FileNotFoundError:
        report.error(START, None, Code.UNREADABLE, "the file does not exist")
        return None
    except IsADirectoryError:
        report.error(START, None, Code.UNREADABLE, "this is a folder, not a flow file")
        return None
    except OSError as error:
        reason = error.strerror or "unknown reason"
        report.error(START, None, Code.UNREADABLE, f"the file cannot be read ({reason.lower()})")
        return None
    return data


def compose(data: bytes, report: Reporter) -> Node | None:
    """Turn a flow file's bytes into a node tree, or report why that is not possible."""
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // 1024
        message = f"the file is too large for a flow file (the limit is {limit} KB)"
        report.error(START, None, Code.TOO_LARGE, message)
        return None
    text = _decode(data, report)
    if text is None:
        return None
    try:
        # The reader checks every character of a text on construction, and only then.
        loader = _GuardedLoader(text)
    except ReaderError as error:
        _bad_character(text, error, report)
        return None
    try:
        root = loader.get_single_node()
    except _TooDeepError as error:
        message = f"the file nests deeper than {MAX_DEPTH} levels; a flow needs at most 6"
        report.error(mark_position(error.mark), None, Code.TOO_DEEP, message)
        return None
    except yaml.MarkedYAMLError as error:
        mark, message = _syntax(error)
        report.error(mark_position(mark), None, Code.SYNTAX, message)
        return None
    finally:
        loader.dispose()
    if loader.aliases:
        count = len(loader.aliases)
        message = (
            f"aliases such as *name are not allowed in a flow file (found {count}); "
            "write each step and choice out in full"
        )
        report.error(mark_position(loader.aliases[0]), None, Code.ALIAS, message)
        return None
    if root is None:
        message = "the file is empty; a flow starts with id, version, languages and steps"
        report.error(START, None, Code.NOT_A_MAPPING, message)
    return root


def _bad_character(text: str, error: ReaderError, report: Reporter) -> None:
    where = _offset_position(text, int(error.position))
    code = int(error.character)
    message = f"the file holds a control character (U+{code:04X}) that YAML does not allow"
    report.error(where, None, Code.SYNTAX, message)


def _decode(data: bytes, report: Reporter) -> str | None:
    try:
        # utf-8-sig: editors on Windows may start the file with a byte order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        # Count characters, not bytes, on the line up to the first bad byte.
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = "the file is not saved as UTF-8 text; save it as UTF-8 in your editor"
        report.error(Position(line, column), None, Code.UNREADABLE, message)
        return None


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)


_HINTS: Final = (
    ("\\t", "tabs cannot be used to indent; use spaces"),
    ("could not find expected ':'", "check that every key ends with a colon"),
    ("mapping values are not allowed here", "check the indentation, or quote a text with ': '"),
    ("expected <block end>", "check the indentation"),
    ("<stream end>", "the file ends too early: is a bracket or a quote left open?"),
)
# Errors whose cause is where something began (PyYAML's context mark), not where the
# parser gave up: an unclosed quote is only noticed at the end of the file.
_OPENED: Final = (
    (
        "while scanning a quoted scalar",
        "end of stream",
        "the quoted text that starts here is never closed",
    ),
    ("while scanning a simple key", "", "this key has no colon after it; write it as key: value"),
    # "while parsing a flow node" is not among them: its mark is where the node was due.
    *(
        (
            f"while parsing a flow {kind}",
            "",
            "the [ or { that starts here is never closed, or an item lacks a comma",
        )
        for kind in ("sequence", "mapping")
    ),
)


def _syntax(error: yaml.MarkedYAMLError) -> tuple[yaml.Mark | None, str]:
    """Return the most useful place of a YAML error and what to tell the coordinator."""
    context = error.context or ""
    problem = error.problem or "unexpected text"
    for opened, symptom, sentence in _OPENED:
        if context.startswith(opened) and symptom in problem and error.context_mark is not None:
            return error.context_mark, sentence
    message = f"the file is not valid YAML: {problem}"
    for needle, hint in _HINTS:
        if needle in problem:
            return error.problem_mark, f"{message} ({hint})"
    return error.problem_mark, message
