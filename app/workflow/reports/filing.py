"""Filing a social report: validation has been done by the caller; this decides what is stored."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
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
    HeldFiling,
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
    ANONYMOUS_SERIES,
    NAMED_SERIES,
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
    """What a filing made and its tracking code, which exists only here and on the receipt.

    A named report is stored at once (`report`); an anonymous one is held until the day's release
    (`held`, app/workflow/cases/release.py)."""

    tracking_code: str = field(repr=False)
    report: Report | None = None
    held: HeldFiling | None = None

    @property
    def number(self) -> str:
        return self.report.number if self.report is not None else self.held.number  # type: ignore[union-attr]

    @property
    def is_anonymous(self) -> bool:
        return self.held is not None


def tracking_key() -> str:
    return current_app.config["TRACKING_KEY"]


def filed_number(submission_hash: str) -> str | None:
    """The number of the report a form with this key already made, held or not."""
    return (db.session.scalar(sa.select(Report.number).where(Report.submission_hash == submission_hash))
            or db.session.scalar(sa.select(HeldFiling.number).where(HeldFiling.submission_hash == submission_hash)))


def file_report(data: ReportInput, *, author: User | None = None, now: datetime | None = None) -> FiledReport:
    """Store a new report, route it, write its first timeline event and its notices, and number it; flush, never commit.

    An anonymous report is only held (`hold`): the day's release makes the report. The number is
    taken last: the report and everything that goes with it are written under a provisional number
    first, and only then is the year's counter locked, for the statements that put the real number in
    place. The lock lasts until the caller's commit, which should follow at once, so concurrent filings
    wait for each other only that long.
    An anonymous report keeps no link to its author even when the author is logged in; a named one filed
    logged in carries the author's own name and e-mail, or is refused (`confirmation.check_own_name`).
    """
    now = now or utcnow()
    submission_hash = _submission_hash(data.submission_key)
    if submission_hash and (earlier := filed_number(submission_hash)):
        raise AlreadyFiled(earlier)
    if data.is_anonymous:
        return hold(data, submission_hash, now)
    check_own_name(author, data.reporter_name, data.reporter_email)
    tracking_code = new_tracking_code()
    first_handling_due_at, feedback_due_at = due_dates(now, DeadlineSettings.from_config(site_settings.current()))
    provisional, provisional_sequence = provisional_number()
    report = new_report(data, number=provisional, sequence=provisional_sequence, series=NAMED_SERIES,
                        tracking_hash=hash_code(tracking_code, tracking_key()), submission_hash=submission_hash,
                        arrived=now, first_handling_due_at=first_handling_due_at, feedback_due_at=feedback_due_at)
    report.reporter_language = data.language
    report.reporter_confirmed = author is not None
    report.author = author

    def write() -> list[OutboxMessage]:
        db.session.add(report)
        with db.session.no_autoflush:  # all is written at once below, where a resent copy ends in AlreadyFiled
            return route_new_report(report, now) + mail_for_new_report(report, now.astimezone(HELSINKI).date())

    mail = _written(write, submission_hash)
    number = _number(report, NAMED_SERIES)
    fill_in(mail, provisional, number)
    if author is not None:  # a filing logged out is not logged: there is nobody to set it beside
        record(AuditAction.REPORT_FILED, actor=author, report=report, now=now)
        db.session.flush()
    current_app.logger.info("report %s filed", report.number)
    return FiledReport(tracking_code=tracking_code, report=report)


def hold(data: ReportInput, submission_hash: str | None, now: datetime) -> FiledReport:
    """Hold an anonymous filing until the day's release: one row, its day, its number of the anonymous series.

    Nothing is logged, audited, routed, indexed or notified now; the release does all that
    (app/workflow/cases/release.py), so no trace of the filing is set among named reports' moments."""
    tracking_code = new_tracking_code()
    day = stored_moment(True, now)
    first_handling_due_at, feedback_due_at = due_dates(now, DeadlineSettings.from_config(site_settings.current()),
                                                       anonymous=True)
    provisional, provisional_sequence = provisional_number()
    held = HeldFiling(number=provisional, year=day.astimezone(HELSINKI).year, sequence=provisional_sequence,
                      tracking_hash=hash_code(tracking_code, tracking_key()), submission_hash=submission_hash,
                      unit=data.unit, day=day, first_handling_due_at=first_handling_due_at,
                      feedback_due_at=feedback_due_at, content=held_content(data))

    def write() -> list[OutboxMessage]:
        db.session.add(held)
        return []

    _written(write, submission_hash)
    _number(held, ANONYMOUS_SERIES)
    return FiledReport(tracking_code=tracking_code, held=held)


def _written(write: Callable[[], list[OutboxMessage]], submission_hash: str | None) -> list[OutboxMessage]:
    """Flush what `write` adds. A form with a key may lose a race to a simultaneous copy of itself: its
    writes then go back to a savepoint alone, so the transaction stays usable (on PostgreSQL a failed
    statement aborts it) for reading the copy's number. Nothing is kept of the filing either way."""
    try:
        with db.session.begin_nested() if submission_hash else nullcontext():
            mail = write()
            db.session.flush()
    except IntegrityError:  # with a key: the savepoint is rolled back, the transaction goes on
        if submission_hash is None or (earlier := filed_number(submission_hash)) is None:
            raise
        raise AlreadyFiled(earlier) from None  # a simultaneous copy of the same form won the race
    return mail


def _number(row: Report | HeldFiling, series: str) -> str:
    """Give the flushed row its real number; from here the year's counter of the series is locked."""
    sequence = allocate_sequence(db.session, row.year, series)
    number = format_number(current_app.config["REPORT_NUMBER_PREFIX"], row.year, sequence, series)
    values: dict[str, Any] = {"number": number, "sequence": sequence}
    if isinstance(row, Report):
        values["updated_at"] = row.updated_at  # not moved by onupdate
        key = Report.id == row.id
    else:
        key = HeldFiling.key == row.key
    db.session.execute(sa.update(type(row)).where(key).values(**values).execution_options(synchronize_session=False))
    set_committed_value(row, "number", number)
    set_committed_value(row, "sequence", sequence)
    return number


def new_report(data: ReportInput, *, number: str, sequence: int, series: str, tracking_hash: str,
               submission_hash: str | None, arrived: datetime, first_handling_due_at: datetime,
               feedback_due_at: datetime) -> Report:
    """The report the form's values make, received `arrived`: at its filing, or at the release of a held one."""
    municipalities = list(data.municipalities)
    if not municipalities and not data.whole_county and data.unit.municipality is not None:
        municipalities = [data.unit.municipality]
    report = Report(
        number=number,
        year=arrived.astimezone(HELSINKI).year,
        series=series,
        sequence=sequence,
        tracking_hash=tracking_hash,
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
        status=ReportStatus.RECEIVED,
        escalation_level=EscalationLevel.UNIT,
        first_handling_due_at=first_handling_due_at,
        feedback_due_at=feedback_due_at,
        created_at=arrived,
        updated_at=arrived,
        last_step_at=arrived,
    )
    code_by_reporter(report, data.national_phenomena)
    report.events.append(ReportEvent(kind=EventKind.SUBMITTED, created_at=arrived, to_status=ReportStatus.RECEIVED,
                                     escalation_level=EscalationLevel.UNIT, is_public=True))
    return report


def held_content(data: ReportInput) -> dict[str, Any]:
    """The form's values of an anonymous filing, by code and id, as `HeldFiling.content` keeps them."""
    def code(value: Any) -> Any:
        return None if value is None else value.value

    return {
        "nature": data.nature.value, "phenomenon": data.phenomenon.value, "description": data.description,
        "profession_group": code(data.profession_group), "themes": [t.id for t in data.themes],
        "national_phenomena": [p.id for p in data.national_phenomena],
        "population_group": code(data.population_group),
        "municipalities": [m.id for m in data.municipalities], "whole_county": data.whole_county,
        "significance": data.significance, "proposed_actions": data.proposed_actions or None,
        "available_to_help": data.available_to_help, "made_by_team": data.made_by_team,
        "with_client": data.with_client, "channel": data.channel.value, "partner_type": code(data.partner_type),
    }


def held_input(held: HeldFiling) -> ReportInput:
    """The form's values of a held filing again: what the release files. A theme, phenomenon or municipality
    removed meanwhile (none is ever deleted while in use, but a held filing does not count as use) is left out."""
    content = held.content

    def rows(model: type[Any], ids: list[int]) -> list[Any]:
        return list(db.session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []

    def optional(enum: type[Any], value: Any) -> Any:
        return None if value is None else enum(value)

    return ReportInput(
        unit=held.unit, nature=Nature(content["nature"]), phenomenon=Phenomenon(content["phenomenon"]),
        description=content["description"], profession_group=optional(ProfessionGroup, content["profession_group"]),
        themes=sorted(rows(Theme, content["themes"]), key=lambda t: t.position),
        national_phenomena=rows(NationalPhenomenon, content["national_phenomena"]),
        population_group=optional(PopulationGroup, content["population_group"]),
        municipalities=rows(Municipality, content["municipalities"]), whole_county=content["whole_county"],
        significance=content["significance"], proposed_actions=content["proposed_actions"],
        available_to_help=content["available_to_help"], made_by_team=content["made_by_team"],
        with_client=content["with_client"], channel=Channel(content["channel"]),
        partner_type=optional(PartnerType, content["partner_type"]),
    )


def as_report(held: HeldFiling) -> Report:
    """The held filing as its reporter sees it on the tracking page: the report the release will make.

    Transient, never added to the session, so nothing of it is stored; it has no id."""
    return new_report(held_input(held), number=held.number, sequence=held.sequence, series=ANONYMOUS_SERIES,
                      tracking_hash=held.tracking_hash, submission_hash=None, arrived=held.day,
                      first_handling_due_at=held.first_handling_due_at, feedback_due_at=held.feedback_due_at)
