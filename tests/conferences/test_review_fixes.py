"""The review fixes, seen from the browser: notes stay in their class, abandoned
conferences close at their last save, finish is compare-and-set, one booking and one
conference under way per student and class, past bookings are not next, class ids from
forms never crash a page, and the goal and class-settings refusals."""

from __future__ import annotations

import html
import re
import uuid
from datetime import datetime, time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.conferences.services import book_conference
from conferbook.goals import services as goal_services
from conferbook.goals.models import Goal, GoalCategory, StudentGoal
from conferbook.roster.models import Classroom, Enrollment
from tests.factories import ConferenceFactory, StudentGoalFactory
from tests.helpers import section, weekdays_ahead

pytestmark = pytest.mark.django_db

IN_PROGRESS = Conference.Status.IN_PROGRESS
SCHEDULED = Conference.Status.SCHEDULED
HELD = Conference.Status.HELD


def page(response) -> str:
    return response.content.decode()


def chart(text: str) -> str:
    match = re.search(r'<table class="chart">.*?</table>', text, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def class_row(text: str, student) -> str:
    match = re.search(rf'<tr id="student-{student.pk}"[^>]*>.*?</tr>', text, re.S)
    assert match, f"no row for {student}"
    return match.group(0)


def is_overdue(row_html: str) -> bool:
    return "overdue" in row_html.split(">", 1)[0] and "Overdue" in row_html


def at_local(days: int, hour: int = 10, minute: int = 10) -> datetime:
    """A local time `days` school days (Monday to Friday) from today, or `-days` calendar
    days ago for a negative number: appointments ahead fall on school days."""
    day = weekdays_ahead(days) if days > 0 else timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def local_input(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def held(student, classroom, teacher, days_ago: float, **fields) -> Conference:
    ended_at = timezone.now() - timedelta(days=days_ago)
    return ConferenceFactory(
        student=student,
        classroom=classroom,
        teacher=teacher,
        started_at=ended_at - timedelta(minutes=4),
        ended_at=ended_at,
        **fields,
    )


def under_way(student, classroom, teacher, started_at=None, **fields) -> Conference:
    texts = {"discussed": "", "task": "", **fields}
    return ConferenceFactory(
        student=student,
        classroom=classroom,
        teacher=teacher,
        status=IN_PROGRESS,
        started_at=started_at or timezone.now(),
        ended_at=None,
        duration_seconds=None,
        **texts,
    )


def booking(student, classroom, at: datetime) -> Conference:
    return Conference.objects.create(
        student=student, classroom=classroom, status=SCHEDULED, scheduled_for=at
    )


def start(client, student, classroom, conference_id=None):
    return client.post(
        "/conferences/start/",
        {
            "student": student.pk,
            "classroom": classroom.pk,
            "conference_id": str(conference_id or uuid.uuid4()),
        },
    )


# 1. Conference notes belong to their class


@pytest.fixture
def shared_zoe(zoe, room7):
    """Zoë is in Ms Rivera's Room 12 and in Mr Okafor's Room 7."""
    Enrollment.objects.create(classroom=room7, student=zoe)
    return zoe


def test_it_keeps_another_class_conference_off_the_student_page_chart(
    rivera_client, rivera, okafor, room12, room7, shared_zoe
):
    held(shared_zoe, room12, rivera, days_ago=10, discussed="RIVERA-NOTE", task="RIVERA-TASK")
    held(shared_zoe, room7, okafor, days_ago=2, discussed="OKAFOR-NOTE", task="OKAFOR-TASK")

    response = rivera_client.get(f"/students/{shared_zoe.pk}/")

    assert response.status_code == 200
    rows = chart(page(response))
    assert "RIVERA-NOTE" in rows
    assert "RIVERA-TASK" in rows
    assert "OKAFOR" not in page(response)
    # The header counts from Rivera's own last conference, not Okafor's more recent one.
    assert "Last conference 10 days ago" in page(response)


def test_it_shows_the_other_teacher_only_their_own_class_notes(
    okafor_client, rivera, okafor, room12, room7, shared_zoe
):
    held(shared_zoe, room12, rivera, days_ago=10, discussed="RIVERA-NOTE")
    held(shared_zoe, room7, okafor, days_ago=2, discussed="OKAFOR-NOTE")

    text = page(okafor_client.get(f"/students/{shared_zoe.pk}/"))

    assert "OKAFOR-NOTE" in chart(text)
    assert "RIVERA-NOTE" not in text


def test_it_keeps_another_class_conference_out_of_last_time(
    rivera_client, rivera, okafor, room12, room7, shared_zoe
):
    held(shared_zoe, room12, rivera, days_ago=10, discussed="RIVERA-NOTE")
    held(shared_zoe, room7, okafor, days_ago=2, discussed="OKAFOR-NOTE", task="OKAFOR-TASK")

    started = start(rivera_client, shared_zoe, room12)
    assert started.status_code == 302
    screen = rivera_client.get(started["Location"])

    assert screen.status_code == 200
    last_time = section(page(screen), '<section class="card last-time"')
    assert "RIVERA-NOTE" in last_time
    assert "OKAFOR" not in page(screen)


def test_it_starts_a_new_conference_in_its_own_class_while_another_class_has_one_under_way(
    rivera_client, okafor, room12, room7, shared_zoe
):
    okafors = under_way(shared_zoe, room7, okafor, research="OKAFOR-NOTE")

    response = start(rivera_client, shared_zoe, room12)

    assert response.status_code == 302
    assert response["Location"] != f"/conferences/{okafors.pk}/"
    riveras = Conference.objects.get(student=shared_zoe, classroom=room12)
    assert riveras.status == IN_PROGRESS
    assert response["Location"] == f"/conferences/{riveras.pk}/"
    assert "OKAFOR-NOTE" not in page(rivera_client.get(response["Location"]))


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("", None),
        ("save/", {"field": "research", "value": "RIVERA-WROTE", "previous": "OKAFOR-NOTE"}),
        ("choose/", {"name": "task_review", "task_review": "done"}),
        ("finish/", {"research": "RIVERA-WROTE", "next_at": local_input(at_local(days=3))}),
        ("finish/", {"research": "RIVERA-WROTE", "not_now": "on"}),
    ],
)
def test_it_answers_404_for_another_class_conference_of_a_shared_student(
    rivera_client, okafor, room7, shared_zoe, suffix, data
):
    okafors = under_way(shared_zoe, room7, okafor, research="OKAFOR-NOTE")
    url = f"/conferences/{okafors.pk}/{suffix}"

    response = rivera_client.get(url) if data is None else rivera_client.post(url, data)

    assert response.status_code == 404
    okafors.refresh_from_db()
    assert okafors.status == IN_PROGRESS
    assert okafors.research == "OKAFOR-NOTE"
    assert okafors.task_review == ""
    assert okafors.ended_at is None
    assert not Conference.objects.filter(status=SCHEDULED).exists()


def test_it_answers_404_for_a_held_conference_of_another_class(
    rivera_client, okafor, room7, shared_zoe
):
    okafors = held(shared_zoe, room7, okafor, days_ago=2, discussed="OKAFOR-NOTE")
    response = rivera_client.get(f"/conferences/{okafors.pk}/")
    assert response.status_code == 404
    assert "OKAFOR-NOTE" not in page(response)


def test_it_still_opens_the_shared_students_own_conferences(
    rivera_client, rivera, okafor, room12, room7, shared_zoe
):
    under_way(shared_zoe, room7, okafor)
    mine = under_way(shared_zoe, room12, rivera, research="RIVERA-NOTE")

    response = rivera_client.get(f"/conferences/{mine.pk}/")

    assert response.status_code == 200
    assert "RIVERA-NOTE</textarea>" in page(response)


# 2. A conference left under way on an earlier day


def abandoned(student, classroom, teacher) -> Conference:
    """Under way since two days ago; its last autosave four minutes after the start."""
    started_at = timezone.now() - timedelta(days=2)
    left = under_way(
        student,
        classroom,
        teacher,
        started_at=started_at,
        research="Her lead is a sound.",
        discussed="Leads that make a sound.",
    )
    Conference.objects.filter(pk=left.pk).update(updated_at=started_at + timedelta(minutes=4))
    return left


def test_it_records_a_conference_left_under_way_on_an_earlier_day_as_held(
    rivera_client, rivera, room12, zoe
):
    left = abandoned(zoe, room12, rivera)
    new_id = uuid.uuid4()

    response = start(rivera_client, zoe, room12, conference_id=new_id)

    assert response.status_code == 302
    assert response["Location"] == f"/conferences/{new_id}/"
    left.refresh_from_db()
    assert left.status == HELD
    assert 230 <= left.duration_seconds <= 250  # its last save, not two days
    assert left.ended_at == left.started_at + timedelta(minutes=4)
    assert left.research == "Her lead is a sound."
    assert left.next_not_booked is True
    new = Conference.objects.get(pk=new_id)
    assert new.status == IN_PROGRESS
    assert new.classroom == room12
    assert Conference.objects.filter(student=zoe, status=IN_PROGRESS).count() == 1


def test_it_shows_the_abandoned_conference_as_last_time_on_the_new_screen(
    rivera_client, rivera, room12, zoe
):
    abandoned(zoe, room12, rivera)
    response = start(rivera_client, zoe, room12)
    screen = page(rivera_client.get(response["Location"]))
    assert "Leads that make a sound." in section(screen, '<section class="card last-time"')


def test_it_resumes_a_conference_started_earlier_today(
    at_midday, rivera_client, rivera, room12, zoe
):
    today = under_way(
        zoe, room12, rivera, started_at=timezone.now() - timedelta(minutes=3), research="Kept."
    )

    response = start(rivera_client, zoe, room12)

    assert response.status_code == 302
    assert response["Location"] == f"/conferences/{today.pk}/"
    today.refresh_from_db()
    assert today.status == IN_PROGRESS
    assert Conference.objects.filter(student=zoe).count() == 1


# 3. Finish is compare-and-set


def conflict_box(text: str) -> str:
    match = re.search(r'<div class="conflict-box"[^>]*>.*?</div>', text, re.S)
    assert match, "no conflict box on the page"
    return match.group(0)


def task_box(text: str) -> str:
    match = re.search(r'<textarea id="f-task"[^>]*>(.*?)</textarea>', text, re.S)
    assert match, "no task box on the page"
    return html.unescape(match.group(1))


@pytest.fixture
def changed_elsewhere(rivera, room12, zoe) -> Conference:
    """A conference whose task another tab saved as "other tab"."""
    return under_way(zoe, room12, rivera, task="other tab")


def test_it_refuses_a_finish_from_a_stale_screen_and_shows_both_texts(
    rivera_client, changed_elsewhere, zoe
):
    response = rivera_client.post(
        f"/conferences/{changed_elsewhere.pk}/finish/",
        {"task": "mine", "previous_task": "", "next_at": local_input(at_local(days=3))},
    )

    assert response.status_code == 409
    text = page(response)
    assert "other tab" in conflict_box(text)
    assert task_box(text) == "mine"
    # Finishing again from this page sends the version it has now seen.
    assert re.search(r'name="previous_task" value="other tab"', text)
    changed_elsewhere.refresh_from_db()
    assert changed_elsewhere.status == IN_PROGRESS
    assert changed_elsewhere.ended_at is None
    assert changed_elsewhere.task == "other tab"
    assert not Conference.objects.filter(student=zoe, status=SCHEDULED).exists()


def test_it_finishes_once_the_teacher_has_seen_the_other_version(
    rivera_client, changed_elsewhere, zoe
):
    url = f"/conferences/{changed_elsewhere.pk}/finish/"
    refused = rivera_client.post(url, {"task": "mine", "previous_task": "", "not_now": "on"})
    assert refused.status_code == 409

    response = rivera_client.post(
        url, {"task": "mine", "previous_task": "other tab", "not_now": "on"}
    )

    assert response.status_code == 302
    changed_elsewhere.refresh_from_db()
    assert changed_elsewhere.status == HELD
    assert changed_elsewhere.task == "mine"


def test_it_lets_a_finish_without_previous_texts_win(rivera_client, changed_elsewhere):
    response = rivera_client.post(
        f"/conferences/{changed_elsewhere.pk}/finish/", {"task": "mine", "not_now": "on"}
    )
    assert response.status_code == 302
    changed_elsewhere.refresh_from_db()
    assert changed_elsewhere.status == HELD
    assert changed_elsewhere.task == "mine"


# 4. One booking and one conference under way per student and class


def test_it_moves_the_next_booking_when_the_teacher_books_by_hand(rivera, room12, zoe):
    # The scheduler may plan several conferences ahead; booking by hand moves the
    # earliest one instead of adding another.
    first = booking(zoe, room12, at_local(days=2))
    later = booking(zoe, room12, at_local(days=9))
    moved = book_conference(teacher=rivera, classroom=room12, student=zoe, at=at_local(days=4))
    assert moved.pk == first.pk
    assert Conference.objects.filter(student=zoe, status=SCHEDULED).count() == 2
    later.refresh_from_db()
    assert later.scheduled_for == at_local(days=9)


def test_it_refuses_a_second_conference_under_way_for_the_same_student_and_class(
    rivera, room12, zoe
):
    under_way(zoe, room12, rivera)
    with pytest.raises(IntegrityError), transaction.atomic():
        under_way(zoe, room12, rivera)
    assert Conference.objects.filter(student=zoe, status=IN_PROGRESS).count() == 1


def test_it_allows_one_booking_in_each_class_of_a_shared_student(room12, room7, shared_zoe):
    booking(shared_zoe, room12, at_local(days=2))
    booking(shared_zoe, room7, at_local(days=2))
    assert Conference.objects.filter(student=shared_zoe, status=SCHEDULED).count() == 2


def test_it_moves_the_one_booking_when_booked_twice(rivera, room12, zoe):
    first = book_conference(teacher=rivera, classroom=room12, student=zoe, at=at_local(days=2))
    second = book_conference(teacher=rivera, classroom=room12, student=zoe, at=at_local(days=4))

    booked = Conference.objects.filter(student=zoe, classroom=room12, status=SCHEDULED)
    assert booked.count() == 1
    assert second.pk == first.pk
    assert booked.get().scheduled_for == at_local(days=4)


# 5. A past, unheld booking is not "next"


def test_it_does_not_show_yesterdays_unheld_booking_as_next_on_the_class_page(
    rivera_client, room12, zoe
):
    booking(zoe, room12, at_local(days=-1))
    row = class_row(page(rivera_client.get(f"/classes/{room12.pk}/")), zoe)
    assert "None booked" in row


def test_it_marks_a_student_overdue_despite_a_missed_booking(rivera_client, rivera, room12, zoe):
    held(zoe, room12, rivera, days_ago=30)
    booking(zoe, room12, at_local(days=-1))

    text = page(rivera_client.get(f"/classes/{room12.pk}/"))

    row = class_row(text, zoe)
    assert "None booked" in row
    assert is_overdue(row)
    assert "1 overdue" in text


def test_it_says_no_appointment_booked_on_the_student_page_after_a_missed_booking(
    rivera_client, room12, zoe
):
    booking(zoe, room12, at_local(days=-1))
    text = page(rivera_client.get(f"/students/{zoe.pk}/"))
    assert "No appointment booked" in text
    assert "Next:" not in text


def test_it_still_shows_todays_booking_as_next(rivera_client, room12, zoe):
    booking(zoe, room12, at_local(days=0, hour=0, minute=1))
    row = class_row(page(rivera_client.get(f"/classes/{room12.pk}/")), zoe)
    assert "None booked" not in row
    assert "Next:" in page(rivera_client.get(f"/students/{zoe.pk}/"))


# 6. A malformed class id never crashes a page


# "²" is a digit to str.isdigit() but not to int(); "\u0661\u0662x" is Arabic-Indic 12 and an x.
MALFORMED = ["²", "abc", "\u0661\u0662x", "99999999999999999999", "-1", ""]


@pytest.mark.parametrize("class_id", MALFORMED)
def test_it_shows_the_student_page_whatever_the_class_parameter(
    rivera_client, room12, zoe, class_id
):
    rivera_client.raise_request_exception = False
    response = rivera_client.get(f"/students/{zoe.pk}/", {"class": class_id})
    assert response.status_code == 200


@pytest.mark.parametrize("class_id", MALFORMED)
def test_it_never_crashes_starting_a_conference_with_a_malformed_class(
    rivera_client, room12, zoe, class_id
):
    rivera_client.raise_request_exception = False
    response = rivera_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": class_id, "conference_id": str(uuid.uuid4())},
    )
    assert response.status_code in (200, 302, 404)


@pytest.mark.parametrize("class_id", MALFORMED)
def test_it_never_crashes_booking_with_a_malformed_class(rivera_client, room12, zoe, class_id):
    rivera_client.raise_request_exception = False
    response = rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": local_input(at_local(days=3)), "classroom": class_id}
    )
    assert response.status_code in (200, 302, 404)


# 9. Goals and class settings


def test_it_does_not_close_a_goal_another_tab_closed_meanwhile(zoe):
    met_on = timezone.localdate() - timedelta(days=3)
    student_goal = StudentGoalFactory(student=zoe)
    seen_by_this_tab = StudentGoal.objects.get(pk=student_goal.pk)  # still active here
    StudentGoal.objects.filter(pk=student_goal.pk).update(
        status=StudentGoal.Status.MET, closed_on=met_on
    )

    with pytest.raises(goal_services.GoalNotActive):
        goal_services.close_goal(student_goal=seen_by_this_tab, status=StudentGoal.Status.SET_ASIDE)

    student_goal.refresh_from_db()
    assert (student_goal.status, student_goal.closed_on) == (StudentGoal.Status.MET, met_on)


def test_it_refuses_own_goal_words_too_long_once_i_can_is_added(rivera_client):
    category = GoalCategory.objects.filter(owner=None).first()
    words = "s" + "o" * 194  # 195 typed: 201 with "I can " in front
    rivera_client.raise_request_exception = False

    response = rivera_client.post(
        "/goals/new/",
        {
            "category": category.pk,
            "name": "A very long goal",
            "student_words": words,
            "clue_words": "Long",
            "grade_low": "2",
            "grade_high": "5",
        },
    )

    assert response.status_code == 200
    assert (
        "Please keep the student's words under 200 characters, “I can” included."
        in html.unescape(page(response))
    )
    assert not Goal.objects.filter(name="A very long goal").exists()


def test_it_accepts_own_goal_words_of_exactly_200_characters_with_i_can(rivera, rivera_client):
    category = GoalCategory.objects.filter(owner=None).first()
    words = "s" + "o" * 193  # 194 typed: 200 with "I can " in front

    response = rivera_client.post(
        "/goals/new/",
        {
            "category": category.pk,
            "name": "A long goal",
            "student_words": words,
            "clue_words": "Long",
            "grade_low": "2",
            "grade_high": "5",
        },
    )

    assert response.status_code == 302
    assert Goal.objects.get(name="A long goal", owner=rivera).student_words == f"I can {words}"


CLASS_SETTINGS = {
    "name": "Room 12",
    "writing_days": ["0", "1", "2", "3", "4"],
    "block_start": "10:00",
    "block_end": "11:00",
    "conference_minutes": "5",
}


def test_it_refuses_a_new_class_whose_mini_lesson_fills_the_block(rivera_client, rivera):
    response = rivera_client.post(
        "/classes/new/", {**CLASS_SETTINGS, "name": "Room 9", "mini_lesson_minutes": "58"}
    )
    assert response.status_code == 200
    assert "No conference fits" in page(response)
    assert not Classroom.objects.filter(name="Room 9").exists()


def test_it_refuses_class_settings_whose_mini_lesson_fills_the_block(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/settings/", {**CLASS_SETTINGS, "mini_lesson_minutes": "60"}
    )
    assert response.status_code == 200
    assert "No conference fits" in page(response)
    room12.refresh_from_db()
    assert room12.mini_lesson_minutes == 10


def test_it_accepts_a_mini_lesson_that_leaves_room_for_one_conference(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/settings/", {**CLASS_SETTINGS, "mini_lesson_minutes": "55"}
    )
    assert response.status_code == 302
    room12.refresh_from_db()
    assert room12.mini_lesson_minutes == 55
    assert room12.conference_slots_per_day() == 1
