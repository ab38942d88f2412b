"""Engine throughput: simulated parents walk the default flow; prints engine steps per second.

Run: python bench/engine.py [--parents N] [--seed S]
Target (issue: flow engine): at least 20,000 steps/s on one core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

# bench/bot.py sits beside this script and would shadow the `bot` package: look in
# the project folder first.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bot.engine.engine import Engine  # noqa: E402
from bot.engine.events import QuestionAsked  # noqa: E402
from bot.engine.flow import StepKind  # noqa: E402
from bot.engine.inputs import Choose, Command, CommandName, Input, Text  # noqa: E402
from bot.engine.state import Status  # noqa: E402
from bot.flowfiles.loader import load_flow  # noqa: E402
from bot.i18n.localizer import Localizers  # noqa: E402
from bot.settings import PROJECT_DIR  # noqa: E402

TYPED = {StepKind.TEXT: "Wij hebben geen printer.", StepKind.PHONE: "06 12345678"}


def answer(question: QuestionAsked, rng: random.Random) -> list[Input]:
    """Choose what a parent taps or types for one question, now and then going back."""
    if question.kind in TYPED:
        return [Text(TYPED[question.kind])]
    if question.kind is StepKind.SUMMARY:
        return [Command(CommandName.CONFIRM, seq=question.seq)]
    choices = [o.input for o in question.options if isinstance(o.input, Choose)]
    if rng.random() < 0.05:
        return [Command(CommandName.BACK)]
    if question.kind is StepKind.MULTI:
        picks = rng.sample(choices, k=rng.randint(1, 2))
        return [*picks, Command(CommandName.DONE, seq=question.seq)]
    return [rng.choice(choices)]


def main() -> None:
    """Walk the parents through the flow and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()

    flow = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow
    assert flow is not None, "the default flow does not load"
    localizers = Localizers(PROJECT_DIR / "locales")
    languages = list(flow.languages)
    for code in languages:
        localizers.get(code)  # catalogs are read once per process, not per parent
    engine = Engine()
    rng = random.Random(arguments.seed)

    steps = 0
    started = time.perf_counter()
    for parent in range(arguments.parents):
        texts = localizers.get(languages[parent % len(languages)])
        context = {"school": "16AH00"}
        state, events = engine.start(flow, language=texts.language, texts=texts, context=context)
        steps += 1
        while state.status is Status.ACTIVE:
            question = next(e for e in reversed(events) if isinstance(e, QuestionAsked))
            for given in answer(question, rng):
                state, events = engine.handle(flow, state, given, texts)
                steps += 1
    elapsed = time.perf_counter() - started
    print(f"parents: {arguments.parents}, engine steps: {steps}, seconds: {elapsed:.2f}")
    print(f"engine steps per second: {steps / elapsed:,.0f}")


if __name__ == "__main__":
    main()
