"""What the bot sends, independent of Telegram: texts with buttons, edits, pop-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.limits import BUTTON_LABEL_LIMIT, POPUP_LIMIT, shorten, split

Action = Literal["send", "edit_markup", "answer_callback", "voice", "delete", "copy"]


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: the label shown and the data it sends back."""

    text: str
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One thing to send to a chat, stored in the outbox until it is sent."""

    action: Action
    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    # The label of a "share my number" keyboard button, shown under a phone question.
    ask_contact: str | None = None
    # edit_markup: the message whose buttons change (a multi question being ticked).
    message_id: int | None = None
    # answer_callback: the button press being answered; `text` is the pop-up.
    callback_id: str | None = None
    # The responses whose families a staff message shows: queued, the message is linked
    # to them (outbox_families), so that erasing one recalls it.
    carrying: tuple[int, ...] = ()
    # voice: `text` read aloud in this language, or, when `file_id` is set, the voice
    # note Telegram already has under that id (a parent's, played to staff).
    language: str | None = None
    file_id: str | None = None
    # voice: the catalog text whose recording, where a coordinator made one, is sent instead.
    entry: str | None = None
    # copy: the chat the message (`message_id`) is copied from, without its sender.
    from_chat_id: int | None = None
    # Keep the id Telegram gives the delivered message: a reply to it is traced back.
    traced: bool = False

    def to_payload(self) -> dict[str, Any]:
        """Return the reply as JSON-compatible data for the outbox."""
        # Field by field: dataclasses.asdict deep-copies first, and every reply comes here.
        return {
            "action": self.action,
            "text": self.text,
            "buttons": [[{"text": b.text, "data": b.data} for b in row] for row in self.buttons],
            "ask_contact": self.ask_contact,
            "message_id": self.message_id,
            "callback_id": self.callback_id,
            "carrying": list(self.carrying),
            "language": self.language,
            "file_id": self.file_id,
            "entry": self.entry,
            "from_chat_id": self.from_chat_id,
            "traced": self.traced,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Reply:
        """Rebuild a reply from `to_payload` data."""
        rows = tuple(tuple(Button(**b) for b in row) for row in data.get("buttons", ()))
        carrying = tuple(data.get("carrying", ()))  # older messages were stored without it
        return cls(**{**data, "buttons": rows, "carrying": carrying})


Rows = tuple[tuple[Button, ...], ...]


@dataclass
class Replies:
    """The replies one update produced, in order, for one chat.

    Everything the bot says passes here, so here it is kept within Telegram's limits,
    which would refuse it whole: texts that build up (lists, reports, a family's long
    remarks) are split between lines where splitting by meaning was not done before.
    """

    chat_id: int
    items: list[Reply] = field(default_factory=list)

    def send(
        self, text: str, buttons: Rows = (), *, carrying: tuple[int, ...] = (), **extra: Any
    ) -> None:
        """Queue a new message; one too long for Telegram as several, the buttons under the last.

        `carrying` names the responses whose families the text shows (see Reply).
        """
        *before, last = split(text)
        self.items += [Reply("send", text=part, carrying=carrying) for part in before]
        labelled = _labelled(buttons)
        self.items.append(Reply("send", text=last, buttons=labelled, carrying=carrying, **extra))

    def voice(self, text: str, language: str, *, entry: str | None = None) -> None:
        """Queue `text` as a voice note read in `language`: `entry`'s recording, or synthesized."""
        self.items.append(Reply("voice", text=text, language=language, entry=entry))

    def play(self, file_id: str, *, carrying: tuple[int, ...] = ()) -> None:
        """Queue a voice note Telegram keeps under `file_id` (a parent's, for staff)."""
        self.items.append(Reply("voice", file_id=file_id, carrying=carrying))

    def copy(self, from_chat_id: int, message_id: int, *, carrying: tuple[int, ...] = ()) -> None:
        """Queue a copy of a message from another chat, which does not name its sender."""
        self.items.append(
            Reply(
                "copy",
                message_id=message_id,
                from_chat_id=from_chat_id,
                carrying=carrying,
                traced=True,
            )
        )

    def edit_markup(self, message_id: int, buttons: Rows) -> None:
        """Queue a change of an earlier message's buttons."""
        self.items.append(Reply("edit_markup", buttons=_labelled(buttons), message_id=message_id))

    def answer(self, callback_id: str, text: str = "") -> None:
        """Queue the answer to a button press (a short pop-up when `text` is given)."""
        popup = shorten(text, POPUP_LIMIT)
        self.items.append(Reply("answer_callback", text=popup, callback_id=callback_id))


def _labelled(rows: Rows) -> Rows:
    """Return the buttons with labels short enough to read whole (a school's long name)."""
    if all(len(button.text) <= BUTTON_LABEL_LIMIT // 2 for row in rows for button in row):
        return rows  # nearly always: surely within the limit, however Telegram counts
    return tuple(
        tuple(Button(shorten(button.text, BUTTON_LABEL_LIMIT), button.data) for button in row)
        for row in rows
    )
