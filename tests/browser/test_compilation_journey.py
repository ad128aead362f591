"""The half-yearly compilation in a real browser, as issue 16's journey: the working group reads the
period's reports on the page, chooses and edits two excerpts and sends the compilation for review; the
review body confirms publication; a logged-out visitor opens the public results and downloads the PDF
(rendered by the scheduler while the page waits); the group withdraws it and a corrected version is
published. axe-core checks every page the journey passes."""
from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from browser_tools import download_rendered, log_in
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
EXCERPTS = ("Kohtuuhintaisia vuokra-asuntoja on liian vähän, ja vuokravelka johtaa häätöuhkaan.",
            "Ensisuojaa ei ole, joten akuutisti asunnoton jää ilman yösijaa.")
CORRECTED = "Kohtuuhintaisia vuokra-asuntoja on liian vähän."
APPROVAL = "Hyväksytty jaoston kokouksessa."
WITHDRAWAL = "Otteessa oli liian tarkka kuvaus tilanteesta."


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


def saved(page: Page, message: str, *, in_view: bool = False) -> None:
    """`in_view`: the message is where the writer is looking, not screens above."""
    status = page.get_by_role("status").filter(has_text=message)
    expect(status).to_be_in_viewport() if in_view else expect(status).to_be_visible()


def act(page: Page, action: str, note: str = "", confirm: bool = False) -> None:
    form = page.locator("form.case-action").filter(has=page.get_by_role("group", name=action, exact=True))
    if note:
        form.get_by_role("textbox").fill(note)
    if confirm:
        form.get_by_role("checkbox").check()
    form.get_by_role("button", name=action, exact=True).click()


def open_compilations(page: Page) -> None:
    page.get_by_role("link", name="Puolivuotiskoosteet", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puolivuotiskoosteet")


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and WeasyPrint's hyphenation undone, for comparing with typed text."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(re.sub(r"-\n", "", text).split())


def choose_excerpt(group: Page, number: str, text: str, level: str) -> None:
    fieldset = group.get_by_role("group", name=re.compile(f"^{number}"))
    fieldset.get_by_label("Julkaistava ote").fill(text)
    fieldset.get_by_label("Otteen yhteydessä kerrotaan").select_option(label=level)
    fieldset.get_by_role("button", name="Tallenna ote").click()
    saved(group, "Ote tallennettu", in_view=True)


def test_the_group_chooses_excerpts_the_body_confirms_the_public_reads_and_the_group_withdraws(browsing, org):
    numbers = file_demo_reports(org)
    period = period_of(utcnow())
    first, second = numbers[0], numbers[2]

    group = browsing.person("working_group")
    log_in(group, "w@t.example")
    open_compilations(group)
    group.get_by_label("Puolivuotiskausi").select_option(period.code)
    group.get_by_role("button", name="Avaa kooste").click()
    expect(group.get_by_role("heading", level=1)).to_have_text(f"Sosiaalisen raportoinnin kooste {period.label}")
    saved(group, "Kooste avattu")

    # the period's reports in full, filterable, on the page
    group.get_by_role("link", name="Lue kauden raportit ja valitse otteet").click()
    expect(group.get_by_role("status").filter(has_text="raporttia")).to_have_text("4 / 4 raporttia")
    expect(group.locator(f"#report-{first}")).to_contain_text(REPORT_TEMPLATES[0]["description"][:60])
    group.get_by_label("Hae sanoilla").fill("ensisuojaa")
    group.get_by_role("button", name="Suodata").click()
    expect(group.get_by_role("status").filter(has_text="raporttia")).to_have_text("1 / 4 raporttia")
    group.locator(f"#report-{second}").get_by_role("button", name="Valitse otteeksi").click()
    saved(group, "Raportti valittu koosteeseen")
    group.get_by_label("Hae sanoilla").fill("")
    group.get_by_role("button", name="Suodata").click()
    group.locator(f"#report-{first}").get_by_role("button", name="Valitse otteeksi").click()
    saved(group, "Raportti valittu koosteeseen")
    expect(group.locator(f"#report-{first}")).to_contain_text("Valittu otteeksi")

    group.get_by_role("link", name=re.compile("^← Kooste")).click()
    choose_excerpt(group, first, EXCERPTS[0], f"{period.label} + Kunta")
    choose_excerpt(group, second, EXCERPTS[1], f"{period.label} + Toimiala")

    group.get_by_label("Yhteenveto", exact=True).fill(SUMMARY)
    housing = group.get_by_role("group", name="Asuminen", exact=True)
    housing.get_by_label("Havainnot").fill(FINDINGS)
    housing.get_by_label("Ehdotukset").fill(PROPOSALS)
    housing.get_by_role("button", name="Tallenna tekstit").click()
    saved(group, "Tekstit tallennettu")
    expect(group.get_by_label("Yhteenveto", exact=True)).to_have_value(SUMMARY)

    # other themes have reports but no text: the page says so, and sending needs a confirmation
    act(group, "Lähetä jaoston käsiteltäväksi")
    expect(group.get_by_role("alert")).to_contain_text("Näillä teemoilla on raportteja")
    act(group, "Lähetä jaoston käsiteltäväksi", confirm=True)
    saved(group, "Kooste lähetetty asiakaskokemusjaoston käsiteltäväksi")
    expect(group.locator(".facts")).to_contain_text("Jaoston käsiteltävänä")

    body = browsing.person("review_body")
    log_in(body, "r@t.example")
    open_compilations(body)
    body.get_by_role("link", name=period.code).click()
    expect(body.get_by_text(SUMMARY)).to_be_visible()
    for excerpt in EXCERPTS:
        expect(body.locator("blockquote").filter(has_text=excerpt)).to_be_visible()
    approval = body.locator("#action-approve")
    expect(approval).to_contain_text("Hyväksyminen julkaisee koosteen heti.")
    expect(approval).to_contain_text("Sähköposti julkaisusta lähtee: Kirsi Koordinaattori")
    act(body, "Hyväksy ja julkaise", APPROVAL)  # not confirmed: refused, nothing published
    expect(body.get_by_role("alert")).to_contain_text("Vahvista julkaisu")
    act(body, "Hyväksy ja julkaise", APPROVAL, confirm=True)
    saved(body, "Kooste hyväksytty ja julkaistu")
    expect(body.locator(".facts")).to_contain_text("Julkaistu")
    expect(body.locator(".timeline")).to_contain_text(APPROVAL)

    # a resident, not logged in, from the start page
    visitor = browsing.person("visitor")
    visitor.goto("/")
    visitor.get_by_role("link", name=re.compile("^Tulokset")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Sosiaalisen raportoinnin tulokset")
    visitor.get_by_role("link", name=f"Kooste {period.label}").click()
    expect(visitor.get_by_text(SUMMARY)).to_be_visible()
    expect(visitor.locator("blockquote").filter(has_text=EXCERPTS[1])).to_contain_text("Perhe- ja sosiaalipalvelut")
    expect(visitor.locator("main")).not_to_contain_text(REPORT_TEMPLATES[0]["description"][:60])
    pdf = download_rendered(visitor, visitor.get_by_role("link", name="Koko kooste (PDF)"))
    text = pdf_text(Path(pdf.path()).read_bytes())
    for typed in (SUMMARY, FINDINGS, PROPOSALS, *EXCERPTS):
        assert typed in text, typed
    assert "LUONNOS" not in text and "Maija Meikäläinen" not in text
    assert not any(number in text for number in numbers), "no report numbers are published"
    assert REPORT_TEMPLATES[0]["description"][:60] not in text, "only the excerpt, not the report"

    # the group withdraws it with a reason; the public page no longer offers it
    group.reload()
    act(group, "Peru julkaisu")
    expect(group.get_by_role("alert")).to_contain_text("Kirjoita, miksi julkaisu perutaan")
    act(group, "Peru julkaisu", WITHDRAWAL)
    saved(group, "Julkaisu peruttu")
    expect(group.locator(".facts")).to_contain_text("Luonnos")
    visitor.goto("/results/")
    expect(visitor.get_by_text("Julkaistuja koosteita ei vielä ole.")).to_be_visible()

    # a corrected version replaces it; the earlier one's record is shown with the reason
    group.get_by_role("group", name=re.compile(f"^{first}")).get_by_label("Julkaistava ote").fill(CORRECTED)
    group.get_by_role("group", name=re.compile(f"^{first}")).get_by_role("button", name="Tallenna ote").click()
    saved(group, "Ote tallennettu", in_view=True)
    act(group, "Lähetä jaoston käsiteltäväksi", confirm=True)
    saved(group, "Kooste lähetetty")
    body.reload()
    act(body, "Hyväksy ja julkaise", "Korjattu versio hyväksytty.", confirm=True)
    saved(body, "Kooste hyväksytty ja julkaistu")
    visitor.goto(f"/results/{period.code}")
    expect(visitor.get_by_text("Tämä on korjattu versio.")).to_be_visible()
    expect(visitor.locator(".notice")).to_contain_text(WITHDRAWAL)
    expect(visitor.locator("blockquote").filter(has_text=CORRECTED)).to_be_visible()
    expect(visitor.locator("main")).not_to_contain_text(EXCERPTS[0])
    corrected = pdf_text(Path(download_rendered(visitor, visitor.get_by_role("link", name="Koko kooste (PDF)"))
                              .path()).read_bytes())
    assert "Korjattu versio" in corrected and WITHDRAWAL in " ".join(corrected.split()), "the PDF says it replaces one"

    db.session.remove()
    published = compilations.find(period)
    assert published.status == CompilationStatus.PUBLISHED and published.snapshot["summary"] == SUMMARY
    assert len(published.publications) == 2 and published.publications[0].withdrawal_reason == WITHDRAWAL
    db.session.remove()
