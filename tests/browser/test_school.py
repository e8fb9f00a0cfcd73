"""A school adopts Conferbook, in Chromium: the administrator adds a teacher and a coach,
the teacher signs in with the one-time link, makes and shares a class, the coach reads the
chart and can change nothing, a student's record is exported and then deleted with a
receipt, and the audit log shows each of those steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conferbook.accounts.models import User
from conferbook.accounts.services import start_school
from conferbook.audit.models import Event
from conferbook.roster.models import Classroom, Student
from tests.browser.settle import close_and_settle
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JO_PASSWORD = "a quiet room with seven windows"
ROSA_PASSWORD = "coaching writers every tuesday"


def sign_in(page, live_server, username: str, password: str, shots) -> None:
    page.goto(f"{live_server.url}/login/")
    shots(page, "sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def school(page, section: str) -> None:
    """The administrator's School link in the top bar, then one of its sections."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="School").click()
    page.get_by_role("navigation", name="The school").get_by_role("link", name=section).click()


def add_person(page, *, first: str, last: str, username: str, role: str, coaches: str = ""):
    """Add a person on the People page; the one-time link it shows."""
    school(page, "People")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Username").fill(username)
    page.get_by_label(role, exact=True).check()
    if coaches:
        page.get_by_label(coaches).check()
    page.get_by_role("button", name="Add and make a sign-in link").click()
    link = page.get_by_label("Sign-in link").input_value()
    assert "/sign-in/" in link
    return link


def open_with_link(context, link: str, password: str):
    """A new person's own browser: the link, a password, and they are in."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(link)
    page.get_by_label("Choose a password").fill(password)
    page.get_by_role("button", name="Set my password and sign in").click()
    page.wait_for_load_state()
    return page


def test_it_lets_a_school_share_read_export_and_delete_with_every_step_logged(
    page, browser, live_server, shots
):
    start_school(
        username="mlee",
        password=PASSWORD,
        first_name="Mia",
        last_name="Lee",
        school_name="Hillside Elementary",
        time_zone="America/Chicago",
        clock="12",
    )

    # The administrator adds a teacher, then a literacy coach who works with her.
    sign_in(page, live_server, "mlee", PASSWORD, shots)
    jo_link = add_person(page, first="Jo", last="Park", username="jpark", role="Teacher")
    shots(page, "teacher-added-with-link")
    rosa_link = add_person(
        page, first="Rosa", last="Lind", username="rlind", role="Literacy coach", coaches="Jo Park"
    )
    shots(page, "coach-added-with-link")
    school(page, "People")
    shots(page, "people")

    # The teacher signs in with the link, makes a class, adds a student and shares it.
    jo_context = browser.new_context(locale="en-US", viewport={"width": 768, "height": 1024})
    jo = open_with_link(jo_context, jo_link, JO_PASSWORD)
    assert "/login/" not in jo.url
    reused = jo_context.new_page()
    reused.goto(jo_link)
    assert "no longer works" in reused.content() or "does not work" in reused.content()
    reused.close()
    jo.goto(f"{live_server.url}/classes/new/")
    jo.get_by_label("Class name").fill("Room 9 Writing")
    jo.get_by_role("button", name="Create class").click()
    room9 = Classroom.objects.get(name="Room 9 Writing")
    jo.goto(f"{live_server.url}/classes/{room9.pk}/students/new/")
    jo.get_by_label("First name").fill("Ava")
    jo.get_by_label("Last name").fill("Stone")
    jo.get_by_role("button", name="Add student", exact=True).click()
    ava = Student.objects.get(first_name="Ava")
    jo.goto(f"{live_server.url}/classes/{room9.pk}/settings/")
    jo.get_by_label("Add a co-teacher").select_option(label="Mia Lee")
    jo.get_by_role("button", name="Add as co-teacher").click()
    jo.get_by_text("Mia Lee").first.wait_for()
    assert room9.teachers.filter(username="mlee").exists()
    shots(jo, "class-shared")

    # The coach reads Ava's chart: no form to write with, and a write page is not there.
    rosa_context = browser.new_context(locale="en-US", viewport={"width": 768, "height": 1024})
    rosa = open_with_link(rosa_context, rosa_link, ROSA_PASSWORD)
    rosa.get_by_role("link", name="Room 9 Writing").first.click()
    rosa.get_by_role("link", name="Ava").first.click()
    rosa.get_by_text("read only").first.wait_for()
    assert rosa.locator("main form[method=post]").count() == 0
    assert rosa.get_by_role("link", name="Export this student's record").count() == 0
    shots(rosa, "coach-reads-chart")
    answer = rosa.goto(f"{live_server.url}/students/{ava.pk}/edit/")
    assert answer is not None and answer.status == 404

    # The teacher exports Ava's record, then deletes it with the name typed.
    jo.goto(f"{live_server.url}/students/{ava.pk}/")
    jo.get_by_role("link", name="Export this student's record").click()
    with jo.expect_download() as download:
        jo.get_by_role("button", name="Download").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert "data_dictionary" in exported
    assert "Ava" in json.dumps(exported)
    jo.goto(f"{live_server.url}/students/{ava.pk}/")
    jo.get_by_role("link", name="Delete this student's data").click()
    jo.get_by_label("The student's full name").fill("Ava Ston")
    jo.get_by_role("button", name="Delete all of this student's data").click()
    assert jo.get_by_label("The student's full name").input_value() == "Ava Ston"
    assert Student.objects.filter(pk=ava.pk).exists()
    jo.get_by_label("The student's full name").fill("Ava Stone")
    jo.get_by_role("button", name="Delete all of this student's data").click()
    jo.get_by_text("Receipt").first.wait_for()
    shots(jo, "deletion-receipt")
    assert not Student.objects.filter(pk=ava.pk).exists()

    # The administrator's audit log shows every step, and no note text.
    school(page, "Audit log")
    shots(page, "audit-log")
    log = page.locator("main").inner_text()
    for words in ("added account jpark", "added account rlind", "Mia Lee as co-teacher"):
        assert words in log, words
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {
        Event.Kind.ACCOUNT_CHANGED,
        Event.Kind.ROLE_CHANGED,
        Event.Kind.SIGNED_IN,
        Event.Kind.CLASS_SHARED,
        Event.Kind.STUDENT_OPENED,
        Event.Kind.EXPORTED,
        Event.Kind.DELETED,
    } <= kinds
    rosa_id = User.objects.get(username="rlind").pk
    assert Event.objects.filter(
        kind=Event.Kind.STUDENT_OPENED, actor_id=rosa_id, student_id=ava.pk
    ).exists()
    page.get_by_label("What").select_option(label="deleted a student's data")
    page.get_by_role("button", name="Show").click()
    assert f"#{ava.pk}" in page.locator("main").inner_text()
    shots(page, "audit-log-deletions")
    for context in (jo_context, rosa_context):
        close_and_settle(context)
