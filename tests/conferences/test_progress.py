"""A student's last 12 weeks as a picture: goals, conferences, task reviews, stickers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from conferbook.conferences import pictures
from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
from conferbook.conferences.selectors import progress_for
from conferbook.goals.models import StudentGoal
from tests.factories import ConferenceFactory, StudentFactory, StudentGoalFactory, library_goal
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

END = date(2026, 12, 4)
START = END - timedelta(weeks=12)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@pytest.fixture
def jo(room12):
    jo = StudentFactory(first_name="Jo", classroom=room12)
    StudentGoalFactory(
        student=jo,
        goal=library_goal(0),
        set_on=START - timedelta(days=10),  # set before the weeks shown: drawn from the start
        status=StudentGoal.Status.MET,
        closed_on=START + timedelta(days=30),
    )
    StudentGoalFactory(student=jo, goal=library_goal(1), set_on=START + timedelta(days=30))
    StudentGoalFactory(  # met before the weeks shown: not drawn
        student=jo,
        goal=library_goal(2),
        set_on=START - timedelta(days=90),
        status=StudentGoal.Status.MET,
        closed_on=START - timedelta(days=1),
    )
    ConferenceFactory(student=jo, started_at=at(START + timedelta(days=3)))
    ConferenceFactory(
        student=jo,
        started_at=at(START + timedelta(days=10)),
        task_review=Conference.TaskReview.DONE,
    )
    group = GroupConference.objects.create(
        classroom=room12, name="Leads", started_at=at(START + timedelta(days=17))
    )
    ConferenceFactory(
        student=jo,
        started_at=at(START + timedelta(days=17)),
        group_conference=group,
        task_review=Conference.TaskReview.PARTLY,
    )
    Conference.objects.create(
        classroom=room12,
        student=jo,
        status=Conference.Status.MISSED,
        scheduled_for=at(START + timedelta(days=24)),
    )
    ConferenceFactory(student=jo, started_at=at(START - timedelta(days=3)))  # before
    EarnedSticker.objects.create(
        student=jo, goal=library_goal(0), earned_on=START + timedelta(days=10)
    )
    return jo


def test_it_gathers_the_weeks(jo, rivera):
    found = progress_for(user=rivera, student=jo, start=START, end=END)
    assert [g.name for g in found.goals] == [library_goal(0).name, library_goal(1).name]
    assert [m.kind for m in found.conferences] == [
        "one-on-one",
        "one-on-one",
        "small group",
        "missed",
    ]
    assert [m.kind for m in found.reviews] == ["done", "partly"]
    assert [m.kind for m in found.stickers] == [library_goal(0).name]
    assert found.summary() == (
        "Since Fri 11 Sep: 3 conferences (2 one-on-one, 1 in small groups), 1 missed; "
        "1 goal met; the task done 1 time of 2 reviewed; 1 sticker."
    )


def test_it_draws_each_mark_where_its_day_is(jo, rivera):
    drawn = pictures.timeline(progress_for(user=rivera, student=jo, start=START, end=END))
    first, second = drawn.goals
    assert first.x == pictures.LEFT  # set before the weeks shown
    assert first.status == "met" and first.label.startswith("✓ ")
    assert second.status == "active" and second.x + second.width == pictures.LEFT + pictures.PLOT
    xs = [m.middle for m in drawn.conferences]
    assert xs == sorted(xs) and xs[0] == pictures.LEFT + round(3 * pictures.PLOT / (12 * 7))
    assert [m.title for m in drawn.reviews] == [
        "Mon 21 Sep: task done",
        "Mon 28 Sep: task partly done",
    ]
    assert drawn.stickers[0].title == f"Mon 21 Sep: sticker for {library_goal(0).name}"


def test_another_teacher_sees_nothing_of_the_student(jo, okafor_client):
    assert okafor_client.get(f"/students/{jo.pk}/progress/").status_code == 404


def test_the_page_has_a_sentence_a_picture_and_a_list(jo, rivera_client):
    page = rivera_client.get(f"/students/{jo.pk}/progress/").content.decode()
    assert '<svg class="timeline" role="img"' in page
    assert "conferences (" in page and "The same, as a list" in page
    student_page = rivera_client.get(f"/students/{jo.pk}/").content.decode()
    assert f"/students/{jo.pk}/progress/" in student_page


def test_the_page_reads_in_a_fixed_number_of_queries(jo, room12, rivera_client):
    url = f"/students/{jo.pk}/progress/"
    few = queries_for(rivera_client, url)
    today = timezone.localdate()
    for k in range(40):
        ConferenceFactory(
            student=jo,
            started_at=at(today - timedelta(days=k * 2)),
            task_review=Conference.TaskReview.NOT_YET,
        )
        EarnedSticker.objects.create(student=jo, goal=library_goal(k % 5), earned_on=today)
    for k in range(6):
        StudentGoalFactory(
            student=jo,
            goal=library_goal(10 + k),
            set_on=today - timedelta(days=20),
            status=StudentGoal.Status.SET_ASIDE,
            closed_on=today,
        )
    assert len(queries_for(rivera_client, url)) == len(few)


def test_it_draws_the_self_assessment_lines_moving_to_yes(jo, rivera):
    from conferbook.goals.models import ChecklistItem, Rating, SelfAssessment, SelfAssessmentAnswer

    items = list(ChecklistItem.objects.select_related("checklist").order_by("pk")[:2])
    assert len(items) == 2 and items[0].checklist_id == items[1].checklist_id
    for days, first, second in (
        (5, Rating.NOT_YET, Rating.NOT_YET),
        (40, Rating.STARTING, Rating.NOT_YET),
        (70, Rating.YES, Rating.STARTING),
    ):
        taken = SelfAssessment.objects.create(
            student=jo, checklist=items[0].checklist, taken_on=START + timedelta(days=days)
        )
        SelfAssessmentAnswer.objects.create(assessment=taken, item=items[0], rating=first)
        SelfAssessmentAnswer.objects.create(assessment=taken, item=items[1], rating=second)
    found = progress_for(user=rivera, student=jo, start=START, end=END)
    assert [(line.text, [m.kind for m in line.answers]) for line in found.lines] == [
        (items[0].text, ["not_yet", "starting", "yes"]),
        (items[1].text, ["not_yet", "not_yet", "starting"]),
    ]
    assert found.summary().endswith("; 1 checklist line moved to “yes”.")
    drawn = pictures.timeline(found)
    first = drawn.checklist[0]
    assert first.x1 < first.x2 and [m.kind for m in first.answers] == ["not_yet", "starting", "yes"]
    assert first.answers[-1].title.startswith(f"{items[0].text}: ")
    assert drawn.lanes[-1].name == "Checklist"
