"""The conference screen: start, autosave, picks, goals, strengths, finish and booking."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from django.utils.html import escape

from conferbook.conferences.models import AUTOSAVED_FIELDS, Conference
from conferbook.conferences.services import suggest_next_time
from conferbook.goals.models import Goal, MentorText, Strategy, Strength, StudentGoal
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    WritingSampleFactory,
)
from tests.helpers import a_coming_weekday, section

pytestmark = pytest.mark.django_db

IN_PROGRESS = Conference.Status.IN_PROGRESS
SCHEDULED = Conference.Status.SCHEDULED
HELD = Conference.Status.HELD


def goals_with_strategies(count: int) -> list[Goal]:
    """Built-in goals that each have strategies no other goal in the list shares."""
    return list(
        Goal.objects.filter(owner=None, strategies__isnull=False).distinct().order_by("pk")
    )[:count]


def in_progress(student, teacher, minutes_ago: float = 0) -> Conference:
    return ConferenceFactory(
        student=student,
        teacher=teacher,
        status=IN_PROGRESS,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        ended_at=None,
        duration_seconds=None,
        discussed="",
        task="",
    )


def html(response) -> str:
    return response.content.decode()


def local_input(dt: datetime) -> str:
    """How a datetime-local input sends a time."""
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def a_future_slot(days: int = 3, at: time = time(10, 10)) -> datetime:
    """A time in the writing block of the first school day (Monday to Friday, the default
    writing days) at least `days` days ahead: a day the class can be booked, whatever day
    the tests run."""
    return timezone.make_aware(datetime.combine(a_coming_weekday(days), at))


@pytest.fixture
def ava(room12):
    return StudentFactory(first_name="Ava", last_name="Okoye", classroom=room12)


@pytest.fixture
def conference(zoe, rivera) -> Conference:
    return in_progress(zoe, rivera)


def save(client, conference, field, value, previous):
    return client.post(
        f"/conferences/{conference.pk}/save/",
        {"field": field, "value": value, "previous": previous},
    )


def choose(client, conference, name, value):
    return client.post(f"/conferences/{conference.pk}/choose/", {"name": name, name: value})


# Starting a conference


def test_it_starts_one_conference_with_the_browsers_id(rivera_client, room12, zoe):
    client_id = uuid.uuid4()
    response = rivera_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(client_id)},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/conferences/{client_id}/"
    conference = Conference.objects.get(student=zoe)
    assert conference.pk == client_id
    assert conference.status == IN_PROGRESS
    assert conference.classroom == room12
    assert conference.started_at is not None


def test_it_opens_the_same_conference_when_a_start_is_replayed(rivera_client, room12, zoe):
    data = {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(uuid.uuid4())}
    first = rivera_client.post("/conferences/start/", data)
    again = rivera_client.post("/conferences/start/", data)
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Conference.objects.filter(student=zoe).count() == 1


def test_it_resumes_the_conference_under_way_instead_of_starting_another(
    rivera_client, room12, zoe
):
    first = rivera_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(uuid.uuid4())},
    )
    again = rivera_client.post("/conferences/start/", {"student": zoe.pk, "classroom": room12.pk})
    assert again["Location"] == first["Location"]
    assert Conference.objects.filter(student=zoe).count() == 1


def test_it_turns_todays_appointment_into_the_conference(rivera_client, rivera, room12, zoe):
    booked = Conference.objects.create(
        classroom=room12,
        student=zoe,
        teacher=rivera,
        status=SCHEDULED,
        scheduled_for=timezone.now(),
    )
    response = rivera_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(uuid.uuid4())},
    )
    assert response["Location"] == f"/conferences/{booked.pk}/"
    assert Conference.objects.filter(student=zoe).count() == 1
    booked.refresh_from_db()
    assert booked.status == IN_PROGRESS
    assert booked.started_at is not None


def test_it_does_not_start_a_conference_with_another_teachers_student(okafor_client, room12, zoe):
    response = okafor_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not Conference.objects.filter(student=zoe).exists()


# The screen


def test_it_shows_last_time_and_the_active_goals(rivera_client, rivera, zoe):
    goal = StudentGoalFactory(student=zoe).goal
    ConferenceFactory(
        student=zoe,
        started_at=timezone.now() - timedelta(days=14),
        discussed="Older talk about endings.",
        task="Older task: rewrite the ending.",
    )
    last = ConferenceFactory(
        student=zoe,
        started_at=timezone.now() - timedelta(days=6),
        discussed="We looked at how her lead hooks the reader.",
        task="Try a question lead in tomorrow's entry.",
    )
    conference = in_progress(zoe, rivera)

    page = html(rivera_client.get(f"/conferences/{conference.pk}/"))

    last_time = section(page, '<section class="card last-time"')
    assert dateformat.format(timezone.localtime(last.ended_at), "D j M") in last_time
    assert escape(last.discussed) in last_time
    assert escape(last.task) in last_time
    assert "Older" not in page
    assert f"Goal: {escape(goal.name)}" in last_time


def test_it_says_it_is_the_first_conference_when_there_is_no_last_time(rivera_client, conference):
    page = html(rivera_client.get(f"/conferences/{conference.pk}/"))
    assert "This is the first conference with Zoë." in page


def test_it_gives_the_timer_the_class_target_and_the_start_time(rivera_client, rivera, zoe, room12):
    room12.conference_minutes = 4
    room12.save()
    conference = in_progress(zoe, rivera, minutes_ago=2)

    page = html(rivera_client.get(f"/conferences/{conference.pk}/"))

    timer = re.search(r"<span class=\"timer\"[^>]*>", page)
    assert timer, "no timer on the conference screen"
    assert 'data-target-seconds="240"' in timer.group(0)
    started = re.search(r'data-started-at="([^"]+)"', timer.group(0))
    assert started
    assert datetime.fromisoformat(started.group(1)) == conference.started_at
    # The server's own time, for a tablet whose clock is off (app.js counts from it).
    served = re.search(r'data-served-at="([^"]+)"', timer.group(0))
    assert served
    assert abs(datetime.fromisoformat(served.group(1)) - timezone.now()) < timedelta(seconds=30)


def test_it_offers_to_start_a_booked_appointment_and_starts_it_on_post(
    rivera_client, rivera, room12, zoe
):
    booked = Conference.objects.create(
        classroom=room12, student=zoe, status=SCHEDULED, scheduled_for=timezone.now()
    )
    page = rivera_client.get(f"/conferences/{booked.pk}/")
    assert page.status_code == 200
    assert "Start this conference now" in html(page)
    booked.refresh_from_db()
    assert booked.status == SCHEDULED  # a GET changes nothing

    response = rivera_client.post(
        "/conferences/start/",
        {"student": zoe.pk, "classroom": room12.pk, "conference_id": str(booked.pk)},
    )
    assert response["Location"] == f"/conferences/{booked.pk}/"
    booked.refresh_from_db()
    assert booked.status == IN_PROGRESS
    assert booked.started_at is not None
    assert 'data-started-at=""' not in html(rivera_client.get(f"/conferences/{booked.pk}/"))
    assert Conference.objects.filter(student=zoe).count() == 1


def test_it_never_reuses_another_students_conference_id(rivera_client, room12, zoe, conference):
    other = StudentFactory(first_name="Ines", classroom=room12)
    response = rivera_client.post(
        "/conferences/start/",
        {"student": other.pk, "classroom": room12.pk, "conference_id": str(conference.pk)},
    )
    assert response.status_code == 302
    started = Conference.objects.get(student=other)
    assert started.pk != conference.pk
    conference.refresh_from_db()
    assert conference.student == zoe


def test_it_refuses_to_book_a_time_that_has_passed(rivera_client, room12, zoe):
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": past, "classroom": room12.pk}, follow=True
    )
    assert "Please choose a time that has not passed yet." in html(response)
    assert not Conference.objects.filter(student=zoe, status=SCHEDULED).exists()


# Autosave


def test_it_autosaves_a_field(rivera_client, conference):
    response = save(rivera_client, conference, "research", "She says leads are hard.", "")
    assert response.status_code == 200
    assert response.json()["saved"] is True
    conference.refresh_from_db()
    assert conference.research == "She says leads are hard."


def test_it_treats_a_replayed_save_as_a_no_op(rivera_client, conference):
    save(rivera_client, conference, "research", "She says leads are hard.", "")
    conference.refresh_from_db()
    saved_at = conference.updated_at

    response = save(rivera_client, conference, "research", "She says leads are hard.", "")

    assert response.status_code == 200
    conference.refresh_from_db()
    assert conference.research == "She says leads are hard."
    assert conference.updated_at == saved_at
    assert Conference.objects.count() == 1


def test_it_refuses_a_save_when_another_tab_changed_the_text(rivera_client, conference):
    Conference.objects.filter(pk=conference.pk).update(research="Typed on the tablet.")

    response = save(rivera_client, conference, "research", "Typed on the laptop.", "")

    assert response.status_code == 409
    body = json.loads(response.content)
    assert body["conflict"] is True
    assert body["field"] == "research"
    assert body["server_value"] == "Typed on the tablet."
    conference.refresh_from_db()
    assert conference.research == "Typed on the tablet."


def test_it_never_reverts_text_when_an_old_save_is_retried(rivera_client, conference):
    save(rivera_client, conference, "discussed", "Leads", "")
    save(rivera_client, conference, "discussed", "Leads and endings", "Leads")

    late_retry = save(rivera_client, conference, "discussed", "Leads", "")

    assert late_retry.status_code == 409
    conference.refresh_from_db()
    assert conference.discussed == "Leads and endings"


def test_it_refuses_to_save_a_field_that_is_not_autosaved(rivera_client, conference):
    response = save(rivera_client, conference, "status", "held", "in_progress")
    assert response.status_code == 400
    conference.refresh_from_db()
    assert conference.status == IN_PROGRESS


@pytest.mark.parametrize("field", AUTOSAVED_FIELDS)
def test_it_autosaves_every_text_on_the_screen(rivera_client, conference, field):
    text = f"Zoë's {field}: “show, don't tell” — line one\nline two"
    response = save(rivera_client, conference, field, text, "")
    assert response.status_code == 200
    conference.refresh_from_db()
    assert getattr(conference, field) == text


def test_it_shows_autosaved_text_when_the_screen_is_reopened(rivera_client, conference):
    save(rivera_client, conference, "task", "Add dialogue to page two.", "")
    page = html(rivera_client.get(f"/conferences/{conference.pk}/"))
    assert "Add dialogue to page two.</textarea>" in page


# Picks


@pytest.mark.parametrize("review", ["done", "partly", "not_yet"])
def test_it_saves_how_the_task_went(rivera_client, conference, review):
    response = choose(rivera_client, conference, "task_review", review)
    assert response.status_code == 204
    conference.refresh_from_db()
    assert conference.task_review == review


def test_it_refuses_a_nonsense_task_review(rivera_client, conference):
    choose(rivera_client, conference, "task_review", "done")
    response = choose(rivera_client, conference, "task_review", "brilliant")
    assert response.status_code == 400
    conference.refresh_from_db()
    assert conference.task_review == "done"


def test_it_refuses_an_unknown_pick(rivera_client, conference):
    response = choose(rivera_client, conference, "status", "held")
    assert response.status_code == 400
    conference.refresh_from_db()
    assert conference.status == IN_PROGRESS


def test_it_saves_the_strength_to_compliment(rivera_client, conference, zoe):
    strength = StrengthFactory(student=zoe)
    response = choose(rivera_client, conference, "strength", strength.pk)
    assert response.status_code == 204
    conference.refresh_from_db()
    assert conference.strength == strength


def test_it_saves_the_strategy_taught(rivera_client, conference):
    strategy = Strategy.objects.filter(owner=None).order_by("pk").first()
    response = choose(rivera_client, conference, "strategy", strategy.pk)
    assert response.status_code == 204
    conference.refresh_from_db()
    assert conference.strategy == strategy


def test_it_saves_the_mentor_text(rivera_client, rivera, conference):
    mentor = MentorText.objects.create(owner=rivera, title="Owl Moon", author="Jane Yolen")
    response = choose(rivera_client, conference, "mentor_text", mentor.pk)
    assert response.status_code == 204
    conference.refresh_from_db()
    assert conference.mentor_text == mentor


def test_it_saves_a_reading_conference(rivera_client, conference):
    response = choose(rivera_client, conference, "kind", "reading")
    assert response.status_code == 204
    conference.refresh_from_db()
    assert conference.kind == Conference.Kind.READING


def test_it_refuses_another_students_strength(rivera_client, conference, ava, marcus):
    for other in (ava, marcus):
        strength = StrengthFactory(student=other)
        response = choose(rivera_client, conference, "strength", strength.pk)
        assert response.status_code == 404, other
    conference.refresh_from_db()
    assert conference.strength is None


def test_it_refuses_another_teachers_mentor_text(rivera_client, okafor, conference):
    theirs = MentorText.objects.create(owner=okafor, title="Their mentor text")
    response = choose(rivera_client, conference, "mentor_text", theirs.pk)
    assert response.status_code == 404
    conference.refresh_from_db()
    assert conference.mentor_text is None


def test_it_refuses_another_students_goal(rivera_client, conference, ava):
    theirs = StudentGoalFactory(student=ava)
    response = choose(rivera_client, conference, "student_goal", theirs.pk)
    assert response.status_code == 404
    conference.refresh_from_db()
    assert conference.student_goal is None


def test_it_shows_the_strategies_of_the_goal_picked(rivera_client, conference, zoe):
    first_goal, second_goal = goals_with_strategies(2)
    StudentGoalFactory(student=zoe, goal=first_goal)
    second = StudentGoalFactory(student=zoe, goal=second_goal)

    response = choose(rivera_client, conference, "student_goal", second.pk)

    assert response.status_code == 200
    conference.refresh_from_db()
    assert conference.student_goal == second
    teach = html(response)
    assert teach.lstrip().startswith('<section class="card" id="teach"')
    for strategy in second_goal.strategies.all():
        assert escape(strategy.name) in teach
    for strategy in first_goal.strategies.all():
        assert escape(strategy.name) not in teach


# Setting a goal from the screen


def test_it_sets_a_new_goal_and_picks_it(rivera_client, conference, zoe):
    (goal,) = goals_with_strategies(1)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/goal/", {"goal": goal.pk, "set_with_student": "on"}
    )
    assert response.status_code == 200
    student_goal = StudentGoal.objects.get(student=zoe)
    assert student_goal.goal == goal
    assert student_goal.status == StudentGoal.Status.ACTIVE
    assert student_goal.set_with_student is True
    conference.refresh_from_db()
    assert conference.student_goal == student_goal
    teach = html(response)
    assert re.search(rf'value="{student_goal.pk}"\s+checked', teach)
    assert escape(goal.strategies.first().name) in teach


def test_it_refuses_a_third_goal_naming_the_two_active_ones(rivera_client, conference, zoe):
    first, second, third = goals_with_strategies(3)
    StudentGoalFactory(student=zoe, goal=first)
    StudentGoalFactory(student=zoe, goal=second)

    response = rivera_client.post(f"/conferences/{conference.pk}/goal/", {"goal": third.pk})

    alert = re.search(r'<p class="message error" role="alert">(.*?)</p>', html(response), re.S)
    assert alert, "no refusal shown"
    assert "already works on" in alert.group(1)
    assert escape(first.name) in alert.group(1)
    assert escape(second.name) in alert.group(1)
    assert StudentGoal.objects.filter(student=zoe).count() == 2
    assert not StudentGoal.objects.filter(student=zoe, goal=third).exists()
    conference.refresh_from_db()
    assert conference.student_goal is None


# Noting a strength from the screen


def test_it_records_a_strength_and_compliments_it(rivera_client, conference, zoe):
    response = rivera_client.post(
        f"/conferences/{conference.pk}/strength/",
        {"description": "Writes dialogue that sounds real", "evidence": "“Run!” yelled Max."},
    )
    assert response.status_code == 200
    strength = Strength.objects.get(student=zoe)
    assert strength.description == "Writes dialogue that sounds real"
    assert strength.evidence == "“Run!” yelled Max."
    conference.refresh_from_db()
    assert conference.strength == strength
    part = html(response)
    assert re.search(rf'value="{strength.pk}"\s+checked', part)


def test_it_keeps_the_evidence_when_the_strength_has_no_name(rivera_client, conference, zoe):
    response = rivera_client.post(
        f"/conferences/{conference.pk}/strength/",
        {"description": "  ", "evidence": "the mail truck comes"},
    )
    part = html(response)
    assert "Name the strength first" in part
    assert "the mail truck comes</textarea>" in part
    assert not Strength.objects.filter(student=zoe).exists()
    conference.refresh_from_db()
    assert conference.strength is None


def test_it_refuses_evidence_from_another_students_sample(rivera_client, conference, ava):
    theirs = WritingSampleFactory(student=ava)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/strength/",
        {"description": "Uses strong verbs", "evidence": "runs", "sample": theirs.pk},
    )
    # Refused exactly like a sample that does not exist: the choice is not offered.
    assert "Select a valid choice" in html(response)
    assert "runs" in html(response)  # the typed evidence is kept
    assert not Strength.objects.exists()
    conference.refresh_from_db()
    assert conference.strength is None


# Finishing


TYPED = {
    "research": "She thinks her lead is boring.",
    "compliment": "Your verbs make me see the dog run.",
    "discussed": "Leads that hook: a question or a sound.",
    "task": "Write three leads for the Biscuit story.",
    "task_review_note": "She tried one lead.",
}


def test_it_will_not_finish_without_booking_or_not_now(rivera_client, conference):
    response = rivera_client.post(f"/conferences/{conference.pk}/finish/", TYPED)

    assert response.status_code == 400
    page = html(response)
    assert "Book the next conference, or choose “Not now”" in page
    for name in ("research", "compliment", "discussed", "task"):
        assert f"{escape(TYPED[name])}</textarea>" in page, name
    conference.refresh_from_db()
    assert conference.status == IN_PROGRESS
    assert conference.ended_at is None
    assert not Conference.objects.filter(status=SCHEDULED).exists()


def test_it_keeps_the_task_note_when_finishing_is_refused(rivera_client, rivera, zoe):
    ConferenceFactory(student=zoe)
    conference = in_progress(zoe, rivera)
    response = rivera_client.post(f"/conferences/{conference.pk}/finish/", TYPED)
    assert response.status_code == 400
    assert f"{escape(TYPED['task_review_note'])}</textarea>" in html(response)


def test_it_finishes_and_books_the_next_conference(rivera_client, rivera, room12, zoe, ava):
    conference = in_progress(zoe, rivera, minutes_ago=4)
    next_at = a_future_slot()

    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**TYPED, "next_at": local_input(next_at)}
    )

    assert response.status_code == 302
    # Finishing lands on today's list, the saved conference at the top.
    assert response["Location"] == f"/classes/{room12.pk}/today/?done={conference.pk}"
    landing = html(rivera_client.get(response["Location"]))
    assert "Conference with Zoë saved" in landing
    assert f'action="/conferences/{conference.pk}/card/"' in landing
    # Nobody else is booked today: whoever is due first is one tap away.
    assert f'name="student" value="{ava.pk}"' in section(landing, 'class="card finished"')
    conference.refresh_from_db()
    assert conference.status == HELD
    assert conference.ended_at is not None
    assert 230 <= conference.duration_seconds <= 260
    for name, text in TYPED.items():
        assert getattr(conference, name) == text
    assert conference.next_not_booked is False
    booked = Conference.objects.get(student=zoe, status=SCHEDULED)
    assert booked.scheduled_for == next_at
    assert booked.classroom == room12


def test_it_tells_the_teacher_when_the_next_conference_is(rivera_client, rivera, zoe, ava):
    conference = in_progress(zoe, rivera)
    next_at = a_future_slot()
    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/",
        {**TYPED, "next_at": local_input(next_at)},
        follow=True,
    )
    page = html(response)
    assert "Conference with Zoë saved" in page
    assert timezone.localtime(next_at).strftime("%a %-d %b, %-I:%M %p") in page


def test_it_finishes_without_booking_when_the_teacher_says_not_now(rivera_client, conference, zoe):
    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**TYPED, "not_now": "on"}
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == HELD
    assert conference.next_not_booked is True
    assert conference.discussed == TYPED["discussed"]
    assert not Conference.objects.filter(student=zoe, status=SCHEDULED).exists()


def test_it_books_one_appointment_when_finish_is_sent_twice(rivera_client, conference, zoe):
    first_at, second_at = a_future_slot(days=3), a_future_slot(days=4, at=time(10, 20))
    rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**TYPED, "next_at": local_input(first_at)}
    )
    conference.refresh_from_db()
    finished_at = conference.ended_at

    rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**TYPED, "next_at": local_input(second_at)}
    )

    booked = Conference.objects.filter(student=zoe, status=SCHEDULED)
    assert booked.count() == 1
    assert booked.get().scheduled_for == second_at
    conference.refresh_from_db()
    assert conference.status == HELD
    assert conference.ended_at == finished_at


def test_it_refuses_a_next_conference_in_the_past(rivera_client, conference, zoe):
    yesterday = timezone.now() - timedelta(days=1)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {**TYPED, "next_at": local_input(yesterday)}
    )
    assert response.status_code == 400
    assert "The next conference must be in the future." in html(response)
    conference.refresh_from_db()
    assert conference.status == IN_PROGRESS
    assert not Conference.objects.filter(student=zoe, status=SCHEDULED).exists()


def test_it_records_the_picks_sent_with_finish(rivera_client, conference, zoe):
    strength = StrengthFactory(student=zoe)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/",
        {**TYPED, "not_now": "on", "task_review": "partly", "strength": strength.pk},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.task_review == "partly"
    assert conference.strength == strength


def test_it_adds_the_finished_conference_to_the_next_last_time(rivera_client, conference, zoe):
    rivera_client.post(f"/conferences/{conference.pk}/finish/", {**TYPED, "not_now": "on"})
    start = rivera_client.post(
        "/conferences/start/", {"student": zoe.pk, "classroom": conference.classroom_id}
    )
    page = html(rivera_client.get(start["Location"]))
    last_time = section(page, '<section class="card last-time"')
    assert escape(TYPED["discussed"]) in last_time
    assert escape(TYPED["task"]) in last_time


# Booking from the student page


def test_it_books_and_then_moves_the_one_appointment(rivera_client, room12, zoe):
    first_at, second_at = a_future_slot(days=2), a_future_slot(days=5, at=time(10, 30))

    response = rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": local_input(first_at), "classroom": room12.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/students/{zoe.pk}/?class={room12.pk}"
    assert Conference.objects.get(student=zoe, status=SCHEDULED).scheduled_for == first_at

    rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": local_input(second_at), "classroom": room12.pk}
    )
    booked = Conference.objects.filter(student=zoe, classroom=room12, status=SCHEDULED)
    assert booked.count() == 1
    assert booked.get().scheduled_for == second_at


def test_it_moves_the_appointment_booked_at_the_end_of_a_conference(
    rivera_client, room12, conference, zoe
):
    rivera_client.post(
        f"/conferences/{conference.pk}/finish/",
        {**TYPED, "next_at": local_input(a_future_slot(days=3))},
    )
    later = a_future_slot(days=6)
    rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": local_input(later), "classroom": room12.pk}
    )
    booked = Conference.objects.filter(student=zoe, status=SCHEDULED)
    assert booked.count() == 1
    assert booked.get().scheduled_for == later


def test_it_does_not_book_without_a_time(rivera_client, room12, zoe):
    response = rivera_client.post(
        f"/students/{zoe.pk}/book/", {"at": "", "classroom": room12.pk}, follow=True
    )
    assert "Please give a date and time for the conference." in html(response)
    assert not Conference.objects.filter(student=zoe).exists()


# Another teacher


@pytest.mark.parametrize(
    ("suffix", "data"),
    [
        ("", None),
        ("save/", {"field": "research", "value": "Not mine", "previous": ""}),
        ("choose/", {"name": "task_review", "task_review": "done"}),
        ("goal/", {"goal": "1"}),
        ("strength/", {"description": "Not mine"}),
        ("finish/", {"research": "Not mine", "not_now": "on"}),
    ],
)
def test_it_hides_a_conference_from_another_teacher(okafor_client, conference, suffix, data):
    url = f"/conferences/{conference.pk}/{suffix}"
    response = okafor_client.get(url) if data is None else okafor_client.post(url, data)
    assert response.status_code == 404
    conference.refresh_from_db()
    assert conference.status == IN_PROGRESS
    assert conference.research == ""
    assert conference.task_review == ""
    assert not Strength.objects.exists()


def test_it_does_not_let_another_teacher_book_the_student(okafor_client, room12, zoe):
    response = okafor_client.post(
        f"/students/{zoe.pk}/book/",
        {"at": local_input(a_future_slot()), "classroom": room12.pk},
    )
    assert response.status_code == 404
    assert not Conference.objects.filter(student=zoe).exists()


# The suggested next time


MONDAY = datetime(2031, 1, 13)
FRIDAY_AFTERNOON = datetime(2031, 1, 10, 14, 0)


def aware(dt: datetime) -> datetime:
    return timezone.make_aware(dt)


def test_it_suggests_the_first_slot_one_writing_day_later(room12, zoe):
    suggested = suggest_next_time(classroom=room12, after=aware(FRIDAY_AFTERNOON))
    assert suggested == aware(MONDAY.replace(hour=10, minute=10))


def test_it_suggests_a_time_one_cycle_later(room12):
    StudentFactory.create_batch(29, classroom=room12)
    # 10 slots a day, 29 students: a cycle is 3 writing days (Mon, Tue, Wed).
    suggested = suggest_next_time(classroom=room12, after=aware(FRIDAY_AFTERNOON))
    assert suggested == aware(datetime(2031, 1, 15, 10, 10))


def test_it_suggests_only_writing_days(room12, zoe):
    room12.writing_days = "024"
    room12.save()
    suggested = suggest_next_time(classroom=room12, after=aware(MONDAY.replace(hour=14)))
    assert suggested == aware(datetime(2031, 1, 15, 10, 10))


def test_it_skips_slots_booked_by_other_students(rivera, room12, zoe, ava):
    book = {"classroom": room12, "teacher": rivera, "status": SCHEDULED}
    Conference.objects.create(
        student=ava, scheduled_for=aware(MONDAY.replace(hour=10, minute=10)), **book
    )
    suggested = suggest_next_time(classroom=room12, after=aware(FRIDAY_AFTERNOON))
    assert suggested == aware(MONDAY.replace(hour=10, minute=15))


def fill(rivera, room12, students, day: date) -> None:  # type: ignore[no-untyped-def]
    for student, slot in zip(students, room12.slot_times(), strict=True):
        Conference.objects.create(
            classroom=room12,
            student=student,
            teacher=rivera,
            status=SCHEDULED,
            scheduled_for=aware(datetime.combine(day, slot)),
        )


def test_it_moves_to_the_day_before_when_the_due_day_is_full(rivera, room12, zoe):
    room12.block_end = time(10, 25)  # three slots after the mini-lesson: 10:10, 10:15, 10:20
    room12.save()
    others = StudentFactory.create_batch(3, classroom=room12)
    # Four students, three slots a day: a cycle is two writing days, so due on Tuesday;
    # the three others already fill Tuesday, so Monday: early rather than late.
    fill(rivera, room12, others, date(2031, 1, 14))
    suggested = suggest_next_time(classroom=room12, after=aware(FRIDAY_AFTERNOON))
    assert suggested == aware(MONDAY.replace(hour=10, minute=10))


def test_it_moves_to_the_next_writing_day_when_the_due_day_and_those_before_are_full(
    rivera, room12, zoe
):
    room12.block_end = time(10, 25)
    room12.save()
    others = StudentFactory.create_batch(3, classroom=room12)
    fill(rivera, room12, others, date(2031, 1, 14))
    # Monday is full too (pupils of another class seen in this room: the class still has
    # four students, so Zoë is still due on Tuesday).
    visitors = StudentFactory.create_batch(3, classroom=ClassroomFactory())
    fill(rivera, room12, visitors, date(2031, 1, 13))
    suggested = suggest_next_time(classroom=room12, after=aware(FRIDAY_AFTERNOON))
    assert suggested == aware(datetime(2031, 1, 15, 10, 10))


def test_it_offers_the_suggested_time_on_the_conference_screen(rivera_client, conference, room12):
    suggested = suggest_next_time(classroom=room12)
    assert suggested is not None
    page = html(rivera_client.get(f"/conferences/{conference.pk}/"))
    assert f'name="next_at" value="{local_input(suggested)}"' in page


def test_the_student_page_offers_the_suggested_time_reading_the_bookings_once(
    rivera_client, room12, zoe
):
    """With no booking ahead, the page's own read of the next appointment stands for the
    suggestion's: the student's bookings are looked up once."""
    suggested = suggest_next_time(classroom=room12, student=zoe)
    assert suggested is not None
    with CaptureQueriesContext(connection) as queries:
        page = html(rivera_client.get(f"/students/{zoe.pk}/?class={room12.pk}"))
    assert f'value="{local_input(suggested)}"' in page
    bookings = [
        q["sql"]
        for q in queries.captured_queries
        if "\"status\" = 'scheduled'" in q["sql"] and f'"student_id" = {zoe.pk}' in q["sql"]
    ]
    assert len(bookings) == 1, bookings


def test_it_records_a_reading_conference_and_shows_it_in_the_chart(rivera_client, conference, zoe):
    response = rivera_client.post(
        f"/conferences/{conference.pk}/choose/", {"name": "kind", "kind": "reading"}
    )
    assert response.status_code == 204
    rivera_client.post(
        f"/conferences/{conference.pk}/finish/",
        {"not_now": "on", "discussed": "Talked about the book's turning point."},
    )
    conference.refresh_from_db()
    assert conference.kind == Conference.Kind.READING
    page = html(rivera_client.get(f"/students/{zoe.pk}/"))
    assert "Reading" in page
