"""Forms of the county: the first-run setup of an empty installation, and the county's names, logo and colours."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp

from app.forms.fields import ChoiceField, options, strip

COLOUR = [Optional(), Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Anna väri muodossa #00558c."))]


class FirstRunForm(FlaskForm):
    county = ChoiceField(_l("Hyvinvointialue"), validators=[InputRequired(_l("Valitse hyvinvointialue."))])
    name = StringField(_l("Pääkäyttäjän nimi"), filters=[strip],
                       validators=[InputRequired(_l("Kirjoita nimi.")), Length(max=200)])
    email = EmailField(_l("Pääkäyttäjän sähköposti"), filters=[strip],
                       validators=[InputRequired(_l("Kirjoita sähköpostiosoite.")),
                                   Email(_l("Tarkista sähköpostiosoite.")), Length(max=254)])
    password = PasswordField(_l("Salasana"), validators=[InputRequired(_l("Kirjoita salasana.")),
                                                         Length(min=12, max=200, message=_l("Salasanassa on oltava vähintään 12 merkkiä."))])

    def __init__(self, counties: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.county.choices = options([("", _l("Valitse")), *counties])


class CountyForm(FlaskForm):
    name_fi = StringField(_l("Nimi suomeksi"), filters=[strip],
                          validators=[InputRequired(_l("Kirjoita nimi.")), Length(max=200)])
    name_sv = StringField(_l("Nimi ruotsiksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    name_en = StringField(_l("Nimi englanniksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    logo = FileField(_l("Logo (PNG, JPEG tai SVG, enintään 200 kt)"),
                     validators=[FileAllowed(["png", "jpg", "jpeg", "svg"], _l("Logon on oltava PNG-, JPEG- tai SVG-kuva."))])
    remove_logo = BooleanField(_l("Poista logo"))
    colour = StringField(_l("Tunnusväri (ylätunniste ja linkit)"), filters=[strip], validators=COLOUR)
    colour_dark = StringField(_l("Tumma tunnusväri"), filters=[strip], validators=COLOUR)
