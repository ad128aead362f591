"""Messages about compilations: deadline reminders to the working group, publication to coordinators.

`send_mail()` queues one mail per recipient in the e-mail outbox (app/workflow/mail/outbox.py), in
the transaction of the event, so nothing is announced that was rolled back. Subject and body are lazy
strings, so each recipient reads them in their own language, as the rest of the mail (the templates write
the body through `| string`: a lazy string would count as safe HTML and go unescaped).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.models import Compilation, User
from app.workflow.compilations.annual_clock import Deadline
from app.workflow.compilations.languages import read_day, read_period
from app.workflow.compilations.periods import parse_period
from app.workflow.mail.outbox import app_url, queue_mail


@dataclass(frozen=True)
class CompilationMail:
    recipients: list[User] = field(repr=False)
    subject: object
    """A lazy string, rendered in each recipient's language."""
    body: object
    kind: str
    link: str


def deadline_reminder(deadline: Deadline, days_left: int, working_group: list[User]) -> CompilationMail:
    period = read_period(deadline.period.code, deadline.period.label)
    subject = _l("Muistutus: kauden %(period)s kooste hyväksyttävä %(day)s mennessä",
                 period=period, day=read_day(deadline.day))
    body = _l("Puolivuotiskoosteen %(period)s on oltava asiakaskokemusjaoston hyväksymä %(day)s mennessä "
              "(%(days)d päivää). Peruste: %(event)s %(event_day)s.",
              period=period, day=read_day(deadline.day), days=days_left, event=deadline.event.name,
              event_day=read_day(deadline.occurrence))
    return CompilationMail(working_group, subject, body, "compilation_deadline_reminder", app_url("compilations.index"))


def publication_mail(compilation: Compilation, coordinators: list[User]) -> CompilationMail:
    period = parse_period(compilation.period)
    shown = read_period(period.code, period.label)
    subject = _l("Puolivuotiskooste %(period)s on julkaistu", period=shown)
    body = _l("Asiakaskokemusjaosto on hyväksynyt kauden %(period)s puolivuotiskoosteen. Kooste, sen "
              "kuntakohtaiset osat ja luvut (Excel, CSV) löytyvät SoRasta, ja hyvinvointikertomuksen aineiston "
              "voit koota siitä tästä linkistä.", period=shown)
    return CompilationMail(coordinators, subject, body, "compilation_published", app_url("welfare.index", span=period.code))


def send_mail(mail: CompilationMail) -> None:
    """Queue the mail to every active recipient; flush, never commit."""
    queue_mail(mail.kind, [user.email for user in mail.recipients if user.active], mail.subject,
               template="compilation_notice", body=mail.body, link=mail.link)
