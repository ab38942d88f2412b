"""Values the installation remembers: stored once, replaced, read back by any process."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session, sessionmaker

from bot.storage import stored
from bot.system.lifecycle import remember_username


def test_a_value_is_stored_replaced_and_read_back(sessions: sessionmaker[Session]) -> None:
    with sessions() as db:
        assert stored.recall(db, stored.BOT_USERNAME) is None

    remember_username(sessions, "OuderbrugBot")
    remember_username(sessions, "OuderbrugUtrechtBot")

    with sessions() as db:
        assert stored.recall(db, stored.BOT_USERNAME) == "OuderbrugUtrechtBot"


def test_a_read_in_the_same_transaction_sees_the_new_value(
    sessions: sessionmaker[Session],
) -> None:
    remember_username(sessions, "OldBot")
    with sessions.begin() as db:
        assert stored.recall(db, stored.BOT_USERNAME) == "OldBot"
        stored.remember(db, stored.BOT_USERNAME, "NewBot")
        assert stored.recall(db, stored.BOT_USERNAME) == "NewBot"


def test_workers_starting_together_all_store_the_username(
    sessions: sessionmaker[Session],
) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        try:
            remember_username(sessions, "OuderbrugBot")
        except BaseException as error:  # the start of that worker would have failed
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with sessions() as db:
        assert stored.recall(db, stored.BOT_USERNAME) == "OuderbrugBot"
