"""The writing block's arithmetic (no database)."""

from __future__ import annotations

from datetime import time

from conferbook.lib.block import Block, alternatives, answer, days_to_see_everyone

HOUR = Block(start=time(10, 0), end=time(11, 0), days_per_week=5)


def test_it_fits_conferences_after_the_mini_lesson():
    assert HOUR.conference_slots() == 10
    assert HOUR.conference_starts()[:3] == [time(10, 10), time(10, 15), time(10, 20)]


def test_it_leaves_changeover_between_meetings_but_not_after_the_last():
    block = Block(start=time(10, 0), end=time(11, 0), days_per_week=5, changeover=1)
    # 50 minutes: n * 5 + (n - 1) * 1 <= 50 gives n = 8 (8 * 5 + 7 = 47).
    assert block.conference_slots() == 8
    assert block.conference_starts()[:2] == [time(10, 10), time(10, 16)]


def test_it_puts_small_groups_right_after_the_mini_lesson():
    block = Block(start=time(10, 0), end=time(11, 0), days_per_week=5, group_slots=1)
    assert block.group_starts() == [time(10, 10)]
    assert block.conference_starts()[0] == time(10, 20)
    assert block.conference_slots() == 8


def test_it_answers_how_often_each_student_is_seen():
    result = answer(HOUR, 29)
    assert (result.slots_per_day, result.days_to_see_everyone) == (10, 3)
    assert result.per_student_per_week == round(50 / 29, 2)


def test_it_offers_what_changes_with_another_length_or_a_small_group():
    labels = {alt.label: alt.answer for alt in alternatives(HOUR, 29)}
    assert labels["4-minute conferences"].slots_per_day == 12
    assert labels["6-minute conferences"].slots_per_day == 8
    assert labels["one small group a day"].slots_per_day == 8


def test_it_needs_no_days_for_no_students_or_no_slots():
    assert days_to_see_everyone(0, 6) == 0
    assert days_to_see_everyone(29, 0) == 0
    assert days_to_see_everyone(29, 6) == 5
