"""The coverage picture: students x school days, what happened on each, who is late."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.calendar.models import SchoolDay
from conferbook.conferences.models import Conference, GroupConference
from conferbook.scheduling import pictures
from conferbook.scheduling.selectors import MOST_GRID_DAYS, coverage_grid
from tests.factories import ConferenceFactory, StudentFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def held(student, day: date, **extra) -> Conference:
    return ConferenceFactory(student=student, started_at=at(day), **extra)


def test_each_day_shows_what_happened(room12, rivera):
    ana, ben, cy, _dee = (
        StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy", "Dee")
    )
    held(ana, MONDAY)
    group = GroupConference.objects.create(
        classroom=room12, name="Leads", started_at=at(MONDAY + timedelta(days=1))
    )
    held(ben, MONDAY + timedelta(days=1), group_conference=group)
    Conference.objects.create(
        classroom=room12,
        student=cy,
        status=Conference.Status.MISSED,
        scheduled_for=at(MONDAY + timedelta(days=2)),
    )
    Conference.objects.create(
        classroom=room12,
        student=ana,
        status=Conference.Status.SCHEDULED,
        scheduled_for=at(MONDAY + timedelta(days=8)),
    )
    SchoolDay.objects.create(classroom=room12, day=MONDAY + timedelta(days=3), note="Holiday")
    grid = coverage_grid(
        classroom=room12,
        start=MONDAY,
        end=MONDAY + timedelta(days=9),
        today=MONDAY + timedelta(days=4),
    )
    assert grid.days == [MONDAY + timedelta(days=k) for k in (0, 1, 2, 3, 4, 7, 8, 9)]
    marks = {row.name.split()[0]: row.marks for row in grid.rows}
    assert marks["Ana"] == ("one-on-one", "", "", "off", "", "", "booked", "")
    assert marks["Ben"] == ("", "small group", "", "off", "", "", "", "")
    assert marks["Cy"] == ("", "", "missed", "off", "", "", "", "")
    assert marks["Dee"] == ("", "", "", "off", "", "", "", "")
    assert grid.off == {MONDAY + timedelta(days=3): "Thu 26 Nov is a day off (Holiday)."}
    assert [(w.monday, w.one_on_one, w.small_group) for w in grid.weeks] == [
        (MONDAY, 1, 1),
        (MONDAY + timedelta(days=7), 0, 0),
    ]
    slots = grid.weeks[0].allowed
    assert slots > 0 and grid.weeks[1].allowed == slots * 3 // 4  # 3 of 4 school days
    assert grid.week_summary() == (
        f"Week of Mon 23 Nov: 1 one-on-one conference in {slots} slots, "
        "and 1 student seen in small groups."
    )
    weeks = pictures.weeks_picture(grid)
    assert [bar.one_on_one for bar in weeks.bars] == [1, 0]
    assert weeks.bars[0].allowed_height == pictures.WEEKS_HEIGHT  # the fullest week
    picture = pictures.coverage_picture(grid)
    ana_row = next(r for r in picture.rows if r.name.startswith("Ana"))
    assert ana_row.cells[0].label == "Ana Example, Mon 23 Nov: held one-on-one"
    assert ana_row.letters[:4] == ["1", "", "", "off"]


def test_a_held_conference_outranks_a_booking_the_same_day(room12):
    ana = StudentFactory(first_name="Ana", classroom=room12)
    held(ana, MONDAY)
    Conference.objects.create(
        classroom=room12,
        student=ana,
        status=Conference.Status.MISSED,
        scheduled_for=at(MONDAY, 9),
    )
    grid = coverage_grid(classroom=room12, start=MONDAY, end=MONDAY, today=MONDAY)
    assert grid.rows[0].marks == ("one-on-one",)


def test_the_late_come_first_and_the_sentence_names_them(room12):
    today = MONDAY + timedelta(days=21)
    late = StudentFactory(first_name="Lan", classroom=room12)
    held(late, MONDAY)
    fine = StudentFactory(first_name="Aarav", classroom=room12)
    held(fine, today)
    grid = coverage_grid(classroom=room12, start=MONDAY, end=today, today=today)
    assert grid.rows[0].name == "Lan Example"
    assert grid.rows[0].standing.overdue
    late_by = grid.rows[0].standing.school_days_late
    assert grid.summary() == (
        f"Seen 1 of 2 this cycle; Lan Example is {late_by} school day"
        f"{'s' if late_by != 1 else ''} late."
    )
    assert grid.promise_column is not None
    assert grid.days[grid.promise_column] == grid.cycle_start


def test_the_sentence_when_nobody_is_late(room12):
    ana = StudentFactory(first_name="Ana", classroom=room12)
    held(ana, MONDAY)
    grid = coverage_grid(classroom=room12, start=MONDAY, end=MONDAY, today=MONDAY)
    assert grid.summary() == "Seen 1 of 1 this cycle; nobody is late."


def test_the_page_draws_the_picture_with_a_sentence_and_a_table(room12, rivera_client):
    ana = StudentFactory(first_name="Ana", classroom=room12)
    # Seen just now: in this cycle whatever the day (on a Monday, yesterday is not).
    ConferenceFactory(student=ana, started_at=timezone.now())
    page = rivera_client.get(f"/classes/{room12.pk}/coverage/").content.decode()
    assert '<svg class="coverage-grid" role="img" aria-labelledby="grid-title grid-summary"' in page
    assert "Seen 1 of 1 this cycle" in page
    assert "The same, as a table" in page
    assert "everyone within" in page
    assert '<svg class="weeks-chart" role="img"' in page
    assert "one-on-one conference" in page


def _queries(client, classroom) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/classes/{classroom.pk}/coverage/?show=12w")
    assert response.status_code == 200
    return len(queries)


def test_the_page_reads_in_a_fixed_number_of_queries(room12, rivera_client):
    first = StudentFactory(classroom=room12)
    held(first, timezone.localdate() - timedelta(days=3))
    few = _queries(rivera_client, room12)
    for n in range(24):
        student = StudentFactory(classroom=room12)
        for weeks in range(1, 12, 2):
            held(student, timezone.localdate() - timedelta(weeks=weeks, days=n % 5))
    assert _queries(rivera_client, room12) == few


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=yesterday&to=today", "From and To need two dates"),
        ("from=2026-12-01&to=2026-11-01", "From comes after To"),
        ("from=9999-12-31&to=9999-12-31", "Here are the last two cycles"),
        ("from=0001-01-01&to=2026-12-01", "Here are the last two cycles"),
    ],
)
def test_a_range_that_cannot_be_shown_says_why(room12, rivera_client, query, message):
    StudentFactory(classroom=room12)
    usual = rivera_client.get(f"/classes/{room12.pk}/coverage/").context["start"]
    response = rivera_client.get(f"/classes/{room12.pk}/coverage/?{query}", follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["show"] == "cycle" and response.context["start"] == usual


def test_a_long_range_is_cut_with_a_message(room12, rivera_client):
    StudentFactory(classroom=room12)
    response = rivera_client.get(f"/classes/{room12.pk}/coverage/?from=2020-01-01&to=2026-12-01")
    page = response.content.decode()
    assert f"The picture shows {MOST_GRID_DAYS} school days at most" in page
    assert page.count('class="day-number"') <= MOST_GRID_DAYS
