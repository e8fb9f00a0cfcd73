"""The arithmetic of a writing block. No Django here.

A writing block runs from `start` to `end` on its days. It opens with the mini-lesson,
then the small-group slots (if any), then one-on-one conference slots until the block
ends. Between two meetings the teacher needs `changeover` minutes (calling the next
student over, a note). From this follow the slots per day and the answer to the question
every teacher asks: with this many students, how often can I see each one?
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import time


@dataclass(frozen=True)
class Block:
    start: time
    end: time
    days_per_week: int
    mini_lesson: int = 10  # minutes
    conference: int = 5
    changeover: int = 0
    group_slots: int = 0
    group_length: int = 10

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def _first_conference_minute(self) -> int:
        groups = self.group_slots * (self.group_length + self.changeover)
        return self.start.hour * 60 + self.start.minute + self.mini_lesson + groups

    def conference_slots(self) -> int:
        """One-on-one conference slots that fit after the mini-lesson and the groups."""
        if self.conference <= 0:
            return 0
        left = (
            self.minutes
            - self.mini_lesson
            - self.group_slots * (self.group_length + self.changeover)
        )
        # n conferences need n * conference + (n - 1) * changeover minutes.
        return max(0, (left + self.changeover) // (self.conference + self.changeover))

    def conference_starts(self) -> list[time]:
        first = self._first_conference_minute()
        step = self.conference + self.changeover
        return [_clock(first + i * step) for i in range(self.conference_slots())]

    def group_starts(self) -> list[time]:
        first = self.start.hour * 60 + self.start.minute + self.mini_lesson
        step = self.group_length + self.changeover
        return [_clock(first + i * step) for i in range(self.group_slots)]

    def group_fits(self) -> bool:
        """The small groups alone must fit in the block after the mini-lesson."""
        used = self.mini_lesson + self.group_slots * (self.group_length + self.changeover)
        return used <= self.minutes


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


def days_to_see_everyone(students: int, slots_per_day: int) -> int:
    """School days for one round of conferences: ceil(students / slots per day)."""
    if students <= 0 or slots_per_day <= 0:
        return 0
    return math.ceil(students / slots_per_day)


@dataclass(frozen=True)
class Answer:
    """How often each student can be seen with one block, in numbers a teacher reads."""

    slots_per_day: int
    days_to_see_everyone: int
    per_student_per_week: float


def answer(block: Block, students: int) -> Answer:
    slots = block.conference_slots()
    per_week = (slots * block.days_per_week / students) if students else 0.0
    return Answer(slots, days_to_see_everyone(students, slots), round(per_week, 2))


@dataclass(frozen=True)
class Alternative:
    label: str
    answer: Answer


def alternatives(block: Block, students: int) -> list[Alternative]:
    """What changes with a conference a minute shorter or longer, or one small group a day."""
    options = []
    for minutes in (block.conference - 1, block.conference + 1):
        if 2 <= minutes <= 30:
            options.append(
                Alternative(
                    f"{minutes}-minute conferences",
                    answer(replace(block, conference=minutes), students),
                )
            )
    if block.group_slots == 0:
        options.append(
            Alternative("one small group a day", answer(replace(block, group_slots=1), students))
        )
    return options
