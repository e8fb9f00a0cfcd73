"""Cells for CSV files that people open in Excel, Numbers or Google Sheets.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" (and, in some, a tab or a
carriage return) as a formula: a name typed as "=HYPERLINK(...)" would become a link in
the school's spreadsheet. Every CSV the product writes passes each cell through
`safe_cell`, which keeps the text and puts an apostrophe before such a start, so the
spreadsheet shows it as text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A value as a cell no spreadsheet runs: None is empty, True and False are "yes" and
    "no", "=1+1" is written "'=1+1"."""
    if value is None:
        return ""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
