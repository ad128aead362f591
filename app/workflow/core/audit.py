"""The audit log: every view of a report, every change, export and login, and every administrative change.

`record()` is the only writer. It adds one row to the session and leaves the commit to the
caller, so an entry stands or falls with the change it describes. What it never stores: a
client address, a user agent, the text typed into a failed login, or any link between an
anonymous report and a person. What the reporter does with the number and code (filing
anonymously, tracking, answering) is not logged at all, even when they happen to be logged in:
an unattributed entry would still sit next to their own login in the log. Those steps stay
on the report's own timeline, which holds no person.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.codes import AuditAction, ReportStatus, Role
from app.extensions import db
from app.models import AuditEntry, Forum, Report, User, utcnow
from app.workflow.cases.transitions import Action
from app.workflow.core.anonymity import day_start

HELSINKI = ZoneInfo("Europe/Helsinki")

def _user(actor: object) -> User | None:
    """The User behind `actor` (Flask-Login's proxy included), or None for a visitor."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    real = getattr(actor, "_get_current_object", None)
    user = real() if callable(real) else actor
    return user if isinstance(user, User) else None


def record(
    action: AuditAction,
    *,
    actor: object = None,
    report: Report | None = None,
    report_number: str | None = None,
    target: str | None = None,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Add one audit entry to the session; the caller commits it together with the change.

    An entry that names a reporter (names_reporter: a named filing, an author opening their own report)
    is dated to its day, so that it does not sort beside the author's login and bracket its neighbours."""
    moment = now or utcnow()
    user = _user(actor)
    if action == AuditAction.REPORT_FILED or (action == AuditAction.REPORT_VIEWED and report is not None
                                               and user is not None and report.author_id == user.id):
        moment = day_start(moment)
    entry = AuditEntry(
        created_at=moment,
        actor=user,
        action=action,
        report_number=report.number if report is not None else report_number,
        target=target[:200] if target else None,
        details=dict(details) if details else None,
    )
    db.session.add(entry)
    return entry


def shown(value: object) -> object:
    """A value as the log keeps it: codes for coded things, plain JSON for the rest."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Enum):
        return value.value
    for attribute in ("code", "email"):
        if hasattr(value, attribute):
            return getattr(value, attribute)
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(str(shown(item)) for item in value)
    return str(value)


def apply_changes(obj: object, values: Mapping[str, object]) -> dict[str, list[object]]:
    """Set the attributes that differ and return them as {name: [before, after]} for the log."""
    changed: dict[str, list[object]] = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changed[name] = [shown(old), shown(new)]
            setattr(obj, name, new)
    return changed


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    """Part of the acting user's name or e-mail."""
    action: str = ""
    report_number: str = ""
    date_from: date | None = None
    date_to: date | None = None
    """Both dates inclusive, as days in Helsinki time."""


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=HELSINKI)


def names_reporter() -> sa.ColumnElement[bool]:
    """Entries whose actor is a report's author: the named filing, and an author opening their own report.

    Only those who may see a reporter (permissions.can_see_reporters_in_audit) see who that was; to the
    others the entry shows no actor, matches no search by actor and is dated to the day.
    """
    own_report = sa.exists().where(Report.number == AuditEntry.report_number, Report.author_id == AuditEntry.actor_id)
    return sa.or_(AuditEntry.action == AuditAction.REPORT_FILED,
                  sa.and_(AuditEntry.action == AuditAction.REPORT_VIEWED, own_report))


def entries_naming_reporters(entries: list[AuditEntry]) -> set[int]:
    """The ids among `entries` that names_reporter() matches, for the page to hide their actor."""
    if not entries:
        return set()
    ids = [entry.id for entry in entries]
    return set(db.session.scalars(sa.select(AuditEntry.id).where(AuditEntry.id.in_(ids), names_reporter())))


def audit_query(filters: AuditFilters, *, sees_reporters: bool = False) -> sa.Select[tuple[AuditEntry]]:
    """Entries matching the filters, newest first."""
    query = sa.select(AuditEntry)
    if filters.actor:
        term = filters.actor.strip().lower()
        if not sees_reporters:
            query = query.where(sa.not_(names_reporter()))
        query = query.where(AuditEntry.actor_id.in_(
            sa.select(User.id).where(sa.or_(sa.func.lower(User.name).contains(term, autoescape=True),
                                            sa.func.lower(User.email).contains(term, autoescape=True)))))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.report_number:
        query = query.where(sa.func.upper(AuditEntry.report_number)
                            .contains(filters.report_number.strip().upper(), autoescape=True))
    if filters.date_from:
        query = query.where(AuditEntry.created_at >= _day_start(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.created_at < _day_start(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


# Names used in the details of entries, as the log page shows them.
DETAIL_LABELS = {
    "action": _l("toimenpide"), "from": _l("tilasta"), "to": _l("tilaan"), "forum": _l("foorumi"),
    "reason": _l("syy"), "name": _l("nimi"), "email": _l("sähköposti"), "active": _l("käytössä"),
    "password": _l("salasana"), "parent": _l("ylempi taso"), "kind": _l("taso"), "municipality": _l("kunta"),
    "handling_node": _l("käsittelevä yksikkö"), "supervisors": _l("esihenkilöt"), "handlers": _l("käsittelijät"),
    "role": _l("rooli"), "scope": _l("kohde"), "added": _l("lisätty"), "removed": _l("poistettu"),
    "level": _l("taso"), "label_fi": _l("nimi suomeksi"), "label_en": _l("nimi englanniksi"), "label_sv": _l("nimi ruotsiksi"),
    "position": _l("järjestys"), "national_phenomena": _l("valtakunnalliset ilmiöt"), "code": _l("koodi"),
    "created": _l("uusia"), "updated": _l("muutettuja"), "deactivated": _l("käytöstä poistettuja"),
    "deleted": _l("poistettuja"), "what": _l("mitä"), "rows": _l("rivejä"), "to_user": _l("kenelle"),
    "open_reports": _l("avoimia raportteja"), "roles": _l("roolit"), "closed_at": _l("suljettu"),
    "to_node": _l("uusi käsittelevä yksikkö"), "method": _l("tapa"), "sso_linked": _l("kertakirjautuminen liitetty"),
    "period": _l("kausi"), "span": _l("ajanjakso"), "themes": _l("teemat"), "format": _l("muoto"),
}


REASONS = {
    "unknown_account": _l("tuntematon tunnus"), "wrong_password": _l("väärä salasana"),
    "inactive": _l("tunnus ei ole käytössä"), "no_password": _l("tunnuksella ei ole salasanaa"),
    "throttled": _l("liian monta yritystä, salasanaa ei tarkistettu"),
    "retention": _l("säilytysaika päättyi"), "sso_failed": _l("tunnistus epäonnistui"),
    "no_email": _l("ei vahvistettua sähköpostiosoitetta"), "sso_subject_mismatch": _l("liitetty toiseen tunnukseen"),
}
METHODS = {"sso": _l("kertakirjautuminen")}
WHAT = {"org_tree": _l("organisaatio CSV-tiedostona"), "welfare_package": _l("hyvinvointikertomuksen aineisto"),
        "national_export": _l("valtakunnallinen tilastovienti")}
TARGETS = {"user": _l("Käyttäjä"), "org_node": _l("Organisaatio"), "forum": _l("Foorumi"), "theme": _l("Teema"),
           "api_token": _l("API-avain"), "phenomenon_group": _l("Ilmiö"), "follow_up": _l("Ehdotuksen seuranta")}
# Phenomenon groups and the follow-ups of proposals (texts are logged as changed, not copied into the log).
DETAIL_LABELS.update({"description": _l("kuvaus"), "observations": _l("havainnot"), "proposal": _l("ehdotus"),
                      "theme_text": _l("teeman ehdotukset"), "public": _l("julkinen"), "date": _l("päivämäärä")})
# The inbox's, dashboard's and log's own exports, and cases handed over in bulk.
DETAIL_LABELS.update({"reports": _l("raportit"), "filters": _l("rajaukset"), "start": _l("alkaen"),
                      "end": _l("päättyen"), "actor": _l("tekijä"), "report_number": _l("raportti"),
                      "date_from": _l("alkaen"), "date_to": _l("päättyen"),
                      # the inbox's filters, as its export logs them
                      "status": _l("tila"), "phenomenon": _l("ilmiö"), "nature": _l("luonne"), "theme": _l("teema"),
                      "unit": _l("työyksikkö"), "unread": _l("vain uudet vastaukset"),
                      "overdue": _l("vain myöhässä olevat"), "due_soon": _l("määräaika lähellä"),
                      "stalled": _l("vain pysähtyneet"), "q": _l("haku"), "received_from": _l("saapunut alkaen"),
                      "received_to": _l("saapunut viimeistään"), "sort": _l("järjestys")})
WHAT.update({"inbox": _l("raporttilista"), "dashboard": _l("tilannekuva"), "audit_log": _l("lokitiedot")})
# The national phenomena: a handler's coding of a report, and the administrator's classification.
DETAIL_LABELS.update({"suggested": _l("ehdotetut"), "version": _l("luokituksen versio"),
                      "retired": _l("poistettu luokituksesta"), "explanation_fi": _l("selitys suomeksi"),
                      "explanation_en": _l("selitys englanniksi"), "explanation_sv": _l("selitys ruotsiksi")})
TARGETS["national_phenomenon"] = _l("Valtakunnallinen ilmiö")
OTHER_ACTIONS = {"code_national_phenomena": _l("Valtakunnallisten ilmiöiden koodaus")}
"""Logged actions on a report that are no step of the workflow."""


def field_label(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key))


def show_value(key: str, value: object) -> str:
    """A logged value for reading: yes/no, lists and mappings (the settings' links) joined, codes by their names."""
    if value is None or value == "" or value == {}:
        return "–"
    if isinstance(value, Mapping):
        return ", ".join(f"{field_label(name)}: {show_value(name, item)}" for name, item in value.items())
    if isinstance(value, bool):
        return str(_l("kyllä") if value else _l("ei"))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return ", ".join(show_value(key, item) for item in items) or "–"
    if key in ("added", "removed", "roles") and isinstance(value, str):
        code, separator, scope = value.partition(": ")
        roles = {r.value: r.label for r in Role}
        if code in roles:  # "supervisor: Kotihoito, Kaavi" reads "Esihenkilö: Kotihoito, Kaavi"
            return f"{roles[code]}{separator}{scope}"
    if key == "forum" and isinstance(value, str):
        name = db.session.scalar(sa.select(Forum.name).where(Forum.code == value))
        return name or value
    labels: dict[str, Any] = {"reason": REASONS, "action": {**{a.value: a.label for a in Action}, **OTHER_ACTIONS},
                              "from": {s.value: s.label for s in ReportStatus}, "to": {s.value: s.label for s in ReportStatus},
                              "role": {r.value: r.label for r in Role}, "what": WHAT, "method": METHODS}
    return str(labels.get(key, {}).get(value, value))


def describe(details: Mapping[str, Any] | None) -> list[str]:
    """The details of an entry as short lines for the log page, with codes shown by their names."""
    lines = []
    for key, value in (details or {}).items():
        name = field_label(key)
        if key == "created" and value is True:  # a user or a forum made new, not a count of new rows
            lines.append(str(_l("luotiin uutena")))
            continue
        if isinstance(value, list) and len(value) == 2 and key not in ("added", "removed", "roles", "reports",
                                                                                 "suggested"):
            lines.append(f"{name}: {show_value(key, value[0])} → {show_value(key, value[1])}")
        else:
            lines.append(f"{name}: {show_value(key, value)}")
    return lines


def describe_target(target: str | None) -> str:
    if not target:
        return ""
    kind, _, key = target.partition(" ")
    return f"{TARGETS[kind]} {key}" if kind in TARGETS else target


def record_failed_login(account: User | None, *, throttled: bool = False) -> AuditEntry:
    """A refused login. Only an existing account is named (by id); the typed text is never kept,
    since people type passwords into the e-mail field. The reason stays out of the page, not the log.
    A throttled attempt was refused before its password was checked, so that is its only reason."""
    if throttled:
        reason = "throttled"
    elif account is None:
        reason = "unknown_account"
    else:
        reason = "inactive" if not account.active else "no_password" if not account.password_hash else "wrong_password"
    target = f"user {account.email}" if account is not None else None
    return record(AuditAction.LOGIN_FAILED, target=target, details={"reason": reason})
