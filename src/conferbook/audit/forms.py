"""The audit log's filters: a plain GET form, every value checked before it reaches a query."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferbook.audit.models import Event
from conferbook.audit.selectors import Cursor, EventFilters
from conferbook.web.forms import validate_within_years

# Student and class ids are kept as 32-bit integers (Event.student_id, classroom_id).
LARGEST_ID = 2**31 - 1
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def cursor_text(cursor: Cursor) -> str:
    """The "Older" link's `older` value: microseconds since 1970 and the id, exact."""
    return f"{(cursor.at - EPOCH) // MICROSECOND}_{cursor.id}"


def parse_cursor(text: str) -> Cursor | None:
    """The cursor an "Older" link carries, or None when it is not one."""
    micros, _, pk = text.partition("_")
    try:
        at = EPOCH + int(micros) * MICROSECOND
        number = int(pk)
    except (ValueError, OverflowError):
        return None
    if not (1 <= number <= 2**63 - 1):
        return None
    return Cursor(at=at, id=number)


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label="What", required=False)
    person = forms.TypedChoiceField(label="Who", required=False, coerce=int, empty_value=None)
    student = forms.IntegerField(
        label="Student number",
        required=False,
        min_value=1,
        max_value=LARGEST_ID,
        help_text="The number in the address of the student's page (/students/123/).",
    )
    classroom = forms.TypedChoiceField(label="Class", required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        label="From",
        required=False,
        validators=[validate_within_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label="To",
        required=False,
        validators=[validate_within_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        classrooms: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Everything"), *Event.Kind.choices]  # type: ignore[attr-defined]
        self.fields["person"].choices = [("", "Anyone"), *people]  # type: ignore[attr-defined]
        self.fields["classroom"].choices = [("", "Any class"), *classrooms]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError("The “From” day is after the “To” day.")
        return data

    def filters(self) -> EventFilters:
        """The filters asked for (the form must be valid); days are the school's days."""
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        since, until = data.get("since"), data.get("until")
        return EventFilters(
            kind=data.get("kind") or None,
            actor_id=data.get("person"),
            student_id=data.get("student"),
            classroom_id=data.get("classroom"),
            since=datetime.combine(since, time.min, zone) if since else None,
            until=datetime.combine(until + timedelta(days=1), time.min, zone) if until else None,
        )
