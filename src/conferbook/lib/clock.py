"""How times are written for the school: "9:38 AM", or "09:38" where the school keeps a
24-hour clock. No Django here.

Every page, PDF, message and command writes a time through these functions, so a card,
a calendar page and the screen can never disagree. The convention is the school's
(`School.clock`); the request (or the command) activates it once, as Django activates the
school's time zone, and everything below reads it.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, time

TWELVE_HOUR = "12"
TWENTY_FOUR_HOUR = "24"
CONVENTIONS = {TWELVE_HOUR: "12-hour (9:38 AM)", TWENTY_FOUR_HOUR: "24-hour (09:38)"}

_convention: ContextVar[str] = ContextVar("conferbook_clock", default=TWELVE_HOUR)


def activate(convention: str) -> None:
    """Write times in `convention` ("12" or "24") from now on in this thread or task."""
    _convention.set(convention if convention in CONVENTIONS else TWELVE_HOUR)


def active() -> str:
    return _convention.get()


def time_text(at: time | datetime) -> str:
    """A time of day as the school writes it: "9:38 AM" or "09:38".

    A datetime must already be in the school's time zone (the caller's `localtime`).
    """
    if _convention.get() == TWENTY_FOUR_HOUR:
        return f"{at.hour:02d}:{at.minute:02d}"
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


def day_text(day: date) -> str:
    """A day as pages and cards write it: "Tue 8 Dec"."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day_text(day: date) -> str:
    """A day written out: "Tuesday 8 December"."""
    return f"{day:%A} {day.day} {day:%B}"


def when_text(at: datetime) -> str:
    """A day and a time: "Tue 8 Dec, 9:38 AM" (`at` in the school's time zone)."""
    return f"{day_text(at.date())}, {time_text(at)}"


def long_when_text(at: datetime) -> str:
    """A day written out and a time: "Tuesday 8 December, 9:38 AM"."""
    return f"{long_day_text(at.date())}, {time_text(at)}"


def span_text(start: time, end: time) -> str:
    """A stretch of the day, each end written in full: "10:00 AM to 11:00 AM"."""
    return f"{time_text(start)} to {time_text(end)}"
