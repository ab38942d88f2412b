"""The dashboard over HTTP on a real database: sign-in, who sees what, follow-up, export."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.digests.needs import fill_older_needs
from bot.storage.models import AuditEntry, Response, ResponseNeed, SignInLink, StoredSetting
from bot.storage.repositories.dashboard import NEEDS_FILLED
from bot.storage.unit import Transactions
from tests.integration.dashboard_world import (
    STAFF_A,
    DashboardWorld,
    dashboard_world,
)
from tests.integration.service_world import COORDINATOR

PARENT_A, PARENT_B = 501, 502


@pytest.fixture
def dash(sessions: sessionmaker[Session]) -> Iterator[DashboardWorld]:
    with dashboard_world(sessions) as world:
        yield world


def test_a_completed_response_keeps_its_needs_beside_it_and_loses_them_with_it(
    dash: DashboardWorld,
) -> None:
    # A tablet but a loan asked for, internet on the phone only, nobody to help at home:
    # the needs the default flow declares for that (a wish to borrow is not one of them).
    response_id = dash.family(PARENT_A, "16AH00")
    with dash.world.sessions() as db:
        stored = set(
            db.scalars(select(ResponseNeed.need).where(ResponseNeed.response_id == response_id))
        )
    assert stored == {"mobile_data", "help"}
    dash.world.say(PARENT_A, "/delete")
    dash.world.press(PARENT_A, "Ja, wis alles")
    with dash.world.sessions() as db:
        assert db.scalars(select(ResponseNeed)).all() == []
        assert db.scalars(select(Response)).all() == []


def test_only_coordinators_and_staff_get_a_link_and_it_is_stored_hashed(
    dash: DashboardWorld,
) -> None:
    path = dash.link(COORDINATOR)
    secret = path.rsplit("/", 1)[1]
    with dash.world.sessions() as db:
        stored = [link.token_hash for link in db.scalars(select(SignInLink))]
    assert len(stored) == 1
    assert secret not in stored[0]
    parent = dash.world.say(PARENT_A, "/dashboard")
    assert "/signin/" not in parent[-1].text


def test_a_coordinator_sees_the_overview_and_marks_a_family_helped(dash: DashboardWorld) -> None:
    response_id = dash.family(PARENT_A, "16AH00")
    dash.sign_in(COORDINATOR)
    overview = dash.client.get("/dashboard/")
    assert overview.status_code == 200
    assert "<svg" in overview.text
    assert "<script" not in overview.text
    assert "De Regenboog" in overview.text
    page = dash.client.get("/dashboard/school/16AH00")
    assert f'id="family-{response_id}"' in page.text
    assert "· 1 gezin</p>" in page.text
    token = dash.csrf("/dashboard/school/16AH00")
    marked = dash.client.post(
        "/dashboard/school/16AH00/followup",
        data={"csrf": token, "response": str(response_id), "status": "helped"},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    with dash.world.sessions() as db:
        response = db.get(Response, response_id)
        assert response is not None
        assert response.followup_status == "helped"
        actions = [entry.action for entry in db.scalars(select(AuditEntry))]
    assert actions[:2] == ["signed_in", "viewed"]
    assert "marked_helped" in actions
    export = dash.client.get("/dashboard/school/16AH00/export.xlsx")
    assert export.status_code == 200
    assert export.content[:2] == b"PK"


def test_a_form_without_the_sessions_token_changes_nothing(dash: DashboardWorld) -> None:
    response_id = dash.family(PARENT_A, "16AH00")
    dash.sign_in(COORDINATOR)
    forged = dash.client.post(
        "/dashboard/school/16AH00/followup",
        data={"csrf": "guessed", "response": str(response_id), "status": "helped"},
    )
    assert forged.status_code == 403
    with dash.world.sessions() as db:
        response = db.get(Response, response_id)
        assert response is not None
        assert response.followup_status == "open"


def test_staff_of_one_school_cannot_reach_another_schools_families_by_any_url(
    dash: DashboardWorld,
) -> None:
    own = dash.family(PARENT_A, "16AH00")
    other = dash.family(PARENT_B, "17BX01")
    dash.staff_joins(STAFF_A, 0)
    dash.sign_in(STAFF_A)
    assert dash.client.get("/dashboard/school/16AH00").status_code == 200
    token = dash.csrf("/dashboard/school/16AH00")
    refused = [
        dash.client.get("/dashboard/school/17BX01"),
        dash.client.get("/dashboard/school/17BX01/export.csv"),
        dash.client.get("/dashboard/school/17BX01/letter"),
        dash.client.get("/dashboard/needs.csv"),
        dash.client.get("/dashboard/school/99ZZ99"),
        # Another school's family through the own school's address, and the other way.
        dash.client.post(
            "/dashboard/school/16AH00/followup",
            data={"csrf": token, "response": str(other), "status": "helped"},
        ),
        dash.client.post(
            "/dashboard/school/17BX01/followup",
            data={"csrf": token, "response": str(other), "status": "helped"},
        ),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    assert all("Het Anker" not in r.text and "17BX01" not in r.text for r in refused[:4])
    overview = dash.client.get("/dashboard/", follow_redirects=False)
    assert overview.headers["location"].endswith("/school/16AH00")
    with dash.world.sessions() as db:
        statuses = {r.id: r.followup_status for r in db.scalars(select(Response))}
    assert statuses == {own: "open", other: "open"}


def test_a_used_or_expired_link_signs_nobody_in(dash: DashboardWorld) -> None:
    used = dash.link(COORDINATOR)
    assert dash.client.post(used, follow_redirects=False).status_code == 303
    dash.client.cookies.clear()
    again = dash.client.post(used)
    assert again.status_code == 403
    assert "al gebruikt of verlopen" in again.text
    late = dash.link(COORDINATOR)
    dash.clock.advance(minutes=10, seconds=1)
    assert dash.client.post(late).status_code == 403
    assert dash.client.post("/dashboard/signin/forged").status_code == 403
    assert dash.client.get("/dashboard/").status_code == 401


def test_signing_out_ends_the_session(dash: DashboardWorld) -> None:
    dash.sign_in(COORDINATOR)
    token = dash.csrf("/dashboard/")
    assert dash.client.post("/dashboard/signout", data={"csrf": token}).status_code == 200
    assert dash.client.get("/dashboard/").status_code == 401


def test_responses_stored_before_the_dashboard_get_their_needs_once(
    dash: DashboardWorld,
) -> None:
    response_id = dash.family(PARENT_A, "16AH00")
    transactions = Transactions(dash.world.sessions)
    with dash.world.sessions.begin() as db:
        # As a database upgraded from before migration 0012 holds it.
        db.execute(delete(ResponseNeed))
        db.execute(delete(StoredSetting).where(StoredSetting.key == NEEDS_FILLED))
    assert fill_older_needs(transactions, dash.world.registry, chunk=1) == 1
    with dash.world.sessions() as db:
        assert set(db.scalars(select(ResponseNeed.need))) == {"mobile_data", "help"}
    assert fill_older_needs(transactions, dash.world.registry) == 0
    with dash.world.sessions() as db:
        assert len(db.scalars(select(ResponseNeed)).all()) == 2
        assert db.get(Response, response_id) is not None


def test_the_letter_has_the_link_its_qr_code_and_a_line_in_each_chosen_language(
    dash: DashboardWorld,
) -> None:
    dash.sign_in(COORDINATOR)
    letter = dash.client.get("/dashboard/school/16AH00/letter?lang=ar&lang=pl")
    assert letter.status_code == 200
    assert "https://t.me/OuderbrugTestBot?start=16AH00" in letter.text
    assert letter.text.count("<svg") == 1  # the QR code
    assert 'lang="ar" dir="rtl"' in letter.text
    assert "Pytania ze szkoły o naukę w domu" in letter.text
    assert "Vragen van school over leren thuis" in letter.text
    assert 'lang="tr"' not in letter.text


def test_the_dashboard_speaks_english_when_asked(dash: DashboardWorld) -> None:
    dash.sign_in(COORDINATOR)
    assert "<h1>Overzicht</h1>" in dash.client.get("/dashboard/").text
    english = dash.client.get("/dashboard/language/en", follow_redirects=True)
    assert "<h1>Overview</h1>" in english.text
    assert '<html lang="en">' in english.text


def test_a_copy_of_the_cookie_is_worth_nothing_once_signed_out_or_after_eight_hours(
    dash: DashboardWorld,
) -> None:
    dash.sign_in(COORDINATOR)
    copied = dict(dash.client.cookies)
    token = dash.csrf("/dashboard/")
    dash.client.post("/dashboard/signout", data={"csrf": token})
    dash.client.cookies.update(copied)
    assert dash.client.get("/dashboard/").status_code == 401
    dash.client.cookies.clear()
    dash.sign_in(COORDINATOR)
    assert dash.client.get("/dashboard/").status_code == 200
    dash.clock.advance(hours=8, seconds=1)
    assert dash.client.get("/dashboard/").status_code == 401
