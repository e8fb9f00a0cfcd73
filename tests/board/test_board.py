"""The class goals board, and changing a student's goal from it (issue 5)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.goals import services as goal_services
from conferbook.goals.models import Goal, StudentGoal
from conferbook.roster.models import Enrollment
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StudentFactory,
    StudentGoalFactory,
    library_goal,
)
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

# Built-in goals (see library/): index -> category, position in the category.
LEAD = 14  # "Write a strong lead": Structure and organization, 1st
ENDING = 19  # "Write a strong ending or conclusion": Structure and organization, 6th
DIALOGUE = 20  # "Use dialogue": Elaboration, 1st
GET_STARTED = 0  # "Get started quickly": Engagement and stamina, 1st
SENSORY = 22  # "Add sensory details": Elaboration, 3rd


# -- reading the board as the teacher sees it ---------------------------------------------


@dataclass
class Column:
    goal_id: int | None  # None: the "no goal yet" column
    cards: list[str]  # each card's HTML

    @property
    def names(self) -> list[str]:
        return [name_on(card) for card in self.cards]


def name_on(card: str) -> str:
    match = re.search(r'<a class="board-name"[^>]*>(.*?)</a>', card)
    assert match, card
    return html.unescape(match.group(1))


def days_on(card: str) -> str:
    match = re.search(r'<span class="board-days"[^>]*>(.*?)</span>', card)
    return match.group(1) if match else ""


def columns(page: str) -> list[Column]:
    """The board's columns in page order, each with its cards."""
    found = []
    for match in re.finditer(
        r'<div class="board-column(?: [^"]*)?"(?: data-drop-goal="(?P<goal>\d+)")?'
        r"[^>]*>(?P<body>.*?)</ul>",
        page,
        re.S,
    ):
        cards = re.findall(r'<li class="board-card.*?</li>', match.group("body"), re.S)
        goal = match.group("goal")
        found.append(Column(int(goal) if goal else None, cards))
    return found


def column_of(page: str, goal: Goal | None) -> Column:
    wanted = goal.pk if goal else None
    matching = [c for c in columns(page) if c.goal_id == wanted]
    assert len(matching) == 1, f"{len(matching)} columns for {goal}"
    return matching[0]


def category_order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<h2 id="category-(\d+)-h">', page)]


def board(client, classroom, query: str = "") -> str:
    response = client.get(f"/classes/{classroom.pk}/board/{query}")
    assert response.status_code == 200
    return response.content.decode()


def on_goal(student, index: int, days: int = 0, **fields) -> StudentGoal:
    return StudentGoalFactory(
        student=student,
        goal=library_goal(index),
        set_on=timezone.localdate() - timedelta(days=days),
        **fields,
    )


def make_overdue(student, classroom) -> None:
    """Last seen a month ago, nothing booked: overdue for a conference."""
    ConferenceFactory(
        student=student, classroom=classroom, started_at=timezone.now() - timedelta(days=30)
    )


def book_soon(student, classroom) -> None:
    Conference.objects.create(
        student=student,
        classroom=classroom,
        status=Conference.Status.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=1),
    )


# -- the board ----------------------------------------------------------------------------


def test_it_shows_one_column_per_goal_in_use_by_category_then_library_position(
    rivera_client, room12
):
    # Set in an order that is neither the library's nor alphabetical.
    on_goal(StudentFactory(first_name="Ana", classroom=room12), DIALOGUE)
    on_goal(StudentFactory(first_name="Ben", classroom=room12), ENDING)
    on_goal(StudentFactory(first_name="Cy", classroom=room12), LEAD)
    on_goal(StudentFactory(first_name="Dee", classroom=room12), GET_STARTED)
    on_goal(StudentFactory(first_name="Eli", classroom=room12), SENSORY)

    page = board(rivera_client, room12)

    assert [c.goal_id for c in columns(page)] == [
        library_goal(i).pk for i in (GET_STARTED, LEAD, ENDING, DIALOGUE, SENSORY)
    ]
    assert category_order(page) == [
        library_goal(i).category_id for i in (GET_STARTED, LEAD, DIALOGUE)
    ]
    assert "5 goals in use" in page
    # Goals nobody works on have no column.
    assert f'data-drop-goal="{library_goal(1).pk}"' not in page


def test_it_puts_a_teachers_own_goal_at_its_place_in_the_category(rivera, rivera_client, room12):
    dialogue = library_goal(DIALOGUE)
    own = Goal.objects.create(
        owner=rivera,
        category=dialogue.category,
        name="Use a speaker tag",
        student_words="I can",
        position=0,  # before "Use dialogue" (position 1), though created after it
    )
    on_goal(StudentFactory(first_name="Ana", classroom=room12), DIALOGUE)
    StudentGoalFactory(student=StudentFactory(first_name="Ben", classroom=room12), goal=own)

    page = board(rivera_client, room12)

    assert [c.goal_id for c in columns(page)] == [own.pk, dialogue.pk]


def test_it_shows_a_card_per_student_with_preferred_name_and_days_on_goal(
    rivera_client, room12, zoe
):
    zoe.preferred_name = "Zozo"
    zoe.save()
    on_goal(zoe, LEAD, days=12)
    on_goal(StudentFactory(first_name="Omar", classroom=room12), LEAD, days=1)
    on_goal(StudentFactory(first_name="Bea", classroom=room12), LEAD, days=0)

    lead = column_of(board(rivera_client, room12), library_goal(LEAD))

    assert lead.names == ["Bea", "Omar", "Zozo"]  # name order
    assert [days_on(card) for card in lead.cards] == ["today", "1 day", "12 days"]
    assert "Zoë" not in "".join(lead.cards)
    assert f'href="/students/{zoe.pk}/?class={room12.pk}"' in lead.cards[2]


def test_it_shows_a_student_with_two_goals_in_both_columns_marked(rivera_client, room12, zoe):
    on_goal(zoe, LEAD, days=20)
    on_goal(zoe, DIALOGUE, days=3)
    on_goal(StudentFactory(first_name="Omar", classroom=room12), LEAD)

    page = board(rivera_client, room12)
    lead, dialogue = column_of(page, library_goal(LEAD)), column_of(page, library_goal(DIALOGUE))

    zoe_on_lead = next(c for c in lead.cards if name_on(c) == "Zoë")
    zoe_on_dialogue = dialogue.cards[0]
    assert name_on(zoe_on_dialogue) == "Zoë"
    assert "two-goals" in zoe_on_lead.split(">", 1)[0]
    assert "2 goals" in zoe_on_lead and f"also “{library_goal(DIALOGUE).name}”" in zoe_on_lead
    assert f"also “{library_goal(LEAD).name}”" in zoe_on_dialogue
    assert days_on(zoe_on_lead) == "20 days" and days_on(zoe_on_dialogue) == "3 days"
    omar = next(c for c in lead.cards if name_on(c) == "Omar")
    assert "2 goals" not in omar and "two-goals" not in omar.split(">", 1)[0]
    assert "2 students · 2 goals in use" in page  # Zoë's two cards are one student


def test_it_gives_students_without_an_active_goal_a_column_of_their_own(rivera_client, room12, zoe):
    on_goal(zoe, LEAD)
    met = StudentFactory(first_name="Mia", classroom=room12)
    on_goal(met, DIALOGUE, status=StudentGoal.Status.MET, closed_on=timezone.localdate())
    StudentFactory(first_name="Nico", classroom=room12)

    page = board(rivera_client, room12)

    no_goal = column_of(page, None)
    assert no_goal.names == ["Mia", "Nico"]
    assert "Set a goal" in no_goal.cards[0] and days_on(no_goal.cards[0]) == ""
    assert columns(page)[0].goal_id is None  # first, where it stands out
    assert "2 without a goal" in page
    # A met goal is not in use: no column for it.
    assert f'data-drop-goal="{library_goal(DIALOGUE).pk}"' not in page


def test_it_leaves_out_archived_students_and_students_of_other_classes(
    rivera, rivera_client, room12, zoe, marcus
):
    on_goal(zoe, LEAD)
    on_goal(marcus, LEAD)
    other_class = ClassroomFactory(teachers=[rivera])
    on_goal(StudentFactory(first_name="Otto", classroom=other_class), LEAD)
    gone = StudentFactory(first_name="Gus", classroom=room12, archived_at=timezone.now())
    on_goal(gone, LEAD)

    page = board(rivera_client, room12)

    assert column_of(page, library_goal(LEAD)).names == ["Zoë"]
    for name in ("Marcus", "Otto", "Gus"):
        assert name not in page


def test_it_filters_the_board_by_category(rivera_client, room12, zoe):
    on_goal(zoe, LEAD)
    on_goal(zoe, DIALOGUE)
    on_goal(StudentFactory(first_name="Omar", classroom=room12), ENDING)
    on_goal(StudentFactory(first_name="Bea", classroom=room12), GET_STARTED)
    StudentFactory(first_name="Nico", classroom=room12)
    structure = library_goal(LEAD).category

    page = board(rivera_client, room12, f"?category={structure.pk}")

    assert [c.goal_id for c in columns(page)] == [library_goal(LEAD).pk, library_goal(ENDING).pk]
    assert "Bea" not in page and "Nico" not in page
    assert "showing 2" in page
    # The category menu offers the categories in use, whatever is filtered.
    assert f'<option value="{library_goal(GET_STARTED).category_id}">' in page
    assert f'<option value="{structure.pk}" selected>' in page
    assert "Show everyone" in page


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        ("new", ["Day 0", "Day 13"]),
        ("settled", ["Day 14", "Day 27"]),
        ("long", ["Day 28", "Day 90"]),
        ("", ["Day 0", "Day 13", "Day 14", "Day 27", "Day 28", "Day 90", "No goal"]),
    ],
)
def test_it_filters_the_board_by_days_on_goal(rivera_client, room12, days, shown):
    for on in (0, 13, 14, 27, 28, 90):
        on_goal(StudentFactory(first_name=f"Day {on}", classroom=room12), LEAD, days=on)
    StudentFactory(first_name="No goal", classroom=room12)

    page = board(rivera_client, room12, f"?days={days}")

    names = [n for c in columns(page) for n in c.names]
    assert sorted(names) == sorted(shown)


def test_it_keeps_only_the_card_of_the_goal_that_matches_the_days_filter(
    rivera_client, room12, zoe
):
    on_goal(zoe, LEAD, days=40)
    on_goal(zoe, DIALOGUE, days=2)

    page = board(rivera_client, room12, "?days=new")

    assert [c.goal_id for c in columns(page)] == [library_goal(DIALOGUE).pk]
    assert "2 goals" in columns(page)[0].cards[0]  # still marked: the other goal is real


def test_it_filters_the_board_to_students_overdue_for_a_conference(rivera_client, room12, zoe):
    late = StudentFactory(first_name="Lena", classroom=room12)
    on_goal(late, LEAD)
    make_overdue(late, room12)
    late_without_goal = StudentFactory(first_name="Nia", classroom=room12)
    make_overdue(late_without_goal, room12)
    booked = StudentFactory(first_name="Bo", classroom=room12)
    on_goal(booked, LEAD)
    make_overdue(booked, room12)
    # A booking ahead says when Bo will be seen; he is late all the same (calendar.rules).
    book_soon(booked, room12)
    on_goal(zoe, LEAD)  # new in the class: not overdue

    everyone = board(rivera_client, room12)
    lena = next(c for c in column_of(everyone, library_goal(LEAD)).cards if "Lena" in c)
    assert "Overdue for a conference" in lena

    page = board(rivera_client, room12, "?overdue=on")

    assert column_of(page, library_goal(LEAD)).names == ["Bo", "Lena"]
    assert column_of(page, None).names == ["Nia"]
    assert "Zoë" not in page
    assert "showing 3" in page


def test_it_says_when_no_student_matches_the_filters(rivera_client, room12, zoe):
    on_goal(zoe, LEAD, days=1)
    page = board(rivera_client, room12, "?days=long")
    assert columns(page) == []
    assert "No students match these filters." in page


def test_it_ignores_a_category_the_class_does_not_use(rivera_client, room12, zoe):
    on_goal(zoe, LEAD)
    unused = library_goal(DIALOGUE).category
    page = board(rivera_client, room12, f"?category={unused.pk}")
    assert column_of(page, library_goal(LEAD)).names == ["Zoë"]


def test_it_links_the_board_to_the_printable_goals_chart(rivera_client, room12, zoe):
    on_goal(zoe, LEAD)
    page = board(rivera_client, room12)
    poster = f"/classes/{room12.pk}/print/poster.pdf"
    assert f'href="{poster}"' in page
    response = rivera_client.get(poster)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_links_each_card_to_the_change_goal_page(rivera_client, room12, zoe):
    goal = on_goal(zoe, LEAD)
    nico = StudentFactory(first_name="Nico", classroom=room12)

    page = board(rivera_client, room12, "?days=new")

    card = column_of(page, library_goal(LEAD)).cards[0]
    change = f"/classes/{room12.pk}/students/{zoe.pk}/change-goal/"
    assert (
        f'href="{change}?from={goal.pk}&amp;next=/classes/{room12.pk}/board/%3Fdays%3Dnew"' in card
    )
    everyone = board(rivera_client, room12)
    nico_card = column_of(everyone, None).cards[0]
    assert f"/classes/{room12.pk}/students/{nico.pk}/change-goal/?next=" in nico_card


# -- changing a goal from the board -------------------------------------------------------


def move_url(classroom, student) -> str:
    return f"/classes/{classroom.pk}/students/{student.pk}/change-goal/"


def goals_of(student) -> list[tuple[int, str, object]]:
    return sorted(
        (sg.goal_id, sg.status, sg.closed_on) for sg in StudentGoal.objects.filter(student=student)
    )


@pytest.mark.parametrize(
    ("outcome", "kept_as"),
    [(StudentGoal.Status.MET, "met"), (StudentGoal.Status.SET_ASIDE, "set aside")],
)
def test_it_changes_a_goal_keeping_the_old_one_in_history(
    rivera, rivera_client, room12, zoe, outcome, kept_as
):
    old = on_goal(zoe, LEAD, days=30)
    lead, dialogue = library_goal(LEAD), library_goal(DIALOGUE)

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": old.pk, "goal": dialogue.pk, "outcome": outcome},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/classes/{room12.pk}/board/"
    assert shown_messages(response) == [
        f"Zoë now works on “{dialogue.name}”; “{lead.name}” is kept in Zoë's goal history "
        f"as {kept_as}."
    ]
    old.refresh_from_db()
    assert old.status == outcome and old.closed_on == timezone.localdate()
    new = StudentGoal.objects.get(student=zoe, status=StudentGoal.Status.ACTIVE)
    assert new.goal == dialogue and new.set_by == rivera
    page = response.content.decode()
    assert column_of(page, dialogue).names == ["Zoë"]
    assert f'data-drop-goal="{lead.pk}"' not in page
    history = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    assert lead.name in history


def test_it_adds_a_second_goal_from_the_board(rivera_client, room12, zoe):
    first = on_goal(zoe, LEAD)
    dialogue = library_goal(DIALOGUE)

    response = rivera_client.post(
        move_url(room12, zoe), {"from": "", "goal": dialogue.pk, "outcome": "add"}, follow=True
    )

    assert shown_messages(response) == [f"Zoë now also works on “{dialogue.name}”."]
    active = StudentGoal.objects.filter(student=zoe, status=StudentGoal.Status.ACTIVE)
    assert {sg.goal_id for sg in active} == {first.goal_id, dialogue.pk}


def test_it_sets_a_first_goal_for_a_student_without_one(rivera_client, room12, zoe):
    page = rivera_client.get(move_url(room12, zoe)).content.decode()
    assert "A goal for Zoë" in page and "Set this goal" in page
    assert "Goal met: move on" not in page

    response = rivera_client.post(
        move_url(room12, zoe), {"goal": library_goal(LEAD).pk, "outcome": "add"}, follow=True
    )

    assert shown_messages(response) == [f"Zoë now works on “{library_goal(LEAD).name}”."]
    assert StudentGoal.objects.get(student=zoe).goal == library_goal(LEAD)


def test_it_refuses_a_third_goal_with_a_plain_message_and_changes_nothing(
    rivera_client, room12, zoe
):
    on_goal(zoe, LEAD, days=20)
    on_goal(zoe, DIALOGUE, days=3)
    before = goals_of(zoe)

    page = rivera_client.get(move_url(room12, zoe)).content.decode()
    assert "Add as a second goal" not in page  # not offered

    response = rivera_client.post(
        move_url(room12, zoe), {"goal": library_goal(SENSORY).pk, "outcome": "add"}
    )

    assert response.status_code == 400
    assert (
        f"Zoë already works on “{library_goal(DIALOGUE).name}” and “{library_goal(LEAD).name}”. "
        "Mark one as met or set it aside before setting a new goal."
    ) in html.unescape(response.content.decode())
    assert goals_of(zoe) == before


def test_it_replaces_one_of_two_goals(rivera_client, room12, zoe):
    lead = on_goal(zoe, LEAD)
    dialogue = on_goal(zoe, DIALOGUE)

    rivera_client.post(
        move_url(room12, zoe),
        {"from": dialogue.pk, "goal": library_goal(SENSORY).pk, "outcome": "met"},
    )

    active = StudentGoal.objects.filter(student=zoe, status=StudentGoal.Status.ACTIVE)
    assert {sg.goal_id for sg in active} == {lead.goal_id, library_goal(SENSORY).pk}
    dialogue.refresh_from_db()
    assert dialogue.status == StudentGoal.Status.MET


@pytest.mark.parametrize("outcome", ["met", "add"])
def test_it_refuses_the_goal_the_student_already_works_on(rivera_client, room12, zoe, outcome):
    current = on_goal(zoe, LEAD)
    before = goals_of(zoe)

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": current.pk, "goal": library_goal(LEAD).pk, "outcome": outcome},
    )

    assert response.status_code == 400
    assert f"Zoë is already working on “{library_goal(LEAD).name}”." in html.unescape(
        response.content.decode()
    )
    assert goals_of(zoe) == before


def test_it_refuses_to_replace_a_goal_that_is_already_closed(rivera_client, room12, zoe):
    closed = on_goal(
        zoe, LEAD, days=40, status=StudentGoal.Status.MET, closed_on=timezone.localdate()
    )
    on_goal(zoe, DIALOGUE, days=10)
    before = goals_of(zoe)

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": closed.pk, "goal": library_goal(SENSORY).pk, "outcome": "set_aside"},
    )

    assert response.status_code == 400
    assert "Choose the goal it replaces." in html.unescape(response.content.decode())
    assert goals_of(zoe) == before


def test_it_refuses_another_teachers_own_goal(rivera_client, okafor, room12, zoe):
    current = on_goal(zoe, LEAD)
    theirs = Goal.objects.create(
        owner=okafor,
        category=library_goal(LEAD).category,
        name="Okafor's secret goal",
        student_words="I can",
    )
    before = goals_of(zoe)

    response = rivera_client.post(
        move_url(room12, zoe), {"from": current.pk, "goal": theirs.pk, "outcome": "met"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Okafor's secret goal" not in html.unescape(response.content.decode())
    assert goals_of(zoe) == before


def test_it_does_not_change_the_goal_of_a_student_of_another_class(rivera, rivera_client, room12):
    other_class = ClassroomFactory(teachers=[rivera])
    otto = StudentFactory(first_name="Otto", classroom=other_class)
    current = on_goal(otto, LEAD)
    before = goals_of(otto)

    response = rivera_client.post(
        move_url(room12, otto),
        {"from": current.pk, "goal": library_goal(DIALOGUE).pk, "outcome": "met"},
    )

    assert response.status_code == 404
    assert goals_of(otto) == before


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/board/", "//evil.example/board/", "javascript:alert(1)"]
)
def test_it_never_redirects_off_site_after_changing_a_goal(rivera_client, room12, zoe, next_url):
    current = on_goal(zoe, LEAD)

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": current.pk, "goal": library_goal(DIALOGUE).pk, "outcome": "met", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room12.pk}/board/"
    page = rivera_client.get(move_url(room12, zoe) + f"?next={next_url}").content.decode()
    assert "evil.example" not in page and "javascript:" not in page


def test_it_returns_to_the_filtered_board_it_came_from(rivera_client, room12, zoe):
    current = on_goal(zoe, LEAD)
    back = f"/classes/{room12.pk}/board/?days=new"

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": current.pk, "goal": library_goal(DIALOGUE).pk, "outcome": "met", "next": back},
    )

    assert response["Location"] == back


def test_it_answers_the_dialog_with_the_form_alone(rivera_client, room12, zoe):
    current = on_goal(zoe, LEAD)
    on_goal(zoe, DIALOGUE)
    sensory = library_goal(SENSORY)

    response = rivera_client.get(
        move_url(room12, zoe)
        + f"?from={current.pk}&to={sensory.pk}&next=/classes/{room12.pk}/board/",
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and "<nav" not in text
    assert text.lstrip().startswith(f'<form method="post" action="{move_url(room12, zoe)}"')
    assert f'<option value="{sensory.pk}" selected>' in text
    assert f'value="{current.pk}" checked' in text
    assert f'<input type="hidden" name="next" value="/classes/{room12.pk}/board/">' in text

    full = rivera_client.get(move_url(room12, zoe)).content.decode()
    assert "<html" in full


def test_it_answers_a_refused_change_in_the_dialog_with_the_form_and_the_reason(
    rivera_client, room12, zoe
):
    on_goal(zoe, LEAD)
    on_goal(zoe, DIALOGUE)

    response = rivera_client.post(
        move_url(room12, zoe),
        {"goal": library_goal(SENSORY).pk, "outcome": "add"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "<html" not in text
    assert "Zoë already works on" in text


def test_it_asks_for_the_new_goal_and_the_outcome(rivera_client, room12, zoe):
    current = on_goal(zoe, LEAD)
    before = goals_of(zoe)

    response = rivera_client.post(move_url(room12, zoe), {"from": current.pk})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose the new goal." in text
    assert "Choose what happens to the goal it replaces." in text
    assert goals_of(zoe) == before


# -- goals.services.change_goal: all or nothing ---------------------------------------


def test_change_goal_leaves_everything_when_the_old_goal_was_closed_meanwhile(rivera, zoe):
    stale = on_goal(zoe, LEAD)
    goal_services.close_goal(
        student_goal=StudentGoal.objects.get(pk=stale.pk), status=StudentGoal.Status.MET
    )

    with pytest.raises(goal_services.GoalNotActive):
        goal_services.change_goal(
            teacher=rivera, student_goal=stale, goal=library_goal(DIALOGUE), outcome="set_aside"
        )

    assert list(StudentGoal.objects.filter(student=zoe).values_list("goal_id", "status")) == [
        (library_goal(LEAD).pk, StudentGoal.Status.MET)
    ]


def test_change_goal_keeps_the_old_goal_active_when_the_new_one_is_refused(rivera, zoe):
    lead = on_goal(zoe, LEAD)
    on_goal(zoe, DIALOGUE)

    with pytest.raises(goal_services.GoalAlreadyActive):
        goal_services.change_goal(
            teacher=rivera, student_goal=lead, goal=library_goal(DIALOGUE), outcome="met"
        )

    lead.refresh_from_db()
    assert lead.status == StudentGoal.Status.ACTIVE and lead.closed_on is None


def test_it_refuses_to_change_the_goal_of_a_student_who_left_the_class(rivera_client, room12, zoe):
    """A student who left the class since the board was drawn cannot be changed from it."""
    current = on_goal(zoe, LEAD)
    Enrollment.objects.filter(student=zoe, classroom=room12).delete()

    response = rivera_client.post(
        move_url(room12, zoe),
        {"from": current.pk, "goal": library_goal(DIALOGUE).pk, "outcome": "met"},
    )

    assert response.status_code == 404
    current.refresh_from_db()
    assert current.is_active
