"""Markup typed into any text field is shown as text on every page and in every mail that shows it."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from app.codes import Nature, Phenomenon
from app.extensions import db
from app.models import OutboxMessage, Theme
from app.workflow import compilation_export, compilations
from app.workflow.compilation_transitions import CompilationAction
from app.workflow.filing import ReportInput, file_report
from app.workflow.operations import perform
from app.workflow.periods import period_of
from app.workflow.transitions import Action
from helpers import csrf_token, file_via_form, login

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">&amp;'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
RAW = ("<script>alert", "<img src=x", '<a href="javascript:', "onerror=alert(1)>")


def assert_shown_as_text(html: str, where: str, times: int) -> None:
    """No markup comes through, and the escaped text appears exactly where expected (an internal note would add one)."""
    for raw in RAW:
        assert raw not in html, f"{where}: unescaped {raw!r}"
    assert html.count(ESCAPED) == times, f"{where}: the text is shown {html.count(ESCAPED)} times, not {times}"


def act(client, number: str, action: str, note: str, **extra) -> None:  # type: ignore[no-untyped-def]
    page = client.get(f"/cases/{number}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(f"/cases/{number}/{action}", data={"csrf_token": csrf_token(client, f"/cases/{number}"),
                                                               "version": version, "note": note, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_markup_in_every_text_field_is_shown_as_text_on_pages_and_in_mail(app, org):
    reporter = app.test_client()
    login(reporter, org["employee"].email)
    receipt = file_via_form(reporter, description=f"Kuvaus {MARKUP}", proposed_actions=f"Ehdotus {MARKUP}",
                            reporter_name=f"Nimi {MARKUP}", reporter_email="raportoija@t.example")
    html = receipt.get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)

    handler = app.test_client()
    login(handler, org["handler"].email)
    act(handler, number, "start_handling", f"Aloitus {MARKUP}")
    act(handler, number, "add_note", f"Julkinen {MARKUP}", is_public="y")
    act(handler, number, "add_note", f"Sisäinen {MARKUP}")
    act(handler, number, "ask_reporter", f"Kysymys {MARKUP}")

    tracked = reporter.post("/track", data={"csrf_token": csrf_token(reporter, "/track"), "number": number,
                                            "code": code})
    # description, proposal, start note, public note and the open question (in the timeline and above it);
    # never the internal note
    assert_shown_as_text(tracked.get_data(as_text=True), "tracking page", times=6)
    own = reporter.get(f"/my-reports/{number}")
    assert_shown_as_text(own.get_data(as_text=True), "my report", times=6)
    token = csrf_token(reporter, "/track")
    answered = reporter.post("/track/answer", data={"csrf_token": token, "number": number, "code": code,
                                                    "answer": f"Vastaus {MARKUP}"})
    assert answered.status_code == 200
    # the question is answered and only in the timeline now; the answer joins it
    assert_shown_as_text(answered.get_data(as_text=True), "tracking page after the answer", times=6)

    case = handler.get(f"/cases/{number}").get_data(as_text=True)
    # name, description, proposal, four notes and the answer
    assert_shown_as_text(case, "case page", times=8)
    for path in ("/cases/", "/cases/notifications", "/my-reports"):
        for client in (handler, reporter):
            page = client.get(path).get_data(as_text=True)
            assert not any(raw in page for raw in RAW), path

    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    kinds = {message.kind for message in messages}
    assert {"acknowledgement", "reporter_update", "new_report_action", "answer_received"} <= kinds, kinds
    for message in messages:
        assert not any(raw in message.body_html for raw in RAW), f"{message.kind} to {message.recipient}"
        assert not any(raw in message.subject for raw in RAW), message.subject
    to_reporter = [m for m in messages if m.recipient == "raportoija@t.example"]
    # the greeting names the reporter in every mail; the notes and the question are quoted
    assert all(ESCAPED in m.body_html for m in to_reporter) and len(to_reporter) == 4
    assert sum(m.body_html.count(ESCAPED) for m in to_reporter) == 4 + 3


def pdf_text(data: bytes) -> str:
    """The PDF's text with line breaks and hyphenation undone, as one line."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(re.sub(r"-\n", "", text).split())


def link_targets(data: bytes) -> list[str]:
    """Every URI a link annotation of the PDF points to."""
    targets = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_markup_in_reports_names_and_the_working_groups_texts_is_text_in_the_compilation_pdf(
        app, org, create_unit):  # type: ignore[no-untyped-def]
    """Reports, unit and forum names (the administrator's), the summary, theme texts and an excerpt."""
    unit = create_unit("U-MARKUP", name=f"Yksikkö {MARKUP}", municipality="Iisalmi")
    org["forum"].name = f"Foorumi {MARKUP}"
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    report = file_report(ReportInput(unit=unit, nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                                     description=f"Kuvaus {MARKUP}", proposed_actions=f"Ehdotus {MARKUP}",
                                     themes=[themes["housing"]], reporter_name=f"Nimi {MARKUP}")).report
    perform(Action.START_HANDLING, report, org["handler"])
    perform(Action.TAKE_FORWARD, report, org["handler"], note="Eteenpäin.", forum=org["forum"])
    period = period_of(report.created_at)
    compilation = compilations.open_compilation(period, org["working_group"])
    compilations.save_texts(compilation, org["working_group"], f"Yhteenveto {MARKUP}",
                            {"housing": (f"Havainto {MARKUP}", f"Esitys {MARKUP}")})
    highlight = compilations.highlight_report(compilation, org["working_group"], report.number)
    compilations.edit_highlight(compilation, org["working_group"], highlight.id, f"Ote {MARKUP}")
    compilations.perform(CompilationAction.SEND_FOR_REVIEW, compilation, org["working_group"])
    compilations.perform(CompilationAction.APPROVE, compilation, org["review_body"])
    db.session.commit()

    html = compilation_export.render_html(compilations.content_of(period, compilation))
    for raw in RAW:
        assert raw not in html, f"unescaped {raw!r} in the PDF's HTML"

    client = app.test_client()
    login(client, org["coordinator"].email)
    for query, part in (("", "whole county"), ("?municipality=140", "Iisalmi's part")):
        response = client.get(f"/compilations/{period.code}/kooste.pdf{query}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF-"), part
        text = pdf_text(response.data)
        literal = " ".join(MARKUP.split())
        for label in ("Yksikkö", "Foorumi", "Kuvaus", "Ehdotus", "Yhteenveto", "Havainto", "Esitys", "Ote"):
            assert f"{label} {literal}" in text, f"{part}: {label} is not shown as typed"
        assert "Nimi" not in text, f"{part}: the reporter's name is never published"
        assert not any("javascript" in target for target in link_targets(response.data)), part
