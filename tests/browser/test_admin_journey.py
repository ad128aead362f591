"""The administrator in a real browser: the organisation's CSV import, the settings and the mail page.

axe-core checks every page the journey passes, the import's list of problems and its preview included.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from browser_tools import download, log_in
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import OrgNode, OutboxMessage, utcnow
from app.workflow.admin import site_settings

IMPORT_LABEL = "Tuo organisaatio CSV-tiedostosta"


def tree() -> list[tuple]:  # type: ignore[type-arg]
    db.session.remove()
    try:
        return sorted((n.code, n.name, n.active, n.parent_id, n.municipality_id)
                      for n in db.session.scalars(sa.select(OrgNode)))
    finally:
        db.session.remove()


def upload(page: Page, text: str) -> None:
    page.get_by_label(IMPORT_LABEL).set_input_files(
        {"name": "organisaatio.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")})
    page.get_by_role("button", name="Tarkista tiedosto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisaation tuonti: organisaatio.csv")


def test_the_administrator_imports_the_organisation_from_csv(browsing, org):
    area = org["area"].code
    db.session.remove()  # on SQLite the read would keep the write lock from the server
    admin = browsing.person("admin")
    log_in(admin, "a@t.example")
    admin.get_by_role("link", name="Ylläpito").click()
    admin.get_by_role("link", name=re.compile("^Organisaatio Toimialat")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Organisaatio")

    csv = download(admin, admin.get_by_role("link", name="Lataa CSV-tiedostona"))
    exported = Path(csv.path()).read_text(encoding="utf-8-sig").rstrip("\r\n")
    lines = exported.splitlines()
    assert lines[0].startswith("code;name;kind;parent;municipality") and len(lines) == 6, lines
    before = tree()

    broken = "\n".join([*lines,
                        f"U-SII;Aikuissosiaalityö, Siilinjärvi;unit;{area};Siilinjärvi;ehkä;;;",
                        f"U-LAP;Aikuissosiaalityö, Lapinlahti;unit;{area};Mordor;yes;;;",
                        "U-TYHJA;;unit;A-EI-OLE;Kuopio;yes;;nobody@t.example;"])
    upload(admin, broken)
    problems = admin.get_by_role("alert")
    expect(problems).to_contain_text("Mitään ei muutettu")
    rows = admin.locator("table.import-problems tbody tr")
    expect(rows.filter(has_text="Sarakkeessa active").locator("td").first).to_have_text("7")
    expect(rows.filter(has_text="Mordor").locator("td").first).to_have_text("8")
    for problem in ("Nimi puuttuu", "A-EI-OLE", "nobody@t.example"):
        expect(rows.filter(has_text=problem).locator("td").first).to_have_text("9")
    count = rows.count()
    expect(problems).to_contain_text(f"Tiedostossa on {count} virhettä")
    expect(admin.get_by_role("button", name="Vahvista muutokset")).to_have_count(0)
    assert tree() == before, "a file with problems changes nothing"

    admin.get_by_role("link", name="← Organisaatio").click()
    fixed = "\n".join([*lines,
                       f"U-SII;Aikuissosiaalityö, Siilinjärvi;unit;{area};Siilinjärvi;yes;;;",
                       f"U-LAP;Aikuissosiaalityö, Lapinlahti;unit;{area};Lapinlahti;yes;;s2@t.example;"])
    upload(admin, fixed)
    expect(admin.get_by_text("Tiedosto on kunnossa")).to_be_visible()
    expect(admin.get_by_text("Uusia yksiköitä: 2")).to_be_visible()
    changes = admin.locator("table.import-changes tbody tr")
    expect(changes).to_have_count(2)
    expect(changes.nth(0)).to_contain_text("U-SII")
    expect(changes.nth(1)).to_contain_text("U-LAP")
    assert tree() == before, "the preview changes nothing"

    admin.get_by_role("button", name="Vahvista muutokset").click()
    expect(admin.get_by_role("status")).to_contain_text("Organisaatio päivitettiin: 2 uutta")
    expect(admin.get_by_role("link", name="Aikuissosiaalityö, Lapinlahti")).to_be_visible()
    after = {code: (name, active) for code, name, active, *_ in tree()}
    assert after["U-SII"] == ("Aikuissosiaalityö, Siilinjärvi", True)
    assert after["U-LAP"] == ("Aikuissosiaalityö, Lapinlahti", True)
    assert {code for code, *_ in before} < set(after), "nothing that was there went away"


def test_the_administrator_changes_a_setting_and_reads_the_mail_page(browsing, org):
    db.session.add(OutboxMessage(kind="new_report_action", recipient="h@t.example", subject="Uusi raportti",
                                 body_text="-", body_html="<p>-</p>", attempts=5, failed_at=utcnow(),
                                 last_error="Connection refused", created_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    admin = browsing.person("admin")
    log_in(admin, "a@t.example")
    admin.get_by_role("link", name="Ylläpito").click()
    admin.get_by_role("link", name=re.compile("^Asetukset Määräajat")).click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Asetukset")

    days = admin.get_by_label("Käsittely alkaa viimeistään")
    days.fill("0")
    admin.get_by_role("button", name="Tallenna", exact=True).click()
    summary = admin.get_by_role("alert")
    expect(summary).to_contain_text("Asetuksia ei tallennettu")
    days.fill("10")
    admin.get_by_role("button", name="Tallenna", exact=True).click()
    expect(admin.get_by_role("status")).to_contain_text("Asetukset tallennettu")
    expect(days).to_have_value("10")
    db.session.remove()
    assert site_settings.current()["FIRST_HANDLING_DAYS"] == 10
    db.session.remove()

    admin.get_by_role("navigation", name="Ylläpito").get_by_role("link", name="Sähköpostit").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Sähköpostien lähetys")
    row = admin.get_by_role("row").filter(has_text="Uusi raportti")
    expect(row).to_contain_text("Keskeytetty")
    admin.get_by_role("button", name="Yritä kaikkia uudelleen nyt").click()
    expect(admin.get_by_role("status")).to_contain_text("1 viesti lähetetään uudelleen")
