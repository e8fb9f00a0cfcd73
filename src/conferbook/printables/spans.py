"""Which conferences a chart or a family report covers: this term (the default), one of
the school's terms, chosen dates, or everything.

"This term" is the calendar's one rule (`calendar.selectors.span_of_term`); this module
only names the choices, turns the one made into a `Period`, and says it in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.formats import date_format

from conferbook.calendar.models import Term
from conferbook.calendar.selectors import MOST_TERM_WEEKS, aware, span_of_term, terms
from conferbook.conferences.pictures import PROGRESS_WEEKS
from conferbook.lib.years import within_years

THIS_TERM = "term"
DATES = "dates"
EVERYTHING = "all"
TERM_PREFIX = "term-"  # "term-3": the school's term with id 3
LONG_WEEKS = MOST_TERM_WEEKS  # a class binder of more than this comes as one PDF per student


@dataclass(frozen=True)
class Period:
    """The days a printout covers; `start` and `end` are None for everything."""

    start: date | None
    end: date | None
    name: str = ""  # "Autumn term", "the last 12 weeks"; "" for dates chosen by hand
    term: bool = False  # one of the school's terms (not the last weeks, nor chosen dates)

    @property
    def long(self) -> bool:
        """Wider than a term can be: a class binder of it is sent one student at a time."""
        if self.start is None or self.end is None:
            return True
        return self.end - self.start > timedelta(weeks=LONG_WEEKS)

    def moments(self) -> tuple[datetime | None, datetime | None]:
        """From the first moment of `start` to the first moment after `end`, in the
        school's time zone (None at an open end)."""
        if self.start is None or self.end is None:
            return None, None
        return (
            aware(datetime.combine(self.start, time.min)),
            aware(datetime.combine(self.end + timedelta(days=1), time.min)),
        )

    def line(self) -> str:
        """What the printout says under its title."""
        if self.start is None or self.end is None:
            return "All conferences, every year"
        if self.name:
            return f"Conferences in {self.name}, {days_text(self.start, self.end)}"
        return f"Conferences from {days_text(self.start, self.end)}"


def days_text(start: date, end: date, *, today: date | None = None) -> str:
    """ "1 Sep to 4 Dec 2026", "1 Sep 2025 to 4 Dec 2026", or "1 Sep to today"."""
    if end == today:
        return f"{date_format(start, 'j M')} to today"
    first = date_format(start, "j M" if start.year == end.year else "j M Y")
    return f"{first} to {date_format(end, 'j M Y')}"


def this_term(today: date, among: list[Term] | None = None) -> Period:
    """The term so far (else the last PROGRESS_WEEKS weeks), as every picture of it says
    (`among`: the school's terms, when read already)."""
    span = span_of_term(today=today, weeks=PROGRESS_WEEKS, among=among)
    return Period(span.start, span.end, span.label, span.term is not None)


def of_term(term: Term) -> Period:
    return Period(term.starts_on, term.ends_on, term.name, True)


def terms_begun(today: date, among: list[Term] | None = None) -> list[Term]:
    """The school's terms that have begun, the latest first (a term not yet begun holds
    no conference to print). `among`: the school's terms, when read already."""
    return sorted(
        (
            t
            for t in (terms() if among is None else among)
            if t.starts_on <= today and within_years(t.starts_on) and within_years(t.ends_on)
        ),
        key=lambda t: (t.starts_on, t.pk),
        reverse=True,
    )


def choices(current: Period, begun: list[Term]) -> list[tuple[str, str]]:
    """The choices offered, in the order a teacher reads them (short: a select is narrow)."""
    assert current.start is not None
    name = current.name[:1].upper() + current.name[1:]
    return [
        (THIS_TERM, f"{name} (from {date_format(current.start, 'j M')})"),
        *[
            (f"{TERM_PREFIX}{t.pk}", f"{t.name} ({days_text(t.starts_on, t.ends_on)})")
            for t in begun
        ],
        (DATES, "From … to … (the days below)"),
        (EVERYTHING, "Everything (all years)"),
    ]


def period_of(
    choice: str, *, current: Period, begun: list[Term], since: date | None, until: date | None
) -> Period:
    """The period a valid choice means (`since` and `until` are read for DATES only)."""
    if choice == EVERYTHING:
        return Period(None, None)
    if choice == DATES:
        assert since is not None and until is not None
        return Period(since, until)
    for term in begun:
        if choice == f"{TERM_PREFIX}{term.pk}":
            return of_term(term)
    return current
