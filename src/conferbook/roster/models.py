"""The roster.

class (`Classroom`)  a roster taught by one or more teachers, with its writing block:
                     the days and times of writing time, the mini-lesson length and the
                     conference length, from which the number of conference slots follows.
student              belongs to one or more classes (`Enrollment`); never signs in.
archived             a class or student kept for the record but out of daily lists.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from conferbook.lib.block import Block
from conferbook.lib.text import clean_name

WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class NameField(models.CharField):
    """A person's name: direction controls are dropped on the way in and on the way out,
    so a pasted name can never reverse the text of a page, a PDF or a message."""

    def to_python(self, value: object) -> str | None:
        text = super().to_python(value)
        return clean_name(text) if isinstance(text, str) else text

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        return clean_name(value) if isinstance(value, str) else value

    def from_db_value(self, value: object, expression: object, connection: object) -> object:
        return clean_name(value) if isinstance(value, str) else value


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="classrooms")
    # The writing block. Weekdays are stored as digits, Monday = 0.
    writing_days = models.CharField(max_length=7, default="01234")
    block_start = models.TimeField(default=time(10, 0))
    block_end = models.TimeField(default=time(11, 0))
    mini_lesson_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MaxValueValidator(120)]
    )
    conference_minutes = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    changeover_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(10)]
    )
    group_slots_per_day = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(6)]
    )
    group_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(3), MaxValueValidator(30)]
    )
    # An optional reading block: reading conferences mixed into the same rotation.
    reading_days = models.CharField(max_length=7, blank=True)
    reading_start = models.TimeField(null=True, blank=True)
    reading_end = models.TimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def weekdays(self) -> list[int]:
        return sorted({int(d) for d in self.writing_days if d.isdigit() and int(d) < 7})

    @property
    def weekday_names(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in self.weekdays)

    @property
    def block(self) -> Block:
        """The writing block as plain numbers (see lib/block.py for the arithmetic)."""
        return Block(
            start=self.block_start,
            end=self.block_end,
            days_per_week=len(self.weekdays),
            mini_lesson=self.mini_lesson_minutes,
            conference=self.conference_minutes,
            changeover=self.changeover_minutes,
            group_slots=self.group_slots_per_day,
            group_length=self.group_minutes,
        )

    @property
    def reading_weekdays(self) -> list[int]:
        return sorted({int(d) for d in self.reading_days if d.isdigit() and int(d) < 7})

    @property
    def school_weekdays(self) -> list[int]:
        """Weekdays with a writing or a reading block."""
        return sorted(set(self.weekdays) | set(self.reading_weekdays))

    @property
    def reading_block(self) -> Block | None:
        """The reading block, conferences only (no small groups), or None when there is none."""
        if not (self.reading_start and self.reading_end and self.reading_weekdays):
            return None
        return Block(
            start=self.reading_start,
            end=self.reading_end,
            days_per_week=len(self.reading_weekdays),
            mini_lesson=self.mini_lesson_minutes,
            conference=self.conference_minutes,
            changeover=self.changeover_minutes,
        )

    def reading_slot_times(self) -> list[time]:
        block = self.reading_block
        return block.conference_starts() if block else []

    def conference_slots_per_day(self) -> int:
        """How many one-on-one conferences fit in one writing block."""
        return self.block.conference_slots()

    def slot_times(self) -> list[time]:
        """The start time of each conference slot in one writing block."""
        return self.block.conference_starts()


class Student(models.Model):
    first_name = NameField(max_length=100)
    last_name = NameField(max_length=100, blank=True)
    preferred_name = NameField(max_length=100, blank=True)
    grade = models.CharField(max_length=10, blank=True)
    school_id = models.CharField("school ID", max_length=64, blank=True)
    classrooms = models.ManyToManyField(Classroom, through="Enrollment", related_name="students")
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_name", "last_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def shown_name(self) -> str:
        """The name the student goes by in class."""
        return self.preferred_name or self.first_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE)
    student = models.ForeignKey(Student, on_delete=models.CASCADE)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="one_enrollment_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"
