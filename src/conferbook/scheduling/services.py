"""Writes for scheduling: planning a class's conferences and moving absent students.

The database side of the scheduler: it reads the class (writing days, slots, students,
last conferences, bookings the teacher placed by hand), hands plain values to
`solver.schedule` / `solver.reschedule_absent`, and writes the result back as booked
conferences. Bookings the scheduler made are `planned` and may be re-planned; the
teacher's own bookings are kept exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.conferences.models import Conference
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in
from conferbook.scheduling.solver import (
    Booking,
    Plan,
    Slot,
    StudentNeed,
    reschedule_absent,
    schedule,
)

SCHEDULED = Conference.Status.SCHEDULED


def writing_days_from(*, classroom: Classroom, start: date, count: int) -> list[date]:
    """The next `count` writing days of the class from `start` (included)."""
    weekdays = classroom.weekdays
    if not weekdays:
        return []
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _bookings_on_grid(
    conferences: Sequence[Conference], days: Sequence[date], slots: Sequence[time]
) -> dict[Booking, Conference]:
    """Booked conferences that sit exactly on one of the block's slots, as solver bookings.

    The teacher's own bookings are `fixed`; the scheduler's may be moved.
    """
    index = {start: i for i, start in enumerate(slots)}
    on_days = set(days)
    found: dict[Booking, Conference] = {}
    used: set[tuple[date, int]] = set()
    for conference in conferences:
        assert conference.scheduled_for is not None
        local = timezone.localtime(conference.scheduled_for)
        day, at = local.date(), local.time().replace(second=0, microsecond=0)
        if day in on_days and at in index and (day, index[at]) not in used:
            used.add((day, index[at]))
            slot = Slot(day, index[at], at)
            booking = Booking(conference.student_id, slot, fixed=not conference.planned)
            found[booking] = conference
    return found


def _needs(classroom: Classroom) -> list[StudentNeed]:
    """One need per active student: when they were last seen in this class."""
    students = students_in(classroom=classroom).annotate(
        last_held=Max(
            "conferences__ended_at",
            filter=Q(conferences__status=Conference.Status.HELD, conferences__classroom=classroom),
        )
    )
    return [
        StudentNeed(
            student_id=s.pk,
            last_seen=timezone.localtime(s.last_held).date() if s.last_held else None,  # type: ignore[attr-defined]
        )
        for s in students
    ]


@dataclass(frozen=True)
class Scheduled:
    plan: Plan
    days: list[date]
    created: int
    slots_per_day: int
    students: int


@transaction.atomic
def schedule_class(
    *, teacher: User, classroom: Classroom, start: date, school_days: int = 10
) -> Scheduled:
    """Book every active student of the class into its slots for `school_days` writing days.

    The scheduler's earlier plan from `start` on is replaced; bookings the teacher placed
    or moved by hand are kept exactly (those on a slot also hold that slot). See
    `solver.schedule` for the guarantee on the longest gap between conferences.
    """
    days = writing_days_from(classroom=classroom, start=start, count=school_days)
    slots = classroom.slot_times()
    needs = _needs(classroom)
    if not days or not slots:
        return Scheduled(Plan((), 0, 0, ()), days, 0, len(slots), len(needs))
    begin = _aware(days[0], time.min)
    end = _aware(days[-1], time.min) + timedelta(days=1)
    in_horizon = Conference.objects.filter(
        classroom=classroom, status=SCHEDULED, scheduled_for__gte=begin, scheduled_for__lt=end
    )
    in_horizon.filter(planned=True).delete()
    active = {need.student_id for need in needs}
    hand = [c for c in in_horizon.order_by("scheduled_for") if c.student_id in active]
    fixed = list(_bookings_on_grid(hand, days, slots))
    plan = schedule(school_days=days, slot_starts=slots, students=needs, fixed=fixed)
    new = [
        Conference(
            classroom=classroom,
            student_id=booking.student_id,
            teacher=teacher,
            status=SCHEDULED,
            scheduled_for=_aware(booking.slot.day, booking.slot.start),
            planned=True,
        )
        for booking in plan.bookings
        if not booking.fixed
    ]
    Conference.objects.bulk_create(new)
    return Scheduled(plan, days, len(new), len(slots), len(needs))


@dataclass(frozen=True)
class Move:
    student: Student
    was: datetime
    now: datetime


@transaction.atomic
def mark_absent(
    *, classroom: Classroom, student: Student, day: date | None = None, look_ahead: int = 20
) -> list[Move]:
    """Move the student's booking today to the earliest free slot, shifting as few as can be.

    The student is never dropped from the rotation. Returns every booking that moved (the
    absent student's first), for the page to say who moved.
    """
    day = day or timezone.localdate()
    days = writing_days_from(classroom=classroom, start=day, count=look_ahead)
    slots = classroom.slot_times()
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
    if not any(b.student_id == student.pk and b.slot.day == day for b in on_grid):
        return []
    _, moves = reschedule_absent(
        plan_bookings=list(on_grid),
        absent_student=student.pk,
        day=day,
        students=_needs(classroom),
        school_days=days,
        slot_starts=slots,
    )
    by_slot = {(b.student_id, b.slot): c for b, c in on_grid.items()}
    moved: list[Move] = []
    for student_id, was, to in moves:
        conference = by_slot[(student_id, was)]
        conference.scheduled_for = _aware(to.day, to.start)
        conference.save(update_fields=["scheduled_for", "updated_at"])
        moved.append(Move(conference.student, _aware(was.day, was.start), conference.scheduled_for))
    moved.sort(key=lambda m: m.student.pk != student.pk)
    return moved
