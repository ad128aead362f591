"""The administrator's reminder campaign form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms.fields import CheckboxListField, ChoiceField, options, strip
from app.workflow.reports import catalog

RHYTHMS = [("", _l("Kerran")), ("3", _l("Neljä kertaa vuodessa")), ("6", _l("Kaksi kertaa vuodessa")),
           ("12", _l("Kerran vuodessa"))]


class CampaignForm(FlaskForm):
    title = StringField(_l("Otsikko"), filters=[strip],
                        validators=[DataRequired(_l("Kirjoita otsikko.")), Length(max=200)])
    message = TextAreaField(_l("Viesti"), filters=[strip],
                            validators=[DataRequired(_l("Kirjoita lyhyt viesti.")), Length(max=3000)])
    nodes = CheckboxListField(_l("Yksiköt, joiden henkilöstölle viesti lähetetään"),
                              validators=[InputRequired(_l("Valitse vähintään yksi yksikkö."))])
    first_on = DateField(_l("Ensimmäinen lähetyspäivä"), validators=[InputRequired(_l("Anna päivä."))])
    every_months = ChoiceField(_l("Toistuu"), choices=options(RHYTHMS), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.nodes.choices = options([(node.code, f"{node.name} ({node.kind.label})")
                                      for node in catalog.all_nodes() if node.active])
