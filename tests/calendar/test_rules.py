"""The class calendar's rules, alone: no database, no Django."""

from __future__ import annotations

import ast
from datetime import date, datetime, time, timedelta
from pathlib import Path

from conferbook.calendar import rules
from conferbook.calendar.rules import Busy, ClassCalendar, TimeAway
from conferbook.lib import clock
from conferbook.lib.block import Block

FRIDAY = date(2031, 1, 10)
SATURDAY = date(2031, 1, 11)
MONDAY = date(2031, 1, 13)
TUESDAY = date(2031, 1, 14)
WEDNESDAY = date(2031, 1, 15)
MON_TO_FRI = frozenset(range(5))
# 10:00-11:00, a 10-minute mini-lesson, 5-minute conferences: 10:10, 10:15, ..., 10:55.
BLOCK = Block(start=time(10, 0), end=time(11, 0), days_per_week=5)
NOW = datetime(2031, 1, 9, 15, 0)  # the Thursday before, after school


def calendar(students: int = 29, **kwargs) -> ClassCalendar:  # type: ignore[no-untyped-def]
    kwargs.setdefault("weights", {pk: 1 for pk in range(1, students + 1)})
    return ClassCalendar(writing_weekdays=MON_TO_FRI, writing=BLOCK, **kwargs)


def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute))


def test_it_imports_no_django():
    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [node])
    }
    assert not any(name.startswith("django") for name in imported)


def test_it_counts_only_school_days():
    week = calendar()
    assert week.add_school_days(FRIDAY, 1) == MONDAY
    assert week.add_school_days(FRIDAY, 5) == date(2031, 1, 17)
    assert week.add_school_days(FRIDAY, 6) == date(2031, 1, 20)
    assert week.school_days_between(FRIDAY, WEDNESDAY) == 3
    assert week.school_days_between(WEDNESDAY, FRIDAY) == 0


def test_it_counts_a_block_that_meets_three_days_a_week():
    mon_wed_fri = ClassCalendar(writing_weekdays=frozenset({0, 2, 4}), writing=BLOCK)
    assert mon_wed_fri.add_school_days(MONDAY, 1) == WEDNESDAY
    assert mon_wed_fri.add_school_days(MONDAY, 3) == date(2031, 1, 20)


def test_it_skips_days_off_and_says_why():
    off = calendar(closed={MONDAY: "Teacher training"})
    assert off.add_school_days(FRIDAY, 1) == TUESDAY
    assert off.school_days_between(FRIDAY, WEDNESDAY) == 2
    assert off.slots_on(MONDAY) == []
    assert off.why_not_a_school_day(MONDAY) == "Mon 13 Jan is a day off (Teacher training)."
    assert off.why_not_a_school_day(SATURDAY) == "Saturdays have no writing block."
    assert off.why_not_a_school_day(TUESDAY) == ""


def test_it_counts_school_days_over_a_long_stretch_without_walking_it_day_by_day():
    week = calendar(closed={MONDAY: ""})
    assert week.school_days_between(date(2030, 1, 6), date(2031, 1, 5)) == 52 * 5
    assert week.school_days_between(FRIDAY, date(9999, 12, 31)) > 2_000_000


def test_it_holds_ten_slots_after_the_mini_lesson():
    week = calendar()
    assert [s.start for s in week.slots_on(MONDAY)] == [time(10, m) for m in range(10, 60, 5)]
    assert week.slots_per_day() == 10


def test_it_drops_the_slots_a_short_day_does_not_have():
    short = calendar(ends_early={MONDAY: time(10, 30)})
    assert [s.start for s in short.slots_on(MONDAY)] == [time(10, m) for m in (10, 15, 20, 25)]
    assert short.block_end_on(MONDAY) == time(10, 30)
    assert len(short.slots_on(TUESDAY)) == 10


def test_it_needs_three_school_days_to_see_twenty_nine_students():
    assert calendar(29).cycle_days() == 3
    assert calendar(30).cycle_days() == 3
    assert calendar(31).cycle_days() == 4
    assert calendar(0).cycle_days() == 0


def test_it_sees_a_student_marked_see_more_often_twice_as_often():
    weights = {pk: 1 for pk in range(1, 39)} | {1: 2, 2: 2}  # 40 turns for 10 slots
    more = calendar(weights=weights)
    assert more.cycle_days() == 4
    assert more.gap_for(3) == 4
    assert more.gap_for(1) == 2


def test_it_makes_a_student_due_one_gap_after_they_were_seen_and_overdue_after_that():
    week = calendar(29)  # a gap of 3 school days
    seen_friday = week.standing(1, last_seen=FRIDAY, joined=date(2030, 9, 1), today=TUESDAY)
    assert seen_friday.due == WEDNESDAY and not seen_friday.overdue
    due_today = week.standing(1, last_seen=FRIDAY, joined=FRIDAY, today=WEDNESDAY)
    assert due_today.due == WEDNESDAY and not due_today.overdue
    late = week.standing(1, last_seen=FRIDAY, joined=FRIDAY, today=date(2031, 1, 17))
    assert late.overdue and late.school_days_late == 2
    never = week.standing(1, last_seen=None, joined=MONDAY, today=TUESDAY)
    assert never.due == date(2031, 1, 16) and not never.overdue


def test_it_refuses_a_booking_on_a_day_off_past_a_short_day_or_in_time_away():
    away = TimeAway(7, MONDAY.weekday(), time(10, 30), time(10, 45), "speech")
    week = calendar(
        closed={TUESDAY: "Field trip"}, ends_early={WEDNESDAY: time(10, 30)}, away=(away,)
    )

    def problem(when: datetime, student: int = 7) -> str:
        return week.booking_problem(student_id=student, name="Ana", at=when, busy=(), now=NOW)

    assert problem(at(TUESDAY, 10, 20)) == "Tue 14 Jan is a day off (Field trip)."
    assert problem(at(SATURDAY, 10, 20)) == "Saturdays have no writing block."
    assert "short day" in problem(at(WEDNESDAY, 10, 26))
    assert problem(at(WEDNESDAY, 10, 25)) == ""  # ends exactly when the day does
    assert problem(at(MONDAY, 10, 40)).startswith("Ana is away then: Mondays 10:30 AM to 10:45 AM")
    assert problem(at(MONDAY, 10, 40), student=8) == ""
    assert "starts between 10:10 AM and 10:55 AM" in problem(at(MONDAY, 9, 0))
    assert problem(at(MONDAY, 10, 5)) != ""  # the mini-lesson
    assert problem(datetime(2031, 1, 9, 10, 20)) == "Choose a time that has not passed yet."
    assert problem(at(date(9999, 12, 31), 10, 20)) == "Choose a day within the coming school year."


def test_it_refuses_a_slot_another_student_holds_and_offers_the_nearest_free_one():
    week = calendar()
    ben = Busy(at(MONDAY, 10, 15), at(MONDAY, 10, 20), "Ben", 2)
    cy = Busy(at(MONDAY, 10, 20), at(MONDAY, 10, 25), "Cy", 3)
    said = week.booking_problem(
        student_id=1, name="Ana", at=at(MONDAY, 10, 17), busy=[ben, cy], now=NOW
    )
    assert said == "Ben has a conference at 10:15 AM on Mon 13 Jan."
    # Ana's own booking, being moved, is never in her way.
    mine = Busy(at(MONDAY, 10, 15), at(MONDAY, 10, 20), "Ana", 1)
    assert (
        week.booking_problem(student_id=1, name="Ana", at=at(MONDAY, 10, 15), busy=[mine], now=NOW)
        == ""
    )
    nearest = week.nearest_free(student_id=1, around=at(MONDAY, 10, 17), busy=[ben, cy], now=NOW)
    assert nearest == at(MONDAY, 10, 10)


def test_it_offers_the_next_day_when_the_day_is_full():
    week = calendar()
    full = [
        Busy(
            datetime.combine(MONDAY, s.start),
            datetime.combine(MONDAY, s.start) + timedelta(minutes=5),
            f"S{i}",
            i + 10,
        )
        for i, s in enumerate(week.slots_on(MONDAY))
    ]
    nearest = week.nearest_free(student_id=1, around=at(MONDAY, 10, 50), busy=full, now=NOW)
    assert nearest is not None and nearest.date() in {FRIDAY, TUESDAY}


def test_it_suggests_the_first_free_slot_on_the_due_day_or_the_day_before():
    away = TimeAway(1, TUESDAY.weekday(), time(10, 0), time(10, 20))
    week = calendar(29, away=(away,), ends_early={WEDNESDAY: time(10, 30)})
    # Seen Friday: due Wednesday, a short day whose last slot starts 10:25.
    assert week.suggest(student_id=1, due=WEDNESDAY, busy=[], now=NOW) == at(WEDNESDAY, 10, 10)
    wednesday = [
        Busy(at(WEDNESDAY, 10, m), at(WEDNESDAY, 10, m + 5), f"S{m}", 100 + m)
        for m in (10, 15, 20, 25)
    ]
    # Wednesday is full: Tuesday, after her pull-out.
    assert week.suggest(student_id=1, due=WEDNESDAY, busy=wednesday, now=NOW) == at(TUESDAY, 10, 20)


def test_it_never_suggests_the_day_the_student_was_seen():
    week = calendar(3)
    seen_monday = datetime.combine(MONDAY, time(10, 12))
    suggested = week.suggest(student_id=1, due=MONDAY, busy=[], now=seen_monday)
    assert suggested == at(TUESDAY, 10, 10)


def test_it_writes_times_as_the_school_does():
    clock.activate(clock.TWENTY_FOUR_HOUR)
    try:
        assert clock.time_text(time(9, 38)) == "09:38"
        assert clock.time_text(time(14, 5)) == "14:05"
    finally:
        clock.activate(clock.TWELVE_HOUR)
    assert clock.time_text(time(9, 38)) == "9:38 AM"
    assert clock.time_text(time(12, 0)) == "12:00 PM"
    assert clock.time_text(time(0, 5)) == "12:05 AM"
    assert clock.when_text(datetime(2031, 1, 13, 14, 5)) == "Mon 13 Jan, 2:05 PM"


def test_it_has_no_slots_or_days_without_a_block():
    none = ClassCalendar(writing_weekdays=frozenset(), writing=BLOCK, weights={1: 1})
    assert none.slots_on(MONDAY) == []
    assert none.school_days_from(MONDAY, 3) == []
    sundays = ClassCalendar(writing_weekdays=frozenset({6}), writing=BLOCK, weights={1: 1})
    assert sundays.school_days_from(MONDAY, 2) == [date(2031, 1, 19), date(2031, 1, 26)]
    assert sundays.slots_on(MONDAY) == []
