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
from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in
from conferbook.scheduling.models import GroupAppointment, Rhythm, SchoolDay, Unavailability
from conferbook.scheduling.solver import (
    Booking,
    Plan,
    Slot,
    StudentNeed,
    lower_bound_gap,
    reschedule_absent,
    schedule,
)

SCHEDULED = Conference.Status.SCHEDULED


# The student id of a placeholder booking that holds a slot a shortened day does not have.
NO_SLOT = -1


def writing_days_from(*, classroom: Classroom, start: date, count: int) -> list[date]:
    """The next `count` school days with a writing or reading block, closed days skipped."""
    weekdays = classroom.school_weekdays
    if not weekdays:
        return []
    closed = set(
        SchoolDay.objects.filter(classroom=classroom, closed=True, day__gte=start).values_list(
            "day", flat=True
        )
    )
    days: list[date] = []
    day = start
    while len(days) < count and day < start + timedelta(days=count * 7 + 366):
        if day.weekday() in weekdays and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Grid:
    """The slots of every school day on one time line, as the solver needs them.

    Writing and reading slots share the rotation; `reading` says which starts are in the
    reading block, and `closed` holds placeholders for the slots a given day lacks (a
    writing slot on a reading-only day, the end of a shortened day).
    """

    starts: list[time]
    reading: frozenset[time]
    closed: list[Booking]


def grid_for(classroom: Classroom, days: Sequence[date]) -> Grid:
    writing = classroom.slot_times()
    reading = [t for t in classroom.reading_slot_times() if t not in writing]
    starts = sorted([*writing, *reading])
    writing_days, reading_days = set(classroom.weekdays), set(classroom.reading_weekdays)
    closed = [
        Booking(NO_SLOT, Slot(day, i, start), fixed=True)
        for day in days
        for i, start in enumerate(starts)
        if (start in reading and day.weekday() not in reading_days)
        or (start not in reading and day.weekday() not in writing_days)
    ]
    now = timezone.localtime()
    closed += [
        Booking(NO_SLOT, Slot(day, i, start), fixed=True)
        for day in days
        if day == now.date()
        for i, start in enumerate(starts)
        if start <= now.time()  # today's slots that have begun are gone
    ]
    closed += _shortened(classroom, days, starts)
    unique: dict[tuple[date, int], Booking] = {}
    for booking in closed:
        unique.setdefault((booking.slot.day, booking.slot.index), booking)
    return Grid(starts, frozenset(reading), list(unique.values()))


def _shortened(classroom: Classroom, days: Sequence[date], slots: Sequence[time]) -> list[Booking]:
    """Placeholder bookings for the slots that end after a shortened day's block ends."""
    length = timedelta(minutes=classroom.conference_minutes)
    placeholders = []
    for school_day in SchoolDay.objects.filter(
        classroom=classroom, closed=False, day__in=list(days), ends_at__isnull=False
    ):
        assert school_day.ends_at is not None
        for i, start in enumerate(slots):
            if (datetime.combine(school_day.day, start) + length).time() > school_day.ends_at:
                placeholders.append(Booking(NO_SLOT, Slot(school_day.day, i, start), fixed=True))
    return placeholders


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


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


def _needs(classroom: Classroom, slots: Sequence[time]) -> list[StudentNeed]:
    """One need per active student: last seen in this class, how often, when never."""
    students = students_in(classroom=classroom).annotate(
        last_held=Max(
            "conferences__ended_at",
            filter=Q(conferences__status=Conference.Status.HELD, conferences__classroom=classroom),
        )
    )
    more_often = set(
        Rhythm.objects.filter(classroom=classroom, see_more_often=True).values_list(
            "student_id", flat=True
        )
    )
    blocked: dict[int, set[tuple[int, int]]] = {}
    length = timedelta(minutes=classroom.conference_minutes)
    for away in Unavailability.objects.filter(classroom=classroom):
        for i, start in enumerate(slots):
            end = (datetime.combine(date.min, start) + length).time()
            if start < away.end and away.start < end:  # the slot overlaps the time away
                blocked.setdefault(away.student_id, set()).add((away.weekday, i))
    return [
        StudentNeed(
            student_id=s.pk,
            last_seen=timezone.localtime(s.last_held).date() if s.last_held else None,  # type: ignore[attr-defined]
            weight=2 if s.pk in more_often else 1,
            unavailable=frozenset(blocked.get(s.pk, ())),
        )
        for s in students
    ]


def expected_gap(*, classroom: Classroom, school_days: int = 10) -> int:
    """The longest wait the scheduler guarantees from today, as `solver.schedule` counts it.

    ceil(sum of weights / slots of the day's time line): "see more often" students count
    twice, and reading slots join the writing ones.
    """
    days = writing_days_from(classroom=classroom, start=timezone.localdate(), count=school_days)
    grid = grid_for(classroom, days)
    needs = _needs(classroom, grid.starts)
    return lower_bound_gap(sum(need.weight for need in needs), len(grid.starts))


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
    grid = grid_for(classroom, days)
    slots = grid.starts
    needs = _needs(classroom, slots)
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
    return Scheduled(plan, days, len(new), len(slots), len(needs))


@dataclass(frozen=True)
class Move:
    student: Student
    was: datetime
    now: datetime


@transaction.atomic
def mark_absent(
    *,
    classroom: Classroom,
    student: Student,
    day: date | None = None,
    now: datetime | None = None,
    look_ahead: int = 20,
) -> list[Move]:
    """Move the student's booking today to the earliest free slot, shifting as few as can be.

    The student is never dropped from the rotation. Nobody already seen (or being seen)
    today is called in again, and a slot whose time has passed is not given to anyone.
    Returns every booking that moved (the absent student's first), for the page to say
    who moved.
    """
    now = timezone.localtime(now or timezone.now())
    day = day or now.date()
    days = writing_days_from(classroom=classroom, start=day, count=look_ahead)
    grid = grid_for(classroom, days)
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
        return []
    seen_today = set(
        Conference.objects.filter(
            classroom=classroom,
            status__in=[Conference.Status.HELD, Conference.Status.IN_PROGRESS],
            started_at__date=day,
        ).values_list("student_id", flat=True)
    )
    # Students already marked absent today cannot be called in early either.
    seen_today |= set(
        Conference.objects.filter(
            classroom=classroom, status=Conference.Status.MISSED, scheduled_for__date=day
        ).values_list("student_id", flat=True)
    )
    slot_time = _aware(day, theirs[0].slot.start)
    _, moves = reschedule_absent(
        plan_bookings=[*on_grid, *placeholders],
        absent_student=student.pk,
        day=day,
        students=_needs(classroom, slots),
        school_days=days,
        slot_starts=slots,
        absent_today=seen_today,
        reuse_vacated=slot_time > now,
    )
    by_slot = {(b.student_id, b.slot): c for b, c in on_grid.items()}
    # The absence itself is kept: a missed conference at the time the student was due.
    Conference.objects.create(
        classroom=classroom,
        student=student,
        status=Conference.Status.MISSED,
        scheduled_for=slot_time,
        kind=by_slot[(student.pk, theirs[0].slot)].kind,
    )
    moved: list[Move] = []
    for student_id, was, to in moves:
        conference = by_slot[(student_id, was)]
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
    return moved


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


def next_group_slot(*, classroom: Classroom, after: datetime | None = None) -> datetime | None:
    """The first small-group slot after `after` on a school day that no group has taken."""
    starts = classroom.block.group_starts()
    if not starts:
        return None
    after = timezone.localtime(after or timezone.now())
    taken = set(
        GroupAppointment.objects.filter(
            group__classroom=classroom, scheduled_for__gte=after
        ).values_list("scheduled_for", flat=True)
    )
    for day in writing_days_from(classroom=classroom, start=after.date(), count=60):
        if day.weekday() not in classroom.weekdays:
            continue
        for start in starts:
            at = _aware(day, start)
            if at > after and at not in taken:
                return at
    return None


def group_slot_problem(*, classroom: Classroom, at: datetime) -> str:
    """Why `at` cannot hold a small group, in plain words ("" when it can)."""
    local = timezone.localtime(at)
    if at <= timezone.now():
        return "Choose a time that has not passed yet."
    if (
        local.weekday() not in classroom.weekdays
        or SchoolDay.objects.filter(classroom=classroom, day=local.date(), closed=True).exists()
    ):
        return "That day has no writing block."
    starts = classroom.block.group_starts()
    if local.time().replace(second=0, microsecond=0) not in starts:
        times = ", ".join(f"{s:%H:%M}" for s in starts) or "none yet"
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
