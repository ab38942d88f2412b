"""Split a paragraph into sentences with rules of our own, so no model is ever downloaded.

Argos Translate 1.11 would fetch a MiniSBD model from the internet on the first
translation. Parents' remarks are short and plainly punctuated (or not at all), so a
few rules do: end a sentence after . ! ? … and their Arabic and CJK forms when a space
follows, but not when the next word starts in lower case (an abbreviation such as
"bijv. een laptop"). Sentences too long for the model are cut at a space.
"""

from __future__ import annotations

import re

# Sentence-final marks: Latin, the Arabic question mark and full stop, ideographic ones.
_END = ".!?…؟۔。！？"
# The end of a sentence: final marks, closing quotes or brackets, then whitespace.
_BOUNDARY = re.compile(rf"(?<=[{_END}])[\"'”’»)\]]*\s+")
# Argos's models were trained on sentences; far longer inputs degrade and slow them.
MAX_CHARS = 300


def split_sentences(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Return the sentences of one paragraph, each at most max_chars long where possible."""
    sentences: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        following = text[boundary.end() : boundary.end() + 1]
        if following.islower():
            continue
        sentences.append(text[start : boundary.end()].strip())
        start = boundary.end()
    sentences.append(text[start:].strip())
    return [piece for s in sentences if s for piece in _shortened(s, max_chars)]


def _shortened(sentence: str, max_chars: int) -> list[str]:
    pieces = []
    while len(sentence) > max_chars:
        cut = sentence.rfind(" ", 0, max_chars)
        cut = cut if cut > 0 else max_chars
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces
