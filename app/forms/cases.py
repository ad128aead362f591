"""Forms of the handler's side: inbox filters and the case actions."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SearchField, TextAreaField
from wtforms.validators import Length, Optional

from app.codes import EscalationLevel, Nature, Phenomenon, ReportStatus
from app.forms.fields import CHOOSE, ChoiceField, options, strip
from app.forms.validators import NoIdentityCode
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
    received_from = DateField(_l("Saapunut alkaen"), validators=[Optional()])
    received_to = DateField(_l("Saapunut viimeistään"), validators=[Optional()])
    sort = ChoiceField(_l("Järjestys"), choices=options([
        ("", _l("Uusimmat ensin")), ("oldest", _l("Vanhimmat ensin")), ("deadline", _l("Lähin määräaika ensin")),
        ("-deadline", _l("Kaukaisin määräaika ensin")), ("number", _l("Numero, pienin ensin")),
        ("-number", _l("Numero, suurin ensin")), ("unit", _l("Työyksikkö A–Ö")), ("-unit", _l("Työyksikkö Ö–A")),
        ("phenomenon", _l("Ilmiö")), ("-phenomenon", _l("Ilmiö, käänteinen")), ("status", _l("Tila")),
        ("-status", _l("Tila, käänteinen")), ("level", _l("Käsittelytaso, työyksiköstä ylöspäin")),
        ("-level", _l("Käsittelytaso, ylimmästä alaspäin")), ("received", _l("Saapunut, vanhin ensin")),
        ("-received", _l("Saapunut, uusin ensin"))]), validators=[Optional()])
    page = IntegerField(validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme.choices = options([ALL, *[(t.code, t.label) for t in catalog.active_themes()]])
        self.municipality.choices = options([ALL, *[(m.code, m.name) for m in catalog.municipalities()]])
        self.unit.choices = options([ALL, *[(u.code, u.name) for u in catalog.active_units()]])


class CaseActionForm(FlaskForm):
    note = TextAreaField(_l("Merkintä"), filters=[strip], validators=[Optional(), Length(max=5000), NoIdentityCode()])
    is_public = BooleanField(_l("Näytä merkintä raportoijalle"))
    forum = ChoiceField(_l("Foorumi"), validators=[Optional()])
    version = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.forum.choices = options([CHOOSE,
                                      *[(f.code, f"{f.name} ({f.level.label})") for f in catalog.active_forums()]])


class PeriodForm(FlaskForm):
    """The dashboard's period: the days reports arrived, both included."""

    class Meta:
        csrf = False  # a GET form changes nothing

    start = DateField(_l("Saapunut alkaen"), validators=[Optional()])
    end = DateField(_l("Saapunut viimeistään"), validators=[Optional()])


class BulkForm(FlaskForm):
    """A bulk action's button: nothing but its CSRF token (the chosen rows come as `number` values)."""
