"""Writes for scheduling: planning a class's conferences and moving absent students.

The database side of the scheduler: it reads the class's calendar (conferbook.calendar:
school days, slots, time away, rhythm, when each student is due), the bookings the teacher
placed by hand, hands plain values to `solver.schedule` / `solver.reschedule_absent`, and
writes the result back as booked conferences. Bookings the scheduler made are `planned`
and may be re-planned; the teacher's own bookings are kept exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.rules import ClassCalendar
from conferbook.calendar.selectors import calendar_for, wall
from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.selectors import standings
from conferbook.groups.models import SmallGroup
from conferbook.lib import clock
from conferbook.roster.models import Classroom, Student
from conferbook.scheduling.models import Absence, GroupAppointment
from conferbook.scheduling.solver import (
    Booking,
    Plan,
    Slot,
    StudentNeed,
    longest_gap,
    reschedule_absent,
    schedule,
)

SCHEDULED = Conference.Status.SCHEDULED


# The student id of a placeholder booking that holds a slot a given day does not have.
NO_SLOT = -1


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@dataclass(frozen=True)
class Grid:
    """The slots of every school day on one time line, as the solver needs them.

    Writing and reading slots share the rotation; `reading` says which starts are in the
    reading block, and `closed` holds placeholders for the slots a given day lacks (a
    writing slot on a reading-only day, the end of a short day, today's slots that have
    begun).
    """

    starts: list[time]
    reading: frozenset[time]
    closed: list[Booking]


def grid_for(calendar: ClassCalendar, days: Sequence[date], now: datetime | None = None) -> Grid:
    line = calendar.time_line()
    now = timezone.localtime(now or timezone.now())
    closed = []
    for day in days:
        held = {slot.start for slot in calendar.slots_on(day)}
        for i, slot in enumerate(line):
            begun = day == now.date() and slot.start <= now.time()
            if slot.start not in held or begun:
                closed.append(Booking(NO_SLOT, Slot(day, i, slot.start), fixed=True))
    return Grid(
        [slot.start for slot in line], frozenset(s.start for s in line if s.reading), closed
    )


def _bookings_on_grid(
    conferences: Sequence[Conference], days: Sequence[date], slots: Sequence[time]
) -> dict[Booking, Conference]:
    """Booked conferences that sit exactly on one of the block's slots, as solver bookings.

    The teacher's own bookings are `fixed`; the scheduler's may be moved.
    """
    on_days = set(days)
    found: dict[Booking, Conference] = {}
    used: set[tuple[date, int]] = set()
    for conference in conferences:
        assert conference.scheduled_for is not None
        local = timezone.localtime(conference.scheduled_for)
        day, at = local.date(), local.time().replace(second=0, microsecond=0)
        if day not in on_days:
            continue
        # A booking off the slot times (10:12) holds the slot it overlaps.
        i = _slot_holding(at, slots)
        if i is None or (day, i) in used:
            continue
        used.add((day, i))
        slot = Slot(day, i, slots[i])
        found[Booking(conference.student_id, slot, fixed=not conference.planned)] = conference
    return found


def _slot_holding(at: time, slots: Sequence[time]) -> int | None:
    """The last slot starting at or before `at` (None before the first slot)."""
    holding = None
    for i, start in enumerate(slots):
        if start <= at:
            holding = i
    return holding


def _needs(classroom: Classroom, calendar: ClassCalendar) -> list[StudentNeed]:
    """One need per active student: when they are due, how often, their time away."""
    due = standings(classroom=classroom, calendar=calendar)
    return [
        StudentNeed(
            student_id=student_id,
            last_seen=standing.last_seen,
            weight=calendar.weight_of(student_id),
            unavailable=calendar.blocked_slots(student_id),
            due=standing.due,
        )
        for student_id, standing in sorted(due.items())
    ]


def expected_gap(*, classroom: Classroom) -> int:
    """The longest wait the class's block allows: the calendar's cycle (school days)."""
    return calendar_for(classroom=classroom).cycle_days()


@dataclass(frozen=True)
class Scheduled:
    plan: Plan
    days: list[date]
    created: int
    slots_per_day: int
    students: int
    cycle: int  # the calendar's cycle: the wait the block allows
    reasons: list[str]  # why the longest wait is above `cycle`, in plain words


@transaction.atomic
def schedule_class(
    *, teacher: User, classroom: Classroom, start: date, school_days: int = 10
) -> Scheduled:
    """Book every active student of the class into its slots for `school_days` school days.

    The scheduler's earlier plan from `start` on is replaced; bookings the teacher placed
    or moved by hand are kept exactly (those on a slot also hold that slot). Students are
    taken earliest due first (the class calendar). See `solver.schedule` for the guarantee
    on the longest gap between conferences.
    """
    calendar = calendar_for(classroom=classroom)
    days = calendar.school_days_from(start, school_days)
    grid = grid_for(calendar, days)
    slots = grid.starts
    needs = _needs(classroom, calendar)
    cycle = calendar.cycle_days()
    if not days or not slots:
        return Scheduled(Plan((), 0, 0, ()), days, 0, len(slots), len(needs), cycle, [])
    begin = _aware(days[0], time.min)
    end = _aware(days[-1], time.min) + timedelta(days=1)
    in_horizon = Conference.objects.filter(
        classroom=classroom, status=SCHEDULED, scheduled_for__gte=begin, scheduled_for__lt=end
    )
    in_horizon.filter(planned=True).delete()
    active = {need.student_id for need in needs}
    hand = [c for c in in_horizon.order_by("scheduled_for") if c.student_id in active]
    fixed = list(_bookings_on_grid(hand, days, slots))
    taken = {(b.slot.day, b.slot.index) for b in fixed}
    fixed += [p for p in grid.closed if (p.slot.day, p.slot.index) not in taken]
    plan = schedule(school_days=days, slot_starts=slots, students=needs, fixed=fixed)
    # Nobody is booked again on a day they were marked absent.
    away = {
        (c.student_id, timezone.localtime(c.scheduled_for).date())
        for c in Conference.objects.filter(
            classroom=classroom,
            status=Conference.Status.MISSED,
            scheduled_for__gte=begin,
            scheduled_for__lt=end,
        )
        if c.scheduled_for is not None
    }
    new = [
        Conference(
            classroom=classroom,
            student_id=booking.student_id,
            teacher=teacher,
            status=SCHEDULED,
            scheduled_for=_aware(booking.slot.day, booking.slot.start),
            planned=True,
            kind=(
                Conference.Kind.READING
                if booking.slot.start in grid.reading
                else Conference.Kind.WRITING
            ),
        )
        for booking in plan.bookings
        if not booking.fixed
        and booking.student_id != NO_SLOT
        and (booking.student_id, booking.slot.day) not in away
    ]
    Conference.objects.bulk_create(new)
    reasons = explain_wait(
        calendar=calendar,
        days=days,
        bookings=[b for b in plan.bookings if b.student_id != NO_SLOT],
        hand={b.student_id for b in fixed if b.student_id != NO_SLOT},
    )
    return Scheduled(plan, days, len(new), len(slots), len(needs), cycle, reasons)


def explain_wait(
    *,
    calendar: ClassCalendar,
    days: Sequence[date],
    bookings: Sequence[Booking],
    hand: Collection[int] = (),
) -> list[str]:
    """Why some student waits longer than the calendar's cycle, in plain words (empty when
    nobody does): short days, days off, time away, bookings by hand, "see more often"."""
    cycle = calendar.cycle_days()
    students = list(calendar.weights)
    if not days or not students or not cycle:
        return []
    worst = longest_gap(bookings, school_days=days, student_ids=students)
    if worst <= cycle:
        return []
    reasons = [
        f"The longest wait is {worst} school days, more than the {cycle} the writing block "
        "allows, because:"
    ]
    normal = calendar.slots_per_day()
    short = [d for d in days if len(calendar.slots_on(d)) < normal]
    if short:
        listed = ", ".join(
            f"{clock.day_text(d)} ({len(calendar.slots_on(d))} slots)" for d in short[:4]
        )
        reasons.append(f"short days hold fewer conferences: {listed}")
    first, last = days[0], days[-1]
    off = sorted(d for d in calendar.closed if first <= d <= last)
    if off:
        reasons.append(
            f"{len(off)} day{'s' if len(off) != 1 else ''} off ("
            + ", ".join(clock.day_text(d) for d in off[:4])
            + (", …" if len(off) > 4 else "")
            + ") stretch the waits in calendar days"
        )
    away = {a.student_id for a in calendar.away}
    if away:
        reasons.append(
            f"{len(away)} student{'s are' if len(away) != 1 else ' is'} away at some slot "
            "times every week, so fewer slots fit them"
        )
    if hand:
        reasons.append("bookings made by hand are kept where they are")
    if any(calendar.weight_of(s) > 1 for s in students):
        reasons.append("students seen more often take two turns in each round")
    if days[0] == timezone.localdate():
        reasons.append("today's slots that have begun cannot be booked")
    if len(reasons) == 1:
        reasons.append("the plan ahead is too short to fit everyone")
    return reasons


@dataclass(frozen=True)
class PlanAhead:
    """The bookings ahead as a plan: how long the longest wait is, and why."""

    days: list[date]
    longest_gap: int
    cycle: int
    reasons: list[str]


def plan_ahead(*, classroom: Classroom) -> PlanAhead:
    """The class's bookings from today to the last one booked, read as a plan."""
    calendar = calendar_for(classroom=classroom)
    today = timezone.localdate()
    booked = list(
        Conference.objects.filter(
            classroom=classroom, status=SCHEDULED, scheduled_for__gte=_aware(today, time.min)
        )
        .only("student_id", "scheduled_for", "planned")
        .order_by("scheduled_for")
    )
    if not booked:
        return PlanAhead([], 0, calendar.cycle_days(), [])
    assert booked[-1].scheduled_for is not None
    last = timezone.localtime(booked[-1].scheduled_for).date()
    days = [d for d in calendar.school_days_from(today, 400) if d <= last]
    line = [slot.start for slot in calendar.time_line()]
    bookings = list(_bookings_on_grid(booked, days, line))
    students = list(calendar.weights)
    gap = longest_gap(bookings, school_days=days, student_ids=students) if students else 0
    return PlanAhead(
        days,
        gap,
        calendar.cycle_days(),
        explain_wait(
            calendar=calendar,
            days=days,
            bookings=bookings,
            hand={b.student_id for b in bookings if b.fixed},
        ),
    )


@transaction.atomic
def replan_ahead(*, teacher: User, classroom: Classroom) -> Scheduled | None:
    """Plan again from today to the last day the scheduler had planned (None when it had
    planned nothing ahead), so a change of rhythm shows in the bookings at once."""
    last = (
        Conference.objects.filter(
            classroom=classroom,
            status=SCHEDULED,
            planned=True,
            scheduled_for__gte=_aware(timezone.localdate(), time.min),
        )
        .order_by("-scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )
    if last is None:
        return None
    calendar = calendar_for(classroom=classroom)
    today = timezone.localdate()
    count = calendar.school_days_between(today, timezone.localtime(last).date()) + (
        1 if calendar.is_school_day(today) else 0
    )
    return schedule_class(
        teacher=teacher, classroom=classroom, start=today, school_days=max(1, count)
    )


@dataclass(frozen=True)
class Move:
    student: Student
    was: datetime
    now: datetime


@dataclass(frozen=True)
class Marked:
    """What marking a student absent did: the record to undo it, and who moved where."""

    absence: Absence | None
    moves: list[Move]


@transaction.atomic
def mark_absent(
    *,
    classroom: Classroom,
    student: Student,
    day: date | None = None,
    now: datetime | None = None,
    look_ahead: int = 20,
) -> Marked:
    """Move the student's booking today to the earliest free slot, shifting as few as can be.

    The student is seen again within the class's cycle whenever that can be done by moving
    others (the earliest free slot in the cycle first, else the shortest chain of moves),
    and only otherwise at the first free slot after it. The student is never dropped from
    the rotation. Nobody already seen (or being seen) today is called in again, and a slot
    whose time has passed is not given to anyone. Returns the absence (to undo it) and
    every booking that moved, the absent student's first.
    """
    now = timezone.localtime(now or timezone.now())
    day = day or now.date()
    calendar = calendar_for(classroom=classroom)
    cycle = max(1, calendar.cycle_days())
    days = calendar.school_days_from(day, max(look_ahead, 2 * cycle + 1))
    grid = grid_for(calendar, days, now=now)
    slots = grid.starts
    booked = list(
        Conference.objects.select_for_update()
        .filter(
            classroom=classroom,
            status=SCHEDULED,
            scheduled_for__gte=_aware(day, time.min),
        )
        .select_related("student")
        .order_by("scheduled_for")
    )
    on_grid = _bookings_on_grid(booked, days, slots)
    used = {b.slot for b in on_grid}
    placeholders = [p for p in grid.closed if p.slot not in used]
    theirs = [b for b in on_grid if b.student_id == student.pk and b.slot.day == day]
    if not theirs:
        return Marked(None, [])
    seen_today = set(
        Conference.objects.filter(
            classroom=classroom,
            status__in=[Conference.Status.HELD, Conference.Status.IN_PROGRESS],
            started_at__gte=_aware(day, time.min),
            started_at__lt=_aware(day, time.min) + timedelta(days=1),
        ).values_list("student_id", flat=True)
    )
    # Students already marked absent today cannot be called in early either.
    seen_today |= set(
        Conference.objects.filter(
            classroom=classroom,
            status=Conference.Status.MISSED,
            scheduled_for__gte=_aware(day, time.min),
            scheduled_for__lt=_aware(day, time.min) + timedelta(days=1),
        ).values_list("student_id", flat=True)
    )
    slot_time = _aware(day, theirs[0].slot.start)
    _, moves = reschedule_absent(
        plan_bookings=[*on_grid, *placeholders],
        absent_student=student.pk,
        day=day,
        students=_needs(classroom, calendar),
        school_days=days,
        slot_starts=slots,
        absent_today=seen_today,
        reuse_vacated=slot_time > now,
        within=cycle,
    )
    by_slot = {(b.student_id, b.slot): c for b, c in on_grid.items()}
    # The absence itself is kept: a missed conference at the time the student was due.
    missed = Conference.objects.create(
        classroom=classroom,
        student=student,
        status=Conference.Status.MISSED,
        scheduled_for=slot_time,
        kind=by_slot[(student.pk, theirs[0].slot)].kind,
    )
    moved: list[Move] = []
    record = []
    for student_id, was, to in moves:
        conference = by_slot[(student_id, was)]
        record.append(
            {
                "conference": str(conference.pk),
                "was": _aware(was.day, was.start).isoformat(),
                "now": _aware(to.day, to.start).isoformat(),
                "kind": conference.kind,
                "planned": conference.planned,
            }
        )
        conference.scheduled_for = _aware(to.day, to.start)
        conference.kind = (
            Conference.Kind.READING if to.start in grid.reading else Conference.Kind.WRITING
        )
        if student_id == student.pk:
            # Re-planning must not book them back into the day they are away.
            conference.planned = False
        conference.save(update_fields=["scheduled_for", "kind", "planned", "updated_at"])
        moved.append(Move(conference.student, _aware(was.day, was.start), conference.scheduled_for))
    moved.sort(key=lambda m: m.student.pk != student.pk)
    absence = Absence.objects.create(
        classroom=classroom, student=student, missed=missed, moves=record
    )
    return Marked(absence, moved)


class UndoRefused(Exception):
    """An absence that can no longer be undone; the message says why."""


@transaction.atomic
def undo_absence(*, absence: Absence) -> list[Move]:
    """Put back every booking the absence moved and forget the missed conference.

    Refused (UndoRefused, nothing changed) when a moved booking has been held, moved or
    removed since, or its old time has been taken.
    """
    ids = [uuid.UUID(m["conference"]) for m in absence.moves]
    conferences = {
        c.pk: c
        for c in Conference.objects.select_for_update().filter(pk__in=ids).select_related("student")
    }
    moving = set(ids)
    back: list[Move] = []
    for entry in absence.moves:
        conference = conferences.get(uuid.UUID(entry["conference"]))
        was = datetime.fromisoformat(entry["was"])
        now = datetime.fromisoformat(entry["now"])
        if conference is None or conference.status != SCHEDULED or conference.scheduled_for != now:
            raise UndoRefused(
                "A conference moved for this absence has changed since; move it by hand."
            )
        if (
            Conference.objects.filter(
                classroom=absence.classroom_id, status=SCHEDULED, scheduled_for=was
            )
            .exclude(pk__in=moving)
            .exists()
        ):
            raise UndoRefused(
                f"{clock.when_text(timezone.localtime(was))} has been booked since; move the "
                "conference by hand."
            )
        back.append(Move(conference.student, now, was))
    for entry in absence.moves:
        conference = conferences[uuid.UUID(entry["conference"])]
        conference.scheduled_for = datetime.fromisoformat(entry["was"])
        conference.kind = entry.get("kind", conference.kind)
        conference.planned = entry.get("planned", conference.planned)
        conference.save(update_fields=["scheduled_for", "kind", "planned", "updated_at"])
    absence.missed.delete()  # the absence record goes with it (cascade)
    return back


def absences_on(*, classroom: Classroom, day: date) -> list[Absence]:
    """The absences marked in the class on `day`, latest first (for their Undo buttons)."""
    start = _aware(day, time.min)
    return list(
        Absence.objects.filter(
            classroom=classroom, marked_at__gte=start, marked_at__lt=start + timedelta(days=1)
        ).select_related("student", "missed")
    )


def next_group_slot(*, classroom: Classroom, after: datetime | None = None) -> datetime | None:
    """The first small-group slot after `after` on a school day that no group has taken."""
    calendar = calendar_for(classroom=classroom)
    after = timezone.localtime(after or timezone.now())
    taken = set(
        GroupAppointment.objects.filter(
            group__classroom=classroom, scheduled_for__gte=after
        ).values_list("scheduled_for", flat=True)
    )
    for day in calendar.school_days_from(after.date(), 60):
        for start in calendar.group_slots_on(day):
            at = _aware(day, start)
            if at > after and at not in taken:
                return at
    return None


def group_slot_problem(*, classroom: Classroom, at: datetime) -> str:
    """Why `at` cannot hold a small group, in plain words ("" when it can)."""
    calendar = calendar_for(classroom=classroom)
    local = wall(at)
    if at <= timezone.now():
        return "Choose a time that has not passed yet."
    if local - wall(timezone.now()) > timedelta(days=400):
        return "Choose a day within the coming school year."
    if not calendar.is_school_day(local.date()):
        return calendar.why_not_a_school_day(local.date())
    starts = calendar.group_slots_on(local.date())
    if local.time().replace(second=0, microsecond=0) not in starts:
        times = ", ".join(clock.time_text(s) for s in starts) or "none that day"
        return f"Small groups meet at the group slot times ({times})."
    if GroupAppointment.objects.filter(group__classroom=classroom, scheduled_for=at).exists():
        return "Another group is booked then."
    return ""


@transaction.atomic
def book_small_group(*, group: SmallGroup, at: datetime) -> GroupAppointment:
    """Book the whole group as one appointment."""
    return GroupAppointment.objects.create(group=group, scheduled_for=at)


@transaction.atomic
def book_small_groups(
    *, classroom: Classroom, groups: Sequence[SmallGroup]
) -> list[GroupAppointment]:
    """Book each group once, in turn, into the class's next free small-group slots.

    Stops when the slots of the next 60 school days run out; returns the bookings made.
    """
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    booked = []
    for group in groups:
        at = next_group_slot(classroom=classroom)
        if at is None:
            break
        booked.append(book_small_group(group=group, at=at))
    return booked


@transaction.atomic
def fit_to_calendar(
    *, teacher: User, classroom: Classroom, days: Sequence[date]
) -> list[Conference]:
    """After days off or short days were saved: plan the scheduler's bookings again around
    them, and return the bookings made by hand that no longer fit (on a day off, or past a
    short day's end), for the teacher to move."""
    replan_ahead(teacher=teacher, classroom=classroom)
    calendar = calendar_for(classroom=classroom)
    if not days:
        return []
    start, end = _aware(min(days), time.min), _aware(max(days), time.min) + timedelta(days=1)
    clashing = []
    for conference in (
        Conference.objects.filter(
            classroom=classroom, status=SCHEDULED, scheduled_for__gte=start, scheduled_for__lt=end
        )
        .select_related("student")
        .order_by("scheduled_for")
    ):
        assert conference.scheduled_for is not None
        local = wall(conference.scheduled_for)
        if local.date() not in days:
            continue
        ends = calendar.block_end_on(local.date())
        if ends is None or (local + calendar.length).time() > ends:
            clashing.append(conference)
    return clashing


def next_meeting_of(*, group_conference: GroupConference) -> datetime | None:
    """The group's next booked meeting after this conference (None when there is none)."""
    if group_conference.group_id is None:
        return None
    return (
        GroupAppointment.objects.filter(
            group_id=group_conference.group_id, scheduled_for__gte=timezone.now()
        )
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )


def student_bookings_ahead(*, classroom: Classroom, student: Student) -> list[datetime]:
    """The student's booked conferences from today on, in time order."""
    return [
        at
        for at in Conference.objects.filter(
            classroom=classroom,
            student=student,
            status=SCHEDULED,
            scheduled_for__gte=_aware(timezone.localdate(), time.min),
        )
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        if at is not None
    ]
