"""The class's goals in pictures: who works on what, what changed each week, how long."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from conferbook.board import pictures
from conferbook.board.selectors import LONG_RUNNING_DAYS, goal_pictures
from conferbook.goals.models import StudentGoal
from tests.factories import StudentFactory, StudentGoalFactory, library_goal

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def class_with_goals(room12):
    ana, ben, cy, dee = (
        StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy", "Dee")
    )
    lead, ending = library_goal(0), library_goal(1)
    StudentGoalFactory(student=ana, goal=lead, set_on=TODAY - timedelta(days=40))
    StudentGoalFactory(student=ana, goal=ending, set_on=TODAY - timedelta(days=3))
    StudentGoalFactory(student=ben, goal=lead, set_on=TODAY - timedelta(days=LONG_RUNNING_DAYS))
    StudentGoalFactory(student=cy, goal=ending, set_on=TODAY - timedelta(days=1))
    StudentGoalFactory(
        student=cy,
        goal=library_goal(2),
        status=StudentGoal.Status.MET,
        set_on=TODAY - timedelta(days=30),
        closed_on=TODAY - timedelta(days=1),
    )
    StudentGoalFactory(
        student=dee,
        goal=library_goal(3),
        status=StudentGoal.Status.SET_ASIDE,
        set_on=TODAY - timedelta(days=9),
        closed_on=TODAY - timedelta(days=8),
    )
    return room12, (lead, ending)


def test_it_counts_who_works_on_what_now(class_with_goals):
    room12, (lead, _ending) = class_with_goals
    found = goal_pictures(classroom=room12, today=TODAY)
    assert found.summary_now().startswith("3 of 4 students have a goal; most work on ")
    now = pictures.goals_now(found)
    bars = {row.label: row for row in now.rows if not row.heading}
    assert (
        bars[
            lead.name[: pictures.LABEL_CHARS - 1]
            if len(lead.name) > pictures.LABEL_CHARS
            else lead.name
        ].number
        == "2"
    )
    assert "No goal yet" in bars and bars["No goal yet"].title == "No goal yet: 1 (Dee)"
    widest = max(row.width for row in now.rows)
    assert widest == pictures.BAR_ROOM  # the largest count fills the room


def test_it_counts_goals_set_met_and_set_aside_each_week(class_with_goals):
    room12, _ = class_with_goals
    found = goal_pictures(classroom=room12, today=TODAY)
    assert len(found.weeks) == 12 and found.weeks[-1].monday == date(2026, 11, 30)
    this_week, last_week = found.weeks[-1], found.weeks[-2]
    # this week: Cy's new goal (Tue), Cy's goal met (Tue)
    assert (this_week.set, this_week.met, this_week.set_aside) == (1, 1, 0)
    # last week: Dee's goal (Mon) and Ana's second (Sun); Dee's set aside (Tue)
    assert (last_week.set, last_week.met, last_week.set_aside) == (2, 0, 1)
    assert found.summary_weeks().startswith("In the last 12 weeks: ")
    assert pictures.goal_weeks(found).groups[-1].title == (
        "Week of 30 Nov: 1 set, 1 met, 0 set aside"
    )


def test_the_long_running_goals_stand_out(class_with_goals):
    room12, _ = class_with_goals
    found = goal_pictures(classroom=room12, today=TODAY)
    assert [c.days_on_goal for c in found.on_goal] == [40, LONG_RUNNING_DAYS, 3, 1]
    assert found.summary_time() == (
        f"2 students have been on a goal 4 weeks or more: Ana (40 days), "
        f"Ben ({LONG_RUNNING_DAYS} days)."
    )
    time = pictures.time_on_goal(found)
    assert [row.long for row in time.rows] == [True, True, False, False]
    assert time.line_x is not None
    assert all(row.end_x > row.width for row in time.rows)


def test_the_sentences_for_a_class_without_goals(room12):
    StudentFactory(classroom=room12)
    found = goal_pictures(classroom=room12, today=TODAY)
    assert found.summary_now() == "0 of 1 students have a goal."
    assert found.summary_time() == "Nobody has been on a goal 4 weeks or more."
    assert pictures.time_on_goal(found).rows == []


def test_the_page_shows_three_pictures_with_sentences_and_tables(class_with_goals, rivera_client):
    room12, _ = class_with_goals
    page = rivera_client.get(f"/classes/{room12.pk}/board/pictures/").content.decode()
    assert page.count('role="img"') == 3
    assert page.count("The same, as a table") == 3
    assert "students have a goal" in page and "goals set" in page
    board = rivera_client.get(f"/classes/{room12.pk}/board/").content.decode()
    assert f"/classes/{room12.pk}/board/pictures/" in board
