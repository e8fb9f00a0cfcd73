"""Reads for the calendar views, always for a class the teacher teaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.rules import ClassCalendar, Standing
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.selectors import standings, student_standings
from conferbook.lib import clock
from conferbook.roster.models import Classroom
from conferbook.roster.selectors import classroom_ids_taught_by
from conferbook.scheduling.models import Absence, GroupAppointment


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
    standing: Standing | None  # None for a student no longer in the class


@dataclass(frozen=True)
class TodayGroup:
    appointment: GroupAppointment
    meeting: GroupConference | None  # today's group conference, under way or held

    @property
    def held(self) -> bool:
        return self.meeting is not None and self.meeting.status == GroupConference.Status.HELD


@dataclass(frozen=True)
class Today:
    rows: list[TodayRow]
    groups: list[TodayGroup]
    block_start: datetime
    block_end: datetime
    minutes_left: int | None  # None outside the writing block
    day_off: str = ""  # why today has no block ("" on a school day)

    @property
    def next_row(self) -> TodayRow | None:
        """Whom to see next: the one marked next, else the first not seen yet."""
        waiting = [r for r in self.rows if not r.is_done and not r.is_now]
        return next((r for r in waiting if r.is_next), waiting[0] if waiting else None)


def today_for(*, classroom: Classroom, now: datetime | None = None) -> Today:
    """Today's appointments in order, which one is now and which is next, and time left."""
    now = timezone.localtime(now or timezone.now())
    day = now.date()
    calendar = calendar_for(classroom=classroom)
    due = standings(classroom=classroom, calendar=calendar, today=day)
    start = timezone.make_aware(datetime.combine(day, classroom.block_start))
    end = timezone.make_aware(
        datetime.combine(day, calendar.block_end_on(day) or classroom.block_end)
    )
    length = calendar.length
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
        rows.append(TodayRow(conference, is_now, is_next, done, due.get(conference.student_id)))
    left = int((end - now).total_seconds() // 60) if start <= now < end else None
    midnight = timezone.make_aware(datetime.combine(day, time.min))
    appointments = group_appointments_between(
        classroom=classroom, start=midnight, end=midnight + timedelta(days=1)
    )
    meetings = {
        m.group_id: m
        for m in GroupConference.objects.filter(
            classroom=classroom,
            started_at__gte=midnight,
            started_at__lt=midnight + timedelta(days=1),
        ).order_by("started_at")
    }
    groups = [TodayGroup(a, meetings.get(a.group_id)) for a in appointments]
    return Today(
        rows=rows,
        groups=groups,
        block_start=start,
        block_end=end,
        minutes_left=left,
        day_off=calendar.why_not_a_school_day(day),
    )


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
    standing: Standing

    @property
    def last_seen(self) -> date | None:
        return self.standing.last_seen

    @property
    def due(self) -> date:
        return self.standing.due

    @property
    def school_days_late(self) -> int:
        return self.standing.school_days_late


@dataclass(frozen=True)
class Coverage:
    cycle_days: int
    cycle_start: date
    seen: list[CoverageRow]
    not_seen: list[CoverageRow]  # most overdue first

    @property
    def overdue(self) -> list[CoverageRow]:
        return [row for row in self.not_seen if row.standing.overdue]


def coverage_for(
    *, classroom: Classroom, today: date | None = None, calendar: ClassCalendar | None = None
) -> Coverage:
    """Who was seen in the current cycle, and when the others are due (most overdue first).

    The current cycle is the last `cycle` school days up to today (calendar.rules); due
    dates and lateness are the class calendar's, as on every other page.
    """
    today = today or timezone.localdate()
    calendar = calendar or calendar_for(classroom=classroom)
    cycle = max(1, calendar.cycle_days())
    back = calendar.school_days_back(today, cycle)
    cycle_start = back[-1] if back else today
    seen: list[CoverageRow] = []
    not_seen: list[CoverageRow] = []
    for student, standing in student_standings(classroom=classroom, calendar=calendar, today=today):
        item = CoverageRow(
            student_id=student.pk,
            name=f"{student.shown_name} {student.last_name}".strip(),
            standing=standing,
        )
        last = item.last_seen
        (seen if last and last >= cycle_start else not_seen).append(item)
    not_seen.sort(key=lambda r: (r.due, r.name.casefold()))
    return Coverage(cycle, cycle_start, seen, not_seen)


# What a cell of the coverage grid shows, strongest first: a day holds one mark per
# student even when several things happened (a small group and then a one-on-one).
CELL_MARKS = ("one-on-one", "small group", "missed", "booked")
# The longest range the grid draws (about half a school year of five-day weeks).
MOST_GRID_DAYS = 130


@dataclass(frozen=True)
class GridRow:
    student_id: int
    name: str
    standing: Standing
    marks: tuple[str, ...]  # one per day of the grid: a CELL_MARKS entry, "off" or ""


@dataclass(frozen=True)
class WeekCount:
    """One week of the range: conferences held beside what the blocks allow."""

    monday: date
    one_on_one: int
    small_group: int  # students seen in a small group
    allowed: int  # one-on-one slots of the week's school days inside the range


@dataclass(frozen=True)
class CoverageGrid:
    """Students x days: what happened with each student on each day of a range."""

    coverage: Coverage  # who was seen this cycle, as the coverage page's tables say
    weeks: list[WeekCount]
    days: list[date]  # days with a writing or reading block, days off included
    off: dict[date, str]  # day off -> why, in plain words
    rows: list[GridRow]  # overdue first, then by due day
    today: date

    @property
    def cycle_days(self) -> int:
        return self.coverage.cycle_days

    @property
    def cycle_start(self) -> date:
        """The promise: everyone seen on or after this day."""
        return self.coverage.cycle_start

    @property
    def seen_this_cycle(self) -> int:
        return len(self.coverage.seen)

    @property
    def overdue(self) -> list[GridRow]:
        return [row for row in self.rows if row.standing.overdue]

    @property
    def promise_column(self) -> int | None:
        """Index of the first day inside the promise, None when the range ends before."""
        return next((k for k, day in enumerate(self.days) if day >= self.cycle_start), None)

    def week_summary(self) -> str:
        """The latest week begun: "Week of Mon 30 Nov: 22 one-on-one conferences in 25
        slots, and 4 students seen in small groups." """
        begun = [w for w in self.weeks if w.monday <= self.today]
        if not begun:
            return ""
        week = begun[-1]
        text = (
            f"Week of {clock.day_text(week.monday)}: {week.one_on_one} one-on-one "
            f"conference{'s' if week.one_on_one != 1 else ''} in {week.allowed} "
            f"slot{'s' if week.allowed != 1 else ''}"
        )
        if week.small_group:
            text += (
                f", and {week.small_group} student{'s' if week.small_group != 1 else ''} "
                "seen in small groups"
            )
        return text + "."

    def summary(self) -> str:
        """One plain sentence: "Seen 27 of 29 this cycle; Aarav and Lan are 3 school days
        late, Jo is 1 school day late." """
        text = f"Seen {self.seen_this_cycle} of {len(self.rows)} this cycle"
        by_lateness: dict[int, list[str]] = {}
        for row in self.overdue:
            by_lateness.setdefault(row.standing.school_days_late, []).append(row.name)
        parts = []
        for late, names in sorted(by_lateness.items(), reverse=True):
            shown = names if len(names) <= 3 else [*names[:2], f"{len(names) - 2} more"]
            who = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
            verb = "is" if len(names) == 1 else "are"
            parts.append(f"{who} {verb} {late} school day{'s' if late != 1 else ''} late")
        return text + ("; " + ", ".join(parts) if parts else "; nobody is late") + "."


# The coverage picture's days ahead of today (the bookings of the coming week).
GRID_DAYS_AHEAD = 5


def two_cycles(calendar: ClassCalendar, today: date) -> tuple[date, date]:
    """The coverage picture's usual days: two cycles back and a week of bookings ahead."""
    ahead = calendar.add_school_days(today, GRID_DAYS_AHEAD) if calendar.weekdays else today
    back = calendar.school_days_back(today, 2 * max(1, calendar.cycle_days()))
    return (back[-1] if back else today), ahead


def coverage_grid(
    *,
    classroom: Classroom,
    start: date,
    end: date,
    today: date | None = None,
    calendar: ClassCalendar | None = None,
) -> CoverageGrid:
    """What happened with each active student on each day from `start` to `end` (at most
    MOST_GRID_DAYS block days): held one-on-one, held in a small group, missed (absent),
    booked, or a day off. Rows as on the coverage page: overdue first, then by due day.
    A fixed number of queries whatever the size of the class and the range."""
    today = today or timezone.localdate()
    calendar = calendar or calendar_for(classroom=classroom)
    coverage = coverage_for(classroom=classroom, today=today, calendar=calendar)
    days: list[date] = []
    day = start
    while day <= end and len(days) < MOST_GRID_DAYS:
        if day.weekday() in calendar.weekdays:
            days.append(day)
        day += timedelta(days=1)
    people = [*coverage.not_seen, *coverage.seen]
    people.sort(key=lambda r: (not r.standing.overdue, r.due, r.name.casefold()))
    found: dict[tuple[int, date], int] = {}
    held: dict[tuple[date, str], int] = {}
    if days:
        since = timezone.make_aware(datetime.combine(days[0], time.min))
        until = timezone.make_aware(datetime.combine(days[-1] + timedelta(days=1), time.min))
        moments = Conference.objects.filter(
            classroom=classroom, student_id__in=[r.student_id for r in people]
        ).filter(
            Q(ended_at__gte=since, ended_at__lt=until)
            | Q(ended_at__isnull=True, scheduled_for__gte=since, scheduled_for__lt=until)
        )
        for student_id, status, group_id, booked, ended in moments.values_list(
            "student_id", "status", "group_conference_id", "scheduled_for", "ended_at"
        ):
            mark = _cell_mark(status, group_id)
            when = ended or booked
            if mark is None or when is None:
                continue
            key = (student_id, timezone.localtime(when).date())
            strength = CELL_MARKS.index(mark)
            found[key] = min(found.get(key, strength), strength)
            if mark in ("one-on-one", "small group"):
                monday = key[1] - timedelta(days=key[1].weekday())
                held[monday, mark] = held.get((monday, mark), 0) + 1
    off = {d: calendar.why_not_a_school_day(d) for d in days if d in calendar.closed}
    rows = [
        GridRow(
            student_id=r.student_id,
            name=r.name,
            standing=r.standing,
            marks=tuple(
                CELL_MARKS[found[(r.student_id, d)]]
                if (r.student_id, d) in found
                else ("off" if d in off else "")
                for d in days
            ),
        )
        for r in people
    ]
    allowed: dict[date, int] = {}
    for day in days:
        monday = day - timedelta(days=day.weekday())
        allowed[monday] = allowed.get(monday, 0) + len(calendar.slots_on(day))
    weeks = [
        WeekCount(
            monday=monday,
            one_on_one=held.get((monday, "one-on-one"), 0),
            small_group=held.get((monday, "small group"), 0),
            allowed=slots,
        )
        for monday, slots in allowed.items()
    ]
    return CoverageGrid(coverage=coverage, weeks=weeks, days=days, off=off, rows=rows, today=today)


def _cell_mark(status: str, group_id: object) -> str | None:
    if status == Conference.Status.HELD:
        return "small group" if group_id else "one-on-one"
    if status == Conference.Status.MISSED:
        return "missed"
    if status == Conference.Status.SCHEDULED:
        return "booked"
    return None  # under way: it becomes held or is left


def get_absence_for(*, teacher: User, absence_id: int) -> Absence:
    """An absence marked in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        Absence.objects.filter(classroom_id__in=classroom_ids_taught_by(teacher)).select_related(
            "student"
        ),
        pk=absence_id,
    )


def get_group_appointment_for(*, teacher: User, appointment_id: int) -> GroupAppointment:
    """A small group's appointment in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        GroupAppointment.objects.filter(
            group__classroom_id__in=classroom_ids_taught_by(teacher)
        ).select_related("group"),
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
