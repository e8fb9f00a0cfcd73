"""Every appointment can be trusted: a booking by hand, the next-time suggestion, an absence
and a change of rhythm all follow the class calendar (days off, short days, time away, the
slots other students hold), and a mistake can be undone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html import unescape

import pytest
from django.utils import timezone

from conferbook.calendar.models import Rhythm, SchoolDay, Unavailability
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference
from conferbook.conferences.services import start_conference, suggest_next_time
from conferbook.scheduling.models import Absence
from conferbook.scheduling.services import mark_absent, schedule_class
from tests.factories import StudentFactory
from tests.helpers import a_coming_monday, shown_messages

pytestmark = pytest.mark.django_db

MONDAY = a_coming_monday()
TUESDAY = MONDAY + timedelta(days=1)
WEDNESDAY = MONDAY + timedelta(days=2)
SCHEDULED = Conference.Status.SCHEDULED


def at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def typed(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def booking(student, classroom, when: datetime) -> Conference:  # type: ignore[no-untyped-def]
    return Conference.objects.create(
        classroom=classroom, student=student, status=SCHEDULED, scheduled_for=when
    )


def book_from_page(client, student, classroom, when: str):  # type: ignore[no-untyped-def]
    return client.post(f"/students/{student.pk}/book/", {"at": when, "classroom": classroom.pk})


def page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.content.decode())


# -- booking by hand --------------------------------------------------------------------


def test_it_refuses_a_day_off_and_keeps_the_time_typed(rivera_client, room12, zoe):
    SchoolDay.objects.create(classroom=room12, day=TUESDAY, closed=True, note="Field trip")
    response = book_from_page(rivera_client, zoe, room12, typed(at(TUESDAY, 10, 20)))
    assert response.status_code == 400
    text = page(response)
    assert f"{TUESDAY:%a} {TUESDAY.day} {TUESDAY:%b} is a day off (Field trip)." in text
    assert f'value="{typed(at(TUESDAY, 10, 20))}"' in text
    assert not Conference.objects.filter(student=zoe).exists()


def test_it_refuses_a_time_past_the_end_of_a_short_day(rivera_client, room12, zoe):
    # The block ends at 10:12 that day: a 5-minute conference at 10:10 would run past it.
    SchoolDay.objects.create(classroom=room12, day=TUESDAY, closed=False, ends_at=time(10, 12))
    response = book_from_page(rivera_client, zoe, room12, typed(at(TUESDAY, 10, 10)))
    assert response.status_code == 400
    assert "is a short day: the block ends at 10:12 AM" in page(response)
    assert not Conference.objects.filter(student=zoe).exists()


def test_it_never_suggests_a_slot_past_the_end_of_a_short_day(room12, zoe):
    SchoolDay.objects.create(classroom=room12, day=TUESDAY, closed=False, ends_at=time(10, 12))
    suggested = suggest_next_time(classroom=room12, student=zoe, after=at(MONDAY, 14, 0))
    assert suggested is not None
    assert timezone.localtime(suggested).date() != TUESDAY


def test_it_refuses_the_students_time_away(rivera_client, room12, zoe):
    Unavailability.objects.create(
        classroom=room12,
        student=zoe,
        weekday=TUESDAY.weekday(),
        start=time(10),
        end=time(10, 30),
        note="speech",
    )
    response = book_from_page(rivera_client, zoe, room12, typed(at(TUESDAY, 10, 20)))
    assert response.status_code == 400
    assert f"{zoe.shown_name} is away then: Tuesdays 10:00 AM to 10:30 AM (speech)." in page(
        response
    )


def test_it_never_suggests_the_students_time_away(room12, zoe):
    for weekday in range(5):
        Unavailability.objects.create(
            classroom=room12, student=zoe, weekday=weekday, start=time(10), end=time(10, 40)
        )
    suggested = suggest_next_time(classroom=room12, student=zoe, after=at(MONDAY, 14, 0))
    assert suggested is not None and timezone.localtime(suggested).time() >= time(10, 40)


def test_it_refuses_a_slot_another_student_holds_and_offers_the_nearest_free_one(
    rivera_client, room12, zoe
):
    ben = StudentFactory(first_name="Ben", classroom=room12)
    booking(ben, room12, at(TUESDAY, 10, 15))
    response = book_from_page(rivera_client, zoe, room12, typed(at(TUESDAY, 10, 17)))
    assert response.status_code == 400
    text = page(response)
    assert f"Ben has a conference at 10:15 AM on {TUESDAY:%a} {TUESDAY.day} {TUESDAY:%b}." in text
    assert "The nearest free time is" in text
    offer = re.search(
        r'name="at" value="([^"]+)">\s*<button type="submit">Book ([^<]+) instead', text
    )
    assert offer, "the nearest free time is one tap away"
    assert not Conference.objects.filter(student=zoe).exists()

    rivera_client.post(f"/students/{zoe.pk}/book/", {"at": offer.group(1), "classroom": room12.pk})
    booked = Conference.objects.get(student=zoe)
    assert timezone.localtime(booked.scheduled_for).strftime("%Y-%m-%dT%H:%M") == offer.group(1)
    assert booked.scheduled_for != at(TUESDAY, 10, 15)


def test_it_refuses_dates_far_away_with_a_message(rivera_client, room12, zoe):
    for when, said in (
        ("9999-12-31T10:20", "Choose a day within the coming school year."),
        ("0001-01-01T10:20", "Please choose a time that has not passed yet."),
    ):
        response = book_from_page(rivera_client, zoe, room12, when)
        assert response.status_code == 400
        assert said in page(response)
    assert not Conference.objects.filter(student=zoe).exists()
    for start in ("9999-12-31", "0001-01-01"):
        response = rivera_client.post(
            f"/classes/{room12.pk}/schedule/", {"start": start, "school_days": 5}
        )
        assert response.status_code == 200
        assert not Conference.objects.filter(classroom=room12).exists()


def test_it_refuses_a_taken_slot_when_finishing_and_books_the_offer_in_one_tap(
    rivera_client, rivera, room12, zoe
):
    ben = StudentFactory(first_name="Ben", classroom=room12)
    booking(ben, room12, at(TUESDAY, 10, 15))
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    form = {
        "discussed": "Leads that hook",
        "previous_discussed": "",
        "next_at": typed(at(TUESDAY, 10, 15)),
    }
    refused = rivera_client.post(f"/conferences/{conference.pk}/finish/", form)
    assert refused.status_code == 400
    text = page(refused)
    assert "Ben has a conference at 10:15 AM" in text
    assert "Leads that hook</textarea>" in text  # the typing is kept
    conference.refresh_from_db()
    assert conference.status == Conference.Status.IN_PROGRESS  # nothing finished
    nearest = re.search(r'name="next_at_nearest" value="([^"]+)"', text)
    assert nearest

    done = rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**form, "next_at_nearest": nearest.group(1)}
    )
    assert done.status_code == 302
    conference.refresh_from_db()
    assert conference.status == Conference.Status.HELD
    assert conference.discussed == "Leads that hook"
    booked = Conference.objects.get(student=zoe, status=SCHEDULED)
    assert timezone.localtime(booked.scheduled_for).strftime("%Y-%m-%dT%H:%M") == nearest.group(1)


def test_it_cancels_an_appointment(rivera_client, room12, zoe):
    appointment = booking(zoe, room12, at(TUESDAY, 10, 20))
    response = rivera_client.post(f"/conferences/{appointment.pk}/cancel/", follow=True)
    assert not Conference.objects.filter(pk=appointment.pk).exists()
    assert any("Cancelled Zoë's appointment" in m for m in shown_messages(response))
    # A conference already held is the record: it is never cancelled.
    held = booking(zoe, room12, at(TUESDAY, 10, 30))
    Conference.objects.filter(pk=held.pk).update(status=Conference.Status.HELD)
    response = rivera_client.post(f"/conferences/{held.pk}/cancel/", follow=True)
    assert Conference.objects.filter(pk=held.pk).exists()
    assert "Only a booked appointment can be cancelled." in shown_messages(response)


def test_the_student_page_offers_to_cancel_the_next_appointment(rivera_client, room12, zoe):
    appointment = booking(zoe, room12, at(TUESDAY, 10, 20))
    text = page(rivera_client.get(f"/students/{zoe.pk}/?class={room12.pk}"))
    assert f'action="/conferences/{appointment.pk}/cancel/"' in text


# -- absences ---------------------------------------------------------------------------


@pytest.fixture
def class_of_30(room12):
    return [StudentFactory(first_name=f"S{i:02d}", classroom=room12) for i in range(30)]


def test_it_moves_an_absent_student_within_the_cycle_not_after_the_plan(
    rivera, room12, class_of_30
):
    # Ten school days planned solid: 30 students, 10 slots a day, a cycle of 3 days.
    result = schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=10)
    calendar = calendar_for(classroom=room12)
    assert calendar.cycle_days() == 3
    absent = Conference.objects.filter(
        classroom=room12, status=SCHEDULED, scheduled_for__date=MONDAY
    ).order_by("scheduled_for")[0]
    marked = mark_absent(classroom=room12, student=absent.student, day=MONDAY, now=at(MONDAY, 9, 0))
    absent.refresh_from_db()
    new_day = timezone.localtime(absent.scheduled_for).date()
    assert MONDAY < new_day <= calendar.add_school_days(MONDAY, 3), new_day
    assert new_day < result.days[-1]
    # Nobody holds two bookings on one slot, and nobody was dropped.
    times = list(
        Conference.objects.filter(classroom=room12, status=SCHEDULED).values_list(
            "scheduled_for", flat=True
        )
    )
    assert len(times) == len(set(times))
    assert marked.absence is not None and marked.moves[0].student == absent.student


def test_the_page_says_who_moved_and_undo_puts_everything_back(
    at_midday, rivera_client, rivera, room12, class_of_30
):
    # A class that meets every day, so today is a school day whenever the test runs.
    room12.writing_days = "0123456"
    room12.block_start, room12.block_end = time(0, 0), time(23, 55)
    room12.mini_lesson_minutes = 0
    room12.conference_minutes = 30
    room12.save()
    today = timezone.localdate()
    schedule_class(teacher=rivera, classroom=room12, start=today, school_days=5)
    before = dict(
        Conference.objects.filter(classroom=room12, status=SCHEDULED).values_list(
            "pk", "scheduled_for"
        )
    )
    todays = Conference.objects.filter(
        classroom=room12, status=SCHEDULED, scheduled_for__date=today
    ).order_by("scheduled_for")
    student = todays.last().student  # the latest today: its time has not passed
    response = rivera_client.post(
        f"/classes/{room12.pk}/today/absent/", {"student": student.pk}, follow=True
    )
    said = " ".join(shown_messages(response))
    assert f"{student.shown_name} is absent. Moved: {student.shown_name}" in said
    absence = Absence.objects.get(student=student)
    text = page(response)
    assert f'action="/absences/{absence.pk}/undo/"' in text
    assert f"Undo: {student.shown_name} is here" in text

    undone = rivera_client.post(f"/absences/{absence.pk}/undo/", follow=True)
    assert f"{student.shown_name} is no longer absent." in " ".join(shown_messages(undone))
    after = dict(
        Conference.objects.filter(classroom=room12, status=SCHEDULED).values_list(
            "pk", "scheduled_for"
        )
    )
    assert after == before
    assert not Conference.objects.filter(status=Conference.Status.MISSED).exists()
    assert not Absence.objects.exists()


def test_it_will_not_undo_when_a_moved_booking_changed_since(rivera, room12, class_of_30):
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    first = Conference.objects.filter(
        classroom=room12, status=SCHEDULED, scheduled_for__date=MONDAY
    ).order_by("scheduled_for")[0]
    marked = mark_absent(classroom=room12, student=first.student, day=MONDAY, now=at(MONDAY, 9, 0))
    assert marked.absence is not None
    moved = Conference.objects.get(pk=first.pk)
    moved.scheduled_for += timedelta(minutes=5)  # the teacher moved it by hand since
    moved.save()
    from conferbook.scheduling.services import UndoRefused, undo_absence

    with pytest.raises(UndoRefused):
        undo_absence(absence=marked.absence)
    assert Absence.objects.filter(pk=marked.absence.pk).exists()


# -- the rhythm and the plan ------------------------------------------------------------


def test_see_more_often_changes_the_plan_at_once(rivera_client, rivera, room12):
    students = [StudentFactory(first_name=f"S{i:02d}", classroom=room12) for i in range(25)]
    today = timezone.localdate()
    room12.writing_days = "0123456"
    room12.save()
    schedule_class(teacher=rivera, classroom=room12, start=today + timedelta(1), school_days=9)
    chosen = students[7]

    def count() -> int:
        return Conference.objects.filter(student=chosen, status=SCHEDULED).count()

    before = count()
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/{chosen.pk}/rhythm/", {"see_more_often": "1"}, follow=True
    )
    assert Rhythm.objects.get(student=chosen).see_more_often
    assert count() > before
    said = " ".join(shown_messages(response))
    assert "The plan ahead changed" in said
    assert page(response).count("<li>") >= count()  # the page lists the bookings ahead


def test_the_schedule_page_explains_a_wait_longer_than_the_block_allows(
    rivera_client, rivera, room12
):
    for i in range(30):
        StudentFactory(first_name=f"S{i:02d}", classroom=room12)
    # Three short days in a row hold two conferences each.
    for n in range(3):
        SchoolDay.objects.create(
            classroom=room12, day=MONDAY + timedelta(n), closed=False, ends_at=time(10, 20)
        )
    response = rivera_client.post(
        f"/classes/{room12.pk}/schedule/",
        {"start": MONDAY.isoformat(), "school_days": 10},
        follow=True,
    )
    said = " ".join(shown_messages(response))
    assert "the writing block allows 3" in said
    assert "short days hold fewer conferences" in said
    plan_page = page(rivera_client.get(f"/classes/{room12.pk}/schedule/"))
    assert "The plan ahead" in plan_page
    assert "Short days hold fewer conferences" in plan_page


def test_the_week_shows_days_off_and_short_days(rivera_client, room12):
    SchoolDay.objects.create(classroom=room12, day=TUESDAY, closed=True, note="Thanksgiving")
    SchoolDay.objects.create(classroom=room12, day=WEDNESDAY, closed=False, ends_at=time(10, 30))
    text = page(rivera_client.get(f"/classes/{room12.pk}/week/?start={MONDAY}"))
    assert "is a day off (Thanksgiving)" in text
    assert "Short day" in text and "ends at 10:30 AM" in text


def test_a_new_day_off_moves_the_plan_and_names_the_bookings_made_by_hand(
    rivera_client, rivera, room12, class_of_30
):
    schedule_class(teacher=rivera, classroom=room12, start=MONDAY, school_days=5)
    by_hand = Conference.objects.filter(
        classroom=room12, status=SCHEDULED, scheduled_for__date=TUESDAY
    ).order_by("scheduled_for")[0]
    Conference.objects.filter(pk=by_hand.pk).update(planned=False)
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/",
        {"day": TUESDAY.isoformat(), "closed": "on", "note": "Snow day"},
        follow=True,
    )
    on_tuesday = Conference.objects.filter(
        classroom=room12, status=SCHEDULED, scheduled_for__date=TUESDAY
    )
    assert list(on_tuesday) == [by_hand]  # the scheduler's bookings moved off it
    said = " ".join(shown_messages(response))
    assert f"Booked by hand when there is no longer a block: {by_hand.student.shown_name}" in said
    week = page(rivera_client.get(f"/classes/{room12.pk}/week/?start={MONDAY}"))
    assert "No block that day: move it" in week


def test_today_says_when_there_is_no_block_today(rivera_client, room12):
    today = timezone.localdate()
    SchoolDay.objects.create(classroom=room12, day=today, closed=True, note="Snow day")
    text = page(rivera_client.get(f"/classes/{room12.pk}/today/"))
    assert "No writing block today:" in text and "(Snow day)" in text
    assert "Writing block 10:00 AM" not in text
