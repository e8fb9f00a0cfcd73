"""Small helpers the tests share: reading a page as a teacher sees it."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.roster.models import Classroom


def shown_messages(response: HttpResponse) -> list[str]:
    """The flash messages on the page, as the teacher reads them."""
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(text).strip() for text in found]


def section(text: str, start: str) -> str:
    """The HTML from the element whose opening tag contains `start` to its </section>."""
    match = re.search(re.escape(start) + r".*?</section>", text, re.S)
    assert match, f"{start!r} not found in the page"
    return match.group(0)


def a_coming_monday() -> date:
    """The Monday of next week or the one after: all its slots lie ahead whenever tests run.

    The scheduler never books a slot that has begun, so a test that plans a week must plan
    one in the future; at least six days ahead keeps the whole school week in the future.
    """
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday() + (7 if today.weekday() == 0 else 0))


def a_coming_weekday(days: int = 1) -> date:
    """The first Monday-to-Friday at least `days` days ahead: a day the default writing
    block (Monday to Friday) meets, whatever day the tests run."""
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def weekdays_ahead(count: int) -> date:
    """The `count`-th Monday-to-Friday after today: distinct and in order for 1, 2, 3…, so
    tests that book "in two days" and "in four days" land on two different school days."""
    day = timezone.localdate()
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def queries_for(client: Client, url: str, **headers: str) -> list[str]:
    """The SQL of one GET of `url` (after a first one: a session's first request writes it)."""
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_same_count(
    small: list[str], large: list[str], page: str, *, sizes: tuple[int, int]
) -> None:
    """Fail, naming the most repeated queries, when a page's query count grows with rows."""
    if len(small) == len(large):
        return
    repeated = Counter(large).most_common(3)
    details = "\n".join(f"  {n}x {sql[:300]}" for sql, n in repeated)
    pytest.fail(
        f"The {page} issues {len(small)} queries with {sizes[0]} rows and {len(large)} with "
        f"{sizes[1]}; most repeated with {sizes[1]}:\n{details}"
    )


def book_today(classroom: Classroom) -> None:
    """Make the class write all day, every day, and book everyone from now on, so that
    today's list has conferences to start. Near midnight no slot is left today: a test
    that calls this takes the `at_midday` fixture."""
    from conferbook.scheduling.services import schedule_class

    classroom.writing_days = "0123456"
    classroom.block_start, classroom.block_end = time(0, 0), time(23, 59)
    classroom.save()
    schedule_class(
        teacher=classroom.teachers.order_by("pk").first(),
        classroom=classroom,
        start=timezone.localdate(),
        school_days=1,
    )


def make_administrator(user):
    """Make `user` one of the school's administrators (the school saved if need be)."""
    from conferbook.accounts.services import ensure_school

    ensure_school().administrators.add(user)
    return user
