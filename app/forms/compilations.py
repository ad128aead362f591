"""Forms of the compilations and the annual clock."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.codes import ExcerptContext
from app.forms.fields import ChoiceField, options, strip
from app.forms.validators import NoIdentityCode
from app.models import Recurrence, Theme

TEXT = [Optional(), Length(max=20000), NoIdentityCode()]


class OpenCompilationForm(FlaskForm):
    period = ChoiceField(_l("Puolivuotiskausi"), validators=[DataRequired(_l("Valitse kausi."))])


class VersionedForm(FlaskForm):
    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class CompilationTextsForm(VersionedForm):
    summary = TextAreaField(_l("Yhteenveto"), filters=[strip], validators=TEXT)

    def theme_fields(self, themes: list[Theme]) -> list[tuple[Theme, Field, Field]]:
        return [(t, self[f"findings_{t.code}"], self[f"proposals_{t.code}"]) for t in themes]


def texts_form(themes: list[Theme], **kwargs: Any) -> CompilationTextsForm:
    """The texts form with a findings and a proposals field per theme."""

    class Form(CompilationTextsForm):
        pass

    for theme in themes:
        setattr(Form, f"findings_{theme.code}", TextAreaField(_l("Havainnot"), filters=[strip], validators=TEXT))
        setattr(Form, f"proposals_{theme.code}", TextAreaField(_l("Ehdotukset"), filters=[strip], validators=TEXT))
    return Form(**kwargs)


class HighlightForm(VersionedForm):
    number = StringField(_l("Raportin numero"), filters=[strip],
                         validators=[DataRequired(_l("Anna raportin numero.")), Length(max=32)])


class ExcerptForm(VersionedForm):
    excerpt = TextAreaField(_l("Julkaistava ote"), filters=[strip],
                            validators=[DataRequired(_l("Kirjoita ote tai poista nosto.")), Length(max=10000),
                                        NoIdentityCode()])
    context = ChoiceField(_l("Otteen yhteydessä kerrotaan"), choices=options(ExcerptContext.choices()),
                          default=ExcerptContext.COUNTY.value, validators=[DataRequired()])


class CompilationActionForm(VersionedForm):
    note = TextAreaField(_l("Kommentit"), filters=[strip], validators=[Optional(), Length(max=10000), NoIdentityCode()])
    confirmed = BooleanField(_l("Olen tarkistanut, mitä julkaistaan ja kenelle ilmoitetaan"))


class WithdrawForm(VersionedForm):
    reason = TextAreaField(_l("Perustelu"), filters=[strip],
                           validators=[DataRequired(_l("Kirjoita, miksi julkaisu perutaan.")), Length(max=5000),
                                       NoIdentityCode()])


class ClockEventForm(FlaskForm):
    name = StringField(_l("Tapahtuma"), filters=[strip], validators=[DataRequired(_l("Anna tapahtumalle nimi.")),
                                                                    Length(max=200)])
    description = TextAreaField(_l("Kuvaus"), filters=[strip], validators=[Optional(), Length(max=2000)])
    recurrence = ChoiceField(_l("Toistuu"), choices=options(Recurrence.choices()), validators=[DataRequired()])
    day = IntegerField(_l("Päivä"), validators=[InputRequired(_l("Anna päivä.")),
                                                NumberRange(1, 31, _l("Päivä on 1–31."))])
    month = IntegerField(_l("Kuukausi"), validators=[InputRequired(_l("Anna kuukausi.")),
                                                     NumberRange(1, 12, _l("Kuukausi on 1–12."))])
    compilation_lead_days = IntegerField(
        _l("Kooste hyväksyttävä päivää ennen"), validators=[Optional(), NumberRange(0, 365, _l("Anna 0–365 päivää."))])
    code = StringField(_l("Tunnus"), filters=[strip], validators=[Optional(), Length(max=64)])
