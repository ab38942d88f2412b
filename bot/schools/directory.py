"""The engine's school lookup, backed by an index of DUO school locations."""

from __future__ import annotations

from collections.abc import Sequence

from bot.engine.state import SchoolMatch
from bot.schools.duo import School
from bot.schools.search import SchoolIndex

# Words that stay in lower case inside Dutch place names ("Alphen aan den Rijn").
_PARTICLES = frozenset({"aan", "de", "den", "der", "en", "in", "op", "bij", "van", "het", "ter"})
# Province suffixes DUO adds to tell towns apart ("HOORN NH").
_PROVINCES = frozenset({"NH", "ZH", "GLD", "LB", "FR", "OV", "DR", "GN", "UT", "ZL", "NB", "FL"})


class IndexDirectory:
    """Offers the schools of a SchoolIndex to the engine, named as parents read them."""

    def __init__(self, index: SchoolIndex) -> None:
        self._index = index

    def search(self, query: str, limit: int) -> Sequence[SchoolMatch]:
        """Return the best matches for what the parent typed."""
        return [_match(school) for school in self._index.search(query, limit)]

    def get(self, code: str) -> SchoolMatch | None:
        """Return the school with this DUO code, if the index has it."""
        school = self._index.get(code)
        return _match(school) if school is not None else None


def _match(school: School) -> SchoolMatch:
    return SchoolMatch(school.code, school.name, display_town(school.town or ""))


def display_town(town: str) -> str:
    """Turn DUO's upper-case town ("'S-GRAVENHAGE", "CAPELLE AAN DEN IJSSEL") into normal case."""
    words = []
    for position, word in enumerate(town.split()):
        if word in _PROVINCES:
            words.append(word)
        elif position > 0 and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append("-".join(_capitalized(part) for part in word.split("-")))
    return " ".join(words)


def _capitalized(part: str) -> str:
    lower = part.lower()
    if lower in ("'s", "'t"):
        return lower
    if lower.startswith("ij"):
        # IJ is one letter in Dutch: IJssel, IJmuiden.
        return "IJ" + lower[2:]
    return lower[:1].upper() + lower[1:]
