"""Placeholders come through machine translation exactly as they went in."""

from __future__ import annotations

from bot.translation.placeholders import placeholders, translate_preserving


def like_argos(text: str) -> str:
    # Argos's decoding turns underscores into spaces; a model may also mangle markers.
    return text.upper().replace("_", " ")


def test_named_and_positional_placeholders_are_found() -> None:
    text = "Hallo %(parent_name)s, {school} vraagt %d dingen (100%%)."
    assert placeholders(text) == ["%(parent_name)s", "{school}", "%d", "%%"]


def test_markers_that_come_back_are_swapped_for_the_placeholders() -> None:
    out = translate_preserving("Welkom bij {school_name}, %(name)s!", like_argos)
    assert out == "WELKOM BIJ {school_name}, %(name)s!"


def test_when_the_model_loses_a_marker_each_piece_is_translated_alone() -> None:
    def drops_markers(text: str) -> str:
        return "".join(ch for ch in text if ch not in "⟦⟧0123456789").upper()

    out = translate_preserving("Vraag {n} van {total}: klaar?", drops_markers)
    assert out == "VRAAG {n} VAN {total}: KLAAR?"


def test_text_without_placeholders_is_translated_whole() -> None:
    assert translate_preserving("Dank u wel.", str.upper) == "DANK U WEL."
