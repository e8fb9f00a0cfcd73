"""Reads for the calendar views, always for a class the teacher teaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.conferences.models import Conference
from conferbook.conferences.selectors import class_rows
from conferbook.lib.slots import add_school_days, school_days_between
from conferbook.roster.models import Classroom
from conferbook.scheduling.models import GroupAppointment, SchoolDay, Unavailability


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
    groups: list[GroupAppointment]
    block_start: datetime
    block_end: datetime
    minutes_left: int | None  # None outside the writing block


def today_for(*, classroom: Classroom, now: datetime | None = None) -> Today:
    """Today's appointments in order, which one is now and which is next, and time left."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    start = timezone.make_aware(datetime.combine(day, classroom.block_start))
    short = SchoolDay.objects.filter(classroom=classroom, day=day, ends_at__isnull=False).first()
    ends = (
        min(classroom.block_end, short.ends_at) if short and short.ends_at else classroom.block_end
    )
    end = timezone.make_aware(datetime.combine(day, ends))
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
    midnight = timezone.make_aware(datetime.combine(day, time.min))
    groups = group_appointments_between(
        classroom=classroom, start=midnight, end=midnight + timedelta(days=1)
    )
    return Today(rows=rows, groups=groups, block_start=start, block_end=end, minutes_left=left)


@dataclass(frozen=True)
class DayColumn:
    day: date
    conferences: list[Conference]
    groups: list[GroupAppointment]


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
        .exclude(status=Conference.Status.MISSED)
        .select_related("student")
        .order_by("scheduled_for")
    ):
        assert conference.scheduled_for is not None
        local_day = timezone.localtime(conference.scheduled_for).date()
        if local_day in by_day:
            by_day[local_day].append(conference)
    groups_by_day: dict[date, list[GroupAppointment]] = {day: [] for day in days}
    for appointment in group_appointments_between(classroom=classroom, start=start, end=end):
        local_day = timezone.localtime(appointment.scheduled_for).date()
        if local_day in groups_by_day:
            groups_by_day[local_day].append(appointment)
    return [DayColumn(day, by_day[day], groups_by_day[day]) for day in days]


def first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_weeks(*, classroom: Classroom, first: date) -> list[list[DayColumn | None]]:
    """The month of `first` as weeks of writing-day columns (None pads days of other months)."""
    following = first_of_next_month(first)
    days = [
        first + timedelta(days=i)
        for i in range((following - first).days)
        if (first + timedelta(days=i)).weekday() in classroom.school_weekdays
    ]
    columns = {c.day: c for c in week_columns(classroom=classroom, days=days)}
    weekdays = classroom.school_weekdays
    weeks: list[list[DayColumn | None]] = []
    monday = first - timedelta(days=first.weekday())
    while monday < following:
        week = []
        for weekday in weekdays:
            day = monday + timedelta(days=weekday)
            week.append(columns.get(day))
        weeks.append(week)
        monday += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class CoverageRow:
    student_id: int
    name: str
    last_seen: date | None
    due: date | None
    school_days_late: int


@dataclass(frozen=True)
class Coverage:
    cycle_days: int
    cycle_start: date
    seen: list[CoverageRow]
    not_seen: list[CoverageRow]  # most overdue first


def coverage_for(*, classroom: Classroom, today: date | None = None) -> Coverage:
    """Who was seen in the current cycle and who is overdue, by how many school days.

    The current cycle is the last `cycle` writing days (cycle = ceil(students / slots per
    day)); a student is due one cycle after their last conference (or their enrolment).
    """
    today = today or timezone.localdate()
    rows = class_rows(classroom=classroom, sort="days")
    cycle = max(1, classroom.cycle_school_days(len(rows)))
    weekdays = classroom.weekdays
    closed = set(
        SchoolDay.objects.filter(classroom=classroom, closed=True).values_list("day", flat=True)
    )
    cycle_start = today
    for _ in range(cycle - 1):
        cycle_start -= timedelta(days=1)
        while weekdays and (cycle_start.weekday() not in weekdays or cycle_start in closed):
            cycle_start -= timedelta(days=1)
    seen: list[CoverageRow] = []
    not_seen: list[CoverageRow] = []
    for row in rows:
        last = timezone.localtime(row.last_conference_at).date() if row.last_conference_at else None
        since = last or timezone.localtime(row.enrolled_at).date()
        due = add_school_days(since, cycle, weekdays, closed)
        item = CoverageRow(
            student_id=row.student.pk,
            name=f"{row.student.shown_name} {row.student.last_name}".strip(),
            last_seen=last,
            due=due,
            school_days_late=school_days_between(due, today, weekdays, closed),
        )
        (seen if last and last >= cycle_start else not_seen).append(item)
    not_seen.sort(key=lambda r: -r.school_days_late)
    return Coverage(cycle, cycle_start, seen, not_seen)


def get_school_day_for(*, teacher: User, school_day_id: int) -> SchoolDay:
    """A closed or shortened day of a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        SchoolDay.objects.filter(classroom__teachers=teacher), pk=school_day_id
    )


def get_group_appointment_for(*, teacher: User, appointment_id: int) -> GroupAppointment:
    """A small group's appointment in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        GroupAppointment.objects.filter(group__classroom__teachers=teacher).select_related("group"),
        pk=appointment_id,
    )


def group_appointments_between(
    *, classroom: Classroom, start: datetime, end: datetime
) -> list[GroupAppointment]:
    """The class's small-group appointments in [start, end), members included (2 queries)."""
    return list(
        GroupAppointment.objects.filter(
            group__classroom=classroom, scheduled_for__gte=start, scheduled_for__lt=end
        )
        .select_related("group")
        .prefetch_related("group__members")
    )


def get_unavailability_for(*, teacher: User, unavailability_id: int) -> Unavailability:
    """A student's weekly time away in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        Unavailability.objects.filter(classroom__teachers=teacher).select_related("student"),
        pk=unavailability_id,
    )
