"""What the browser tests share: pages for several people, screenshots and the axe-core check.

Every page a test's browser loads is checked with axe-core without the test asking: the page's
next step (goto, reload, or finding an element with get_by_* or locator) first checks a newly loaded
page, and the `browsing` fixture checks the last one. A page replaced by another before any such
step (two clicks on locators in a row, say) cannot be checked afterwards: the fixture fails the test
and names it, and check_accessibility(page) in between is the fix. Call it too for a state that
scripts change without loading a page.
"""
from __future__ import annotations

import functools
import hashlib
import re
import weakref
from dataclasses import dataclass
from pathlib import Path

from helpers import PASSWORD
from playwright.sync_api import Download, Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"

# The page's own methods that begin a step: each first checks a page loaded since the last step.
STEPS = ("goto", "reload", "go_back", "go_forward", "locator", "get_by_role", "get_by_label", "get_by_text",
         "get_by_placeholder", "get_by_alt_text", "get_by_title", "get_by_test_id")


@dataclass
class Visit:
    """One document loaded into a page."""

    url: str
    checked: bool = False


class Watch:
    """The documents one page loads, each checked with axe-core at the page's next step."""

    def __init__(self, person: str, page: Page) -> None:
        self.person = person
        self.page = page
        self.visits: list[Visit] = []
        self.moved = False
        page.on("framenavigated", lambda frame: self._navigated(frame.parent_frame is None))
        page.on("load", lambda loaded: self._loaded(loaded.url))
        for name in STEPS:
            setattr(page, name, self._step(getattr(page, name)))
        _WATCHES[page] = self

    def _navigated(self, main_frame: bool) -> None:
        self.moved = self.moved or main_frame

    def _loaded(self, url: str) -> None:
        if url != "about:blank":
            self.visits.append(Visit(url))
        self.moved = True

    def _step(self, method):  # type: ignore[no-untyped-def]
        @functools.wraps(method)
        def step(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.check_new_page()
            return method(*args, **kwargs)

        return step

    def check_new_page(self) -> None:
        """axe on the page if a document has loaded since the last check (not on a jump within a page)."""
        if not self.moved:
            return
        self.page.wait_for_load_state("load")
        self.moved = False
        if self.visits and not self.visits[-1].checked:
            self.check()

    def check(self) -> None:
        """axe on the page as it is now; the document it is in counts as checked."""
        self.page.wait_for_load_state("load")
        if self.visits:
            self.visits[-1].checked = True
        _run_axe(self.page)

    def unchecked(self) -> list[str]:
        return [f"{self.person}: {visit.url}" for visit in self.visits if not visit.checked]


_WATCHES: weakref.WeakKeyDictionary[Page, Watch] = weakref.WeakKeyDictionary()


class Browsing:
    """Opens pages, each in its own browser context (its own cookies), as separate people would."""

    def __init__(self, browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.base_url = base_url
        self.pages: dict[str, object] = {}
        self.contexts: list[object] = []
        self.errors: list[str] = []
        self.watches: list[Watch] = []

    def person(self, name: str):  # type: ignore[no-untyped-def]
        """A fresh page for `name` (a reporter, a handler ...) with its own cookies."""
        context = self.browser.new_context(base_url=self.base_url, locale="fi-FI", timezone_id="Europe/Helsinki")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watches.append(Watch(name, page))
        page.on("pageerror", lambda error: self.errors.append(f"{name}: {error}"))
        page.on("console", lambda message: self._console(name, message))
        page.on("response", lambda response: self._response(name, response))
        self.pages[name] = page
        return page

    def _console(self, name: str, message) -> None:  # type: ignore[no-untyped-def]
        """Script errors and Content-Security-Policy refusals; failed loads are judged by _response."""
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"{name}: {message.text}")

    def _response(self, name: str, response) -> None:  # type: ignore[no-untyped-def]
        """Any server error, and any missing style sheet or script (the browser's own favicon guess aside)."""
        request = response.request
        if response.status >= 500 or (response.status >= 400 and request.resource_type != "document"
                                       and not request.url.endswith("/favicon.ico")):
            self.errors.append(f"{name}: {response.status} for {request.method} {request.url}")

    def finish(self) -> list[str]:
        """axe on the pages loaded since the test's last step; then what was loaded but never checked."""
        problems = []
        for watch in self.watches:
            try:
                watch.check_new_page()
            except AssertionError as violation:
                problems.append(str(violation))
        unchecked = [page for watch in self.watches for page in watch.unchecked()]
        if unchecked:
            problems.append("pages loaded but never checked with axe-core (another page replaced each before the "
                            "test's next step; call check_accessibility there): " + ", ".join(unchecked))
        return problems

    def screenshots(self, folder: Path, test_name: str) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        taken = []
        for name, page in self.pages.items():
            path = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test_name)}-{name}.png"
            try:
                page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
                taken.append(path)
            except Exception:  # a page that has already crashed has nothing more to show
                pass
        return taken

    def close(self) -> None:
        for context in self.contexts:
            context.close()  # type: ignore[attr-defined]


SERIOUS = {"serious", "critical"}
RENDERING_TIMEOUT = 60_000


def download(page: Page, link: Locator) -> Download:
    """Click the link and wait for its file: a PDF that WeasyPrint renders on a busy machine takes far
    longer than the page timeout allows."""
    with page.expect_download(timeout=RENDERING_TIMEOUT) as started:
        link.click(timeout=RENDERING_TIMEOUT)
    return started.value


def download_rendered(page: Page, link: Locator) -> Download:
    """Click a link to a PDF rendered off the request: the page says the file is being made, the
    scheduler's job renders it (run here, as the scheduler process would), the page reloads itself
    and the download starts."""
    from app import jobs
    from app.extensions import db

    link.click()
    expect(page.get_by_role("status")).to_contain_text("Tiedostoa muodostetaan")
    waiting = page.url
    with page.expect_download(timeout=RENDERING_TIMEOUT) as started:
        assert jobs.render_files() >= 1
        db.session.remove()  # on SQLite an open transaction would hold the lock the server's requests wait for
    # The waiting page reloads itself every two seconds until the file is there; on a slow machine it does so
    # while the job runs. Each reload is the same page, checked with axe at its first load above.
    watch = _WATCHES.get(page)
    if watch is not None and any(v.url == waiting and v.checked for v in watch.visits):
        for visit in watch.visits:
            if visit.url == waiting:
                visit.checked = True
    return started.value


def log_in(page: Page, email: str) -> None:
    """Log in through the form as one of the `org` fixture's people (axe checks the form and the front page)."""
    page.goto("/login")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


def check_accessibility(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core in the page as it is now, for a state the automatic check after each load does not see."""
    watch = _WATCHES.get(page)
    if watch is not None:
        watch.check()
    else:
        _run_axe(page)


def _run_axe(page) -> None:  # type: ignore[no-untyped-def]
    """Fail on any serious or critical violation; a page exactly like one already checked passes at once.

    axe is evaluated through the DevTools protocol, so the page's Content-Security-Policy stays on
    and the test sees the page exactly as a user's browser does.
    """
    state = hashlib.sha256(page.evaluate(_MARKUP).encode()).hexdigest()
    if state in _PASSED:
        return
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}, resultTypes: ['violations']})"
    )
    serious = [v for v in result["violations"] if v["impact"] in SERIOUS]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}: " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"accessibility violations on {page.url}:\n{details}"
    _PASSED.add(state)


# The page's markup, the values of hidden fields (the CSRF token) aside: what makes one page state
# differ from another for axe, so that the login page or an unchanged form is checked once a run.
_MARKUP = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll("input[type=hidden]").forEach(input => input.removeAttribute("value"));
    return copy.outerHTML;
}"""
_PASSED: set[str] = set()
_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]
