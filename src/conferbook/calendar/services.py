"""Writes for the class calendar: days off and short days, rhythms, time away."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from django.db import transaction

from conferbook.calendar.models import Rhythm, SchoolDay, Term
from conferbook.roster.models import Classroom, Student


def save_school_day(
    *, classroom: Classroom, day: date, closed: bool, ends_at: time | None, note: str = ""
) -> SchoolDay:
    """Mark a day closed or shortened for the class (one entry per day: saving replaces)."""
    school_day, _ = SchoolDay.objects.update_or_create(
        classroom=classroom,
        day=day,
        defaults={"closed": closed, "ends_at": None if closed else ends_at, "note": note},
    )
    return school_day


@transaction.atomic
def import_days_off(*, classroom: Classroom, days: Sequence[tuple[date, str]]) -> int:
    """Add the days off from a school calendar as closed days; days already set are kept."""
    existing = set(SchoolDay.objects.filter(classroom=classroom).values_list("day", flat=True))
    new = [
        SchoolDay(classroom=classroom, day=day, closed=True, note=note[:120])
        for day, note in days
        if day not in existing
    ]
    SchoolDay.objects.bulk_create(new)
    return len(new)


def set_see_more_often(*, classroom: Classroom, student: Student, value: bool) -> None:
    """Ask the scheduler to see this student about twice as often as the others."""
    Rhythm.objects.update_or_create(
        classroom=classroom, student=student, defaults={"see_more_often": value}
    )


def add_term(*, name: str, starts_on: date, ends_on: date) -> Term:
    """Add one of the school's terms (the form checked it overlaps no other)."""
    return Term.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)


def remove_term(*, term: Term) -> None:
    term.delete()
