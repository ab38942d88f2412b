"""The engine, step kind by step kind, through its public start/handle API."""

from __future__ import annotations

import gettext
import json
from collections.abc import Sequence
from typing import TypeVar

import pytest

from bot.engine.engine import Engine
from bot.engine.events import (
    STALE,
    AnswerRecorded,
    AnswerRejected,
    AnswersDropped,
    Event,
    FlowCompleted,
    FlowDeclined,
    InputIgnored,
    MessageShown,
    QuestionAsked,
)
from bot.engine.expr import parse
from bot.engine.flow import Choice, Flow, Step, StepKind
from bot.engine.inputs import Choose, Command, CommandName, Input, Text
from bot.engine.state import SEQ_LIMIT, SchoolMatch, SessionState, Status
from bot.i18n.localizer import LanguageCatalog

NL = LanguageCatalog("nl", gettext.NullTranslations())
BACK = Command(CommandName.BACK)
SKIP = Command(CommandName.SKIP)
DONE = Command(CommandName.DONE)
CONFIRM = Command(CommandName.CONFIRM)


def step(id: str, kind: StepKind, **fields: object) -> Step:
    when = fields.pop("when", None)
    keys: tuple[str, ...] = fields.pop("choices", ())  # type: ignore[assignment]
    choices = tuple(Choice(key, key.title(), exclusive=key == "none") for key in keys)
    return Step(
        id=id,
        kind=kind,
        text=str(fields.pop("text", f"Vraag {id}?")),
        choices=choices,
        when=parse(when) if isinstance(when, str) else None,
        **fields,  # type: ignore[arg-type]
    )


def flow(*steps: Step) -> Flow:
    return Flow(
        id="test", version=3, source_language="nl", languages=("nl",), steps=steps, revision="r1"
    )


HOME = flow(
    step("welcome", StepKind.MESSAGE, text="Welkom."),
    step("consent", StepKind.CONSENT, declined="Jammer."),
    step("devices", StepKind.MULTI, choices=("laptop", "tablet", "none")),
    step("shared", StepKind.YESNO, when="not devices has none"),
    step("internet", StepKind.CHOICE, choices=("good", "slow", "none")),
    step("kids", StepKind.NUMBER, min=1, max=8),
    step("remarks", StepKind.TEXT, optional=True, max_length=20),
    step("phone", StepKind.PHONE, when="internet != good"),
    step("summary", StepKind.SUMMARY, text="Klopt dit?"),
    step("thanks", StepKind.MESSAGE, text="Dank u."),
)


class Conversation:
    """A parent talking to the engine; keeps the state and the last events."""

    def __init__(self, definition: Flow = HOME, **start: object) -> None:
        self.flow = definition
        self.engine = Engine(start.pop("schools", None))  # type: ignore[arg-type]
        self.state, self.events = self.engine.start(
            definition,
            language="nl",
            texts=NL,
            **start,  # type: ignore[arg-type]
        )

    def send(self, *inputs: Input | str) -> list[Event]:
        for given in inputs:
            if isinstance(given, str):
                given = Text(given)
            self.state, self.events = self.engine.handle(self.flow, self.state, given, NL)
        return self.events

    @property
    def question(self) -> QuestionAsked:
        asked = [e for e in self.events if isinstance(e, QuestionAsked)]
        assert asked, f"no question in {self.events}"
        return asked[-1]

    def rejected(self) -> str:
        reasons = [e.reason for e in self.events if isinstance(e, AnswerRejected)]
        assert reasons, f"nothing rejected in {self.events}"
        return reasons[-1]


E = TypeVar("E")


def of_type(events: Sequence[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def test_start_shows_the_message_then_asks_the_first_question() -> None:
    talk = Conversation()
    assert isinstance(talk.events[0], MessageShown)
    assert talk.events[0].text == "Welkom."
    assert talk.question.step_id == "consent"
    assert [o.label for o in talk.question.options] == ["Ja, ik doe mee", "Nee, liever niet"]


def test_declining_consent_ends_politely_and_keeps_nothing() -> None:
    talk = Conversation()
    events = talk.send(Choose("no"))
    assert of_type(events, FlowDeclined)
    assert [e.text for e in of_type(events, MessageShown)] == ["Jammer."]
    assert talk.state.status is Status.DECLINED
    assert talk.state.answers == {}
    assert talk.send("1") == [InputIgnored("finished")]


def test_a_whole_flow_completes_with_choice_keys() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"), Choose("tablet"), DONE)
    talk.send(Choose("no"), Choose("slow"), "3", "Geen printer", "06 12345678")
    assert talk.question.kind is StepKind.SUMMARY
    events = talk.send(CONFIRM)
    completed = of_type(events, FlowCompleted)[0]
    assert completed.answers == {
        "consent": "yes",
        "devices": ("laptop", "tablet"),
        "shared": "no",
        "internet": "slow",
        "kids": 3,
        "remarks": "Geen printer",
        "phone": "+31612345678",
    }
    assert [e.text for e in of_type(events, MessageShown)] == ["Dank u."]
    assert talk.state.status is Status.COMPLETED


def test_typed_numbers_pick_options_and_several_on_one_line() -> None:
    talk = Conversation()
    talk.send("1", "1,2")
    assert talk.state.answers["devices"] == ("laptop", "tablet")
    talk.send("Nee")  # a label typed instead of tapped
    assert talk.state.answers["shared"] == "no"


def test_multi_toggles_and_an_exclusive_choice_stands_alone() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"), Choose("tablet"))
    assert [o.selected for o in talk.question.options][:3] == [True, True, False]
    talk.send(Choose("none"))
    assert talk.state.pending == ("none",)
    talk.send(Choose("laptop"))
    assert talk.state.pending == ("laptop",)
    talk.send(Choose("laptop"))
    assert not talk.state.pending


def test_multi_needs_at_least_one_choice() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), DONE)
    assert talk.rejected() == "Kies minstens 1 antwoord. Tik daarna op Klaar."
    assert talk.question.step_id == "devices"


def test_a_condition_skips_a_step_and_progress_counts_only_asked_steps() -> None:
    talk = Conversation()
    talk.send(Choose("yes"))
    # consent, devices, shared, internet, kids, remarks, phone: 7 may still be asked.
    assert talk.question.progress is not None
    assert (talk.question.progress.current, talk.question.progress.total) == (2, 7)
    talk.send(Choose("none"), DONE)
    assert talk.question.step_id == "internet"
    assert talk.question.progress.total == 6
    assert talk.question.progress_text == "Vraag 3 van 6"
    talk.send(Choose("good"))
    assert talk.question.progress.total == 5


def test_invalid_number_is_rejected_with_a_hint_and_asked_again() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("none"), DONE, Choose("good"))
    assert talk.question.hint == "Typ een getal van 1 tot 8."
    talk.send("twaalf")
    assert talk.rejected() == "Typ alleen een getal, met cijfers."
    talk.send("12")
    assert talk.rejected() == "Typ een getal van 1 tot 8."
    assert talk.question.step_id == "kids"
    talk.send("٣")  # Arabic-Indic digit three
    assert talk.state.answers["kids"] == 3


def test_text_too_long_and_phone_invalid_are_rejected() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("none"), DONE, Choose("slow"), "2")
    talk.send("x" * 21)
    assert talk.rejected() == "Uw tekst is te lang. Gebruik niet meer dan 20 tekens."
    talk.send(SKIP)
    assert talk.state.answers["remarks"] is None
    talk.send("12")
    assert talk.rejected().startswith("Dit telefoonnummer klopt niet")
    talk.send("+44 20 7946 0958")
    assert talk.state.answers["phone"] == "+442079460958"


@pytest.mark.parametrize(
    "invisible",
    [
        "\u200b",
        "\u200c\u200d",
        "\u2060",
        "\ufeff",
        " \u200b \n\t",
        "\x00\x07",
        "\u3164",
        "\u00ad",
        "\u0301",
    ],
    ids=["zwsp", "zwnj-zwj", "word-joiner", "bom", "mixed", "controls", "filler", "shy", "mark"],
)
def test_a_remark_of_only_invisible_characters_is_asked_again(invisible: str) -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("none"), DONE, Choose("slow"), "2")

    talk.send(invisible)

    assert talk.rejected() == "Typ een antwoord."
    assert talk.question.step_id == "remarks"
    assert "remarks" not in talk.state.answers


def test_a_remark_keeps_its_words_without_invisible_edges() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("none"), DONE, Choose("slow"), "2")

    talk.send("\u200b Geen cafe\u0301 \ufeff")

    assert talk.state.answers["remarks"] == "Geen cafe\u0301"


def test_a_required_question_cannot_be_skipped() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), SKIP)
    assert talk.rejected() == "Deze vraag kunt u niet overslaan."


def test_back_returns_to_the_previous_question_actually_asked() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("none"), DONE)  # 'shared' is not asked
    assert talk.question.step_id == "internet"
    talk.send(BACK)
    assert talk.question.step_id == "devices"
    assert talk.state.pending == ("none",)  # the earlier answer is preselected
    talk.send(BACK, BACK)
    assert talk.rejected() == "Dit is de eerste vraag."


def test_changing_an_answer_from_the_summary_drops_what_no_longer_applies() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"), DONE, Choose("yes"), Choose("slow"), "2")
    talk.send(SKIP, "0612345678")
    summary = talk.question
    assert summary.kind is StepKind.SUMMARY
    assert "• Vraag internet?: Slow" in summary.text
    change_internet = next(o for o in summary.options if o.label == "Verander: Vraag internet?")
    talk.send(change_internet.input)
    assert talk.question.step_id == "internet"
    events = talk.send(Choose("good"))
    assert AnswersDropped(("phone",)) in events
    assert "phone" not in talk.state.answers
    assert talk.question.kind is StepKind.SUMMARY


def test_a_change_that_makes_a_new_question_apply_asks_it_before_the_summary() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"), DONE, Choose("no"), Choose("good"), "2", SKIP)
    talk.send(Command(CommandName.CHANGE, "internet"), Choose("none"))
    assert talk.question.step_id == "phone"
    talk.send("0612345678")
    assert talk.question.kind is StepKind.SUMMARY


def test_restart_drops_every_answer_and_starts_again() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"))
    events = talk.send(Command(CommandName.RESTART))
    assert AnswersDropped(("consent",)) in events
    assert talk.question.step_id == "consent"
    assert talk.state.answers == {}


def test_a_button_from_an_old_question_is_ignored() -> None:
    talk = Conversation()
    old = talk.question.options[0].input
    talk.send(old)
    assert talk.send(old) == [InputIgnored(STALE)]
    assert talk.state.current == "devices"
    assert talk.state.answers == {"consent": "yes"}


def test_the_question_count_wraps_so_a_button_never_outgrows_its_data() -> None:
    talk = Conversation()
    talk.state = talk.state.with_changes(seq=SEQ_LIMIT - 1)

    talk.send(Choose("yes", seq=SEQ_LIMIT - 1))

    assert talk.state.seq == 0
    assert talk.question.seq == 0
    talk.send(talk.question.options[0].input)
    assert talk.state.pending == ("laptop",)


def test_state_survives_a_json_round_trip_mid_flow() -> None:
    talk = Conversation()
    talk.send(Choose("yes"), Choose("laptop"))
    data = json.loads(json.dumps(talk.state.to_json()))
    assert data["flow_id"] == "test"
    assert data["flow_version"] == 3
    restored = SessionState.from_json(data)
    assert restored == talk.state
    talk.state = restored
    talk.send(DONE)
    assert talk.state.answers["devices"] == ("laptop",)


def test_every_field_of_a_state_survives_a_json_round_trip() -> None:
    state = SessionState(
        flow_id="test",
        flow_version=3,
        flow_revision="abc",
        language="ar",
        status=Status.DECLINED,
        current="devices",
        answers={"consent": "yes", "devices": ("laptop", "tablet"), "children": 2},
        history=("consent", "devices"),
        pending=("phone",),
        context={"school": "16AH00"},
        school_matches=(SchoolMatch("16AH00", "De Regenboog", "Utrecht"),),
        known={"internet": "no", "help": ("reading",)},
        return_to="summary",
        seq=7,
    )
    defaults = SessionState(flow_id="test", flow_version=3, flow_revision="", language="nl")
    # Every field differs from its default, so one that to_json forgot would show here.
    assert all(
        getattr(state, name) != getattr(defaults, name)
        for name in SessionState.__dataclass_fields__
        if name not in {"flow_id", "flow_version"}
    )
    assert SessionState.from_json(json.loads(json.dumps(state.to_json()))) == state


class Directory:
    def __init__(self) -> None:
        self.schools = [
            SchoolMatch("16AH00", "De Regenboog", "Utrecht"),
            SchoolMatch("17BX01", "De Regenboog", "Zwolle"),
        ]

    def search(self, query: str, limit: int) -> list[SchoolMatch]:
        return [s for s in self.schools if query.lower() in f"{s.name} {s.town}".lower()][:limit]

    def get(self, code: str) -> SchoolMatch | None:
        return next((s for s in self.schools if s.code == code), None)


SCHOOLED = flow(
    step("consent", StepKind.CONSENT),
    step("school", StepKind.SCHOOL),
    step("summary", StepKind.SUMMARY),
)


def test_school_from_the_link_is_answered_without_asking() -> None:
    talk = Conversation(SCHOOLED, context={"school": "16AH00"}, schools=Directory())
    events = talk.send(Choose("yes"))
    assert AnswerRecorded("school", "16AH00") in events
    assert talk.question.kind is StepKind.SUMMARY
    assert talk.question.progress is None


def test_school_is_looked_up_by_name_and_offered_as_buttons() -> None:
    talk = Conversation(SCHOOLED, schools=Directory())
    talk.send(Choose("yes"))
    assert talk.question.progress is not None
    assert talk.question.progress.total == 2
    talk.send("regenboog")
    labels = [o.label for o in talk.question.options]
    assert labels == [
        "De Regenboog, Utrecht",
        "De Regenboog, Zwolle",
        "Mijn school staat er niet bij",
    ]
    talk.send("2")
    assert talk.state.answers["school"] == "17BX01"
    assert "• Vraag school?: De Regenboog, Zwolle" in talk.question.text


def test_a_school_not_found_can_be_kept_for_the_coordinator() -> None:
    talk = Conversation(SCHOOLED, schools=Directory())
    talk.send(Choose("yes"), "Onbekende School")
    assert talk.rejected().startswith("Wij vinden geen school")
    talk.send(Choose("not_listed"))
    assert talk.state.answers["school"] == "not_listed"
    assert talk.state.context["school_query"] == "Onbekende School"
    assert "staat niet in de lijst (Onbekende School)" in talk.question.text


class Marking:
    """A Localizer that marks every text it translates, to prove nothing bypasses it."""

    language = "xx"

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"«{singular if n == 1 else plural}»"

    def pgettext(self, context: str, message: str) -> str:
        return f"«{context}|{message}»"

    def format_number(self, number: int) -> str:
        return f"#{number}"

    def format_list(self, items: Sequence[str]) -> str:
        return " & ".join(items)

    def isolate(self, text: str) -> str:
        return text


@pytest.mark.parametrize("answers", [(), (Choose("yes"),), (Choose("yes"), Choose("laptop"))])
def test_every_text_a_parent_sees_goes_through_the_localizer(answers: tuple[Input, ...]) -> None:
    engine = Engine()
    state, events = engine.start(HOME, language="xx", texts=Marking())
    for given in answers:
        state, events = engine.handle(HOME, state, given, Marking())
    question = [e for e in events if isinstance(e, QuestionAsked)][-1]
    assert question.text.startswith(f"«test:{question.step_id}|")
    assert all(o.label.startswith("«") for o in question.options)
    assert question.hint.startswith("«")


FAMILY = flow(
    step("consent", StepKind.CONSENT, family=True),
    step("grade", StepKind.CHOICE, choices=("g1", "g2")),
    step("internet", StepKind.CHOICE, choices=("good", "none"), family=True),
    step("summary", StepKind.SUMMARY),
)


def test_a_second_child_is_not_asked_the_family_questions_again() -> None:
    first = Conversation(FAMILY)
    first.send(Choose("yes"), Choose("g1"), Choose("none"), CONFIRM)
    known = {k: v for k, v in first.state.answers.items() if FAMILY.step(k).family}
    second = Conversation(FAMILY, known=known)
    assert second.question.step_id == "grade"
    assert second.question.progress is not None
    assert second.question.progress.total == 1
    events = second.send(Choose("g2"))
    assert AnswerRecorded("internet", "none") in events
    assert second.question.kind is StepKind.SUMMARY
    completed = of_type(second.send(CONFIRM), FlowCompleted)[0]
    assert completed.answers == {"consent": "yes", "grade": "g2", "internet": "none"}


def test_flow_texts_take_the_installations_values_and_keep_unknown_names() -> None:
    told = flow(
        step("welcome", StepKind.MESSAGE, text="Welkom bij {organisation}."),
        step(
            "consent",
            StepKind.CONSENT,
            text="Wij wissen alles na {retention_days} dagen; {unknown} en 100% blijven.",
            declined="{organisation} bewaart niets.",
        ),
        step("summary", StepKind.SUMMARY, text="Klopt dit?"),
    )
    values = {"organisation": "Gemeente Utrecht", "retention_days": "90"}
    engine = Engine(values=values)
    state, events = engine.start(told, language="nl", texts=NL)
    assert of_type(events, MessageShown)[0].text == "Welkom bij Gemeente Utrecht."
    [asked] = of_type(events, QuestionAsked)
    assert asked.text == "Wij wissen alles na 90 dagen; {unknown} en 100% blijven."
    _, events = engine.handle(told, state, Choose("no"), NL)
    assert [e.text for e in of_type(events, MessageShown)] == ["Gemeente Utrecht bewaart niets."]
