"""The scheduler's promises, checked on random classes, blocks, calendars and absences.

Plain pytest and hypothesis: the solver is pure Python, so no database is touched. Every
claim in the module docstring of `conferbook.scheduling.solver` has a test here; the
checks recompute what they need (windows, gaps, free slots) independently of the solver.
"""

from __future__ import annotations

import ast
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from conferbook.scheduling import solver
from conferbook.scheduling.solver import (
    Booking,
    Plan,
    Slot,
    StudentNeed,
    longest_gap,
    lower_bound_gap,
    reschedule_absent,
    round_robin_baseline,
    schedule,
)

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONDAY = date(2031, 1, 6)


# --- building random inputs -------------------------------------------------------------


def slot_starts(count: int) -> list[time]:
    first = datetime.combine(MONDAY, time(9, 30))
    return [(first + timedelta(minutes=5 * i)).time() for i in range(count)]


@st.composite
def calendars(draw: st.DrawFn, *, min_days: int = 1, max_days: int = 40) -> list[date]:
    """School days with writing time: some weekdays, minus random holidays and breaks."""
    weekdays = draw(st.sets(st.integers(0, 4), min_size=1))
    holidays = draw(st.sets(st.integers(0, 150), max_size=20))
    count = draw(st.integers(min_days, max_days))
    days: list[date] = []
    offset = 0
    while len(days) < count:
        day = MONDAY + timedelta(days=offset)
        if day.weekday() in weekdays and offset not in holidays:
            days.append(day)
        offset += 1
    return days


@st.composite
def classes(
    draw: st.DrawFn,
    *,
    weights: Sequence[int] = (1,),
    pull_outs: bool = False,
    min_days: int = 1,
) -> tuple[list[date], list[time], list[StudentNeed], int]:
    """(school_days, slot_starts, students, today_index) of a random class."""
    days = draw(calendars(min_days=min_days))
    today_index = draw(st.integers(0, min(3, len(days) - 1)))
    slots = slot_starts(draw(st.integers(1, 12)))
    count = draw(st.integers(1, 40))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    students = []
    for sid in ids:
        seen = draw(st.one_of(st.none(), st.dates(date(2030, 9, 1), MONDAY - timedelta(1))))
        weight = draw(st.sampled_from(weights))
        blocked: frozenset[tuple[int, int]] = frozenset()
        if pull_outs and draw(st.booleans()):
            blocked = frozenset(
                draw(
                    st.sets(
                        st.tuples(st.integers(0, 4), st.integers(0, len(slots) - 1)), max_size=8
                    )
                )
            )
        students.append(StudentNeed(sid, seen, weight=weight, unavailable=blocked))
    return days, slots, students, today_index


@st.composite
def fixed_bookings(
    draw: st.DrawFn, days: list[date], slots: list[time], students: list[StudentNeed]
) -> list[Booking]:
    """Appointments placed by hand: distinct slots, known (and one unknown) students."""
    cells = draw(
        st.lists(
            st.tuples(st.integers(0, len(days) - 1), st.integers(0, len(slots) - 1)),
            max_size=min(15, len(days) * len(slots)),
            unique=True,
        )
    )
    ids = [s.student_id for s in students] + [99_999]
    return [
        Booking(draw(st.sampled_from(ids)), Slot(days[d], i, slots[i]), fixed=True)
        for d, i in cells
    ]


# --- independent checks ------------------------------------------------------------------


def horizon_days(days: list[date], today_index: int) -> list[date]:
    return days[today_index:]


def booked_days(plan_bookings: Sequence[Booking], sid: int, horizon: list[date]) -> list[int]:
    position = {day: i for i, day in enumerate(horizon)}
    return sorted(
        {
            position[b.slot.day]
            for b in plan_bookings
            if b.student_id == sid and b.slot.day in position
        }
    )


def seen_in_every_window(seen: list[int], length: int, horizon: int) -> bool:
    """Booked at least once in every run of `length` consecutive horizon days."""
    marks = set(seen)
    return all(
        any(day in marks for day in range(start, start + length))
        for start in range(horizon - length + 1)
    )


def gap_of(seen: list[int], horizon: int) -> int:
    stops = [-1, *seen, horizon]
    return max(b - a for a, b in itertools.pairwise(stops))


def ranked(students: Sequence[StudentNeed]) -> list[int]:
    never = sorted(s.student_id for s in students if s.last_seen is None)
    seen = sorted((s.last_seen, s.student_id) for s in students if s.last_seen is not None)
    return never + [sid for _, sid in seen]


def assert_plan_keeps_the_rules(
    plan: Plan,
    *,
    days: list[date],
    slots: list[time],
    students: Sequence[StudentNeed],
    fixed: Sequence[Booking] = (),
    today_index: int = 0,
) -> None:
    needs = {s.student_id: s for s in students}
    keys = [(b.slot.day, b.slot.index) for b in plan.bookings]
    assert len(keys) == len(set(keys)), "a slot is double-booked"
    assert keys == sorted(keys), "bookings are not in (day, index) order"
    assert set(fixed) <= set(plan.bookings), "a hand-placed booking was changed or lost"
    new = [b for b in plan.bookings if b not in set(fixed)]
    assert len(new) + len(fixed) == len(plan.bookings)
    fixed_days = {(b.student_id, b.slot.day) for b in fixed}
    per_day = Counter((b.student_id, b.slot.day) for b in new)
    for booking in new:
        slot = booking.slot
        assert not booking.fixed
        assert slot.day in days[today_index:], "booked outside the horizon's school days"
        assert 0 <= slot.index < len(slots) and slot.start == slots[slot.index]
        assert booking.student_id in needs
        weekday_slot = (slot.day.weekday(), slot.index)
        assert weekday_slot not in needs[booking.student_id].unavailable, "pull-out booked"
        assert per_day[(booking.student_id, slot.day)] == 1, "two conferences on one day"
        assert (booking.student_id, slot.day) not in fixed_days
    horizon = horizon_days(days, today_index)
    seen_ids = {b.student_id for b in plan.bookings if b.slot.day in set(horizon)}
    assert set(plan.unbooked) == {sid for sid in needs if sid not in seen_ids}
    assert plan.lower_bound == lower_bound_gap(sum(s.weight for s in students), len(slots))
    expected_gap = max(
        (gap_of(booked_days(plan.bookings, sid, horizon), len(horizon)) for sid in needs),
        default=0,
    )
    assert plan.longest_gap == expected_gap


# --- constraints, on any input -----------------------------------------------------------


@BOUNDED
@given(data=st.data(), case=classes(weights=(1, 1, 2, 3), pull_outs=True))
def test_every_plan_keeps_the_rules(data: st.DataObject, case) -> None:
    days, slots, students, today_index = case
    fixed = data.draw(fixed_bookings(days, slots, students))
    plan = schedule(
        school_days=days,
        slot_starts=slots,
        students=students,
        fixed=fixed,
        today_index=today_index,
    )
    assert_plan_keeps_the_rules(
        plan, days=days, slots=slots, students=students, fixed=fixed, today_index=today_index
    )


@BOUNDED
@given(case=classes(weights=(1, 2), pull_outs=True))
def test_a_slot_is_left_empty_only_when_nobody_could_take_it(case) -> None:
    days, slots, students, today_index = case
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    taken = {(b.slot.day, b.slot.index) for b in plan.bookings}
    booked_on = {(b.student_id, b.slot.day) for b in plan.bookings}
    for day in days[today_index:]:
        for index in range(len(slots)):
            if (day, index) in taken:
                continue
            for need in students:
                assert (need.student_id, day) in booked_on or (
                    day.weekday(),
                    index,
                ) in need.unavailable, f"{need.student_id} could have had {day} #{index}"


@BOUNDED
@given(case=classes(pull_outs=True))
def test_nothing_new_is_booked_before_today(case) -> None:
    days, slots, students, today_index = case
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    assert all(b.slot.day >= days[today_index] for b in plan.bookings)


# --- the guarantee -----------------------------------------------------------------------


@BOUNDED
@given(case=classes())
def test_with_no_constraints_everyone_is_seen_in_every_window_of_the_lower_bound(case) -> None:
    days, slots, students, today_index = case
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    assert_plan_keeps_the_rules(
        plan, days=days, slots=slots, students=students, today_index=today_index
    )
    horizon = len(days) - today_index
    bound = math.ceil(len(students) / len(slots))
    assert plan.lower_bound == bound == lower_bound_gap(len(students), len(slots))
    assert plan.longest_gap == min(bound, horizon + 1)
    for need in students:
        seen = booked_days(plan.bookings, need.student_id, days[today_index:])
        assert seen_in_every_window(seen, bound, horizon), need
    if horizon >= bound:
        assert plan.longest_gap == bound
        assert plan.unbooked == ()


@BOUNDED
@given(case=classes())
def test_the_most_overdue_students_are_booked_first(case) -> None:
    days, slots, students, today_index = case
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    first_round = [b.student_id for b in plan.bookings][: len(students)]
    assert first_round == ranked(students)[: len(first_round)]


@BOUNDED
@given(case=classes(weights=(1, 1, 2, 3)))
def test_with_weights_weight_one_students_keep_the_weighted_bound(case) -> None:
    days, slots, students, today_index = case
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    horizon = len(days) - today_index
    bound = math.ceil(sum(s.weight for s in students) / len(slots))
    assert plan.lower_bound == bound
    assert plan.longest_gap <= min(bound, horizon + 1)
    for need in students:
        seen = booked_days(plan.bookings, need.student_id, days[today_index:])
        if need.weight == 1:
            assert seen_in_every_window(seen, bound, horizon), need


@BOUNDED
@given(case=classes(weights=(1, 1, 2)))
def test_students_seen_more_often_get_about_twice_as_many_conferences(case) -> None:
    days, slots, students, today_index = case
    assume({s.weight for s in students} == {1, 2})
    plan = schedule(school_days=days, slot_starts=slots, students=students, today_index=today_index)
    horizon = len(days) - today_index
    per_day = len(slots)
    total = sum(s.weight for s in students)
    bound = math.ceil(total / per_day)
    count = Counter(b.student_id for b in plan.bookings)
    ones = [count[s.student_id] for s in students if s.weight == 1]
    twos = [count[s.student_id] for s in students if s.weight == 2]
    event("full block" if 2 * per_day <= total else "roomy block")
    if 2 * per_day <= total:
        for c2 in twos:
            assert 2 * max(ones) - 3 <= c2 <= 2 * min(ones) + 2
            if horizon >= 2 * bound:
                assert c2 >= max(ones)
    else:  # twice the share would be more than one conference a day
        assert min(twos) >= horizon - (bound - 1)


def test_weight_two_over_a_school_year_is_twice_weight_one() -> None:
    days = school_weeks(36)
    students = [StudentNeed(i, None, weight=2 if i % 5 == 0 else 1) for i in range(29)]
    plan = schedule(school_days=days, slot_starts=slot_starts(6), students=students)
    count = Counter(b.student_id for b in plan.bookings)
    ones = {count[s.student_id] for s in students if s.weight == 1}
    twos = {count[s.student_id] for s in students if s.weight == 2}
    assert max(twos) <= 2 * min(ones) + 2 and min(twos) >= 2 * max(ones) - 3
    assert plan.longest_gap <= plan.lower_bound == math.ceil(35 / 6)


# --- absences ----------------------------------------------------------------------------


def can_take(
    bookings: Sequence[Booking], need: StudentNeed | None, moving: Booking, slot: Slot
) -> bool:
    if need is not None and (slot.day.weekday(), slot.index) in need.unavailable:
        return False
    return not any(
        b.student_id == moving.student_id and b.slot.day == slot.day and b is not moving
        for b in bookings
    )


def grid(days: Sequence[date], slots: Sequence[time]) -> list[Slot]:
    return [Slot(d, i, start) for d in days for i, start in enumerate(slots)]


def free_slots_for(
    bookings: Sequence[Booking], absent: Booking, need: StudentNeed, days, slots
) -> list[Slot]:
    taken = {(b.slot.day, b.slot.index) for b in bookings}
    return [
        s
        for s in grid(days, slots)
        if s.day > absent.slot.day
        and (s.day, s.index) not in taken
        and can_take(bookings, need, absent, s)
    ]


def one_shift_exists(
    bookings: Sequence[Booking], absent: Booking, needs: dict[int, StudentNeed], days, slots
) -> bool:
    """Could the absent student take someone's slot and that someone a free one?"""
    taken = {(b.slot.day, b.slot.index): b for b in bookings}
    free = [absent.slot] + [s for s in grid(days, slots) if (s.day, s.index) not in taken]
    for other in bookings:
        if (
            other.fixed
            or other.student_id == absent.student_id
            or other.slot.day <= absent.slot.day
            or not can_take(bookings, needs[absent.student_id], absent, other.slot)
        ):
            continue
        for slot in free:
            later_or_vacated = slot.day > absent.slot.day or slot == absent.slot
            if later_or_vacated and can_take(bookings, needs.get(other.student_id), other, slot):
                return True
    return False


@st.composite
def absences(draw: st.DrawFn, *, holes: bool):
    """A plan (maybe with hand-placed bookings), then one booked student absent on a day.

    With `holes`, some bookings are taken off first (as if cancelled by hand), so free
    slots are scattered through the horizon.
    """
    days, slots, students, _ = draw(classes(weights=(1, 2), pull_outs=True, min_days=2))
    fixed = draw(fixed_bookings(days, slots, students))
    plan = schedule(school_days=days, slot_starts=slots, students=students, fixed=fixed)
    if holes:
        keep = draw(
            st.lists(st.booleans(), min_size=len(plan.bookings), max_size=len(plan.bookings))
        )
        kept = tuple(b for b, k in zip(plan.bookings, keep, strict=True) if k or b.fixed)
        plan = replace(plan, bookings=kept)
    known = {s.student_id for s in students}
    candidates = [b for b in plan.bookings if b.student_id in known and b.slot.day < days[-1]]
    assume(candidates)
    absent = draw(st.sampled_from(candidates))
    return days, slots, students, plan, absent


def check_absence(days, slots, students, plan: Plan, absent: Booking) -> None:
    needs = {s.student_id: s for s in students}
    need = needs[absent.student_id]
    before = list(plan.bookings)
    on_day = [
        b for b in before if b.student_id == absent.student_id and b.slot.day == absent.slot.day
    ]
    assume(len(on_day) == 1)  # hand-placed doubles on one day are a corner for another test
    direct = free_slots_for(before, absent, need, days, slots)
    shift = one_shift_exists(before, absent, needs, days, slots)
    after, moves = reschedule_absent(
        plan_bookings=before,
        absent_student=absent.student_id,
        day=absent.slot.day,
        students=students,
        school_days=days,
        slot_starts=slots,
    )
    # Never dropped, nobody lost, nothing double-booked.
    assert Counter(b.student_id for b in after) == Counter(b.student_id for b in before)
    keys = [(b.slot.day, b.slot.index) for b in after]
    assert len(keys) == len(set(keys)) and keys == sorted(keys)
    # The moves say exactly what changed.
    moved = Counter(b for b in before) - Counter(b for b in after)
    assert len(moved) == len(moves)
    for sid, old, new in moves:
        assert Booking(sid, new, False) in after or Booking(sid, new, True) in after
        assert new in grid(days, slots)
        assert (new.day.weekday(), new.index) not in needs[sid].unavailable
        assert sum(1 for b in after if b.student_id == sid and b.slot.day == new.day) == 1
        assert all(not b.fixed for b in moved if b.student_id != absent.student_id)
        assert old != new
    event("free slot" if direct else "one shift" if shift else f"{len(moves)} moves")
    if direct:
        # A free slot exists: the absent student takes the earliest; nobody else moves.
        assert moves == [(absent.student_id, absent.slot, direct[0])]
    elif shift:
        assert len(moves) == 2, "one other student had to move, no more"
        assert moves[0][0] == absent.student_id and moves[0][2].day > absent.slot.day
    elif moves:
        assert moves[0][0] == absent.student_id and moves[0][2].day > absent.slot.day
        assert len(moves) >= 3
    else:
        assert after == tuple(before), "no room at all: left as it was, not dropped"
    if moves:
        assert not any(b.student_id == absent.student_id and b.slot == absent.slot for b in after)


@BOUNDED
@given(case=absences(holes=True))
def test_an_absent_student_moves_to_the_earliest_free_slot(case) -> None:
    check_absence(*case)


@BOUNDED
@given(case=absences(holes=False))
def test_an_absent_student_is_never_dropped_and_few_others_move(case) -> None:
    check_absence(*case)


# --- worked examples ---------------------------------------------------------------------


def school_weeks(weeks: int, start: date = MONDAY) -> list[date]:
    return [start + timedelta(days=7 * w + d) for w in range(weeks) for d in range(5)]


@pytest.mark.parametrize(("students", "gap"), [(18, 3), (29, 5), (30, 5), (33, 6)])
def test_a_class_with_six_slots_a_day(students: int, gap: int) -> None:
    needs = [StudentNeed(i, None) for i in range(1, students + 1)]
    plan = schedule(school_days=school_weeks(4), slot_starts=slot_starts(6), students=needs)
    assert plan.lower_bound == gap == lower_bound_gap(students, 6)
    assert plan.longest_gap == gap
    assert plan.unbooked == ()
    count = Counter(b.student_id for b in plan.bookings)
    assert min(count.values()) >= 20 // gap  # 29 students: at least 4 times in 4 weeks
    assert max(count.values()) - min(count.values()) <= 1


def test_twenty_nine_students_six_slots_a_day_means_every_fifth_school_day() -> None:
    assert lower_bound_gap(29, 6) == 5
    assert lower_bound_gap(30, 6) == 5
    assert lower_bound_gap(31, 6) == 6
    assert lower_bound_gap(0, 6) == 0
    assert lower_bound_gap(29, 0) == 0


def test_a_student_never_seen_comes_before_one_seen_yesterday() -> None:
    needs = [
        StudentNeed(1, MONDAY - timedelta(1)),
        StudentNeed(2, None),
        StudentNeed(3, MONDAY - timedelta(30)),
    ]
    plan = schedule(school_days=[MONDAY], slot_starts=slot_starts(2), students=needs)
    assert [b.student_id for b in plan.bookings] == [2, 3]
    assert plan.unbooked == (1,)
    assert plan.longest_gap == 2  # student 1: not seen in a 1-day horizon


def test_a_weekly_pull_out_is_never_booked() -> None:
    needs = [StudentNeed(i, None) for i in range(12)]
    needs[0] = StudentNeed(0, None, unavailable=frozenset({(0, 0), (0, 1), (2, 0)}))
    plan = schedule(school_days=school_weeks(2), slot_starts=slot_starts(3), students=needs)
    for b in plan.bookings:
        if b.student_id == 0:
            assert (b.slot.day.weekday(), b.slot.index) not in needs[0].unavailable
    assert plan.unbooked == ()
    # Student 0 is first in line, so Monday seats them in the one slot they can take.
    monday = [b for b in plan.bookings if b.slot.day == MONDAY]
    assert [b.student_id for b in monday if b.slot.index == 2] == [0]


def test_hand_placed_appointments_are_kept_and_their_slots_not_reused() -> None:
    days = school_weeks(1)
    slots = slot_starts(2)
    needs = [StudentNeed(i, None) for i in range(4)]
    fixed = [Booking(3, Slot(days[0], 0, slots[0]), fixed=True)]
    plan = schedule(school_days=days, slot_starts=slots, students=needs, fixed=fixed)
    assert plan.bookings[0] == fixed[0]
    assert [b for b in plan.bookings if b.slot.day == days[0]][1].student_id == 0
    assert_plan_keeps_the_rules(plan, days=days, slots=slots, students=needs, fixed=fixed)


def test_a_booking_outside_the_block_is_refused() -> None:
    days = school_weeks(1)
    saturday = Booking(1, Slot(days[4] + timedelta(1), 0, slot_starts(1)[0]), fixed=True)
    with pytest.raises(ValueError, match="outside"):
        schedule(
            school_days=days,
            slot_starts=slot_starts(1),
            students=[StudentNeed(1, None)],
            fixed=[saturday],
        )
    with pytest.raises(ValueError, match="twice"):
        schedule(
            school_days=days,
            slot_starts=slot_starts(1),
            students=[StudentNeed(1, None), StudentNeed(1, None)],
        )
    with pytest.raises(ValueError, match="increasing"):
        schedule(school_days=days[::-1], slot_starts=slot_starts(1), students=[])


def test_a_pull_out_blocking_the_free_slot_shifts_one_student_within_their_day() -> None:
    days = school_weeks(1)[:2]
    slots = slot_starts(2)
    needs = [
        StudentNeed(0, None, unavailable=frozenset({(1, 1)})),  # pulled out Tuesdays 9:35
        StudentNeed(1, None),
        StudentNeed(2, None),
    ]
    bookings = [
        Booking(0, Slot(days[0], 0, slots[0])),
        Booking(1, Slot(days[0], 1, slots[1])),
        Booking(2, Slot(days[1], 0, slots[0])),
    ]  # Tuesday 9:35 is free, but not for student 0
    after, moves = reschedule_absent(
        plan_bookings=bookings,
        absent_student=0,
        day=days[0],
        students=needs,
        school_days=days,
        slot_starts=slots,
    )
    assert moves == [
        (0, bookings[0].slot, bookings[2].slot),
        (2, bookings[2].slot, Slot(days[1], 1, slots[1])),  # five minutes later, same day
    ]
    assert after == (bookings[1], Booking(0, bookings[2].slot), Booking(2, moves[1][2]))


def test_when_one_shift_is_not_enough_the_shortest_chain_moves() -> None:
    days = school_weeks(1)[:3]
    slots = slot_starts(2)
    needs = [
        StudentNeed(0, None, unavailable=frozenset({(1, 1), (2, 1)})),  # absent Monday
        StudentNeed(1, None, unavailable=frozenset({(2, 1)})),
        StudentNeed(2, None, unavailable=frozenset({(0, 0)})),
        StudentNeed(3, None, unavailable=frozenset({(0, 0), (2, 1)})),
    ]
    mon0, mon1, tue0, tue1, wed0, wed1 = grid(days, slots)
    bookings = [Booking(0, mon0), Booking(1, mon1), Booking(1, tue0), Booking(2, tue1)]
    bookings.append(Booking(3, wed0))  # Wednesday 9:35 is free, but only student 2 can take it
    after, moves = reschedule_absent(
        plan_bookings=bookings,
        absent_student=0,
        day=days[0],
        students=needs,
        school_days=days,
        slot_starts=slots,
    )
    assert moves == [(0, mon0, tue0), (1, tue0, tue1), (2, tue1, wed1)]
    assert after == (
        Booking(1, mon1),
        Booking(0, tue0),
        Booking(1, tue1),
        Booking(3, wed0),
        Booking(2, wed1),
    )


def test_a_student_already_seen_every_day_is_left_where_they_are() -> None:
    days = school_weeks(1)
    slots = slot_starts(3)
    needs = [StudentNeed(i, None) for i in range(2)]  # two students, seen daily
    plan = schedule(school_days=days, slot_starts=slots, students=needs)
    after, moves = reschedule_absent(
        plan_bookings=plan.bookings,
        absent_student=0,
        day=days[0],
        students=needs,
        school_days=days,
        slot_starts=slots,
    )
    assert moves == [] and after == plan.bookings


def test_an_absence_in_a_full_week_calls_the_next_student_early() -> None:
    days = school_weeks(1)
    slots = slot_starts(2)
    needs = [StudentNeed(i, None) for i in range(4)]  # exactly fills two slots a day
    plan = schedule(school_days=days, slot_starts=slots, students=needs)
    absent = plan.bookings[0]  # student 0, Monday 9:30
    after, moves = reschedule_absent(
        plan_bookings=plan.bookings,
        absent_student=absent.student_id,
        day=absent.slot.day,
        students=needs,
        school_days=days,
        slot_starts=slots,
    )
    # Tuesday 9:30 was student 2: they come now, and student 0 takes their Tuesday slot.
    assert moves == [
        (0, absent.slot, Slot(days[1], 0, slots[0])),
        (2, Slot(days[1], 0, slots[0]), absent.slot),
    ]
    assert len(after) == len(plan.bookings)
    # If student 2 is known to be away today too, student 3 is called in instead.
    _, moves = reschedule_absent(
        plan_bookings=plan.bookings,
        absent_student=absent.student_id,
        day=absent.slot.day,
        students=needs,
        school_days=days,
        slot_starts=slots,
        absent_today={2},
    )
    assert moves == [
        (0, absent.slot, Slot(days[1], 1, slots[1])),
        (3, Slot(days[1], 1, slots[1]), absent.slot),
    ]


def test_an_absence_with_a_free_slot_later_moves_only_the_absent_student() -> None:
    days = school_weeks(1)
    slots = slot_starts(2)
    needs = [StudentNeed(i, None) for i in range(4)]
    plan = schedule(school_days=days[:3], slot_starts=slots, students=needs)
    # Mon: 0, 1; Tue: 2, 3; Wed: 0, 1. Student 1 is absent on Monday, and their Wednesday
    # booking was taken off by hand, so Wednesday 9:35 is free.
    wednesday = [b for b in plan.bookings if b.slot.day == days[2]]
    assert [b.student_id for b in wednesday] == [0, 1]
    bookings = [b for b in plan.bookings if b != wednesday[1]]
    absent = bookings[1]
    assert absent.student_id == 1 and absent.slot.day == days[0]
    after, moves = reschedule_absent(
        plan_bookings=bookings,
        absent_student=absent.student_id,
        day=days[0],
        students=needs,
        school_days=days[:3],
        slot_starts=slots,
    )
    assert moves == [(absent.student_id, absent.slot, wednesday[1].slot)]
    assert len(after) == len(bookings)


# --- the baseline, the helpers and the module --------------------------------------------


@BOUNDED
@given(case=classes(weights=(1, 2), pull_outs=True))
def test_the_round_robin_baseline_is_a_valid_naive_plan(case) -> None:
    days, slots, students, _ = case
    bookings = round_robin_baseline(school_days=days, slot_starts=slots, students=students)
    keys = [(b.slot.day, b.slot.index) for b in bookings]
    assert len(keys) == len(set(keys)) and keys == sorted(keys)
    needs = {s.student_id: s for s in students}
    for b in bookings:
        assert (b.slot.day.weekday(), b.slot.index) not in needs[b.student_id].unavailable
    if not any(s.unavailable for s in students):
        order = sorted(needs)
        turns = [b.student_id for b in bookings]
        assert turns == [order[i % len(order)] for i in range(len(turns))]


def test_longest_gap_counts_both_ends_of_the_horizon() -> None:
    days = school_weeks(2)
    slot = slot_starts(1)[0]
    once = [Booking(1, Slot(days[0], 0, slot))]
    assert longest_gap(once, school_days=days, student_ids=[1]) == 10
    assert longest_gap(once, school_days=days, student_ids=[1, 2]) == 11
    assert longest_gap([], school_days=days, student_ids=[]) == 0
    middle = [Booking(1, Slot(days[4], 0, slot))]
    assert longest_gap(middle, school_days=days, student_ids=[1]) == 6
    assert longest_gap(middle, school_days=days, student_ids=[1], today_index=4) == 6


def test_the_solver_imports_no_django() -> None:
    source = Path(solver.__file__).read_text(encoding="utf-8")
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert imported, "the scan found no imports at all"
    assert not [name for name in imported if "django" in name.lower()]
    assert "django" not in source.lower().replace("no django", "")


def test_it_never_offers_a_vacated_slot_whose_time_has_passed() -> None:
    days = [date(2026, 11, 30), date(2026, 12, 1)]
    starts = [time(10, 10), time(10, 15)]
    needs = [StudentNeed(i, None) for i in range(1, 5)]
    plan = schedule(school_days=days, slot_starts=starts, students=needs)
    absent = plan.bookings[0]
    _, offered = reschedule_absent(
        plan_bookings=plan.bookings,
        absent_student=absent.student_id,
        day=days[0],
        students=needs,
        school_days=days,
        slot_starts=starts,
    )
    _, not_offered = reschedule_absent(
        plan_bookings=plan.bookings,
        absent_student=absent.student_id,
        day=days[0],
        students=needs,
        school_days=days,
        slot_starts=starts,
        reuse_vacated=False,
    )
    assert any(to == absent.slot for _, _, to in offered)  # someone is called in early
    assert all(to != absent.slot for _, _, to in not_offered)
