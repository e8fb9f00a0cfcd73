"""Reads for the calendar views, always for a class the teacher teaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.roster.models import Classroom


def appointments_on(*, classroom: Classroom, day: date) -> QuerySet[Conference]:
    """The class's conferences booked, under way or held on `day`, in time order."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    return (
        Conference.objects.filter(
            classroom=classroom, scheduled_for__gte=start, scheduled_for__lt=end
        )
        .exclude(status=Conference.Status.MISSED)
        .select_related("student")
        .order_by("scheduled_for")
    )


@dataclass(frozen=True)
class TodayRow:
    conference: Conference
    is_now: bool
    is_next: bool
    is_done: bool


@dataclass(frozen=True)
class Today:
    rows: list[TodayRow]
    block_start: datetime
    block_end: datetime
    minutes_left: int | None  # None outside the writing block


def today_for(*, classroom: Classroom, now: datetime | None = None) -> Today:
    """Today's appointments in order, which one is now and which is next, and time left."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    start = timezone.make_aware(datetime.combine(day, classroom.block_start))
    end = timezone.make_aware(datetime.combine(day, classroom.block_end))
    length = timedelta(minutes=classroom.conference_minutes)
    conferences = list(appointments_on(classroom=classroom, day=day))
    rows: list[TodayRow] = []
    next_marked = False
    for conference in conferences:
        at = conference.scheduled_for
        assert at is not None
        done = conference.status == Conference.Status.HELD
        is_now = (
            conference.status == Conference.Status.IN_PROGRESS or (at <= now < at + length)
        ) and not done
        is_next = not done and not is_now and at > now and not next_marked
        next_marked = next_marked or is_next
        rows.append(TodayRow(conference, is_now, is_next, done))
    left = int((end - now).total_seconds() // 60) if start <= now < end else None
    return Today(rows=rows, block_start=start, block_end=end, minutes_left=left)


@dataclass(frozen=True)
class DayColumn:
    day: date
    conferences: list[Conference]


def week_columns(*, classroom: Classroom, days: list[date]) -> list[DayColumn]:
    """One column per day with that day's appointments, in one query."""
    if not days:
        return []
    start = timezone.make_aware(datetime.combine(min(days), time.min))
    end = timezone.make_aware(datetime.combine(max(days), time.min)) + timedelta(days=1)
    by_day: dict[date, list[Conference]] = {day: [] for day in days}
    for conference in (
        Conference.objects.filter(
            classroom=classroom, scheduled_for__gte=start, scheduled_for__lt=end
        )
        .select_related("student")
        .order_by("scheduled_for")
    ):
        assert conference.scheduled_for is not None
        local_day = timezone.localtime(conference.scheduled_for).date()
        if local_day in by_day:
            by_day[local_day].append(conference)
    return [DayColumn(day, by_day[day]) for day in days]
