"""Walk a flow in the terminal as a parent does in Telegram: the same room, texts and buttons.

Each line typed is one message or button press: numbers press the buttons of the latest
message that has them ("1 3" on a question with several answers chooses exactly those,
then Klaar), anything else is typed text, and /commands are the bot's own.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from bot.engine.flow import StepKind
from bot.engine.inputs import Choose, Command, CommandName
from bot.engine.state import AnswerValue
from bot.messages.callbacks import PickLanguage, decode, encode
from bot.messages.incoming import Action, BotCommand, ButtonPressed, CommandSent, Typed
from bot.messages.replies import Button, Reply
from bot.preview.room import PreviewRoom

# Questions answered by typing: there a number is the answer, not a button.
TYPED_KINDS = frozenset({StepKind.TEXT, StepKind.NUMBER, StepKind.PHONE})
HELP = "Preview commands: /skip, /lang CODE, /quit; the bot's own: /help, /back, /status..."
# Shown at the school question when the preview knows no school: it would find none.
NO_SCHOOLS_HINT = (
    "! No schools are known yet, so no name finds one here. Answer as if arriving by a "
    "school's link with `ouderbrug chat --school CODE`, import DUO's list with "
    "`ouderbrug schools import FILE` (or look in one with `--schools FILE`), or try "
    "`ouderbrug demo`."
)
_NUMBERS = re.compile(r"[0-9]+(?:[ ,]+[0-9]+)*")
# Direction marks and isolates: Telegram lays them out unseen; many terminals show them.
_MARKS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"), None)
_MARKS.update(dict.fromkeys(range(0x2066, 0x206A), None))
_TICK = "✓ "


@dataclass
class Preview:
    """One terminal conversation with the parents' room."""

    room: PreviewRoom
    out: TextIO
    echo: bool
    # Right-to-left texts are aligned right (on a terminal, not in a file or pipe).
    rtl: bool = False
    # Say at the school question that no school can be found (the hint, once).
    no_schools: bool = False
    _keyboard: tuple[Button, ...] = field(default=(), init=False)

    def run(self, start: str, language: str | None, lines: Iterable[str]) -> int:
        """Open the bot as by a link (`start`), pick `language` if given, then read lines."""
        self._show(self.room.send(CommandSent(BotCommand.START, start), language))
        if language is not None:
            self.out.write(f"> [{self._label(encode(PickLanguage(language)))}]\n")
            self._show(self.room.send(ButtonPressed(encode(PickLanguage(language)), 0, "p")))
        answers = iter(lines)
        while True:
            self.out.write("> ")
            self.out.flush()
            raw = next(answers, None)
            if raw is None:
                break
            line = raw.rstrip("\r\n")
            if self.echo:
                self.out.write(f"{line}\n")
            if line.strip() == "/quit":
                return 0
            before = self._keyboard
            for action in self._actions(line.strip()):
                self._show(self.room.send(action))
            if line.startswith("/") and not self._keyboard:
                # /help or /status answered below the question: its buttons still work.
                self._keyboard = before
            self._hint()
        return self._ended()

    def _actions(self, line: str) -> list[Action]:
        """Return what one line is: button presses, a command, or a typed message."""
        word, _, arg = line.partition(" ")
        if word == "/lang":
            return [ButtonPressed(encode(PickLanguage(arg.strip() or "-")), 0, "p")]
        if word == "/skip":
            return self._presses([self._command_button(CommandName.SKIP)])
        if word.startswith("/"):
            try:
                return [CommandSent(BotCommand(word[1:].lower()), arg.strip())]
            except ValueError:
                return [CommandSent(BotCommand.UNKNOWN, arg.strip())]
        asking = self.room.asking()
        choosable = any(isinstance(decode(b.data), Choose) for b in self._keyboard)
        typed = asking in TYPED_KINDS or (asking is StepKind.SCHOOL and not choosable)
        if typed or not _NUMBERS.fullmatch(line):
            return [Typed(line)]
        picked = [int(n) for n in re.split(r"[ ,]+", line)]
        if any(not 1 <= n <= len(self._keyboard) for n in picked):
            return [Typed(line)]  # as a parent typing it would: the bot says what to do
        if asking is StepKind.MULTI:
            return self._presses(self._chosen_exactly(picked))
        return self._presses([self._keyboard[n - 1] for n in picked])

    def _chosen_exactly(self, picked: list[int]) -> list[Button | None]:
        """Return the presses that leave exactly these answers ticked, then Klaar."""
        buttons = [self._keyboard[n - 1] for n in picked]
        if any(not isinstance(decode(b.data), Choose) for b in buttons):
            return list(buttons)  # Klaar or Overslaan itself: pressed as given
        wanted = {b.data for b in buttons}
        presses: list[Button | None] = [
            b
            for b in self._keyboard
            if isinstance(decode(b.data), Choose) and (b.data in wanted) != b.text.startswith(_TICK)
        ]
        return [*presses, self._command_button(CommandName.DONE)]

    def _command_button(self, name: CommandName) -> Button | None:
        found = (b for b in self._keyboard if _is_command(b, name))
        return next(found, None)

    def _presses(self, buttons: Iterable[Button | None]) -> list[Action]:
        pressed: list[Action] = []
        for button in buttons:
            if button is None:
                self.out.write(f"! There is no such button here. {HELP}\n")
                return []
            pressed.append(ButtonPressed(button.data, 0, "p"))
        return pressed

    def _show(self, replies: Iterable[Reply]) -> None:
        replies = list(replies)
        if any(r.action == "send" for r in replies):
            # Numbers press the buttons of what the bot said last, as a parent looks there.
            self._keyboard = ()
        for reply in replies:
            if reply.action == "answer_callback" and reply.text:
                self._write(f"! {reply.text}")
            elif reply.action == "edit_markup":
                self._keyboard = tuple(b for row in reply.buttons for b in row)
            elif reply.action == "send":
                self.out.write("\n")
                self._write(reply.text)
                self._buttons(reply)

    def _buttons(self, reply: Reply) -> None:
        if reply.buttons:
            self._keyboard = tuple(b for row in reply.buttons for b in row)
            for number, button in enumerate(self._keyboard, start=1):
                self._write(f"  {number}. {button.text}")
        if reply.ask_contact:
            self._write(f"  [{reply.ask_contact}] (in Telegram; type the number here)")

    def _write(self, text: str) -> None:
        plain = text.translate(_MARKS)
        if self.rtl:
            width = shutil.get_terminal_size().columns
            plain = "\n".join(line.rjust(width) for line in plain.splitlines())
        self.out.write(plain + "\n")

    def _hint(self) -> None:
        choosable = any(isinstance(decode(b.data), Choose) for b in self._keyboard)
        if self.no_schools and self.room.asking() is StepKind.SCHOOL and not choosable:
            self.out.write(f"{NO_SCHOOLS_HINT}\n")
            self.no_schools = False

    def _label(self, data: str) -> str:
        found = (b.text.removeprefix(_TICK) for b in self._keyboard if b.data == data)
        return next(found, data)

    def _ended(self) -> int:
        """At the end of the input: 1 while questions are open, else what is stored."""
        if self.room.asking() is not None:
            self.out.write("\n(input ended before the end of the flow)\n")
            return 1
        stored = self.room.stored()
        if not stored:
            self.out.write("\n--- nothing stored ---\n")
        for response, answers in stored:
            self.out.write(f"\n--- stored answers (child {response.child_number}) ---\n")
            for step_id, value in answers:
                self.out.write(f"{step_id}: {_plain(value)}\n")
        return 0


def _is_command(button: Button, name: CommandName) -> bool:
    pressed = decode(button.data)
    return isinstance(pressed, Command) and pressed.name is name


def _plain(value: AnswerValue) -> str:
    if value is None:
        return "(skipped)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value)
