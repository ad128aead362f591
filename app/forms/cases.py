"""Forms of the handler's side: inbox filters and the case actions."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SearchField, TextAreaField
from wtforms.validators import Length, Optional

from app.codes import EscalationLevel, Nature, Phenomenon, ReportStatus
from app.forms.fields import CHOOSE, CheckboxListField, ChoiceField, DayField, PageField, options, strip
from app.forms.validators import NoIdentityCode
from app.models import Report
from app.workflow.cases.transitions import Action
from app.workflow.phenomena import coding
from app.workflow.reports import catalog

ALL = ("", _l("Kaikki"))


class InboxFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    status = ChoiceField(_l("Tila"), choices=options([ALL, *ReportStatus.choices()]), validators=[Optional()])
    phenomenon = ChoiceField(_l("Ilmiö"), choices=options([ALL, *Phenomenon.choices()]), validators=[Optional()])
    nature = ChoiceField(_l("Luonne"), choices=options([ALL, *Nature.choices()]), validators=[Optional()])
    theme = ChoiceField(_l("Teema"), validators=[Optional()])
    municipality = ChoiceField(_l("Kunta"), validators=[Optional()])
    unit = ChoiceField(_l("Työyksikkö"), validators=[Optional()])
    level = ChoiceField(_l("Käsittelytaso"), choices=options([ALL, *EscalationLevel.choices()]), validators=[Optional()])
    unread = BooleanField(_l("Vain lukemattomat vastaukset"))
    overdue = BooleanField(_l("Vain myöhässä olevat"))
    due_soon = BooleanField(_l("Määräaika seuraavan 7 päivän aikana"))
    stalled = BooleanField(_l("Vain pysähtyneet"))
    q = SearchField(_l("Hae numerolla tai sanoilla"), filters=[strip], validators=[Optional(), Length(max=200)])
    received_from = DayField(_l("Saapunut alkaen"), validators=[Optional()])
    received_to = DayField(_l("Saapunut viimeistään"), validators=[Optional()])
    sort = ChoiceField(_l("Järjestys"), choices=options([
        ("", _l("Uusimmat ensin")), ("oldest", _l("Vanhimmat ensin")), ("deadline", _l("Lähin määräaika ensin")),
        ("-deadline", _l("Kaukaisin määräaika ensin")), ("number", _l("Numero, pienin ensin")),
        ("-number", _l("Numero, suurin ensin")), ("unit", _l("Työyksikkö A–Ö")), ("-unit", _l("Työyksikkö Ö–A")),
        ("phenomenon", _l("Ilmiö")), ("-phenomenon", _l("Ilmiö, käänteinen")), ("status", _l("Tila")),
        ("-status", _l("Tila, käänteinen")), ("level", _l("Käsittelytaso, työyksiköstä ylöspäin")),
        ("-level", _l("Käsittelytaso, ylimmästä alaspäin")), ("received", _l("Saapunut, vanhin ensin")),
        ("-received", _l("Saapunut, uusin ensin"))]), validators=[Optional()])
    page = PageField(validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme.choices = options([ALL, *[(t.code, t.label) for t in catalog.active_themes()]])
        self.municipality.choices = options([ALL, *[(m.code, m.label) for m in catalog.municipalities(include_retired=True)]])
        self.unit.choices = options([ALL, *[(u.code, u.name) for u in catalog.active_units()]])


class CaseActionForm(FlaskForm):
    note = TextAreaField(_l("Merkintä"), filters=[strip], validators=[Optional(), Length(max=5000), NoIdentityCode()])
    is_public = BooleanField(_l("Näytä merkintä raportoijalle"))
    forum = ChoiceField(_l("Foorumi"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        forums = catalog.active_forums()
        self.forum.choices = options([CHOOSE, *[(f.code, f.name) for f in forums]])
        self.forum_groups = [(level.label, [f for f in forums if f.level == level]) for level in EscalationLevel
                             if any(f.level == level for f in forums)]
        """The forums under their levels, for the select's groups: 28 in one list is too many to read."""


class NationalCodingForm(FlaskForm):
    """The handler's coding of a report's national phenomena: the boxes ticked are confirmed, the others dropped."""

    national_phenomena = CheckboxListField(_l("Valtakunnalliset ilmiöt"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, report: Report, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offered = coding.handler_choices(report)
        self.national_phenomena.choices = options([(p.code, p.label) for p in self.offered])
        if kwargs.get("formdata", True) is None or not self.is_submitted():  # shown, not sent: the report's coding
            self.national_phenomena.data = [c.phenomenon.code for c in coding.codings(report)]
            self.version.data = str(report.version)

    def chosen(self) -> list[Any]:
        """The phenomena ticked; call only after validate()."""
        ticked = set(self.national_phenomena.data or [])
        return [p for p in self.offered if p.code in ticked]


# What the text box of each action holds, as the case page labels it (a question is not a "merkintä").
NOTE_LABELS = {
    Action.START_HANDLING: _l("Viesti raportoijalle"),
    Action.ADD_NOTE: _l("Etenemismerkintä"),
    Action.ASK_REPORTER: _l("Kysymys raportoijalle"),
    Action.TAKE_FORWARD: _l("Perustelu tai saate"),
    Action.RESOLVE: _l("Mitä raportin pohjalta tehtiin"),
    Action.CLOSE: _l("Syy sulkemiseen"),
    Action.REOPEN: _l("Syy uudelleen avaamiseen"),
    Action.GO_ON_WITHOUT_ANSWER: _l("Viesti raportoijalle"),
}


class PeriodForm(FlaskForm):
    """The dashboard's period: the days reports arrived, both included."""

    class Meta:
        csrf = False  # a GET form changes nothing

    start = DayField(_l("Saapunut alkaen"), validators=[Optional()])
    end = DayField(_l("Saapunut viimeistään"), validators=[Optional()])


class NotificationPageForm(FlaskForm):
    """The notification list's page number, read like every other list's (a hostile one is a 400)."""

    class Meta:
        csrf = False  # a GET form changes nothing

    page = PageField(validators=[Optional()])


class BulkForm(FlaskForm):
    """A bulk action's button: nothing but its CSRF token (the chosen rows come as `number` values)."""
