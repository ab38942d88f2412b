"""Several live flows: a link that carries one, a school's own default, an open period."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot.engine.flow import Flow
from bot.i18n.localizer import Localizers
from bot.messages.incoming import ButtonPressed
from bot.storage.models import ParentLink, School
from tests.unit.parents.chat import DEFAULT_FLOW, Chat, conversations, walk_to_the_end

PARENT = 7
TOKEN = "Zk3v9QpLr2XbWm8TnYc4HdJs"


@pytest.fixture
def two(flows: dict[str, Flow], localizers: Localizers) -> Chat:
    """The default flow and a second one, 'laptops', with a school that has a link for it."""
    default = flows[DEFAULT_FLOW]
    laptops = dataclasses.replace(default, id="laptops", title="Laptops lenen", revision="l1")
    chat = Chat(conversations({**flows, "laptops": laptops}, localizers))
    schools = chat.uow.schools
    schools.add(School(code="16AH00", name="De Regenboog", staff_token="s" * 32))
    schools.add(School(code="20XY00", name="De Klimop", staff_token="t" * 32))
    schools.add_flow_link(ParentLink(token=TOKEN, school_code="16AH00", flow_id="laptops"))
    return chat


def started_flow(chat: Chat) -> str:
    return chat.uow.parents.sessions[-1].flow_id


def arrive(chat: Chat, payload: str) -> None:
    chat.say(PARENT, f"/start {payload}")
    chat.press(PARENT, "Nederlands")


def test_a_flow_link_starts_its_flow_at_its_school(two: Chat) -> None:
    arrive(two, f"f-{TOKEN}")
    assert started_flow(two) == "laptops"
    parent = two.uow.parents.parents[0]
    assert (parent.arrival_school, parent.arrival_flow) == ("16AH00", "laptops")


@pytest.mark.parametrize(
    "forged",
    ["f-" + "A" * 24, "f-" + TOKEN[:-1], "f-laptops", "f-16AH00-laptops", "laptops", "F-" + TOKEN],
)
def test_a_made_up_flow_link_opens_no_flow_and_no_school(two: Chat, forged: str) -> None:
    arrive(two, forged)
    assert started_flow(two) == DEFAULT_FLOW
    parent = two.uow.parents.parents[0]
    assert (parent.arrival_school, parent.arrival_flow) == (None, None)


def test_a_school_with_its_own_default_starts_parents_on_it(two: Chat) -> None:
    klimop = two.uow.schools.get("20XY00")
    assert klimop is not None
    klimop.flow_id = "laptops"
    arrive(two, "20XY00")
    assert started_flow(two) == "laptops"


def test_a_plain_school_link_after_a_flow_link_is_the_school_default_again(two: Chat) -> None:
    two.say(PARENT, f"/start f-{TOKEN}")
    arrive(two, "20XY00")
    assert started_flow(two) == DEFAULT_FLOW
    assert two.uow.parents.parents[0].arrival_flow is None


def test_a_parent_in_the_middle_of_one_flow_finishes_it(two: Chat) -> None:
    arrive(two, "16AH00")
    two.press(PARENT, "Ja, ik doe mee")
    two.say(PARENT, f"/start f-{TOKEN}")  # the letter for the other flow came meanwhile
    assert started_flow(two) == DEFAULT_FLOW
    assert len(two.uow.parents.sessions) == 1
    walk_to_the_end(two, PARENT)
    assert two.uow.parents.responses[0].flow_id == DEFAULT_FLOW
    # The next child starts on the flow of the link they came by last.
    two.press(PARENT, "Nog een kind op De Regenboog")
    assert started_flow(two) == "laptops"


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(date(2020, 1, 1), date(2020, 1, 31)), (date(2999, 1, 1), None)],
)
def test_a_closed_flow_says_so_plainly_and_starts_nothing(
    flows: dict[str, Flow], localizers: Localizers, opens: date, closes: date | None
) -> None:
    closed = dataclasses.replace(flows[DEFAULT_FLOW], open_from=opens, open_until=closes)
    chat = Chat(conversations({DEFAULT_FLOW: closed}, localizers))
    chat.say(PARENT, "/start 16AH00")
    chat.press(PARENT, "Nederlands")
    assert chat.last_text(PARENT).startswith("Deze vragenlijst is nu gesloten.")
    assert chat.uow.parents.sessions == []


@pytest.fixture
def bilingual(flows: dict[str, Flow], localizers: Localizers) -> Chat:
    """A school whose link carries a flow in Dutch and English only."""
    default = flows[DEFAULT_FLOW]
    laptops = dataclasses.replace(
        default, id="laptops", title="Laptops lenen", revision="l1", languages=("nl", "en")
    )
    chat = Chat(conversations({**flows, "laptops": laptops}, localizers))
    chat.uow.schools.add(School(code="16AH00", name="De Regenboog", staff_token="s" * 32))
    chat.uow.schools.add_flow_link(ParentLink(token=TOKEN, school_code="16AH00", flow_id="laptops"))
    return chat


def picked_languages(chat: Chat) -> list[str]:
    [picker] = [r for r in chat.sent[PARENT] if r.buttons and "lang:" in r.buttons[0][0].data]
    return [row[0].data.removeprefix("lang:") for row in picker.buttons if "lang:" in row[0].data]


def test_the_picker_offers_only_the_languages_the_parents_flow_speaks(bilingual: Chat) -> None:
    bilingual.say(PARENT, f"/start f-{TOKEN}")
    assert picked_languages(bilingual) == ["nl", "en"]
    # A language the flow does not speak, pressed anyway (a forged button), is not taken.
    bilingual.act(PARENT, ButtonPressed("lang:ar", 1, "cb"))
    assert bilingual.uow.parents.parents[0].language is None


def test_the_default_flow_offers_every_language_configured(two: Chat) -> None:
    two.say(PARENT, "/start 16AH00")
    assert picked_languages(two) == ["nl", "en", "ar", "tr", "pl", "uk"]
