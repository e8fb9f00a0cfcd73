"""Reading days off from a school's .ics calendar. No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar


class CalendarFileError(Exception):
    """The file is not a calendar Conferbook can read; the message says so plainly."""


@dataclass(frozen=True)
class DayOff:
    day: date
    note: str


def days_off(data: bytes, *, limit: int = 1000, around: date | None = None) -> list[DayOff]:
    """Every day covered by an all-day event (a holiday, a break), with its title.

    Timed events (a meeting at 3 pm) are not days off and are left out, and so are days
    more than two years from `around` (today by default): a school calendar covers a year
    or two, and an event running to 9999 must not close a thousand days.
    """
    around = around or date.today()
    earliest, latest = around - timedelta(days=731), around + timedelta(days=731)
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        raise CalendarFileError(
            "This is not a calendar file (.ics) Conferbook can read."
        ) from error
    found: dict[date, str] = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART", None)
        if not isinstance(start, date) or isinstance(start, datetime) or start >= latest:
            continue  # (an event from 9999 on has not even a next day to end on)
        end = event.decoded("DTEND", None)
        if not isinstance(end, date) or isinstance(end, datetime) or end <= start:
            end = start + timedelta(days=1)
        title = str(event.get("SUMMARY", "Day off"))[:120]
        day = start
        day = max(day, earliest)
        while day < min(end, latest) and len(found) < limit:
            found.setdefault(day, title)
            day += timedelta(days=1)
    return [DayOff(day, note) for day, note in sorted(found.items())]
