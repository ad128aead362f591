"""Field types and helpers shared by the forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs: list[tuple[str, object]], optgroup: str | None = None) -> list[SelectChoice]:
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


YES_NO = [("yes", _l("Kyllä")), ("no", _l("Ei"))]
CHOOSE = ("", _l("— valitse —"))


INVALID_CHOICE = _l("Tuntematon valinta. Valitse jokin annetuista vaihtoehdoista.")


class ClearChoiceMessage:
    """Replaces WTForms' partly untranslated 'not a valid choice' with one clear message."""

    def pre_validate(self, form):  # type: ignore[no-untyped-def]
        try:
            super().pre_validate(form)  # type: ignore[misc]
        except ValidationError:
            raise ValidationError(str(INVALID_CHOICE)) from None


class ChoiceField(ClearChoiceMessage, SelectField):
    pass


class RadioChoiceField(ClearChoiceMessage, RadioField):
    pass


class CheckboxListField(ClearChoiceMessage, SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
