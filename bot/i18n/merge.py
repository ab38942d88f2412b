"""Merge the template into one language's catalog, and say what the merge did to it.

Babel's own update guesses a translation for every new text from the nearest old one and
marks it fuzzy; those guesses are mostly wrong (the Arabic for "Kinderen" became the
word for "Internet") and a translator must catch each. So nothing is guessed here: a new
text arrives empty, and the translator sees exactly what is new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalogs import DOMAIN, describe_id, po_path, template_path

Key = tuple[str, str | None]


@dataclass
class MergeReport:
    """What merging the template did to one language's catalog."""

    code: str
    path: Path
    added: list[str] = field(default_factory=list)
    # Kept, but its source changed shape (a new plural), so its translation needs review.
    changed: list[str] = field(default_factory=list)
    obsolete: list[str] = field(default_factory=list)

    def format(self) -> str:
        """Return the report for a translator: counts, then each text by name."""
        counts = (
            f"{self.path}: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.obsolete)} made obsolete"
        )
        lines = [counts]
        for word, entries in (
            ("added", self.added),
            ("changed", self.changed),
            ("obsolete", self.obsolete),
        ):
            lines += [f"  {word}: {entry}" for entry in entries]
        return "\n".join(lines)


def merge(locales_dir: Path, code: str) -> MergeReport:
    """Merge the template into the language's existing catalog and write it back."""
    path = po_path(locales_dir, code)
    with template_path(locales_dir).open("rb") as fileobj:
        template = read_po(fileobj, domain=DOMAIN)
    with path.open("rb") as fileobj:
        catalog = read_po(fileobj, locale=code, domain=DOMAIN)
    before = {_key(m): (m.id, bool(m.fuzzy)) for m in catalog if m.id}
    already_obsolete = set(catalog.obsolete)
    catalog.update(template, no_fuzzy_matching=True)
    report = MergeReport(code, path)
    for message in catalog:
        if not message.id:
            continue
        previous = before.get(_key(message))
        if previous is None:
            report.added.append(_describe(message))
        elif previous[0] != message.id or (message.fuzzy and not previous[1]):
            report.changed.append(_describe(message))
    report.obsolete = [
        _describe(m) for k, m in catalog.obsolete.items() if k not in already_obsolete
    ]
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog)
    return report


def _describe(message: Message) -> str:
    # Flow texts share their words ("Ja"), so the context says which one is meant.
    shown = describe_id(message.id)
    return shown if message.context is None else f"{shown} ({message.context})"


def _key(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return str(msgid), message.context
