"""Our own sentence splitter: the rules that stand in for a downloaded model."""

from __future__ import annotations

from bot.translation.splitter import split_sentences


def test_a_paragraph_splits_after_each_final_mark() -> None:
    assert split_sentences("Wij hebben geen laptop. Kunt u helpen? Dank u!") == [
        "Wij hebben geen laptop.",
        "Kunt u helpen?",
        "Dank u!",
    ]


def test_arabic_question_marks_end_sentences() -> None:
    assert split_sentences("ليس لدينا حاسوب؟ شكرا لكم.") == ["ليس لدينا حاسوب؟", "شكرا لكم."]


def test_an_abbreviation_before_a_lower_case_word_does_not_split() -> None:
    assert split_sentences("Wij missen bijv. een printer. Verder niets.") == [
        "Wij missen bijv. een printer.",
        "Verder niets.",
    ]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert split_sentences('Hij zei "nee." Toen ging hij.') == ['Hij zei "nee."', "Toen ging hij."]


def test_text_without_marks_is_one_sentence_and_blank_text_none() -> None:
    assert split_sentences("geen punt aan het eind") == ["geen punt aan het eind"]
    assert split_sentences("   ") == []


def test_an_overlong_sentence_is_cut_at_spaces() -> None:
    words = " ".join(["woord"] * 100)
    pieces = split_sentences(words, max_chars=50)
    assert all(len(piece) <= 50 for piece in pieces)
    assert " ".join(pieces) == words
