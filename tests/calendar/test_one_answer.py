"""One class, one answer: every page names the same students overdue and the same day each
student is due, because every page asks the class calendar (conferbook.calendar.rules).

Before this, the class page and the board counted calendar days and bookings, the coverage
page school days and the scheduler its own ranking: a student last seen 21 days ago with a
booking next week was "14 school days late" on one page and not overdue on two others.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from conferbook.calendar.models import Rhythm, SchoolDay
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference
from conferbook.conferences.selectors import standings
from conferbook.conferences.services import suggest_next_time
from conferbook.roster.models import Enrollment
from conferbook.scheduling.services import schedule_class
from tests.factories import ConferenceFactory, StudentFactory, StudentGoalFactory, library_goal

pytestmark = pytest.mark.django_db


def moment(day: date, at: time = time(10, 30)) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@pytest.fixture
def world(rivera, room12):
    """A class that meets every day, so today is a school day whenever the test runs.

    Ten slots a day (10:10-10:55) and 25 students: a cycle of 3 school days."""
    room12.writing_days = "0123456"
    room12.save()
    today = timezone.localdate()
    named = {}
    for name in ("Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus"):
        named[name] = StudentFactory(first_name=name, classroom=room12)
        StudentGoalFactory(student=named[name], goal=library_goal(0))
    filler = StudentFactory.create_batch(18, classroom=room12)
    for student in filler:  # seen today: not due for a while
        ConferenceFactory(student=student, classroom=room12, started_at=moment(today, time(8)))
    # Ana: last seen 21 days ago, booked next week: late all the same.
    ConferenceFactory(
        student=named["Ana"], classroom=room12, started_at=moment(today - timedelta(21))
    )
    Conference.objects.create(
        classroom=room12,
        student=named["Ana"],
        status=Conference.Status.SCHEDULED,
        scheduled_for=moment(today + timedelta(7), time(10, 20)),
    )
    # Ben: seen yesterday.
    ConferenceFactory(
        student=named["Ben"], classroom=room12, started_at=moment(today - timedelta(1))
    )
    # Cy: never seen, in the class for a month.
    Enrollment.objects.filter(student=named["Cy"]).update(enrolled_at=moment(today - timedelta(30)))
    # Dee: never seen, joined today.
    # Two days ago was a day off.
    SchoolDay.objects.create(classroom=room12, day=today - timedelta(2), closed=True)
    # Fay: seen four days ago; with the day off, three school days since: due today.
    ConferenceFactory(
        student=named["Fay"], classroom=room12, started_at=moment(today - timedelta(4))
    )
    # Eli: seen the same day, but "see more often" (due every 2 school days): overdue.
    ConferenceFactory(
        student=named["Eli"], classroom=room12, started_at=moment(today - timedelta(4))
    )
    Rhythm.objects.create(classroom=room12, student=named["Eli"], see_more_often=True)
    # Gus: seen five days ago: due yesterday, overdue.
    ConferenceFactory(
        student=named["Gus"], classroom=room12, started_at=moment(today - timedelta(5))
    )
    # On today's list: Ana, Cy and Dee.
    for n, name in enumerate(("Cy", "Dee")):
        Conference.objects.create(
            classroom=room12,
            student=named[name],
            status=Conference.Status.SCHEDULED,
            scheduled_for=moment(today, time(10, 40 + 5 * n)),
        )
    return named


def dues_on(page: str) -> dict[str, str]:
    """Student name -> the due day a page shows for them (data-due), per student link."""
    found = {}
    for match in re.finditer(
        r'href="/students/(\d+)/[^"]*"[^>]*>(?:<strong>)?([^<]+)(?:</strong>)?.*?data-due="([\d-]+)"',
        page,
        re.S,
    ):
        found.setdefault(match.group(2).strip(), match.group(3))
    return found


def overdue_on_class_page(page: str) -> set[str]:
    return {
        m.group(1)
        for m in re.finditer(
            r'<tr id="student-\d+" class="overdue[^"]*">\s*<td><a [^>]*><strong>([^<]+)</strong>',
            page,
        )
    }


def test_every_page_names_the_same_students_overdue_and_the_same_due_days(
    world, rivera_client, room12
):
    truth = standings(classroom=room12)
    by_name = {s.first_name: truth[s.pk] for s in world.values()}
    expected_overdue = {"Ana", "Cy", "Eli", "Gus"}
    assert {name for name, st in by_name.items() if st.overdue} == expected_overdue
    expected_due = {name: st.due.isoformat() for name, st in by_name.items()}

    class_page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    assert overdue_on_class_page(class_page) == expected_overdue
    assert f"{len(expected_overdue)} overdue" in class_page
    shown = {k: v for k, v in dues_on(class_page).items() if k in expected_due}
    assert shown == expected_due

    for name, student in world.items():
        page = rivera_client.get(f"/students/{student.pk}/?class={room12.pk}").content.decode()
        due = re.search(r'data-due="([\d-]+)"', page)
        assert due and due.group(1) == expected_due[name], name
        assert ("Overdue since" in page) == (name in expected_overdue), name

    board = rivera_client.get(f"/classes/{room12.pk}/board/?overdue=on").content.decode()
    on_board = set(re.findall(r'<a class="board-name"[^>]*>([^<]+)</a>', board))
    assert on_board == expected_overdue
    for name in expected_overdue:
        card = board.partition(f">{name}</a>")[2].partition("</li>")[0]
        assert f'data-due="{expected_due[name]}"' in card, name

    coverage = rivera_client.get(f"/classes/{room12.pk}/coverage/").content.decode()
    late_rows = set(
        re.findall(r'<tr id="coverage-\d+" class="overdue"><td><a [^>]*>(\w+) ', coverage)
    )
    assert late_rows == expected_overdue
    in_coverage = {
        int(pk): due
        for pk, due in re.findall(r'<tr id="coverage-(\d+)".*?data-due="([\d-]+)"', coverage, re.S)
    }
    for name, student in world.items():
        if student.pk in in_coverage:
            assert in_coverage[student.pk] == expected_due[name], name
    assert {s.pk for n, s in world.items() if n in expected_overdue} <= set(in_coverage)

    today_page = rivera_client.get(f"/classes/{room12.pk}/today/").content.decode()
    rows = re.findall(r'<li class="card today-row.*?</li>', today_page, re.S)
    marked = {
        re.search(r"<strong>(\w+)</strong>", r).group(1)  # type: ignore[union-attr]
        for r in rows
        if "data-overdue" in r
    }
    assert marked == {"Cy"}  # of Cy and Dee, on today's list, only Cy is late
    assert "Overdue since " + by_name["Cy"].due.strftime("%a %-d %b") in today_page


def test_the_scheduler_and_the_suggestion_follow_the_same_due_days(world, rivera, room12):
    truth = standings(classroom=room12)
    tomorrow = timezone.localdate() + timedelta(days=1)
    result = schedule_class(teacher=rivera, classroom=room12, start=tomorrow, school_days=3)
    first_day = [
        c.student_id
        for c in Conference.objects.filter(
            classroom=room12, planned=True, scheduled_for__date=result.days[0]
        ).order_by("scheduled_for")
    ]
    # The scheduler takes the earliest due first: the overdue students lead the first day.
    overdue = {pk for pk, st in truth.items() if st.overdue}
    assert overdue <= set(first_day)
    assert [truth[pk].due for pk in first_day] == sorted(truth[pk].due for pk in first_day)

    # The next-time suggestion after today's conference: the day the calendar says they
    # fall due, at the first slot free then.
    ben = world["Ben"]
    Conference.objects.filter(student=ben, status=Conference.Status.SCHEDULED).delete()
    calendar = calendar_for(classroom=room12)
    suggested = suggest_next_time(classroom=room12, student=ben)
    assert suggested is not None
    assert timezone.localtime(suggested).date() <= calendar.due_date(ben.pk, timezone.localdate())
