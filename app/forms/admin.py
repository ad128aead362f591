"""Forms of the administrator's pages: audit-log search, organisation, people, forums and themes."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from app import catalog
from app.codes import AuditAction, NodeKind, Role
from app.forms.fields import CHOOSE, CheckboxListField, ChoiceField, options, strip
from app.workflow.statuses import EscalationLevel

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
    date_from = DateField(_l("Alkaen"), validators=[Optional()])
    date_to = DateField(_l("Päättyen"), validators=[Optional()])
    page = IntegerField(validators=[Optional()])


def _node_choices(blank: tuple[str, object]) -> list:  # type: ignore[type-arg]
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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.parent.choices = _node_choices(NONE)
        self.handling_node.choices = _node_choices(("", _l("Ylempi taso (oletus)")))
        self.municipality.choices = options([NONE, *[(m.code, m.name) for m in catalog.municipalities()]])


class OrgImportForm(FlaskForm):
    file = FileField(_l("CSV-tiedosto"), validators=[FileRequired(_l("Valitse tiedosto."))])


class OrgImportConfirmForm(FlaskForm):
    """The checked file travels back in the page, so nothing is kept on the server between the steps;
    it is checked again before anything changes."""

    content = HiddenField()


class MoveReportsForm(FlaskForm):
    to_node = ChoiceField(_l("Siirrä avoimet raportit käsiteltäväksi"), validators=[InputRequired(_l("Valitse yksikkö."))])

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.to_node.choices = _node_choices(CHOOSE)


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Nimi tai sähköposti"), filters=[strip], validators=[Optional(), Length(max=200)])
    role = ChoiceField(_l("Rooli"), choices=options([ALL, *Role.choices()]), validators=[Optional()])
    inactive = BooleanField(_l("Näytä myös käytöstä poistetut"))
    page = IntegerField(validators=[Optional()])


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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.org_node.choices = _node_choices(NONE)
        self.municipality.choices = options([WHOLE_COUNTY, *[(m.code, m.name) for m in catalog.municipalities()]])


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

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.municipality.choices = options([WHOLE_COUNTY, *[(m.code, m.name) for m in catalog.municipalities()]])


class ThemeForm(FlaskForm):
    code = StringField(_l("Koodi"), filters=[strip], validators=[InputRequired(_l("Anna koodi.")), Length(max=64), CODE])
    label_fi = StringField(_l("Nimi suomeksi"), filters=[strip], validators=[InputRequired(_l("Anna nimi.")), Length(max=200)])
    label_en = StringField(_l("Nimi englanniksi"), filters=[strip], validators=[Optional(), Length(max=200)])
    position = IntegerField(_l("Järjestys"), validators=[Optional(), NumberRange(min=0, max=999)])
    national_phenomena = CheckboxListField(_l("THL:n valtakunnalliset ilmiöt"), validators=[Optional()])
    active = BooleanField(_l("Käytössä"), default=True)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.national_phenomena.choices = options([(p.code, p.label) for p in catalog.national_phenomena()])
