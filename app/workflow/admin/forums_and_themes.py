"""The administrator's choices: forums (with their escalation level) and the data-need themes of the form.

THL's national phenomena are a classification of their own (app/workflow/phenomena/coding.py).

Rows are never deleted, only taken out of use, because reports and their timelines name them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.codes import AuditAction, EscalationLevel
from app.extensions import db
from app.models import Forum, Municipality, Theme, User
from app.workflow.core.audit import apply_changes, record
from app.workflow.core.errors import Refusal


def _code_taken(model: type[Forum] | type[Theme], code: str, row: Forum | Theme | None) -> bool:
    other = db.session.scalar(sa.select(model).where(model.code == code))
    return other is not None and other is not row


def _log(action: AuditAction, kind: str, row: Forum | Theme, changes: dict[str, Any], created: bool, actor: User) -> None:
    if created:
        changes = {"created": True, **{name: after for name, (_before, after) in changes.items()}}
    if changes:
        record(action, actor=actor, target=f"{kind} {row.code}", details=changes)


@dataclass(frozen=True)
class ForumInput:
    code: str
    name: str
    level: EscalationLevel
    municipality: Municipality | None
    active: bool = True


def save_forum(forum: Forum | None, data: ForumInput, actor: User) -> Forum:
    if _code_taken(Forum, data.code, forum):
        raise Refusal(_("Koodi %(code)s on jo käytössä.", code=data.code))
    created = forum is None
    if forum is None:
        forum = Forum()
        db.session.add(forum)
    changes = apply_changes(forum, {"code": data.code, "name": data.name, "level": data.level,
                                    "municipality": data.municipality, "active": data.active})
    _log(AuditAction.FORUM_CHANGED, "forum", forum, changes, created, actor)
    db.session.flush()
    return forum


@dataclass(frozen=True)
class ThemeInput:
    code: str
    label_fi: str
    label_en: str
    position: int
    active: bool = True
    label_sv: str = ""


def save_theme(theme: Theme | None, data: ThemeInput, actor: User) -> Theme:
    if _code_taken(Theme, data.code, theme):
        raise Refusal(_("Koodi %(code)s on jo käytössä.", code=data.code))
    created = theme is None
    if theme is None:
        theme = Theme()
        db.session.add(theme)
    changes = apply_changes(theme, {"code": data.code, "label_fi": data.label_fi, "label_en": data.label_en,
                                    "label_sv": data.label_sv or None, "position": data.position, "active": data.active})
    _log(AuditAction.THEME_CHANGED, "theme", theme, changes, created, actor)
    db.session.flush()
    return theme


def next_theme_position() -> int:
    return (db.session.scalar(sa.select(sa.func.max(Theme.position))) or 0) + 1
