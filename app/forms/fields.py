"""Field types and helpers shared by the forms."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, SelectField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice, SelectFieldBase
from wtforms.widgets import CheckboxInput, ListWidget


def options(pairs: Sequence[tuple[str, object]], optgroup: str | None = None) -> list[SelectChoice]:
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]


YES_NO = [("yes", _l("Kyllä")), ("no", _l("Ei"))]
CHOOSE = ("", _l("— valitse —"))


INVALID_CHOICE = _l("Tuntematon valinta. Valitse jokin annetuista vaihtoehdoista.")


class ClearChoiceMessage(SelectFieldBase):
    """Replaces WTForms' partly untranslated 'not a valid choice' with one clear message."""

    def pre_validate(self, form: Form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(str(INVALID_CHOICE)) from None


class ChoiceField(ClearChoiceMessage, SelectField):
    pass


class RadioChoiceField(ClearChoiceMessage, RadioField):
    pass


class CheckboxListField(ClearChoiceMessage, SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CatalogChoices(SelectFieldBase):
    """Options from the catalog (units, themes, municipalities), loaded only when the form is drawn.

    A sent form is checked by looking up just the sent codes, and `chosen` keeps what was found,
    so filing neither loads the whole catalog nor looks the choice up twice.
    `options_from()` gives the options; `lookup(data)` the active row(s) for the sent data, or None.
    """

    def __init__(self, *args: Any, options_from: Callable[[], list[Any]], lookup: Callable[[Any], Any],
                 **kwargs: Any) -> None:
        self._options_from, self._lookup = options_from, lookup
        self._choices: list[Any] | None = None
        self.chosen: Any = None
        super().__init__(*args, **kwargs)

    @property
    def choices(self) -> list[Any]:
        if self._choices is None:
            self._choices = self._options_from()
        return self._choices

    @choices.setter
    def choices(self, value: list[Any]) -> None:
        self._choices = value

    def pre_validate(self, form: Form) -> None:
        if not self.data:
            return  # nothing chosen: the field's own validators decide whether that will do
        self.chosen = self._lookup(self.data)
        if self.chosen is None:
            raise ValidationError(str(INVALID_CHOICE))


class CatalogChoiceField(CatalogChoices, ChoiceField):
    pass


class CatalogCheckboxListField(CatalogChoices, CheckboxListField):
    pass


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
