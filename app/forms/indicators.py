"""Forms of the indicators beside the reports: importing files from Sotkanet or THL, and the phenomenon view's area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.forms.fields import ChoiceField, strip


class IndicatorImportForm(FlaskForm):
    files = MultipleFileField(_l("Tiedostot"))
    phenomenon = ChoiceField(_l("Ilmiö, jonka rinnalla indikaattori näytetään"), validators=[Optional()])
    title = StringField(_l("Indikaattorin nimi (jos tiedostossa ei ole sitä)"), filters=[strip],
                        validators=[Optional(), Length(max=500)])


class AreaForm(FlaskForm):
    """The phenomenon view's area: a GET form, so a municipality's view can be bookmarked."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    area = ChoiceField(_l("Alue"), validators=[Optional()])
