"""A welfare coordinator puts together the package for a welfare report and copies a section."""
from __future__ import annotations

from playwright.sync_api import expect

from browser_tools import log_in
from test_welfare_package import published  # noqa: F401  (the fixture: two published half-years)


def test_a_coordinator_picks_a_span_and_themes_and_copies_a_section(published, browsing):  # noqa: F811
    """`published` comes first: `browsing` then ends the test's transaction, which on SQLite holds the lock."""
    page = browsing.person("coordinator")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "hyte.alue@t.example")
    page.get_by_role("link", name="Hyvinvointikertomukseen").click()

    page.goto("/welfare/?municipality=county&span=2026&themes=housing")
    expect(page.get_by_role("heading", name="Työryhmän yhteenvedot")).to_be_visible()
    summaries = page.locator("#copy-summaries")
    expect(summaries).to_contain_text("Kevään yhteenveto: asuminen ja päihteet.")
    page.locator("button[data-copy='copy-summaries']").click()
    expect(page.locator("#copy-status")).to_have_text("Teksti kopioitiin leikepöydälle.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Kevään yhteenveto: asuminen ja päihteet." in copied
    assert "<" not in copied, "plain text, not markup"
