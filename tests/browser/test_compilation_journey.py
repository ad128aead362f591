"""The half-yearly compilation in a real browser: the working group compiles, the review body approves,
and the published PDF downloads. axe-core checks every page the journey passes."""
from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from browser_tools import download, log_in
from helpers import add_report
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.codes import CompilationStatus, Nature, Phenomenon, PopulationGroup
from app.demo_texts import REPORT_TEMPLATES
from app.extensions import db
from app.models import Municipality, Theme, utcnow
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import HELSINKI, period_of

SUMMARY = "Asumisen ja toimeentulon ongelmat korostuivat koko hyvinvointialueella."
FINDINGS = "Vuokrat ylittävät asumistuen rajat erityisesti Kuopiossa."
PROPOSALS = "Kohtuuhintaista vuokra-asumista lisätään kuntien kanssa."
EXCERPT = "Kohtuuhintaisia vuokra-asuntoja on liian vähän, ja vuokravelka johtaa häätöuhkaan."
APPROVAL = "Hyväksytty jaoston kokouksessa."


def file_demo_reports(org) -> list[str]:  # type: ignore[no-untyped-def]
    """Reports written like the demo's: four in the running half-year and two in the previous one."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    varkaus = db.session.scalar(sa.select(Municipality).where(Municipality.name == "Varkaus"))
    now = utcnow()
    earlier = datetime.combine(period_of(now).previous().first_day + timedelta(days=60), time(12), tzinfo=HELSINKI)
    numbers = []
    for index, (template, unit, when) in enumerate(zip(
            REPORT_TEMPLATES, [org["unit"], org["unit"], org["other_unit"], org["unit"], org["other_unit"], org["unit"]],
            [now, now, now, now, earlier, earlier])):
        report = add_report(
            unit, nature=Nature(template["nature"]), phenomenon=Phenomenon(template["phenomenon"]),
            description=template["description"], proposed_actions=template["proposed_actions"] or None,
            themes=[themes[code] for code in template["themes"] if code in themes],
            population_group=PopulationGroup(template["population_group"]) if template["population_group"] else None,
            significance=template["significance"], municipalities=[varkaus] if index == 3 else (),
            reporter_name="Maija Meikäläinen" if index == 0 else None, now=when - timedelta(minutes=index),
        )
        numbers.append(report.number)
    db.session.commit()
    return numbers


def saved(page: Page, message: str) -> None:
    expect(page.get_by_role("status").filter(has_text=message)).to_contain_text(message)


def act(page: Page, action: str, note: str = "") -> None:
    form = page.locator("form.case-action").filter(has=page.get_by_role("group", name=action, exact=True))
    if note:
        form.get_by_label("Kommentit työryhmälle").fill(note)
    form.get_by_role("button", name=action, exact=True).click()


def open_compilations(page: Page) -> None:
    page.get_by_role("link", name="Puolivuotiskoosteet", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puolivuotiskoosteet")


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and WeasyPrint's hyphenation undone, for comparing with typed text."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(re.sub(r"-\n", "", text).split())


def test_the_working_group_compiles_the_review_body_approves_and_the_pdf_downloads(browsing, org):
    numbers = file_demo_reports(org)
    period = period_of(utcnow())
    highlighted = numbers[0]

    group = browsing.person("working_group")
    log_in(group, "w@t.example")
    open_compilations(group)
    group.get_by_label("Puolivuotiskausi").select_option(period.code)
    group.get_by_role("button", name="Avaa kooste").click()
    expect(group.get_by_role("heading", level=1)).to_have_text(f"Sosiaalisen raportoinnin kooste {period.label}")
    saved(group, "Kooste avattu")
    expect(group.get_by_role("heading", name="Kauden raportit (4)")).to_be_visible()

    group.get_by_label("Yhteenveto", exact=True).fill(SUMMARY)
    housing = group.get_by_role("group", name="Asuminen", exact=True)
    housing.get_by_label("Havainnot").fill(FINDINGS)
    housing.get_by_label("Ehdotukset").fill(PROPOSALS)
    group.get_by_role("button", name="Tallenna tekstit").click()
    saved(group, "Tekstit tallennettu")
    expect(group.get_by_label("Yhteenveto", exact=True)).to_have_value(SUMMARY)

    group.get_by_role("row").filter(has_text=highlighted).get_by_role("button", name="Nosta").click()
    saved(group, "Raportti nostettu koosteeseen")
    excerpt = group.get_by_role("group", name=re.compile(f"^{highlighted}")).get_by_label("Koosteessa näytettävä ote")
    excerpt.fill(EXCERPT)
    group.get_by_role("button", name="Tallenna ote").click()
    saved(group, "Ote tallennettu")

    act(group, "Lähetä jaoston käsiteltäväksi")
    saved(group, "Kooste lähetetty asiakaskokemusjaoston käsiteltäväksi")
    expect(group.locator(".facts")).to_contain_text("Jaoston käsiteltävänä")
    expect(group.get_by_role("button", name="Tallenna tekstit")).to_have_count(0)

    body = browsing.person("review_body")
    log_in(body, "r@t.example")
    open_compilations(body)
    body.get_by_role("link", name=period.code).click()
    expect(body.get_by_text(SUMMARY)).to_be_visible()
    expect(body.locator("blockquote")).to_contain_text(EXCERPT)
    act(body, "Hyväksy ja julkaise", APPROVAL)
    saved(body, "Kooste hyväksytty ja julkaistu")
    expect(body.locator(".facts")).to_contain_text("Julkaistu")
    expect(body.locator(".timeline")).to_contain_text(APPROVAL)

    pdf = download(body, body.get_by_role("link", name="Koko kooste (PDF)"))
    assert pdf.suggested_filename == f"sosiaalisen-raportoinnin-kooste-{period.code}.pdf"
    data = Path(pdf.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for typed in (SUMMARY, FINDINGS, PROPOSALS, EXCERPT, highlighted, *numbers[:4]):
        assert typed in text, typed
    assert "LUONNOS" not in text and "Maija Meikäläinen" not in text
    assert not any(number in text for number in numbers[4:]), "the previous half-year is only counted"

    db.session.remove()
    published = compilations.find(period)
    assert published.status == CompilationStatus.PUBLISHED and published.snapshot["summary"] == SUMMARY
    assert [h.report.number for h in published.highlights] == [highlighted]
    assert published.highlights[0].excerpt == EXCERPT
    db.session.remove()
