"""Find a form's languages in its column names and each text's columns by language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bot.flowimport.findings import Findings
from bot.flowimport.languages import DEFAULT, column_language, language_code
from bot.flowimport.workbook import Row, Sheet

# The columns whose texts parents read; every other text column is reported unread.
TEXT_FIELDS: Final = ("label", "hint")
DEFAULT_SOURCE: Final = "nl"


@dataclass(frozen=True, slots=True)
class Languages:
    """The form's languages as codes, the source language, and each written name's code."""

    codes: tuple[str, ...]
    source: str
    by_name: dict[str, str]

    def texts(self, sheet: Sheet, row: Row, field: str) -> dict[str, str]:
        """Return a row's texts of one field (label, hint) by language code."""
        found: dict[str, str] = {}
        for column in sheet.columns:
            written = column_language(column, field)
            code = None if written is None else self.by_name.get(written)
            value = row.cells.get(column, "").strip()
            # A column in the default language does not override one that names it.
            if code is not None and value and (written != DEFAULT or code not in found):
                found[code] = value
        return found


def read_languages(
    sheets: Iterable[Sheet], settings: Row | None, assumed: str | None, findings: Findings
) -> Languages:
    """Read the languages of every text column, reporting names that give no language."""
    by_name: dict[str, str] = {}
    codes: list[str] = []
    unnamed = False
    for sheet in sheets:
        for column in sheet.columns:
            written = next((w for f in TEXT_FIELDS if (w := column_language(column, f))), None)
            if written is None:
                continue
            if written == DEFAULT:
                unnamed = True
                continue
            code = language_code(written)
            if code is None:
                message = (
                    f"'{written}' names no language this import knows; write it as "
                    "'Somali (so)', with the language code in brackets; this column is not read"
                )
                findings.warning(sheet.name, 1, column, message)
                continue
            by_name[written] = code
            if code not in codes:
                codes.append(code)
    source = _source(settings, by_name, codes, assumed, unnamed, findings)
    if source not in codes:
        codes.insert(0, source)
    if unnamed:
        by_name[DEFAULT] = source
    return Languages(tuple(codes), source, by_name)


def _source(
    settings: Row | None,
    by_name: dict[str, str],
    codes: list[str],
    assumed: str | None,
    unnamed: bool,
    findings: Findings,
) -> str:
    if assumed is not None:
        return assumed
    written = settings.get("default_language") if settings is not None else ""
    if written:
        code = by_name.get(written) or language_code(written)
        if code is not None:
            return code
        message = f"'{written}' names no language this import knows; --language sets one"
        findings.warning(
            "settings", settings.number if settings else None, "default_language", message
        )
    if codes and not unnamed:
        return DEFAULT_SOURCE if DEFAULT_SOURCE in codes else codes[0]
    if unnamed and codes:
        # Columns without a language beside named ones: XLSForm reads them as the first.
        return codes[0]
    message = (
        "the text columns name no language (such as label::English (en)), so they are read "
        f"as Dutch ({DEFAULT_SOURCE}); --language sets another"
    )
    findings.warning("survey", 1, "label", message)
    return DEFAULT_SOURCE
