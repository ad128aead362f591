"""Messages about compilations: deadline reminders to the working group, publication to coordinators.

`send_notice()` is the single call site for delivery: it hands each message to the e-mail
outbox (app/workflow/outbox.py, being built in issue 4). Until that is merged it only writes
a log line, so nothing is announced that was not queued in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.models import Compilation, User
from app.workflow.annual_clock import Deadline
from app.workflow.periods import parse_period


@dataclass(frozen=True)
class Notice:
    recipients: list[User] = field(repr=False)
    subject: str
    body: str
    kind: str


def _date(day) -> str:  # type: ignore[no-untyped-def]
    return f"{day.day}.{day.month}.{day.year}"


def deadline_reminder(deadline: Deadline, days_left: int, working_group: list[User]) -> Notice:
    with force_locale("fi"):
        subject = _("Muistutus: kauden %(period)s kooste hyväksyttävä %(day)s mennessä",
                    period=deadline.period.label, day=_date(deadline.day))
        body = _("Puolivuotiskoosteen %(period)s on oltava asiakaskokemusjaoston hyväksymä %(day)s mennessä "
                 "(%(days)d päivää). Peruste: %(event)s %(event_day)s.\n\nKoosteet: /compilations/",
                 period=deadline.period.label, day=_date(deadline.day), days=days_left, event=deadline.event.name,
                 event_day=_date(deadline.occurrence))
    return Notice(working_group, subject, body, "compilation_deadline_reminder")


def publication_notice(compilation: Compilation, coordinators: list[User]) -> Notice:
    period = parse_period(compilation.period)
    with force_locale("fi"):
        subject = _("Puolivuotiskooste %(period)s on julkaistu", period=period.label)
        body = _("Asiakaskokemusjaosto on hyväksynyt kauden %(period)s puolivuotiskoosteen. Kooste, sen "
                 "kuntakohtaiset osat ja luvut (Excel, CSV) löytyvät SoRasta: /compilations/%(code)s",
                 period=period.label, code=period.code)
    return Notice(coordinators, subject, body, "compilation_published")


def send_notice(notice: Notice) -> None:
    """Queue the notice to every recipient. Wire to the outbox here: one queued mail per recipient."""
    for user in notice.recipients:
        current_app.logger.info("%s for user %s: %s", notice.kind, user.id, notice.subject)
