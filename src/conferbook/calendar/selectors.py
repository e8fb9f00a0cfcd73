"""Reads for the class calendar: the rules of `rules.py` filled in for one class."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.models import Rhythm, SchoolDay, Term, Unavailability
from conferbook.calendar.rules import ClassCalendar, TimeAway
from conferbook.compiled import CompiledQuery, compiled
from conferbook.roster.models import Classroom
from conferbook.roster.selectors import classroom_ids_taught_by, students_in


def wall(at: datetime) -> datetime:
    """A stored moment as the school's wall-clock time (naive), as the calendar rules take it."""
    return timezone.localtime(at).replace(tzinfo=None)


def aware(at: datetime) -> datetime:
    """The school's wall-clock time (naive) as a moment to store."""
    return timezone.make_aware(at)


@compiled(classroom=Classroom)
def _school_days(*, classroom: Classroom) -> QuerySet[SchoolDay, tuple[Any, ...]]:
    return SchoolDay.objects.filter(classroom=classroom).values_list(
        "day", "closed", "ends_at", "note"
    )


@compiled(classroom=Classroom)
def _weights(*, classroom: Classroom) -> QuerySet[Any, tuple[int, int]]:
    return (
        students_in(classroom=classroom)
        .annotate(
            weight=Case(
                When(
                    Exists(
                        Rhythm.objects.filter(
                            classroom=classroom, student=OuterRef("pk"), see_more_often=True
                        )
                    ),
                    then=Value(2),
                ),
                default=Value(1),
            )
        )
        .order_by()
        .values_list("pk", "weight")
    )


@compiled(classroom=Classroom)
def _time_away(*, classroom: Classroom) -> QuerySet[Unavailability, tuple[Any, ...]]:
    return Unavailability.objects.filter(classroom=classroom).values_list(
        "student_id", "weekday", "start", "end", "note"
    )


def calendar_for(*, classroom: Classroom) -> ClassCalendar:
    """The class's calendar: its blocks, days off, short days, every active student's
    weight and time away (three queries, whatever the size of the class; compiled, as
    every page of a class reads it)."""
    closed: dict[date, str] = {}
    ends_early: dict[date, time] = {}
    for day, is_closed, ends_at, note in _school_days.all(classroom=classroom):
        if is_closed or ends_at is None:
            closed[day] = note
        else:
            ends_early[day] = ends_at
    weights = dict(_weights.all(classroom=classroom))
    away = tuple(
        TimeAway(student_id, weekday, start, end, note)
        for student_id, weekday, start, end, note in _time_away.all(classroom=classroom)
        if student_id in weights  # an archived student's time away is kept, not used
    )
    return ClassCalendar(
        writing_weekdays=frozenset(classroom.weekdays),
        writing=classroom.block,
        reading_weekdays=frozenset(classroom.reading_weekdays),
        reading=classroom.reading_block,
        closed=closed,
        ends_early=ends_early,
        away=away,
        weights=weights,
    )


def get_school_day_for(*, teacher: User, school_day_id: int) -> SchoolDay:
    """A closed or shortened day of a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        SchoolDay.objects.filter(classroom_id__in=classroom_ids_taught_by(teacher)),
        pk=school_day_id,
    )


def get_unavailability_for(*, teacher: User, unavailability_id: int) -> Unavailability:
    """A student's weekly time away in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        Unavailability.objects.filter(
            classroom_id__in=classroom_ids_taught_by(teacher)
        ).select_related("student"),
        pk=unavailability_id,
    )


def school_days_listed(*, classroom: Classroom, since: date) -> list[SchoolDay]:
    """The class's closed and short days from `since` on, in date order."""
    return list(SchoolDay.objects.filter(classroom=classroom, day__gte=since))


# -- the school's terms --------------------------------------------------------------------

MOST_TERM_WEEKS = 26  # a picture of "this term" reaches back at most this far


@dataclass(frozen=True)
class Span:
    """The days a picture of "this term" covers, and how to say it."""

    start: date
    end: date
    label: str  # "Autumn term" or "the last 12 weeks"
    term: Term | None = None


_terms_on = CompiledQuery(
    lambda day: Term.objects.filter(starts_on__lte=day, ends_on__gte=day), day=date
)


def term_on(day: date, among: Iterable[Term] | None = None) -> Term | None:
    """The school's term that holds `day` (the one that began last, should two overlap),
    among the terms given when the caller has read them already (`terms()`)."""
    if among is None:
        among = _terms_on.all(day=day)
    return max(
        (t for t in among if t.starts_on <= day <= t.ends_on),
        key=lambda t: (t.starts_on, t.pk),
        default=None,
    )


def span_of_term(*, today: date, weeks: int, among: Iterable[Term] | None = None) -> Span:
    """The term so far when a term holds `today` (at most MOST_TERM_WEEKS back), else the
    last `weeks` weeks. Every picture of "this term" asks this one rule. `among`: the
    school's terms, when the caller has read them already."""
    term = term_on(today, among)
    if term is None:
        return Span(today - timedelta(weeks=weeks), today, f"the last {weeks} weeks")
    start = max(term.starts_on, today - timedelta(weeks=MOST_TERM_WEEKS))
    return Span(start, today, term.name, term)


def terms() -> list[Term]:
    return list(Term.objects.all())
