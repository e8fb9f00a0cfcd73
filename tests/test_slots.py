"""The slot maths behind "when can I see this student next?" — no database."""

from __future__ import annotations

from datetime import date, datetime, time

from conferbook.lib.slots import add_school_days, first_free_slot
from conferbook.roster.models import Classroom

MON_TO_FRI = {0, 1, 2, 3, 4}
FRIDAY = date(2031, 1, 10)
SATURDAY = date(2031, 1, 11)
MONDAY = date(2031, 1, 13)
TUESDAY = date(2031, 1, 14)
SLOTS = [time(10, 10), time(10, 15), time(10, 20)]


def test_it_counts_only_writing_days():
    assert FRIDAY.weekday() == 4
    assert add_school_days(FRIDAY, 1, MON_TO_FRI) == MONDAY
    assert add_school_days(FRIDAY, 5, MON_TO_FRI) == date(2031, 1, 17)
    assert add_school_days(FRIDAY, 6, MON_TO_FRI) == date(2031, 1, 20)


def test_it_counts_a_block_that_meets_three_days_a_week():
    mon_wed_fri = {0, 2, 4}
    assert add_school_days(MONDAY, 1, mon_wed_fri) == date(2031, 1, 15)
    assert add_school_days(MONDAY, 3, mon_wed_fri) == date(2031, 1, 20)


def test_it_gives_the_first_slot_of_the_first_writing_day():
    slot = first_free_slot(earliest=MONDAY, weekdays=MON_TO_FRI, slot_times=SLOTS, taken=set())
    assert slot == datetime(2031, 1, 13, 10, 10)


def test_it_skips_taken_slots():
    taken = {datetime(2031, 1, 13, 10, 10), datetime(2031, 1, 13, 10, 15)}
    slot = first_free_slot(earliest=MONDAY, weekdays=MON_TO_FRI, slot_times=SLOTS, taken=taken)
    assert slot == datetime(2031, 1, 13, 10, 20)


def test_it_moves_to_the_next_writing_day_when_a_day_is_full():
    taken = {datetime.combine(MONDAY, t) for t in SLOTS}
    slot = first_free_slot(earliest=MONDAY, weekdays=MON_TO_FRI, slot_times=SLOTS, taken=taken)
    assert slot == datetime.combine(TUESDAY, SLOTS[0])


def test_it_skips_the_weekend():
    slot = first_free_slot(earliest=SATURDAY, weekdays=MON_TO_FRI, slot_times=SLOTS, taken=set())
    assert slot == datetime.combine(MONDAY, SLOTS[0])


def test_it_returns_none_when_every_slot_is_taken():
    taken = {
        datetime.combine(date.fromordinal(MONDAY.toordinal() + offset), t)
        for offset in range(10)
        for t in SLOTS
    }
    slot = first_free_slot(
        earliest=MONDAY, weekdays=MON_TO_FRI, slot_times=SLOTS, taken=taken, search_days=10
    )
    assert slot is None


def test_it_returns_none_when_the_block_has_no_slots():
    assert first_free_slot(earliest=MONDAY, weekdays=MON_TO_FRI, slot_times=[], taken=set()) is None


def test_it_fits_ten_five_minute_conferences_after_a_ten_minute_mini_lesson():
    classroom = Classroom(
        block_start=time(10, 0),
        block_end=time(11, 0),
        mini_lesson_minutes=10,
        conference_minutes=5,
    )
    assert classroom.conference_slots_per_day() == 10
    assert classroom.slot_times() == [time(10, m) for m in range(10, 60, 5)]
    assert classroom.slot_times()[:3] == [time(10, 10), time(10, 15), time(10, 20)]


def test_it_needs_three_writing_days_to_see_twenty_nine_students():
    classroom = Classroom(
        block_start=time(10, 0),
        block_end=time(11, 0),
        mini_lesson_minutes=10,
        conference_minutes=5,
    )
    assert classroom.cycle_school_days(29) == 3
    assert classroom.cycle_school_days(30) == 3
    assert classroom.cycle_school_days(31) == 4


def test_it_has_no_slots_when_the_block_is_shorter_than_the_mini_lesson():
    classroom = Classroom(
        block_start=time(10, 0),
        block_end=time(10, 8),
        mini_lesson_minutes=10,
        conference_minutes=5,
    )
    assert classroom.conference_slots_per_day() == 0
    assert classroom.slot_times() == []
    assert classroom.cycle_school_days(29) == 0
