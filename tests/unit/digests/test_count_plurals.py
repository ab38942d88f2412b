"""A count in the digest takes the plural form its language asks for: 1 gezin, 2 gezinnen."""

from __future__ import annotations

from typing import Any, cast

import pytest

from bot.digests.model import Digest
from bot.digests.render import header
from bot.i18n.localizer import Localizers
from bot.settings import PROJECT_DIR


class Counted:
    """Just what the digest's header reads: whose, which day, how many."""

    def __init__(self, new: int, still_open: int) -> None:
        self.school = "De Regenboog, Utrecht"
        self.date = "maandag 7 december 2026"
        self.new_count = new
        self.open_count = still_open
        self.updated_count = 0


def counts_line(language: str, new: int) -> str:
    texts = Localizers(PROJECT_DIR / "locales").get(language)
    digest = cast(Digest, cast(Any, Counted(new, 0)))
    return header(digest, texts).splitlines()[-1]


@pytest.mark.parametrize(
    ("language", "new", "expected"),
    [
        ("nl", 1, "Nieuw: 1 gezin. Nog open: 0."),
        ("nl", 2, "Nieuw: 2 gezinnen. Nog open: 0."),
        ("pl", 1, "Nowe: 1 rodzina. Nadal otwarte: 0."),
        ("pl", 2, "Nowe: 2 rodziny. Nadal otwarte: 0."),
        ("pl", 5, "Nowe: 5 rodzin. Nadal otwarte: 0."),
        ("ar", 1, "جديد: 1 عائلة. ما زال مفتوحًا: 0."),
        ("ar", 2, "جديد: 2 عائلتان. ما زال مفتوحًا: 0."),
        ("ar", 3, "جديد: 3 عائلات. ما زال مفتوحًا: 0."),
    ],
)
def test_the_count_of_new_families_takes_the_right_plural_form(
    language: str, new: int, expected: str
) -> None:
    assert counts_line(language, new) == expected
