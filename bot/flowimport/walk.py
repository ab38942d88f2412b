"""The state of a walk through the survey sheet: the steps so far and the open sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.flowimport.choices import ChoiceList
from bot.flowimport.columns import Languages
from bot.flowimport.expressions import Target, combine
from bot.flowimport.findings import Findings
from bot.flowimport.names import Namer, step_namer
from bot.flowimport.plan import StepPlan
from bot.flowimport.workbook import SURVEY, Row, Sheet


@dataclass
class Frame:
    """An open group or repeat: its kind, name, row and condition in the `when:` language."""

    kind: str
    name: str
    row: int
    condition: str | None
    # Its condition could not be carried over: what it holds is shown always.
    lost: bool = False


@dataclass
class Walk:
    """What the walk has made so far: steps, the questions later rows may name, open sections."""

    sheet: Sheet
    languages: Languages
    lists: dict[str, ChoiceList]
    findings: Findings
    steps: list[StepPlan] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)
    stack: list[Frame] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    namer: Namer = field(default_factory=step_namer)

    def warn(self, row: Row, column: str | None, message: str) -> None:
        """Record what this row loses, naming the column as the sheet writes it."""
        self.findings.warning(SURVEY, row.number, self._written(column), message)

    def fail(self, row: Row, column: str | None, message: str) -> None:
        """Record what keeps this form from being imported."""
        self.findings.error(SURVEY, row.number, self._written(column), message)

    def conditions(self) -> list[str]:
        """Return the conditions of the open groups and repeats, outermost first."""
        return [f.condition for f in self.stack if f.condition is not None]

    def lost(self) -> bool:
        """Tell whether an open group's or repeat's condition could not be carried over."""
        return any(f.lost for f in self.stack)

    def joined(self, own: str | None) -> str | None:
        """Return a question's condition together with those of its groups."""
        return combine([*self.conditions(), *([own] if own else [])])

    def _written(self, column: str | None) -> str | None:
        if column is None:
            return None
        # A field such as label stands for its first column, label::Swahili (sw).
        first = next((c for c in self.sheet.columns if c.lower().startswith(column + "::")), column)
        return self.sheet.column(column) or first
