"""Login and the language switch."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Sähköposti"), validators=[InputRequired(_l("Kirjoita sähköpostiosoitteesi.")), Length(max=254)])
    password = PasswordField(_l("Salasana"), validators=[InputRequired(_l("Kirjoita salasanasi.")), Length(max=200)])
    remember = BooleanField(_l("Muista minut tällä laitteella"))


class LanguageForm(FlaskForm):
    language = SelectField(choices=[SelectChoice("fi", "suomi"), SelectChoice("en", "English")])
    next = HiddenField()
