"""Markup typed into any text field is shown as text everywhere it is shown: pages, mail, the feed, the PDFs.

Every field gets the same payload behind a token of its own (`marked("unit")` is
`[unit]"'><script>…`), is set through the form or route a person uses (or the workflow
function behind it, where the route adds nothing), and every page, mail, feed and PDF that
shows it is checked against a table of the fields it must show as typed:

- HTML (pages, the HTML part of mail, the charts' inline SVG): none of the payload's markup
  comes through (`RAW`), a parser finds no element or attribute the payload made, and the
  text a browser shows (entities decoded, attribute values included) holds the field exactly
  as typed: escaped once, so neither run nor shown as `&lt;`.
- Plain text (the text part of mail, PDFs read back with pypdf, the iCalendar feed): the
  field as typed, never HTML-escaped; a PDF makes no link of it; the feed escapes it as
  iCalendar text requires (`\\;`, `\\,`) and reads back as typed.

Each test renders each page once and checks every field on it, so the whole module stays fast.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote

import icalendar
import sqlalchemy as sa
from helpers import csrf_token, file_via_form, login, release_all
from pypdf import PdfReader

from app import jobs
from app.codes import Nature, Phenomenon, Role
from app.extensions import db
from app.models import ClockEvent, OutboxMessage, Report, Theme, utcnow
from app.workflow.cases.operations import perform
from app.workflow.cases.transitions import Action
from app.workflow.compilations import clock_events
from app.workflow.compilations import operations as compilations
from app.workflow.compilations.content import COUNTY
from app.workflow.compilations.periods import Period, period_of
from app.workflow.mail import digests

PAYLOAD = "\"'><script>alert(1)</script><b onmouseover=x><a href=javascript:x>&amp;;,"
RAW = ("<script>alert(1)", "<b onmouseover", "<a href=javascript")


def marked(field: str) -> str:
    """The text typed into `field`: its token, then markup that must never run."""
    return f"[{field}]{PAYLOAD}"


class _Browser(HTMLParser):
    """What a browser makes of a page: the text it shows and any markup the payload would add."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.injected: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "onmouseover" or (value or "").startswith("javascript:"):
                self.injected.append(f"<{tag} {name}={value}>")
            self.pieces.append(value or "")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False
        self.pieces.append("\0")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.injected.append(f"<script>{data}")
        self.pieces.append(data)


def html_problems(html: str, where: str, shown: list[str], hidden: tuple[str, ...] = (),
                  typed: dict[str, str] | None = None) -> list[str]:
    """Why `html` does not show each field of `shown` as typed (and none of `hidden`); empty when it does.

    A field whose text could not be typed in full is looked for as `typed` gives it.
    """
    problems = [f"{where}: unescaped {raw!r}" for raw in RAW if raw in html]
    browser = _Browser()
    browser.feed(html)
    browser.close()
    problems += [f"{where}: the payload made {what!r}" for what in browser.injected]
    text = "\0".join(browser.pieces)
    problems += [f"{where}: {field} is not shown as typed" for field in shown
                 if (typed or {}).get(field, marked(field)) not in text]
    problems += [f"{where}: {field} is shown but must not be" for field in hidden if f"[{field}]" in html]
    return problems


def text_problems(text: str, where: str, shown: list[str], hidden: tuple[str, ...] = ()) -> list[str]:
    """The same for plain text: each field appears as typed, and nothing was HTML-escaped on the way."""
    problems = [f"{where}: {field} is not shown as typed" for field in shown if marked(field) not in text]
    problems += [f"{where}: {field} is shown but must not be" for field in hidden if f"[{field}]" in text]
    if "&lt;" in text or "&#34;" in text:
        problems.append(f"{where}: HTML-escaped text in plain text")
    return problems


def mail_problems(kind: str, shown: list[str], hidden: tuple[str, ...] = ()) -> list[str]:
    """Every queued mail of `kind`: both parts of each are clean; together they show every field of `shown`."""
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)
                                  .order_by(OutboxMessage.id)).all()
    if not messages:
        return [f"{kind}: no mail was queued"]
    problems = []
    for message in messages:
        where = f"{kind} mail to {message.recipient}"
        problems += html_problems(message.body_html, where, [], hidden)
        problems += text_problems(message.body_text + message.subject, where, [], hidden)
        problems += [f"{where}: unescaped {raw!r} in the subject" for raw in RAW if raw in message.subject]
    problems += html_problems("".join(m.body_html for m in messages), f"{kind} mail (HTML)", shown)
    problems += text_problems("".join(m.body_text for m in messages), f"{kind} mail (text)", shown)
    return problems


def svg(html: str) -> str:
    """The inline charts of a page."""
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert found, "the page has no chart"
    return "".join(found)


def pdf_problems(data: bytes, where: str, shown: list[str], hidden: tuple[str, ...] = ()) -> list[str]:
    """A PDF read back: every field as typed (line breaks aside), none hidden, and no link made of any.

    A line breaks at a space, after a hyphen typed, or inside a word with a hyphen added (paragraphs
    hyphenate), so the text is read both with and without the hyphens that end a line.
    """
    assert data.startswith(b"%PDF-"), where
    reader = PdfReader(io.BytesIO(data))
    lines = "\n".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s", "", lines) + "\0" + re.sub(r"\s", "", re.sub(r"-\n", "", lines))
    problems = [f"{where}: {field} is not shown as typed" for field in shown
                if re.sub(r"\s", "", marked(field)) not in text]
    problems += [f"{where}: {field} is shown but must not be" for field in hidden if f"[{field}]" in text]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "javascript" in str(action.get("/URI", "")):
                problems.append(f"{where}: a link to {action['/URI']}")
    return problems


def table_problems(places: list[tuple]) -> list[str]:  # type: ignore[type-arg]
    """Check a table of (where, html, fields shown as typed[, fields never shown]) rows."""
    return [problem for where, html, *fields in places for problem in html_problems(html, where, *fields)]


def report_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def client_of(app, user):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, user.email)
    return client


def page(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response.get_data(as_text=True)


def submit(client, path: str, expected: int = 302, follow: bool = False, **data) -> str:  # type: ignore[no-untyped-def]
    """POST a form as its page would, with the session's CSRF token; returns the page shown after it."""
    response = client.post(path, data={"csrf_token": csrf_token(client, "/"), **data}, follow_redirects=follow)
    assert response.status_code == (200 if follow else expected), f"{path}: {response.get_data(as_text=True)}"
    return response.get_data(as_text=True)


def act(client, number: str, action: str, note: str, **extra) -> None:  # type: ignore[no-untyped-def]
    version = re.search(r'name="version" value="(\d+)"', page(client, f"/cases/{number}")).group(1)
    submit(client, f"/cases/{number}/{action}", version=version, note=note, **extra)


# ---- the report and its handling ----------------------------------------------------------------

def test_the_report_its_notes_and_the_answer_are_text_on_every_page_and_in_every_mail(app, org):
    org["employee"].name = marked("reporter-name")  # logged in, a named report goes under the account's name
    db.session.commit()
    reporter = client_of(app, org["employee"])
    form = page(reporter, "/report/new")
    receipt = file_via_form(reporter, description=marked("description"), proposed_actions=marked("proposal"),
                            under_my_name="y")
    html = receipt.get_data(as_text=True)
    number = re.search(r'id="report-number">([^<]+)<', html).group(1)
    code = re.search(r'id="tracking-code">([^<]+)<', html).group(1)

    handler = client_of(app, org["handler"])
    act(handler, number, "start_handling", marked("start-note"))
    act(handler, number, "add_note", marked("public-note"), is_public="y")
    act(handler, number, "add_note", marked("internal-note"))
    act(handler, number, "ask_reporter", marked("question"))

    tracked = reporter.post("/track", data={"csrf_token": csrf_token(reporter, "/track"), "number": number,
                                            "code": code}, follow_redirects=True).get_data(as_text=True)
    own = page(reporter, f"/my-reports/{number}")
    answered = reporter.post("/track/answer", data={"csrf_token": csrf_token(reporter, "/track"), "number": number,
                                                    "code": code, "answer": marked("answer")}, follow_redirects=True)
    assert answered.status_code == 200
    public, internal = ["description", "proposal", "start-note", "public-note", "question"], ("internal-note",)
    problems = table_problems([
        ("report form, the account's name shown", form, ["reporter-name"]),
        ("tracking page", tracked, public, internal),
        ("my report", own, public, internal),
        ("tracking page after the answer", answered.get_data(as_text=True), [*public, "answer"], internal),
        ("case page", page(handler, f"/cases/{number}"), ["reporter-name", *public, "internal-note", "answer"]),
        ("inbox", page(handler, "/cases/"), []),
        ("notifications", page(handler, "/cases/notifications"), []),
        ("my reports", page(reporter, "/my-reports"), []),
    ])
    # the greeting names the reporter in every mail to them; a public note or question is quoted
    problems += mail_problems("acknowledgement", ["reporter-name"])
    problems += mail_problems("reporter_update", ["reporter-name", "start-note", "public-note", "question"],
                              hidden=("internal-note",))
    for kind in ("new_report_action", "new_report_information", "answer_received"):
        problems += mail_problems(kind, [], hidden=("description", "internal-note", "answer"))
    report_problems(problems)


# ---- what the administrator names: people, the organisation, forums, themes, settings, tokens -----

def test_names_and_texts_the_administrator_enters_are_text_on_every_page_and_in_every_mail(app, org, create_user):
    admin, area, division = client_of(app, org["admin"]), org["area"], org["area"].parent
    housing = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    saved = {}
    saved["user"] = submit(admin, f"/admin/users/{org['handler'].id}", follow=True, name=marked("handler-name"),
                           email=org["handler"].email)
    submit(admin, f"/admin/users/{org['admin'].id}", name=marked("admin-name"), email=org["admin"].email)
    submit(admin, f"/admin/org/{area.code}", code=area.code, name=marked("area"), kind="service_area",
           parent=division.code, municipality="", handling_node="", active="y")
    submit(admin, f"/admin/org/{division.code}", code=division.code, name=marked("division"), kind="division",
           parent="", municipality="", handling_node="", active="y")
    saved["unit"] = submit(admin, "/admin/org/U-KUO", follow=True, code="U-KUO", name=marked("unit"), kind="unit",
                           parent=area.code, municipality="297", handling_node="", active="y")
    submit(admin, "/admin/forums/RSTR", code="RSTR", name=marked("forum"), level="county", municipality="", active="y")
    saved["theme"] = submit(admin, "/admin/themes/housing", follow=True, code="housing", label_fi=marked("theme-fi"),
                            label_en=marked("theme-en"), position=str(housing.position), active="y")
    submit(admin, "/admin/settings", first_handling_days="7", feedback_days="90", stalled_days="30",
           question_wait_days="14", reminder_percents="60, 80", disclosure_threshold="5",
           digest_rhythm="monthly", guidance_note_fi=marked("guidance-fi"), guidance_note_en=marked("guidance-en"))
    saved["token"] = submit(admin, "/admin/api-tokens", expected=201, name=marked("token"))
    token_id = re.search(r'/admin/api-tokens/(\d+)/revoke', saved["token"]).group(1)
    saved["revoked"] = submit(admin, f"/admin/api-tokens/{token_id}/revoke", follow=True)

    employee = client_of(app, org["employee"])
    form = page(employee, "/report/new")
    assert file_via_form(employee, themes=["housing"], under_my_name="y").status_code == 200
    file_via_form(employee, themes=["housing"])
    release_all()  # the anonymous one reaches the handlers with the day's release
    first = db.session.scalars(sa.select(Report.number).order_by(Report.id)).first()
    handler = client_of(app, org["handler"])  # the login is logged under the handler's name
    act(handler, first, "start_handling", "Aloitettu.", is_public="y")
    act(handler, first, "take_forward", "Viety eteenpäin.", is_public="y", forum="RSTR")

    now = utcnow()
    digests.send_deadline_notices(now + timedelta(days=6))  # past 80 % of the first handling time of the second
    digests.send_deadline_notices(now + timedelta(days=100))  # both late: the social director hears of them
    digests.send_digests(now + timedelta(days=100), rhythm="monthly")
    leaving = create_user("lahtija@t.example", name="Lauri Lähtijä", roles=[(Role.HANDLER, area)])
    successor_choice = page(admin, f"/admin/users/{leaving.id}")
    saved["hand-over"] = submit(admin, f"/admin/users/{leaving.id}/hand-over", follow=True,
                                successor=str(org["handler"].id), deactivate="y")
    undelivered = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).first()
    undelivered.attempts, undelivered.failed_at, undelivered.last_error = 5, utcnow(), marked("mail-error")
    db.session.commit()

    in_english = client_of(app, org["employee"])
    submit(in_english, "/language", **{"lang-language": "en", "lang-next": "/"})
    director = client_of(app, org["social_director"])
    places = [
        ("the user saved", saved["user"], ["handler-name"]),
        ("the unit saved", saved["unit"], ["unit", "area", "division"]),
        ("the theme saved", saved["theme"], ["theme-fi"]),
        ("the token created", saved["token"], ["token", "admin-name"]),
        ("the token revoked", saved["revoked"], ["token", "admin-name"]),
        ("the work handed over", saved["hand-over"], ["handler-name"]),
        ("a user's page: the successors", successor_choice, ["handler-name", "area"]),
        ("report form", form, ["unit", "division", "theme-fi", "guidance-fi"]),
        ("guidance", page(employee, "/guidance"), ["guidance-fi"]),
        ("report form in English", page(in_english, "/report/new"), ["unit", "theme-en", "guidance-en"]),
        ("guidance in English", page(in_english, "/guidance"), ["guidance-en"]),
        ("inbox", page(handler, "/cases/"), ["unit", "theme-fi"]),
        ("case page", page(handler, f"/cases/{first}"),
         ["unit", "division", "area", "forum", "theme-fi", "handler-name"]),
        ("notifications", page(handler, "/cases/notifications"), ["unit"]),
        ("dashboard", page(director, "/cases/dashboard"), ["unit", "theme-fi"]),
        ("my report", page(employee, f"/my-reports/{first}"), ["forum"]),
        ("users", page(admin, "/admin/users"), ["handler-name", "admin-name", "area"]),
        ("the handler's page", page(admin, f"/admin/users/{org['handler'].id}"), ["handler-name", "area"]),
        ("audit log", page(admin, "/admin/audit"),
         ["handler-name", "admin-name", "token", "guidance-fi", "guidance-en", "theme-fi", "theme-en", "unit", "forum"]),
        ("organisation", page(admin, "/admin/org"), ["unit", "area", "division", "handler-name"]),
        ("a service area's page", page(admin, f"/admin/org/{area.code}"), ["area", "handler-name"]),
        ("forums", page(admin, "/admin/forums"), ["forum"]),
        ("a forum's page", page(admin, "/admin/forums/RSTR"), ["forum"]),
        ("themes", page(admin, "/admin/themes"), ["theme-fi"]),
        ("a theme's page", page(admin, "/admin/themes/housing"), ["theme-fi", "theme-en"]),
        ("settings", page(admin, "/admin/settings"), ["guidance-fi", "guidance-en"]),
        ("API tokens", page(admin, "/admin/api-tokens"), ["token", "admin-name"]),
        ("mail delivery", page(admin, "/admin/mail/"), ["mail-error"]),
    ]
    problems = table_problems(places)
    for kind, shown in (("new_report_action", ["unit"]), ("new_report_information", ["unit"]),
                        ("reporter_update", ["forum"]), ("reminder", ["unit"]), ("overdue", ["unit", "area"]),
                        ("digest", ["handler-name", "unit"]), ("handed_over", ["unit"])):
        problems += mail_problems(kind, shown)
    report_problems(problems)


# ---- the half-yearly compilation and the welfare package ------------------------------------------

def test_the_compilations_texts_and_names_are_text_on_its_pages_in_the_welfare_package_and_in_every_pdf(
        app, org, create_unit, create_report):  # type: ignore[no-untyped-def]
    """The theme's, unit's and forum's names come from the administrator (their forms are proven above)."""
    unit = create_unit("U-MARKUP", name=marked("unit"), municipality="Iisalmi")
    org["forum"].name = marked("forum")
    org["review_body"].name = marked("review-name")
    housing = db.session.scalar(sa.select(Theme).where(Theme.code == "housing"))
    housing.label_fi = marked("theme-fi")
    report = create_report(unit, nature=Nature.NEGATIVE, phenomenon=Phenomenon.SOCIAL_PROBLEMS,
                           description=marked("description"), proposed_actions=marked("proposal"),
                           themes=[housing], reporter_name=marked("reporter-name"))
    perform(Action.START_HANDLING, report, org["handler"])
    perform(Action.TAKE_FORWARD, report, org["handler"], note="Eteenpäin.", forum=org["forum"])
    period = period_of(report.created_at)
    compilation = compilations.open_compilation(period, org["working_group"])
    db.session.commit()
    path = f"/compilations/{period.code}"

    def version() -> str:
        db.session.refresh(compilation)
        return str(compilation.version)

    group, review = client_of(app, org["working_group"]), client_of(app, org["review_body"])
    submit(group, f"{path}/texts", version=version(), summary=marked("summary"),
           findings_housing=marked("findings"), proposals_housing=marked("proposals"))
    submit(group, f"{path}/highlights", version=version(), number=report.number)
    highlight = compilation.highlights[0].id
    submit(group, f"{path}/highlights/{highlight}", version=version(), excerpt=marked("excerpt"))
    submit(group, f"{path}/send_for_review", version=version(), confirmed="y")
    submit(review, f"{path}/return", version=version(), note=marked("review-note"))
    draft = page(group, path)
    submit(group, f"{path}/send_for_review", version=version(), confirmed="y")
    submit(review, f"{path}/approve", version=version(), note=marked("approval-note"), confirmed="y")

    coordinator = client_of(app, org["coordinator"])
    package = f"municipality={COUNTY}&span={period.code}&themes=housing"
    published = coordinator.get(path, follow_redirects=True).get_data(as_text=True)  # the public results page
    welfare = page(coordinator, f"/welfare/?{package}")
    texts, never = ["summary", "findings", "proposals", "excerpt"], ("reporter-name",)
    unpublished = (*never, "review-note", "approval-note", "review-name", "unit", "description", "proposal")
    """Published: the group's texts and excerpts only; never the unit below the chosen level, nor the report's text."""
    problems = table_problems([
        ("draft compilation", draft,
         [*texts, "review-note", "review-name", "theme-fi", "unit", "description"], never),
        ("draft compilation's charts", svg(draft), ["theme-fi", "unit"]),
        ("published compilation", published, [*texts, "theme-fi"], unpublished),
        ("published compilation's charts", svg(published), ["theme-fi"]),
        ("welfare package", welfare, [*texts, "theme-fi"], unpublished),
        ("welfare package's charts", svg(welfare), ["theme-fi"]),
    ])
    published_fields = [*texts, "theme-fi"]
    urls = (("compilation PDF", f"{path}/kooste.pdf", published_fields),
            ("Iisalmi's part of the PDF", f"{path}/kooste.pdf?municipality=140",  # the excerpt names no municipality
             ["summary", "findings", "proposals", "theme-fi"]),
            ("welfare package PDF", f"/welfare/aineisto.pdf?{package}", [*texts, "theme-fi"]))
    for _where, url, _shown in urls:  # queued by the request, rendered by the scheduler
        coordinator.get(url, follow_redirects=True)
    jobs.render_files()
    for where, url, shown in urls:
        response = coordinator.get(url, follow_redirects=True)
        assert response.status_code == 200, where
        problems += pdf_problems(response.data, where, shown, unpublished)
    report_problems(problems)


# ---- the annual clock --------------------------------------------------------------------------

def ical_text(value: str) -> str:
    """A TEXT value as RFC 5545 (3.3.11) writes it."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def test_the_annual_clocks_events_are_text_on_its_pages_in_the_feed_and_in_the_reminder(app, org):
    event = db.session.scalar(sa.select(ClockEvent).where(ClockEvent.code == "budget_and_plan",
                                                          ClockEvent.municipality_id.is_(None)))
    admin = client_of(app, org["admin"])
    submit(admin, f"/calendar/events/{event.id}", name=marked("event-name"), description=marked("event-description"),
           recurrence=event.recurrence.value, day=str(event.day), month=str(event.month),
           compilation_lead_days=str(event.compilation_lead_days))
    deadline = clock_events.compilation_deadline(Period(2026, 1))
    assert deadline is not None and deadline.event.code == "budget_and_plan"
    compilations.send_deadline_reminders(deadline.day - timedelta(days=30))
    db.session.commit()

    event_texts = ["event-name", "event-description"]
    problems = table_problems([
        ("annual clock", page(admin, f"/calendar/?year={utcnow().year}"), event_texts),
        ("the clock's events", page(admin, "/calendar/events"), event_texts),
    ])
    problems += mail_problems("compilation_deadline_reminder", ["event-name"])

    feed = app.test_client().get("/calendar/hyte.ics").get_data(as_text=True)
    lines = feed.replace("\r\n ", "").split("\r\n")
    problems += text_problems(feed, "iCalendar feed", [])
    for expected in (f"SUMMARY:{ical_text(marked('event-name'))}",
                     f"DESCRIPTION:{ical_text(marked('event-description'))}",
                     f"DESCRIPTION:{ical_text('Määräpäivä tulee tapahtumasta: ' + marked('event-name') + '.')}"):
        if expected not in lines:
            problems.append(f"iCalendar feed: no line {expected!r}")
    read_back = [(str(e.get("SUMMARY")), str(e.get("DESCRIPTION"))) for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")]
    if (marked("event-name"), marked("event-description")) not in read_back:
        problems.append("iCalendar feed: the event does not read back as typed")
    report_problems(problems)


# ---- the organisation from CSV, and what the search fields echo --------------------------------

def csv_file(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_names_from_the_org_csv_and_the_values_its_problems_echo_are_text(app, org):
    admin, area, division = client_of(app, org["admin"]), org["area"], org["area"].parent
    header = ["code", "name", "kind", "parent", "municipality", "active", "handling_node", "supervisors", "handlers"]

    def upload(text: str, filename: str = "organisaatio.csv") -> str:
        return admin.post("/admin/org/import", content_type="multipart/form-data", data={
            "csrf_token": csrf_token(admin, "/admin/org"),
            "file": (io.BytesIO(text.encode("utf-8")), filename)}).get_data(as_text=True)

    good = csv_file(header, [division.code, division.name, "division", "", "", "yes", "", "", ""],
                    [area.code, marked("csv-area"), "service_area", division.code, "", "yes", "", "", ""],
                    ["U-CSV", marked("csv-unit"), "unit", area.code, "Kuopio", "yes", "", "", ""])
    filename = marked("csv-filename").replace('"', "")  # the test client cannot send a double quote in it
    preview = upload(good, filename)
    submit(admin, "/admin/org/import/confirm", content=good)
    wrong_rows = upload(csv_file(
        header, [division.code, division.name, "division", "", "", "yes", "", "", ""],
        [marked("csv-code"), "Nimi", marked("csv-kind"), marked("csv-parent"), marked("csv-municipality"),
         marked("csv-active"), marked("csv-handling-node"), "", ""]))
    wrong_header = upload(csv_file([*header, marked("csv-column")]))

    problems = html_problems(preview, "import preview", ["csv-filename", "csv-area", "csv-unit"],
                             typed={"csv-filename": filename})
    problems += table_problems([
        ("import problems", wrong_rows,
         ["csv-code", "csv-kind", "csv-parent", "csv-municipality", "csv-active", "csv-handling-node"]),
        ("import problems in the header", wrong_header, ["csv-column"]),
        ("organisation", page(admin, "/admin/org"), ["csv-area", "csv-unit"]),
        ("report form", page(admin, "/report/new"), ["csv-unit"]),
    ])
    report_problems(problems)


def test_what_a_search_or_lookup_field_echoes_is_text(app, org):
    admin, coordinator = client_of(app, org["admin"]), client_of(app, org["coordinator"])
    visitor = app.test_client()
    tracked = visitor.post("/track", data={"csrf_token": csrf_token(visitor, "/track"), "number": marked("number"),
                                           "code": marked("code")})
    span = coordinator.get(f"/welfare/?span={quote(marked('span'))}")
    problems = table_problems([
        ("tracking form", tracked.get_data(as_text=True), ["number", "code"]),
        ("user search", page(admin, f"/admin/users?q={quote(marked('user-search'))}"), ["user-search"]),
        ("audit search", page(admin, f"/admin/audit?actor={quote(marked('actor-search'))}"), ["actor-search"]),
        ("welfare package of an unknown span", span.get_data(as_text=True), ["span"]),
    ])
    report_problems(problems)
