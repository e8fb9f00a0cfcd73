"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.a11y import A11yWatch
from tests.browser.settle import close_and_settle

# Playwright's sync API runs an event loop in this thread; the tests still use the ORM
# to check what was saved, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CONFERBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed for the browser tests and was not found at {CHROMIUM}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def goal_library(transactional_db) -> None:
    """Transactional tests start from an emptied database: put the built-in library back."""
    from conferbook.goals.library import install_library, read_library

    install_library(library=read_library())


@pytest.fixture
def a11y(live_server) -> A11yWatch:
    """The accessibility check of every page the test's browser lands on (see a11y.py)."""
    return A11yWatch(origin=live_server.url)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test whose body passed fails on any WCAG 2.1 A/AA violation in the pages it saw."""
    result = yield
    watch = getattr(item, "funcargs", {}).get("a11y")
    page = getattr(item, "funcargs", {}).get("page")
    if watch is not None and page is not None:
        watch.finish(page.context)
    return result


@pytest.fixture
def device() -> dict[str, object]:
    """The browser context's options: a large tablet held upright. A test that needs a
    phone or a touch screen parametrizes `device` with other options."""
    return {"viewport": {"width": 1024, "height": 1366}}


@pytest.fixture
def page(browser, live_server, a11y, device) -> Iterator[object]:
    """A fresh page (tablet-sized unless `device` says otherwise) that fails the test on any
    request to another origin, or on an accessibility violation in any page it shows (see
    a11y.py)."""
    context = browser.new_context(locale="en-US", **device)
    a11y.watch(context)
    foreign: list[str] = []

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        # The browser's own PDF viewer loads from chrome:// pages: not another origin.
        if route.request.url.startswith((live_server.url, "chrome://", "chrome-extension://")):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    close_and_settle(context)
    assert not foreign, f"Pages asked other origins for: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def signed_in(page, live_server, rivera):
    """The browser context carries Ms Rivera's session."""
    client = Client()
    client.force_login(rivera)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.fixture
def demo_page(page, live_server):
    """The demo class, with the browser signed in as the demo teacher."""
    from conferbook.accounts.models import User
    from conferbook.demo import load_demo

    result = load_demo()
    client = Client()
    client.force_login(User.objects.get(username=result.username))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page, result.classroom


@pytest.fixture
def shots(request, a11y) -> object:
    """shots("name") writes a full-page screenshot to test-artifacts/browser/<test>/ and
    checks the page's accessibility as it is shown."""
    folder = ARTIFACTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 100))

    def take(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = folder / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        a11y.check(page, moment=f"screenshot {path.stem}")
        return path

    return take
