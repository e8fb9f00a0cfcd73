"""Small groups on the board: suggested by shared goal, edited, saved and booked (issue 5)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from conferbook.conferences.models import Conference, GroupConference
from conferbook.goals.models import Goal, Strategy
from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Enrollment
from conferbook.scheduling.models import GroupAppointment
from tests.factories import ClassroomFactory, StudentFactory, StudentGoalFactory, library_goal
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

LEAD, DIALOGUE, SENSORY = 14, 20, 22  # built-in goals, see tests/board/test_board.py


@dataclass
class Shown:
    """A suggested group as the page shows it."""

    name: str
    members: list[str]
    saved: bool
    html: str

    @property
    def value(self) -> str:
        match = re.search(r'name="suggestion" value="([^"]+)"', self.html)
        assert match, f"“{self.name}” has no save button"
        return match.group(1)


def suggestions(page: str) -> list[Shown]:
    found = []
    for match in re.finditer(
        r'<article class="card suggestion( saved)?">(.*?)</article>', page, re.S
    ):
        body = match.group(2)
        name = html.unescape(re.search(r"<h3>(.*?)</h3>", body).group(1))
        members = re.search(r"<strong>\d+ students:</strong> (.*?)</p>", body).group(1)
        found.append(Shown(name, html.unescape(members).split(", "), bool(match.group(1)), body))
    return found


def save_all_values(page: str) -> list[str]:
    match = re.search(
        r'<form method="post" action="[^"]*/groups/accept/" class="actions".*?</form>', page, re.S
    )
    assert match
    return re.findall(r'name="suggestion" value="([^"]+)"', match.group(0))


def groups_page(client, classroom, query: str = "") -> str:
    response = client.get(f"/classes/{classroom.pk}/groups/{query}")
    assert response.status_code == 200
    return response.content.decode()


def on_goal(student, index: int, days: int = 0):
    return StudentGoalFactory(
        student=student,
        goal=library_goal(index),
        set_on=timezone.localdate() - timedelta(days=days),
    )


def class_on(classroom, index: int, count: int, prefix: str) -> list:
    """`count` students on a goal, the first one longest on it."""
    students = []
    for i in range(count):
        student = StudentFactory(first_name=f"{prefix}{i + 1}", classroom=classroom)
        on_goal(student, index, days=100 - i)
        students.append(student)
    return students


def first_strategy(goal: Goal) -> Strategy:
    return Strategy.objects.filter(goal=goal, owner=None).order_by("position", "pk").first()


def accept(client, classroom, *values, **extra):
    return client.post(
        f"/classes/{classroom.pk}/groups/accept/",
        {"suggestion": list(values), **extra},
        follow=True,
    )


# -- suggestions --------------------------------------------------------------------------


def test_it_suggests_groups_of_two_to_five_by_shared_goal(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")
    class_on(room12, DIALOGUE, 2, "Talk")
    class_on(room12, SENSORY, 1, "Solo")
    StudentFactory(first_name="Newbie", classroom=room12)
    lead, dialogue = library_goal(LEAD), library_goal(DIALOGUE)

    page = groups_page(rivera_client, room12)

    assert [(s.name, s.members) for s in suggestions(page)] == [
        (f"{lead.name}, group 1", ["Lead1", "Lead2", "Lead3", "Lead4"]),  # longest on it
        (f"{lead.name}, group 2", ["Lead5", "Lead6", "Lead7"]),
        (dialogue.name, ["Talk1", "Talk2"]),
    ]
    assert "2 to 5 to a group" in page
    text = html.unescape(page)
    assert f"Strategy to teach:</span> {first_strategy(lead).name}" in text
    one_on_one = re.search(r"<h3>Meet one-on-one</h3>.*?</p>\s*<p>(.*?)</p>", page, re.S)
    assert one_on_one and re.findall(r">([^<]+)</a>", one_on_one.group(1)) == ["Solo1"]
    assert re.search(r"No active goal yet: <a [^>]*>Newbie</a>", page)


@pytest.mark.parametrize(
    ("count", "sizes"),
    [(5, [5]), (6, [3, 3]), (10, [5, 5]), (11, [4, 4, 3]), (16, [4, 4, 4, 4])],
)
def test_it_splits_a_goal_with_more_students_than_a_group_holds_evenly(
    rivera_client, room12, count, sizes
):
    class_on(room12, LEAD, count, "S")
    shown = suggestions(groups_page(rivera_client, room12))
    assert [len(s.members) for s in shown] == sizes
    assert sorted(m for s in shown for m in s.members) == sorted(f"S{i + 1}" for i in range(count))


def test_it_suggests_groups_of_the_size_the_teacher_sets(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")
    class_on(room12, DIALOGUE, 2, "Talk")

    page = groups_page(rivera_client, room12, "?smallest=3&largest=4")

    assert [len(s.members) for s in suggestions(page)] == [4, 3]
    assert "3 to 4 to a group" in page
    assert 'name="smallest" value="3"' in page and 'name="largest" value="4"' in page
    one_on_one = re.search(r"<h3>Meet one-on-one</h3>.*?</p>\s*<p>(.*?)</p>", page, re.S)
    assert re.findall(r">([^<]+)</a>", one_on_one.group(1)) == ["Talk1", "Talk2"]
    # Saving keeps the sizes asked for.
    assert page.count('<input type="hidden" name="smallest" value="3">') == 3


def test_it_names_the_students_a_full_split_leaves_out(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")  # 4 to 5 a group: one group of 5, two left out

    page = html.unescape(groups_page(rivera_client, room12, "?smallest=4&largest=5"))

    assert [s.members for s in suggestions(page)] == [["Lead1", "Lead2", "Lead3", "Lead4", "Lead5"]]
    assert (
        f"Also on “{library_goal(LEAD).name}”, not in a group (the groups are full at 5): "
        "Lead6, Lead7." in page
    )


@pytest.mark.parametrize(
    ("smallest", "largest", "error"),
    [
        ("1", "5", "Ensure this value is greater than or equal to 2."),
        ("2", "11", "Ensure this value is less than or equal to 10."),
        ("5", "3", "The largest group must not be smaller than the smallest."),
        ("two", "5", "Enter a whole number."),
    ],
)
def test_it_explains_a_bad_group_size_and_suggests_with_the_defaults(
    rivera_client, room12, smallest, largest, error
):
    class_on(room12, LEAD, 6, "S")

    page = groups_page(rivera_client, room12, f"?smallest={smallest}&largest={largest}")

    assert f'<p class="error" role="alert">{error}</p>' in page
    assert "2 to 5 to a group" in page
    assert [len(s.members) for s in suggestions(page)] == [3, 3]


def test_it_marks_a_suggestion_the_class_already_has(rivera_client, room12):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    leads = class_on(room12, LEAD, 3, "Lead")
    saved = SmallGroup.objects.create(classroom=room12, name="Talkers", goal=library_goal(DIALOGUE))
    saved.members.set(talkers)
    # Same students, another goal; and the right goal with only some of the students.
    other_goal = SmallGroup.objects.create(
        classroom=room12, name="Mixed", goal=library_goal(SENSORY)
    )
    other_goal.members.set(leads)
    partial = SmallGroup.objects.create(classroom=room12, name="Part", goal=library_goal(LEAD))
    partial.members.set(leads[:2])

    page = groups_page(rivera_client, room12)

    lead_group, dialogue_group = suggestions(page)
    assert dialogue_group.saved and '<p class="pill ok">Saved</p>' in dialogue_group.html
    assert "Save this group" not in dialogue_group.html
    assert not lead_group.saved and "Save this group" in lead_group.html
    assert save_all_values(page) == [lead_group.value]


# -- saving suggestions -----------------------------------------------------------------


def test_it_saves_one_suggested_group_with_its_goal_strategy_and_members(rivera_client, room12):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    class_on(room12, LEAD, 3, "Lead")
    dialogue = library_goal(DIALOGUE)
    shown = next(
        s for s in suggestions(groups_page(rivera_client, room12)) if s.name == dialogue.name
    )

    response = accept(rivera_client, room12, shown.value, smallest="2", largest="5")

    assert response.redirect_chain[0][0] == f"/classes/{room12.pk}/groups/?smallest=2&largest=5"
    assert shown_messages(response) == [f"Saved 1 group: “{dialogue.name}”."]
    group = SmallGroup.objects.get()
    assert (group.classroom, group.name, group.goal, group.strategy) == (
        room12,
        dialogue.name,
        dialogue,
        first_strategy(dialogue),
    )
    assert set(group.members.all()) == set(talkers)
    page = response.content.decode()
    assert f'id="group-{group.pk}"' in page
    assert [s.saved for s in suggestions(page)] == [False, True]


def test_it_saves_every_suggested_group_at_once(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")
    class_on(room12, DIALOGUE, 2, "Talk")
    lead, dialogue = library_goal(LEAD), library_goal(DIALOGUE)

    response = accept(rivera_client, room12, *save_all_values(groups_page(rivera_client, room12)))

    assert shown_messages(response) == [
        f"Saved 3 groups: “{lead.name}, group 1”, “{lead.name}, group 2”, “{dialogue.name}”."
    ]
    saved = {
        g.name: sorted(m.first_name for m in g.members.all()) for g in SmallGroup.objects.all()
    }
    assert saved == {
        f"{lead.name}, group 1": ["Lead1", "Lead2", "Lead3", "Lead4"],
        f"{lead.name}, group 2": ["Lead5", "Lead6", "Lead7"],
        dialogue.name: ["Talk1", "Talk2"],
    }
    assert all(s.saved for s in suggestions(response.content.decode()))


def test_it_saves_nothing_twice(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")
    values = save_all_values(groups_page(rivera_client, room12))
    accept(rivera_client, room12, *values)

    again = accept(rivera_client, room12, *values)
    one_again = accept(rivera_client, room12, values[0])

    assert SmallGroup.objects.count() == 2
    assert shown_messages(again) == ["2 of them were saved already."]
    assert shown_messages(one_again) == ["1 of them was saved already."]


def test_it_saves_a_group_of_a_split_goal_under_the_name_it_was_shown_with(rivera_client, room12):
    class_on(room12, LEAD, 7, "Lead")
    second = suggestions(groups_page(rivera_client, room12))[1]
    assert second.name.endswith(", group 2")

    accept(rivera_client, room12, second.value)

    assert SmallGroup.objects.get().name == second.name


@pytest.mark.parametrize("how", ["archived", "moved out"])
def test_it_refuses_suggestions_that_are_out_of_date(rivera_client, room12, how):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    class_on(room12, LEAD, 3, "Lead")
    values = save_all_values(groups_page(rivera_client, room12))
    if how == "archived":
        talkers[0].archived_at = timezone.now()
        talkers[0].save()
    else:
        Enrollment.objects.filter(student=talkers[0]).delete()

    response = accept(rivera_client, room12, *values)

    assert shown_messages(response) == [
        "Those groups are out of date: here are the suggestions again."
    ]
    assert not SmallGroup.objects.exists()  # the other, still valid, group neither


@pytest.fixture
def strangers(rivera, okafor, marcus):
    """Ids Ms Rivera must not put in Room 12's groups."""
    other_class = ClassroomFactory(name="Room 12 reading", teachers=[rivera])
    okafors_goal = Goal.objects.create(
        owner=okafor, category=library_goal(0).category, name="Okafor's goal", student_words="I"
    )
    return {
        "another teacher's student": marcus,
        "a student of another class": StudentFactory(first_name="Otto", classroom=other_class),
        "another teacher's goal": okafors_goal,
        "another teacher's strategy": Strategy.objects.create(
            owner=okafor, goal=library_goal(DIALOGUE), name="Okafor's strategy", steps="One"
        ),
    }


@pytest.mark.parametrize("who", ["another teacher's student", "a student of another class"])
def test_it_refuses_a_suggestion_naming_a_student_outside_the_class(
    rivera_client, room12, strangers, who
):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    value = f"{library_goal(DIALOGUE).pk}:{talkers[0].pk},{strangers[who].pk}"

    response = accept(rivera_client, room12, value)

    assert shown_messages(response) == [
        "Those groups are out of date: here are the suggestions again."
    ]
    assert not SmallGroup.objects.exists()


def test_it_refuses_a_suggestion_with_another_teachers_goal(rivera_client, room12, strangers):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    goal = strangers["another teacher's goal"]
    value = f"{goal.pk}:{talkers[0].pk},{talkers[1].pk}"

    response = accept(rivera_client, room12, value)

    assert "out of date" in shown_messages(response)[0]
    assert not SmallGroup.objects.exists()


@pytest.mark.parametrize("members", ["one", "the same twice"])
def test_it_refuses_a_suggestion_of_fewer_than_two_students_with_a_message(
    rivera_client, room12, members
):
    talkers = class_on(room12, DIALOGUE, 2, "Talk")
    ids = [talkers[0].pk] if members == "one" else [talkers[0].pk, talkers[0].pk]
    rivera_client.raise_request_exception = False

    response = rivera_client.post(
        f"/classes/{room12.pk}/groups/accept/",
        {"suggestion": f"{library_goal(DIALOGUE).pk}:{','.join(map(str, ids))}"},
    )

    assert response.status_code == 302
    assert not SmallGroup.objects.exists()


def test_it_refuses_an_empty_or_garbled_post(rivera_client, room12):
    class_on(room12, DIALOGUE, 2, "Talk")
    for data in ({}, {"suggestion": "nonsense"}, {"suggestion": f"{library_goal(DIALOGUE).pk}:"}):
        response = rivera_client.post(f"/classes/{room12.pk}/groups/accept/", data, follow=True)
        assert "out of date" in shown_messages(response)[0], data
    assert not SmallGroup.objects.exists()


# -- forming and editing a group by hand ------------------------------------------------


def test_it_forms_a_group_by_hand_with_a_goal_and_a_strategy_of_that_goal(rivera_client, room12):
    ana, ben, _cy = class_on(room12, DIALOGUE, 3, "Talk")
    dialogue = library_goal(DIALOGUE)
    strategy = Strategy.objects.filter(goal=dialogue, owner=None).order_by("-position").first()
    url = f"/classes/{room12.pk}/groups/new/"
    form = html.unescape(rivera_client.get(url).content.decode())
    assert f"Talk1 Example ({dialogue.name})" in form  # each member with their goals

    response = rivera_client.post(
        url,
        {
            "name": "Quotation crew",
            "goal": dialogue.pk,
            "strategy": strategy.pk,
            "members": [ana.pk, ben.pk],
        },
    )

    group = SmallGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room12.pk}/groups/#group-{group.pk}"
    assert (group.name, group.goal, group.strategy) == ("Quotation crew", dialogue, strategy)
    assert set(group.members.all()) == {ana, ben}
    page = rivera_client.get(response["Location"])
    assert shown_messages(page) == ["Saved the group “Quotation crew”."]
    saved = re.search(
        rf'<section class="card" id="group-{group.pk}".*?</section>',
        html.unescape(page.content.decode()),
        re.S,
    ).group(0)
    assert f"Goal: {dialogue.name} · Strategy: {strategy.name}" in saved
    assert "Talk1 E, Talk2 E" in saved


def test_it_forms_a_group_without_a_goal(rivera_client, room12):
    ana, ben = (
        StudentFactory(first_name="Ana", classroom=room12),
        StudentFactory(first_name="Ben", classroom=room12),
    )
    form = html.unescape(rivera_client.get(f"/classes/{room12.pk}/groups/new/").content.decode())
    assert "Ana Example (no goal yet)" in form

    rivera_client.post(
        f"/classes/{room12.pk}/groups/new/", {"name": "Helpers", "members": [ana.pk, ben.pk]}
    )

    group = SmallGroup.objects.get()
    assert group.goal is None and group.strategy is None


def test_it_refuses_a_strategy_of_another_goal_with_a_plain_message(rivera_client, room12):
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    other = first_strategy(library_goal(LEAD))

    response = rivera_client.post(
        f"/classes/{room12.pk}/groups/new/",
        {
            "name": "Mixed",
            "goal": library_goal(DIALOGUE).pk,
            "strategy": other.pk,
            "members": [ana.pk, ben.pk],
        },
    )

    assert response.status_code == 400
    assert "Choose a strategy of the group&#x27;s goal." in response.content.decode()
    assert not SmallGroup.objects.exists()


def test_it_refuses_a_strategy_of_another_goal(rivera_client, room12):
    """Nothing is saved (the test above checks the message)."""
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    other = first_strategy(library_goal(LEAD))

    response = rivera_client.post(
        f"/classes/{room12.pk}/groups/new/",
        {
            "name": "Mixed",
            "goal": library_goal(DIALOGUE).pk,
            "strategy": other.pk,
            "members": [ana.pk, ben.pk],
        },
    )
    no_goal = rivera_client.post(
        f"/classes/{room12.pk}/groups/new/",
        {"name": "Mixed", "strategy": other.pk, "members": [ana.pk, ben.pk]},
    )

    assert response.status_code == no_goal.status_code == 400
    assert '<div class="field has-error" id="strategy-field">' in response.content.decode()
    assert not SmallGroup.objects.exists()


@pytest.mark.parametrize(
    ("picked", "message"),
    [(1, "A small group needs at least two students."), (0, "Tick at least two students.")],
)
def test_it_refuses_a_group_of_fewer_than_two(rivera_client, room12, picked, message):
    students = class_on(room12, DIALOGUE, 2, "Talk")

    response = rivera_client.post(
        f"/classes/{room12.pk}/groups/new/",
        {"name": "Solo", "members": [s.pk for s in students[:picked]]},
    )

    assert response.status_code == 400
    assert f'<p class="error" role="alert">{message}</p>' in response.content.decode()
    assert not SmallGroup.objects.exists()


@pytest.mark.parametrize(
    "stranger",
    [
        "another teacher's student",
        "a student of another class",
        "another teacher's goal",
        "another teacher's strategy",
    ],
)
def test_it_refuses_ids_from_outside_the_class_in_the_group_form(
    rivera_client, room12, strangers, stranger
):
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    data = {"name": "Mixed", "goal": library_goal(DIALOGUE).pk, "members": [ana.pk, ben.pk]}
    row = strangers[stranger]
    if stranger.endswith("student") or stranger.endswith("class"):
        data["members"] = [ana.pk, row.pk]
    else:
        data["goal" if stranger.endswith("goal") else "strategy"] = row.pk

    response = rivera_client.post(f"/classes/{room12.pk}/groups/new/", data)

    assert response.status_code == 400
    refused = (
        "Choose a strategy of the group&#x27;s goal."
        if stranger.endswith("strategy")
        else "Select a valid choice"
    )
    assert refused in response.content.decode()
    assert "Okafor" not in html.unescape(response.content.decode())
    assert not SmallGroup.objects.exists()


def test_it_edits_a_group(rivera_client, room12):
    ana, ben, cy = class_on(room12, LEAD, 3, "Lead")
    lead, dialogue = library_goal(LEAD), library_goal(DIALOGUE)
    group = SmallGroup.objects.create(
        classroom=room12, name="Leads", goal=lead, strategy=first_strategy(lead)
    )
    group.members.set([ana, ben])
    url = f"/groups/{group.pk}/edit/"

    form = rivera_client.get(url).content.decode()
    assert 'value="Leads"' in form
    assert re.search(rf'value="{ana.pk}"[^>]*checked', form) and not re.search(
        rf'value="{cy.pk}"[^>]*checked', form
    )

    response = rivera_client.post(
        url,
        {
            "name": "Talkers",
            "goal": dialogue.pk,
            "strategy": first_strategy(dialogue).pk,
            "members": [ben.pk, cy.pk],
        },
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.goal, group.strategy) == (
        "Talkers",
        dialogue,
        first_strategy(dialogue),
    )
    assert set(group.members.all()) == {ben, cy}
    assert SmallGroup.objects.count() == 1


def test_it_refuses_to_put_a_student_of_another_class_in_a_group_it_edits(
    rivera_client, room12, strangers
):
    ana, ben = class_on(room12, LEAD, 2, "Lead")
    group = SmallGroup.objects.create(classroom=room12, name="Leads", goal=library_goal(LEAD))
    group.members.set([ana, ben])

    response = rivera_client.post(
        f"/groups/{group.pk}/edit/",
        {"name": "Leads", "members": [ana.pk, strangers["a student of another class"].pk]},
    )

    assert response.status_code == 400
    assert set(group.members.all()) == {ana, ben}


def test_it_offers_the_strategies_of_the_goal_chosen(rivera_client, room12):
    lead = library_goal(LEAD)

    response = rivera_client.get(
        f"/classes/{room12.pk}/groups/new/?goal={lead.pk}", HTTP_HX_TARGET="strategy-field"
    )

    text = response.content.decode()
    assert text.lstrip().startswith('<div class="field" id="strategy-field">')
    offered = re.findall(r'<option value="(\d+)"', text)
    assert offered == [str(s.pk) for s in Strategy.objects.filter(goal=lead, owner=None)]
    assert len(offered) == 3


# -- removing and booking -----------------------------------------------------------------


def test_it_removes_a_group_but_keeps_its_conferences(rivera_client, room12):
    room12.group_slots_per_day = 1
    room12.save()
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    group = SmallGroup.objects.create(classroom=room12, name="Talkers", goal=library_goal(DIALOGUE))
    group.members.set([ana, ben])
    rivera_client.post(f"/groups/{group.pk}/confer/")
    meeting = GroupConference.objects.get()
    ended = timezone.now()
    GroupConference.objects.filter(pk=meeting.pk).update(
        status=GroupConference.Status.HELD, ended_at=ended
    )
    meeting.members.update(status=Conference.Status.HELD, ended_at=ended)
    rivera_client.post(f"/groups/{group.pk}/book/", {}, follow=True)
    assert GroupAppointment.objects.count() == 1

    response = rivera_client.post(f"/groups/{group.pk}/delete/", follow=True)

    assert shown_messages(response) == [
        "The group “Talkers” was removed; its conferences stay in the charts."
    ]
    assert not SmallGroup.objects.exists()
    assert not GroupAppointment.objects.exists()
    meeting.refresh_from_db()
    assert meeting.group is None and meeting.name == "Talkers"
    assert Conference.objects.filter(group_conference=meeting).count() == 2
    chart = html.unescape(rivera_client.get(f"/students/{ana.pk}/").content.decode())
    assert "Small-group conference “Talkers”</span> with Talk2" in chart


def test_it_books_a_saved_group_from_the_groups_page(rivera_client, room12):
    room12.group_slots_per_day = 1
    room12.save()
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    group = SmallGroup.objects.create(classroom=room12, name="Talkers", goal=library_goal(DIALOGUE))
    group.members.set([ana, ben])
    page = groups_page(rivera_client, room12)
    assert f'action="/groups/{group.pk}/book/"' in page

    response = rivera_client.post(f"/groups/{group.pk}/book/", {}, follow=True)

    appointment = GroupAppointment.objects.get()
    assert appointment.group == group
    when = timezone.localtime(appointment.scheduled_for)
    shown = f"{when:%a} {when.day} {when:%b}, {when.hour % 12 or 12}:{when:%M} {when:%p}"
    saved = re.search(
        rf'<section class="card" id="group-{group.pk}".*?</section>',
        response.content.decode(),
        re.S,
    ).group(0)
    assert f"<strong>Booked:</strong> {shown}" in saved
    assert f'action="/group-appointments/{appointment.pk}/cancel/"' in saved


def test_it_says_how_to_book_when_the_class_has_no_group_slot(rivera_client, room12):
    ana, ben = class_on(room12, DIALOGUE, 2, "Talk")
    group = SmallGroup.objects.create(classroom=room12, name="Talkers")
    group.members.set([ana, ben])
    page = html.unescape(groups_page(rivera_client, room12))
    assert "To book groups, give the class small-group slots" in page
    assert f'action="/groups/{group.pk}/book/"' not in page


def test_it_books_every_group_not_booked_yet_into_the_next_free_slots(rivera_client, room12):
    from conferbook.scheduling.models import GroupAppointment
    from conferbook.scheduling.services import book_small_group, next_group_slot

    room12.group_slots_per_day = 1
    room12.save()
    groups = []
    for n, prefix in enumerate(("Talk", "Lead", "End")):
        group = SmallGroup.objects.create(classroom=room12, name=prefix, goal=library_goal(n))
        group.members.set(class_on(room12, n, 2, prefix))
        groups.append(group)
    first = next_group_slot(classroom=room12)
    book_small_group(group=groups[0], at=first)  # already booked: left as it is

    response = rivera_client.post(f"/classes/{room12.pk}/groups/book/", follow=True)

    booked = {a.group.name: a.scheduled_for for a in GroupAppointment.objects.all()}
    assert set(booked) == {"Talk", "Lead", "End"} and GroupAppointment.objects.count() == 3
    assert booked["Talk"] == first
    assert len(set(booked.values())) == 3  # one group to a slot
    assert booked["End"] < booked["Lead"]  # in the order of the page (by name), in turn
    message = shown_messages(response)[0]
    assert message.startswith("Booked 2 groups.") and "Lead:" in message and "End:" in message
    again = rivera_client.post(f"/classes/{room12.pk}/groups/book/", follow=True)
    assert shown_messages(again) == ["Every group is booked already."]
    assert GroupAppointment.objects.count() == 3


def test_it_says_when_the_slots_run_out(rivera_client, room12):
    group = SmallGroup.objects.create(classroom=room12, name="Talk", goal=library_goal(0))
    group.members.set(class_on(room12, 0, 2, "Talk"))
    response = rivera_client.post(f"/classes/{room12.pk}/groups/book/", follow=True)
    assert any("no more free small-group slots" in m for m in shown_messages(response))
