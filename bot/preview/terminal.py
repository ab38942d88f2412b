"""Walk a flow in the terminal, with the same texts, hints and progress a parent sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from bot.engine.engine import Engine
from bot.engine.events import (
    AnswerRejected,
    Event,
    FlowCompleted,
    FlowDeclined,
    InputIgnored,
    MessageShown,
    QuestionAsked,
)
from bot.engine.flow import Flow, StepKind
from bot.engine.inputs import Choose, Command, CommandName, Input, Text
from bot.engine.ports import Localizer
from bot.engine.state import AnswerValue, SessionState, Status

COMMANDS = {
    "/back": CommandName.BACK,
    "/skip": CommandName.SKIP,
    "/restart": CommandName.RESTART,
}
# Questions answered by typing: there a number is the answer, not a pick.
TYPED_KINDS = frozenset({StepKind.TEXT, StepKind.NUMBER, StepKind.PHONE})
HELP = "Commands: /back, /skip, /restart, /lang CODE, /quit"
# Shown at the school question when the preview knows no school: it would find none.
NO_SCHOOLS_HINT = (
    "! No schools are known yet, so no name finds one here. Answer as if arriving by a "
    "school's link with `ouderbrug chat --school CODE`, import DUO's list with "
    "`ouderbrug schools import FILE` (or look in one with `--schools FILE`), or try "
    "`ouderbrug demo`."
)


@dataclass
class Preview:
    """One terminal conversation; `localizer_for` gives the texts of a language code."""

    engine: Engine
    flow: Flow
    localizer_for: Callable[[str], Localizer]
    out: TextIO
    echo: bool
    # Say at the school question that no school can be found (the hint, once).
    no_schools: bool = False

    def run(self, language: str, context: dict[str, str], lines: Iterable[str]) -> int:
        """Walk the flow with the given answer lines; return the exit code."""
        texts = self.localizer_for(language)
        state, events = self.engine.start(
            self.flow, language=language, texts=texts, context=context
        )
        self._show(events)
        answers = iter(lines)
        while state.status is Status.ACTIVE:
            self.out.write("> ")
            self.out.flush()
            line = next(answers, None)
            if line is None:
                self.out.write("\n(input ended before the end of the flow)\n")
                return 1
            line = line.rstrip("\r\n")
            if self.echo:
                self.out.write(line + "\n")
            word, _, arg = line.strip().partition(" ")
            if word == "/quit":
                return 0
            if word == "/lang":
                state, events = self._switch_language(state, arg.strip())
            elif word.startswith("/") and word in COMMANDS:
                state, events = self._send(state, Command(COMMANDS[word]))
            elif word.startswith("/"):
                self.out.write(f"! {HELP}\n")
                continue
            else:
                state, events = self._send(state, Text(line))
            self._show(events)
        self._print_answers(state)
        return 0

    def _send(self, state: SessionState, given: Input) -> tuple[SessionState, list[Event]]:
        return self.engine.handle(self.flow, state, given, self.localizer_for(state.language))

    def _switch_language(self, state: SessionState, code: str) -> tuple[SessionState, list[Event]]:
        if code not in self.flow.languages:
            offered = ", ".join(self.flow.languages)
            self.out.write(f"! This flow is offered in: {offered}\n")
            return state, []
        state = state.with_changes(language=code)
        return self.engine.reask(self.flow, state, self.localizer_for(code))

    def _show(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, MessageShown):
                self.out.write(f"\n{event.text}\n")
            elif isinstance(event, AnswerRejected):
                self.out.write(f"! {event.reason}\n")
            elif isinstance(event, QuestionAsked):
                self._show_question(event)
            elif isinstance(event, InputIgnored):
                self.out.write(f"! ({event.reason})\n")
            elif isinstance(event, FlowCompleted | FlowDeclined):
                self.out.write(f"\n[{type(event).__name__}]\n")

    def _show_question(self, event: QuestionAsked) -> None:
        self.out.write("\n")
        if event.progress_text:
            self.out.write(f"{event.progress_text}\n")
        self.out.write(f"{event.text}\n")
        searching = event.kind is StepKind.SCHOOL and not any(
            isinstance(o.input, Choose) for o in event.options
        )
        typed = event.kind in TYPED_KINDS or searching
        for number, option in enumerate(event.options, start=1):
            if typed and isinstance(option.input, Command):
                # On a typed question a number is an answer, so only commands are offered.
                self.out.write(f"  /{option.input.name.value}: {option.label}\n")
                continue
            mark = ""
            if event.kind is StepKind.MULTI and isinstance(option.input, Choose):
                mark = "[x] " if option.selected else "[ ] "
            elif option.selected:
                mark = "* "
            self.out.write(f"  {number}. {mark}{option.label}\n")
        if event.hint:
            self.out.write(f"({event.hint})\n")
        if searching and self.no_schools:
            self.out.write(f"{NO_SCHOOLS_HINT}\n")
            self.no_schools = False

    def _print_answers(self, state: SessionState) -> None:
        self.out.write(f"\n--- stored answers ({state.status.value}) ---\n")
        for step in self.flow.steps:
            if step.id in state.answers:
                self.out.write(f"{step.id}: {_plain(state.answers[step.id])}\n")


def _plain(value: AnswerValue) -> str:
    if value is None:
        return "(skipped)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)
