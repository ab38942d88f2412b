"""The digest as staff read it: who first, what each family needs, split for Telegram."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.digests.build import build_digest
from bot.digests.model import Record, Section
from bot.digests.render import csv_table, mail_body, telegram_parts
from bot.digests.rewrite import part_of
from bot.engine.flow import Flow
from bot.engine.ports import Localizer
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers
from bot.limits import length
from bot.settings import PROJECT_DIR

NOON = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 12:00 in Amsterdam
BASE: dict[str, Any] = {
    "consent": "yes",
    "school": "16AH00",
    "grade": "groep_6",
    "devices": ["tablet"],
    "device_shared": "no",
    "internet": "good",
    "help_at_home": "yes",
    "contact": "chat",
}


@pytest.fixture(scope="module")
def flow() -> Flow:
    loaded = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def dutch() -> Localizer:
    return Localizers(PROJECT_DIR / "locales").get("nl")


def record(flow: Flow, number: int, language: str = "nl", **answers: Any) -> Record:
    return Record(
        response_id=number,
        session_id=100 + number,
        flow_revision=flow.revision,
        language=language,
        answers={**BASE, **answers},
        completed_at=NOON + timedelta(minutes=number),
        telegram_user_id=5000 + number,
    )


def digest_of(flow: Flow, texts: Localizer, records: list[Record], **kwargs: Any) -> Any:
    return build_digest(
        "De Regenboog, UTRECHT",
        NOON,
        records,
        kwargs.get("still_open", []),
        lambda revision: flow if revision == flow.revision else None,
        texts,
        kwargs.get("translations", {}),
    )


def test_urgent_families_come_first_then_no_device_or_internet(
    flow: Flow, dutch: Localizer
) -> None:
    digest = digest_of(
        flow,
        dutch,
        [
            record(flow, 1),
            record(flow, 2, internet="none"),
            record(flow, 3, contact="phone", phone="+31612345678", call_soon="yes"),
            record(flow, 4, devices=["none"]),
        ],
    )
    assert [f.response_id for f in digest.families] == [3, 2, 4, 1]
    assert [f.section for f in digest.families] == [
        Section.URGENT,
        Section.BASICS,
        Section.BASICS,
        Section.OTHER,
    ]
    text = mail_body(digest, dutch)
    assert text.index("Dringend: wil snel gebeld worden") < text.index("Overige gezinnen")
    assert "Contact: Bel mij op · +31 6 12345678" in text
    assert "Nodig: wil deze week gebeld worden" in text


def test_a_family_shows_group_answers_language_contact_and_time_in_dutch(
    flow: Flow, dutch: Localizer
) -> None:
    family = record(flow, 1, language="ar", devices=["smartphone_only"], help_wanted=["tutor"])
    text = mail_body(digest_of(flow, dutch, [family]), dutch)
    assert "Gezin 1 · Groep 6" in text
    tutor = "Hulp van een leerkracht of van iemand die bijles geeft"
    assert f"Nodig: alleen een smartphone, {tutor}" in text
    assert "Apparaten: Alleen een smartphone" in text
    assert "Taal van de ouder: Arabisch" in text
    assert "Contact: Via deze chat · via Ouderbrug in Telegram" in text
    assert "5001" not in text  # the parent's Telegram account is never shown
    assert "Beantwoord: 7 dec 2026, 12:01" in text  # Babel, Dutch, Amsterdam time


def test_free_text_shows_the_original_and_the_translation_or_says_there_is_none(
    flow: Flow, dutch: Localizer
) -> None:
    translated = record(flow, 1, language="ar", remarks="ابني ليس لديه مكتب")
    untranslated = record(flow, 2, language="tr", remarks="Oğlumun masası yok")
    text = mail_body(
        digest_of(
            flow,
            dutch,
            [translated, untranslated],
            translations={(101, "remarks"): "Mijn zoon heeft geen bureau."},
        ),
        dutch,
    )
    assert "Opmerking: «ابني ليس لديه مكتب»\nVertaling: Mijn zoon heeft geen bureau." in text
    assert "Opmerking: «Oğlumun masası yok»\n(niet vertaald)" in text


def test_telegram_parts_stay_within_the_limit_and_never_split_a_family(
    flow: Flow, dutch: Localizer
) -> None:
    families = [record(flow, n, remarks="x" * 900) for n in range(1, 31)]
    digest = digest_of(flow, dutch, families)
    parts = telegram_parts(digest, dutch)
    assert len(parts) > 1
    assert all(len(part.text) <= 4096 for part in parts)
    numbers = [number for part in parts for number, _ in part.families]
    assert numbers == list(range(1, 31))  # every family once, in order
    for part in parts:
        for number, _ in part.families:
            block = f"▶ Gezin {number} ·"
            assert part.text.count(block) == 1  # its whole block is in this message
            assert "x" * 900 in part.text.split(block, 1)[1]
    assert parts[0].text.startswith("(deel 1 van ")


def test_telegram_parts_count_as_telegram_does(flow: Flow, dutch: Localizer) -> None:
    # An emoji is two characters to Telegram: 900 of them are 1800.
    families = [record(flow, n, remarks="😀" * 900) for n in range(1, 11)]
    parts = telegram_parts(digest_of(flow, dutch, families), dutch)
    assert all(length(part.text) <= 4096 for part in parts)
    assert [number for part in parts for number, _ in part.families] == list(range(1, 11))


def test_one_family_over_the_limit_is_shortened_never_split(flow: Flow, dutch: Localizer) -> None:
    families = [record(flow, 1, remarks="x" * 6000)]  # as long as a flow's max_length allows
    parts = telegram_parts(digest_of(flow, dutch, families), dutch)
    assert all(length(part.text) <= 4096 for part in parts)
    assert [number for part in parts for number, _ in part.families] == [1]
    assert "…" in parts[-1].text


def test_the_csv_has_a_row_per_family_and_keeps_formulas_out(flow: Flow, dutch: Localizer) -> None:
    digest = digest_of(flow, dutch, [record(flow, 1, remarks="=HYPERLINK(1)"), record(flow, 2)])
    rows = list(csv.reader(io.StringIO(csv_table(digest, dutch)), delimiter=";"))
    assert rows[0][:3] == ["gezin", "groep in overzicht", "groep of klas"]
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in rows[1]
    assert rows[2][2] == "Groep 6"


def test_still_open_families_come_last_with_their_status(flow: Flow, dutch: Localizer) -> None:
    contacted = replace(
        record(flow, 8), followup_status="contacted", followup_at=NOON - timedelta(days=8)
    )
    digest = digest_of(flow, dutch, [record(flow, 1)], still_open=[record(flow, 9), contacted])
    assert [f.section for f in digest.families] == [
        Section.OTHER,
        Section.STILL_OPEN,
        Section.STILL_OPEN,
    ]
    assert (digest.new_count, digest.open_count) == (1, 2)
    text = mail_body(digest, dutch)
    assert "Nog open van eerdere overzichten" in text
    assert "Status: nog geen contact" in text
    assert "Status: contact gehad op 29 nov 2026, 12:00" in text


def test_a_part_rewritten_without_a_family_reads_as_the_part_it_was(
    flow: Flow, dutch: Localizer
) -> None:
    families = [record(flow, n, remarks="x" * 900) for n in range(1, 31)]
    digest = digest_of(flow, dutch, families)
    parts = telegram_parts(digest, dutch)
    first, second = ({r for _, r in part.families} for part in parts[:2])
    kept_first = part_of(digest, first - {1}, dutch, (1, len(parts)))
    assert kept_first.text.startswith(f"(deel 1 van {len(parts)})\nOuderbrug: gezinnen van")
    assert "▶ Gezin 1 ·" not in kept_first.text
    assert [r for _, r in kept_first.families] == sorted(first - {1})
    kept_second = part_of(digest, second - {min(second)}, dutch, (2, len(parts)))
    assert kept_second.text.startswith(f"(deel 2 van {len(parts)})\n")
    assert "Ouderbrug: gezinnen" not in kept_second.text
