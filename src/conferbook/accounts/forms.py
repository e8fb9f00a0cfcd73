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


class SchoolSettingsForm(SchoolForm):
    """The School page: the school's name, time zone and clock, and how long the records
    of an archived class's students are kept."""

    retention_days = forms.IntegerField(
        label="Keep archived students' records for (days)",
        required=False,  # a form sent without it (an older page) keeps what the school has
        min_value=1,
        max_value=36500,
        help_text="After a class is archived, its students' records are deleted this many "
        "days later. 365 keeps them for a school year.",
    )


def _username_field() -> forms.CharField:
    return forms.CharField(
        max_length=150,
        label="Username",
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocorrect": "off", "autocomplete": "off"}
        ),
        help_text="What the person will type to sign in, e.g. j.lee",
    )


def _email_field(label: str) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        required=False,
        help_text="Optional. The link is shown to you either way.",
    )


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.username})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.username})"


def _active_people() -> Any:
    return User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")


class PersonForm(forms.Form):
    """Add a person: their name, username and role. A coach may be given their teachers."""

    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name", required=False)
    username = _username_field()
    role = forms.ChoiceField(
        label="Role",
        choices=[
            ("teacher", "Teacher"),
            ("coach", "Literacy coach"),
            ("administrator", "Administrator"),
        ],
        initial="teacher",
        widget=forms.RadioSelect,
    )
    teachers = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Teachers this coach works with",
        help_text="For a literacy coach: they will see these teachers' classes, and change "
        "nothing in them.",
        widget=forms.CheckboxSelectMultiple,
    )
    email = _email_field("E-mail the sign-in link to")

    def __init__(self, *args: Any, email: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teachers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _active_people()
        if not email:
            del self.fields["email"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("That username is taken. Please choose another.")
        User._meta.get_field("username").run_validators(username)
        return username


class LinkForm(forms.Form):
    """A new sign-in link for a person, perhaps e-mailed."""

    email = _email_field("E-mail the new link to")

    def __init__(self, *args: Any, email: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not email:
            del self.fields["email"]


class DeactivateForm(forms.Form):
    """Deactivate an account; who takes the classes the person teaches alone."""

    classes_to = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Who takes over the classes this person teaches alone?",
        empty_label="Choose a teacher",
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["classes_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _active_people().exclude(pk=person.pk)


class CoachingForm(forms.Form):
    """The teachers a coach works with (added to those they already have)."""

    teachers = PeopleChoiceField(
        queryset=User.objects.none(),
        label="Coach these teachers",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, coach: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teachers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = _active_people().exclude(pk=coach.pk).exclude(coached_by__coach=coach)


class UncoachForm(forms.Form):
    """Stop a coach working with one of their teachers."""

    teacher = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args: Any, coach: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teacher"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(coached_by__coach=coach)


class AdministratorForm(forms.Form):
    administrator = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class NewPasswordForm(forms.Form):
    """Set a password with a one-time sign-in link."""

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Choose a password",
        help_text="At least 8 characters. A short sentence is easy to remember and hard to guess.",
        strip=False,
        max_length=4096,
    )


class OwnNameForm(forms.Form):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name", required=False)
    email = forms.EmailField(
        label="E-mail", required=False, help_text="Optional. Where a sign-in link may be sent."
    )


class OwnPasswordForm(forms.Form):
    current_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Current password",
        strip=False,
        max_length=4096,
    )
    new_password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="New password",
        help_text="At least 8 characters. A short sentence is easy to remember and hard to guess.",
        strip=False,
        max_length=4096,
    )
