"""The language picker: every language offered, named in itself, the likely one first."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n.languages import supported
from bot.i18n.localizer import Localizers
from bot.messages.callbacks import PickLanguage, ReadAloudOn, encode
from bot.messages.replies import Button
from bot.parents import texts as msg

Rows = tuple[tuple[Button, ...], ...]


def picker(
    localizers: Localizers,
    chosen: str | None,
    codes: Sequence[str],
    *,
    read_aloud: bool = False,
) -> tuple[str, Rows]:
    """Return the picker's text (one line per language of `codes`) and its buttons.

    The read-aloud button comes last.
    """
    languages = supported(codes)
    # The language the parent uses (or Telegram reports) comes first and is marked.
    languages.sort(key=lambda language: language.code != chosen)
    prompt = "\n".join(localizers.get(lang.code).gettext(msg.PICK_LANGUAGE) for lang in languages)
    rows = tuple(
        (
            Button(
                f"✓ {lang.native_name}" if lang.code == chosen else lang.native_name,
                encode(PickLanguage(lang.code)),
            ),
        )
        for lang in languages
    )
    # A speaker sign anyone recognises, then the words in the likely language.
    label = localizers.get(chosen or "nl").gettext(msg.COMMAND_VOICE)
    aloud = Button(f"{'✓ ' if read_aloud else ''}🔊 {label}", encode(ReadAloudOn()))
    return prompt, (*rows, (aloud,))
