"""What the browser tests share: pages for several people, screenshots and the axe-core check."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


class Browsing:
    """Opens pages, each in its own browser context (its own cookies), as separate people would."""

    def __init__(self, browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.base_url = base_url
        self.pages: dict[str, object] = {}
        self.contexts: list[object] = []
        self.errors: list[str] = []

    def person(self, name: str):  # type: ignore[no-untyped-def]
        """A fresh page for `name` (a reporter, a handler ...) with its own cookies."""
        context = self.browser.new_context(base_url=self.base_url, locale="fi-FI", timezone_id="Europe/Helsinki")
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
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

    def screenshots(self, test_name: str) -> list[Path]:
        ARTIFACTS.mkdir(exist_ok=True)
        taken = []
        for name, page in self.pages.items():
            path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', test_name)}-{name}.png"
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


def log_in(page: Page, email: str) -> None:
    """Log in through the form (checked with axe) as one of the `org` fixture's people."""
    page.goto("/login")
    check_accessibility(page)
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()


def check_accessibility(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core in the page as it is now; fail on any serious or critical violation.

    axe is evaluated through the DevTools protocol, so the page's Content-Security-Policy stays on
    and the test sees the page exactly as a user's browser does.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    serious = [v for v in result["violations"] if v["impact"] in SERIOUS]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}: " + ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"accessibility violations on {page.url}:\n{details}"


_AXE_SOURCE: list[str] = []


def _axe_source() -> str:
    if not _AXE_SOURCE:
        _AXE_SOURCE.append(AXE.read_text(encoding="utf-8"))
    return _AXE_SOURCE[0]
