"""Forms of the administrator's pages: audit-log search, organisation, people, forums and themes."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.codes import AuditAction, EscalationLevel, NodeKind, Role
from app.forms.fields import CHOOSE, ChoiceField, DayField, PageField, options, strip
from app.workflow.reports import catalog

ALL = ("", _l("Kaikki"))
NONE = ("", _l("— ei mitään —"))
WHOLE_COUNTY = ("", _l("Koko hyvinvointialue"))
CODE = Regexp(r"^[^/\x00-\x1f]+$", message=_l("Koodissa ei voi olla kauttaviivaa."))


class EmptyForm(FlaskForm):
    """A POST-only button: carries the CSRF token and nothing else."""


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    actor = StringField(_l("Tekijä (nimi tai sähköposti)"), filters=[strip], validators=[Optional(), Length(max=200)])
    action = ChoiceField(_l("Tapahtuma"), choices=options([ALL, *AuditAction.choices()]), validators=[Optional()])
    report_number = StringField(_l("Raportin numero"), filters=[strip], validators=[Optional(), Length(max=32)])
    date_from = DayField(_l("Alkaen"), validators=[Optional()])
    date_to = DayField(_l("Päättyen"), validators=[Optional()])
    page = PageField(validators=[Optional()])


def _node_choices(blank: tuple[str, object]) -> list[SelectChoice]:
    return options([blank, *[(node.code, f"{node.name} ({node.kind.label}){'' if node.active else ' – ' + str(_l('ei käytössä'))}")
                             for node in catalog.all_nodes()]])


class OrgNodeForm(FlaskForm):
    code = StringField(_l("Koodi"), filters=[strip], validators=[InputRequired(_l("Anna koodi.")), Length(max=64), CODE])
    name = StringField(_l("Nimi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    kind = ChoiceField(_l("Taso"), choices=options([CHOOSE, *NodeKind.choices()]),
                       validators=[InputRequired(_l("Valitse taso."))])
    parent = ChoiceField(_l("Ylempi taso"), validators=[Optional()])
    municipality = ChoiceField(_l("Kunta"), validators=[Optional()])
    handling_node = ChoiceField(_l("Raportit käsittelee"), validators=[Optional()])
    active = BooleanField(_l("Käytössä"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent.choices = _node_choices(NONE)
        self.handling_node.choices = _node_choices(("", _l("Ylempi taso (oletus)")))
        self.municipality.choices = options([NONE, *[(m.code, m.label) for m in catalog.municipalities()]])


class OrgImportForm(FlaskForm):
    file = FileField(_l("CSV-tiedosto"), validators=[FileRequired(_l("Valitse tiedosto."))])


class OrgImportConfirmForm(FlaskForm):
    """The checked file travels back in the page, so nothing is kept on the server between the steps;
    it is checked again before anything changes."""

    content = HiddenField()


class MoveReportsForm(FlaskForm):
    to_node = ChoiceField(_l("Siirrä avoimet raportit käsiteltäväksi"), validators=[InputRequired(_l("Valitse yksikkö."))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_node.choices = _node_choices(CHOOSE)


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Nimi tai sähköposti"), filters=[strip], validators=[Optional(), Length(max=200)])
    role = ChoiceField(_l("Rooli"), choices=options([ALL, *Role.choices()]), validators=[Optional()])
    inactive = BooleanField(_l("Näytä myös käytöstä poistetut"))
    page = PageField(validators=[Optional()])


class UserForm(FlaskForm):
    name = StringField(_l("Nimi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    email = EmailField(_l("Sähköposti"), filters=[strip], validators=[
        InputRequired(_l("Anna sähköpostiosoite.")), Length(max=254),
        Email(_l("Tarkista sähköpostiosoite."), check_deliverability=False)])
    password = PasswordField(_l("Uusi salasana"), validators=[
        Optional(), Length(min=12, max=200, message=_l("Salasanassa pitää olla vähintään 12 merkkiä."))])


class RoleForm(FlaskForm):
    role = ChoiceField(_l("Rooli"), choices=options([CHOOSE, *Role.choices()]), validators=[InputRequired(_l("Valitse rooli."))])
    org_node = ChoiceField(_l("Organisaation yksikkö"), validators=[Optional()])
    municipality = ChoiceField(_l("Kunta"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org_node.choices = _node_choices(NONE)
        self.municipality.choices = options([WHOLE_COUNTY, *[(m.code, m.label) for m in catalog.municipalities()]])


class HandOverForm(FlaskForm):
    successor = ChoiceField(_l("Kenelle"), validators=[InputRequired(_l("Valitse, kenelle tehtävät siirretään."))])
    deactivate = BooleanField(_l("Poista samalla lähtijän tunnus käytöstä"), default=True)


class ForumForm(FlaskForm):
    code = StringField(_l("Koodi"), filters=[strip], validators=[InputRequired(_l("Anna koodi.")), Length(max=64), CODE])
    name = StringField(_l("Nimi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    level = ChoiceField(_l("Taso"), choices=options([CHOOSE, *EscalationLevel.choices()]),
                        validators=[InputRequired(_l("Valitse taso."))])
    municipality = ChoiceField(_l("Kunta"), validators=[Optional()])
    active = BooleanField(_l("Käytössä"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = options([WHOLE_COUNTY, *[(m.code, m.label) for m in catalog.municipalities()]])


class ThemeForm(FlaskForm):
    code = StringField(_l("Koodi"), filters=[strip], validators=[InputRequired(_l("Anna koodi.")), Length(max=64), CODE])
    label_fi = StringField(_l("Nimi suomeksi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    label_en = StringField(_l("Nimi englanniksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    label_sv = StringField(_l("Nimi ruotsiksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    position = IntegerField(_l("Järjestys"), validators=[Optional(), NumberRange(min=0, max=999)])
    active = BooleanField(_l("Käytössä"), default=True)


class NationalPhenomenonForm(FlaskForm):
    """A phenomenon of THL's classification: the code only when it is added, since codes never change."""

    code = StringField(_l("Koodi"), filters=[strip], validators=[
        Optional(), Length(max=64), Regexp(r"^[a-z][a-z0-9_]*$", message=_l(
            "Koodissa saa olla vain pieniä kirjaimia a–z, numeroita ja alaviivoja, ja sen on alettava kirjaimella."))])
    label_fi = StringField(_l("Nimi suomeksi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    label_en = StringField(_l("Nimi englanniksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    label_sv = StringField(_l("Nimi ruotsiksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    explanation_fi = StringField(_l("Selitys suomeksi"), filters=[strip],
                                 validators=[InputRequired(_l("Kirjoita yhden rivin selitys lomakkeelle.")),
                                             Length(max=300)])
    explanation_en = StringField(_l("Selitys englanniksi"), filters=[strip], validators=[Optional(), Length(max=300)])
    explanation_sv = StringField(_l("Selitys ruotsiksi"), filters=[strip], validators=[Optional(), Length(max=300)])


class PercentList(StringField):
    """Comma-separated whole percentages, e.g. "60, 80", read as a sorted list of distinct numbers."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        self.parsed: list[int] | None = None
        parts = [part.strip().rstrip("%").strip() for part in (self.data or "").replace(";", ",").split(",")]
        try:
            numbers = sorted({int(part) for part in parts if part})
        except ValueError:
            return
        if numbers and len(numbers) <= 5 and all(1 <= n <= 99 for n in numbers):
            self.parsed = numbers

    def pre_validate(self, form: FlaskForm) -> None:
        if getattr(self, "parsed", None) is None:
            raise ValidationError(_l("Kirjoita 1–5 prosenttilukua väliltä 1–99 pilkuilla erotettuina, esim. 60, 80."))


CHANNEL_URL = [Optional(), Length(max=500), URL(require_tld=False, message=_l("Kirjoita verkko-osoite, joka alkaa http:// tai https://.")),
               Regexp(r"^https?://", message=_l("Kirjoita verkko-osoite, joka alkaa http:// tai https://."))]


class SettingsForm(FlaskForm):
    first_handling_days = IntegerField(_l("Käsittely alkaa viimeistään (päivää saapumisesta)"),
                                       validators=[InputRequired(_l("Kirjoita päivien määrä.")),
                                                   NumberRange(1, 60, _l("Anna luku väliltä 1–60."))])
    feedback_days = IntegerField(_l("Palaute raportoijalle viimeistään (päivää saapumisesta)"),
                                 validators=[InputRequired(_l("Kirjoita päivien määrä.")),
                                             NumberRange(7, 365, _l("Anna luku väliltä 7–365."))])
    stalled_days = IntegerField(_l("Raportti on pysähtynyt, kun mitään ei ole tehty (päivää)"),
                                validators=[InputRequired(_l("Kirjoita päivien määrä.")),
                                            NumberRange(7, 365, _l("Anna luku väliltä 7–365."))])
    question_wait_days = IntegerField(_l("Vastausta kysymykseen odotetaan enintään (päivää)"),
                                      validators=[InputRequired(_l("Kirjoita päivien määrä.")),
                                                  NumberRange(1, 90, _l("Anna luku väliltä 1–90."))])
    reminder_percents = PercentList(_l("Muistutukset käsittelijälle (prosenttia määräajasta)"))
    digest_rhythm = ChoiceField(_l("Yhteenveto käsittelijöille sähköpostiin"), choices=options([
        ("monthly", _l("Kerran kuukaudessa")), ("weekly", _l("Kerran viikossa")), ("daily", _l("Päivittäin")),
        ("off", _l("Ei yhteenvetoa"))]), validators=[InputRequired()])
    shortcoming_notification = StringField(_l("Ilmoitus epäkohdasta (sosiaalihuoltolaki 48 §)"), filters=[strip],
                                           validators=CHANNEL_URL)
    patient_safety = StringField(_l("Potilas- ja asiakasturvallisuusilmoitus"), filters=[strip], validators=CHANNEL_URL)
    occupational_safety = StringField(_l("Työturvallisuusilmoitus"), filters=[strip], validators=CHANNEL_URL)
    data_protection = StringField(_l("Tietosuoja- ja tietoturvailmoitus"), filters=[strip], validators=CHANNEL_URL)
    indoor_air = StringField(_l("Sisäilma- ja toimintaympäristöilmoitus"), filters=[strip], validators=CHANNEL_URL)
    disclosure_threshold = IntegerField(
        _l("Julkaistavissa luvuissa pienin näytettävä määrä"),
        description=_l("Tätä pienemmät kunnan, yksikön, foorumin tai kumppanin luvut näytetään julkaisuissa "
                       "muodossa ”<luku” (esimerkiksi ”<5”), ja niiden vierestä peitetään niin monta muuta lukua, "
                       "ettei pientä lukua voi laskea summista."),
        validators=[InputRequired(_l("Kirjoita luku.")), NumberRange(3, 20, _l("Anna luku väliltä 3–20."))])
    guidance_note_fi = TextAreaField(_l("Hyvinvointialueen ohje (suomeksi)"), filters=[strip],
                                     validators=[Optional(), Length(max=3000)])
    guidance_note_en = TextAreaField(_l("Hyvinvointialueen ohje (englanniksi)"), filters=[strip],
                                     validators=[Optional(), Length(max=3000)])

    CHANNELS = ("shortcoming_notification", "patient_safety", "occupational_safety", "data_protection", "indoor_air")

    @classmethod
    def from_settings(cls, values: dict[str, Any]) -> SettingsForm:
        channels = values["OTHER_CHANNELS"] or {}
        return cls(data={
            "first_handling_days": values["FIRST_HANDLING_DAYS"], "feedback_days": values["FEEDBACK_DAYS"],
            "stalled_days": values["STALLED_DAYS"], "question_wait_days": values["QUESTION_WAIT_DAYS"],
            "reminder_percents": ", ".join(str(p) for p in values["REMINDER_PERCENTS"]),
            "digest_rhythm": values["DIGEST_RHYTHM"],
            **{name: channels.get(name, "") for name in cls.CHANNELS},
            "guidance_note_fi": values["GUIDANCE_NOTE_FI"] or "", "guidance_note_en": values["GUIDANCE_NOTE_EN"] or "",
            "disclosure_threshold": values["DISCLOSURE_THRESHOLD"],
        })

    def to_settings(self) -> dict[str, Any]:
        return {
            "FIRST_HANDLING_DAYS": self.first_handling_days.data, "FEEDBACK_DAYS": self.feedback_days.data,
            "STALLED_DAYS": self.stalled_days.data, "QUESTION_WAIT_DAYS": self.question_wait_days.data,
            "REMINDER_PERCENTS": self.reminder_percents.parsed, "DIGEST_RHYTHM": self.digest_rhythm.data,
            "OTHER_CHANNELS": {name: self[name].data for name in self.CHANNELS if self[name].data},
            "GUIDANCE_NOTE_FI": self.guidance_note_fi.data or "", "GUIDANCE_NOTE_EN": self.guidance_note_en.data or "",
            "DISCLOSURE_THRESHOLD": self.disclosure_threshold.data,
        }

    def validate_feedback_days(self, field: Field) -> None:
        if field.data and self.first_handling_days.data and field.data <= self.first_handling_days.data:
            raise ValidationError(_l("Palautteen määräajan pitää olla pidempi kuin käsittelyn alkamisen."))
