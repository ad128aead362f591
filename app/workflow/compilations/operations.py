"""State changes of a half-yearly compilation: opening, texts, highlights, review and publication.

Each operation checks the permission and the status, changes the compilation and flushes; the
view commits once. A refused change raises Refusal with a message for the user, and
nothing has changed when it is raised. Publication freezes the content into a snapshot.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app.codes import AuditAction, CompilationAction, CompilationStatus, ExcerptContext, Role
from app.extensions import db
from app.models import (
    Compilation,
    CompilationEvent,
    CompilationHighlight,
    CompilationPublication,
    CompilationReminder,
    CompilationThemeText,
    Report,
    Theme,
    User,
    utcnow,
)
from app.workflow.compilations import clock_events, disclosure, files
from app.workflow.compilations import mail as compilation_mail
from app.workflow.compilations.annual_clock import due_reminders
from app.workflow.compilations.content import build_content
from app.workflow.compilations.periods import (
    HELSINKI,
    Period,
    council_term,
    parse_period,
)
from app.workflow.compilations.transitions import COMPILATION_TRANSITIONS
from app.workflow.core import permissions
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal, check_version, flush


def find(period: Period) -> Compilation | None:
    return db.session.scalar(sa.select(Compilation).where(Compilation.period == period.code))


def visible_compilations(user: User) -> list[Compilation]:
    """The compilations this user may see, newest period first."""
    query = sa.select(Compilation).order_by(Compilation.period.desc())
    if not permissions.can_view_draft_compilations(user):
        query = query.where(Compilation.status == CompilationStatus.PUBLISHED)
    return [c for c in db.session.scalars(query) if permissions.can_view_compilation(user, c)]


def published_list() -> list[Compilation]:
    """The compilations published now, newest half-year first: what the public results page lists."""
    query = (sa.select(Compilation).where(Compilation.status == CompilationStatus.PUBLISHED)
             .order_by(Compilation.period.desc()))
    return list(db.session.scalars(query))


def openable_periods(today: date, count: int = 4) -> list[Period]:
    """Half-years the working group may open now: the running one and the latest ended ones without a compilation."""
    period = Period(today.year, 1 if today.month <= 6 else 2)
    taken = set(db.session.scalars(sa.select(Compilation.period)))
    found = []
    for _step in range(count):
        if period.code not in taken:
            found.append(period)
        period = period.previous()
    return found


def _record(compilation: Compilation, action: CompilationAction, actor: User | None, note: str | None,
            now: datetime) -> None:
    compilation.events.append(CompilationEvent(action=action, actor=actor, to_status=compilation.status,
                                               note=note, created_at=now))


def open_compilation(period: Period, actor: User, now: datetime | None = None) -> Compilation:
    now = now or utcnow()
    if not permissions.can_open_compilation(actor):
        raise Refusal(_("Koosteen avaa rakenteellisen sosiaalityön työryhmä."))
    if period.first_day > now.astimezone(HELSINKI).date():
        raise Refusal(_("Puolivuotiskausi %(period)s ei ole vielä alkanut.", period=period.label))
    if find(period) is not None:
        raise Refusal(_("Kauden %(period)s kooste on jo avattu.", period=period.label))
    compilation = Compilation(period=period.code, status=CompilationStatus.DRAFT, summary="", opened_by=actor,
                              opened_at=now, updated_at=now)
    db.session.add(compilation)
    _record(compilation, CompilationAction.OPEN, actor, None, now)
    flush(compilation)
    return compilation


def _editable(compilation: Compilation, actor: User, expected_version: int | None) -> None:
    check_version(compilation, expected_version)
    if compilation.status != CompilationStatus.DRAFT:
        raise Refusal(_("Koostetta voi muokata vain luonnoksena. Jaosto voi palauttaa sen muokattavaksi."))
    if not permissions.can_edit_compilation(actor, compilation):
        raise Refusal(_("Koostetta muokkaa rakenteellisen sosiaalityön työryhmä."))


def save_texts(compilation: Compilation, actor: User, summary: str, theme_texts: dict[str, tuple[str, str]],
               *, expected_version: int | None = None, now: datetime | None = None) -> None:
    """Store the summary and the findings and proposals per theme (theme code -> (findings, proposals))."""
    _editable(compilation, actor, expected_version)
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme).where(Theme.code.in_(list(theme_texts))))}
    existing = {t.theme.code: t for t in compilation.theme_texts}
    with db.session.no_autoflush:
        compilation.summary = (summary or "").strip()
        for code, (findings, proposals) in theme_texts.items():
            if code not in themes:
                continue
            text = existing.get(code)
            if text is None:
                text = CompilationThemeText(theme=themes[code], findings="", proposals="")
                compilation.theme_texts.append(text)
            text.findings, text.proposals = (findings or "").strip(), (proposals or "").strip()
        compilation.updated_at = now or utcnow()
    flush(compilation)


def _report_of_period(compilation: Compilation, number: str) -> Report:
    start, end = parse_period(compilation.period).bounds()
    report = db.session.scalar(sa.select(Report).where(Report.number == (number or "").strip().upper()))
    if report is None or not start <= report.created_at < end:
        raise Refusal(_("Raporttia %(number)s ei ole tämän kauden raporteissa.", number=number))
    return report


def highlight_report(compilation: Compilation, actor: User, number: str, excerpt: str | None = None,
                     *, expected_version: int | None = None, now: datetime | None = None) -> CompilationHighlight:
    """Lift a report of the period up; the excerpt starts as its description and is edited separately."""
    _editable(compilation, actor, expected_version)
    report = _report_of_period(compilation, number)
    if any(h.report_id == report.id for h in compilation.highlights):
        raise Refusal(_("Raportti %(number)s on jo nostettu koosteeseen.", number=report.number))
    position = max((h.position for h in compilation.highlights), default=0) + 1
    highlight = CompilationHighlight(report=report, excerpt=(excerpt or report.description).strip(), position=position)
    compilation.highlights.append(highlight)
    compilation.updated_at = now or utcnow()
    flush(compilation)
    return highlight


def _highlight(compilation: Compilation, highlight_id: int) -> CompilationHighlight:
    found = next((h for h in compilation.highlights if h.id == highlight_id), None)
    if found is None:
        raise Refusal(_("Nostoa ei löydy. Se on ehkä jo poistettu."))
    return found


def edit_highlight(compilation: Compilation, actor: User, highlight_id: int, excerpt: str,
                   context: ExcerptContext | None = None,
                   *, expected_version: int | None = None, now: datetime | None = None) -> None:
    """Change the excerpt to publish and how much of its origin it tells; the report stays as it was filed."""
    _editable(compilation, actor, expected_version)
    highlight = _highlight(compilation, highlight_id)
    if not (excerpt or "").strip():
        raise Refusal(_("Kirjoita näytettävä ote tai poista nosto."))
    highlight.excerpt = excerpt.strip()
    if context is not None:
        highlight.context = context
    compilation.updated_at = now or utcnow()
    flush(compilation)


def remove_highlight(compilation: Compilation, actor: User, highlight_id: int,
                     *, expected_version: int | None = None, now: datetime | None = None) -> None:
    _editable(compilation, actor, expected_version)
    compilation.highlights.remove(_highlight(compilation, highlight_id))
    compilation.updated_at = now or utcnow()
    flush(compilation)


def draft_content(period: Period, compilation: Compilation | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The content as it would be published now: live figures, the current texts, the term section if due."""
    deadline = clock_events.compilation_deadline(period)
    term = council_term(period.last_day, clock_events.first_term_start()) if clock_events.adds_term_section(period) else None
    return build_content(period, compilation, now=now, term=term,
                         deadline=deadline.day.isoformat() if deadline else None)


def content_of(period: Period, compilation: Compilation | None = None, now: datetime | None = None) -> dict[str, Any]:
    """What a compilation shows: the frozen snapshot once published, the live draft before that."""
    if compilation is not None and compilation.status == CompilationStatus.PUBLISHED and compilation.snapshot:
        return disclosure.publishable(compilation.snapshot)
    return disclosure.protect(draft_content(period, compilation, now))


def perform(action: CompilationAction, compilation: Compilation, actor: User, *, note: str | None = None,
            expected_version: int | None = None, now: datetime | None = None) -> None:
    """Send for review, approve or return, by the transition table; approval freezes and publishes."""
    transition = COMPILATION_TRANSITIONS[action]
    note = (note or "").strip() or None
    check_version(compilation, expected_version)
    if compilation.status not in transition.sources:
        raise Refusal(_("Toimenpidettä ”%(action)s” ei voi tehdä, kun kooste on tilassa ”%(status)s”.",
                                 action=action.label, status=compilation.status.label))
    if not permissions.can_compilation(actor, action, compilation):
        raise Refusal(_("Tämä toimenpide ei kuulu sinulle."))
    if transition.note_required and not note:
        if transition.withdraws:
            raise Refusal(_("Kirjoita, miksi julkaisu perutaan: perustelu jää koosteen historiaan."))
        raise Refusal(_("Kirjoita kommentit: työryhmä näkee ne koosteen historiassa."))
    now = now or utcnow()
    with db.session.no_autoflush:
        if transition.withdraws:
            live = compilation.publication
            if live is not None:
                live.withdrawn_at, live.withdrawn_by, live.withdrawal_reason = now, actor, note
            compilation.snapshot = None
            compilation.published_at = None
            record(AuditAction.COMPILATION_WITHDRAWN, actor=actor, target=f"compilation:{compilation.period}",
                   details={"period": compilation.period, "reason": note})
        if transition.publishes:
            snapshot = disclosure.publishable(draft_content(parse_period(compilation.period), compilation, now))
            snapshot.update(status=CompilationStatus.PUBLISHED.value, published_at=now.isoformat(),
                            approved_by=actor.name)
            compilation.snapshot = snapshot
            compilation.published_at = now
            compilation.publications.append(CompilationPublication(snapshot=snapshot, published_at=now,
                                                                   approved_by=actor))
        compilation.status = transition.target
        compilation.updated_at = now
        _record(compilation, action, actor, note, now)
    flush(compilation)
    if transition.publishes:
        files.queue_publication(compilation)
        compilation_mail.send_mail(compilation_mail.publication_mail(compilation, publication_recipients()))


def needs_confirmation(action: CompilationAction, compilation: Compilation) -> str | None:
    """What the person must confirm before this action goes through, or None.

    Approval publishes and mails at once; sending themes that have reports but no text to review
    is usually a slip. Both are asked about on the page and refused unless confirmed.
    """
    if action == CompilationAction.APPROVE:
        return _("Vahvista julkaisu: rastita, että olet tarkistanut, mitä julkaistaan ja kenelle ilmoitetaan.")
    if action == CompilationAction.SEND_FOR_REVIEW:
        empty = empty_themes(compilation, draft_content(parse_period(compilation.period), compilation))
        if empty:
            return _("Näillä teemoilla on raportteja mutta ei havaintoja eikä ehdotuksia: %(themes)s. Kirjoita ne "
                     "tai vahvista, että lähetät koosteen silti.", themes=", ".join(empty))
    return None


def filter_reports(reports: list[dict[str, Any]], *, q: str = "", theme: str = "", municipality: str = "",
                   nature: str = "") -> list[dict[str, Any]]:
    """The period's reports that match the working group's filters (words anywhere in the texts)."""
    words = [w for w in (q or "").casefold().split() if w]
    found = []
    for r in reports:
        if theme and theme not in r.get("theme_codes", []):
            continue
        if municipality and municipality not in r["municipality_codes"]:
            continue
        if nature and r.get("nature_code") != nature:
            continue
        text = " ".join(str(r.get(k) or "") for k in ("number", "description", "proposed_actions", "phenomenon",
                                                         "unit", "municipalities")).casefold()
        if all(w in text for w in words):
            found.append(r)
    return found


def empty_themes(compilation: Compilation, content: dict[str, Any]) -> list[str]:
    """Names of the period's themes that have reports but no findings or proposals yet."""
    written = {t["code"] for t in content.get("themes", [])}
    rows = next((b["rows"] for b in content.get("breakdowns", []) if b["key"] == "themes"), [])
    return [r["label"] for r in rows if r["code"] not in written and r["code"] != "none"
            and isinstance(r["count"], int) and r["count"] > 0]


def publication_recipients() -> list[User]:
    """Who is told by mail when a compilation is published."""
    return _role_holders(Role.WELFARE_COORDINATOR)


def _role_holders(role: Role) -> list[User]:
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id))
    return [u for u in users if u.has_role(role)]


def send_deadline_reminders(today: date, now: datetime | None = None) -> int:
    """Remind the working group of the coming compilation deadlines; each stage once. Returns how many went."""
    sent = {(r.period, r.deadline, r.days_before) for r in db.session.scalars(sa.select(CompilationReminder))}
    published = set(db.session.scalars(sa.select(Compilation.period)
                                       .where(Compilation.status == CompilationStatus.PUBLISHED)))
    upcoming = [d for d in clock_events.upcoming_deadlines(today) if d.period.code not in published]
    due = due_reminders(upcoming, today, current_app.config["COMPILATION_REMINDER_DAYS"], sent)
    group = _role_holders(Role.WORKING_GROUP)
    for deadline, days_before in due:
        db.session.add(CompilationReminder(period=deadline.period.code, deadline=deadline.day,
                                           days_before=days_before, sent_at=now or utcnow()))
        compilation_mail.send_mail(compilation_mail.deadline_reminder(deadline, (deadline.day - today).days,
                                                                              group))
    db.session.flush()
    return len(due)
