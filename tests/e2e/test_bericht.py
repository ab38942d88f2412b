"""Staff's /bericht in Telegram: their own school's families only, each once, on confirm."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path

from sqlalchemy import func, select

from bot.storage.db import make_engine, session_factory
from bot.storage.models import Broadcast, BroadcastFamily, OutboxMessage
from tests.e2e.broadcast_world import Family, seed_families
from tests.e2e.harness import SCHOOLS, Parent, Settled, bot_process, running_bot
from tests.fakes import FakeBotAPI, SentMessage, callback
from tests.fakes.state import Call

STAFF_A = 7401
STAFF_B = 7402
TEXT = "Dinsdag is de school om 12 uur uit."


REFUSED = "Dit bericht kunt u niet (meer) versturen."


async def forge(sender: Parent, message: SentMessage, forged: str) -> str | None:
    """Press a button on the sender's `message` with forged data; return the bot's answer."""
    press = str(uuid.uuid4().int)[:19]
    update = {
        "callback_query": {
            "id": press,
            "from": sender.user,
            "message": message.payload,
            "chat_instance": str(7_000_000_000_000_000_000 + message.chat_id),
            "data": forged,
        }
    }
    await sender.settled.wait(sender.api.push_raw_update(update))
    return await sender.answer_to(press)


def _broadcast_ids(database_url: str) -> dict[int, str]:
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            return dict(db.execute(select(Broadcast.id, Broadcast.status)).all())
    finally:
        engine.dispose()


async def _until(check: object, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "not in time"
        await asyncio.sleep(0.05)


def test_staff_send_to_their_own_schools_families_once_and_a_forged_press_is_refused(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    ours = seed_families(database_url, "16AH00", ["nl", "tr", "ar"], first_user=7500)
    theirs = seed_families(database_url, "17BX01", ["nl", "pl"], first_user=7600)

    def got(user_id: int) -> list[str]:
        return [t for m in api.messages(user_id) if TEXT in (t := m.text or "")]

    async def scenario() -> None:
        async with running_bot(environment):
            a = Parent(api, settled, STAFF_A)
            b = Parent(api, settled, STAFF_B)
            await a.send(f"/start staff-{SCHOOLS[0][3]}")
            await b.send(f"/start staff-{SCHOOLS[1][3]}")
            await a.send("/bericht")
            assert a.last_text.startswith("Typ het bericht voor alle gezinnen van De Regenboog.")
            await a.send(TEXT)
            assert a.last_text == (f"Dit bericht gaat naar 3 gezinnen van De Regenboog:\n\n{TEXT}")
            await b.send("/bericht")
            await b.send("Iets anders")
            assert b.last_text.startswith("Dit bericht gaat naar 2 gezinnen van Het Anker:")
            [a_id, b_id] = sorted(_broadcast_ids(database_url))

            # B forges A's draft into the button of their own confirm message.
            own, _ = b.find("Versturen")
            assert await forge(b, own, f"bc:send:{a_id}") == REFUSED
            # A parent who forges the same gets the same answer, and /bericht is unknown.
            parent = Parent(api, settled, ours[0].user_id)
            await parent.send("/bericht")
            assert parent.last_text == "Dat commando ken ik niet. Typ /help."
            await parent.send("/start 16AH00")
            picker, _ = parent.find("Ja, ik doe mee")
            assert await forge(parent, picker, f"bc:send:{a_id}") == REFUSED
            assert await forge(parent, picker, "bc:send:999999") == REFUSED
            assert _broadcast_ids(database_url)[a_id] == "ready"

            await b.press("Niet versturen")
            confirm, _ = a.find("Versturen")
            await a.press("Versturen")
            await _until(lambda: all(got(f.user_id) for f in ours))
            await asyncio.sleep(1.0)  # a second round would send any copy twice by now
            assert _broadcast_ids(database_url) == {a_id: "sent", b_id: "cancelled"}
            await _until(lambda: "Afgeleverd" in a.last_text)
            assert a.last_text == (
                "Uw bericht aan de gezinnen van De Regenboog is verstuurd. Afgeleverd: 3. "
                "Bot geblokkeerd: 0. Niet vertaald (geen vertaling voor hun taal): 2."
            )
            # Pressed again (a double tap, a stale message): refused, not sent again.
            assert await forge(a, confirm, f"bc:send:{a_id}") == REFUSED

    asyncio.run(scenario())
    assert [len(got(f.user_id)) for f in ours] == [1, 1, 1]
    assert [got(f.user_id) for f in theirs] == [[], []]
    assert got(ours[0].user_id)[0] == f"Bericht van De Regenboog:\n\n{TEXT}"
    assert got(ours[1].user_id)[0].startswith("De Regenboog okulundan mesaj.")


def test_parents_walking_the_questions_are_answered_at_once_while_a_broadcast_runs(
    api: FakeBotAPI, environment: dict[str, str], settled: Settled, database_url: str
) -> None:
    # Telegram's own limit, and the broadcast below it: 200 families take about 10 s.
    environment = {**environment, "TELEGRAM_RATE_LIMIT": "30", "BROADCAST_RATE": "20"}
    families = seed_families(database_url, "16AH00", ["nl", "tr"] * 100, first_user=8000)
    waits: list[float] = []

    async def timed(step: Awaitable[object], chat_id: int) -> None:
        """Time from the parent's update to the bot's first answer in their chat."""
        before = len(api.calls)
        started = time.monotonic()
        task = asyncio.ensure_future(step)
        await _until(lambda: any(_to(c, chat_id) for c in api.calls[before:]))
        waits.append(time.monotonic() - started)
        await task

    async def scenario() -> None:
        async with running_bot(environment):
            staff = Parent(api, settled, STAFF_A)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            await staff.send("/bericht")
            await staff.send(TEXT)
            await staff.press("Versturen")
            await _until(lambda: _copies(api, families[:5]) == 5)
            parent = Parent(api, settled, 8900)
            await timed(parent.send("/start 16AH00"), parent.chat_id)
            for label in ("Nederlands", "Ja, ik doe mee", "Groep 5", "Tablet", "Klaar"):
                await timed(parent.press(label), parent.chat_id)
            assert _copies(api, families) < len(families), "the broadcast ended too soon"
            await _until(lambda: _copies(api, families) == len(families), timeout=60)

    asyncio.run(scenario())
    print("reply waits during the broadcast (s):", " ".join(f"{w:.3f}" for w in waits))
    assert max(waits) < 1.0, waits


def _to(call: Call, chat_id: int) -> bool:
    # The reply itself (a new question, or the pressed one's redrawn buttons), not the
    # press's answer, which is never stored and goes out before it.
    return call.params.get("chat_id") == chat_id and call.status == 200


def _copies(api: FakeBotAPI, families: list[Family]) -> int:
    return sum(1 for f in families for m in api.messages(f.user_id) if TEXT in (m.text or ""))


def test_a_bot_killed_while_it_sends_a_bericht_goes_on_after_restart_each_family_once(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    tmp_path: Path,
) -> None:
    environment = {**environment, "OUTBOX_RECLAIM_SECONDS": "1", "BROADCAST_RATE": "20"}
    families = seed_families(database_url, "16AH00", ["nl", "tr"] * 30, first_user=8100)
    log = tmp_path / "bot.log"
    accepted: list[Call] = []
    chats = {f.user_id for f in families}
    api.on_call(
        lambda c: (
            accepted.append(c) if c.status == 200 and c.params.get("chat_id") in chats else None
        )
    )
    with bot_process(environment, log) as process:
        staff = Parent(api, settled, STAFF_A)
        asyncio.run(staff.send(f"/start staff-{SCHOOLS[0][3]}"))
        asyncio.run(staff.send("/bericht"))
        asyncio.run(staff.send(TEXT))
        message, data = staff.find("Versturen")
        api.push_update(callback(staff.user, message, data))
        deadline = time.monotonic() + 30
        while len(accepted) < 20:
            assert time.monotonic() < deadline, "the broadcast stalled"
            time.sleep(0.01)
        # As in test_broadcast.py: Telegram takes no more, and once what it took is
        # recorded the bot is killed with copies in flight and families not yet queued.
        api.fail("sendMessage", status=502, times=100_000)
        while _recorded(database_url) < len(accepted):
            assert time.monotonic() < deadline, "what Telegram took was never recorded"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    assert len(accepted) < len(families)
    api.recover("sendMessage")
    time.sleep(1.1)  # the dead process's claims run out

    with bot_process(environment, log):
        deadline = time.monotonic() + 60
        while _copies(api, families) < len(families):
            assert time.monotonic() < deadline, "the broadcast did not go on"
            time.sleep(0.1)
        time.sleep(1.5)  # time for a copy to come twice, if one would
    assert [
        len([m for m in api.messages(f.user_id) if TEXT in (m.text or "")]) for f in families
    ] == [1] * len(families)
    assert "Traceback" not in log.read_text(encoding="utf-8")


def _recorded(database_url: str) -> int:
    """Count the families whose copy is recorded as delivered."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as db:
            query = (
                select(func.count())
                .select_from(BroadcastFamily)
                .join(OutboxMessage, OutboxMessage.id == BroadcastFamily.outbox_id)
                .where(OutboxMessage.sent_at.is_not(None), OutboxMessage.last_error.is_(None))
            )
            return int(db.scalar(query) or 0)
    finally:
        engine.dispose()
