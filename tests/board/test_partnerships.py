"""Writing partnerships: suggested in two modes with why, edited, saved (issue 5)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conferbook.goals.models import Goal, StudentGoal
from conferbook.groups.models import Partnership, PartnershipMember
from conferbook.groups.services import PartnershipToSave, save_partnerships
from conferbook.roster.models import Enrollment
from tests.factories import (
    ClassroomFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    library_goal,
)
from tests.helpers import section, shown_messages

pytestmark = pytest.mark.django_db

LEAD, ENDING, DIALOGUE, SENSORY = 14, 19, 20, 22  # built-in goals, see test_board.py
NO_MATCH = "No shared goal or matching strength on record yet: paired so no one is left out."
OUT_OF_DATE = "Those partnerships are out of date: here are the suggestions again."


def name(index: int) -> str:
    return library_goal(index).name


@dataclass
class Suggested:
    names: str
    reason: str
    pills: list[str]
    value: str


def suggested(page: str) -> list[Suggested]:
    found = []
    for item in re.findall(r'<li class="card pair[^"]*">(.*?)</li>', page, re.S):
        found.append(
            Suggested(
                names=html.unescape(re.search(r"<strong>(.*?)</strong>", item).group(1)),
                reason=html.unescape(
                    re.search(r'<br><span class="muted">(.*?)</span>', item).group(1)
                ),
                pills=re.findall(r'<span class="pill[^"]*">(.*?)</span>', item),
                value=re.search(r'name="pair" value="([^"]+)"', item).group(1),
            )
        )
    return found


def partnerships_page(client, classroom, query: str = "") -> str:
    response = client.get(f"/classes/{classroom.pk}/partnerships/{query}")
    assert response.status_code == 200
    return response.content.decode()


def student(
    classroom,
    first_name: str,
    *goals: int,
    strong_at: tuple[int, ...] = (),
    met: tuple[int, ...] = (),
):
    s = StudentFactory(first_name=first_name, classroom=classroom)
    for g in goals:
        StudentGoalFactory(student=s, goal=library_goal(g))
    for g in strong_at:
        StrengthFactory(student=s, goal=library_goal(g), description=f"Strong at {g}")
    for g in met:
        StudentGoalFactory(
            student=s,
            goal=library_goal(g),
            status=StudentGoal.Status.MET,
            closed_on=timezone.localdate(),
        )
    return s


def saved_pairs(classroom) -> list[tuple[list[str], str, str]]:
    return [
        (
            sorted(m.student.first_name for m in p.memberships.all()),
            p.basis,
            p.reason,
        )
        for p in Partnership.objects.filter(classroom=classroom).order_by("pk")
    ]


def pair_up(classroom, *students, reason: str = "", basis: str = "by_hand") -> Partnership:
    return save_partnerships(
        classroom=classroom,
        partnerships=[PartnershipToSave(members=list(students), basis=basis, reason=reason)],
        replace=False,
    )[0]


# -- suggestions --------------------------------------------------------------------------


def test_it_pairs_students_on_the_same_goal_and_says_why(rivera_client, room12):
    student(room12, "Ana", LEAD)
    student(room12, "Cy", DIALOGUE)
    student(room12, "Ben", LEAD)
    student(room12, "Dee", DIALOGUE)
    student(room12, "Eve", LEAD, DIALOGUE)
    student(room12, "Fay", LEAD, DIALOGUE)

    page = partnerships_page(rivera_client, room12)

    assert [(p.names, p.reason) for p in suggested(page)] == [
        ("Ana and Ben", f"Ana and Ben both work on “{name(LEAD)}”."),
        ("Cy and Dee", f"Cy and Dee both work on “{name(DIALOGUE)}”."),
        ("Eve and Fay", f"Eve and Fay both work on “{name(LEAD)}” and “{name(DIALOGUE)}”."),
    ]
    assert all("Matched" in p.pills for p in suggested(page))
    assert "3 of 3 partnerships match on the record" in page
    assert 'value="same_goal" checked' in page


def test_it_pairs_complementary_students_each_strong_at_the_others_goal(rivera_client, room12):
    student(room12, "Ana", DIALOGUE, strong_at=(LEAD,))  # a strength that shows the goal
    student(room12, "Ben", LEAD, met=(DIALOGUE,))  # a goal met
    student(room12, "Cy", SENSORY)
    student(room12, "Dee", ENDING, strong_at=(SENSORY,))
    eve = student(room12, "Eve", ENDING)
    StrengthFactory(student=eve, description="Uses strong verbs")  # shows no goal: no match
    fay = student(room12, "Fay", LEAD)
    StudentGoalFactory(  # set aside, not met: no strength
        student=fay, goal=library_goal(ENDING), status=StudentGoal.Status.SET_ASIDE
    )

    page = partnerships_page(rivera_client, room12, "?mode=complementary")

    shown = suggested(page)
    assert [(p.names, p.reason) for p in shown] == [
        (
            "Ana and Ben",
            f"Ana is strong at “{name(LEAD)}”, Ben's goal; "
            f"Ben is strong at “{name(DIALOGUE)}”, Ana's goal.",
        ),
        ("Cy and Dee", f"Dee is strong at “{name(SENSORY)}”, Cy's goal."),
        ("Eve and Fay", NO_MATCH),
    ]
    assert [p.pills[0] for p in shown] == ["Both ways", "Matched", "No match on record"]
    assert "2 of 3 partnerships match on the record" in page
    assert 'value="complementary" checked' in page


def test_it_pairs_by_same_goal_when_the_mode_is_unknown(rivera_client, room12):
    student(room12, "Ana", LEAD)
    student(room12, "Ben", LEAD)
    page = partnerships_page(rivera_client, room12, "?mode=bogus")
    assert 'value="same_goal" checked' in page
    assert suggested(page)[0].reason == f"Ana and Ben both work on “{name(LEAD)}”."


@pytest.mark.parametrize("mode", ["same_goal", "complementary"])
def test_it_puts_the_odd_student_of_the_class_in_a_trio(rivera_client, room12, mode):
    student(room12, "Ana", LEAD)
    student(room12, "Ben", LEAD)
    student(room12, "Cy", DIALOGUE, strong_at=(LEAD,))
    student(room12, "Dee", DIALOGUE, strong_at=(LEAD,))
    student(room12, "Eve", DIALOGUE, strong_at=(LEAD,))

    shown = suggested(partnerships_page(rivera_client, room12, f"?mode={mode}"))

    sizes = sorted(len(p.value.split(",")) for p in shown)
    assert sizes == [2, 3]
    every = [i for p in shown for i in p.value.split(",")]
    assert len(every) == len(set(every)) == 5  # everyone, once
    trio = next(p for p in shown if len(p.value.split(",")) == 3)
    assert "Trio" in trio.pills
    assert trio.names.count(",") == 1 and " and " in trio.names  # "A, B and C"
    if mode == "same_goal":
        assert trio.names == "Cy, Dee and Eve"
        assert trio.reason == f"Cy, Dee and Eve all work on “{name(DIALOGUE)}”."


def test_it_makes_a_trio_of_a_class_of_three(rivera_client, room12):
    for first_name in ("Ana", "Ben", "Cy"):
        student(room12, first_name, LEAD)
    (only,) = suggested(partnerships_page(rivera_client, room12))
    assert only.names == "Ana, Ben and Cy"
    assert only.reason == f"Ana, Ben and Cy all work on “{name(LEAD)}”."


def test_it_says_a_class_of_one_has_no_partnerships(rivera_client, room12, zoe):
    page = partnerships_page(rivera_client, room12)
    assert suggested(page) == []
    assert "A partnership needs at least two students in the class." in page


# -- saving the suggestions -------------------------------------------------------------


def accept(client, classroom, *pairs: str, mode: str = "same_goal"):
    return client.post(
        f"/classes/{classroom.pk}/partnerships/accept/",
        {"pair": list(pairs), "mode": mode},
        follow=True,
    )


def test_it_saves_the_suggested_partnerships_in_place_of_the_earlier_ones(rivera_client, room12):
    ana = student(room12, "Ana", DIALOGUE, strong_at=(LEAD,))
    ben = student(room12, "Ben", LEAD, met=(DIALOGUE,))
    cy = student(room12, "Cy", SENSORY)
    dee = student(room12, "Dee", ENDING, strong_at=(SENSORY,))
    pair_up(room12, ana, cy, reason="Sit together")
    pair_up(room12, ben, dee, reason="Sit together")
    page = partnerships_page(rivera_client, room12, "?mode=complementary")
    assert "They replace the 2 partnerships saved now." in page

    response = accept(
        rivera_client, room12, *(p.value for p in suggested(page)), mode="complementary"
    )

    assert response.redirect_chain[0][0] == (
        f"/classes/{room12.pk}/partnerships/?mode=complementary#saved"
    )
    assert shown_messages(response) == [
        "Saved 2 partnerships; each student's page names their partner and why."
    ]
    assert saved_pairs(room12) == [
        (
            ["Ana", "Ben"],
            "complementary",
            f"Ana is strong at “{name(LEAD)}”, Ben's goal; "
            f"Ben is strong at “{name(DIALOGUE)}”, Ana's goal.",
        ),
        (["Cy", "Dee"], "complementary", f"Dee is strong at “{name(SENSORY)}”, Cy's goal."),
    ]
    shown = html.unescape(section(response.content.decode(), 'id="saved"'))
    assert "Ana and Ben" in shown and "Complementary" in shown and "Sit together" not in shown


def test_it_saves_a_suggested_pair_with_nothing_on_record_with_the_plain_reason(
    rivera_client, room12
):
    student(room12, "Ana")
    student(room12, "Ben")
    page = partnerships_page(rivera_client, room12)

    accept(rivera_client, room12, suggested(page)[0].value)

    assert saved_pairs(room12) == [(["Ana", "Ben"], "same_goal", NO_MATCH)]


@pytest.fixture
def four(room12):
    return [student(room12, n, LEAD) for n in ("Ana", "Ben", "Cy", "Dee")]


@pytest.fixture
def outsiders(rivera, marcus):
    other_class = ClassroomFactory(name="Room 12 reading", teachers=[rivera])
    return {
        "another teacher's student": marcus,
        "a student of another class": StudentFactory(first_name="Otto", classroom=other_class),
    }


@pytest.mark.parametrize("who", ["another teacher's student", "a student of another class"])
def test_it_refuses_posted_pairs_naming_a_student_outside_the_class(
    rivera_client, room12, four, outsiders, who
):
    ana, ben, cy, dee = four
    pair_up(room12, ana, ben)
    before = saved_pairs(room12)

    response = accept(rivera_client, room12, f"{cy.pk},{outsiders[who].pk}", f"{ana.pk},{dee.pk}")

    assert shown_messages(response) == [OUT_OF_DATE]
    assert saved_pairs(room12) == before  # the earlier ones are not replaced either
    assert not PartnershipMember.objects.filter(student=outsiders[who]).exists()


def test_it_refuses_posted_pairs_that_name_a_student_twice(rivera_client, room12, four):
    ana, ben, cy, _dee = four
    response = accept(rivera_client, room12, f"{ana.pk},{ben.pk}", f"{ana.pk},{cy.pk}")
    assert shown_messages(response) == [OUT_OF_DATE]
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("how", ["archived", "moved out"])
def test_it_refuses_suggestions_out_of_date(rivera_client, room12, four, how):
    ana, _ben, cy, dee = four
    pair_up(room12, ana, cy)
    before = saved_pairs(room12)
    values = [p.value for p in suggested(partnerships_page(rivera_client, room12))]
    if how == "archived":
        dee.archived_at = timezone.now()
        dee.save()
    else:
        Enrollment.objects.filter(student=dee).delete()

    response = accept(rivera_client, room12, *values)

    assert shown_messages(response) == [OUT_OF_DATE]
    assert saved_pairs(room12) == before


@pytest.mark.parametrize("size", [1, 4])
def test_it_refuses_a_posted_partnership_of_the_wrong_size_and_keeps_the_earlier_ones(
    rivera_client, room12, four, size
):
    ana, ben, _cy, _dee = four
    pair_up(room12, ana, ben, reason="Kept")
    before = saved_pairs(room12)

    response = accept(rivera_client, room12, ",".join(str(s.pk) for s in four[:size]))

    assert shown_messages(response) == [
        "Partners come in twos (or one three when the class is odd)."
    ]
    assert saved_pairs(room12) == before


def test_it_refuses_an_empty_post(rivera_client, room12, four):
    response = accept(rivera_client, room12)
    assert shown_messages(response) == [OUT_OF_DATE]
    assert not Partnership.objects.exists()


# -- pairing by hand, splitting ---------------------------------------------------------


def pair_by_hand(client, classroom, *students, reason: str = ""):
    return client.post(
        f"/classes/{classroom.pk}/partnerships/new/",
        {"students": [s.pk for s in students], "reason": reason},
        follow=True,
    )


def test_it_pairs_students_by_hand_saying_what_they_share(rivera_client, room12, four):
    ana, ben, cy, dee = four

    response = pair_by_hand(rivera_client, room12, ana, ben)

    assert shown_messages(response) == ["Partners: Ana, Ben."]
    assert response.redirect_chain[0][0] == f"/classes/{room12.pk}/partnerships/#saved"
    assert saved_pairs(room12) == [
        (["Ana", "Ben"], "by_hand", f"Ana and Ben both work on “{name(LEAD)}”.")
    ]
    shown = html.unescape(section(response.content.decode(), 'id="saved"'))
    assert "Chosen by the teacher" in shown
    # The form offers only students without a partner.
    form = re.search(r'action="/classes/\d+/partnerships/new/".*?</form>', shown, re.S).group(0)
    assert re.findall(r'name="students" value="(\d+)"', form) == [str(cy.pk), str(dee.pk)]


def test_it_keeps_the_reason_the_teacher_gives(rivera_client, room12, four):
    ana, ben, cy, _dee = four
    pair_by_hand(rivera_client, room12, ana, ben, cy, reason="They sit at table 3")
    assert saved_pairs(room12) == [(["Ana", "Ben", "Cy"], "by_hand", "They sit at table 3")]


def test_it_names_a_complementary_match_when_pairing_by_hand(rivera_client, room12):
    ana = student(room12, "Ana", DIALOGUE, strong_at=(LEAD,))
    ben = student(room12, "Ben", LEAD)

    pair_by_hand(rivera_client, room12, ana, ben)

    assert saved_pairs(room12) == [
        (["Ana", "Ben"], "by_hand", f"Ana is strong at “{name(LEAD)}”, Ben's goal.")
    ]


def test_it_says_the_teacher_chose_a_pair_with_nothing_on_record(rivera_client, room12):
    ana, ben = student(room12, "Ana"), student(room12, "Ben")

    pair_by_hand(rivera_client, room12, ana, ben)

    assert saved_pairs(room12) == [(["Ana", "Ben"], "by_hand", "Chosen by the teacher.")]


@pytest.mark.parametrize("count", [1, 4])
def test_it_needs_two_or_three_students_to_pair_by_hand(rivera_client, room12, four, count):
    response = pair_by_hand(rivera_client, room12, *four[:count])
    assert shown_messages(response) == ["Tick two students (or three for a trio)."]
    assert not Partnership.objects.exists()


def test_it_asks_for_two_students_when_none_is_ticked(rivera_client, room12, four):
    response = pair_by_hand(rivera_client, room12)
    assert not Partnership.objects.exists()
    assert shown_messages(response) == ["Tick two students (or three for a trio)."]


def test_it_refuses_to_pair_a_student_who_already_has_a_partner(rivera_client, room12, four):
    ana, ben, cy, _dee = four
    pair_up(room12, ana, ben, reason="First")
    before = saved_pairs(room12)

    response = pair_by_hand(rivera_client, room12, ana, cy)

    assert shown_messages(response) == [
        "Already in a partnership: Ana. Split that partnership first."
    ]
    assert saved_pairs(room12) == before
    assert Partnership.objects.count() == 1  # no empty partnership left behind


@pytest.mark.parametrize("who", ["another teacher's student", "a student of another class"])
def test_it_refuses_to_pair_by_hand_a_student_outside_the_class(
    rivera_client, room12, four, outsiders, who
):
    response = pair_by_hand(rivera_client, room12, four[0], outsiders[who])
    assert "Select a valid choice" in shown_messages(response)[0]
    assert not Partnership.objects.exists()


def test_it_splits_a_partnership(rivera_client, room12, four):
    ana, ben, cy, dee = four
    partnership = pair_up(room12, ana, ben)
    pair_up(room12, cy, dee)

    response = rivera_client.post(f"/partnerships/{partnership.pk}/split/", follow=True)

    assert shown_messages(response) == ["Ana, Ben are no longer partners."]
    assert saved_pairs(room12) == [(["Cy", "Dee"], "by_hand", "")]
    form = re.search(
        r'action="/classes/\d+/partnerships/new/".*?</form>', response.content.decode(), re.S
    )
    assert re.findall(r'name="students" value="(\d+)"', form.group(0)) == [str(ana.pk), str(ben.pk)]
    pair_by_hand(rivera_client, room12, ana, ben)  # they can be paired again
    assert len(saved_pairs(room12)) == 2


# -- the student's page -------------------------------------------------------------------


def test_it_names_the_partner_and_why_on_the_students_page(rivera_client, room12, four):
    ana, ben, cy, dee = four
    before = html.unescape(
        section(rivera_client.get(f"/students/{ana.pk}/").content.decode(), 'id="partners"')
    )
    assert "No writing partner yet." in before

    accept(rivera_client, room12, f"{ana.pk},{ben.pk}", f"{cy.pk},{dee.pk}")

    page = rivera_client.get(f"/students/{ana.pk}/?class={room12.pk}").content.decode()
    partner = html.unescape(section(page, 'id="partners"'))
    assert f'<a href="/students/{ben.pk}/?class={room12.pk}">Ben Example</a>' in partner
    assert f"Why: Ana and Ben both work on “{name(LEAD)}”." in partner
    assert "Cy" not in partner and "Dee" not in partner


def test_it_names_both_partners_of_a_trio_on_the_students_page(rivera_client, room12, four):
    ana, ben, cy, _dee = four
    pair_up(room12, ana, ben, cy, reason="Table 3")
    partner = html.unescape(
        section(rivera_client.get(f"/students/{ben.pk}/").content.decode(), 'id="partners"')
    )
    assert re.search(r">Ana Example</a> and <a [^>]*>Cy Example</a>", partner)
    assert "Why: Table 3" in partner


# -- a strength that shows a goal ---------------------------------------------------------


def test_it_pairs_by_a_strength_recorded_with_the_goal_it_shows(rivera_client, room12):
    ana = student(room12, "Ana", DIALOGUE)
    student(room12, "Ben", LEAD)
    before = suggested(partnerships_page(rivera_client, room12, "?mode=complementary"))
    assert before[0].reason == NO_MATCH

    rivera_client.post(
        f"/students/{ana.pk}/strengths/new/",
        {"description": "Hooks the reader", "evidence": "BOOM!", "goal": library_goal(LEAD).pk},
    )

    (pair,) = suggested(partnerships_page(rivera_client, room12, "?mode=complementary"))
    assert pair.reason == f"Ana is strong at “{name(LEAD)}”, Ben's goal."
    assert "Matched" in pair.pills


def test_it_refuses_a_strength_showing_another_teachers_goal(rivera_client, okafor, room12):
    ana = student(room12, "Ana", DIALOGUE)
    theirs = Goal.objects.create(
        owner=okafor, category=library_goal(LEAD).category, name="Okafor's goal", student_words="I"
    )

    response = rivera_client.post(
        f"/students/{ana.pk}/strengths/new/",
        {"description": "Hooks the reader", "evidence": "BOOM!", "goal": theirs.pk},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "Select a valid choice" in response.content.decode()
    assert not ana.strengths.exists()


def test_it_does_not_count_a_strength_in_a_goal_the_student_still_works_on(rivera_client, room12):
    """Strong at a goal means able to help with it: not while still working on it."""
    student(room12, "Ana", LEAD, strong_at=(LEAD,))
    student(room12, "Ben", LEAD)

    shown = suggested(partnerships_page(rivera_client, room12, "?mode=complementary"))

    assert [(p.names, p.reason) for p in shown] == [("Ana and Ben", NO_MATCH)]
