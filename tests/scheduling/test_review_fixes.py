"""Issue 3 review: each test failed on the code before its fix."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from conferbook.calendar.models import Rhythm, SchoolDay
from conferbook.conferences.models import Conference
from conferbook.conferences.services import book_conference
from conferbook.groups.models import SmallGroup
from conferbook.scheduling.calendar_import import days_off
from conferbook.scheduling.models import CalendarFeed, GroupAppointment
from conferbook.scheduling.selectors import coverage_for, today_for
from conferbook.scheduling.services import mark_absent, schedule_class
from tests.factories import ConferenceFactory, StudentFactory
from tests.helpers import a_coming_monday, shown_messages

pytestmark = pytest.mark.django_db

MONDAY = a_coming_monday()
SCHEDULED = Conference.Status.SCHEDULED


def at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_it_keeps_a_reading_booking_reading_when_a_writing_conference_books_it(rivera, room12):
    room12.reading_days, room12.reading_start, room12.reading_end = "01234", time(13), time(14)
    room12.save()
    zoe = StudentFactory(classroom=room12)
    reading = Conference.objects.create(
        classroom=room12,
        student=zoe,
        status=SCHEDULED,
        scheduled_for=at(MONDAY, 13, 10),
        kind=Conference.Kind.READING,
        planned=True,
    )
    book_conference(
        teacher=rivera,
        classroom=room12,
        student=zoe,
        at=at(MONDAY, 13, 10),
        kind=Conference.Kind.WRITING,
    )
    reading.refresh_from_db()
    assert reading.kind == Conference.Kind.READING


def test_it_remembers_an_absence_when_the_class_is_scheduled_again(rivera, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(30)]
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    absent = Conference.objects.filter(classroom=room12).order_by("scheduled_for").first()
    mark_absent(classroom=room12, student=absent.student, day=MONDAY, now=at(MONDAY, 9, 0))
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    on_monday = Conference.objects.filter(
        student=absent.student, scheduled_for__date=MONDAY, status=SCHEDULED
    )
    assert not on_monday.exists()
    assert students


def test_it_never_books_over_a_hand_booking_between_slot_times(rivera, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(30)]
    Conference.objects.create(
        classroom=room12, student=students[0], status=SCHEDULED, scheduled_for=at(MONDAY, 10, 12)
    )
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=1)
    times = sorted(
        timezone.localtime(c.scheduled_for).time()
        for c in Conference.objects.filter(classroom=room12, scheduled_for__date=MONDAY)
    )
    assert time(10, 10) not in times  # the 10:12 booking holds the 10:10 slot
    assert len(times) == 10


def test_it_refuses_to_schedule_from_a_past_day(rivera_client, room12):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = rivera_client.post(
        f"/classes/{room12.pk}/schedule/", {"start": yesterday.isoformat(), "school_days": "5"}
    )
    assert "the past is not re-planned" in response.content.decode()


def test_it_does_not_count_closed_days_as_late(room12):
    student = StudentFactory(classroom=room12)
    ConferenceFactory(student=student, started_at=at(MONDAY, 10, 10))
    for i in range(1, 5):  # Tue-Fri closed
        SchoolDay.objects.create(classroom=room12, day=MONDAY + timedelta(days=i), closed=True)
    coverage = coverage_for(classroom=room12, today=MONDAY + timedelta(days=7))
    assert coverage.not_seen[0].school_days_late == 0  # due the next Monday, not late


def test_it_counts_time_left_to_a_shortened_days_end(room12):
    SchoolDay.objects.create(classroom=room12, day=MONDAY, closed=False, ends_at=time(10, 30))
    assert today_for(classroom=room12, now=at(MONDAY, 10, 20)).minutes_left == 10


def test_it_shows_reading_only_days_in_the_week_and_month(rivera_client, room12):
    room12.reading_days, room12.reading_start, room12.reading_end = "5", time(13), time(13, 30)
    room12.save()
    zoe = StudentFactory(first_name="Zoe", classroom=room12)
    saturday = MONDAY + timedelta(days=5)
    Conference.objects.create(
        classroom=room12,
        student=zoe,
        status=SCHEDULED,
        scheduled_for=at(saturday, 13, 10),
        kind=Conference.Kind.READING,
    )
    week = rivera_client.get(f"/classes/{room12.pk}/week/?start={MONDAY}").content.decode()
    assert f"Sat {saturday:%-d %b}" in week and "Zoe" in week
    month = rivera_client.get(
        f"/classes/{room12.pk}/month/?month={saturday:%Y-%m}"
    ).content.decode()
    assert '<th scope="col">Sat</th>' in month


def test_it_leaves_missed_conferences_off_the_week(rivera_client, room12):
    zoe = StudentFactory(first_name="Zoe", classroom=room12)
    Conference.objects.create(
        classroom=room12,
        student=zoe,
        status=Conference.Status.MISSED,
        scheduled_for=at(MONDAY, 10, 10),
    )
    week = rivera_client.get(f"/classes/{room12.pk}/week/?start={MONDAY}").content.decode()
    assert 'class="week-item' not in week


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("2020-01-06T10:10", "has not passed"),
        (f"{MONDAY + timedelta(days=6)}T10:10", "no writing block"),  # a Sunday
        (f"{MONDAY + timedelta(days=7)}T10:40", "group slot times"),
        ("junk", "Please give a date and time"),
    ],
)
def test_it_refuses_a_group_booking_outside_the_group_slots(rivera_client, room12, when, message):
    room12.group_slots_per_day = 1
    room12.save()
    group = SmallGroup.objects.create(classroom=room12, name="Dialogue")
    response = rivera_client.post(f"/groups/{group.pk}/book/", {"at": when}, follow=True)
    assert any(message in m for m in shown_messages(response))
    assert not GroupAppointment.objects.exists()


def test_it_leaves_a_student_who_left_out_of_the_feed(client, room12):
    gone = StudentFactory(first_name="Gone", classroom=room12)
    Conference.objects.create(
        classroom=room12,
        student=gone,
        status=SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=1),
    )
    gone.archived_at = timezone.now()
    gone.save()
    feed = CalendarFeed.objects.create(classroom=room12)
    body = client.get(f"/calendar/{feed.token}.ics").content.decode()
    assert "Gone" not in body


def test_it_reads_only_two_years_of_days_off_around_today():
    ics = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        b"DTSTART;VALUE=DATE:20261221\r\nDTEND;VALUE=DATE:99990101\r\nSUMMARY:Forever\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    found = days_off(ics, around=date(2026, 11, 23))
    assert found[0].day == date(2026, 12, 21)
    assert found[-1].day <= date(2028, 11, 24)


def test_it_states_the_gap_with_see_more_often_students_counted_twice(rivera_client, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(20)]
    Rhythm.objects.create(classroom=room12, student=students[0], see_more_often=True)
    page = rivera_client.get(f"/classes/{room12.pk}/schedule/").content.decode()
    # 21 weighted turns over 10 slots a day: 3 school days, not ceil(20 / 10) = 2.
    assert "at least once every <strong>3</strong> school days" in page


def test_it_refuses_a_day_both_closed_and_shortened(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/",
        {"day": "2026-12-18", "closed": "on", "ends_at": "10:30"},
    )
    assert "Choose one" in response.content.decode()
    assert not SchoolDay.objects.exists()


def test_it_never_suggests_a_day_off_for_the_next_conference(room12):
    from conferbook.conferences.services import suggest_next_time

    StudentFactory(classroom=room12)  # one student: a cycle of one school day
    for i in range(1, 8):
        SchoolDay.objects.create(classroom=room12, day=MONDAY + timedelta(days=i), closed=True)
    suggested = suggest_next_time(classroom=room12, after=at(MONDAY, 11, 0))
    assert timezone.localtime(suggested).date() == MONDAY + timedelta(days=8)


def test_it_never_calls_in_a_student_already_marked_absent_today(rivera, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(30)]
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    monday = list(
        Conference.objects.filter(scheduled_for__date=MONDAY, status=SCHEDULED).order_by(
            "scheduled_for"
        )
    )
    first_absent = monday[0].student
    mark_absent(classroom=room12, student=first_absent, day=MONDAY, now=at(MONDAY, 9, 0))
    moves = mark_absent(
        classroom=room12, student=monday[1].student, day=MONDAY, now=at(MONDAY, 9, 0)
    ).moves
    assert all(
        not (m.student == first_absent and timezone.localtime(m.now).date() == MONDAY)
        for m in moves
    )
    assert len(students) == 30
