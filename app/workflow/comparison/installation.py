"""A comparison installation: the same SoRa set up for no single county, but for Finland or one collaborative
area (yhteistyöalue), to harvest the counties' open data and show THL's views of it.

`setup_comparison("FI")` or `setup_comparison("2")` stores INSTALLATION_KIND "comparison" and COMPARISON_SCOPE
as site settings, with the scope's names as the installation's name (the header and footer show them). It
loads the reference data (themes, national phenomena: their labels) but no municipalities: nobody files
reports here. A county's installation harvests too (to compare itself), so harvesting never asks the kind.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_babel import gettext as _

from app.codes import AuditAction
from app.extensions import db
from app.models import User
from app.workflow.admin import county as counties
from app.workflow.admin import site_settings
from app.workflow.admin.reference_data import load_reference_data
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal

NATIONAL = "FI"
NATIONAL_NAMES = ("Koko Suomi", "Hela Finland", "All of Finland")
AREA_NAMES = {
    # Finnish names from the classification file; Swedish and English as the areas' own publications give them.
    "1": ("Södra Finlands samarbetsområde", "Southern Finland collaborative area"),
    "2": ("Östra Finlands samarbetsområde", "Eastern Finland collaborative area"),
    "3": ("Inre Finlands samarbetsområde", "Inland Finland collaborative area"),
    "4": ("Västra Finlands samarbetsområde", "Western Finland collaborative area"),
    "5": ("Norra Finlands samarbetsområde", "Northern Finland collaborative area"),
}


@dataclass(frozen=True)
class Scope:
    code: str
    """"FI", or the collaborative area's code."""
    name_fi: str
    name_sv: str
    name_en: str
    county_codes: tuple[str, ...]
    """The counties the scope holds (all of them for Finland, Åland aside: it has no wellbeing services county)."""


def areas() -> dict[str, str]:
    """Collaborative areas' codes and Finnish names, from the classification of the counties."""
    return {row.collaborative_area_code: row.collaborative_area_name for row in counties.counties()
            if row.collaborative_area_code}


def find_scope(text: str) -> Scope:
    """"FI" (or "Suomi", "koko maa") or an area's code ("2") or name ("Itä-Suomen yhteistyöalue", "Itä-Suomi")."""
    wanted = text.strip().lower()
    rows = [row for row in counties.counties() if row.collaborative_area_code]
    if wanted in ("fi", "suomi", "koko suomi", "koko maa", "finland"):
        return Scope(NATIONAL, *NATIONAL_NAMES, tuple(row.code for row in rows))
    known = areas()
    found = [code for code, name in known.items() if wanted == code or wanted == name.lower()
             or (wanted and name.lower().startswith(wanted))]
    if len(found) != 1:
        raise Refusal(_("Vertailun alue on FI (koko Suomi) tai yhteistyöalueen koodi: %(areas)s.",
                        areas=", ".join(f"{code} {name}" for code, name in sorted(known.items()))))
    code = found[0]
    return Scope(code, known[code], *AREA_NAMES.get(code, (known[code], known[code])),
                 tuple(row.code for row in rows if row.collaborative_area_code == code))


def current_scope() -> Scope | None:
    """The comparison this installation was set up for, or None for a county's installation."""
    code = site_settings.comparison_scope()
    return find_scope(code) if code else None


def setup_comparison(text: str, *, actor: User | None = None) -> Scope:
    """Set the installation up as a comparison of `text`'s counties; flush, the caller commits.

    A county's database is never turned into a comparison (its reports belong to the county), nor a comparison
    of one scope into another's (its harvested files were chosen for it)."""
    scope = find_scope(text)
    if counties.configured_code() is not None:
        raise Refusal(_("Tähän asennukseen on jo otettu käyttöön alue %(code)s. Vertailu tarvitsee oman "
                        "tietokantansa.", code=counties.configured_code()))
    current = site_settings.comparison_scope()
    if current is not None and current != scope.code:
        raise Refusal(_("Tämä asennus on jo vertailu alueelle %(code)s.", code=current))
    for key, value in [("INSTALLATION_KIND", site_settings.COMPARISON_INSTALLATION), ("COMPARISON_SCOPE", scope.code),
                       ("COLLABORATIVE_AREA_CODE", "" if scope.code == NATIONAL else scope.code),
                       ("COLLABORATIVE_AREA_NAME", "" if scope.code == NATIONAL else scope.name_fi),
                       ("COUNTY_NAME", scope.name_fi), ("COUNTY_NAME_SV", scope.name_sv),
                       ("COUNTY_NAME_EN", scope.name_en)]:
        site_settings.store(key, value)
    g.pop("sora_settings", None)
    db.session.flush()
    load_reference_data()
    record(AuditAction.SETTINGS_CHANGED, actor=actor, target="installation",
           details={"kind": site_settings.COMPARISON_INSTALLATION, "scope": scope.code})
    db.session.flush()
    return scope


def first_administrator(email: str, name: str, password: str) -> User:
    """The comparison's first administrator, who then lists the sources; only while nobody can log in."""
    import sqlalchemy as sa

    from app.codes import Role
    from app.models import RoleAssignment

    if db.session.scalar(sa.select(sa.func.count(User.id))):
        raise Refusal(_("Asennuksessa on jo käyttäjiä: uuden pääkäyttäjän lisää nykyinen pääkäyttäjä."))
    admin = User(email=email.strip().lower(), name=name.strip(), active=True)
    admin.set_password(password)
    admin.roles = [RoleAssignment(role=Role.ADMIN, org_node=None)]
    db.session.add(admin)
    db.session.flush()
    record(AuditAction.USER_CHANGED, actor=admin, target=f"user {admin.email}",
           details={"created": True, "name": admin.name, "email": admin.email, "first_run": True})
    return admin
