"""/status as text: every child with its answers, within Telegram's limit per message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from bot.engine.flow import Flow
from bot.engine.state import SchoolMatch
from bot.flowfiles.loader import load_flow
from bot.i18n.localizer import Localizers
from bot.limits import MESSAGE_LIMIT, length
from bot.parents.status import status_messages
from bot.schools.catalog import SchoolCatalog
from bot.settings import PROJECT_DIR
from bot.storage.models import Response


class OneSchool:
    """The school catalog, with De Regenboog only."""

    def get(self, code: str) -> SchoolMatch | None:
        return SchoolMatch(code, "De Regenboog", "Utrecht") if code == "16AH00" else None

    def describe(self, code: str | None) -> str:
        return "De Regenboog, Utrecht" if code == "16AH00" else code or ""


def child(flow: Flow, number: int) -> Response:
    return Response(
        id=number,
        child_number=number,
        school_code="16AH00",
        flow_revision=flow.revision,
        language="nl",
        completed_at=datetime(2026, 12, 7, 11, 0, tzinfo=UTC),
        answers={"grade": "groep_6", "remarks": "Wij hebben geen printer. " * 40},
    )


def test_a_large_family_gets_several_messages_each_child_whole() -> None:
    flow = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow
    assert flow is not None
    texts = Localizers(PROJECT_DIR / "locales").get("nl")
    children = [child(flow, n) for n in range(1, 7)]
    schools = cast(SchoolCatalog, OneSchool())
    messages = status_messages(children, None, schools, texts, {flow.revision: flow}.get)
    assert len(messages) > 1
    assert all(len(message) <= 4096 for message in messages)
    for number in range(1, 7):
        [holder] = [m for m in messages if f"Kind {number}:" in m]
        after = holder.split(f"Kind {number}:", 1)[1]
        assert "• Groep of klas: Groep 6" in after  # its answers are in the same message
    assert "12:00" in messages[0]  # 11:00 UTC in December is 12:00 in Amsterdam
    assert messages[-1].endswith("Typ /delete om alles te wissen.")


def test_children_with_emoji_and_blank_lines_in_remarks_stay_whole_within_telegrams_count() -> None:
    flow = load_flow(PROJECT_DIR / "flows" / "thuissituatie.yaml").flow
    assert flow is not None
    texts = Localizers(PROJECT_DIR / "locales").get("nl")
    children = [child(flow, n) for n in range(1, 4)]
    for one in children:
        # Telegram counts each emoji twice; a parent may leave a blank line in a remark.
        one.answers = {"grade": "groep_6", "remarks": "Geen laptop 😢\n\n" + "🙏" * 1200}
    schools = cast(SchoolCatalog, OneSchool())
    messages = status_messages(children, None, schools, texts, {flow.revision: flow}.get)
    assert all(length(message) <= MESSAGE_LIMIT for message in messages)
    for number in range(1, 4):
        [holder] = [m for m in messages if f"Kind {number}:" in m]
        assert holder.count("🙏") == 1200  # the whole remark, with the child it belongs to
