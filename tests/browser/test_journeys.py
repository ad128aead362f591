"""The main journeys in a real browser: filing, tracking and answering, and a handler's work on a case.

Every page a journey passes is also checked with axe-core (no serious or critical violations).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from browser_tools import log_in
from helpers import release_all
from playwright.sync_api import Page, expect

from app.codes import ReportStatus
from app.extensions import db
from app.models import Report

NUMBER = re.compile(r"^SR-\d{4}-A?\d{5}$")
CODE = re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$")
DESCRIPTION = "Kohtuuhintaisia vuokra-asuntoja ei löydy, ja asiakkaiden vuokrat ylittävät asumistuen rajat."


def fill_report(page: Page, *, name: str = "", email: str = "", under_my_name: bool = False) -> None:
    """The required fields and a few optional ones, chosen by their visible labels; a logged-in reporter
    files under their name by ticking a box (the name is the account's, not typed)."""
    page.goto("/report/new")
    page.get_by_role("combobox", name="Työyksikkö").select_option("U-KUO")
    page.get_by_label("Sosiaalihuollon ammattihenkilö").check()
    page.get_by_label("Kielteinen ilmiö").check()
    page.get_by_label("Raportoitava ilmiö").select_option("social_problems")
    page.get_by_label("Ilmiön kuvaus").fill(DESCRIPTION)
    page.get_by_label("Asuminen").check()
    if name:
        page.get_by_label("Nimesi").fill(name)
    if email:
        page.get_by_label("Sähköpostiosoitteesi").fill(email)
    if under_my_name:
        page.get_by_label("Lähetä raportti omalla nimelläni").check()


def send_report(page: Page) -> tuple[str, str]:
    """Send the form; the receipt's number and tracking code."""
    page.get_by_role("button", name="Lähetä raportti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos raportistasi!")
    number = page.locator("#report-number").inner_text()
    code = page.locator("#tracking-code").inner_text()
    assert NUMBER.match(number) and CODE.match(code), (number, code)
    return number, code


@contextmanager
def stored(number: str) -> Iterator[Report]:
    """The report as saved; the session is released afterwards, since on SQLite an open read holds the
    write lock that the server's next request would wait for."""
    db.session.remove()
    try:
        yield db.session.scalar(sa.select(Report).where(Report.number == number))
    finally:
        db.session.remove()


def released() -> None:
    """The day's release of what anonymous reporters did, as the scheduler's job runs it after midnight."""
    db.session.remove()
    try:
        release_all()
    finally:
        db.session.remove()


def test_a_named_report_is_filed_and_listed_under_my_reports(browsing, org):
    page = browsing.person("employee")
    log_in(page, "e@t.example")
    fill_report(page, under_my_name=True)
    expect(page.get_by_label("Nimesi")).to_have_count(0)
    expect(page.get_by_text("Eeva Työntekijä, e@t.example")).to_be_visible()
    number, code = send_report(page)
    expect(page.get_by_text("Lähetit raportin nimettömänä")).to_have_count(0)

    page.get_by_role("link", name="Omat raporttini").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raportti {number}")

    with stored(number) as report:
        assert report.reporter_name == "Eeva Työntekijä" and report.reporter_email == "e@t.example"
        assert report.reporter_confirmed and report.author is not None and report.author.email == "e@t.example"
        assert report.description == DESCRIPTION and [t.code for t in report.themes] == ["housing"]


def test_an_anonymous_report_keeps_nothing_of_the_logged_in_reporter(browsing, org):
    page = browsing.person("employee")
    log_in(page, "e@t.example")
    fill_report(page)
    number, code = send_report(page)
    expect(page.get_by_text("Lähetit raportin nimettömänä")).to_be_visible()

    page.get_by_role("link", name="Omat raporttini").click()
    expect(page.get_by_role("link", name=number)).to_have_count(0)
    released()
    with stored(number) as report:
        assert report.is_anonymous and report.author_id is None and report.reporter_name is None

    page.get_by_role("link", name="Tee uusi raportti").click()
    expect(page.get_by_label("Ilmiön kuvaus")).to_have_value("")


def test_a_missing_answer_is_pointed_out_and_the_typed_text_kept(browsing, org):
    page = browsing.person("reporter")
    page.goto("/report/new")
    page.get_by_label("Ilmiön kuvaus").fill(DESCRIPTION)
    page.get_by_role("button", name="Lähetä raportti").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Raporttia ei lähetetty")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Ilmiön kuvaus")).to_have_value(DESCRIPTION)
    summary.get_by_role("link", name=re.compile("Työyksikkö")).click()
    expect(page.get_by_role("combobox", name="Työyksikkö")).to_be_focused()


def track(page: Page, number: str, code: str) -> None:
    page.goto("/track")
    page.get_by_label("Raportin numero").fill(number)
    page.get_by_label("Seurantakoodi").fill(code.lower())
    page.get_by_role("button", name="Näytä raportin tilanne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raportti {number}")


def act(page: Page, action: str, note: str = "", *, forum: str | None = None) -> None:
    """Use one action form of the case page and wait for the confirmation."""
    form = page.locator("form.case-action").filter(has=page.get_by_role("group", name=action, exact=True))
    if forum:
        form.get_by_label("Foorumi").select_option(forum)
    if note:
        form.locator("textarea[name=note]").fill(note)
    form.get_by_role("button", name=action, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"on (aloitettu|tallennettu|lähetetty|viety|merkitty|suljettu|avattu)"))


def open_case(page: Page, number: str) -> None:
    page.get_by_role("link", name="Raporttien käsittely", exact=True).first.click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raportti {number}")


def test_the_reporter_tracks_and_answers_a_question(browsing, org):
    reporter = browsing.person("reporter")
    fill_report(reporter)
    number, code = send_report(reporter)
    released()

    handler = browsing.person("handler")
    log_in(handler, "h@t.example")
    open_case(handler, number)
    act(handler, "Kysy raportoijalta", "Koskeeko tämä myös Siilinjärveä?")

    track(reporter, number, code)
    expect(reporter.get_by_text("Odottaa raportoijan vastausta")).to_be_visible()
    question = reporter.get_by_role("region", name="Käsittelijä kysyy sinulta")
    expect(question).to_contain_text("Koskeeko tämä myös Siilinjärveä?")
    question.get_by_label("Vastauksesi").fill("Kyllä, sama tilanne on Siilinjärvellä.")
    question.get_by_role("button", name="Lähetä vastaus").click()
    expect(reporter.get_by_role("status")).to_contain_text("Vastauksesi on tallennettu")
    sent = reporter.get_by_role("region", name="Käsittelijä kysyy sinulta")
    expect(sent).to_contain_text("Kyllä, sama tilanne on Siilinjärvellä.")
    expect(sent.get_by_role("button", name="Lähetä vastaus")).to_have_count(0)
    released()
    reporter.reload()
    expect(reporter.get_by_role("region", name="Käsittelijä kysyy sinulta")).to_have_count(0)

    handler.get_by_role("link", name="Raporttien käsittely", exact=True).first.click()
    row = handler.get_by_role("row").filter(has=handler.get_by_role("link", name=number))
    expect(row).to_contain_text("Uusi vastaus")
    row.get_by_role("link", name=number).click()
    expect(handler.locator(".timeline")).to_contain_text("Kyllä, sama tilanne on Siilinjärvellä.")
    with stored(number) as report:
        # asking already began the handling, and opening the case read the answer
        assert report.status == ReportStatus.IN_HANDLING and report.unread_answer is False


def test_a_handler_starts_asks_takes_forward_and_resolves(app, browsing, org):
    reporter = browsing.person("reporter")
    fill_report(reporter, name="Raili Raportoija")
    number, code = send_report(reporter)

    handler = browsing.person("handler")
    log_in(handler, "h@t.example")
    open_case(handler, number)
    expect(handler.locator(".facts")).to_contain_text("Raili Raportoija")
    act(handler, "Aloita käsittely", "Otettu käsittelyyn palvelualueen kokouksessa.")
    act(handler, "Kysy raportoijalta", "Montako asiakasta tilanne koskee?")

    track(reporter, number, code)
    reporter.get_by_label("Vastauksesi").fill("Noin kymmentä asiakasta kuukaudessa.")
    reporter.get_by_role("button", name="Lähetä vastaus").click()
    expect(reporter.get_by_role("status")).to_contain_text("Vastauksesi on välitetty")

    handler.reload()
    expect(handler.locator(".facts")).to_contain_text("Käsittelyssä")
    act(handler, "Vie eteenpäin", "Viety työryhmän käsiteltäväksi.", forum="RSTR")
    expect(handler.locator(".facts")).to_contain_text("Rakenteellisen sosiaalityön työryhmä")
    act(handler, "Merkitse ratkaistuksi", "Työryhmä esittää lisää kohtuuhintaisia vuokra-asuntoja.")
    expect(handler.locator(".facts")).to_contain_text("Ratkaistu")
    expect(handler.get_by_role("group", name="Avaa uudelleen")).to_be_visible()

    track(reporter, number, code)
    timeline = reporter.locator(".timeline")
    for text in ("Otettu käsittelyyn palvelualueen kokouksessa.", "Montako asiakasta tilanne koskee?",
                 "Viety työryhmän käsiteltäväksi.", "Työryhmä esittää lisää kohtuuhintaisia vuokra-asuntoja."):
        expect(timeline).to_contain_text(text)
    expect(reporter.locator(".facts")).to_contain_text("Ratkaistu")

    with stored(number) as report:
        assert report.status == ReportStatus.RESOLVED and report.forum.code == "RSTR"
        kinds = [event.kind.value for event in report.events]
        assert kinds == ["submitted", "start_handling", "question", "answer", "take_forward", "resolve"], kinds
