"""Scheduling.

school day        an exception to a class's writing days: closed (a holiday, a break, a
                  trip) or shortened (the writing block ends early that day).
rhythm            per student and class: "see more often" (twice as often as others).
unavailability    a weekly time a student cannot be seen (a pull-out, speech therapy).
calendar feed     a private, revocable address for a class's appointments (.ics); the
                  token is the only secret, so revoking deletes it and the old address 404s.
"""

from __future__ import annotations

import secrets

from django.db import models

from conferbook.groups.models import SmallGroup
from conferbook.roster.models import WEEKDAY_NAMES, Classroom, Student


class SchoolDay(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="school_days")
    day = models.DateField()
    closed = models.BooleanField(default=True)
    ends_at = models.TimeField(null=True, blank=True, help_text="For a shortened day.")
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "day"], name="one_entry_per_class_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {'closed' if self.closed else f'ends {self.ends_at}'}"


class Rhythm(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="rhythms")
    see_more_often = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="one_rhythm_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class Unavailability(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="unavailabilities")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAY_NAMES)))
    start = models.TimeField()
    end = models.TimeField()
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    classroom = models.OneToOneField(Classroom, on_delete=models.CASCADE, related_name="feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.classroom}"


class GroupAppointment(models.Model):
    """A small group booked into one of the writing block's group slots: one appointment for all."""

    group = models.ForeignKey(SmallGroup, on_delete=models.CASCADE, related_name="appointments")
    scheduled_for = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_for"]

    def __str__(self) -> str:
        return f"{self.group} at {self.scheduled_for:%Y-%m-%d %H:%M}"
