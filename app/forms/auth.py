"""Login and the language switch."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Sähköposti"), validators=[InputRequired(_l("Kirjoita sähköpostiosoitteesi.")), Length(max=254)])
    password = PasswordField(_l("Salasana"), validators=[InputRequired(_l("Kirjoita salasanasi.")), Length(max=200)])
    remember = BooleanField(_l("Muista minut tällä laitteella"))


LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}
"""Each language by its own name, as the switch offers it."""


class LanguageForm(FlaskForm):
    language = SelectField(choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()])
    next = HiddenField()


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("Sähköposti"), validators=[InputRequired(_l("Kirjoita sähköpostiosoitteesi.")), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Uusi salasana"), validators=[
        InputRequired(_l("Kirjoita uusi salasana.")),
        Length(min=12, max=200, message=_l("Salasanassa pitää olla vähintään 12 merkkiä."))])
    password_again = PasswordField(_l("Uusi salasana uudelleen"), validators=[
        InputRequired(_l("Kirjoita salasana uudelleen.")), EqualTo("password", _l("Salasanat eivät ole samat."))])
