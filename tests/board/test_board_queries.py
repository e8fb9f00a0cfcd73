"""The board, groups, partnerships and change-goal pages must not slow down as the class grows.

Like tests/test_query_counts.py: the same page for a class of SMALL and of LARGE students,
each with goals (some two), strengths that show a goal, goals met, saved groups with
members and bookings and saved partnerships, must issue the same number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import pytest
from django.test import Client
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.goals.models import Strategy, StudentGoal
from conferbook.groups.models import SmallGroup
from conferbook.groups.services import PartnershipToSave, save_partnerships
from conferbook.roster.models import Classroom, Student
from conferbook.scheduling.models import GroupAppointment
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
    library_goal,
)
from tests.helpers import assert_same_count, queries_for

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 40
# The same page for a small and a large class must issue as many queries.
same_count = partial(assert_same_count, sizes=(SMALL, LARGE))


@dataclass
class World:
    client: Client
    classroom: Classroom
    students: list[Student]
    goal_rows: int  # active student goals in the class: one board card each
    without_goal: int
    groups: int
    partnerships: int


def build(size: int) -> World:
    """A teacher's class of `size` students with everything the board pages show."""
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher], group_slots_per_day=1)
    students = StudentFactory.create_batch(size, classroom=classroom)
    today = timezone.localdate()
    goal_rows = without_goal = 0
    for i, student in enumerate(students):
        if i % 5 == 4:
            without_goal += 1
        else:
            StudentGoalFactory(
                student=student,
                goal=library_goal(i // 3 % 10),
                set_on=today - timedelta(days=i % 40),
            )
            goal_rows += 1
            if i % 3 == 0:
                StudentGoalFactory(
                    student=student,
                    goal=library_goal(10 + i % 10),
                    set_on=today - timedelta(days=i),
                )
                goal_rows += 1
        StrengthFactory(student=student, goal=library_goal((i + 3) % 10), noted_by=teacher)
        StrengthFactory(student=student, description="Strong verbs", noted_by=teacher)
        StudentGoalFactory(
            student=student,
            goal=library_goal(20 + i % 5),
            status=StudentGoal.Status.MET,
            closed_on=today,
        )
        ConferenceFactory(
            student=student, classroom=classroom, started_at=timezone.now() - timedelta(days=20 + i)
        )
        if i % 2:
            Conference.objects.create(
                student=student,
                classroom=classroom,
                status=Conference.Status.SCHEDULED,
                scheduled_for=timezone.now() + timedelta(days=1, minutes=5 * i),
            )
    groups = 0
    for start in range(0, size - 1, 4):
        goal = library_goal(start % 10)
        group = SmallGroup.objects.create(
            classroom=classroom,
            name=f"Group {start}",
            goal=goal,
            strategy=Strategy.objects.filter(goal=goal).first(),
        )
        group.members.set(students[start : start + 4])
        for days in (1, 2):
            GroupAppointment.objects.create(
                group=group, scheduled_for=timezone.now() + timedelta(days=days + start)
            )
        groups += 1
    pairs = [students[i : i + 2] for i in range(0, size - 1, 2)]
    save_partnerships(
        classroom=classroom,
        partnerships=[
            PartnershipToSave(members=p, basis="same_goal", reason=f"Pair {n}")
            for n, p in enumerate(pairs)
        ],
        replace=False,
    )
    client = Client()
    client.force_login(teacher)
    return World(client, classroom, students, goal_rows, without_goal, groups, len(pairs))


@pytest.fixture
def small() -> World:
    return build(SMALL)


@pytest.fixture
def large() -> World:
    return build(LARGE)


def category_of_first_goal() -> int:
    return library_goal(0).category_id


@pytest.mark.parametrize(
    "query", ["", "category", "?days=new", "?days=settled", "?overdue=on", "all filters"]
)
def test_it_loads_the_board_in_a_fixed_number_of_queries(small, large, query):
    category = f"?category={category_of_first_goal()}"
    query = {"category": category, "all filters": f"{category}&days=long&overdue=on"}.get(
        query, query
    )
    same_count(
        queries_for(small.client, f"/classes/{small.classroom.pk}/board/{query}"),
        queries_for(large.client, f"/classes/{large.classroom.pk}/board/{query}"),
        f"goals board ({query or 'no filter'})",
    )


def test_it_draws_the_goal_pictures_in_a_fixed_number_of_queries(small, large):
    same_count(
        queries_for(small.client, f"/classes/{small.classroom.pk}/board/pictures/"),
        queries_for(large.client, f"/classes/{large.classroom.pk}/board/pictures/"),
        "goal pictures",
    )
    page = large.client.get(f"/classes/{large.classroom.pk}/board/pictures/").content.decode()
    # a bar per student goal (time on goal), a group per week, a bar per goal in use
    assert page.count('<g class="cell"') > large.goal_rows + 12


@pytest.mark.parametrize("query", ["", "?smallest=3&largest=4", "?smallest=9&largest=2"])
def test_it_loads_the_groups_page_in_a_fixed_number_of_queries(small, large, query):
    same_count(
        queries_for(small.client, f"/classes/{small.classroom.pk}/groups/{query}"),
        queries_for(large.client, f"/classes/{large.classroom.pk}/groups/{query}"),
        f"groups page ({query or 'default sizes'})",
    )


@pytest.mark.parametrize("mode", ["same_goal", "complementary"])
def test_it_loads_the_partnerships_page_in_a_fixed_number_of_queries(small, large, mode):
    same_count(
        queries_for(small.client, f"/classes/{small.classroom.pk}/partnerships/?mode={mode}"),
        queries_for(large.client, f"/classes/{large.classroom.pk}/partnerships/?mode={mode}"),
        f"partnerships page ({mode})",
    )


@pytest.mark.parametrize("dialog", [False, True])
def test_it_loads_the_change_goal_page_in_a_fixed_number_of_queries(small, large, dialog):
    headers = {"HTTP_HX_REQUEST": "true"} if dialog else {}

    def url(world: World) -> str:
        student = world.students[0]  # two active goals
        moving = student.student_goals.filter(status=StudentGoal.Status.ACTIVE).first()
        return (
            f"/classes/{world.classroom.pk}/students/{student.pk}/change-goal/"
            f"?from={moving.pk}&to={library_goal(30).pk}"
        )

    same_count(
        queries_for(small.client, url(small), **headers),
        queries_for(large.client, url(large), **headers),
        "change-goal " + ("dialog" if dialog else "page"),
    )


def test_it_builds_pages_that_show_every_row(large):
    """The counts above compare pages that really show the rows they were given."""
    pk = large.classroom.pk
    board = large.client.get(f"/classes/{pk}/board/").content.decode()
    assert board.count('<li class="board-card') == large.goal_rows + large.without_goal
    assert board.count("two-goals") > 10
    assert board.count("Overdue for a conference since") > 10
    groups = large.client.get(f"/classes/{pk}/groups/").content.decode()
    assert groups.count('<section class="card" id="group-') == large.groups == LARGE // 4
    assert groups.count("<strong>Booked:</strong>") == large.groups
    assert groups.count('<article class="card suggestion') >= 10
    for mode in ("same_goal", "complementary"):
        page = large.client.get(f"/classes/{pk}/partnerships/?mode={mode}").content.decode()
        assert page.count('<div class="pair saved">') == large.partnerships == LARGE // 2
        assert page.count('<li class="card pair') == LARGE // 2
    matched = large.client.get(f"/classes/{pk}/partnerships/?mode=complementary")
    assert "is strong at" in matched.content.decode()
