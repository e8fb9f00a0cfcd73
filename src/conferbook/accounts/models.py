"""Accounts.

teacher       a person who signs in and owns classes (`User`); students never sign in.
demo teacher  the account `conferbook demo` creates; it does not count as a real
              teacher when deciding whether the instance still needs its first account.
paper         the sheet size the teacher's printer takes; every PDF uses it unless told.
card sheet    the sheet of card stock in the teacher's printer and its next unused card.
failed login  one wrong password, kept to lock a username on one address for a while.
school        the school the instance serves: its name, its time zone and how it writes
              times. Every appointment is a moment in time; every page, card, calendar and
              feed shows it in the school's time zone, never the machine's.
administrator a person who runs the school's accounts, audit log, settings and retention
              (`School.administrators`); sees no student notes unless they also teach or
              coach. The first account of an instance is its administrator.
coach         a literacy coach or specialist assigned to teachers by the administrator
              (`CoachAssignment`); reads those teachers' classes and writes nothing.
co-teacher    a second teacher of a class (`Classroom.teachers`); sees and writes the same.
sign-in link  a one-time link that lets a new or locked-out person set a password; only
              a hash of it is stored; it works once and expires.
retention     how long the records of an archived class's students are kept.

Roles are relations, never global flags: what a person may see follows from the classes
they teach, the teachers they coach and the school they administer.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from conferbook.lib import clock


def validate_time_zone(name: str) -> None:
    """An IANA time zone name this machine knows ("America/Chicago")."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "Choose a time zone from the list (for example America/Chicago)."
        ) from None


class School(models.Model):
    """The school this instance serves (one per instance for now)."""

    name = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    clock = models.CharField(
        "how times are written",
        max_length=2,
        choices=list(clock.CONVENTIONS.items()),
        default=clock.TWELVE_HOUR,
    )
    administrators = models.ManyToManyField(
        "accounts.User", related_name="administered_schools", blank=True
    )
    retention_days = models.PositiveIntegerField(
        "keep archived students' records for (days)",
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name or "The school"


class User(AbstractUser):
    class Paper(models.TextChoices):
        LETTER = "letter", "US Letter"
        A4 = "a4", "A4"

    is_demo = models.BooleanField(default=False)
    paper = models.CharField(
        "paper size", max_length=10, choices=Paper.choices, default=Paper.LETTER
    )
    # The sheet of card stock in the printer, and the first card on it not printed yet:
    # a card printed at the end of a conference takes the next one.
    card_sheet = models.CharField(max_length=40, blank=True)
    next_card = models.PositiveSmallIntegerField(default=1)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class FailedLogin(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True)
    attempted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} from {self.ip_address} at {self.attempted_at:%Y-%m-%d %H:%M}"


class CoachAssignment(models.Model):
    """A coach assigned to a teacher: the coach reads that teacher's classes."""

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coachings")
    teacher = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coached_by")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "teacher"], name="one_assignment_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("teacher")), name="coach_is_not_own_teacher"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.teacher}"


class SignInLink(models.Model):
    """A one-time link to set a password: for a new account or a reset."""

    class Purpose(models.TextChoices):
        INVITE = "invite", "new account"
        RESET = "reset", "password reset"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link for {self.user}"
