"""S1: a teacher never reaches another teacher's rows through an id (TRUST.md).

Every URL pattern that takes an id is found by walking the URL configuration, so a new
id-taking URL is covered the day it is added, and fails here until tests/walk.py knows which
of Mr Okafor's rows fills its id. Ms Rivera, who does not teach Room 7, asks for each of
them with every method: the answer is 404 (405 where the view refuses the method for any
id), exactly the answer for an id that does not exist, and not one row changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from conferbook.accounts.models import CoachAssignment
from conferbook.roster.models import Enrollment
from tests.factories import TeacherFactory
from tests.walk import (
    ID_ROUTES,
    MISSING_INT,
    World,
    assert_unchanged,
    build_world,
    missing_url_for,
    page,
    plausible_body,
    request,
    snapshot,
    unknown_kwargs,
    url_for,
)

# The tests


def test_it_finds_the_id_urls_in_the_url_configuration():
    names = {r.name for r in ID_ROUTES}
    # A few that exist today: if the walk ever finds nothing, the tests below test nothing.
    assert {"conferences:conference", "roster:classroom_edit", "goals:goal_edit"} <= names
    assert dict(next(r for r in ID_ROUTES if r.name == "conferences:conference").kwargs) == {
        "conference_id": "uuid"
    }
    assert "roster:home" not in names


def test_it_knows_how_to_fill_every_id_the_urls_take():
    missing = sorted(
        f"{r.name} takes {', '.join(unknown_kwargs(r))}" for r in ID_ROUTES if unknown_kwargs(r)
    )
    assert not missing, (
        "URLs take ids the privacy tests cannot fill; add the owner's row to ROW_FOR_KWARG: "
        + "; ".join(missing)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_answers_another_teachers_id_like_a_missing_one(
    route, okafor_world, rivera_client, room12
):
    foreign_url = url_for(route, okafor_world)
    missing_url = missing_url_for(route)
    before = snapshot()
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]:
        body = plausible_body(route, world=okafor_world, destination=room12)
        foreign = request(rivera_client, method, foreign_url, body)
        body = plausible_body(route, world=okafor_world, destination=room12)
        missing = request(rivera_client, method, missing_url, body)
        expected = 404 if route.allows(method) else 405
        assert foreign.status_code == expected, f"{method} {foreign_url} as Ms Rivera"
        assert missing.status_code == expected, f"{method} {missing_url} as Ms Rivera"
        assert page(foreign) == page(missing), f"{method} {foreign_url} differs from a missing id"
    assert_unchanged(before, snapshot())


@pytest.mark.django_db
@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_serves_each_id_url_to_the_owner(route, okafor_world, okafor_client):
    url = url_for(route, okafor_world)
    response = okafor_client.get(url)
    if route.allows("GET"):
        assert response.status_code == 200, f"GET {url} as Mr Okafor"
    else:
        assert response.status_code == 405, f"GET {url} as Mr Okafor (POST-only view)"
    body = plausible_body(route, world=okafor_world, destination=okafor_world.other_classroom)
    response = okafor_client.post(url, body)
    if route.allows("POST"):
        assert response.status_code in (200, 204, 302), f"POST {url} as Mr Okafor"
    else:
        assert response.status_code == 405, f"POST {url} as Mr Okafor (GET-only view)"


@pytest.mark.django_db
def test_it_lets_a_teacher_who_shares_the_class_see_the_student(
    okafor_world, rivera, rivera_client, room7, marcus
):
    room7.teachers.add(rivera)
    for url in [
        f"/classes/{room7.pk}/",
        f"/students/{marcus.pk}/",
        f"/conferences/{okafor_world.conference.pk}/",
    ]:
        response = rivera_client.get(url)
        assert response.status_code == 200, url
        assert "Marcus" in response.content.decode(), url


@pytest.mark.django_db
def test_it_stops_sharing_when_the_teacher_leaves_the_class(
    okafor_world, rivera, rivera_client, room7, marcus
):
    room7.teachers.add(rivera)
    assert rivera_client.get(f"/students/{marcus.pk}/").status_code == 200
    room7.teachers.remove(rivera)
    assert rivera_client.get(f"/students/{marcus.pk}/").status_code == 404


# A coach reads the coached teacher's classes and writes nothing in them.


def _coach_reads(route) -> bool:
    """The coach reads the page (its GET is class-read in tests/test_roles.py)."""
    from tests.test_roles import ACCESS

    access = ACCESS.get(route.name)
    return (access.get("GET") if isinstance(access, dict) else access) == "class-read"


@pytest.fixture
def coach_client(okafor):
    coach = TeacherFactory(username="park", first_name="Sam", last_name="Park")
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    client = Client()
    client.force_login(coach)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_lets_a_coach_only_read_the_coached_teachers_class(
    route, okafor_world, coach_client, room12
):
    """Mr Park coaches Mr Okafor: every POST about Room 7 answers him like a missing id,
    and so does every GET but the pages a coach reads (tests/test_roles.py, class-read)."""
    url = url_for(route, okafor_world)
    missing_url = missing_url_for(route)
    before = snapshot()
    for method in ["GET", "POST", "PUT", "PATCH", "DELETE"]:
        body = plausible_body(route, world=okafor_world, destination=room12)
        response = request(coach_client, method, url, body)
        if not route.allows(method):
            assert response.status_code == 405, f"{method} {url} as the coach"
            continue
        if method == "GET" and _coach_reads(route):
            assert response.status_code == 200, f"GET {url} as the coach"
            continue
        missing = request(coach_client, method, missing_url, body)
        assert response.status_code == 404, f"{method} {url} as the coach"
        assert page(response) == page(missing), f"{method} {url} differs from a missing id"
    assert_unchanged(before, snapshot())


@pytest.mark.django_db
def test_it_stops_a_coach_reading_when_the_assignment_ends(okafor, okafor_world, coach_client):
    url = f"/classes/{okafor_world.classroom.pk}/"
    assert coach_client.get(url).status_code == 200
    CoachAssignment.objects.filter(teacher=okafor).delete()
    assert coach_client.get(url).status_code == 404


# Ids carried in a form body rather than in the URL.


@dataclass(frozen=True)
class BodyCase:
    name: str
    url: Callable[[World, World], str]  # (Ms Rivera's world, Mr Okafor's world)
    body: Callable[[World, World, Any], dict[str, Any]]  # the last argument is the id to use
    foreign_id: Callable[[World], Any]
    expected: int = 404

    def __str__(self) -> str:
        return self.name


def _pick(name: str) -> Callable[[World, World, Any], dict[str, Any]]:
    return lambda own, other, pk: {"name": name, name: str(pk)}


BODY_CASES = [
    BodyCase(
        "start-with-another-teachers-student",
        url=lambda own, other: "/conferences/start/",
        body=lambda own, other, pk: {"student": str(pk), "classroom": str(other.classroom.pk)},
        foreign_id=lambda other: other.student.pk,
    ),
    *[
        BodyCase(
            f"choose-another-teachers-{name}",
            url=lambda own, other: f"/conferences/{own.conference.pk}/choose/",
            body=_pick(name),
            foreign_id=getter,
        )
        for name, getter in [
            ("strategy", lambda other: other.strategy.pk),
            ("mentor_text", lambda other: other.mentor_text.pk),
            ("strength", lambda other: other.strength.pk),
            ("student_goal", lambda other: other.student_goal.pk),
        ]
    ],
    BodyCase(
        "finish-with-another-teachers-mentor-text",
        url=lambda own, other: f"/conferences/{own.conference.pk}/finish/",
        body=lambda own, other, pk: {"not_now": "on", "mentor_text": str(pk)},
        foreign_id=lambda other: other.mentor_text.pk,
    ),
    BodyCase(
        "sticker-for-another-teachers-goal",
        url=lambda own, other: f"/conferences/{own.conference.pk}/sticker/",
        body=lambda own, other, pk: {"sticker_goal": str(pk), "sticker_action": "give"},
        foreign_id=lambda other: other.goal.pk,
    ),
    BodyCase(
        "strength-from-another-students-sample",
        url=lambda own, other: f"/conferences/{own.conference.pk}/strength/",
        body=lambda own, other, pk: {"description": "Leads", "sample": str(pk)},
        foreign_id=lambda other: other.sample.pk,
        expected=200,  # the form refuses the choice, the same way as for a missing sample
    ),
    BodyCase(
        "move-out-of-another-teachers-class",
        url=lambda own, other: f"/students/{own.student.pk}/move/",
        body=lambda own, other, pk: {
            "from_classroom": str(pk),
            "to_classroom": str(own.other_classroom.pk),
        },
        foreign_id=lambda other: other.classroom.pk,
    ),
    BodyCase(
        "move-into-another-teachers-class",
        url=lambda own, other: f"/students/{own.student.pk}/move/",
        body=lambda own, other, pk: {
            "from_classroom": str(own.classroom.pk),
            "to_classroom": str(pk),
        },
        foreign_id=lambda other: other.classroom.pk,
        expected=302,  # a form error on the student's own page; nothing moves
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", BODY_CASES, ids=str)
def test_it_refuses_another_teachers_id_in_a_form_body(
    case, okafor_world, rivera, room12, zoe, rivera_client
):
    own = build_world(teacher=rivera, classroom=room12, student=zoe)
    url = case.url(own, okafor_world)
    before = snapshot()
    foreign = rivera_client.post(url, case.body(own, okafor_world, case.foreign_id(okafor_world)))
    missing = rivera_client.post(url, case.body(own, okafor_world, MISSING_INT))
    assert foreign.status_code == case.expected
    assert missing.status_code == case.expected
    assert page(foreign) == page(missing)
    assert_unchanged(before, snapshot())
    assert not Enrollment.objects.filter(student=zoe, classroom=okafor_world.classroom).exists()
