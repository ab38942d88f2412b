"""XLSForm `relevant` and `constraint` said in the flow's own words, or refused with a reason."""

from __future__ import annotations

import pytest

from bot.engine.expr import parse
from bot.engine.flow import StepKind
from bot.flowimport.constraints import Range, constraint_range
from bot.flowimport.expressions import Target, translate
from bot.flowimport.languages import language_code
from bot.flowimport.names import Namer, flow_id
from bot.flowimport.tokens import UntranslatableError

TARGETS = {
    "laptop": Target("laptop", StepKind.CHOICE, {"yes": "yes", "no": "no", "1": "c_1"}),
    "devices": Target("devices", StepKind.MULTI, {"tablet": "tablet", "none": "none"}),
    "kids": Target("kids", StepKind.NUMBER),
    "remark": Target("remark", StepKind.TEXT),
}


@pytest.mark.parametrize(
    ("xlsform", "when"),
    [
        ("${laptop} = 'no'", "laptop == no"),
        ("${laptop}='1'", "laptop == c_1"),
        ("${laptop} = ‘yes’", "laptop == yes"),
        ("${laptop} != 'yes'", "laptop != yes"),
        ("selected(${devices}, 'none')", "devices has none"),
        ("selected(${laptop}, 'no')", "laptop == no"),
        ("not(selected(${devices}, 'tablet'))", "not (devices has tablet)"),
        ("${kids} >= 3", "kids >= 3"),
        ("2 < ${kids}", "kids > 2"),
        ("${remark} = 'geen'", "remark == 'geen'"),
        (
            "${laptop} = 'no' and (${kids} > 2 or selected(${devices}, 'none'))",
            "laptop == no and (kids > 2 or devices has none)",
        ),
    ],
)
def test_a_relevant_becomes_a_when_the_flow_accepts(xlsform: str, when: str) -> None:
    translated = translate(xlsform, TARGETS)

    assert translated == when
    parse(translated)


@pytest.mark.parametrize(
    ("xlsform", "why"),
    [
        ("${gone} = 'x'", "not a question asked before"),
        ("${laptop} = 'maybe'", "'maybe' is not a choice"),
        ("${devices} = 'none'", "selected("),
        ("${kids} > 2.5", "whole-number"),
        ("regex(${remark}, 'x')", "'regex' has no equivalent"),
        ("${remark} != ''", "empty answer"),
        ("${laptop} > 'yes'", "compares numbers"),
        (". = 'yes'", "own answer"),
        ("${laptop} = 'yes' and", "expected"),
    ],
)
def test_what_cannot_be_said_is_refused_with_a_reason(xlsform: str, why: str) -> None:
    with pytest.raises(UntranslatableError) as raised:
        translate(xlsform, TARGETS)

    assert why in str(raised.value)


@pytest.mark.parametrize(
    ("constraint", "kind", "expected"),
    [
        (". >= 1 and . <= 12", StepKind.NUMBER, Range(1, 12)),
        ("(. > 0) and (. < 100)", StepKind.NUMBER, Range(1, 99)),
        ("18 <= .", StepKind.NUMBER, Range(18, None)),
        ("string-length(.) <= 200", StepKind.TEXT, Range(None, 200)),
        ("count-selected(.) <= 2", StepKind.MULTI, Range(None, 2)),
    ],
)
def test_a_range_constraint_becomes_bounds(
    constraint: str, kind: StepKind, expected: Range
) -> None:
    assert constraint_range(constraint, kind) == expected


@pytest.mark.parametrize(
    "constraint",
    [". < ${radius}", ". > 3 or . < 1", "regex(., '^[0-9]+$')", ". != 4", ". > 5 and . < 3"],
)
def test_other_constraints_are_refused(constraint: str) -> None:
    with pytest.raises(UntranslatableError):
        constraint_range(constraint, StepKind.NUMBER)


def test_names_become_unique_ids_the_bot_accepts() -> None:
    namer = Namer("q", 48)

    ids = [namer.name(n) for n in ("Seedling_1", "seedling-1", "_1", "2022", "label-test")]

    assert ids == ["seedling_1", "seedling_1_2", "q_1", "q_2022", "label_test"]
    assert flow_id("Spec test") == "spec_test"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("English (en)", "en"),
        ("Swahili (sw)", "sw"),
        ("chinese", "zh"),
        ("Português (pt-BR)", "pt_BR"),
        ("Klingon (tlh)", None),
        ("Elvish", None),
    ],
)
def test_a_language_column_names_its_code(written: str, code: str | None) -> None:
    assert language_code(written) == code
