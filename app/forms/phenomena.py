"""Forms of phenomenon groups (ilmiöt), their proposals and the follow-ups of proposals."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.codes import FollowUpStatus
from app.forms.fields import CHOOSE, CheckboxListField, ChoiceField, DayField, options, strip
from app.forms.validators import NoIdentityCode
from app.workflow.phenomena import coding
from app.workflow.reports import catalog

TEXT = [Optional(), Length(max=20000), NoIdentityCode()]


class ReportRefsField(SelectMultipleField):
    """The reports a form carries (ids); which of them the user may see is the operation's to decide."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)


class GroupForm(FlaskForm):
    name = StringField(_l("Ilmiön nimi"), filters=[strip],
                       validators=[DataRequired(_l("Anna ilmiölle nimi.")), Length(max=200), NoIdentityCode()])
    description = TextAreaField(_l("Kuvaus"), filters=[strip], validators=TEXT)
    observations = TextAreaField(_l("Havainnot"), filters=[strip], validators=TEXT)
    national_phenomena = CheckboxListField(_l("THL:n valtakunnalliset ilmiöt"), validators=[Optional()])
    reports = ReportRefsField(_l("Raportit"))
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.national_phenomena.choices = [(p.code, p.label) for p in coding.offered_phenomena()]

    @property
    def expected_version(self) -> int | None:
        return int(self.version.data) if (self.version.data or "").isdigit() else None


class AttachForm(FlaskForm):
    report = StringField(_l("Raportin numero"), filters=[strip],
                         validators=[DataRequired(_l("Anna raportin numero.")), Length(max=32)])


class ChooseGroupForm(FlaskForm):
    """The case page's "Lisää ilmiöön": which group the report goes to."""

    group = ChoiceField(_l("Ilmiö"), validators=[DataRequired(_l("Valitse ilmiö."))])


class ProposalForm(FlaskForm):
    text = TextAreaField(_l("Ehdotus"), filters=[strip],
                         validators=[DataRequired(_l("Kirjoita ehdotus.")), Length(max=5000), NoIdentityCode()])


class FollowUpForm(FlaskForm):
    forum = ChoiceField(_l("Foorumi"), validators=[Optional()])
    decision_body = StringField(_l("Tai muu toimielin"), filters=[strip],
                                validators=[Optional(), Length(max=200), NoIdentityCode()])
    dated_on = DayField(_l("Päivämäärä"), validators=[InputRequired(_l("Anna päivämäärä."))])
    response = TextAreaField(_l("Vastaus tai päätös"), filters=[strip],
                             validators=[Optional(), Length(max=10000), NoIdentityCode()])
    status = ChoiceField(_l("Tilanne"), choices=options(FollowUpStatus.choices()),
                         default=FollowUpStatus.OPEN.value, validators=[DataRequired()])
    public = BooleanField(_l("Näytetään raportoijille ja julkisella tulossivulla"), default=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forum.choices = options([CHOOSE, *[(f.code, f.name) for f in catalog.active_forums()]])
