"""Settings the administrator edits without code: deadlines, reminders, digests, links and guidance.

Configuration (app/config.py, instance/config.py, SORA_* variables) gives the defaults; a value
saved on the settings page overrides its key until the administrator restores the defaults.
Deadlines are fixed on each report when it is filed, so a change applies to new reports only.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context

from app.codes import COLLABORATIVE_AREAS, AuditAction
from app.extensions import db
from app.models import User
from app.models.site_settings import SiteSetting
from app.workflow.core.audit import record

EDITABLE = (
    "FIRST_HANDLING_DAYS",
    "FEEDBACK_DAYS",
    "STALLED_DAYS",
    "QUESTION_WAIT_DAYS",
    "REMINDER_PERCENTS",
    "DIGEST_RHYTHM",
    "OTHER_CHANNELS",
    "GUIDANCE_NOTE_FI",
    "GUIDANCE_NOTE_EN",
    "PARTNER_CHANNEL",
    "PARTNER_HANDLING_NODE",
    "PARTNER_RESIDENTS",
    "DISCLOSURE_THRESHOLD",
)


# The county's identity: set up from the classifications (admin/county.py), the names, logo and colours
# then edited on the county page. Restoring the defaults leaves them alone.
IDENTITY = (
    "COUNTY_CODE",
    "COUNTY_NAME",
    "COUNTY_NAME_SV",
    "COUNTY_NAME_EN",
    "COLLABORATIVE_AREA_CODE",
    "COLLABORATIVE_AREA_NAME",
    "COUNTY_LOGO",
    "COUNTY_COLOUR",
    "COUNTY_COLOUR_DARK",
    "INSTALLATION_KIND",
    "COMPARISON_SCOPE",
)
COUNTY_INSTALLATION = "county"
COMPARISON_INSTALLATION = "comparison"
"""INSTALLATION_KIND: a county's own SoRa, or a national or collaborative-area comparison of counties' open
data (COMPARISON_SCOPE "FI" or the area's code), set up by `setup-county --comparison` (app.workflow.comparison)."""


@dataclass(frozen=True)
class County:
    """What the header, the mail and the PDFs say about the county."""

    code: str
    name_fi: str
    name_sv: str
    name_en: str
    collaborative_area_code: str
    collaborative_area_name: str
    logo: str
    """A data: URI of the logo image (PNG, JPEG or SVG), or empty."""
    colour: str
    colour_dark: str

    @property
    def collaborative_area_label(self) -> str:
        """The collaborative area in the reader's language, as the classification's Finnish name otherwise."""
        found = COLLABORATIVE_AREAS.get(self.collaborative_area_code)
        return str(found) if found is not None and has_request_context() else self.collaborative_area_name

    def name_in(self, language: str) -> str:
        chosen = {"sv": self.name_sv, "en": self.name_en}.get(language, "")
        return chosen or self.name_fi

    @property
    def name(self) -> str:
        """The name in the reader's language (Finnish outside a request, e.g. in mail)."""
        if not has_request_context():
            return self.name_fi
        from flask_babel import get_locale

        return self.name_in(str(get_locale() or "fi"))


def county() -> County:
    overrides = saved()
    value = {key: overrides.get(key, current_app.config.get(key)) or "" for key in IDENTITY}
    return County(value["COUNTY_CODE"], value["COUNTY_NAME"], value["COUNTY_NAME_SV"], value["COUNTY_NAME_EN"],
                  value["COLLABORATIVE_AREA_CODE"], value["COLLABORATIVE_AREA_NAME"], value["COUNTY_LOGO"],
                  value["COUNTY_COLOUR"], value["COUNTY_COLOUR_DARK"])


def county_for_export() -> tuple[str, str]:
    """The code and Finnish name the national export names the county by."""
    found = county()
    return found.code, found.name_fi


def installation_kind() -> str:
    """COUNTY_INSTALLATION unless this database was set up as a comparison."""
    return str(saved().get("INSTALLATION_KIND") or current_app.config.get("INSTALLATION_KIND")
               or COUNTY_INSTALLATION)


def comparison_scope() -> str | None:
    """"FI" for a national comparison, a collaborative area's code ("2"), or None in a county's installation."""
    if installation_kind() != COMPARISON_INSTALLATION:
        return None
    return str(saved().get("COMPARISON_SCOPE") or current_app.config.get("COMPARISON_SCOPE") or "FI")


def save_identity(values: Mapping[str, Any], actor: User) -> dict[str, list[Any]]:
    """Store the county's names, logo and colours that changed, and log them (the logo as changed only)."""
    before = county()
    changed: dict[str, list[Any]] = {}
    for key, value in values.items():
        if key not in IDENTITY or key in ("COUNTY_CODE", "COLLABORATIVE_AREA_CODE", "COLLABORATIVE_AREA_NAME",
                                          "INSTALLATION_KIND", "COMPARISON_SCOPE"):
            continue
        old = getattr(before, {"COUNTY_NAME": "name_fi", "COUNTY_NAME_SV": "name_sv", "COUNTY_NAME_EN": "name_en",
                               "COUNTY_LOGO": "logo", "COUNTY_COLOUR": "colour",
                               "COUNTY_COLOUR_DARK": "colour_dark"}[key])
        if old == value:
            continue
        changed[key] = ["…", "…"] if key == "COUNTY_LOGO" else [old, value]
        store(key, value)
    if changed:
        record(AuditAction.SETTINGS_CHANGED, actor=actor, target="county", details=changed)
    g.pop("sora_settings", None)
    db.session.flush()
    return changed


def store(key: str, value: object) -> None:
    """Keep one value in the settings table (add its row, or change it); the callers log and flush."""
    row = db.session.get(SiteSetting, key)
    if row is None:
        db.session.add(SiteSetting(key=key, value=value))
    elif row.value != value:
        row.value = value


def without_database() -> None:
    """For the rest of this request, the settings are the configured ones: for a page shown while the
    database cannot be reached (its header still names the county)."""
    g.sora_settings = {}


def saved() -> dict[str, Any]:
    """The administrator's values, read once per request or job."""
    cache = g if has_app_context() else None
    if cache is not None and "sora_settings" in cache:
        return cache.sora_settings  # type: ignore[no-any-return]
    values = {row.key: row.value for row in db.session.scalars(sa.select(SiteSetting))}
    if cache is not None:
        cache.sora_settings = values
    return values


def current() -> dict[str, Any]:
    """The effective value of every editable key: saved, or else configured."""
    overrides = saved()
    return {key: overrides.get(key, current_app.config.get(key)) for key in EDITABLE}


def save(values: Mapping[str, Any], actor: User) -> dict[str, list[Any]]:
    """Store the values that differ from the effective ones and log them; flush, never commit."""
    before = current()
    changed = {key: [before[key], value] for key, value in values.items() if key in EDITABLE and before[key] != value}
    for key, (_, value) in changed.items():
        store(key, value)
    if changed:
        record(AuditAction.SETTINGS_CHANGED, actor=actor, target="settings", details=changed)
    g.pop("sora_settings", None)
    db.session.flush()
    return changed


def restore_defaults(actor: User) -> int:
    """Forget every saved value, so the configuration applies again; flush, never commit."""
    rows = list(db.session.scalars(sa.select(SiteSetting).where(SiteSetting.key.not_in(IDENTITY))))
    for row in rows:
        db.session.delete(row)
    if rows:
        record(AuditAction.SETTINGS_CHANGED, actor=actor, target="settings",
               details={row.key: [row.value, "default"] for row in rows})
    g.pop("sora_settings", None)
    db.session.flush()
    return len(rows)
