"""Button data comes back from anyone: whatever arrives, decode() answers, and never raises."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine.inputs import Choose, Command, CommandName
from bot.messages.callbacks import (
    MAX_BYTES,
    MAX_ID,
    MAX_ROW_ID,
    AnotherChild,
    AnswerSchool,
    ConfirmDelete,
    FollowUp,
    PickLanguage,
    PlayVoice,
    Pressed,
    ReadAloudOn,
    ShowOriginal,
    WriteToFamily,
    decode,
    encode,
)
from bot.messages.followup import FollowUpStatus

PREFIXES = (
    "c:", "k:", "lang:", "del:yes:", "del:no:", "child:", "fu:c:", "fu:h:", "fu:h:1:", "play:",
    "aloud", "cw:", "co:", "ca:",
)  # fmt: skip
# Digits of every kind, signs, separators and spaces: what int() would take and we must not.
NEAR_NUMBERS = st.text(alphabet="0123456789٣߁９+-_ :.\t\n\u00a0ab", max_size=60)


def fits(data: str) -> bool:
    return len(data.encode()) <= MAX_BYTES


@given(st.one_of(st.text(max_size=64), st.sampled_from(PREFIXES).flatmap(
    lambda prefix: NEAR_NUMBERS.map(lambda rest: prefix + rest)
)).filter(fits))  # fmt: skip
def test_decode_never_raises_for_any_button_data(data: str) -> None:
    decoded = decode(data)

    if decoded is not None:  # what it accepts, it would have written exactly so
        assert encode(decoded) == data


KEYS = st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True)
SEQS = st.integers(min_value=0, max_value=MAX_ID)
PRESSED: st.SearchStrategy[Pressed] = st.one_of(
    st.builds(Choose, KEYS, seq=SEQS),
    st.builds(Command, st.sampled_from(CommandName), st.none() | KEYS, seq=SEQS),
    st.builds(
        PickLanguage, st.from_regex(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?", fullmatch=True)
    ),
    st.builds(ConfirmDelete, st.booleans(), st.integers(min_value=0, max_value=MAX_ID)),
    st.builds(AnotherChild, st.sampled_from(("same", "other", "none"))),
    st.just(ReadAloudOn()),
    st.builds(PlayVoice, st.integers(min_value=1, max_value=MAX_ROW_ID), KEYS),
    st.builds(
        FollowUp,
        st.sampled_from(("contacted", "helped")),
        st.integers(min_value=1, max_value=MAX_ROW_ID),
        st.integers(min_value=0, max_value=MAX_ROW_ID),
    ),
    st.builds(WriteToFamily, st.integers(min_value=1, max_value=MAX_ROW_ID)),
    st.builds(ShowOriginal, st.integers(min_value=1, max_value=MAX_ROW_ID)),
    st.builds(AnswerSchool, st.integers(min_value=1, max_value=MAX_ROW_ID)),
)


@pytest.mark.parametrize(
    "data", ["cw:0", "cw:-1", "cw:+1", "cw:01", f"cw:{MAX_ROW_ID + 1}", "cw:1:2", "co:", "ca:x"]
)
def test_a_conversation_button_names_one_stored_row_or_nothing(data: str) -> None:
    assert decode(data) is None


@given(PRESSED)
def test_every_encoded_action_reads_back_as_itself(pressed: Pressed) -> None:
    try:
        data = encode(pressed)
    except ValueError:
        return  # too long for a button: never sent, so never pressed
    assert decode(data) == pressed


NINES = "9" * 40


@pytest.mark.parametrize(
    "data",
    [
        f"fu:h:{NINES}:0",
        f"fu:h:1:{NINES}",
        f"fu:h:{MAX_ROW_ID + 1}:0",
        f"fu:h:1:{MAX_ROW_ID + 1}",
        f"c:{MAX_ID + 1}:laptop",
        f"del:no:{MAX_ID + 1}",
        "fu:h:0:0",  # no family has id 0
        "fu:h:-1:0",
        "fu:h:+1:0",
        "fu:h: 1:0",
        "fu:h:1 :0",
        "fu:h:01:0",
        "fu:h:1_000:0",
        "fu:h:٣:0",
        "fu:h:١٢:0",
        "fu:h::0",
        "fu:x:1:0",
        f"c:{NINES}:laptop",
        "c:-1:laptop",
        "c:1:",
        "c:1:lap top",
        f"k:{NINES}:back",
        "k:1:nonsense",
        "k:1:change:",
        f"del:yes:{NINES}",
        "del:yes:+1",
        "del:maybe:1",
        "lang:",
        "lang:ar:x",
        "lang:AR",
        "lang:ar-x",
        "child:all",
        "",
        ":",
    ],
)
def test_data_we_never_wrote_is_refused(data: str) -> None:
    assert decode(data) is None


def test_the_largest_numbers_still_read_back() -> None:
    assert decode(f"fu:h:{MAX_ROW_ID}:{MAX_ROW_ID}") == FollowUp(
        FollowUpStatus.HELPED, MAX_ROW_ID, MAX_ROW_ID
    )
    assert decode(f"c:{MAX_ID}:laptop") == Choose("laptop", seq=MAX_ID)
    assert decode(f"del:yes:{MAX_ID}") == ConfirmDelete(True, MAX_ID)
