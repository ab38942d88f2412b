"""The "write to the family" buttons under the families staff see (bot.conversations takes them)."""

from __future__ import annotations

from bot.messages.callbacks import WriteToFamily, encode
from bot.messages.replies import Button, Rows

# Staff read Dutch; the number is the family's, as /responses shows it (#57).
WRITE_BUTTON = "Bericht aan gezin #{number}"


def write_buttons(response_ids: tuple[int, ...]) -> Rows:
    """Return a "write to family" button for each family a staff message shows."""
    return tuple(
        (Button(WRITE_BUTTON.format(number=r), encode(WriteToFamily(r))),) for r in response_ids
    )
