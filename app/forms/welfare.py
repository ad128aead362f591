"""Forms of the welfare coordinator's package, of the administrator's API tokens, and of the comparison's
harvest sources and uploaded export files."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.forms.fields import CheckboxListField, ChoiceField, strip


class PackageForm(FlaskForm):
    """What to pull: a GET form, so the package has an address that can be bookmarked and shared."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    municipality = ChoiceField(_l("Alue"), validators=[InputRequired(_l("Valitse kunta tai koko alue."))])
    span = ChoiceField(_l("Ajanjakso"), validators=[InputRequired(_l("Valitse ajanjakso."))])
    themes = CheckboxListField(_l("Teemat"))


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Kuka avainta käyttää ja mihin"), filters=[strip],
                       validators=[DataRequired(_l("Kirjoita avaimelle nimi: kuka sitä käyttää ja mihin.")),
                                   Length(max=200)])


class HarvestSourceForm(FlaskForm):
    """A county's open-data index for the comparison to harvest."""

    index_url = StringField(_l("Hakemiston osoite"), filters=[strip],
                            validators=[DataRequired(_l("Anna alueen avoimen datan hakemiston osoite.")),
                                        Length(max=500)])


class HarvestUploadForm(FlaskForm):
    """A county's export file sent by hand (a county without a public address, or a file sent by mail)."""

    file = FileField(_l("Vientitiedosto (JSON)"))
