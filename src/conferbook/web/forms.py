"""Form fields every app's forms share."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

from conferbook.lib.parse import is_id
from conferbook.lib.years import OUTSIDE_YEARS, within_years

if TYPE_CHECKING:
    _RowsField = forms.ModelMultipleChoiceField[Any]
else:
    _RowsField = forms.ModelMultipleChoiceField


class ModelMultipleChoiceField(_RowsField):
    """Django's field for ticking several rows, refusing a value no row's id can be before
    it reaches a query: SQLite fails outright when asked to compare a number beyond 64 bits
    with a column, where a missing row is only an invalid choice."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if not is_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


def validate_within_years(value: date) -> None:
    """A date (or date and time) field's rule: the day lies in the years Conferbook takes."""
    if not within_years(value):
        raise ValidationError(OUTSIDE_YEARS, code="outside_years")
