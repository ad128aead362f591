"""The county SoRa serves, set up from Statistics Finland's classifications that the repository ships.

`setup_county("20")` (or `"Kainuu"`) stores the county's code, names and collaborative area as site
settings and loads its municipalities with their numbers and Finnish and Swedish names. Loading a
newer classification file for the same county applies a merger: municipalities that the file no
longer lists are kept, marked retired, so old reports keep valid municipality codes, and new reports
cannot choose them. The files and their sources: app/data/classifications/ (SOURCES.md).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction
from app.extensions import db
from app.models import Municipality, User
from app.models.site_settings import SiteSetting
from app.workflow.admin import site_settings
from app.workflow.admin.reference_data import load_reference_data
from app.workflow.core.audit import record
from app.workflow.core.errors import Refusal

CLASSIFICATIONS = Path(__file__).resolve().parents[2] / "data" / "classifications"
MUNICIPALITIES_FILE = CLASSIFICATIONS / "municipalities.csv"
COUNTIES_FILE = CLASSIFICATIONS / "wellbeing_services_counties.csv"


@dataclass(frozen=True)
class CountyRow:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    collaborative_area_code: str
    collaborative_area_name: str


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name_fi: str
    name_sv: str
    county_code: str


@dataclass(frozen=True)
class SetupResult:
    county: CountyRow
    added: int
    renamed: int
    retired: list[str]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def counties(path: Path = COUNTIES_FILE) -> list[CountyRow]:
    return [CountyRow(r["code"], r["name_fi"], r["name_sv"], r["name_en"], r["collaborative_area_code"],
                      r["collaborative_area_name_fi"]) for r in _rows(path)]


def municipalities_of(county_code: str, path: Path = MUNICIPALITIES_FILE) -> list[MunicipalityRow]:
    return [row for row in all_municipalities(path) if row.county_code == county_code]


def all_municipalities(path: Path = MUNICIPALITIES_FILE) -> list[MunicipalityRow]:
    """Every municipality of Finland in the classification, whatever its county."""
    return [MunicipalityRow(r["code"], r["name_fi"], r["name_sv"] or r["name_fi"], r["county_code"])
            for r in _rows(path)]


def find_county(text: str, path: Path = COUNTIES_FILE) -> CountyRow:
    """The county of a code ("20", "9" for "09") or name ("Kainuu", "Pohjanmaan hyvinvointialue", "Helsinki")."""
    wanted = text.strip().lower()
    rows = counties(path)
    if wanted.isdigit():
        for row in rows:
            if row.code == wanted.zfill(2):
                return row
    names = lambda row: (row.name_fi.lower(), row.name_sv.lower(), row.name_en.lower())  # noqa: E731
    exact = [row for row in rows if wanted in names(row)]
    found = exact or [row for row in rows if wanted and (
        any(name.startswith(wanted) for name in names(row)) or wanted in row.name_en.lower().split())]
    if len(found) == 1:
        return found[0]
    if not found:
        raise Refusal(_("Hyvinvointialuetta ”%(text)s” ei löydy. Anna alueen koodi (esim. 20) tai nimi (esim. Kainuu).",
                        text=text))
    raise Refusal(_("”%(text)s” sopii usean alueen nimeen: %(names)s. Anna alueen koodi.",
                    text=text, names=", ".join(f"{row.code} {row.name_fi}" for row in found)))


def configured_code() -> str | None:
    """The code of the county set up in this database, or None on an empty installation."""
    row = db.session.get(SiteSetting, "COUNTY_CODE")
    return str(row.value) if row is not None and row.value else None


def setup_county(text: str, *, municipalities_file: Path = MUNICIPALITIES_FILE,
                 counties_file: Path = COUNTIES_FILE, actor: User | None = None) -> SetupResult:
    """Set up (or bring up to date) the county; flush, the caller commits.

    A database set up for one county is never switched to another: its reports name that county's
    municipalities.
    """
    county = find_county(text, counties_file)
    current = configured_code()
    if site_settings.installation_kind() == site_settings.COMPARISON_INSTALLATION:
        raise Refusal(_("Tämä asennus on otettu käyttöön alueiden vertailuun. Hyvinvointialueen oma SoRa "
                        "tarvitsee oman tietokantansa."))
    if current is not None and current != county.code:
        raise Refusal(_("Tähän asennukseen on jo otettu käyttöön alue %(code)s. Toista aluetta ei voi ottaa "
                        "käyttöön samaan tietokantaan.", code=current))
    listed = municipalities_of(county.code, municipalities_file)
    if not listed:
        raise Refusal(_("Tiedostossa ei ole alueen %(code)s kuntia.", code=county.code))
    existing = {m.code: m for m in db.session.scalars(sa.select(Municipality))}
    added = renamed = 0
    for row in listed:
        municipality = existing.get(row.code)
        if municipality is None:
            db.session.add(Municipality(code=row.code, name=row.name_fi, name_sv=row.name_sv))
            added += 1
            continue
        if (municipality.name, municipality.name_sv) != (row.name_fi, row.name_sv):
            municipality.name, municipality.name_sv = row.name_fi, row.name_sv
            renamed += 1
        municipality.retired = False
    codes = {row.code for row in listed}
    retired = sorted(code for code, m in existing.items() if code not in codes and not m.retired)
    for code in retired:
        existing[code].retired = True
    identity = [("COUNTY_CODE", county.code), ("COLLABORATIVE_AREA_CODE", county.collaborative_area_code),
                ("COLLABORATIVE_AREA_NAME", county.collaborative_area_name)]
    if current is None:  # the names are the administrator's to edit afterwards
        identity += [("COUNTY_NAME", county.name_fi), ("COUNTY_NAME_SV", county.name_sv),
                     ("COUNTY_NAME_EN", county.name_en)]
    for key, value in identity:
        site_settings.store(key, value)
    db.session.flush()
    load_reference_data()
    record(AuditAction.SETTINGS_CHANGED, actor=actor, target="county",
           details={"county": county.code, "added": added, "renamed": renamed, "retired": retired})
    db.session.flush()
    return SetupResult(county, added, renamed, retired)


def installation_empty() -> bool:
    """No county set up and nobody to log in: the first-run page may be used."""
    return (configured_code() is None and site_settings.comparison_scope() is None
            and db.session.scalar(sa.select(sa.func.count(User.id))) == 0)


def first_run(county_code: str, name: str, email: str, password: str) -> User:
    """Set up the county and its first administrator on an empty installation; flush, the caller commits."""
    from app.codes import Role
    from app.models import RoleAssignment
    from app.workflow.core.permissions import sets_up_installation

    if not sets_up_installation(empty=installation_empty()):
        raise Refusal(_("Asennus on jo otettu käyttöön. Kirjaudu sisään pääkäyttäjänä."))
    admin = User(email=email, name=name, active=True)
    admin.set_password(password)
    admin.roles = [RoleAssignment(role=Role.ADMIN, org_node=None)]
    db.session.add(admin)
    db.session.flush()
    setup_county(county_code, actor=admin)
    record(AuditAction.USER_CHANGED, actor=admin, target=f"user {admin.email}",
           details={"created": True, "name": name, "email": email, "first_run": True})
    return admin


LOGO_MAX_BYTES = 200_000


def logo_data_uri(data: bytes) -> str:
    """The uploaded logo as a data: URI, after checking by its bytes (not its name) that it is an image."""
    import base64

    if len(data) > LOGO_MAX_BYTES:
        raise Refusal(_("Logo on liian suuri: enintään 200 kt."))
    head = data[:512].lstrip().lower()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        mime = "image/jpeg"
    elif head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        mime = "image/svg+xml"
    else:
        raise Refusal(_("Logon on oltava PNG-, JPEG- tai SVG-kuva."))
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
