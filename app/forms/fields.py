"""Field types and helpers shared by the forms."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from datetime import date

from wtforms import DateField, Form, IntegerField, RadioField, SelectField, SelectMultipleField, ValidationError
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


class ExplainedCheckboxListField(CatalogCheckboxListField):
    """Catalog checkboxes each drawn with a one-line explanation: `explanations_from()` gives {code: text}."""

    def __init__(self, *args: Any, explanations_from: Callable[[], dict[str, str]], **kwargs: Any) -> None:
        self._explanations_from = explanations_from
        self._explanations: dict[str, str] | None = None
        super().__init__(*args, **kwargs)

    @property
    def explanations(self) -> dict[str, str]:
        if self._explanations is None:
            self._explanations = self._explanations_from()
        return self._explanations


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


# ---- values of a list's query string ---------------------------------------------------------
# Every page number and date in a query string is read by these two fields, so a hostile value
# (page=9223372036854775807, date_from=0001-01-01) is an error of the form (a 400 page), never an
# integer the database cannot hold or a date the day arithmetic overflows on.

MAX_PAGE = 100_000
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class PageField(IntegerField):
    """A list's page number, 1 to MAX_PAGE; `number` is the page to show (1 when the value is refused)."""

    def __init__(self, label: str | None = None, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not 1 <= self.data <= MAX_PAGE:
            raise ValidationError(str(_l("Sivunumeron pitää olla 1–%(max)d.", max=MAX_PAGE)))

    @property
    def number(self) -> int:
        return 1 if self.errors or not self.data else self.data


class DayField(DateField):
    """A day in a search form, between FIRST_DAY and LAST_DAY."""

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            raise ValidationError(str(_l("Anna päivä vuosien %(first)d ja %(last)d väliltä.",
                                         first=FIRST_DAY.year, last=LAST_DAY.year)))


def query_status(form: Form) -> int:
    """The status of a list page drawn from its query string: 400 when a value was refused."""
    return 400 if form.errors else 200
