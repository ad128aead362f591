"""Filing a social report: validation has been done by the caller; this decides what is stored."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from app.codes import (
    AuditAction,
    Channel,
    EscalationLevel,
    EventKind,
    Nature,
    PartnerType,
    Phenomenon,
    PopulationGroup,
    ProfessionGroup,
    ReportStatus,
)
from app.extensions import db
from app.models import (
    Municipality,
    NationalPhenomenon,
    OrgNode,
    OutboxMessage,
    Report,
    ReportEvent,
    Theme,
    User,
    utcnow,
)
from app.workflow.admin import site_settings
from app.workflow.cases.deadlines import DeadlineSettings, due_dates
from app.workflow.cases.operations import route_new_report
from app.workflow.core.anonymity import stored_moment
from app.workflow.core.audit import record
from app.workflow.mail.outbox import fill_in
from app.workflow.phenomena.coding import code_by_reporter
from app.workflow.reports.confirmation import check_own_name, mail_for_new_report
from app.workflow.reports.numbering import (
    allocate_sequence,
    format_number,
    provisional_number,
)
from app.workflow.reports.tracking import hash_code, new_tracking_code

HELSINKI = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True)
class ReportInput:
    unit: OrgNode
    nature: Nature
    phenomenon: Phenomenon
    description: str
    profession_group: ProfessionGroup | None = None
    themes: Sequence[Theme] = ()
    national_phenomena: Sequence[NationalPhenomenon] = ()
    """The reporter's suggestion; counted only once a handler confirms it (app/workflow/phenomena/coding.py)."""
    population_group: PopulationGroup | None = None
    municipalities: Sequence[Municipality] = ()
    whole_county: bool = False
    significance: int | None = None
    proposed_actions: str | None = None
    available_to_help: bool | None = None
    made_by_team: bool | None = None
    with_client: bool | None = None
    reporter_name: str | None = None
    reporter_email: str | None = None
    language: str | None = None
    """The language of the page the report was filed in; kept only for a named reporter's mail."""
    submission_key: str | None = None
    """The random key of the form that was sent; the same key never files twice."""
    channel: Channel = Channel.STAFF
    partner_type: PartnerType | None = None
    """A partner's report: the kind of organisation; `unit` is then the node partners are routed to."""

    @property
    def is_anonymous(self) -> bool:
        return not (self.reporter_name or self.reporter_email)


class AlreadyFiled(Exception):
    """The same form was sent again (a reload or a double click); `number` is the report it made."""

    def __init__(self, number: str) -> None:
        super().__init__(number)
        self.number = number


def _submission_hash(key: str | None) -> str | None:
    return hashlib.sha256(key.encode()).hexdigest() if key else None


@dataclass(frozen=True)
class FiledReport:
    """The stored report and its tracking code, which exists only here and on the receipt."""

    report: Report
    tracking_code: str = field(repr=False)


def tracking_key() -> str:
    return current_app.config["TRACKING_KEY"]


def file_report(data: ReportInput, *, author: User | None = None, now: datetime | None = None) -> FiledReport:
    """Store a new report, route it, write its first timeline event and its notices, and number it; flush, never commit.

    The number is taken last: the report and everything that goes with it are written under a
    provisional number first, and only then is the year's counter locked, for the three statements
    that put the real number in place. The lock lasts until the caller's commit, which should follow
    at once, so concurrent filings wait for each other only that long.
    An anonymous report keeps no link to its author even when the author is logged in; a named one filed
    logged in carries the author's own name and e-mail, or is refused (`confirmation.check_own_name`).
    """
    now = now or utcnow()
    submission_hash = _submission_hash(data.submission_key)
    if submission_hash:
        earlier = db.session.scalar(sa.select(Report.number).where(Report.submission_hash == submission_hash))
        if earlier:
            raise AlreadyFiled(earlier)
    year = now.astimezone(HELSINKI).year
    author = None if data.is_anonymous else author
    check_own_name(author, data.reporter_name, data.reporter_email)
    tracking_code = new_tracking_code()
    first_handling_due_at, feedback_due_at = due_dates(now, DeadlineSettings.from_config(site_settings.current()),
                                                       anonymous=data.is_anonymous)
    municipalities = list(data.municipalities)
    if not municipalities and not data.whole_county and data.unit.municipality is not None:
        municipalities = [data.unit.municipality]
    provisional, provisional_sequence = provisional_number()
    arrived = stored_moment(data.is_anonymous, now)  # an anonymous report's is its day, held until released

    report = Report(
        number=provisional,
        year=year,
        sequence=provisional_sequence,
        tracking_hash=hash_code(tracking_code, tracking_key()),
        submission_hash=submission_hash,
        unit=data.unit,
        channel=data.channel,
        partner_type=data.partner_type,
        profession_group=data.profession_group,
        nature=data.nature,
        phenomenon=data.phenomenon,
        themes=list(data.themes),
        population_group=data.population_group,
        municipalities=[] if data.whole_county else municipalities,
        whole_county=data.whole_county,
        significance=data.significance,
        description=data.description,
        proposed_actions=data.proposed_actions or None,
        available_to_help=data.available_to_help,
        made_by_team=data.made_by_team,
        with_client=data.with_client,
        reporter_name=data.reporter_name or None,
        reporter_email=data.reporter_email or None,
        reporter_language=None if data.is_anonymous else data.language,
        reporter_confirmed=author is not None,
        author=author,
        status=ReportStatus.RECEIVED,
        escalation_level=EscalationLevel.UNIT,
        first_handling_due_at=first_handling_due_at,
        feedback_due_at=feedback_due_at,
        created_at=arrived,
        updated_at=arrived,
        last_step_at=arrived,
        held=data.is_anonymous,
    )
    code_by_reporter(report, data.national_phenomena)
    report.events.append(
        ReportEvent(
            kind=EventKind.SUBMITTED,
            created_at=arrived,
            held=data.is_anonymous,
            to_status=ReportStatus.RECEIVED,
            escalation_level=EscalationLevel.UNIT,
            is_public=True,
        )
    )
    # A form with a key may lose a race to a simultaneous copy of itself: its writes then go back to
    # this savepoint alone, so the transaction stays usable (on PostgreSQL a failed statement aborts
    # it) for reading the copy's number. Nothing is kept of the filing either way.
    try:
        with db.session.begin_nested() if submission_hash else nullcontext():
            db.session.add(report)
            with db.session.no_autoflush:  # all is written at once below, where a resent copy ends in AlreadyFiled
                mail = route_new_report(report, now) + mail_for_new_report(report, now.astimezone(HELSINKI).date())
            db.session.flush()
    except IntegrityError:  # with a key: the savepoint is rolled back, the transaction goes on
        if submission_hash is None:
            raise
        # a simultaneous copy of the same form won the race
        earlier = db.session.scalar(sa.select(Report.number).where(Report.submission_hash == submission_hash))
        if earlier is None:
            raise
        raise AlreadyFiled(earlier) from None
    _number(report, provisional, mail)
    if author is not None:  # an anonymous filing is not logged: the log must not set it beside a login
        record(AuditAction.REPORT_FILED, actor=author, report=report, now=now)
        db.session.flush()
    if not report.is_anonymous:  # nor written to the app's log, whose every line has its time
        current_app.logger.info("report %s filed", report.number)
    return FiledReport(report=report, tracking_code=tracking_code)


def _number(report: Report, provisional: str, mail: list[OutboxMessage]) -> None:
    """Give the flushed report its real number, in its row and its mail; from here the year's counter is locked."""
    sequence = allocate_sequence(db.session, report.year)
    number = format_number(current_app.config["REPORT_NUMBER_PREFIX"], report.year, sequence)
    db.session.execute(
        sa.update(Report).where(Report.id == report.id)
        .values(number=number, sequence=sequence, updated_at=report.updated_at)  # updated_at: not moved by onupdate
        .execution_options(synchronize_session=False)
    )
    set_committed_value(report, "number", number)
    set_committed_value(report, "sequence", sequence)
    fill_in(mail, provisional, number)
