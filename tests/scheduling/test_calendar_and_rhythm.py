"""Days off, short days, "see more often" and weekly times away, as the scheduler honours them."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conferbook.calendar.models import Rhythm, SchoolDay, Unavailability
from conferbook.conferences.models import Conference
from conferbook.scheduling.services import schedule_class
from tests.factories import StudentFactory
from tests.helpers import a_coming_monday, shown_messages

pytestmark = pytest.mark.django_db

MONDAY = a_coming_monday()


def local(conference: Conference) -> datetime:
    assert conference.scheduled_for is not None
    return timezone.localtime(conference.scheduled_for)


@pytest.fixture
def students(room12):
    return [StudentFactory(first_name=f"S{i:02d}", classroom=room12) for i in range(12)]


def planned(classroom) -> list[Conference]:
    return list(Conference.objects.filter(classroom=classroom, planned=True))


def test_it_never_books_a_closed_day(rivera, room12, students):
    SchoolDay.objects.create(classroom=room12, day=MONDAY + timedelta(days=2), closed=True)
    result = schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    assert MONDAY + timedelta(days=2) not in result.days
    assert result.days[-1] == MONDAY + timedelta(days=7)  # the week runs one day longer
    assert all(local(c).date() != MONDAY + timedelta(days=2) for c in planned(room12))


def test_it_uses_only_the_slots_that_fit_on_a_short_day(rivera, room12, students):
    SchoolDay.objects.create(classroom=room12, day=MONDAY, closed=False, ends_at=time(10, 30))
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=3)
    monday = [local(c).time() for c in planned(room12) if local(c).date() == MONDAY]
    # 10:10, 10:15, 10:20 and 10:25 end by 10:30; later slots are not used that day.
    assert sorted(monday) == [time(10, 10), time(10, 15), time(10, 20), time(10, 25)]


def test_it_sees_a_student_marked_see_more_often_about_twice_as_often(rivera, room12):
    many = [StudentFactory(first_name=f"S{i:02d}", classroom=room12) for i in range(30)]
    Rhythm.objects.create(classroom=room12, student=many[7], see_more_often=True)
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=20)
    counts = Counter(c.student_id for c in planned(room12))
    others = [counts[s.pk] for s in many if s != many[7]]
    assert counts[many[7].pk] >= 2 * min(others) - 3
    assert counts[many[7].pk] > max(others)


def test_it_never_books_a_weekly_time_away(rivera, room12, students):
    away = students[3]
    Unavailability.objects.create(
        classroom=room12, student=away, weekday=0, start=time(10, 0), end=time(11, 0)
    )
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    booked = [local(c) for c in planned(room12) if c.student_id == away.pk]
    assert booked and all(at.weekday() != 0 for at in booked)


def test_it_manages_days_off_from_the_page(rivera_client, room12):
    url = f"/classes/{room12.pk}/school-days/"
    rivera_client.post(url, {"day": "2026-12-24", "closed": "on", "note": "Winter break"})
    rivera_client.post(url, {"day": "2026-12-18", "ends_at": "10:30", "note": "Assembly"})
    refused = rivera_client.post(url, {"day": "2026-12-17"})
    assert "Tick “No writing block” or give the time" in refused.content.decode()
    days = {d.day: d for d in SchoolDay.objects.filter(classroom=room12)}
    assert days[date(2026, 12, 24)].closed
    assert days[date(2026, 12, 18)].ends_at == time(10, 30)
    assert date(2026, 12, 17) not in days


def test_it_imports_days_off_from_a_school_calendar(rivera_client, room12):
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//School//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20261126\r\nDTEND;VALUE=DATE:20261128\r\n"
        b"SUMMARY:Thanksgiving break\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20261201T150000Z\r\nDTEND:20261201T160000Z\r\n"
        b"SUMMARY:Staff meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/import/",
        {"file": SimpleUploadedFile("school.ics", ics, content_type="text/calendar")},
        follow=True,
    )
    assert "Found 2 days off in the calendar; 2 new ones added." in shown_messages(response)
    assert sorted(SchoolDay.objects.values_list("day", "note")) == [
        (date(2026, 11, 26), "Thanksgiving break"),
        (date(2026, 11, 27), "Thanksgiving break"),
    ]


def test_it_refuses_a_file_that_is_not_a_calendar(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/import/",
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\nxx")},
        follow=True,
    )
    assert any("not a calendar file" in m for m in shown_messages(response))
    assert not SchoolDay.objects.exists()


def test_it_sets_rhythm_and_times_away_from_the_page(rivera_client, room12, students):
    student = students[0]
    url = f"/classes/{room12.pk}/students/{student.pk}/rhythm/"
    rivera_client.post(url, {"see_more_often": "1"})
    assert Rhythm.objects.get(student=student).see_more_often
    rivera_client.post(url, {"weekday": "2", "start": "10:00", "end": "10:30", "note": "Speech"})
    away = Unavailability.objects.get(student=student)
    assert (away.weekday, away.start, away.end) == (2, time(10, 0), time(10, 30))
    bad = rivera_client.post(url, {"weekday": "2", "start": "10:30", "end": "10:00"})
    assert "The end must come after the start." in bad.content.decode()
    rivera_client.post(f"/unavailability/{away.pk}/delete/")
    assert not Unavailability.objects.exists()


def test_it_keeps_rhythm_pages_to_the_class_the_student_is_in(rivera_client, room12, rivera):
    from tests.factories import ClassroomFactory

    other = ClassroomFactory(name="Rivera reading", teachers=[rivera])  # hers, not room12
    stranger = StudentFactory(classroom=other)
    assert (
        rivera_client.get(f"/classes/{room12.pk}/students/{stranger.pk}/rhythm/").status_code == 404
    )
