"""Reading values from request data. No Django here."""

from __future__ import annotations


def int_or_zero(value: str | None) -> int:
    """An id from a form field; 0 (which matches no row) for anything that is not a number."""
    try:
        return int(value or "")
    except ValueError:
        return 0
