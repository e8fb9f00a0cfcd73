from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from conferbook.accounts.models import User, validate_time_zone
from conferbook.lib import clock

# The regions of the world in the IANA database; the other names are old aliases.
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@cache
def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The machine's time zones by region ("America" → "America/Chicago"), then UTC."""
    names = zoneinfo.available_timezones()
    grouped = [
        (
            region,
            [
                (name, name.partition("/")[2].replace("_", " "))
                for name in sorted(n for n in names if n.startswith(region + "/"))
            ],
        )
        for region in REGIONS
    ]
    return [*grouped, ("Other", [("UTC", "UTC")])]


class SchoolForm(forms.Form):
    """The school's name, time zone and clock: asked at first run, changed in settings.

    A form sent without the time zone or the clock (a script, an older page) keeps what
    the school has; an empty choice is refused like any other."""

    school_name = forms.CharField(
        max_length=120, label="School", required=False, help_text="Printed on family reports."
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        help_text="Every appointment, card and calendar shows times in this zone.",
    )
    clock = forms.ChoiceField(label="Write times as", choices=list(clock.CONVENTIONS.items()))

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        if data is not None:
            data = data.copy()
            for name in ("time_zone", "clock"):
                if name not in data and initial.get(name):
                    data[name] = initial[name]
        super().__init__(data, *args, **kwargs)
        # The zone the school has is always on the list, even an alias such as Etc/UTC.
        current = initial.get("time_zone")
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        known = {name for _, group in time_zone_choices() for name, _ in group}
        if current and current not in known:
            field.choices = [*time_zone_choices(), ("This machine", [(current, current)])]

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"]
        validate_time_zone(name)
        return name


class FirstTeacherForm(SchoolForm):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name", required=False)
    username = forms.CharField(
        max_length=150,
        label="Username",
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocorrect": "off", "autocomplete": "username"}
        ),
        help_text="What you will type to sign in, e.g. ms.rivera",
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Password",
        help_text="At least 8 characters. A short sentence is easy to remember and hard to guess.",
        strip=False,
    )

    field_order = ["first_name", "last_name", "username", "password", "school_name", "time_zone"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("That username is taken. Please choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("username"):
            user = User(
                username=data["username"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(data["password"], user)
            except ValidationError as error:
                self.add_error("password", error)
        return data
