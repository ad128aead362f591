"""Which mail goes to whom when something happens to a report; the outbox delivers it.

What a mail may carry: staff get the report's number, unit, phenomenon and a link, never its
text (they read it in the app, where permissions apply). A named reporter gets what the tracking
page shows them. No mail carries a tracking code or an internal note.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.codes import EventKind
from app.models import OutboxMessage, Report, ReportEvent, User
from app.workflow.cases.deadlines import DeadlineNotice, DeadlineSettings, next_due
from app.workflow.mail.outbox import app_url, queue_mail


def _emails(users: Sequence[User]) -> list[str]:
    return [user.email for user in users if user.active and user.email]


def new_report(report: Report, informed: Sequence[User], responsible: Sequence[User],
               now: datetime) -> list[OutboxMessage]:
    """For action to the handlers, for information to the supervisors and the social director.

    An anonymous report's mail is written only when it is released (app/workflow/cases/release.py).
    """
    return [
        *queue_mail("new_report_action", _emails(responsible),
                    _l("Uusi sosiaalinen raportti käsiteltäväksi: %(number)s", number=report.number), report=report,
                    queued_at=now, case_url=app_url("cases.detail", number=report.number)),
        *queue_mail("new_report_information", _emails(informed),
                    _l("Uusi sosiaalinen raportti tiedoksi: %(number)s", number=report.number), report=report,
                    queued_at=now, case_url=app_url("cases.detail", number=report.number)),
    ]


def _reporter_url(report: Report, own_list: bool) -> str:
    """Where a named reporter follows the report: their own list if they filed it logged in."""
    if own_list:
        return app_url("reports.my_report", number=report.number)
    return app_url("reports.track")


def acknowledge_to_reporter(report: Report) -> list[OutboxMessage]:
    """A named reporter's receipt by mail: the number and where to follow it, never the tracking code."""
    if not report.reporter_email:
        return []
    own_list = report.author is not None  # a new report: its author_id is set only when it is flushed
    return queue_mail("acknowledgement", [report.reporter_email],
                      _l("Raporttisi %(number)s on vastaanotettu", number=report.number), report=report,
                      language=report.reporter_language, follow_url=_reporter_url(report, own_list), own_list=own_list)


def tell_reporter(report: Report, event: ReportEvent) -> None:
    """A public step of the case (a note, a question, a new status) to a named reporter who confirmed the address."""
    if not (report.reporter_email and report.reporter_confirmed and event.is_public):
        return
    if event.kind == EventKind.QUESTION:
        subject = _l("Käsittelijä kysyy raportistasi %(number)s", number=report.number)
    else:
        subject = _l("Raporttisi %(number)s on edennyt", number=report.number)
    own_list = report.author_id is not None
    queue_mail("reporter_update", [report.reporter_email], subject, report=report, event=event,
               language=report.reporter_language, follow_url=_reporter_url(report, own_list), own_list=own_list)


def handed_over(report: Report, recipients: Sequence[User]) -> None:
    """The administrator moved an open report to new handlers, who get it as if it had just arrived."""
    queue_mail("handed_over", _emails(recipients),
               _l("Sosiaalinen raportti siirretty käsiteltäväksesi: %(number)s", number=report.number),
               report=report, case_url=app_url("cases.detail", number=report.number))


def answer_received(report: Report, responsible: Sequence[User], now: datetime) -> None:
    """To the handlers; an anonymous reporter's answer is written only when it is released, like their filing."""
    queue_mail("answer_received", _emails(responsible),
               _l("Raportoija vastasi kysymykseen: %(number)s", number=report.number), report=report,
               queued_at=now, case_url=app_url("cases.detail", number=report.number))


def deadline_notices(user: User, items: Sequence[tuple[Report, DeadlineNotice]], *, overdue: bool) -> None:
    """One mail listing the reports whose deadline is near (to a handler) or passed (to the social director)."""
    first = items[0][0]
    if overdue:
        kind = "overdue"
        subject = (_l("Raportti %(number)s on myöhässä", number=first.number) if len(items) == 1
                   else _l("%(count)d raporttia on myöhässä", count=len(items)))
    else:
        kind = "reminder"
        subject = (_l("Muistutus: raportin %(number)s määräaika lähestyy", number=first.number) if len(items) == 1
                   else _l("Muistutus: %(count)d raportin määräaika lähestyy", count=len(items)))
    queue_mail(kind, _emails([user]), subject, report=first if len(items) == 1 else None, items=items,
               case_url=lambda report: app_url("cases.detail", number=report.number),
               inbox_url=app_url("cases.inbox"))


def digest(user: User, period_label: str, unhandled: Sequence[Report], waiting: Sequence[Report],
           overdue: Sequence[Report], settings: DeadlineSettings, now: datetime,
           stalled: Sequence[Report] = (), director: bool = False) -> None:
    """A handler's digest of their reports; a social director's also lists every overdue and stalled report."""
    queue_mail("digest", _emails([user]), _l("SoRa-yhteenveto %(period)s: käsiteltävät raporttisi", period=period_label),
               user=user, unhandled=unhandled, waiting=waiting, overdue=overdue, stalled=stalled, director=director,
               next_due=next_due, inbox_url=app_url("cases.inbox"),
               overdue_url=app_url("cases.inbox", overdue="y"), stalled_url=app_url("cases.inbox", stalled="y"),
               case_url=lambda r: app_url("cases.detail", number=r.number), now=now, settings=settings)
