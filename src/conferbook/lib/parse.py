"""Reading values from request data. No Django here."""

from __future__ import annotations

# The largest id a row can have: ids are signed 64-bit integers in SQLite and PostgreSQL
# alike. SQLite refuses even to compare a larger number with a column, so an id from a
# request is checked against this before it reaches a query.
MAX_ID = 2**63 - 1


def int_or_zero(value: str | None) -> int:
    """An id (or a small count) from a form field or the query string; 0, which matches no
    row, for anything that is not a whole number a database column can hold."""
    try:
        number = int(value or "")
    except ValueError:
        return 0
    return number if -MAX_ID <= number <= MAX_ID else 0


def is_id(value: object) -> bool:
    """True when `value` (a number, or its text) could be the id of a row."""
    try:
        number = int(str(value))
    except ValueError:
        return False
    return 0 < number <= MAX_ID
