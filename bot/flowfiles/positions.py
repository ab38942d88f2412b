"""Where each part of a flow sits in its file, so messages and catalogs can name the line."""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a file: 1-based line and column."""

    line: int
    column: int


# Where a problem goes when it concerns the whole file rather than one place in it.
START = Position(1, 1)


class Positions:
    """The source position of each top-level field, step, step field, choice and language.

    A lookup that finds nothing falls back to the enclosing part (a choice's label to
    the choice, the choice to its step, the step to the start of the file), so a
    caller always has a line to show.
    """

    def __init__(self) -> None:
        self._marks: dict[Path, Position] = {}

    def add(self, path: Path, position: Position) -> None:
        """Remember where a part is; the first place given for a part wins."""
        self._marks.setdefault(path, position)

    def find(self, path: Path) -> Position | None:
        """Return where exactly this part is, or None when it was never seen."""
        return self._marks.get(path)

    def get(self, path: Path) -> Position:
        """Return where this part is, or where the nearest part around it is."""
        while path:
            if path in self._marks:
                return self._marks[path]
            path = path[:-1]
        return START

    def top(self, name: str) -> Position:
        """Return where a top-level field (such as 'languages') has its value."""
        return self.get((name,))

    def language(self, code: str) -> Position:
        """Return where a language code is listed under 'languages'."""
        return self.get(("languages", code))

    def step(self, step_id: str, name: str | None = None) -> Position:
        """Return where a step starts, or where one of its fields has its value."""
        return self.get(step_path(step_id, name))

    def choice(self, step_id: str, key: str, name: str | None = None) -> Position:
        """Return where a choice starts, or where one of its fields has its value."""
        return self.get(choice_path(step_id, key, name))


def step_path(step_id: str, name: str | None = None) -> Path:
    """Return the lookup path of a step or of one of its fields."""
    return ("step", step_id) if name is None else ("step", step_id, name)


def choice_path(step_id: str, key: str, name: str | None = None) -> Path:
    """Return the lookup path of a choice or of one of its fields."""
    base = ("step", step_id, "choice", key)
    return base if name is None else (*base, name)
