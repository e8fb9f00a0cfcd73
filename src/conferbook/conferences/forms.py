from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferbook.conferences.models import AUTOSAVED_FIELDS


class NextMeetingForm(forms.Form):
    """When to meet next, as a datetime-local input sends it, or "not now"."""

    next_at = forms.DateTimeField(
        required=False,
        label="Next conference",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    not_now = forms.BooleanField(required=False, label="Not now")


class FinishForm(NextMeetingForm):
    """The final values of the conference screen, and the booking of the next conference."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in AUTOSAVED_FIELDS:
            self.fields[name] = forms.CharField(required=False, strip=False)

    def clean_next_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("next_at")
        if value is not None and value < timezone.now() - timedelta(minutes=1):
            raise ValidationError("The next conference must be in the future.")
        return value


class BookForm(forms.Form):
    at = forms.DateTimeField(
        label="Date and time",
        error_messages={
            "required": "Please give a date and time for the conference.",
            "invalid": "Please give a date and time for the conference.",
        },
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    # Which class the booking is for: read (and checked) by the view, which falls back to
    # the student's first class the teacher teaches.
    classroom = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_at(self) -> datetime:
        value: datetime = self.cleaned_data["at"]
        if value < timezone.now() - timedelta(minutes=1):
            raise ValidationError("Please choose a time that has not passed yet.")
        return value
