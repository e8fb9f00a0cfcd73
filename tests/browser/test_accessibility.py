"""Every page a teacher can open passes axe-core's WCAG 2.1 A and AA rules.

The pages are found by walking the URL configuration (as the privacy tests do), so a page
added tomorrow is checked the day it is added. Their ids are filled from the demo class,
with one of every row an id can point at added to it (the privacy tests' `build_world`).
Pages in a state of interest are added by hand: a conference booked, under way and held;
a small-group conference under way and held; today's list with its bookings; forms
showing their errors; the kiosk; the pages a signed-out teacher sees; the error pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from conferbook.accounts.services import ensure_school
from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.services import start_conference
from conferbook.scheduling.models import GroupAppointment
from conferbook.web.middleware import CONTENT_SECURITY_POLICY
from conferbook.web.views import server_error
from tests.browser.a11y import summarise
from tests.helpers import book_today, make_administrator
from tests.walk import ROUTES, Route, build_world, url_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a GET of these answers is not a page of its own.
NOT_PAGES = {
    "feeds:download": "the class calendar as an iCalendar file",
    "feeds:feed": "the calendar feed (iCalendar) a calendar program subscribes to",
    "roster:block_answer": "the answer the class settings form swaps in as the teacher types",
    "audit:export": "the audit log as a CSV file",
    "goals:photo_image": "a photo of a notebook page (a JPEG), shown on the photo's page",
    "goals:photo_thumbnail": "a photo's thumbnail (a JPEG)",
    "goals:spot_image": "the cut-out of a marked part of a page (a JPEG)",
}
# Shown only to a signed-out teacher: checked signed out, below.
SIGNED_OUT = {"accounts:first_run", "accounts:login"}


def html_routes() -> list[Route]:
    """Every URL a teacher can GET that answers with an HTML page."""
    return [
        r
        for r in ROUTES
        if r.allows("GET") and not r.is_pdf and r.name not in {*NOT_PAGES, *SIGNED_OUT}
    ]


def test_it_finds_every_page_in_the_url_configuration():
    names = {r.name for r in html_routes()}
    assert {"conferences:classroom", "scheduling:today", "goals:kiosk", "board:board"} <= names
    assert not names & {"printables:class_stickers", "conferences:start", "feeds:feed"}


def test_it_passes_wcag_on_every_page_a_teacher_can_open(at_midday, demo_page, live_server, a11y):
    page, classroom = demo_page
    teacher = classroom.teachers.get(username="demo")
    ensure_school().administrators.add(teacher)  # the People and School pages are theirs
    zoe = classroom.students.get(first_name="Zoë")
    book_today(classroom)
    world = build_world(teacher=teacher, classroom=classroom, student=zoe)
    make_administrator(teacher)  # the administrator's pages are checked too
    seen: list[str] = []

    def visit(name: str, url: str, *, status: int = 200, then: Callable[[], Any] | None = None):
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == status, f"{name}: GET {url}"
        assert response.headers["content-type"].startswith("text/html"), f"{name}: {url}"
        if then is not None:
            then()
        a11y.check(page, moment=name)
        seen.append(name)

    # Every page of the URL configuration.
    for route in html_routes():
        visit(route.name, url_for(route, world))
    assert set(seen) == {r.name for r in html_routes()}

    # Conference screens in each state; the demo books conferences and holds group ones.
    today = timezone.localdate()
    # Two of today's bookings (late in the day not everyone fits in what is left of it,
    # so the one started is a student booked today, not Zoë).
    booked, to_start = Conference.objects.filter(
        classroom=classroom, status="scheduled", scheduled_for__date=today
    ).order_by("scheduled_for")[:2]
    visit("conference booked", f"/conferences/{booked.pk}/")
    under_way = start_conference(teacher=teacher, student=to_start.student, classroom=classroom)
    visit("conference under way", f"/conferences/{under_way.pk}/")
    visit("conference held", f"/conferences/{world.conference.pk}/")
    visit("group conference under way", f"/group-conferences/{world.group_conference.pk}/")
    held = GroupConference.objects.filter(group__classroom=classroom, status="held").first()
    assert held is not None
    visit("group conference held", f"/group-conferences/{held.pk}/")
    visit(
        "class page after a conference",
        f"/classes/{classroom.pk}/?card={world.conference.pk}&next={zoe.pk}",
    )
    # Today's list with a conference held, one under way, one next, and a small group.
    Conference.objects.filter(pk=booked.pk).update(status=Conference.Status.HELD)
    GroupAppointment.objects.create(
        group=world.small_group,
        scheduled_for=timezone.localtime().replace(hour=23, minute=50, second=0, microsecond=0),
    )
    visit("today with bookings", f"/classes/{classroom.pk}/today/")
    for state in ("done", "now", "next"):
        assert page.locator(f".today-row.{state}").count() >= 1, state
    assert page.get_by_role("heading", name="Small groups today").count() == 1

    def mark_the_first_absent() -> None:
        page.get_by_role("button", name="Absent").first.click()
        page.locator(".message").first.wait_for()

    visit("today with a message", f"/classes/{classroom.pk}/today/", then=mark_the_first_absent)

    # Forms showing their errors (the browser's own check is turned off to get there).
    def submit_empty() -> None:
        page.locator("main form").last.evaluate("form => { form.noValidate = true; }")
        page.locator("main form").last.locator("[type=submit]").last.click()
        page.locator(".error").first.wait_for()

    visit("goal form with errors", "/goals/new/", then=submit_empty)
    visit("student form with errors", f"/classes/{classroom.pk}/students/new/", then=submit_empty)

    # The kiosk: unanswered lines, then the thank-you page the student sees.
    kiosk = f"/students/{zoe.pk}/self-assessment/kiosk/"
    visit("kiosk with unanswered lines", kiosk, then=submit_empty)

    def answer_every_line() -> None:
        for line in page.locator("fieldset.checklist-line").all():
            line.locator("label").last.click()
        page.get_by_role("button", name="I'm done").click()
        page.locator(".kiosk-thanks").wait_for()

    visit("kiosk done", kiosk, then=answer_every_line)

    # Error pages: not found, and the page shown when the server fails (its view's own
    # answer, served at a made-up address: nothing on the site fails on purpose).
    visit("page not found", "/no-such-page/", status=404)
    failed = server_error(RequestFactory().get("/"))
    page.route(
        f"{live_server.url}/broken/",
        lambda route: route.fulfill(
            status=500,
            body=failed.content,
            headers={"Content-Type": failed["Content-Type"], **csp_header()},
        ),
    )
    visit("server error", "/broken/", status=500)

    # Signed out: the first-run page (only the demo teacher exists) and signing in.
    cookies = page.context.cookies()
    page.context.clear_cookies()
    visit("first run", "/welcome/")

    def wrong_password() -> None:
        page.get_by_label("Username").fill("demo")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("alert").first.wait_for()

    visit("sign in", "/login/")
    visit("sign in refused", "/login/", then=wrong_password)
    page.context.add_cookies(cookies)

    if a11y.violations:
        pytest.fail(summarise(a11y.violations), pytrace=False)


def csp_header() -> dict[str, str]:
    return {"Content-Security-Policy": CONTENT_SECURITY_POLICY}


def serve(html: str) -> Callable[[Any], None]:
    return lambda route: route.fulfill(body=html, content_type="text/html")


PAGE = (
    '<!doctype html><html lang="en"><head><title>{title}</title></head>'
    "<body><main>{body}</main></body></html>"
)


def test_it_fails_a_test_on_a_violation_naming_the_page_rule_and_element(page, live_server, a11y):
    """The check itself: a page left unchecked is opened again, and its violations fail the
    test with what a person needs to fix them; a page reached by POST is named as missed."""
    pages = {
        "/broken/": PAGE.format(
            title="Broken",
            body='<h1>Broken</h1><img src="/static/conferbook/favicon.svg" class="clue">'
            '<li>A loose item</li><form method="post" action="/posted/"><button>Send</button>'
            "</form>",
        ),
        "/posted/": PAGE.format(title="Posted", body='<h1>Posted</h1><a href="/fine/">On</a>'),
        "/fine/": PAGE.format(title="Fine", body="<h1>Fine</h1>"),
    }
    for path, html in pages.items():
        page.context.route(live_server.url + path, serve(html))
    page.goto(live_server.url + "/broken/")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("link", name="On").click()
    page.get_by_role("heading", name="Fine").wait_for()

    with pytest.raises(AssertionError) as failure:
        a11y.finish(page.context)
    summary = str(failure.value)
    assert "/broken/ (opened again at the end of the test):" in summary
    assert "image-alt [critical] Images must have alternative text" in summary
    assert "1 element(s): img\n" in summary
    assert 'first: <img src="/static/conferbook/favicon.svg" class="clue">' in summary
    assert "listitem [serious]" in summary
    assert "/posted/ (reached by POST)" in summary
    assert "/fine/" not in summary
    a11y.violations.clear()  # what this test provoked is not a failure of the test
    a11y.landed.clear()
