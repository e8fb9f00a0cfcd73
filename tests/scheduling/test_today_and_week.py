"""Today's list and the week calendar, at fixed moments of a school day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.scheduling.selectors import today_for
from tests.factories import ConferenceFactory, StudentFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def book(classroom, student, when: datetime, **extra) -> Conference:
    return Conference.objects.create(
        classroom=classroom,
        student=student,
        status=extra.pop("status", Conference.Status.SCHEDULED),
        scheduled_for=when,
        **extra,
    )


@pytest.fixture
def three(room12):
    return [StudentFactory(first_name=name, classroom=room12) for name in ("Ana", "Ben", "Cy")]


def test_it_orders_today_and_knows_who_is_now_and_next(room12, three):
    ana, ben, cy = three
    book(room12, cy, at(MONDAY, 10, 20))
    book(room12, ana, at(MONDAY, 10, 10), status=Conference.Status.HELD)
    book(room12, ben, at(MONDAY, 10, 15))
    book(room12, ana, at(MONDAY + timedelta(days=1), 10, 10))  # tomorrow: not today

    today = today_for(classroom=room12, now=at(MONDAY, 10, 16))
    assert [r.conference.student.first_name for r in today.rows] == ["Ana", "Ben", "Cy"]
    assert [(r.is_done, r.is_now, r.is_next) for r in today.rows] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    assert today.minutes_left == 44


def test_it_says_no_time_left_outside_the_block(room12):
    assert today_for(classroom=room12, now=at(MONDAY, 9, 0)).minutes_left is None
    assert today_for(classroom=room12, now=at(MONDAY, 11, 30)).minutes_left is None


def test_it_shows_todays_page_with_start_buttons(rivera_client, room12, three):
    book(room12, three[1], timezone.now().replace(second=0, microsecond=0))
    page = rivera_client.get(f"/classes/{room12.pk}/today/").content.decode()
    assert "Ben" in page
    assert "Start</button>" in page


def test_it_shows_the_week_with_reading_and_writing_told_apart(rivera_client, room12, three):
    ana, ben, cy = three
    book(room12, ana, at(MONDAY, 10, 10))
    book(room12, ben, at(MONDAY + timedelta(days=2), 10, 15), kind=Conference.Kind.READING)
    book(room12, cy, at(MONDAY + timedelta(days=7), 10, 15))  # next week
    page = rivera_client.get(f"/classes/{room12.pk}/week/?start=2026-11-25").content.decode()
    assert "week of 23 November 2026" in page
    assert page.count('class="week-item') == 2
    assert "Reading" in page
    assert "Sat" not in page  # only writing days


def test_it_answers_a_malformed_week_with_this_week(rivera_client, room12):
    assert rivera_client.get(f"/classes/{room12.pk}/week/?start=2026-99-99").status_code == 200


def test_it_hides_today_and_week_from_another_teacher(okafor_client, room12):
    assert okafor_client.get(f"/classes/{room12.pk}/today/").status_code == 404
    assert okafor_client.get(f"/classes/{room12.pk}/week/").status_code == 404


@pytest.mark.parametrize("view", ["today", "week"])
def test_it_keeps_the_query_count_flat(rivera_client, room12, view):
    def count(n: int) -> int:
        Conference.objects.all().delete()
        for i in range(n):
            student = StudentFactory(classroom=room12)
            book(room12, student, timezone.now() + timedelta(minutes=i))
        with CaptureQueriesContext(connection) as queries:
            assert rivera_client.get(f"/classes/{room12.pk}/{view}/").status_code == 200
        return len(queries)

    assert count(3) == count(30)


def test_it_shows_the_month_on_one_printable_page_and_ignores_a_malformed_month(
    rivera_client, room12, three
):
    book(room12, three[0], at(MONDAY, 10, 10))
    page = rivera_client.get(f"/classes/{room12.pk}/month/?month=2026-11").content.decode()
    assert "November 2026" in page
    assert "10:10 AM Ana" in page
    assert rivera_client.get(f"/classes/{room12.pk}/month/?month=junk").status_code == 200


def test_it_tells_who_was_seen_this_cycle_and_who_is_late(at_midday, rivera_client, room12, three):
    ana, ben, _ = three
    ConferenceFactory(student=ana, started_at=timezone.now() - timedelta(hours=2))
    ConferenceFactory(student=ben, started_at=timezone.now() - timedelta(days=21))
    page = rivera_client.get(f"/classes/{room12.pk}/coverage/").content.decode()
    seen = page.partition("Seen this cycle")[2]
    not_seen = page.partition("Not seen this cycle")[2].partition("Seen this cycle")[0]
    assert "Ana" in seen and "Ana" not in not_seen
    assert "Ben" in not_seen and "school days" in not_seen
    assert "Cy" in not_seen  # enrolled today, never seen: not yet due
    assert "not yet due" in not_seen
