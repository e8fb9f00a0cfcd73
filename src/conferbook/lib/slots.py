"""Suggesting the next conference time from a class's rhythm. No Django here.

Until the scheduler exists, the rule is simple: go forward one cycle (the school days
it takes to see every student once), then take the first writing-block slot that is
not already booked, on a writing day.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta


def add_school_days(
    start: date, days: int, weekdays: Collection[int], closed: Collection[date] = ()
) -> date:
    """The date `days` writing days after `start` (weekdays: Monday = 0; closed days skipped)."""
    if not weekdays:
        return start + timedelta(days=days)
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() in weekdays and current not in closed:
            remaining -= 1
    return current


def first_free_slot(
    *,
    earliest: date,
    weekdays: Collection[int],
    slot_times: Sequence[time],
    taken: Collection[datetime],
    closed: Collection[date] = (),
    search_days: int = 60,
) -> datetime | None:
    """The first slot on or after `earliest`, on a writing day, that is not in `taken`.

    `taken` and the result are naive local date-times. None when nothing is free
    within `search_days` calendar days (or the block has no slots).
    """
    if not slot_times:
        return None
    for offset in range(search_days):
        day = earliest + timedelta(days=offset)
        if (weekdays and day.weekday() not in weekdays) or day in closed:
            continue
        for slot in slot_times:
            candidate = datetime.combine(day, slot)
            if candidate not in taken:
                return candidate
    return None


def school_days_between(
    start: date, end: date, weekdays: Collection[int], closed: Collection[date] = ()
) -> int:
    """Writing days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    days = (end - start).days
    if not weekdays:
        return days
    return sum(
        1
        for i in range(1, days + 1)
        if (start + timedelta(days=i)).weekday() in weekdays
        and (start + timedelta(days=i)) not in closed
    )
