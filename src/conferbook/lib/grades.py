"""Grades as teachers type them ("K", "4", "Grade 3"), and the checklists' grade bands.
No Django here."""

from __future__ import annotations

KINDERGARTEN = 0
# The grade bands of the built-in checklists: (key, lowest grade, highest grade).
BANDS: tuple[tuple[str, int, int], ...] = (("k-2", 0, 2), ("3-5", 3, 5), ("6-8", 6, 8))


def grade_number(grade: str) -> int | None:
    """0 for kindergarten, 1-12 for a grade, None when the text names no grade."""
    grade = grade.strip().upper()
    if grade in {"K", "KG", "KINDERGARTEN", "0"}:
        return KINDERGARTEN
    digits = "".join(ch for ch in grade if ch.isdigit())
    return int(digits) if digits else None


def band_for(grade: str) -> str | None:
    """The grade band ("k-2", "3-5", "6-8") a grade belongs to; None when unknown."""
    number = grade_number(grade)
    for key, low, high in BANDS:
        if number is not None and low <= number <= high:
            return key
    return None
