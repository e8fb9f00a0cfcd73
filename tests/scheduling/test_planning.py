"""Scheduling a class from the database: the plan, hand bookings, absences, the next booking."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference
from conferbook.conferences.services import suggest_next_time
from conferbook.roster.models import Enrollment
from conferbook.scheduling.services import mark_absent, schedule_class
from tests.factories import StudentFactory
from tests.helpers import a_coming_monday

pytestmark = pytest.mark.django_db

MONDAY = a_coming_monday()
SCHEDULED = Conference.Status.SCHEDULED


def at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def class_of_29(room12):
    return [StudentFactory(first_name=f"S{i:02d}", classroom=room12) for i in range(29)]


def booked(classroom) -> list[Conference]:
    return list(
        Conference.objects.filter(classroom=classroom, status=SCHEDULED).order_by("scheduled_for")
    )


def test_it_books_everyone_with_the_shortest_possible_gap(rivera, room12, class_of_29):
    result = schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    assert (result.plan.longest_gap, result.plan.lower_bound) == (3, 3)
    assert result.plan.unbooked == ()
    rows = booked(room12)
    assert len(rows) == result.created == 100  # 10 slots a day for 10 days, all used
    slots = {at(d, t.hour, t.minute) for d in result.days for t in room12.slot_times()}
    assert {c.scheduled_for for c in rows} <= slots  # only writing days, only slot times
    assert len({c.scheduled_for for c in rows}) == len(rows)  # no slot double-booked
    assert all(c.planned for c in rows)
    days_of = {}
    for c in rows:
        days_of.setdefault(c.student_id, []).append(result.days.index(c.scheduled_for.date()))
    for student in class_of_29:  # everyone in every window of 3 school days
        seen = days_of[student.pk]
        assert seen[0] < 3 and all(b - a <= 3 for a, b in itertools.pairwise(seen))


def test_it_skips_non_writing_days(rivera, room12, class_of_29):
    room12.writing_days = "024"  # Mon, Wed, Fri
    room12.save()
    days = calendar_for(classroom=room12).school_days_from(MONDAY, 5)
    assert [d.weekday() for d in days] == [0, 2, 4, 0, 2]
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    assert {timezone.localtime(c.scheduled_for).weekday() for c in booked(room12)} <= {0, 2, 4}


def test_it_keeps_hand_bookings_and_replaces_its_own_plan(rivera, room12, class_of_29):
    hand = Conference.objects.create(
        classroom=room12, student=class_of_29[5], status=SCHEDULED, scheduled_for=at(MONDAY, 10, 10)
    )
    first = schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    again = schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    hand.refresh_from_db()
    assert hand.scheduled_for == at(MONDAY, 10, 10) and not hand.planned
    assert first.created == again.created
    rows = booked(room12)
    assert len(rows) == again.created + 1  # re-planning never piles up bookings
    assert len({c.scheduled_for for c in rows}) == len(rows)


def test_it_sees_the_longest_waiting_students_first(rivera, room12, class_of_29):
    from tests.factories import ConferenceFactory

    for i, student in enumerate(class_of_29):
        if i != 17:  # S17 never seen; everyone else seen recently
            ConferenceFactory(student=student, started_at=timezone.now() - timedelta(days=1))
    # S17 has been in the class for two months: the planned Monday may be two weeks away,
    # and a student who joined today would not have waited longer than the others by then.
    Enrollment.objects.filter(student=class_of_29[17]).update(
        enrolled_at=timezone.now() - timedelta(days=60)
    )
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=3)
    assert booked(room12)[0].student == class_of_29[17]


def test_it_moves_an_absent_student_and_never_drops_them(rivera, room12):
    students = [StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy")]
    today = MONDAY  # a future school day, so none of its slots has passed
    schedule_class(teacher=rivera, classroom=room12, start=today, school_days=5)
    ana_today = next(
        c for c in booked(room12) if c.student == students[0] and c.scheduled_for.date() == today
    )
    moves = mark_absent(
        classroom=room12, student=students[0], day=today, now=at(MONDAY, 9, 0)
    ).moves
    assert moves and moves[0].student == students[0]
    ana_today.refresh_from_db()
    assert timezone.localtime(ana_today.scheduled_for).date() > today
    assert ana_today.status == SCHEDULED
    assert len({c.scheduled_for for c in booked(room12)}) == len(booked(room12))


def test_it_says_who_moved_on_todays_page(at_midday, rivera_client, rivera, room12):
    students = [StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy")]
    # Writing all day, every day, so today always has slots left whenever the test runs.
    room12.writing_days = "0123456"
    room12.block_start, room12.block_end = time(0, 0), time(23, 59)
    room12.save()
    schedule_class(teacher=rivera, classroom=room12, start=timezone.localdate(), school_days=5)
    response = rivera_client.post(
        f"/classes/{room12.pk}/today/absent/", {"student": students[1].pk}, follow=True
    )
    assert "Ben is absent. Moved: Ben" in response.content.decode()


def test_it_suggests_the_scheduled_booking_when_a_conference_ends(rivera, room12, class_of_29):
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    student = class_of_29[3]
    first = booked(room12)[0].scheduled_for - timedelta(minutes=1)
    expected = next(c.scheduled_for for c in booked(room12) if c.student == student)
    assert suggest_next_time(classroom=room12, student=student, after=first) == expected


def test_it_schedules_from_the_page_and_states_the_guarantee(rivera_client, room12, class_of_29):
    page = rivera_client.get(f"/classes/{room12.pk}/schedule/").content.decode()
    assert "every student is booked at least once every <strong>3</strong> school days" in page
    response = rivera_client.post(
        f"/classes/{room12.pk}/schedule/",
        {"start": MONDAY.isoformat(), "school_days": "10"},
        follow=True,
    )
    text = response.content.decode()
    assert "Booked 100 conferences over 10 school days" in text
    assert (
        "Longest wait between two conferences: 3 school days (the writing block allows 3)" in text
    )


def test_it_hides_scheduling_from_another_teacher(okafor_client, room12, class_of_29):
    assert okafor_client.get(f"/classes/{room12.pk}/schedule/").status_code == 404
    response = okafor_client.post(
        f"/classes/{room12.pk}/schedule/", {"start": MONDAY.isoformat(), "school_days": "10"}
    )
    assert response.status_code == 404
    assert not Conference.objects.exists()


def test_it_calls_nobody_into_a_slot_whose_time_has_passed(rivera, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(30)]
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    first = booked(room12)[0]
    late = at(MONDAY, 10, 40)  # the teacher marks the 10:10 student absent at 10:40
    moves = mark_absent(classroom=room12, student=first.student, day=MONDAY, now=late).moves
    assert moves[0].student == first.student
    assert all(m.now > late for m in moves)  # nobody moved into the past 10:10 slot
    assert students  # the class is full: a free slot only exists by moving someone


def test_it_does_not_call_in_someone_already_seen_today(rivera, room12):
    students = [StudentFactory(first_name=f"S{i}", classroom=room12) for i in range(30)]
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    seen = booked(room12)[1].student  # seen at 10:15 ... and held already
    Conference.objects.create(
        classroom=room12,
        student=seen,
        status=Conference.Status.HELD,
        started_at=at(MONDAY, 10, 0),
        ended_at=at(MONDAY, 10, 4),
    )
    first = booked(room12)[0]
    moves = mark_absent(
        classroom=room12, student=first.student, day=MONDAY, now=at(MONDAY, 9, 0)
    ).moves
    assert all(m.student != seen or m.now.date() != MONDAY for m in moves)
    assert len(students) == 30
