"""The `when:` condition language: what parses, what it means, and how it refuses."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine.expr import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Comparison,
    Condition,
    ExprError,
    Not,
    Or,
    Reference,
    parse,
)
from bot.engine.state import AnswerValue


def ev(source: str, answers: Mapping[str, AnswerValue]) -> bool | None:
    return parse(source).evaluate(answers)


def attempt(source: str) -> Condition | ExprError:
    """Parse, handing back an ExprError rather than raising it; anything else propagates."""
    try:
        return parse(source)
    except ExprError as problem:
        return problem


def error(source: str) -> ExprError:
    with pytest.raises(ExprError) as caught:
        parse(source)
    return caught.value


# ---- comparisons ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "answer", "expected"),
    [
        ("a == laptop", "laptop", True),
        ("a == laptop", "tablet", False),
        ("a == 'with space'", "with space", True),
        ('a == "double"', "double", True),
        ("a == 3", 3, True),
        ("a == 3", 4, False),
        ("a == -2", -2, True),
        ("a == 007", 7, True),
        ("a == 16AH00", "16AH00", True),
        ("a == '+31612345678'", "+31612345678", True),
        ("a != laptop", "tablet", True),
        ("a != laptop", "laptop", False),
        ("a != 3", 3, False),
    ],
)
def test_equality_compares_like_with_like(source: str, answer: AnswerValue, expected: bool) -> None:
    assert ev(source, {"a": answer}) is expected


@pytest.mark.parametrize(
    ("source", "answer"),
    [
        ("a == 3", "3"),  # a bare 3 is a number, never the text "3"
        ("a == '3'", 3),  # a quoted '3' is text, never the number 3
        ("a == laptop", ("laptop",)),  # a multi answer is tested with `has`
        ("a in [3, 4]", "3"),
    ],
)
def test_equality_across_types_is_false_and_inequality_true(
    source: str, answer: AnswerValue
) -> None:
    assert ev(source, {"a": answer}) is False
    assert ev(f"not {source}", {"a": answer}) is True
    negated = source.replace("==", "!=").replace(" in ", " not in ")
    assert ev(negated, {"a": answer}) is True


@pytest.mark.parametrize(
    ("op", "below", "equal", "above"),
    [
        ("<", False, False, True),
        ("<=", False, True, True),
        (">", True, False, False),
        (">=", True, True, False),
    ],
)
def test_ordering_compares_numbers(op: str, below: bool, equal: bool, above: bool) -> None:
    # Read as "answer op 5" with the answer 6, 5 and 4.
    assert ev(f"n {op} 5", {"n": 6}) is below
    assert ev(f"n {op} 5", {"n": 5}) is equal
    assert ev(f"n {op} 5", {"n": 4}) is above


@pytest.mark.parametrize("answer", ["5", "yes", ("5",), ()])
@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_ordering_a_non_number_is_false_not_an_exception(op: str, answer: AnswerValue) -> None:
    assert ev(f"n {op} 5", {"n": answer}) is False


def test_ordering_against_negative_numbers() -> None:
    assert ev("n > -1", {"n": 0}) is True
    assert ev("n <= -1", {"n": 0}) is False


@pytest.mark.parametrize(
    ("source", "answer", "expected"),
    [
        ("a in [bus, car]", "car", True),
        ("a in [bus, car]", "bike", False),
        ("a in (bus, car)", "bus", True),
        ("a in [bus]", "bus", True),
        ("a in [1, 2, 'three']", 2, True),
        ("a in [1, 2, 'three']", "three", True),
        ("a not in [bus, car]", "bike", True),
        ("a not in [bus, car]", "car", False),
        ("a not in (1, 2)", 3, True),
    ],
)
def test_membership(source: str, answer: AnswerValue, expected: bool) -> None:
    assert ev(source, {"a": answer}) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (("laptop", "phone"), True),
        (("phone",), False),
        ((), False),
        ("laptop", False),  # not a multi answer: `has` does not look inside text
        (3, False),
    ],
)
def test_has_looks_inside_a_multi_answer(answer: AnswerValue, expected: bool) -> None:
    assert ev("devices has laptop", {"devices": answer}) is expected


def test_has_takes_a_quoted_key() -> None:
    assert ev("devices has 'smart tv'", {"devices": ("smart tv",)}) is True
    assert ev("devices has '3'", {"devices": ("3",)}) is True


# ---- skipped and unknown answers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a == x", False),
        ("a == 3", False),
        ("a != x", True),
        ("a < 3", False),
        ("a >= 3", False),
        ("a in [x, y]", False),
        ("a not in [x, y]", True),
        ("a has x", False),
        ("not a == x", True),
    ],
)
def test_a_skipped_step_is_known_and_matches_nothing(source: str, expected: bool) -> None:
    assert ev(source, {"a": None}) is expected


@pytest.mark.parametrize(
    "source", ["a == x", "a != x", "a < 3", "a in [x]", "a not in [x]", "a has x", "not a == x"]
)
def test_a_step_not_answered_yet_is_unknown(source: str) -> None:
    assert ev(source, {}) is None
    assert ev(source, {"other": "x"}) is None


# T, F and U stand for a test that is true, false and unknown.
ATOMS = {"T": "t == yes", "F": "f == yes", "U": "u == yes"}
ANSWERS = {"t": "yes", "f": "no"}
KLEENE_AND = {
    ("T", "T"): True,
    ("T", "F"): False,
    ("T", "U"): None,
    ("F", "T"): False,
    ("F", "F"): False,
    ("F", "U"): False,
    ("U", "T"): None,
    ("U", "F"): False,
    ("U", "U"): None,
}
KLEENE_OR = {
    ("T", "T"): True,
    ("T", "F"): True,
    ("T", "U"): True,
    ("F", "T"): True,
    ("F", "F"): False,
    ("F", "U"): None,
    ("U", "T"): True,
    ("U", "F"): None,
    ("U", "U"): None,
}


@pytest.mark.parametrize(("operands", "expected"), KLEENE_AND.items())
def test_and_is_kleene(operands: tuple[str, str], expected: bool | None) -> None:
    left, right = operands
    assert ev(f"{ATOMS[left]} and {ATOMS[right]}", ANSWERS) is expected


@pytest.mark.parametrize(("operands", "expected"), KLEENE_OR.items())
def test_or_is_kleene(operands: tuple[str, str], expected: bool | None) -> None:
    left, right = operands
    assert ev(f"{ATOMS[left]} or {ATOMS[right]}", ANSWERS) is expected


@pytest.mark.parametrize(("atom", "expected"), [("T", False), ("F", True), ("U", None)])
def test_not_is_kleene(atom: str, expected: bool | None) -> None:
    assert ev(f"not {ATOMS[atom]}", ANSWERS) is expected


def test_a_long_chain_is_decided_by_any_one_operand() -> None:
    assert ev("u == 1 and v == 1 and f == yes and w == 1", ANSWERS) is False
    assert ev("u == 1 or v == 1 or t == yes or w == 1", ANSWERS) is True
    assert ev("u == 1 and t == yes", ANSWERS) is None


# ---- precedence and grouping ------------------------------------------------------------


def test_and_binds_tighter_than_or() -> None:
    # As (T or F) and F this would be False.
    assert ev("t == yes or f == yes and f == yes", ANSWERS) is True
    assert parse("a == 1 or b == 1 and c == 1").body == Or(
        (
            Comparison("a", 0, "==", (1,)),
            And((Comparison("b", 10, "==", (1,)), Comparison("c", 21, "==", (1,)))),
        )
    )


def test_not_binds_tighter_than_and() -> None:
    # As not (F and F) this would be True.
    assert ev("not f == yes and f == yes", ANSWERS) is False
    assert parse("not a == 1 and b == 1").body == And(
        (Not(Comparison("a", 4, "==", (1,))), Comparison("b", 15, "==", (1,)))
    )


def test_parentheses_group() -> None:
    assert ev("(t == yes or f == yes) and f == yes", ANSWERS) is False
    assert ev("not (f == yes and f == yes)", ANSWERS) is True
    assert ev("((t == yes))", ANSWERS) is True


def test_not_not_cancels() -> None:
    assert ev("not not t == yes", ANSWERS) is True


def test_not_in_and_not_before_a_test_mean_the_same() -> None:
    for answer in ("bus", "car", None):
        assert ev("a not in [bus]", {"a": answer}) == ev("not a in [bus]", {"a": answer})


# ---- lexical details --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "literal"),
    [
        (r"a == 'it\'s'", "it's"),
        (r'a == "say \"hi\""', 'say "hi"'),
        (r"a == 'back\\slash'", "back\\slash"),
        (r"a == '\\'", "\\"),
        ("a == 'and'", "and"),  # a quoted keyword is an ordinary value
        ("a == ''", ""),
        ("a == 'é ü'", "é ü"),
        ("a == -12", -12),
        ("a == none", "none"),
        ("a == AND", "AND"),  # keywords are lowercase only
    ],
)
def test_literals(source: str, literal: str | int) -> None:
    [reference] = parse(source).references()
    assert reference.literals == (literal,)


def test_whitespace_is_optional_and_may_span_lines() -> None:
    assert ev("a==x and(b!=y)", {"a": "x", "b": "z"}) is True
    assert ev("a == x\n  and\tb in[1,2]", {"a": "x", "b": 2}) is True


def test_step_ids_may_contain_digits_and_underscores() -> None:
    assert ev("_child_2 == yes", {"_child_2": "yes"}) is True


# ---- the parsed result ------------------------------------------------------------------


def test_parse_returns_a_condition_remembering_its_source() -> None:
    condition = parse("  a == x  ")
    assert isinstance(condition, Condition)
    assert condition.source == "  a == x  "
    assert str(condition) == "  a == x  "
    assert condition.body == Comparison("a", 2, "==", ("x",))


def test_parsed_conditions_are_values() -> None:
    assert parse("a == x") == parse("a == x")
    assert hash(parse("a in [1, 2]")) == hash(parse("a in [1, 2]"))
    assert parse("a == x") != parse("a==x")  # the source differs


def test_references_name_each_test_in_source_order() -> None:
    source = "school == 16AH00 and (kids >= 2 or not devices has laptop) and lang in [nl, 'en']"
    assert list(parse(source).references()) == [
        Reference("school", 0, ("16AH00",)),
        Reference("kids", 22, (2,)),
        Reference("devices", 39, ("laptop",)),
        Reference("lang", 63, ("nl", "en")),
    ]


def test_references_repeat_a_step_tested_twice() -> None:
    assert [r.position for r in parse("a == x or a == y").references()] == [0, 10]


# ---- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "position", "message"),
    [
        ("", 0, "the condition is empty"),
        ("   ", 0, "the condition is empty"),
        ("a ==", 4, "expected a value after '==' but found the end"),
        ("a == ", 5, "expected a value after '==' but found the end"),
        ("a == and", 5, "expected a value after '==' but found 'and' (quote a keyword"),
        ("(a == b", 7, "expected ')' to close the '(' at position 0 but found the end"),
        ("a == b)", 6, "this ')' has no matching '('"),
        ("()", 1, "expected a condition after '(' but found ')'"),
        ("a in []", 5, "the list is empty"),
        ("a in ()", 5, "the list is empty"),
        ("a in x", 5, "expected a list such as [a, b] after 'in' but found 'x'"),
        ("a in [x, y)", 10, "expected ',' or ']' in the list after 'y' but found ')'"),
        ("a in (x y)", 8, "expected ',' or ')' in the list after 'x' but found 'y'"),
        ("a in [x,]", 8, "expected a value after ',' but found ']'"),
        ("a in [x", 7, "expected ',' or ']' in the list after 'x' but found the end"),
        ("a not b", 6, "expected 'in' after 'not' but found 'b'"),
        ("in == 3", 0, "'in' is a keyword and cannot be a step id"),
        ("has != x", 0, "'has' is a keyword and cannot be a step id"),
        ("3 == a", 0, "expected a step id before a comparison but found '3'"),
        ("'a' == a", 0, "expected a step id before a comparison but found the text 'a'"),
        ("a", 1, "'a' alone is not a condition"),
        ("a and b == c", 2, "'a' alone is not a condition"),
        ("(a) or b == c", 2, "'a' alone is not a condition"),
        ("f(x)", 1, "expected a comparison such as '==', 'in' or 'has' after 'f' but found '('"),
        ("a == b c == d", 7, "expected 'and', 'or' or the end after 'b' but found 'c'"),
        ("a == b == c", 7, "expected 'and', 'or' or the end after 'b' but found '=='"),
        (
            "a == b AND c == d",
            7,
            "expected 'and', 'or' or the end after 'b' but found 'AND' (keywords are lowercase)",
        ),
        ("a == b and", 10, "expected a condition after 'and' but found the end"),
        ("a == b or or", 10, "expected a condition after 'or' but found 'or'"),
        ("not", 3, "expected a condition after 'not' but found the end"),
        (")", 0, "expected a condition but found ')'"),
        ("a < yes", 4, "'<' compares numbers; 'yes' is not one"),
        ("a >= '3'", 5, "'>=' compares numbers; the text '3' is not one"),
        ("a has 3", 6, "'has' takes a choice key; write it in quotes: '3'"),
        ("a == 'open", 5, "this text is never closed; end it with '"),
        ('a == "open', 5, 'this text is never closed; end it with "'),
        (r"a == 'escaped\'", 5, "this text is never closed"),
        (r"a == 'new\nline'", 9, r"unknown escape '\n'"),
        ("a = b", 2, "'=' is not an operator; write '==' to compare"),
        ("a === b", 4, "'=' is not an operator"),
        ("!a == b", 0, "'!' is not an operator"),
        ("a == -", 5, "'-' must start a negative number"),
        ("a == after-school", 10, "'-' must start a negative number"),
        ("a == -x", 5, "'-' must start a negative number"),
        ("a == $x", 5, "unexpected character '$'"),
        ("a == b & c == d", 7, "unexpected character '&'"),
        ("stap_é == 1", 5, "unexpected character 'é'"),
        ("a == b\x00", 6, r"unexpected character '\x00'"),
    ],
)
def test_errors_say_what_is_wrong_and_where(source: str, position: int, message: str) -> None:
    problem = error(source)
    assert problem.message.startswith(message)
    assert problem.position == position


def test_an_error_is_a_value_error_whose_text_names_the_position() -> None:
    problem = error("a ==")
    assert isinstance(problem, ValueError)
    assert str(problem) == "expected a value after '==' but found the end (at position 4)"


def test_the_source_length_is_limited() -> None:
    fits = "a == " + "x" * (MAX_LENGTH - 5)
    assert ev(fits, {"a": "x" * (MAX_LENGTH - 5)}) is True
    problem = error(fits + "x")
    assert problem.message == "the condition is longer than 1,000 characters"
    assert problem.position == MAX_LENGTH


@pytest.mark.parametrize(
    ("opening", "closing", "levels"),
    [("(", ")", 1), ("not ", "", 1), ("not (", ")", 2), ("(not ", ")", 2)],
)
def test_parentheses_and_not_nest_to_a_limit(opening: str, closing: str, levels: int) -> None:
    def nested(repeat: int) -> str:
        return opening * repeat + "a == x" + closing * repeat

    deepest = MAX_DEPTH // levels
    assert ev(nested(deepest), {"a": "x"}) is not None
    problem = error(nested(deepest + 1))
    assert problem.message == f"the condition nests deeper than {MAX_DEPTH} levels"
    # The level one too deep is the first token of the last repetition.
    assert problem.position == len(opening) * deepest


def test_a_parenthesised_list_is_not_nesting() -> None:
    source = "(" * MAX_DEPTH + "a in (x, y)" + ")" * MAX_DEPTH
    assert ev(source, {"a": "y"}) is True


def test_a_long_flat_chain_is_not_nesting() -> None:
    chain = " and ".join(f"s{i} == 1" for i in range(70))
    assert len(chain) <= MAX_LENGTH
    assert ev(chain, {f"s{i}": 1 for i in range(70)}) is True
    assert ev(chain.replace(" and ", " or "), {}) is None


@pytest.mark.parametrize(
    "source",
    [
        "(" * MAX_LENGTH,
        "not " * (MAX_LENGTH // 4),
        "'" * MAX_LENGTH,
        "\\" * MAX_LENGTH,
        "'" + "\\'" * (MAX_LENGTH // 2 - 1),
        " and ".join(["a == x"] * 90),
        "a in [" + ",".join(["x"] * 490) + "]",
    ],
)
def test_the_worst_inputs_are_handled_without_crashing(source: str) -> None:
    # Speed is the benchmarks' business; here only that nothing but ExprError escapes.
    result = attempt(source)
    assert isinstance(result, Condition | ExprError)


# ---- properties -------------------------------------------------------------------------

# Fragments that make random input look like conditions, so the parser gets past the
# first token often enough to reach its deeper paths.
FRAGMENTS = [
    *["a", "b", "x", "3", "-1", "16AH", "and", "or", "not", "in", "has", "AND"],
    *["==", "!=", "<", "<=", ">", ">=", "=", "!", "-"],
    *["(", ")", "[", "]", ",", "'", '"', "\\", "'x'", '"y"', " ", "\n", "é", "\x00"],
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_LENGTH + 20))
def test_random_text_raises_nothing_but_expr_error(source: str) -> None:
    result = attempt(source)
    if isinstance(result, ExprError):
        assert 0 <= result.position <= max(len(source), MAX_LENGTH)
        assert result.message


@settings(max_examples=500, deadline=None)
@given(st.builds(str.join, st.sampled_from(["", " "]), st.lists(st.sampled_from(FRAGMENTS))))
def test_random_token_soup_raises_nothing_but_expr_error(source: str) -> None:
    result = attempt(source)
    if isinstance(result, ExprError):
        assert 0 <= result.position <= len(source)


STEPS = ["a", "b", "c"]
ANSWER_VALUES = st.one_of(
    st.none(),
    st.sampled_from(["x", "y", "3"]),
    st.integers(-2, 4),
    st.lists(st.sampled_from(["x", "y"]), max_size=2, unique=True).map(tuple),
)
LITERALS = st.sampled_from(["x", "y", "'x'", '"3"', "3", "-1", "0"])
TESTS = st.one_of(
    st.builds(
        "{} {} {}".format,
        st.sampled_from(STEPS),
        st.sampled_from(["==", "!="]),
        LITERALS,
    ),
    st.builds(
        "{} {} {}".format, st.sampled_from(STEPS), st.sampled_from(["<", ">="]), st.integers(-2, 4)
    ),
    st.builds("{} has {}".format, st.sampled_from(STEPS), st.sampled_from(["x", "'y'"])),
    st.builds(
        "{} {} [{}]".format,
        st.sampled_from(STEPS),
        st.sampled_from(["in", "not in"]),
        st.lists(LITERALS, min_size=1, max_size=3).map(", ".join),
    ),
)
CONDITIONS = st.recursive(
    TESTS,
    lambda inner: st.one_of(
        inner.map("not {}".format),
        inner.map("({})".format),
        st.builds("{} and {}".format, inner, inner),
        st.builds("{} or {}".format, inner, inner),
    ),
    max_leaves=8,
)
ANSWER_SETS = st.dictionaries(st.sampled_from(STEPS), ANSWER_VALUES)

# Unknown sits between False and True: `and` takes the least, `or` the greatest.
RANK = {False: 0, None: 1, True: 2}


@given(CONDITIONS, ANSWER_SETS)
def test_every_generated_condition_parses_and_evaluates(
    source: str, answers: dict[str, AnswerValue]
) -> None:
    result = parse(source).evaluate(answers)
    assert result in (True, False, None)
    if set(STEPS) <= answers.keys():
        assert result is not None


@given(CONDITIONS, CONDITIONS, ANSWER_SETS)
def test_and_or_not_combine_like_kleene_logic(
    left: str, right: str, answers: dict[str, AnswerValue]
) -> None:
    x, y = ev(left, answers), ev(right, answers)
    assert ev(f"({left}) and ({right})", answers) is min(x, y, key=RANK.__getitem__)
    assert ev(f"({left}) or ({right})", answers) is max(x, y, key=RANK.__getitem__)
    assert ev(f"not ({left})", answers) is (None if x is None else not x)


@given(CONDITIONS, ANSWER_SETS, ANSWER_SETS)
def test_a_known_outcome_never_changes_as_more_answers_arrive(
    source: str, earlier: dict[str, AnswerValue], later: dict[str, AnswerValue]
) -> None:
    condition = parse(source)
    before = condition.evaluate(earlier)
    if before is not None:
        assert condition.evaluate({**later, **earlier}) is before


@given(CONDITIONS)
def test_references_point_at_the_step_ids_in_the_source(source: str) -> None:
    for reference in parse(source).references():
        assert source[reference.position :].startswith(reference.step_id)
