"""The social report form, used by the web page and, without CSRF, by the JSON API."""
from __future__ import annotations

import secrets
from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.codes import Nature, Phenomenon, PopulationGroup, ProfessionGroup, Significance
from app.forms.fields import (
    CHOOSE,
    YES_NO,
    CatalogCheckboxListField,
    CatalogChoiceField,
    ChoiceField,
    ExplainedCheckboxListField,
    RadioChoiceField,
    options,
    strip,
)
from app.forms.validators import MaxLengthFromConfig, NoIdentityCode
from app.models import User
from app.workflow.phenomena import coding
from app.workflow.reports import catalog
from app.workflow.reports.filing import ReportInput


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class ReportForm(FlaskForm):
    submission_key = HiddenField(default=new_submission_key, validators=[Optional(), Length(max=64)])
    unit = CatalogChoiceField(
        _l("Työyksikkö"),
        validators=[InputRequired(_l("Valitse työyksikkösi. Sen perusteella raportti ohjataan käsittelyyn."))],
        options_from=lambda: options([CHOOSE]) + [
            SelectChoice(unit.code, unit.name, optgroup=unit.division.name if unit.division else None)
            for unit in catalog.active_units()
        ],
        lookup=catalog.active_unit,
    )
    profession_group = RadioChoiceField(_l("Ammattiryhmä"), choices=options(ProfessionGroup.choices()), validators=[Optional()])
    nature = RadioChoiceField(
        _l("Ilmiön luonne"), choices=options(Nature.choices()), validators=[InputRequired(_l("Valitse ilmiön luonne."))]
    )
    phenomenon = ChoiceField(
        _l("Raportoitava ilmiö"),
        choices=options([CHOOSE, *Phenomenon.choices()]),
        validators=[InputRequired(_l("Valitse raportoitava ilmiö."))],
    )
    themes = CatalogCheckboxListField(
        _l("Teemat"), validators=[Optional()],
        options_from=lambda: options([(theme.code, theme.label) for theme in catalog.active_themes()]),
        lookup=catalog.active_themes_by_codes,
    )
    national_phenomena = ExplainedCheckboxListField(
        _l("THL:n valtakunnalliset ilmiöt"), validators=[Optional()],
        options_from=lambda: options([(p.code, p.label) for p in coding.offered_phenomena()]),
        lookup=coding.offered_by_codes,
        explanations_from=lambda: {p.code: p.explanation for p in coding.offered_phenomena()},
    )
    population_group = ChoiceField(
        _l("Väestöryhmä"), choices=options([CHOOSE, *PopulationGroup.choices()]), validators=[Optional()]
    )
    municipalities = CatalogCheckboxListField(
        _l("Kunnat, joita ilmiö koskee"), validators=[Optional()],
        options_from=lambda: options([(m.code, m.label) for m in catalog.municipalities()]),
        lookup=catalog.municipalities_by_codes,
    )
    whole_county = BooleanField(_l("Koko hyvinvointialue"))
    significance = RadioChoiceField(_l("Merkittävyys"), choices=options(Significance.choices()), validators=[Optional()])
    description = TextAreaField(
        _l("Ilmiön kuvaus"),
        filters=[strip],
        validators=[
            DataRequired(_l("Kuvaa ilmiö omin sanoin.")),
            MaxLengthFromConfig("MAX_DESCRIPTION_LENGTH"),
            NoIdentityCode(),
        ],
    )
    proposed_actions = TextAreaField(
        _l("Mihin toimenpiteisiin mielestäsi pitäisi ryhtyä?"),
        filters=[strip],
        validators=[Optional(), MaxLengthFromConfig("MAX_PROPOSAL_LENGTH"), NoIdentityCode()],
    )
    available_to_help = RadioChoiceField(
        _l("Oletko käytettävissä ratkaisun etsimiseen?"), choices=options(YES_NO), validators=[Optional()]
    )
    made_by_team = RadioChoiceField(_l("Onko raportti tehty yhdessä tiimin kanssa?"), choices=options(YES_NO), validators=[Optional()])
    with_client = RadioChoiceField(_l("Onko raportti kirjoitettu yhdessä asiakkaan kanssa?"), choices=options(YES_NO), validators=[Optional()])
    reporter_name = StringField(_l("Nimesi"), filters=[strip], validators=[Optional(), Length(max=200), NoIdentityCode()])
    reporter_email = EmailField(
        _l("Sähköpostiosoitteesi"),
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            NoIdentityCode(),
            Email(_l("Tarkista sähköpostiosoite."), check_deliverability=False),
        ],
    )

    under_my_name = BooleanField(_l("Lähetä raportti omalla nimelläni"))
    """Only for a logged-in reporter, who never types a name: the account's name and e-mail are used."""

    POSITIVE_PROPOSAL_LABEL = _l("Miten ilmiötä voisi levittää tai laajentaa?")

    def to_input(self, author: User | None = None) -> ReportInput:
        """The validated form as the filing operation's input; call only after validate().

        With `author` (logged in), "under my name" gives the account's name and e-mail; typed ones are passed
        on as typed, for the filing to refuse unless they are the author's own.
        """
        assert self.unit.chosen is not None, "call only after validate()"
        described = self.described()
        if author is not None and self.under_my_name.data:
            described.update(reporter_name=author.name, reporter_email=author.email)
        return ReportInput(unit=self.unit.chosen, **described)

    def described(self) -> dict[str, Any]:
        """What the reporter told of the phenomenon and of themselves, as ReportInput's fields (all but the unit)."""
        return dict(
            nature=Nature(self.nature.data),
            phenomenon=Phenomenon(self.phenomenon.data),
            description=self.description.data.strip(),
            profession_group=(ProfessionGroup(self.profession_group.data)
                              if self.profession_group is not None and self.profession_group.data else None),
            themes=self.themes.chosen or [],
            national_phenomena=self.national_phenomena.chosen or [],
            population_group=PopulationGroup(self.population_group.data) if self.population_group.data else None,
            municipalities=self.municipalities.chosen or [],
            whole_county=bool(self.whole_county.data),
            significance=int(self.significance.data) if self.significance.data else None,
            proposed_actions=(self.proposed_actions.data or "").strip() or None,
            available_to_help=_yes_no(self.available_to_help.data),
            made_by_team=_yes_no(self.made_by_team.data),
            with_client=_yes_no(self.with_client.data),
            reporter_name=(self.reporter_name.data or "").strip() or None,
            reporter_email=(self.reporter_email.data or "").strip() or None,
            submission_key=self.submission_key.data or None,
            language=str(get_locale() or "fi"),  # filing stores it only for a named reporter
        )


class AnswerForm(FlaskForm):
    """The reporter's answer to the handler's question; number and code travel with it."""

    number = HiddenField()
    code = HiddenField()
    answer = TextAreaField(
        _l("Vastauksesi"),
        filters=[strip],
        validators=[DataRequired(_l("Kirjoita vastauksesi.")), MaxLengthFromConfig("MAX_PROPOSAL_LENGTH"), NoIdentityCode()],
    )


class TrackForm(FlaskForm):
    number = StringField(_l("Raportin numero"), validators=[InputRequired(_l("Kirjoita raportin numero.")), Length(max=40)])
    code = StringField(_l("Seurantakoodi"), validators=[InputRequired(_l("Kirjoita seurantakoodi.")), Length(max=60)])
