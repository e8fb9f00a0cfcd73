"""A literacy coach reads the classes of the teachers assigned to them, and writes nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conferbook.accounts.models import CoachAssignment
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db

READ_ONLY = "You are viewing as a coach — read only."


@pytest.fixture
def park(okafor):
    coach = TeacherFactory(username="park", first_name="Sam", last_name="Park")
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    return coach


@pytest.fixture
def park_client(park) -> Client:
    client = Client()
    client.force_login(park)
    return client


def write_controls(page: str) -> list[str]:
    """Every form that changes something in the class and every edit link (signing out
    and the person's own paper size are theirs)."""
    own = ('action="/logout/"', 'action="/print/paper/"')
    posts = [
        form
        for form in re.findall(r"<form[^>]*>", page)
        if 'method="post"' in form and not any(mine in form for mine in own)
    ]
    links = re.findall(r'href="[^"]*/(?:edit|settings|new|import|rhythm|change-goal)/[^"]*"', page)
    return posts + links + re.findall(r"draggable", page)


def test_it_lists_the_coached_classes_apart_with_their_teacher(park_client, room7, okafor_world):
    page = park_client.get("/").content.decode()
    coached = page[page.index("Classes you coach") :]
    assert "Room 7" in coached
    assert "Taught by Ben Okafor" in coached
    assert "Start with a class" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/classes/{classroom}/",
        "/students/{student}/",
        "/classes/{classroom}/board/",
        "/classes/{classroom}/coverage/",
        "/classes/{classroom}/sticker-collections/",
        "/classes/{classroom}/print/",
        "/students/{student}/print/",
    ],
)
def test_it_shows_the_coach_each_page_read_only(url, park_client, okafor_world):
    url = url.format(classroom=okafor_world.classroom.pk, student=okafor_world.student.pk)
    page = park_client.get(url).content.decode()
    assert READ_ONLY in page
    assert "Room 7 is taught by Ben Okafor" in page
    if "/print/" not in url:
        assert "Marcus" in page
    assert write_controls(page) == []


@pytest.mark.parametrize(
    "url",
    [
        "/classes/{classroom}/",
        "/students/{student}/",
        "/classes/{classroom}/board/",
    ],
)
def test_it_shows_the_teacher_the_write_controls_it_hides_from_the_coach(
    url, okafor_client, okafor_world
):
    """Control for the test above: the same pages for the teacher have forms and links."""
    url = url.format(classroom=okafor_world.classroom.pk, student=okafor_world.student.pk)
    page = okafor_client.get(url).content.decode()
    assert READ_ONLY not in page
    assert write_controls(page)


def test_it_shows_the_coach_who_held_each_conference(park_client, okafor_world):
    page = park_client.get(f"/students/{okafor_world.student.pk}/").content.decode()
    chart = page[page.index('id="chart-h"') :]
    assert "— Ben Okafor" in chart
    strengths = page[page.index('id="strengths-h"') : page.index('id="samples-h"')]
    assert "— Ben Okafor" in strengths


def test_it_names_no_one_to_a_teacher_reading_their_own_class(okafor_client, okafor_world):
    page = okafor_client.get(f"/students/{okafor_world.student.pk}/").content.decode()
    assert "— Ben Okafor" not in page


def test_it_lets_a_coach_who_is_also_a_co_teacher_write(park, park_client, okafor_world, marcus):
    okafor_world.classroom.teachers.add(park)
    page = park_client.get(f"/classes/{okafor_world.classroom.pk}/").content.decode()
    assert READ_ONLY not in page
    response = park_client.post(
        "/conferences/start/", {"student": marcus.pk, "classroom": okafor_world.classroom.pk}
    )
    assert response.status_code == 302


def test_it_prints_the_family_report_in_the_teachers_name_for_a_coach(park_client, okafor_world):
    from io import BytesIO

    from pypdf import PdfReader

    response = park_client.get(f"/classes/{okafor_world.classroom.pk}/print/reports.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert "Ben Okafor" in text
    assert "Sam Park" not in text


def test_it_says_who_held_the_last_conference_of_a_shared_class(okafor_world, rivera):
    from conferbook.conferences.models import Conference
    from conferbook.conferences.services import start_conference

    classroom = okafor_world.classroom
    classroom.teachers.add(rivera)
    client = Client()
    client.force_login(rivera)
    now = start_conference(teacher=rivera, student=okafor_world.student, classroom=classroom)
    assert Conference.objects.get(pk=now.pk).teacher == rivera
    page = client.get(f"/conferences/{now.pk}/").content.decode()
    last = page[page.index('id="last-h"') : page.index("</h2>", page.index('id="last-h"'))]
    assert "— Ben Okafor" in last
