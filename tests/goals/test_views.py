"""Goals through the browser's eyes: a student's goals, the library, samples and strengths."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.template.defaultfilters import date as format_date
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.goals.models import (
    Goal,
    GoalCategory,
    MentorText,
    Strategy,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.roster.models import Student
from tests.factories import (
    StudentFactory,
    StudentGoalFactory,
    WritingSampleFactory,
    library_goal,
)
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db


def text_of(fragment: str) -> str:
    """What a reader sees in an HTML fragment: tags dropped, spaces squeezed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(response, name: str) -> str:
    """The page's <section> labelled by the heading `name`, or with the id `name`."""
    page = response.content.decode()
    start = re.search(rf'<section[^>]*(aria-labelledby|id)="{name}"', page).start()
    return page[start : page.index("</section>", start)]


def active_goals_shown(response) -> list[str]:
    """Each active goal under Goals, as the line a teacher reads ("name “words” · set …")."""
    goals = section(response, "goals-h")
    return [
        text_of(block)
        for block in re.findall(r'<div class="goal">(.*?)<div class="actions">', goals, re.S)
    ]


def goal_history_shown(response) -> list[str]:
    goals = section(response, "goals-h")
    if "Goal history" not in goals:
        return []
    history = goals.split("Goal history", 1)[1]
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", history, re.S)]


def goal_menu(response) -> set[int]:
    """The goals offered in the set-goal menu on a student page."""
    goals = section(response, "goals-h")
    menu = goals[goals.index('name="goal"') : goals.index("</select>")]
    return {int(pk) for pk in re.findall(r'<option value="(\d+)"', menu)}


def on_library_page(response, goal: Goal) -> bool:
    return f'id="goal-{goal.pk}"' in response.content.decode()


def day(value: date) -> str:
    return format_date(value, "j M Y")


# -- a student's goals --------------------------------------------------------------------


def test_it_sets_a_goal_with_the_student(rivera, rivera_client, zoe):
    goal = library_goal(0)

    response = rivera_client.post(
        f"/students/{zoe.pk}/goals/", {"goal": goal.pk, "set_with_student": "on"}
    )

    assert response["Location"] == f"/students/{zoe.pk}/"
    page = rivera_client.get(response["Location"])
    assert f"New goal for Zoë: {goal.name}." in shown_messages(page)
    assert active_goals_shown(page) == [
        f"{goal.name} “{goal.student_words}” · set {day(timezone.localdate())} "
        "by teacher and student together"
    ]
    student_goal = StudentGoal.objects.get(student=zoe)
    assert (student_goal.goal, student_goal.status, student_goal.set_by) == (
        goal,
        StudentGoal.Status.ACTIVE,
        rivera,
    )
    assert student_goal.set_with_student


def test_it_refuses_a_third_active_goal_and_names_the_two_active_ones(rivera_client, zoe):
    first, second, third = library_goal(0), library_goal(1), library_goal(2)
    StudentGoalFactory(student=zoe, goal=first)
    StudentGoalFactory(student=zoe, goal=second)

    response = rivera_client.post(f"/students/{zoe.pk}/goals/", {"goal": third.pk}, follow=True)

    [message] = shown_messages(response)
    assert f"“{first.name}”" in message
    assert f"“{second.name}”" in message
    assert "Mark one as met or set it aside" in message
    assert StudentGoal.objects.filter(student=zoe).count() == 2
    assert not StudentGoal.objects.filter(goal=third).exists()


def test_it_refuses_the_same_goal_twice(rivera_client, zoe):
    goal = library_goal(0)
    StudentGoalFactory(student=zoe, goal=goal)

    response = rivera_client.post(f"/students/{zoe.pk}/goals/", {"goal": goal.pk}, follow=True)

    assert shown_messages(response) == [f"Zoë is already working on “{goal.name}”."]
    assert StudentGoal.objects.filter(student=zoe).count() == 1


@pytest.mark.parametrize(
    ("status", "label"),
    [(StudentGoal.Status.MET, "met"), (StudentGoal.Status.SET_ASIDE, "set aside")],
)
def test_it_moves_a_closed_goal_to_the_goal_history(rivera_client, zoe, status, label):
    set_on = timezone.localdate() - timedelta(days=20)
    student_goal = StudentGoalFactory(student=zoe, goal=library_goal(0), set_on=set_on)

    response = rivera_client.post(
        f"/student-goals/{student_goal.pk}/close/", {"status": status}, follow=True
    )

    name = student_goal.goal.name
    assert f"“{name}” marked {label}." in shown_messages(response)
    assert active_goals_shown(response) == []
    assert goal_history_shown(response) == [
        f"{name} — {label} {day(timezone.localdate())} (set {day(set_on)})"
    ]
    student_goal.refresh_from_db()
    assert (student_goal.status, student_goal.closed_on) == (status, timezone.localdate())


def test_it_leaves_an_already_closed_goal_alone(rivera_client, zoe):
    met_on = timezone.localdate() - timedelta(days=3)
    student_goal = StudentGoalFactory(student=zoe, status=StudentGoal.Status.MET, closed_on=met_on)

    response = rivera_client.post(
        f"/student-goals/{student_goal.pk}/close/", {"status": "set_aside"}, follow=True
    )

    assert response.status_code == 200
    assert shown_messages(response) == [f"“{student_goal.goal.name}” is no longer active."]
    student_goal.refresh_from_db()
    assert (student_goal.status, student_goal.closed_on) == (StudentGoal.Status.MET, met_on)


# -- the goal library ---------------------------------------------------------------------


def test_it_shows_the_built_in_library(rivera_client):
    response = rivera_client.get("/goals/")

    page = response.content.decode()
    categories = GoalCategory.objects.filter(owner=None)
    assert categories.count() >= 10
    assert len(re.findall(r'<section id="category-\d+">', page)) == categories.count()
    for category in categories:
        assert f"<h2>{html.escape(category.name)}</h2>" in page
    for goal in Goal.objects.filter(owner=None):
        assert on_library_page(response, goal), goal.name


def test_it_hides_a_built_in_goal_for_this_teacher_only(
    rivera, okafor, rivera_client, okafor_client, zoe, marcus
):
    goal = library_goal(4)

    response = rivera_client.post(f"/goals/{goal.pk}/hide/")

    assert response["Location"] == "/goals/"
    library = rivera_client.get(response["Location"])
    assert f"“{goal.name}” is hidden from your lists." in shown_messages(library)
    assert not on_library_page(library, goal)
    assert goal.pk not in goal_menu(rivera_client.get(f"/students/{zoe.pk}/"))
    assert on_library_page(okafor_client.get("/goals/"), goal)
    assert goal.pk in goal_menu(okafor_client.get(f"/students/{marcus.pk}/"))
    assert Goal.objects.filter(pk=goal.pk, owner=None).exists()


def test_it_shows_hidden_goals_on_request_and_brings_them_back(rivera, rivera_client, zoe):
    goal = library_goal(4)
    goal.hidden_by.add(rivera)

    with_hidden = rivera_client.get("/goals/?hidden=1")

    assert on_library_page(with_hidden, goal)
    card = with_hidden.content.decode().split(f'id="goal-{goal.pk}"', 1)[1].split("</details>")[0]
    assert "Hidden" in text_of(card)
    assert "Show this goal again" in text_of(card)

    response = rivera_client.post(f"/goals/{goal.pk}/hide/", {"hidden": "0"})

    assert response["Location"] == "/goals/?hidden=1"
    assert on_library_page(rivera_client.get("/goals/"), goal)
    assert goal.pk in goal_menu(rivera_client.get(f"/students/{zoe.pk}/"))
    assert not goal.hidden_by.exists()


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("Start my story with a question", "I can start my story with a question"),
        ("I can start my story with a question", "I can start my story with a question"),
    ],
)
def test_it_adds_a_teachers_own_goal_in_the_students_words(
    rivera, rivera_client, okafor_client, zoe, typed, saved
):
    category = GoalCategory.objects.filter(owner=None).first()

    response = rivera_client.post(
        "/goals/new/",
        {
            "category": category.pk,
            "name": "Open with a question",
            "student_words": typed,
            "clue_words": "Ask it",
            "grade_low": "2",
            "grade_high": "5",
        },
    )

    goal = Goal.objects.get(name="Open with a question")
    assert (goal.owner, goal.student_words, goal.grade_low, goal.grade_high) == (
        rivera,
        saved,
        2,
        5,
    )
    assert response["Location"] == f"/goals/#goal-{goal.pk}"
    library = rivera_client.get("/goals/")
    card = library.content.decode().split(f'id="goal-{goal.pk}"', 1)[1].split("</details>")[0]
    assert f"Student words: {saved}" in text_of(card)
    assert "Yours" in text_of(card)
    assert goal.pk in goal_menu(rivera_client.get(f"/students/{zoe.pk}/"))
    assert "Open with a question" not in okafor_client.get("/goals/").content.decode()


def test_it_adds_a_strategy_with_one_step_per_line(rivera_client, okafor_client):
    goal = library_goal(0)

    response = rivera_client.post(
        f"/goals/{goal.pk}/strategies/new/",
        {
            "name": "Question swap",
            "steps": "Read your lead aloud.\r\n\r\nAsk: what would make me wonder?\r\n"
            "Rewrite the lead as that question.\r\n",
        },
    )

    strategy = Strategy.objects.get(name="Question swap")
    assert response["Location"] == f"/goals/#goal-{goal.pk}"
    page = rivera_client.get("/goals/").content.decode()
    after = page.split("<strong>Question swap</strong>", 1)[1]
    steps = after[after.index('<ol class="steps">') : after.index("</ol>")]
    assert [text_of(step) for step in re.findall(r"<li>(.*?)</li>", steps)] == [
        "Read your lead aloud.",
        "Ask: what would make me wonder?",
        "Rewrite the lead as that question.",
    ]
    assert f"/strategies/{strategy.pk}/edit/" in page
    assert "Question swap" not in okafor_client.get("/goals/").content.decode()


def test_it_adds_a_mentor_text_only_this_teacher_sees(rivera, rivera_client, okafor_client):
    goal = library_goal(0)

    response = rivera_client.post(
        "/mentor-texts/new/",
        {
            "title": "Owl Moon",
            "author": "Jane Yolen",
            "goal": goal.pk,
            "notice": "The first line puts us in the cold night.",
        },
    )

    assert response["Location"] == "/goals/#mentor-texts"
    mentor_text = MentorText.objects.get(title="Owl Moon")
    assert (mentor_text.owner, mentor_text.goal) == (rivera, goal)
    texts = text_of(section(rivera_client.get("/goals/"), "mentor-texts"))
    assert "Owl Moon by Jane Yolen" in texts
    assert "The first line puts us in the cold night." in texts
    assert "Owl Moon" not in okafor_client.get("/goals/").content.decode()


def test_it_keeps_a_mentor_texts_goal_chosen_when_editing_it(rivera, rivera_client):
    goal = library_goal(3)
    mentor_text = MentorText.objects.create(owner=rivera, goal=goal, title="Owl Moon")

    page = rivera_client.get(f"/mentor-texts/{mentor_text.pk}/edit/").content.decode()

    # Saving the form unchanged must not drop the goal.
    assert f'<option value="{goal.pk}" selected>' in page


def test_it_does_not_let_a_teacher_edit_a_built_in_goal(rivera_client):
    goal = library_goal(0)
    name = goal.name

    assert rivera_client.get(f"/goals/{goal.pk}/edit/").status_code == 404
    response = rivera_client.post(
        f"/goals/{goal.pk}/edit/",
        {
            "category": goal.category_id,
            "name": "Renamed",
            "student_words": "I can rename",
            "grade_low": "0",
            "grade_high": "8",
        },
    )

    assert response.status_code == 404
    goal.refresh_from_db()
    assert (goal.name, goal.owner) == (name, None)


@pytest.fixture
def riveras_own(rivera):
    """One of Ms Rivera's own goals with her own strategy and mentor text."""
    goal = Goal.objects.create(
        owner=rivera,
        category=GoalCategory.objects.filter(owner=None).first(),
        name="Open with a question",
        student_words="I can open with a question",
    )
    strategy = Strategy.objects.create(owner=rivera, goal=goal, name="Question swap", steps="Ask.")
    mentor_text = MentorText.objects.create(owner=rivera, goal=goal, title="Owl Moon")
    return goal, strategy, mentor_text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/goals/{goal}/edit/"),
        ("post", "/goals/{goal}/hide/"),
        ("get", "/goals/{goal}/strategies/new/"),
        ("get", "/strategies/{strategy}/edit/"),
        ("post", "/strategies/{strategy}/hide/"),
        ("get", "/mentor-texts/{mentor_text}/edit/"),
        ("post", "/students/{student}/goals/"),
        ("post", "/student-goals/{student_goal}/close/"),
        ("get", "/students/{student}/samples/new/"),
        ("get", "/students/{student}/strengths/new/"),
    ],
)
def test_it_answers_404_to_another_teacher(okafor, okafor_client, riveras_own, zoe, method, url):
    goal, strategy, mentor_text = riveras_own
    student_goal = StudentGoalFactory(student=zoe, goal=library_goal(0))

    response = getattr(okafor_client, method)(
        url.format(
            goal=goal.pk,
            strategy=strategy.pk,
            mentor_text=mentor_text.pk,
            student=zoe.pk,
            student_goal=student_goal.pk,
        ),
        {"status": "met", "goal": library_goal(1).pk},
    )

    assert response.status_code == 404
    assert not okafor.hidden_goals.exists()
    assert not okafor.hidden_strategies.exists()
    student_goal.refresh_from_db()
    assert student_goal.is_active
    assert zoe.student_goals.count() == 1


def test_it_shows_the_library_in_the_same_number_of_queries_however_many_own_goals(
    rivera, rivera_client
):
    category = GoalCategory.objects.filter(owner=None).first()

    def add_own_goals(count: int) -> None:
        start = Goal.objects.filter(owner=rivera).count()
        for n in range(start, start + count):
            goal = Goal.objects.create(
                owner=rivera, category=category, name=f"Own goal {n}", student_words="I can"
            )
            Strategy.objects.create(
                owner=rivera, goal=goal, name=f"Own strategy {n}", steps="One.\nTwo."
            )
            MentorText.objects.create(owner=rivera, goal=goal, title=f"Mentor text {n}")

    def library_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = rivera_client.get("/goals/")
        assert response.status_code == 200
        return len(queries)

    add_own_goals(1)
    with_one = library_queries()
    add_own_goals(19)
    with_twenty = library_queries()

    page = rivera_client.get("/goals/").content.decode()
    assert "Own strategy 19" in page
    assert "Mentor text 19" in page
    assert with_twenty == with_one


# -- writing samples and strengths --------------------------------------------------------


def test_it_adds_a_writing_sample_to_the_student_page(rivera, rivera_client, zoe):
    response = rivera_client.post(
        f"/students/{zoe.pk}/samples/new/",
        {
            "title": "The storm",
            "kind": "on_demand",
            "written_on": "2025-03-04",
            "text": "The thunder cracked like a whip over our roof.",
        },
    )

    sample = WritingSample.objects.get(student=zoe)
    assert (sample.kind, sample.written_on, sample.added_by) == (
        WritingSample.Kind.ON_DEMAND,
        date(2025, 3, 4),
        rivera,
    )
    assert response["Location"] == f"/students/{zoe.pk}/#sample-{sample.pk}"
    samples = text_of(section(rivera_client.get(f"/students/{zoe.pk}/"), "samples-h"))
    assert "The storm · On-demand piece · 4 Mar 2025" in samples
    assert "The thunder cracked like a whip over our roof." in samples


def test_it_records_a_strength_with_evidence_from_a_sample(rivera, rivera_client, zoe):
    sample = WritingSampleFactory(student=zoe, title="My dog Biscuit")

    response = rivera_client.post(
        f"/students/{zoe.pk}/strengths/new/",
        {"description": "Uses strong verbs", "evidence": "runs like a rocket", "sample": sample.pk},
    )

    assert response["Location"] == f"/students/{zoe.pk}/"
    strength = Strength.objects.get(student=zoe)
    assert (strength.evidence, strength.sample, strength.noted_by) == (
        "runs like a rocket",
        sample,
        rivera,
    )
    page = rivera_client.get(response["Location"])
    assert "Saved a strength for Zoë." in shown_messages(page)
    strengths = section(page, "strengths-h")
    assert "from “My dog Biscuit”" in text_of(strengths)
    assert '<blockquote class="evidence">runs like a rocket</blockquote>' in strengths


def test_it_prefills_a_strength_from_the_words_selected_in_a_sample(rivera_client, zoe):
    WritingSampleFactory(student=zoe, title="The storm")
    sample = WritingSampleFactory(student=zoe, title="My dog Biscuit")

    page = rivera_client.get(
        f"/students/{zoe.pk}/strengths/new/",
        {"evidence": "runs like a rocket", "sample": sample.pk},
    ).content.decode()

    evidence = re.search(r'<textarea name="evidence"[^>]*>(.*?)</textarea>', page, re.S)
    assert evidence is not None
    assert evidence.group(1).strip() == "runs like a rocket"
    assert f'<option value="{sample.pk}" selected>My dog Biscuit</option>' in page


def test_it_refuses_a_strength_whose_sample_belongs_to_another_student(rivera_client, room12, zoe):
    classmate = StudentFactory(first_name="Amara", classroom=room12)
    their_sample = WritingSampleFactory(student=classmate)

    response = rivera_client.post(
        f"/students/{zoe.pk}/strengths/new/",
        {"description": "Uses strong verbs", "evidence": "runs", "sample": their_sample.pk},
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Strength.objects.exists()
    assert Student.objects.get(pk=zoe.pk).strengths.count() == 0


@pytest.mark.django_db
def test_it_gives_a_teachers_own_goal_a_picture_clue_from_the_icons_it_ships(rivera_client):
    category = GoalCategory.objects.filter(owner=None).first()
    body = {
        "category": category.pk,
        "name": "Open with a question",
        "student_words": "I can open with a question.",
        "clue_words": "Ask it",
        "grade_low": "2",
        "grade_high": "5",
    }
    refused = rivera_client.post("/goals/new/", body | {"clue_icon": "../../etc/passwd"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Goal.objects.filter(name="Open with a question").exists()
    rivera_client.post("/goals/new/", body | {"clue_icon": "rocket"})
    assert Goal.objects.get(name="Open with a question").clue_icon == "rocket"
    assert "Picture clue" in rivera_client.get("/goals/new/").content.decode()
