"""Validators shared by the forms."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, ValidationError

from app.workflow.core.privacy import contains_identity_code


class NoIdentityCode:
    """Refuse free text that contains a Finnish personal identity code."""

    message = _l(
        "Tekstissä on henkilötunnus. Raportissa kuvataan ilmiötä, ei asiakasta: "
        "poista henkilötunnus ja lähetä uudelleen."
    )

    def __call__(self, form: Form, field: Field) -> None:
        if contains_identity_code(field.data):
            raise ValidationError(str(self.message))


class MaxLengthFromConfig:
    """Refuse text longer than the limit configured under `key`, read when the form validates."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, form: Form, field: Field) -> None:
        limit = current_app.config[self.key]
        if field.data and len(field.data) > limit:
            raise ValidationError(_("Teksti on liian pitkä: enintään %(max)d merkkiä.", max=limit))
