"""Scheduling. (Closed and short days, rhythms and time away are the class calendar's:
`conferbook.calendar`.)

calendar feed     a private, revocable address for a class's appointments (.ics); the
                  token is the only secret, so revoking deletes it and the old address 404s.
"""

from __future__ import annotations

import secrets

from django.db import models

from conferbook.conferences.models import Conference
from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Classroom, Student


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


class Absence(models.Model):
    """A student marked absent on today's list, and the bookings that moved for it.

    `missed` is the missed conference kept at the time the student was due; `moves` lists
    every booking moved, as {"conference": id, "was": ISO time, "now": ISO time}, so the
    teacher can undo a mis-tap: each booking goes back and the missed conference goes.
    """

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="absences")
    missed = models.OneToOneField(Conference, on_delete=models.CASCADE, related_name="absence")
    moves = models.JSONField(default=list)
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-marked_at"]

    def __str__(self) -> str:
        return f"{self.student} absent ({self.marked_at:%Y-%m-%d})"
