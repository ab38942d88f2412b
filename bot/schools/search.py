"""Find the school a parent means from what they type: a name, part of one, a town, or a code."""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import islice

from rapidfuzz import fuzz, process

from bot.schools.duo import School
from bot.schools.words import fold, town_words_of, words_of

__all__ = ["SchoolIndex", "fold"]

# Enough for "openbare basisschool de regenboog utrecht" and then some.
_MAX_QUERY_WORDS = 8

_CODE = re.compile(r"[0-9]{2}[A-Z]{2}(?:[0-9]{2})?")


class _Field(IntEnum):
    """Where in a school's record a word was found."""

    NAME = 0
    TOWN = 1
    MUNICIPALITY = 2


# A word typed is most likely part of the school's name; the town helps decide
# between same-named schools, and the municipality (a wider area) a bit less.
# The margin is small so that an exact town still beats a name that only looks
# like it ("heerlen" is the town, not "Herle College").
_FIELD_FACTOR = {_Field.NAME: 1.0, _Field.TOWN: 0.95, _Field.MUNICIPALITY: 0.9}

# How the final score is made up, out of 100: mostly how much of the query the
# school explains; then how much of the school's name the query covers (so
# "De Regenboog" beats "Regenboog-Woudhuis" for "regenboog"); then the generic words.
_COVERAGE_SHARE = 0.85
_PRECISION_SHARE = 10.0
_GENERIC_SHARE = 5.0

# Schools far behind the best are noise, not alternatives ("maasparel" should not
# also offer every school in Maasdriel).
_RELATIVE_CUTOFF = 0.66

# When the typed word exists as such, near spellings and longer words are less
# likely meant ("utrecht" is the town, not "Utrechtse Heuvelrug").
_EXACT_EXISTS_DISCOUNT = 0.85


def _normalize_code(text: str) -> str:
    """Write a typed code the way DUO does ("16ah 00" -> "16AH00")."""
    return re.sub(r"[\s.\-]", "", text).upper()


@dataclass(slots=True)
class _Match:
    """What one school scored for a query, while scoring."""

    # Best similarity per query word (index into the query's words).
    per_word: dict[int, float] = field(default_factory=dict)
    # The school's name words the query hit, with how well.
    name_hits: dict[str, float] = field(default_factory=dict)


class SchoolIndex:
    """Search a fixed set of schools by name, town or DUO code."""

    def __init__(self, schools: Iterable[School]) -> None:
        """Index the schools once, for many searches."""
        self._schools: list[School] = []
        self._by_code: dict[str, School] = {}
        self._by_institution: dict[str, list[School]] = defaultdict(list)
        # Each written form of a word: the schools with it, where, and the word it stands for.
        self._postings: dict[str, list[tuple[int, _Field, str]]] = defaultdict(list)
        self._name_words: list[tuple[str, ...]] = []
        self._generic: list[frozenset[str]] = []
        self._sort_keys: list[tuple[str, str, str]] = []
        document_frequency: dict[str, int] = defaultdict(int)
        for school in schools:
            if school.code in self._by_code:
                raise ValueError(f"school code {school.code} appears twice")
            position = len(self._schools)
            self._schools.append(school)
            self._by_code[school.code] = school
            self._by_institution[school.institution_code].append(school)
            name = words_of(school.name)
            self._name_words.append(name.distinctive)
            self._generic.append(name.generic)
            # Equally good schools are listed by town, as a parent scans for theirs.
            self._sort_keys.append((fold(school.town or ""), fold(school.name), school.code))
            fields = [(_Field.NAME, name)]
            if school.town:
                fields.append((_Field.TOWN, town_words_of(school.town)))
            if school.municipality:
                fields.append((_Field.MUNICIPALITY, words_of(school.municipality)))
            seen: set[str] = set()
            for kind, words in fields:
                for form, word in [*((word, word) for word in words.distinctive), *words.compounds]:
                    self._postings[form].append((position, kind, word))
                    seen.add(form)
            for form in seen:
                document_frequency[form] += 1
        count = max(len(self._schools), 1)
        # Rare words identify a school; words many schools share say little.
        self._idf = {
            word: math.log(1 + count / frequency) for word, frequency in document_frequency.items()
        }
        self._postings = dict(self._postings)
        self._vocabulary = sorted(self._postings)

    def __len__(self) -> int:
        """Return how many schools the index holds."""
        return len(self._schools)

    def get(self, code: str) -> School | None:
        """Return the school with this DUO location code, or None."""
        return self._by_code.get(_normalize_code(code))

    def search(self, query: str, limit: int = 5) -> list[School]:
        """Return up to limit schools that best fit what a parent typed, best first."""
        if limit <= 0 or not query.strip():
            return []
        by_code = self._search_code(query)
        if by_code:
            return by_code[:limit]
        typed = words_of(query)
        if not typed.distinctive:
            return []
        matches: dict[int, _Match] = defaultdict(_Match)
        weights: list[float] = []
        # No school name needs more words; a pasted letter must not cost seconds.
        for number, word in enumerate(typed.distinctive[:_MAX_QUERY_WORDS]):
            similar = self._similar_words(word)
            # A word no school has would lower every score alike: leave it out.
            best = max(similar, key=lambda known: (similar[known], self._idf[known]), default=None)
            weights.append(self._idf[best] if best else 0.0)
            for known, similarity in similar.items():
                for position, kind, meant in self._postings[known]:
                    match = matches[position]
                    score = similarity * _FIELD_FACTOR[kind]
                    if score > match.per_word.get(number, 0.0):
                        match.per_word[number] = score
                    if kind is _Field.NAME and similarity > match.name_hits.get(meant, 0.0):
                        match.name_hits[meant] = similarity
        if not matches:
            return []
        total_weight = sum(weights)
        scored = [
            (self._score(position, match, weights, total_weight, typed.generic), position)
            for position, match in matches.items()
        ]
        floor = _RELATIVE_CUTOFF * max(score for score, _ in scored)
        ranked = heapq.nsmallest(
            limit,
            (item for item in scored if item[0] >= floor),
            key=lambda item: (-item[0], self._sort_keys[item[1]]),
        )
        return [self._schools[position] for _, position in ranked]

    def _search_code(self, query: str) -> list[School]:
        """Return the schools a typed DUO code names: one location, or all of an institution."""
        code = _normalize_code(query)
        if not _CODE.fullmatch(code):
            return []
        if code in self._by_code:
            return [self._by_code[code]]
        # An institution code, or a location number that does not exist: offer the
        # institution's locations to choose from.
        locations = self._by_institution.get(code[:4], [])
        return sorted(locations, key=lambda school: school.code)

    def _similar_words(self, word: str) -> dict[str, float]:
        """Return the known words that a typed word may mean, with a similarity out of 100."""
        similar: dict[str, float] = {}
        exact = word in self._postings
        discount = _EXACT_EXISTS_DISCOUNT if exact else 1.0
        # Short words are too easily confused with others: only exact or prefix matches.
        if len(word) >= 3:
            # Parents stop typing halfway ("regenb"); the fuller the prefix, the closer.
            start = bisect_left(self._vocabulary, word)
            for known in islice(self._vocabulary, start, None):
                if not known.startswith(word):
                    break
                similar[known] = discount * (80.0 + 20.0 * len(word) / len(known))
        if len(word) >= 4:
            # fuzz.ratio counts a wrong letter as two edits: one in a five-letter word
            # scores 80; longer words may carry a couple of slips.
            cutoff = 80.0 if len(word) <= 5 else 75.0
            for known, similarity, _ in process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            ):
                similar[known] = max(similar.get(known, 0.0), discount * similarity)
        if exact:
            similar[word] = 100.0
        return similar

    def _score(
        self,
        position: int,
        match: _Match,
        weights: list[float],
        total_weight: float,
        generic: frozenset[str],
    ) -> float:
        """Score one school out of 100 for the query."""
        coverage = (
            sum(weights[number] * score for number, score in match.per_word.items()) / total_weight
        )
        generic_share = len(generic & self._generic[position]) / len(generic) if generic else 0.0
        name_weight = sum(self._idf[word] for word in self._name_words[position])
        # A name made of generic words only ("Katholieke School voor
        # Praktijkonderwijs") is covered as far as the parent typed those words.
        precision = (
            sum(self._idf[word] * score / 100 for word, score in match.name_hits.items())
            / name_weight
            if name_weight
            else generic_share
        )
        return (
            _COVERAGE_SHARE * coverage
            + _PRECISION_SHARE * precision
            + _GENERIC_SHARE * generic_share
        )
