"""Whether a native speaker has read a catalog: one line in its header comment, per catalog.

The line reads `# Review-Status: unreviewed` or `# Review-Status: native-reviewed`. It
lives in the header comment rather than in an `X-` header field because Babel, which
`i18n update` runs, drops header fields it does not know, and keeps the comment.

A catalog nobody has reviewed is still used: an imperfect text in a parent's own language
beats Dutch. Review state is not fuzziness: fuzzy entries (machine-made or outdated) are
left out of what the bot uses, whatever the catalog's review state says.
"""

from __future__ import annotations

import re
from typing import Final

from babel.messages.catalog import Catalog

REVIEW_FIELD: Final = "Review-Status"
UNREVIEWED: Final = "unreviewed"
NATIVE_REVIEWED: Final = "native-reviewed"
REVIEW_STATES: Final = (UNREVIEWED, NATIVE_REVIEWED)

_LINE: Final = re.compile(rf"^#?\s*{REVIEW_FIELD}\s*:(.*)$", re.IGNORECASE | re.MULTILINE)


class UnknownReviewStatusError(ValueError):
    """A catalog's review line holds a value we do not know."""


def review_status(catalog: Catalog) -> str:
    """Return a catalog's review state; a catalog that says nothing counts as unreviewed."""
    found = _LINE.findall(catalog.header_comment or "")
    if not found:
        return UNREVIEWED
    values = {value.strip() for value in found}
    value = values.pop() if len(values) == 1 else " / ".join(sorted(values))
    if value not in REVIEW_STATES:
        known = " or ".join(REVIEW_STATES)
        raise UnknownReviewStatusError(
            f"the header line '{REVIEW_FIELD}: {value}' is not a review state; write {known}"
        )
    return value


def with_review_line(header_comment: str, state: str = UNREVIEWED) -> str:
    """Return a header comment that names the review state, adding the line when missing."""
    if _LINE.search(header_comment):
        return header_comment
    lines = header_comment.rstrip("\n").split("\n")
    # Before the closing bare "#" that Babel writes under the header comment.
    at = len(lines) - 1 if lines and lines[-1].strip() == "#" else len(lines)
    lines.insert(at, f"# {REVIEW_FIELD}: {state}")
    return "\n".join(lines)
