"""The dashboard in a real browser: Debian's Chromium, driven by Playwright, against the bot.

The bot runs as `ouderbrug run` does (python-telegram-bot polling the fake Bot API); the
sign-in link is the one the bot sent in Telegram. Screenshots of the overview and a school
page go to test-artifacts/ (git-ignored), where a person can look at what the test saw.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import update

from bot.dashboard.app import standalone
from bot.settings import PROJECT_DIR
from bot.storage.db import make_engine, session_factory
from bot.storage.models import SignInLink
from tests.e2e.harness import COORDINATOR, SCHOOLS, Parent, Settled, running_bot
from tests.e2e.test_parents import DUTCH, answer_everything
from tests.fakes import FakeBotAPI
from tests.fakes.test_bot_api import free_port
from tests.integration.web_server import served

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = PROJECT_DIR / "test-artifacts"
LINK = re.compile(r"http://\S+/dashboard/signin/[A-Za-z0-9_-]+")
STAFF_A = 951


@pytest.fixture
def dashboard_port(environment: dict[str, str]) -> int:
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("no Chromium here: apt-get install chromium (.ci/run does)")
    port = free_port()
    environment["DASHBOARD_URL"] = f"http://127.0.0.1:{port}/dashboard"
    return port


async def link_for(person: Parent) -> str:
    """Send /dashboard to the bot; return the sign-in link it answered with."""
    await person.send("/dashboard")
    found = LINK.search(person.last_text)
    assert found is not None, person.last_text
    return found.group(0)


async def sign_in(browser: Browser, link: str) -> Page:
    """Open the link in a fresh browser, as from Telegram, and press the button."""
    page = await (await browser.new_context(accept_downloads=True)).new_page()
    opened = await page.goto(link)
    assert opened is not None
    assert opened.status == 200, await page.content()
    await page.click("text=Nu inloggen")
    return page


def test_a_coordinator_and_staff_use_the_dashboard_in_a_browser(
    api: FakeBotAPI,
    environment: dict[str, str],
    settled: Settled,
    database_url: str,
    dashboard_port: int,
    tmp_path: Path,
) -> None:
    async def scenario() -> None:
        async with running_bot(environment) as lifecycle:
            for user_id, school in ((961, "16AH00"), (962, "17BX01")):
                parent = Parent(api, settled, user_id)
                await parent.send(f"/start {school}")
                await parent.press("Nederlands")
                await answer_everything(parent, DUTCH)
            coordinator = Parent(api, settled, COORDINATOR)
            staff = Parent(api, settled, STAFF_A)
            await staff.send(f"/start staff-{SCHOOLS[0][3]}")
            with served(standalone(lifecycle.system.dashboard), dashboard_port) as base:
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(
                        executable_path=CHROMIUM, args=["--no-sandbox"]
                    )
                    try:
                        used = await coordinator_walk(
                            browser, await link_for(coordinator), tmp_path
                        )
                        await staff_walk(browser, await link_for(staff), base)
                        await refused_links(browser, used, await link_for(coordinator))
                    finally:
                        await browser.close()

    async def refused_links(browser: Browser, used: str, late: str) -> None:
        page = await sign_in(browser, used)
        assert "al gebruikt of verlopen" in await page.inner_text("main")
        # Ten minutes later, as the clock in the database sees it.
        engine = make_engine(database_url)
        with session_factory(engine).begin() as db:
            db.execute(update(SignInLink).values(expires_at=SignInLink.created_at))
        engine.dispose()
        page = await sign_in(browser, late)
        assert "al gebruikt of verlopen" in await page.inner_text("main")

    asyncio.run(scenario())


async def coordinator_walk(browser: Browser, link: str, tmp_path: Path) -> str:
    """Sign in, see the overview and its charts, mark a family helped, download the export."""
    page = await sign_in(browser, link)
    assert await page.locator("h1").inner_text() == "Overzicht"
    assert await page.locator("figure.chart svg").count() == 3
    # Two families in all: under five, so the overview does not say how many.
    assert await page.inner_text("#total-responses") == "<5"
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)
    await page.click("#school-list >> text=De Regenboog")
    assert "De Regenboog" in await page.locator("h1").inner_text()
    row = page.locator("#families tbody tr").first
    assert await row.locator(".status").inner_text() == "Open"
    await page.screenshot(path=str(ARTIFACTS / "dashboard-school.png"), full_page=True)
    await row.locator("button", has_text="Geholpen").click()
    row = page.locator("#families tbody tr").first
    assert await row.locator(".status").inner_text() == "Geholpen"
    async with page.expect_download() as download:
        await page.click("text=Export (XLSX)")
    saved = tmp_path / "export.xlsx"
    await (await download.value).save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    return link


async def staff_walk(browser: Browser, link: str, base: str) -> None:
    """Staff of school A see their school, and nothing of school B by any address."""
    page = await sign_in(browser, link)
    assert "De Regenboog" in await page.locator("h1").inner_text()
    for path in ("school/17BX01", "school/17BX01/export.csv", "school/17BX01/letter", "needs.csv"):
        answer = await page.goto(f"{base}/dashboard/{path}")
        assert answer is not None
        assert answer.status == 404, path
        assert "Het Anker" not in await page.content()
