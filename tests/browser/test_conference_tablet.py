"""The conference screen on a tablet held upright (768 x 1024, touch): Finish within two
screens, the suggested strategy chosen already, and the keyboard never lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from conferbook.accounts.models import User
from conferbook.conferences.models import Conference
from conferbook.conferences.services import start_conference
from conferbook.demo import load_demo
from conferbook.goals.models import SelfAssessment, StudentGoal
from tests.browser.settle import close_and_settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def tablet(browser, live_server) -> Iterator[tuple[object, object]]:
    """The demo class on a touch tablet, signed in as the demo teacher."""
    result = load_demo()
    teacher = User.objects.get(username=result.username)
    client = Client()
    client.force_login(teacher)
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="en-US")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, (teacher, result.classroom)
    close_and_settle(context)
    assert not errors, f"JavaScript errors: {errors}"


def open_conference(page, live_server, teacher, classroom, student) -> Conference:  # type: ignore[no-untyped-def]
    conference = start_conference(teacher=teacher, student=student, classroom=classroom)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    return conference


def bottom_of(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.bottom + window.scrollY; }",
        selector,
    )


def test_it_reaches_finish_within_two_screens(tablet, live_server, shots):
    page, (teacher, classroom) = tablet
    # The fullest screen the demo has: last time, a self-assessment, two goals.
    student = next(
        sa.student
        for sa in SelfAssessment.objects.filter(student__classrooms=classroom)
        if StudentGoal.objects.filter(student=sa.student, status="active").count() == 2
    )
    open_conference(page, live_server, teacher, classroom, student)
    shots(page, "conference-on-a-tablet")
    # In order: last time, self-assessment, research, compliment, teach, notes, finish.
    order = [
        bottom_of(page, s)
        for s in (".last-time", "#self-assessment", "#f-research", "#teach", "#f-task")
    ]
    assert order == sorted(order)
    finish = bottom_of(page, "#finish button[type=submit]")
    assert finish <= 2 * TABLET["height"], f"Finish ends {finish:.0f} px down"


def test_it_chooses_the_suggested_strategy_until_the_teacher_picks_another(tablet, live_server):
    page, (teacher, classroom) = tablet
    student = classroom.students.get(first_name="Zoë")
    conference = open_conference(page, live_server, teacher, classroom, student)
    suggested = page.locator(".strategy-choice", has=page.locator(".pill", has_text="Suggested"))
    assert suggested.locator("input[type=radio]").is_checked()
    suggested_id = int(suggested.locator("input[type=radio]").get_attribute("value"))
    page.get_by_label("Not now — I will book later").check()
    page.get_by_role("button", name="Finish conference").click()
    page.locator(".finished").wait_for()
    conference.refresh_from_db()
    assert conference.strategy_id == suggested_id


def test_it_keeps_the_keyboard_on_the_goal_after_changing_it(tablet, live_server):
    page, (teacher, classroom) = tablet
    student = next(
        s
        for s in classroom.students.order_by("first_name")
        if StudentGoal.objects.filter(student=s, status="active").count() == 2
    )
    open_conference(page, live_server, teacher, classroom, student)
    radios = page.locator("#teach input[name=student_goal]")
    assert radios.count() == 2
    radios.nth(0).focus()
    with page.expect_response(lambda response: "/choose/" in response.url):
        page.keyboard.press("ArrowRight")  # the keyboard's way to the other goal
    page.wait_for_function(
        "() => document.querySelector('#teach input[name=student_goal]:checked')"
        " === document.querySelectorAll('#teach input[name=student_goal]')[1]"
        " && document.activeElement && document.activeElement.name === 'student_goal'"
    )
    focused = page.evaluate("() => document.activeElement.closest('#teach') !== null")
    assert focused


def test_it_keeps_the_keyboard_in_the_compliment_after_saving_a_strength(tablet, live_server):
    page, (teacher, classroom) = tablet
    student = classroom.students.get(first_name="Zoë")
    open_conference(page, live_server, teacher, classroom, student)
    page.get_by_text("Note a new strength").click()
    page.get_by_label("Strength", exact=True).fill("Uses strong verbs")
    page.get_by_label("Evidence from the writing").fill("The wind howled")
    page.locator("#save-strength").focus()
    page.keyboard.press("Enter")
    page.get_by_role("radio", name="Uses strong verbs").wait_for()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.name === 'strength'"
    )
    assert page.get_by_role("radio", name="Uses strong verbs").is_checked()
    assert page.evaluate("() => document.activeElement.checked")
