"""Picture-clue stickers: given in one tap in a conference, collected on the student page."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from conferbook.conferences import services
from conferbook.conferences.models import Conference, EarnedSticker
from conferbook.conferences.selectors import clue_icon_path
from conferbook.demo import load_demo
from conferbook.goals.models import Goal, GoalCategory, StudentGoal
from conferbook.roster.models import Student
from tests.factories import (
    ConferenceFactory,
    EarnedStickerFactory,
    StudentFactory,
    StudentGoalFactory,
    library_goal,
)
from tests.helpers import section

pytestmark = pytest.mark.django_db

IN_PROGRESS = Conference.Status.IN_PROGRESS
TIMES = "\N{MULTIPLICATION SIGN}"  # as in "x3", how many times a sticker was earned


def in_progress(student, teacher) -> Conference:
    return ConferenceFactory(
        student=student,
        teacher=teacher,
        status=IN_PROGRESS,
        started_at=timezone.now(),
        ended_at=None,
        duration_seconds=None,
    )


def held(student, teacher, days_ago: int) -> Conference:
    return ConferenceFactory(
        student=student, teacher=teacher, started_at=timezone.now() - timedelta(days=days_ago)
    )


def tap(client, conference, goal, action: str = "give"):
    return client.post(
        f"/conferences/{conference.pk}/sticker/",
        {"sticker_goal": str(goal.pk), "sticker_action": action},
    )


def text(response) -> str:
    """The page as read: tags removed, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def hook(zoe, rivera) -> StudentGoal:
    """Zoë's active goal: a built-in goal with a picture clue."""
    goal = Goal.objects.filter(owner=None).exclude(clue_icon="").order_by("pk").first()
    return StudentGoalFactory(student=zoe, goal=goal, set_by=rivera)


@pytest.fixture
def conference(zoe, rivera, hook) -> Conference:
    return in_progress(zoe, rivera)


# Giving and taking back, on the conference screen


def test_it_shows_a_give_sticker_button_for_each_active_goal(rivera_client, zoe, conference, hook):
    second = StudentGoalFactory(student=zoe, goal=library_goal(5))
    StudentGoalFactory(
        student=zoe, goal=library_goal(6), status=StudentGoal.Status.MET, closed_on=date.today()
    )
    page = rivera_client.get(f"/conferences/{conference.pk}/").content.decode()
    stickers = section(page, 'id="stickers"')
    assert stickers.count("Give sticker") == 2
    for goal in (hook.goal, second.goal):
        assert f'id="sticker-{goal.pk}"' in stickers
        assert f"/static/conferbook/icons/lucide/{goal.clue_icon}.svg" in stickers
        assert html.escape(goal.clue_words) in stickers
    assert f'id="sticker-{library_goal(6).pk}"' not in stickers  # met: not on today's screen
    assert 'type="button"' in stickers  # never submits the conference form


def test_it_gives_a_sticker_in_one_tap(rivera, rivera_client, zoe, conference, hook):
    response = tap(rivera_client, conference, hook.goal)
    assert response.status_code == 200
    assert "Sticker given" in text(response)
    assert '"sticker_action": "take_back"' in response.content.decode()
    sticker = EarnedSticker.objects.get()
    assert (sticker.student, sticker.goal, sticker.conference) == (zoe, hook.goal, conference)
    assert sticker.earned_on == timezone.localdate()
    assert sticker.awarded_by == rivera


def test_it_takes_a_sticker_back_on_the_second_tap(rivera_client, zoe, rivera, conference, hook):
    earlier = EarnedStickerFactory(conference=held(zoe, rivera, 7), goal=hook.goal)
    tap(rivera_client, conference, hook.goal)
    response = tap(rivera_client, conference, hook.goal, "take_back")
    assert response.status_code == 200
    assert "Give sticker" in text(response)
    assert list(EarnedSticker.objects.all()) == [earlier]  # only today's was taken back


def test_it_gives_one_sticker_when_a_tap_is_sent_twice(rivera_client, conference, hook):
    tap(rivera_client, conference, hook.goal)
    response = tap(rivera_client, conference, hook.goal)
    assert response.status_code == 200
    assert EarnedSticker.objects.count() == 1
    # Taking back twice is as harmless.
    tap(rivera_client, conference, hook.goal, "take_back")
    assert tap(rivera_client, conference, hook.goal, "take_back").status_code == 200
    assert not EarnedSticker.objects.exists()


def test_it_lets_a_student_earn_the_same_sticker_again_in_a_later_conference(
    rivera_client, rivera, zoe, conference, hook
):
    EarnedStickerFactory(conference=held(zoe, rivera, 14), goal=hook.goal)
    EarnedStickerFactory(conference=held(zoe, rivera, 7), goal=hook.goal)
    response = tap(rivera_client, conference, hook.goal)
    assert "earned 2 times before" in text(response)
    assert EarnedSticker.objects.filter(student=zoe, goal=hook.goal).count() == 3


def test_it_allows_one_sticker_per_goal_per_conference_in_the_database(zoe, conference, hook):
    EarnedStickerFactory(conference=conference, goal=hook.goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        EarnedSticker.objects.create(
            student=zoe, goal=hook.goal, conference=conference, earned_on=date.today()
        )
    # Stickers whose conference was deleted (null) do not collide.
    EarnedStickerFactory(conference=None, student=zoe, goal=hook.goal, earned_on=date.today())
    EarnedStickerFactory(conference=None, student=zoe, goal=hook.goal, earned_on=date.today())


def test_it_dates_a_sticker_given_on_a_held_conference_by_the_conference(
    rivera, rivera_client, zoe, hook
):
    last_week = held(zoe, rivera, 7)
    assert tap(rivera_client, last_week, hook.goal).status_code == 200
    assert EarnedSticker.objects.get().earned_on == timezone.localtime(last_week.started_at).date()


def test_it_gives_the_sticker_of_a_past_goal_but_not_of_a_goal_the_student_never_had(
    rivera, rivera_client, zoe, conference
):
    met = StudentGoalFactory(
        student=zoe, goal=library_goal(7), status=StudentGoal.Status.MET, closed_on=date.today()
    )
    assert tap(rivera_client, conference, met.goal).status_code == 200
    never = library_goal(8)
    assert tap(rivera_client, conference, never).status_code == 404
    assert tap(rivera_client, conference, Goal(pk=999999)).status_code == 404
    assert list(EarnedSticker.objects.values_list("goal", flat=True)) == [met.goal.pk]
    with pytest.raises(services.StickerRefused):
        services.award_sticker(teacher=rivera, conference=conference, goal=never)


def test_it_refuses_a_sticker_before_the_conference_has_started(rivera, rivera_client, zoe, hook):
    booked = ConferenceFactory(
        student=zoe,
        status=Conference.Status.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=1),
        started_at=None,
        ended_at=None,
    )
    response = tap(rivera_client, booked, hook.goal)
    assert response.status_code == 400
    assert "Start the conference" in response.content.decode()
    assert not EarnedSticker.objects.exists()


def test_it_refuses_an_unknown_action(rivera_client, conference, hook):
    assert tap(rivera_client, conference, hook.goal, "toggle").status_code == 400
    assert not EarnedSticker.objects.exists()


def test_it_answers_another_teacher_like_a_missing_conference(okafor_client, conference, hook):
    response = tap(okafor_client, conference, hook.goal)
    assert response.status_code == 404
    assert not EarnedSticker.objects.exists()


def test_it_adds_the_button_of_a_goal_set_during_the_conference(rivera_client, conference, hook):
    new_goal = library_goal(9)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/goal/", {"goal": str(new_goal.pk), "set_with_student": "on"}
    )
    body = response.content.decode()
    stickers = section(body, 'id="stickers"')
    assert 'hx-swap-oob="true"' in stickers
    assert f'id="sticker-{new_goal.pk}"' in stickers


def test_it_keeps_the_button_of_a_sticker_given_today_for_a_goal_closed_since(
    rivera_client, conference, hook
):
    tap(rivera_client, conference, hook.goal)
    hook.status, hook.closed_on = StudentGoal.Status.MET, date.today()
    hook.save()
    page = rivera_client.get(f"/conferences/{conference.pk}/").content.decode()
    assert f'id="sticker-{hook.goal.pk}"' in section(page, 'id="stickers"')


def test_it_uses_a_star_for_a_goal_without_a_picture_clue(rivera, rivera_client, zoe, conference):
    own = Goal.objects.create(
        owner=rivera,
        category=GoalCategory.objects.filter(owner=None).first(),
        name="Use my word wall",
        student_words="I can use the word wall",
    )
    StudentGoalFactory(student=zoe, goal=own)
    stickers = section(
        rivera_client.get(f"/conferences/{conference.pk}/").content.decode(), 'id="stickers"'
    )
    assert "/static/conferbook/icons/lucide/star.svg" in stickers
    assert "Use my word wall" in stickers  # no clue words: the goal's name is shown
    assert clue_icon_path("../../secret") == "conferbook/icons/lucide/star.svg"
    assert clue_icon_path("not-an-icon-we-have") == "conferbook/icons/lucide/star.svg"
    assert clue_icon_path("door-open") == "conferbook/icons/lucide/door-open.svg"


# Keeping the collection


def test_it_keeps_the_sticker_when_the_conference_is_deleted(zoe, conference, hook):
    sticker = EarnedStickerFactory(conference=conference, goal=hook.goal)
    conference.delete()
    sticker.refresh_from_db()
    assert sticker.conference is None
    assert sticker.student == zoe


def test_it_deletes_the_stickers_with_the_student(zoe, conference, hook):
    EarnedStickerFactory(conference=conference, goal=hook.goal)
    Student.objects.filter(pk=zoe.pk).delete()
    assert not EarnedSticker.objects.exists()


def test_it_shows_the_collection_on_the_student_page(rivera, rivera_client, zoe, hook):
    past = StudentGoalFactory(
        student=zoe, goal=library_goal(3), status=StudentGoal.Status.MET, closed_on=date.today()
    )
    not_yet = StudentGoalFactory(student=zoe, goal=library_goal(4))
    first = held(zoe, rivera, 20)
    EarnedStickerFactory(conference=first, goal=hook.goal)
    EarnedStickerFactory(conference=held(zoe, rivera, 6), goal=hook.goal)
    EarnedStickerFactory(conference=first, goal=past.goal)
    page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    stickers = section(page, 'id="stickers"')
    earned, to_collect = stickers.split("Still to collect")
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", earned)).split())
    six_days_ago = timezone.localdate() - timedelta(days=6)
    assert f"{hook.goal.clue_words} {TIMES}2 last earned {six_days_ago:%-d %b %Y}" in words
    assert f"{past.goal.clue_words} {TIMES}1 earned" in words
    assert f"lucide/{hook.goal.clue_icon}.svg" in earned
    assert 'alt=""' in earned
    assert html.escape(not_yet.goal.clue_words) in to_collect
    assert f"lucide/{not_yet.goal.clue_icon}.svg" in to_collect
    assert html.escape(hook.goal.clue_words) not in to_collect
    assert html.escape(past.goal.clue_words) not in to_collect


def test_it_lists_past_goals_still_to_collect_after_the_active_ones(rivera_client, zoe, hook):
    past = StudentGoalFactory(
        student=zoe, goal=library_goal(3), status=StudentGoal.Status.MET, closed_on=date.today()
    )
    page = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    stickers = section(page, 'id="stickers"')
    assert "No stickers yet" in stickers
    to_collect = stickers.split("Still to collect")[1]
    active_at = to_collect.index(html.escape(hook.goal.clue_words))
    assert active_at < to_collect.index(html.escape(past.goal.clue_words))


# The class's collections


def test_it_links_the_class_page_to_the_collections(rivera_client, room12):
    page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    assert f'href="/classes/{room12.pk}/sticker-collections/"' in page


def test_it_shows_a_row_per_student_with_their_stickers(
    rivera, rivera_client, room12, zoe, hook, okafor_world
):
    ava = StudentFactory(first_name="Ava", preferred_name="Avi", classroom=room12)
    StudentGoalFactory(student=ava, goal=library_goal(1))
    StudentGoalFactory(student=ava, goal=library_goal(2))
    for days_ago in (9, 5, 2):
        EarnedStickerFactory(conference=held(ava, rivera, days_ago), goal=library_goal(1))
    EarnedStickerFactory(conference=held(zoe, rivera, 3), goal=hook.goal)
    archived = StudentFactory(first_name="Gone", classroom=room12, archived_at=timezone.now())

    response = rivera_client.get(f"/classes/{room12.pk}/sticker-collections/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<tr id="student-') == 2
    assert f'id="student-{archived.pk}"' not in body
    assert "Marcus" not in body  # Mr Okafor's student, with a sticker of his own
    rows = {
        name: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for name, student in [("ava", ava), ("zoe", zoe)]
        for row in re.findall(rf'<tr id="student-{student.pk}">(.*?)</tr>', body, re.S)
    }
    assert rows["ava"].startswith("Avi ")  # the preferred name
    assert f"{library_goal(1).clue_words} {TIMES}3" in rows["ava"]
    assert rows["ava"].endswith(" 1")  # library_goal(2) still to collect
    assert f"{hook.goal.clue_words} {TIMES}1" in rows["zoe"]
    assert rows["zoe"].endswith(" 0")


def test_it_sorts_the_collections_by_name_or_by_count(rivera, rivera_client, room12, zoe, hook):
    ava = StudentFactory(first_name="Ava", classroom=room12)
    StudentGoalFactory(student=ava, goal=library_goal(1))
    EarnedStickerFactory(conference=held(zoe, rivera, 4), goal=hook.goal)
    EarnedStickerFactory(conference=held(zoe, rivera, 2), goal=hook.goal)
    url = f"/classes/{room12.pk}/sticker-collections/"

    def order(query: str) -> list[int]:
        body = rivera_client.get(url + query).content.decode()
        return [int(pk) for pk in re.findall(r'<tr id="student-(\d+)"', body)]

    assert order("") == order("?sort=name") == [ava.pk, zoe.pk]
    assert order("?sort=count") == [zoe.pk, ava.pk]
    assert order("?sort=nonsense") == [ava.pk, zoe.pk]


# The demo


def test_it_gives_some_demo_students_stickers_for_their_own_goals():
    result = load_demo(today=date(2026, 3, 11))
    stickers = list(
        EarnedSticker.objects.filter(student__classrooms=result.classroom).select_related(
            "conference"
        )
    )
    students = {s.student_id for s in stickers}
    assert 5 <= len(students) < result.students
    for sticker in stickers:
        assert sticker.conference is not None
        assert sticker.conference.student_id == sticker.student_id
        assert sticker.conference.status == Conference.Status.HELD
        assert sticker.earned_on == timezone.localtime(sticker.conference.started_at).date()
        assert StudentGoal.objects.filter(student=sticker.student, goal=sticker.goal).exists()
