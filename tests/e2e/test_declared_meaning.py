"""A coordinator's own flow, its steps named otherwise, alerts and marks by its own rules."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

from tests.e2e.harness import (
    SCHOOLS,
    Parent,
    Settled,
    bot_environment,
    running_bot,
    seed_schools,
)
from tests.fakes import FakeBotAPI
from tests.fakes.clock import FakeClock, amsterdam

STAFF = 7301
# No step has an id the default flow uses: urgency hangs on `bel_mij`, not `call_soon`.
FLOW = """\
id: ouders_zuid
version: 1
title: Thuis leren (Zuid)
languages: [nl]
meaning:
  group: klas
  contact: bereik
  urgent: bel_mij == yes
  needs:
    device: apparaat has geen
    ver_weg:
      when: reistijd > 30
      label: woont ver van school
steps:
  - id: akkoord
    kind: consent
    text: Uw antwoorden gaan naar de school. Doet u mee?
    declined: Dat is goed.
  - {id: waar, kind: school, text: Op welke school zit uw kind}
  - id: klas
    kind: choice
    label: Klas
    text: In welke groep zit uw kind?
    choices: [{key: g4, label: Groep 4}, {key: g7, label: Groep 7}]
  - id: apparaat
    kind: multi
    label: Apparaten
    text: Welke apparaten zijn er thuis?
    choices: [{key: laptop, label: Een laptop}, {key: geen, label: Niets, exclusive: true}]
  - {id: reistijd, kind: number, label: Reistijd, text: Hoeveel minuten is het naar school}
  - id: bereik
    kind: choice
    label: Bereikbaar
    text: Hoe bereikt de school u?
    choices: [{key: bellen, label: Telefonisch}, {key: chat, label: In deze chat}]
  - {id: nummer, kind: phone, label: Nummer, when: bereik == bellen, text: Uw nummer}
  - id: bel_mij
    kind: yesno
    label: Bellen
    when: bereik == bellen
    text: Wilt u deze week gebeld worden?
  - {id: nakijken, kind: summary, text: Kloppen uw antwoorden}
"""


async def answer(parent: Parent, *, device: str, minutes: str, call: bool) -> None:
    """Walk the coordinator's flow from the school's link."""
    await parent.send("/start 16AH00")
    await parent.press("Nederlands")
    await parent.press("Ja, ik doe mee")
    await parent.press("Groep 7")
    await parent.press(device)
    await parent.press("Klaar")
    await parent.send(minutes)
    if call:
        await parent.press("Telefonisch")
        await parent.send("06 12345678")
        await parent.press("Ja")
    else:
        await parent.press("In deze chat")
    await parent.press("Alles klopt, versturen")


def test_a_renamed_flow_alerts_and_marks_by_its_own_declarations(
    api: FakeBotAPI, database_url: str, settled: Settled, tmp_path: Path
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "ouders_zuid.yaml").write_text(textwrap.dedent(FLOW), encoding="utf-8")
    seed_schools(database_url)
    environment = {
        **bot_environment(api, database_url, tmp_path, flows),
        "DEFAULT_FLOW": "ouders_zuid",
    }
    clock = FakeClock(amsterdam(2026, 12, 7, 9, 0))

    async def scenario() -> None:
        async with running_bot(environment, clock) as runtime:
            assert runtime.system.jobs is not None
            assert runtime.system.sender is not None
            await Parent(api, settled, STAFF).send(f"/start staff-{SCHOOLS[0][3]}")
            joined = len(api.messages(STAFF))
            await answer(Parent(api, settled, 7401), device="Niets", minutes="45", call=True)
            await runtime.system.sender.idle()
            alert = api.last_message(STAFF).text or ""
            assert alert.startswith("Dringend: een ouder wil deze week gebeld worden.")
            assert (
                "Nodig: wil deze week gebeld worden, geen apparaat, woont ver van school" in alert
            )
            count = len(api.messages(STAFF))
            assert count == joined + 1
            await answer(Parent(api, settled, 7402), device="Een laptop", minutes="5", call=False)
            await runtime.system.sender.idle()
            # Not urgent by the flow's rule: no alert for this family.
            assert len(api.messages(STAFF)) == count
            clock.set(amsterdam(2026, 12, 7, 15, 30))
            await runtime.system.jobs.digest_pass()
            await runtime.system.sender.idle()

    asyncio.run(scenario())
    digest = "\n".join(
        m.text or "" for m in api.messages(STAFF) if (m.text or "").startswith("Ouderbrug:")
    )
    urgent_at = digest.index("Dringend: wil snel gebeld worden")
    other_at = digest.index("Overige gezinnen")
    # The urgent family (far from school, no device) first; the other under the rest.
    assert urgent_at < digest.index("woont ver van school") < other_at
    assert "woont ver van school" not in digest[other_at:]
    assert "Gezin 2" in digest[other_at:]
    assert "Groep 7" in digest  # the declared group heads each family
    assert "Nodig: wil deze week gebeld worden, geen apparaat, woont ver van school" in digest
    # The urgent question itself is said by the mark, not listed again among the answers.
    assert "Bellen:" not in digest
