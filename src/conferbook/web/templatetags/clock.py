"""Times as the school writes them, for templates: {{ at|clock }}, {{ at|when }}.

The same functions (conferbook.lib.clock) write times in PDFs, messages and commands.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django import template
from django.utils import timezone

from conferbook.lib import clock as clock_text

register = template.Library()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def clock(value: time | datetime | None) -> str:
    """The time of day: "9:38 AM" (or "09:38" at a school with a 24-hour clock)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value)
    return clock_text.time_text(value)


@register.filter
def when(value: datetime | None) -> str:
    """A day and a time: "Tue 8 Dec, 9:38 AM"."""
    if not isinstance(value, datetime):
        return ""
    return clock_text.when_text(_local(value))


@register.filter
def long_when(value: datetime | None) -> str:
    """A day written out and a time: "Tuesday 8 December, 9:38 AM"."""
    if not isinstance(value, datetime):
        return ""
    return clock_text.long_when_text(_local(value))


@register.filter
def day(value: date | datetime | None) -> str:
    """A day: "Tue 8 Dec"."""
    if isinstance(value, datetime):
        return clock_text.day_text(_local(value).date())
    if isinstance(value, date):
        return clock_text.day_text(value)
    return ""
