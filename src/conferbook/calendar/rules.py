"""The class calendar: every rule about a class's time, in one place. No Django here.

Every page, PDF, command, the scheduler and the demo ask this module; none keeps a copy.

school day     a day of the week with a writing (or reading) block that is not closed
               (a holiday, a break, a trip). Weekends and closed days are days off.
short day      a school day whose blocks end early: a slot that would end after that time
               is not held that day.
slot           a time a conference can start: the writing block holds one after the
               mini-lesson and the small groups, every `conference + changeover` minutes,
               until the block ends; a reading block adds its own. Small groups have slots
               of their own right after the mini-lesson.
time away      a weekly time a student is not in the room (a pull-out, speech): a slot that
               overlaps it is not theirs.
weight         "see more often" counts a student twice (weight 2), everyone else once.
cycle          the school days it takes to see every student once:
               ceil(sum of weights / slots of the leanest school day). A student's own
               gap is ceil(sum of weights / (slots * weight)): half for "see more often".
due            a student is due their own gap of school days after they were last seen
               (or, never seen, after they joined the class).
overdue        the due day has passed and the student has not been seen since; they are
               late by the school days after their due day up to today. A booking ahead
               does not change that: it says when they will be seen, not that they were.

All times here are the school's wall-clock times (naive dates and times); the callers
turn stored moments into the school's time zone first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from conferbook.lib import clock
from conferbook.lib.block import Block, days_to_see_everyone

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# An appointment is booked at most this far ahead: a year of school, with room to spare.
BOOKING_HORIZON = timedelta(days=400)
# How far the search for a free slot goes before saying there is none.
SEARCH_SCHOOL_DAYS = 60


@dataclass(frozen=True)
class TimeAway:
    """A weekly time a student is not in the room."""

    student_id: int
    weekday: int  # Monday = 0
    start: time
    end: time
    note: str = ""

    def overlaps(self, day: date, start: time, end: time) -> bool:
        return day.weekday() == self.weekday and start < self.end and self.start < end

    def __str__(self) -> str:
        said = f"{WEEKDAYS[self.weekday]}s {clock.span_text(self.start, self.end)}"
        return f"{said} ({self.note})" if self.note else said


@dataclass(frozen=True)
class Slot:
    """A conference slot of one day: when it starts and which block it belongs to."""

    start: time
    reading: bool = False


@dataclass(frozen=True)
class Busy:
    """Time already taken on the class's calendar: a booking or a small group."""

    start: datetime  # the school's wall-clock time
    end: datetime
    who: str  # "Ben", "the small group “Leads”"
    student_id: int | None = None  # whose booking it is (None for a small group)


@dataclass(frozen=True)
class Standing:
    """Where a student stands in the rotation on a given day."""

    last_seen: date | None
    due: date
    overdue: bool
    school_days_late: int


class BookingRefused(Exception):
    """A time that cannot hold the student's conference; the message says why, plainly."""

    def __init__(self, message: str, *, nearest: datetime | None = None) -> None:
        super().__init__(message)
        self.nearest = nearest  # the nearest time that can, when there is one


@dataclass(frozen=True)
class ClassCalendar:
    """A class's time: its days, slots, days off, short days, time away and rhythm."""

    writing_weekdays: frozenset[int]
    writing: Block
    reading_weekdays: frozenset[int] = frozenset()
    reading: Block | None = None
    closed: Mapping[date, str] = field(default_factory=dict)  # day off -> its note
    ends_early: Mapping[date, time] = field(default_factory=dict)  # short day -> block end
    away: Sequence[TimeAway] = ()
    # Every active student of the class, with their weight (2 = "see more often").
    weights: Mapping[int, int] = field(default_factory=dict)

    # -- days ------------------------------------------------------------------------

    # The calendar never changes once made, so what it derives is worked out once (a class
    # list asks every student's due day of the same calendar).

    @cached_property
    def weekdays(self) -> frozenset[int]:
        """Weekdays with a writing or a reading block."""
        return self.writing_weekdays | self.reading_weekdays

    def is_school_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed

    def why_not_a_school_day(self, day: date) -> str:
        """Why `day` has no block, in plain words ("" for a school day)."""
        if day in self.closed:
            note = self.closed[day]
            return f"{clock.day_text(day)} is a day off{f' ({note})' if note else ''}."
        if day.weekday() not in self.weekdays:
            return f"{WEEKDAYS[day.weekday()]}s have no writing block."
        return ""

    def school_days_from(self, start: date, count: int) -> list[date]:
        """The first `count` school days from `start` on (start included when it is one)."""
        return list(_take(self._school_days(start, 1), count))

    def school_days_back(self, start: date, count: int) -> list[date]:
        """The `count` school days up to `start` (included), latest first."""
        return list(_take(self._school_days(start, -1), count))

    def _school_days(self, start: date, step: int) -> Iterator[date]:
        if not self.weekdays:
            return
        day = start
        # A closed stretch longer than two years is not a calendar anyone keeps.
        for _ in range(800):
            if self.is_school_day(day):
                yield day
            try:
                day += timedelta(days=step)
            except OverflowError:
                return

    def add_school_days(self, start: date, days: int) -> date:
        """The school day `days` school days after `start` (start itself not counted)."""
        if days <= 0:
            return start
        following = self.school_days_from(start + timedelta(days=1), days)
        return following[-1] if len(following) == days else start + timedelta(days=days)

    def school_days_between(self, start: date, end: date) -> int:
        """School days after `start` up to and including `end` (0 when end <= start)."""
        if end <= start:
            return 0
        span = (end - start).days
        weeks, rest = divmod(span, 7)
        days = weeks * len(self.weekdays) + sum(
            1 for i in range(1, rest + 1) if (start + timedelta(days=i)).weekday() in self.weekdays
        )
        return days - sum(
            1 for day in self.closed if start < day <= end and day.weekday() in self.weekdays
        )

    # -- slots -----------------------------------------------------------------------

    @property
    def conference_minutes(self) -> int:
        return self.writing.conference

    @property
    def length(self) -> timedelta:
        return timedelta(minutes=self.writing.conference)

    def time_line(self) -> list[Slot]:
        """Every slot start of any day, writing and reading on one line (the scheduler's
        grid: a day that lacks one of them simply does not hold it)."""
        writing = self.writing.conference_starts()
        reading = self.reading.conference_starts() if self.reading else []
        return [Slot(start, reading=start not in writing) for start in sorted({*writing, *reading})]

    def block_end_on(self, day: date) -> time | None:
        """When the day's last block ends, short days included (None for a day off)."""
        if not self.is_school_day(day):
            return None
        ends = []
        if day.weekday() in self.writing_weekdays:
            ends.append(self.writing.end)
        if self.reading and day.weekday() in self.reading_weekdays:
            ends.append(self.reading.end)
        end = max(ends)
        return min(end, self.ends_early[day]) if day in self.ends_early else end

    def _fits(self, day: date, start: time, minutes: int) -> bool:
        """A meeting of `minutes` from `start` ends before the day is cut short."""
        if day not in self.ends_early:
            return True
        return _plus(start, minutes) <= self.ends_early[day]

    def slots_on(self, day: date) -> list[Slot]:
        """The day's conference slots in time order (none on a day off)."""
        if not self.is_school_day(day):
            return []
        writing_day = day.weekday() in self.writing_weekdays
        reading_day = day.weekday() in self.reading_weekdays
        return [
            slot
            for slot in self.time_line()
            if (reading_day if slot.reading else writing_day)
            and self._fits(day, slot.start, self.conference_minutes)
        ]

    def group_slots_on(self, day: date) -> list[time]:
        """The day's small-group slots (writing days only)."""
        if not self.is_school_day(day) or day.weekday() not in self.writing_weekdays:
            return []
        return [
            start
            for start in self.writing.group_starts()
            if self._fits(day, start, self.writing.group_length)
        ]

    def slots_per_day(self) -> int:
        """The conference slots of the leanest school weekday (0 with no block)."""
        return self._leanest_day_slots

    @cached_property
    def _leanest_day_slots(self) -> int:
        counts = []
        for weekday in self.weekdays:
            writing = self.writing.conference_starts() if weekday in self.writing_weekdays else []
            reading = (
                self.reading.conference_starts()
                if self.reading and weekday in self.reading_weekdays
                else []
            )
            counts.append(len({*writing, *reading}))
        return min(counts, default=0)

    def away_at(self, student_id: int, day: date, start: time, minutes: int) -> TimeAway | None:
        """The student's time away that a meeting from `start` would overlap, if any."""
        end = _plus(start, minutes)
        return next(
            (a for a in self.away if a.student_id == student_id and a.overlaps(day, start, end)),
            None,
        )

    def blocked_slots(self, student_id: int) -> frozenset[tuple[int, int]]:
        """(weekday, index on the time line) of every slot the student's time away blocks."""
        line = self.time_line()
        return frozenset(
            (away.weekday, i)
            for away in self.away
            if away.student_id == student_id
            for i, slot in enumerate(line)
            if slot.start < away.end and away.start < _plus(slot.start, self.conference_minutes)
        )

    # -- the rotation -----------------------------------------------------------------

    def weight_of(self, student_id: int) -> int:
        return self.weights.get(student_id, 1)

    @cached_property
    def total_weight(self) -> int:
        return sum(self.weights.values())

    def cycle_days(self) -> int:
        """School days to see every student once (0 with no students or no slots)."""
        return days_to_see_everyone(self.total_weight, self.slots_per_day())

    def gap_for(self, student_id: int) -> int:
        """The school days between two of this student's conferences (at least 1)."""
        slots = self.slots_per_day()
        if not slots:
            return max(1, len(self.weights))
        weight = self.weight_of(student_id)
        return max(1, math.ceil(max(self.total_weight, weight) / (slots * weight)))

    def due_date(self, student_id: int, since: date) -> date:
        """The day a student last seen (or enrolled) on `since` falls due."""
        return self.add_school_days(since, self.gap_for(student_id))

    def standing(
        self, student_id: int, *, last_seen: date | None, joined: date, today: date
    ) -> Standing:
        """When the student is due, and whether (and by how much) they are overdue."""
        due = self.due_date(student_id, last_seen or joined)
        late = self.school_days_between(due, today)
        return Standing(last_seen=last_seen, due=due, overdue=today > due, school_days_late=late)

    # -- booking ----------------------------------------------------------------------

    def booking_problem(
        self,
        *,
        student_id: int,
        name: str,
        at: datetime,
        busy: Iterable[Busy],
        now: datetime,
        minutes: int | None = None,
    ) -> str:
        """Why `at` cannot hold the student's conference, in plain words ("" when it can).

        `at`, `now` and `busy` are the school's wall-clock times; `busy` is everything
        booked that day (the student's own booking, being moved, is ignored).
        """
        minutes = minutes or self.conference_minutes
        day, start = at.date(), at.time().replace(second=0, microsecond=0)
        if at < now:
            return "Choose a time that has not passed yet."
        if at - now > BOOKING_HORIZON:
            return "Choose a day within the coming school year."
        if not self.is_school_day(day):
            return self.why_not_a_school_day(day)
        if not any(
            opens <= start and _plus(start, minutes) <= ends for opens, ends in self.windows_on(day)
        ):
            return self._outside_blocks(day, minutes)
        if away := self.away_at(student_id, day, start, minutes):
            return f"{name} is away then: {away}."
        end = at + timedelta(minutes=minutes)
        for other in busy:
            if other.student_id == student_id:
                continue
            if other.start < end and at < other.end:
                return (
                    f"{_capital(other.who)} {'has' if other.student_id else 'meets'} "
                    f"{'a conference ' if other.student_id else ''}at "
                    f"{clock.time_text(other.start)} on {clock.day_text(other.start.date())}."
                )
        return ""

    def windows_on(self, day: date) -> list[tuple[time, time]]:
        """When conferences can be held on `day`: from each block's first conference slot
        to its end (or the short day's end)."""
        if not self.is_school_day(day):
            return []
        windows = []
        blocks = []
        if day.weekday() in self.writing_weekdays:
            blocks.append(self.writing)
        if self.reading and day.weekday() in self.reading_weekdays:
            blocks.append(self.reading)
        for block in blocks:
            starts = block.conference_starts()
            if not starts:
                continue
            end = block.end
            if day in self.ends_early:
                end = min(end, self.ends_early[day])
            if starts[0] < end:
                windows.append((starts[0], end))
        return windows

    def _outside_blocks(self, day: date, minutes: int) -> str:
        windows = self.windows_on(day)
        if not windows:
            return f"No conference fits on {clock.day_text(day)}: the block is too short."
        said = " or ".join(
            f"{clock.time_text(opens)} and {clock.time_text(_minus(ends, minutes))}"
            for opens, ends in windows
        )
        short = (
            f" ({clock.day_text(day)} is a short day: the block ends at "
            f"{clock.time_text(self.ends_early[day])})"
            if day in self.ends_early
            else ""
        )
        return (
            f"A {minutes}-minute conference on {clock.day_text(day)} starts between {said}{short}."
        )

    def free_slots(
        self,
        *,
        student_id: int,
        days: Iterable[date],
        busy: Iterable[Busy],
        now: datetime,
    ) -> Iterator[tuple[datetime, Slot]]:
        """The slots of `days` (in the order given) the student can take: not past, not in
        their time away, not overlapping anything busy."""
        taken = [b for b in busy if b.student_id != student_id]
        for day in days:
            for slot in self.slots_on(day):
                at = datetime.combine(day, slot.start)
                end = at + self.length
                if at < now or self.away_at(student_id, day, slot.start, self.conference_minutes):
                    continue
                if any(b.start < end and at < b.end for b in taken):
                    continue
                yield at, slot

    def suggest(
        self,
        *,
        student_id: int,
        due: date,
        busy: Sequence[Busy],
        now: datetime,
        earliest: date | None = None,
    ) -> datetime | None:
        """When to see the student next: the first slot they can take on their due day;
        if it is full, the nearest earlier school day (never before `earliest`: by default
        the day after `now`, as the student was just seen), else the nearest later one.
        None when nothing is free for a long while."""
        first = earliest or now.date() + timedelta(days=1)
        due = max(due, first)
        earlier = [d for d in self.school_days_back(due, SEARCH_SCHOOL_DAYS) if d >= first]
        later = self.school_days_from(due + timedelta(days=1), SEARCH_SCHOOL_DAYS)
        for day in [*earlier, *later]:
            for at, _ in self.free_slots(student_id=student_id, days=[day], busy=busy, now=now):
                return at
        return None

    def nearest_free(
        self, *, student_id: int, around: datetime, busy: Sequence[Busy], now: datetime
    ) -> datetime | None:
        """The free slot the student can take nearest to `around` (the same day first, then
        the school days either side, nearest first)."""
        day = around.date()
        before = [d for d in self.school_days_back(day - timedelta(days=1), 10) if d >= now.date()]
        after = self.school_days_from(day + timedelta(days=1), 10)
        ordered = [day]
        for pair in zip(after, before, strict=False):
            ordered.extend(pair)
        ordered += after[len(before) :] + before[len(after) :]
        for candidate_day in ordered:
            found = list(
                self.free_slots(student_id=student_id, days=[candidate_day], busy=busy, now=now)
            )
            if found:
                return min(found, key=lambda pair: abs(pair[0] - around))[0]
        return None


def _take(days: Iterator[date], count: int) -> Iterator[date]:
    for i, day in enumerate(days):
        if i >= count:
            return
        yield day


def _plus(start: time, minutes: int) -> time:
    total = min(start.hour * 60 + start.minute + minutes, 24 * 60 - 1)
    return time(total // 60, total % 60)


def _minus(end: time, minutes: int) -> time:
    total = max(end.hour * 60 + end.minute - minutes, 0)
    return time(total // 60, total % 60)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
