from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from conferbook.calendar.models import SchoolDay, Unavailability
from conferbook.web.forms import validate_within_years


class SchoolDayForm(forms.ModelForm):
    class Meta:
        model = SchoolDay
        fields = ["day", "closed", "ends_at", "note"]
        labels = {
            "day": "Date",
            "closed": "No writing block that day (holiday, break, trip)",
            "ends_at": "Or: the block ends early at",
            "note": "Note",
        }
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].validators.append(validate_within_years)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("closed") and not data.get("ends_at"):
            raise ValidationError("Tick “No writing block” or give the time the block ends.")
        if data.get("closed") and data.get("ends_at"):
            raise ValidationError(
                "Choose one: no writing block at all, or a block that ends early."
            )
        return data


class CalendarImportForm(forms.Form):
    file = forms.FileField(
        label="School calendar (.ics)",
        help_text="Days off in the file (all-day events) become closed days.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise ValidationError("That file is larger than 1 MB; a school calendar is smaller.")
        return upload


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["weekday", "start", "end", "note"]
        labels = {"weekday": "Every", "start": "From", "end": "Until", "note": "Why (optional)"}
        widgets = {
            "start": forms.TimeInput(attrs={"type": "time"}),
            "end": forms.TimeInput(attrs={"type": "time"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The end must come after the start.")
        return data


class GroupBookingForm(forms.Form):
    at = forms.DateTimeField(
        required=False,
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="Leave empty for the next free small-group slot.",
        validators=[validate_within_years],
    )
