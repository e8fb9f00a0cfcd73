"""The class calendar's data: what a class's time is made of besides its writing block.

school day        an exception to a class's writing days: closed (a holiday, a break, a
                  trip) or shortened (the blocks end early that day).
rhythm            per student and class: "see more often" (twice as often as others).
unavailability    a weekly time a student cannot be seen (a pull-out, speech therapy).
term              the school's terms (semesters, trimesters...), named, with a first and
                  a last day; set once for the school by its administrator. "This term"
                  in the pictures is the term that holds today (`selectors.span_of_term`).

The rules that read these (when a student is due, which slots a day holds, whether a time
can be booked) are in `rules.py`; `selectors.calendar_for` builds them for a class. These
models moved here from the scheduling app and keep its tables.
"""

from __future__ import annotations

from django.db import models

from conferbook.lib import clock
from conferbook.roster.models import WEEKDAY_NAMES, Classroom, Student


class SchoolDay(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="school_days")
    day = models.DateField()
    closed = models.BooleanField(default=True)
    ends_at = models.TimeField(null=True, blank=True, help_text="For a shortened day.")
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        db_table = "scheduling_schoolday"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "day"], name="one_entry_per_class_day")
        ]

    def __str__(self) -> str:
        if self.closed or self.ends_at is None:
            return f"{clock.day_text(self.day)}: no writing block"
        return f"{clock.day_text(self.day)}: ends at {clock.time_text(self.ends_at)}"


class Rhythm(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="rhythms")
    see_more_often = models.BooleanField(default=False)

    class Meta:
        db_table = "scheduling_rhythm"
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
        db_table = "scheduling_unavailability"
        ordering = ["weekday", "start"]

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]} {clock.span_text(self.start, self.end)}"


class Term(models.Model):
    name = models.CharField(max_length=60)
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name
