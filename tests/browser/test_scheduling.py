"""A teacher schedules two weeks, marks a student absent and sees who moved."""

from __future__ import annotations

import re
from datetime import time

import pytest

from conferbook.conferences.models import Conference
from tests.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_schedules_two_weeks_and_moves_an_absent_student(
    at_midday, signed_in, live_server, room12, shots
):
    page = signed_in
    # Writing every day of the week, so "today" is always a school day for this test.
    room12.writing_days = "0123456"
    room12.save()
    for name in ("Ana", "Ben", "Cy", "Dee"):
        StudentFactory(first_name=name, classroom=room12)

    # The teacher edits the writing block and watches the answer change as they type.
    page.goto(f"{live_server.url}/classes/{room12.pk}/settings/")
    answer = page.locator("#block-answer")
    assert "10 conferences a day" in answer.inner_text()
    page.get_by_label("Conference length (minutes)").fill("4")
    page.locator("#block-answer", has_text="12 conferences a day").wait_for()
    page.get_by_label("Conference length (minutes)").fill("5")
    page.locator("#block-answer", has_text="10 conferences a day").wait_for()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Class settings saved.").wait_for()
    # A class writing all day, so today has slots left whenever the test runs.
    room12.refresh_from_db()
    room12.block_start, room12.block_end = time(0, 0), time(23, 59)
    room12.save()

    page.goto(f"{live_server.url}/classes/{room12.pk}/")
    page.get_by_role("link", name="Today").click()
    page.get_by_role("link", name="Schedule").click()
    assert "every student is booked at least once every 1 school day" in page.inner_text("main")
    shots(page, "schedule-form")
    page.get_by_label("For how many school days").fill("10")
    page.get_by_role("button", name="Book the conferences").click()
    page.get_by_text(re.compile(r"Booked 40 conferences over 10 school days")).wait_for()
    shots(page, "week-after-scheduling")

    page.get_by_role("link", name="Today").click()
    page.get_by_role("heading", name=re.compile("^Today")).wait_for()
    rows = page.locator(".today-row")
    assert rows.count() == 4
    first = rows.first.locator(".today-who strong").inner_text()
    shots(page, "today")
    rows.first.get_by_role("button", name="Absent").click()
    message = page.get_by_text(re.compile(rf"{first} is absent\. Moved: {first}"))
    message.wait_for()
    shots(page, "today-after-absence")
    assert page.locator(".today-row").count() == 3
    assert Conference.objects.filter(status=Conference.Status.SCHEDULED).count() == 40
