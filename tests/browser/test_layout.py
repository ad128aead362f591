"""The layout at the sizes people use: the staff menu in one row at 1366 px, the inbox and the case page at
390 px (a phone) without sideways scrolling, the header naming who is logged in, and each role's start page."""
from __future__ import annotations

import pytest
from browser_tools import log_in
from playwright.sync_api import Page, expect

WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
START = {"employee": "/report/new", "supervisor": "/cases/", "handler": "/cases/", "social_director": "/cases/dashboard",
         "working_group": "/compilations/", "coordinator": "/welfare/", "admin": "/admin/"}


def menu_rows(page: Page) -> int:
    """How many rows the main menu's items take."""
    return page.evaluate("""() => new Set([...document.querySelectorAll('nav.menu ul.nav > li')]
                              .map(li => Math.round(li.getBoundingClientRect().top))).size""")


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")


@pytest.mark.parametrize("role", sorted(START))
def test_each_role_starts_at_its_work_with_the_menu_in_one_row(browsing, org, role):
    from app.extensions import db

    email, name = org[role].email, org[role].name
    db.session.remove()  # on SQLite the read would keep the lock the server's login writes wait for
    page = browsing.person(role)
    page.set_viewport_size(WIDE)
    log_in(page, email)
    assert page.url.endswith(START[role])
    expect(page.locator(".who")).to_contain_text(name)
    assert menu_rows(page) == 1
    assert not scrolls_sideways(page)


def test_the_inbox_and_the_case_page_fit_a_phone(browsing, org, create_report):
    from helpers import place

    from app.codes import ReportStatus
    from app.extensions import db

    report = create_report(org["unit"], description="Pitkä kuvaus ilman välilyöntejä: " + "asunnottomuus" * 12)
    place(report, ReportStatus.IN_HANDLING)
    db.session.commit()
    number, email = report.number, org["handler"].email
    db.session.remove()
    page = browsing.person("handler")
    page.set_viewport_size(PHONE)
    log_in(page, email)
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert not scrolls_sideways(page), "the inbox"
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raportti {number}")
    assert not scrolls_sideways(page), "the case page"
    forward = page.locator("#forum-take_forward")
    if forward.count():
        assert forward.locator("optgroup").count() >= 1


def test_the_inbox_table_reads_whole_at_1366_px(browsing, org, create_report):
    """Every column, the deadline included, is in view without scrolling the table sideways (the demo's
    table is about 1,190 px wide: it did not fit the pages' 58 rem column)."""
    from helpers import place

    from app.codes import ReportStatus
    from app.extensions import db

    org["unit"].name = "Ikäihmisten kotihoito ja kotisairaanhoito, pohjoinen palvelualue"
    place(create_report(org["unit"]), ReportStatus.WAITING_FOR_REPORTER)
    place(create_report(org["unit"]), ReportStatus.FORWARDED)
    db.session.commit()
    email = org["social_director"].email
    db.session.remove()
    page = browsing.person("social_director")
    page.set_viewport_size(WIDE)
    log_in(page, email)
    page.goto(page.url.split("/cases")[0] + "/cases/")
    overflow = page.evaluate("() => { const box = document.querySelector('.table-scroll');"
                             " return box.scrollWidth - box.clientWidth; }")
    assert overflow <= 1, f"the table is {overflow} px wider than its box"
    box = page.evaluate("() => document.querySelector('.table-scroll').clientWidth")
    assert box >= 1200, "the inbox uses the screen's width: its eight columns and their sort links need it"
