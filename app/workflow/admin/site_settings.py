"""Settings the administrator edits without code: deadlines, reminders, digests, links and guidance.

Configuration (app/config.py, instance/config.py, SORA_* variables) gives the defaults; a value
saved on the settings page overrides its key until the administrator restores the defaults.
Deadlines are fixed on each report when it is filed, so a change applies to new reports only.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context

from app.codes import AuditAction
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
    "DISCLOSURE_THRESHOLD",
)


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
        row = db.session.get(SiteSetting, key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
    if changed:
        record(AuditAction.SETTINGS_CHANGED, actor=actor, target="settings", details=changed)
    g.pop("sora_settings", None)
    db.session.flush()
    return changed


def restore_defaults(actor: User) -> int:
    """Forget every saved value, so the configuration applies again; flush, never commit."""
    rows = list(db.session.scalars(sa.select(SiteSetting)))
    for row in rows:
        db.session.delete(row)
    if rows:
        record(AuditAction.SETTINGS_CHANGED, actor=actor, target="settings",
               details={row.key: [row.value, "default"] for row in rows})
    g.pop("sora_settings", None)
    db.session.flush()
    return len(rows)
