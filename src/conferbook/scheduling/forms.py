from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from conferbook.calendar.models import SchoolDay, Term, Unavailability
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


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        labels = {"name": "Name", "starts_on": "First day", "ends_on": "Last day"}
        help_texts = {"name": "e.g. Autumn term, Semester 1, Trimester 2"}
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "name": {"required": "Name the term, e.g. Autumn term."},
            "starts_on": {"required": "Give the term's first day."},
            "ends_on": {"required": "Give the term's last day."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].validators.append(validate_within_years)
        self.fields["ends_on"].validators.append(validate_within_years)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("starts_on"), data.get("ends_on")
        if first and last:
            if last < first:
                raise ValidationError("The last day comes before the first day.")
            overlapping = Term.objects.filter(starts_on__lte=last, ends_on__gte=first).first()
            if overlapping is not None:
                raise ValidationError(
                    f"These days overlap “{overlapping.name}” "
                    f"({overlapping.starts_on:%-d %b %Y} to {overlapping.ends_on:%-d %b %Y})."
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
