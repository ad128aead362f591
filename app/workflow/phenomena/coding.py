"""THL's national phenomena coded on each report, and the versioned classification they come from.

The reporter may suggest phenomena on the form; a handler confirms or corrects them on the case page.
Only confirmed codings count (compilations, the dashboard, the national export), so every count reads
`confirmed_coding()`. The classification grows by the administrator adding and retiring phenomena: codes
are stable, nothing is renumbered or deleted, and each addition or retirement makes a new version, whose
number is the latest version any phenomenon was added or retired in. A retired phenomenon is not offered
any more, but the reports coded with it keep it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction, CodingSource
from app.extensions import db
from app.models import NationalPhenomenon, Report, ReportNationalPhenomenon, User, utcnow
from app.workflow.core import permissions
from app.workflow.core.audit import apply_changes, record
from app.workflow.core.errors import Refusal, check_version, flush

FIRST_VERSION = 1


# ---- the classification -----------------------------------------------------------------------

def classification_version() -> int:
    """The current version: the latest in which a phenomenon was added or retired."""
    added = sa.select(sa.func.max(NationalPhenomenon.added_in_version)).scalar_subquery()
    retired = sa.select(sa.func.max(NationalPhenomenon.retired_in_version)).scalar_subquery()
    latest = db.session.execute(sa.select(added, retired)).one()
    return max(FIRST_VERSION, *(value or FIRST_VERSION for value in latest))


def all_phenomena() -> list[NationalPhenomenon]:
    """Every phenomenon of every version, retired ones too (counts and codings keep them)."""
    return list(db.session.scalars(sa.select(NationalPhenomenon)
                                   .order_by(NationalPhenomenon.position, NationalPhenomenon.id)))


def phenomenon_by_code(code: str) -> NationalPhenomenon | None:
    """One phenomenon of the classification, retired or not (its code is never reused)."""
    return db.session.scalar(sa.select(NationalPhenomenon).where(NationalPhenomenon.code == code)) if code else None


def offered_phenomena() -> list[NationalPhenomenon]:
    """What the forms offer: the phenomena of the current version."""
    return [p for p in all_phenomena() if not p.retired]


def offered_by_codes(codes: Sequence[str]) -> list[NationalPhenomenon] | None:
    """The offered phenomena of the codes in their order, or None if a code is not one (or is retired)."""
    found = list(db.session.scalars(sa.select(NationalPhenomenon)
                                    .where(NationalPhenomenon.code.in_(codes), NationalPhenomenon.retired.is_(False))
                                    .order_by(NationalPhenomenon.position, NationalPhenomenon.id)))
    return found if len(found) == len(set(codes)) else None


@dataclass(frozen=True)
class PhenomenonInput:
    code: str
    label_fi: str
    label_en: str
    label_sv: str
    explanation_fi: str
    explanation_en: str
    explanation_sv: str


CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
"""A phenomenon's code goes into exports, open data and addresses and is compared across counties: small ASCII
letters, digits and underscores, as THL's own (homelessness, mental_health) and the export's schema expect."""


def add_phenomenon(data: PhenomenonInput, actor: User) -> NationalPhenomenon:
    """A new phenomenon, last on the list, in a new version of the classification; flush, never commit."""
    if not CODE_PATTERN.match(data.code):
        raise Refusal(_("Koodissa saa olla vain pieniä kirjaimia a–z, numeroita ja alaviivoja, ja sen on alettava "
                        "kirjaimella (esimerkiksi loneliness tai child_poverty)."))
    same_name = db.session.scalar(sa.select(NationalPhenomenon.code).where(
        sa.func.lower(NationalPhenomenon.label_fi) == data.label_fi.lower(), NationalPhenomenon.retired.is_(False)))
    if same_name is not None:
        raise Refusal(_("Luokituksessa on jo ilmiö nimeltä %(name)s (%(code)s).", name=data.label_fi, code=same_name))
    if db.session.scalar(sa.select(NationalPhenomenon.id).where(NationalPhenomenon.code == data.code)) is not None:
        raise Refusal(_("Koodi %(code)s on jo käytössä. Luokituksen koodeja ei käytetä uudelleen.", code=data.code))
    version = classification_version() + 1
    position = (db.session.scalar(sa.select(sa.func.max(NationalPhenomenon.position))) or 0) + 1
    phenomenon = NationalPhenomenon(
        code=data.code, label_fi=data.label_fi, label_en=data.label_en or data.label_fi, label_sv=data.label_sv or None,
        explanation_fi=data.explanation_fi or None, explanation_en=data.explanation_en or None,
        explanation_sv=data.explanation_sv or None, position=position, added_in_version=version)
    db.session.add(phenomenon)
    record(AuditAction.CLASSIFICATION_CHANGED, actor=actor, target=f"national_phenomenon {data.code}",
           details={"created": True, "code": data.code, "label_fi": data.label_fi, "version": version})
    db.session.flush()
    return phenomenon


def edit_texts(phenomenon: NationalPhenomenon, data: PhenomenonInput, actor: User) -> bool:
    """Better labels or explanations for the same phenomenon: its code and the version stay. True if changed."""
    changes = apply_changes(phenomenon, {
        "label_fi": data.label_fi, "label_en": data.label_en or data.label_fi, "label_sv": data.label_sv or None,
        "explanation_fi": data.explanation_fi or None, "explanation_en": data.explanation_en or None,
        "explanation_sv": data.explanation_sv or None})
    if changes:
        record(AuditAction.CLASSIFICATION_CHANGED, actor=actor, target=f"national_phenomenon {phenomenon.code}",
               details=changes)
        db.session.flush()
    return bool(changes)


def retire_phenomenon(phenomenon: NationalPhenomenon, actor: User) -> int:
    """Take a phenomenon out of the classification in a new version; its codings stay. Returns the version."""
    if phenomenon.retired:
        raise Refusal(_("Ilmiö %(name)s on jo poistettu luokituksesta.", name=phenomenon.label_fi))
    if len(offered_phenomena()) <= 1:
        raise Refusal(_("Luokitukseen pitää jäädä ainakin yksi ilmiö."))
    version = classification_version() + 1
    phenomenon.retired, phenomenon.retired_in_version = True, version
    record(AuditAction.CLASSIFICATION_CHANGED, actor=actor, target=f"national_phenomenon {phenomenon.code}",
           details={"retired": True, "version": version})
    db.session.flush()
    return version


def coded_reports(phenomenon: NationalPhenomenon) -> int:
    """How many reports carry the phenomenon, confirmed or not."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(ReportNationalPhenomenon)
                             .where(ReportNationalPhenomenon.national_phenomenon_id == phenomenon.id)) or 0


# ---- the coding of reports --------------------------------------------------------------------

def confirmed_coding() -> sa.Select[tuple[int, int]]:
    """(report_id, national_phenomenon_id) of every confirmed coding: what every count of the phenomena reads."""
    return (sa.select(ReportNationalPhenomenon.report_id, ReportNationalPhenomenon.national_phenomenon_id)
            .where(ReportNationalPhenomenon.confirmed.is_(True)))


def _ordered(codings: Iterable[ReportNationalPhenomenon]) -> list[ReportNationalPhenomenon]:
    return sorted(codings, key=lambda c: (c.phenomenon.position, c.phenomenon.id))


def confirmed_phenomena(report: Report) -> list[NationalPhenomenon]:
    """The report's national phenomena as a handler confirmed them."""
    return [c.phenomenon for c in _ordered(report.national_phenomenon_codings) if c.confirmed]


def suggestions(report: Report) -> list[ReportNationalPhenomenon]:
    """The report's unconfirmed codings (the reporter's picks, or derived from its themes before direct coding)."""
    return [c for c in _ordered(report.national_phenomenon_codings) if not c.confirmed]


def codings(report: Report) -> list[ReportNationalPhenomenon]:
    return _ordered(report.national_phenomenon_codings)


def code_by_reporter(report: Report, phenomena: Sequence[NationalPhenomenon]) -> None:
    """The reporter's picks on a new report: suggestions until a handler confirms them."""
    for phenomenon in {p.id: p for p in phenomena}.values():
        report.national_phenomenon_codings.append(
            ReportNationalPhenomenon(phenomenon=phenomenon, source=CodingSource.REPORTER, confirmed=False))


def handler_choices(report: Report) -> list[NationalPhenomenon]:
    """What the case page offers the handler: the current classification and any retired one the report has."""
    kept = {c.phenomenon.id: c.phenomenon for c in report.national_phenomenon_codings if c.phenomenon.retired}
    return [p for p in all_phenomena() if not p.retired or p.id in kept]


def confirm_coding(report: Report, phenomena: Sequence[NationalPhenomenon], actor: User, *,
                   expected_version: int | None = None, now: datetime | None = None) -> dict[str, list[str]]:
    """The handler's coding of the report: exactly `phenomena`, all confirmed; audited; flush, never commit.

    A suggestion chosen is confirmed (and keeps who suggested it), one left out is dropped, a phenomenon
    the handler adds is theirs. Choosing none says that no national phenomenon applies. A retired
    phenomenon may be kept where the report already has it, never added. Returns what changed, for the log.
    """
    if not permissions.can_code_national_phenomena(actor, report):
        raise Refusal(_("Tämän raportin käsittely ei kuulu sinulle."))
    check_version(report, expected_version)
    allowed = {p.id for p in handler_choices(report)}
    chosen = {p.id: p for p in phenomena}
    if set(chosen) - allowed:
        raise Refusal(_("Poistettua ilmiötä ei voi lisätä raporttiin."))
    existing = {c.national_phenomenon_id: c for c in report.national_phenomenon_codings}
    before = sorted(c.phenomenon.code for c in existing.values() if c.confirmed)
    suggested = sorted(c.phenomenon.code for c in existing.values() if not c.confirmed)
    for phenomenon_id, coding in existing.items():
        if phenomenon_id not in chosen:
            report.national_phenomenon_codings.remove(coding)
        else:
            coding.confirmed = True
    for phenomenon_id, phenomenon in chosen.items():
        if phenomenon_id not in existing:
            report.national_phenomenon_codings.append(
                ReportNationalPhenomenon(phenomenon=phenomenon, source=CodingSource.HANDLER, confirmed=True))
    after = sorted(p.code for p in chosen.values())
    if before == after and not suggested:
        return {}
    changes = {"national_phenomena": [before, after], **({"suggested": suggested} if suggested else {})}
    now = now or utcnow()
    report.updated_at = now  # a new version of the report, so a page showing the old coding cannot overwrite it
    record(AuditAction.REPORT_CHANGED, actor=actor, report=report, now=now,
           details={"action": "code_national_phenomena", **changes})
    flush(report)
    return changes
