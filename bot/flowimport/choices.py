"""Read the choices sheet into lists of choices, each with a key the bot accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.flowimport.columns import Languages
from bot.flowimport.findings import Findings
from bot.flowimport.names import Namer, choice_namer
from bot.flowimport.plan import ChoicePlan
from bot.flowimport.workbook import CHOICES, Sheet


@dataclass
class ChoiceList:
    """One list of choices, and the key each written name became."""

    name: str
    row: int
    choices: list[ChoicePlan] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)


def read_choices(
    sheet: Sheet | None, languages: Languages, findings: Findings
) -> dict[str, ChoiceList]:
    """Return the choice lists by name; duplicate and missing names are errors."""
    lists: dict[str, ChoiceList] = {}
    if sheet is None:
        return lists
    for column in ("list_name", "name"):
        if sheet.column(column) is None and sheet.rows:
            findings.error(CHOICES, 1, None, f"the choices sheet has no '{column}' column")
            return lists
    namers: dict[str, Namer] = {}
    for row in sheet.rows:
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name and not name:
            continue
        if not list_name or not name:
            missing = "list_name" if not list_name else "name"
            findings.error(CHOICES, row.number, missing, f"this choice has no {missing}")
            continue
        choices = lists.setdefault(list_name, ChoiceList(list_name, row.number))
        if name in choices.keys:
            message = f"the list '{list_name}' has the choice '{name}' twice"
            findings.error(CHOICES, row.number, sheet.column("name"), message)
            continue
        key = namers.setdefault(list_name, choice_namer()).name(name)
        if key != name:
            message = f"the choice '{name}' of list '{list_name}' is stored as '{key}'"
            findings.warning(CHOICES, row.number, sheet.column("name"), message)
        labels = languages.texts(sheet, row, "label")
        if languages.source not in labels:
            message = f"the choice '{name}' has no label in the form's language; its name is used"
            findings.warning(CHOICES, row.number, "label", message)
            labels[languages.source] = name
        choices.keys[name] = key
        choices.choices.append(ChoicePlan(key, labels, row.number))
    return lists
