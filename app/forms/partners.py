"""The partners' report form (organisations outside the county's staff) and its settings."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired, Optional

from app.codes import Channel, PartnerType
from app.forms.fields import ChoiceField, RadioChoiceField, options
from app.forms.reports import ReportForm
from app.models import OrgNode
from app.workflow.reports import catalog
from app.workflow.reports.filing import ReportInput


class PartnerReportForm(ReportForm):
    """The staff form without the work unit and the profession: the partner names its kind of organisation."""

    unit = None
    profession_group = None
    partner_type = RadioChoiceField(_l("Mistä raportoit?"),
                                    validators=[InputRequired(_l("Valitse, millaisesta organisaatiosta raportoit."))])

    def __init__(self, *args: object, residents: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        kinds = [kind for kind in PartnerType if residents or kind != PartnerType.RESIDENT]
        self.partner_type.choices = options([(kind.value, kind.label) for kind in kinds])

    def to_partner_input(self, node: OrgNode) -> ReportInput:
        """The validated form as the filing operation's input, filed at the partners' node."""
        return ReportInput(unit=node, channel=Channel.PARTNER, partner_type=PartnerType(self.partner_type.data),
                           **self.described())


class PartnerSettingsForm(FlaskForm):
    enabled = BooleanField(_l("Kumppanien lomake on käytössä"))
    handling_node = ChoiceField(_l("Kumppanien raportit käsittelee"), validators=[Optional()])
    residents = BooleanField(_l("Myös asukkaat voivat raportoida"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.handling_node.choices = options([("", _l("Valitse")), *[
            (node.code, f"{node.name} ({node.kind.label})") for node in catalog.all_nodes() if node.active]])

    def validate(self, extra_validators: object = None) -> bool:  # type: ignore[override]
        if not super().validate(extra_validators):  # type: ignore[arg-type]
            return False
        if self.enabled.data and not self.handling_node.data:
            self.handling_node.errors.append(str(_l("Valitse, kuka käsittelee kumppanien raportit.")))
            return False
        return True
