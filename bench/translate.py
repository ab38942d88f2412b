"""Background translation beside the bot: sentences per second, and what it costs the bot.

Builds a random-weight Argos package of the published models' size (6+6 layers,
d=512, 50k vocabulary, int8), seeds the database with Arabic remarks waiting to be
translated into Dutch, and drives `ouderbrug run --webhook` with bench/bot.py's
simulated parents twice: once with no package installed (nothing to translate) and
once with the package, so the bot's own translator thread works through the remarks
while it answers parents. Prints the bot's p50/p99 both ways and the sentences per
second translated meanwhile, and the model's speed alone for reference.

Run: python bench/translate.py [--rate 300] [--seconds 10] [--parents 8] [--rounds 2]
                               [--remarks 3000] [--size argos] [--repeat 3]
Target (issue: offline machine translation): p99 within 20% of the unloaded figure, at
the offered rate.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# bench/bot.py would shadow the `bot` package: look in the project folder first.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import func, insert, select  # noqa: E402

from bench import bot as bench_bot  # noqa: E402
from bot.storage.db import make_engine  # noqa: E402
from bot.storage.models import (  # noqa: E402
    FlowVersion,
    Parent,
    ParentSession,
    Translation,
    utcnow,
)
from bot.translation.argos import ArgosTranslator  # noqa: E402
from bot.translation.requests import PENDING, text_hash  # noqa: E402
from tests.fakes.argosmodel import ARGOS, TINY, ModelSize, build_package, generated_text  # noqa: E402

SIZES = {"argos": ARGOS, "tiny": TINY}


def seed_remarks(url: str, count: int) -> None:
    """Store `count` finished sessions whose Arabic remark waits to be translated."""
    remarks = [line for line in generated_text(count, seed=11)]
    engine = make_engine(url)
    now = utcnow()
    try:
        with engine.begin() as db:
            db.execute(
                insert(FlowVersion).values(
                    revision="bench-remarks", flow_id="bench", version=1, source="", loaded_at=now
                )
            )
            parents = [
                {"telegram_user_id": 90_000_000 + n, "chat_id": 90_000_000 + n, "created_at": now}
                for n in range(count)
            ]
            parent_ids = db.scalars(insert(Parent).returning(Parent.id), parents).all()
            sessions = [
                {
                    "parent_id": parent_id,
                    "flow_id": "bench",
                    "flow_revision": "bench-remarks",
                    "state": {"answers": {"remarks": remark}},
                    "status": "done",
                    "child_number": 1,
                    "started_at": now,
                    "updated_at": now,
                }
                for parent_id, remark in zip(parent_ids, remarks, strict=True)
            ]
            session_ids = db.scalars(insert(ParentSession).returning(ParentSession.id), sessions)
            db.execute(
                insert(Translation),
                [
                    {
                        "session_id": session_id,
                        "step_id": "remarks",
                        "source_language": "ar",
                        "target_language": "nl",
                        "source_hash": text_hash(remark),
                        "status": PENDING,
                        "attempts": 0,
                        "updated_at": now,
                    }
                    for session_id, remark in zip(session_ids.all(), remarks, strict=True)
                ],
            )
    finally:
        engine.dispose()


def done_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            statement = select(func.count()).where(Translation.status == "done")
            return int(connection.scalar(statement.select_from(Translation)) or 0)
    finally:
        engine.dispose()


def loaded(package: Path, remarks: int) -> bench_bot.Prepare:
    """Seed remarks and install the package, so the bot translates while it serves."""

    def prepare(
        url: str, folder: Path
    ) -> tuple[dict[str, str], Callable[[], Callable[[], dict[str, Any]]]]:
        seed_remarks(url, remarks)
        ArgosTranslator(folder / "packages").install(package)

        def around() -> Callable[[], dict[str, Any]]:
            # The translator starts with the bot; measure only once it is under way.
            deadline = time.monotonic() + 300
            while done_count(url) == 0 and time.monotonic() < deadline:
                time.sleep(0.2)
            before, started = done_count(url), time.monotonic()

            def finish() -> dict[str, Any]:
                translated = done_count(url) - before
                seconds = time.monotonic() - started
                return {"translated": translated, "sentences_per_second": translated / seconds}

            return finish

        environment = {"TRANSLATION_SWEEP_SECONDS": "1", "TRANSLATION_THREADS": "1"}
        return environment, around

    return prepare


def alone(package: Path, folder: Path, sentences: int) -> float:
    """Return sentences per second translated with nothing else running."""
    translator = ArgosTranslator(folder / "alone")
    translator.install(package)
    texts = generated_text(sentences + 1, seed=12)
    translator.translate(texts[0], "ar", "nl")  # loads the model
    started = time.perf_counter()
    for text in texts[1:]:
        translator.translate(text, "ar", "nl")
    return sentences / (time.perf_counter() - started)


def main() -> None:
    """Measure and print the figures."""
    parser = bench_bot.arguments_parser(__doc__)
    parser.set_defaults(parents=8, rounds=2, rate=300)
    parser.add_argument("--remarks", type=int, default=3000, help="remarks waiting to translate")
    parser.add_argument("--size", choices=sorted(SIZES), default="argos")
    parser.add_argument("--repeat", type=int, default=3, help="pairs of quiet and busy runs")
    arguments = parser.parse_args()
    size: ModelSize = SIZES[arguments.size]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        package = build_package("ar", "nl", folder, size)
        print(
            f"model: {size.layers}+{size.layers} layers, d={size.width}, "
            f"{size.vocabulary} tokens, {size.quantization or 'float32'}; "
            f"built in {time.perf_counter() - started:.1f} s"
        )
        print(f"translation alone: {alone(package, folder, 20):.1f} sentences/s on one thread")
        # Quiet and busy runs take turns: this machine's own noise between runs is as
        # large as the effect, so the medians of several pairs are compared.
        quiet_p99: list[float] = []
        busy_p99: list[float] = []
        translated: list[float] = []
        for turn in range(1, arguments.repeat + 1):
            quiet, _ = bench_bot.run("sqlite", arguments)
            busy, more = bench_bot.run("sqlite", arguments, loaded(package, arguments.remarks))
            for name, measured in (("without translation", quiet), ("while translating", busy)):
                for figures in measured:
                    print(f"{turn}: bot {name}, {figures.line()}", flush=True)
            # The latency at a fixed rate is what the target compares (the last load).
            quiet_p99.append(quiet[-1].p99_ms)
            busy_p99.append(busy[-1].p99_ms)
            translated.append(more["sentences_per_second"])
    change = statistics.median(busy_p99) / statistics.median(quiet_p99) - 1
    print(
        f"background: {statistics.median(translated):.1f} sentences/s; median p99 at "
        f"{arguments.rate:g} updates/s {statistics.median(quiet_p99):.1f} ms without, "
        f"{statistics.median(busy_p99):.1f} ms while translating: {change:+.0%} "
        f"({'within' if change <= 0.2 else 'over'} the 20% target)"
    )


if __name__ == "__main__":
    main()
