"""axe-core on the pages the journeys do not pass, in Finnish and in English, and on the refusals."""
from __future__ import annotations

from helpers import PASSWORD
from playwright.sync_api import expect


def test_public_pages_and_refusals_in_both_languages(page, org):
    for language in ("fi", "en"):
        page.goto("/")
        if language == "en":
            page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        for path in ("/", "/guidance", "/no-such-page"):
            page.goto(path)
        page.goto("/track")
        page.locator("#number").fill("SR-2026-99999")
        page.locator("#code").fill("AAAAA-AAAAA-AAAAA-AAAAA")
        page.locator("form[action='/track'] button[type=submit]").click()
        expect(page.get_by_role("alert")).to_be_visible()


def test_staff_pages(browsing, org):
    page = browsing.person("staff")
    page.goto("/login")
    page.locator("#email").fill("a@t.example")
    page.locator("#password").fill("väärin")
    page.locator("form button[type=submit].primary").click()
    expect(page.get_by_role("alert")).to_be_visible()
    for email, paths in (("d@t.example", ["/cases/", "/cases/dashboard", "/cases/notifications"]),
                         ("a@t.example", ["/admin/mail/"])):
        page.context.clear_cookies()
        page.goto("/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(PASSWORD)
        page.locator("form button[type=submit].primary").click()
        expect(page.get_by_role("button", name="Kirjaudu ulos")).to_be_visible()
        for path in paths:
            page.goto(path)
