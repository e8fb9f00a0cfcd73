"""The years a date typed into Conferbook may fall in. No Django here.

A school needs the years around now. A date far outside them ("9999-12-31" typed, pasted or
put in an address) reaches the ends of what a date can hold, where the next week or month
cannot even be counted, and a time zone can push it past them; so the calendar pages and
the date fields answer it with a plain message instead.
"""

from __future__ import annotations

from datetime import date

FIRST_YEAR = 2000
LAST_YEAR = 2100
OUTSIDE_YEARS = f"Choose a date between the years {FIRST_YEAR} and {LAST_YEAR}."


def within_years(day: date) -> bool:
    """True when `day` (or the day of a datetime) falls in FIRST_YEAR to LAST_YEAR."""
    return FIRST_YEAR <= day.year <= LAST_YEAR
