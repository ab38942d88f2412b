"""The words of school names, towns and queries, as the school search compares them.

Generic words ("basisschool", "obs") say what kind of school it is, not which one; the
rest are the distinctive words a parent's query is matched on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

# Words that say what kind of school it is rather than which one. They are left
# out of matching, because thousands of names share them, but count a little
# when the parent typed them too: "obs de regenboog" prefers the openbare one.
# Abbreviations stand for the words they abbreviate.
_GENERIC_WORDS = (
    # what kind of school or building
    *("school", "basisschool", "basisonderwijs", "onderwijs", "primair", "speciaal"),
    *("kindcentrum", "kindcampus", "integraal", "brede", "samenwerkingsschool"),
    *("scholengemeenschap", "scholengroep", "locatie", "vestiging", "skoalle", "basisskoalle"),
    # denomination
    *("openbaar", "openbare", "christelijk", "christelijke", "protestants", "protestantse"),
    *("katholiek", "katholieke", "rooms", "gereformeerd", "gereformeerde"),
    *("reformatorisch", "reformatorische", "islamitisch", "islamitische"),
    *("algemeen", "algemene", "bijzonder", "bijzondere", "oecumenisch", "oecumenische"),
    # secondary-school levels, which long VO names list at length
    *("praktijkonderwijs", "vmbo", "vbo", "mavo", "havo", "vwo", "lwoo", "tl", "atheneum"),
)
_GENERIC: dict[str, tuple[str, ...]] = {word: (word,) for word in _GENERIC_WORDS} | {
    "bs": ("basisschool",),
    "obs": ("openbare", "basisschool"),
    "cbs": ("christelijke", "basisschool"),
    "pcbs": ("protestants", "christelijke", "basisschool"),
    "pcb": ("protestants", "christelijke", "basisschool"),
    "pcbo": ("protestants", "christelijke", "basisschool"),
    "rkbs": ("rooms", "katholieke", "basisschool"),
    "kbs": ("katholieke", "basisschool"),
    "rk": ("rooms", "katholieke"),
    "pc": ("protestants", "christelijke"),
    "chr": ("christelijke",),
    "ibs": ("islamitische", "basisschool"),
    "ikc": ("integraal", "kindcentrum"),
    "kc": ("kindcentrum",),
    "sbo": ("speciaal", "basisonderwijs"),
    "so": ("speciaal", "onderwijs"),
    "sg": ("scholengemeenschap",),
    "osg": ("openbare", "scholengemeenschap"),
    "csg": ("christelijke", "scholengemeenschap"),
    "rsg": ("scholengemeenschap",),
    "pro": ("praktijkonderwijs",),
    "loc": ("locatie",),
    "vst": ("vestiging",),
    # DUO shortens "school" in many names ("Kon Julianasch", "Chr Basissch").
    "sch": ("school",),
    "basissch": ("basisschool",),
}

# A misspelled generic word ("basisscool", DUO's own "Christelyke") is still
# generic; only longer words, as short ones are too close to real names.
_GENERIC_MIN_LENGTH = 5
_GENERIC_SIMILARITY = 85.0

# Little words of names and towns that tell nothing apart.
_FILLER = frozenset(
    ("de", "het", "een", "en", "van", "der", "den", "voor", "aan", "op", "in", "te", "ter", "bij")
)

# Spellings a parent uses for the same word.
_SYNONYMS = {"st": "sint"}

# Dutch names glue "school" onto the distinctive part ("Jozefschool", Frisian
# "skoalle", DUO's "Julianasch"); splitting it off lets "jozef school" and
# "Jozefschool" meet. The whole compound stays findable, so that "jozefscool"
# still comes close to it.
_COMPOUND_SUFFIXES = ("school", "skoalle", "sch")

# What people call a town that DUO lists under its official name.
_TOWN_ALIASES = {
    "s gravenhage": "den haag",
    "s hertogenbosch": "den bosch",
}

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case text and strip accents and punctuation, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Apostrophes join ("'t", "Da'oed") while other punctuation separates ("Sint-Jozef").
    bare = re.sub(r"['’‘ʼ`]", "", bare)
    return " ".join(_NOT_WORD.sub(" ", bare).split())


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a text: the distinctive ones, how else they were written, the generic ones."""

    distinctive: tuple[str, ...]
    # (written form, distinctive word) for compounds: ("jozefschool", "jozef").
    compounds: tuple[tuple[str, str], ...]
    generic: frozenset[str]


def words_of(text: str) -> Words:
    """Split a name, town or query into words for matching."""
    distinctive: list[str] = []
    compounds: list[tuple[str, str]] = []
    generic: set[str] = set()
    for raw in fold(text).split():
        word = _SYNONYMS.get(raw, raw)
        meaning = _generic_meaning(word)
        if meaning:
            generic.update(meaning)
            continue
        stem, suffix = _split_compound(word)
        if suffix:
            generic.update(_GENERIC[suffix])
            meaning = _generic_meaning(stem)
            if meaning:
                generic.update(meaning)
                continue
            compounds.append((word, stem))
        if stem in _FILLER or stem in distinctive:
            continue
        # Single letters are what is left of "'t" and "'s"; single digits do count.
        if len(stem) > 1 or stem.isdigit():
            distinctive.append(stem)
    return Words(tuple(distinctive), tuple(compounds), frozenset(generic))


@lru_cache(maxsize=65536)
def _generic_meaning(word: str) -> tuple[str, ...]:
    """Return the generic words a word stands for, or () for a distinctive word."""
    if word in _GENERIC:
        return _GENERIC[word]
    if len(word) < _GENERIC_MIN_LENGTH:
        return ()
    close = process.extractOne(
        word, _GENERIC_WORDS, scorer=fuzz.ratio, score_cutoff=_GENERIC_SIMILARITY
    )
    return _GENERIC[close[0]] if close else ()


def _split_compound(word: str) -> tuple[str, str]:
    """Split "jozefschool" into ("jozef", "school"); return (word, "") for other words."""
    for suffix in _COMPOUND_SUFFIXES:
        stem = word.removesuffix(suffix)
        if stem != word and len(stem) >= 3:
            return stem, suffix
    return word, ""


def town_words_of(town: str) -> Words:
    """Return the words of a town's name, with those of its everyday name if it has one."""
    folded = fold(town)
    return words_of(f"{folded} {_TOWN_ALIASES.get(folded, '')}")
