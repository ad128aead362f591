"""Browser tests: Debian's Chromium driven by Playwright against the app served on a local port.

The server runs the session's test app in a thread of this process, on the same test database,
so a test sets up people with the usual fixtures and checks the database after the browser is done.
Locally the tests are skipped when Chromium or axe-core is missing; `.ci/run` installs both and sets
SORA_REQUIRE_BROWSER=1, which turns a missing browser into a failure instead.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from browser_tools import ARTIFACTS, AXE, Browsing
from flask import Flask, has_app_context
from helpers import serve

from app.extensions import db

CHROMIUM = Path(os.environ.get("SORA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (.ci/run installs it: apt-get install chromium)"
    if not AXE.exists():
        return f"axe-core is not installed at {AXE} (make test installs it with npm)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make setup installs it)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("SORA_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"SORA_REQUIRE_BROWSER is set but {reason}")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test, so the page fixtures know whether to take screenshots."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The base URL of the test app served by Werkzeug in a background thread."""
    with serve(app, "sora-live-server") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshot_folder(app: Flask) -> Path:
    """test-artifacts/sqlite or test-artifacts/postgresql, emptied as the session's browser tests begin,
    so that it holds only this run's screenshots and a run on one database keeps the other's."""
    folder = ARTIFACTS / sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    shutil.rmtree(folder, ignore_errors=True)
    return folder


@pytest.fixture
def browsing(request: pytest.FixtureRequest, browser, live_server: str,  # type: ignore[no-untyped-def]
             screenshot_folder: Path) -> Iterator[Browsing]:
    """Pages for the people of one test; when the test fails, here or in its own steps or set-up, every
    open page is saved in the screenshot folder.

    Database objects the test made in its own session are committed and released first: on SQLite an
    open transaction of the test would hold the write lock the server's requests wait for.
    """
    if has_app_context():
        db.session.commit()
        db.session.remove()
    session = Browsing(browser, live_server)
    yield session
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    problems = [] if failed else session.finish()
    if session.errors:
        problems.append(f"the pages reported script errors or server errors: {session.errors}")
    if failed or problems:
        for path in session.screenshots(screenshot_folder, request.node.name):
            print(f"screenshot: {path}")
    session.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(browsing: Browsing):  # type: ignore[no-untyped-def]
    """One person's page, for tests with a single visitor."""
    return browsing.person("visitor")

