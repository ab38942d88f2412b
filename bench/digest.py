"""Digest building and rendering for every primary school: prints seconds and peak memory.

Run: python bench/digest.py [--schools N] [--families N] [--seed S] [--schools-file CSV]
(the national list lies beside the project, in ../shared/data/duo/, as for the tests)
Target (issue: school digests): all 6,122 primary schools of the 2026 DUO list with 50
families each, built and rendered for Telegram, e-mail and CSV (not sent), in at most
30 seconds and 500 MB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# bench/bot.py sits beside this script and would shadow the `bot` package: look in
# the project folder first.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bot.digests.build import Dates, build_digest  # noqa: E402
from bot.digests.model import Record  # noqa: E402
from bot.digests.render import csv_table, mail_body, telegram_parts  # noqa: E402
from bot.engine.flow import Flow, StepKind  # noqa: E402
from bot.flowfiles.loader import load_flow  # noqa: E402
from bot.i18n.localizer import Localizers  # noqa: E402
from bot.schools.duo import read_duo  # noqa: E402
from bot.settings import PROJECT_DIR  # noqa: E402

SCHOOLS_FILE = (
    PROJECT_DIR.parent
    / "shared"
    / "data"
    / "duo"
    / "alle-schoolvestigingen-basisonderwijs-2026.csv"
)
REMARKS = ("Wij hebben geen printer.", "ابني ليس لديه مكتب", "Oğlumun masası yok", "")
LANGUAGES = ("nl", "ar", "tr", "pl", "uk", "en")


def answers(flow: Flow, rng: random.Random) -> dict[str, Any]:
    """Return a plausible family's answers to the default flow."""
    given: dict[str, Any] = {}
    for step in flow.steps:
        if not step.answered or (step.optional and rng.random() < 0.3):
            continue
        if step.kind is StepKind.MULTI:
            given[step.id] = [c.key for c in rng.sample(step.choices, k=1)]
        elif step.kind is StepKind.CHOICE:
            given[step.id] = rng.choice(step.choices).key
        elif step.kind in (StepKind.YESNO, StepKind.CONSENT):
            given[step.id] = rng.choice(("yes", "no"))
        elif step.kind is StepKind.TEXT:
            given[step.id] = rng.choice(REMARKS) or None
        elif step.kind is StepKind.PHONE:
            given[step.id] = f"+3161234{rng.randrange(10_000):04d}"
    given["consent"] = "yes"
    return {k: v for k, v in given.items() if v is not None}


def main() -> None:
    """Build and render every school's digest; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=0, help="only the first N (0: all)")
    parser.add_argument("--families", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--schools-file", type=Path, default=SCHOOLS_FILE)
    arguments = parser.parse_args()

    if not arguments.schools_file.is_file():
        parser.error(f"no DUO list at {arguments.schools_file}; give one with --schools-file")
    flow = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow
    assert flow is not None, "the default flow does not load"
    schools = list(read_duo(arguments.schools_file))
    if arguments.schools:
        schools = schools[: arguments.schools]
    dutch = Localizers(PROJECT_DIR / "locales").get("nl")
    rng = random.Random(arguments.seed)
    # Answers are made up front: the benchmark measures the digest, not the random numbers.
    families = [
        [answers(flow, rng) for _ in range(arguments.families)]
        for _ in range(min(len(schools), 50))
    ]
    start_of_day = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    flows = {flow.revision: flow}.get
    dates = Dates("nl")

    started = time.perf_counter()
    characters = messages = 0
    response_id = 0
    for index, school in enumerate(schools):
        records = []
        for given in families[index % len(families)]:
            response_id += 1
            records.append(
                Record(
                    response_id=response_id,
                    session_id=response_id,
                    flow_revision=flow.revision,
                    language=LANGUAGES[response_id % len(LANGUAGES)],
                    answers=given,
                    completed_at=start_of_day + timedelta(seconds=response_id % 30_000),
                    telegram_user_id=10_000_000 + response_id,
                )
            )
        digest = build_digest(
            f"{school.name}, {school.town}", start_of_day, records, [], flows, dutch, {}, dates
        )
        parts = telegram_parts(digest, dutch)
        body = mail_body(digest, dutch)
        table = csv_table(digest, dutch)
        messages += len(parts)
        characters += sum(len(p.text) for p in parts) + len(body) + len(table)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"schools: {len(schools)}, families: {response_id}")
    print(f"Telegram messages: {messages}, characters rendered: {characters:,}")
    print(f"seconds: {elapsed:.1f}")
    print(f"peak memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
