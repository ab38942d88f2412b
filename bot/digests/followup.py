"""The follow-up buttons under each family in a digest or alert, and their numbering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.digests import texts as msg
from bot.digests.model import Digest
from bot.engine.ports import Localizer
from bot.messages.callbacks import FollowUp, PlayVoice, WriteToFamily, encode
from bot.messages.followup import FollowUpStatus
from bot.messages.replies import Button

Rows = tuple[tuple[Button, ...], ...]


def keyboard(
    families: Sequence[tuple[int, int]],
    statuses: Mapping[int, str],
    digest_id: int,
    texts: Localizer,
) -> Rows:
    """Return one row per family: 'contacted' and 'helped', ticked when that is its status,
    and 'write to the family'."""
    rows = []
    for number, response_id in families:
        status = statuses.get(response_id, FollowUpStatus.OPEN)
        contacted = texts.gettext(msg.BUTTON_CONTACTED) % {"number": number}
        helped = texts.gettext(msg.BUTTON_HELPED) % {"number": number}
        rows.append(
            (
                Button(
                    f"✓ {contacted}" if status == FollowUpStatus.CONTACTED else contacted,
                    encode(FollowUp(FollowUpStatus.CONTACTED, response_id, digest_id)),
                ),
                Button(
                    f"✓ {helped}" if status == FollowUpStatus.HELPED else helped,
                    encode(FollowUp(FollowUpStatus.HELPED, response_id, digest_id)),
                ),
                Button(
                    texts.gettext(msg.BUTTON_WRITE) % {"number": number},
                    encode(WriteToFamily(response_id)),
                ),
            )
        )
    return tuple(rows)


def numbered(parts: Sequence[Sequence[int]]) -> list[list[tuple[int, int]]]:
    """Number the families of a digest's stored parts as the digest does, across messages."""
    numbered_parts = []
    number = 0
    for part in parts:
        current = []
        for response_id in part:
            number += 1
            current.append((number, response_id))
        numbered_parts.append(current)
    return numbered_parts


def voice_notes(digest: Digest) -> dict[int, list[tuple[str, str]]]:
    """Return each family's voice-note answers (question label, step id), by response."""
    found: dict[int, list[tuple[str, str]]] = {}
    for family in digest.families:
        notes = [(r.label, r.step_id) for r in family.remarks if r.voice]
        if notes:
            found[family.response_id] = notes
    return found


def play_button(
    number: int, label: str, response_id: int, step_id: str, texts: Localizer
) -> tuple[str, Rows]:
    """Return the line under a digest that offers a family's voice note, and its button."""
    text = texts.gettext(msg.VOICE_NOTE) % {"number": number, "question": label}
    button = Button(texts.gettext(msg.BUTTON_PLAY), encode(PlayVoice(response_id, step_id)))
    return text, ((button,),)
