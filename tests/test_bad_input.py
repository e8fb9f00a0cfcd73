"""No input breaks a page: each input below once answered a server error.

Each now gets a plain message or the answer for "not found", keeps what the teacher typed
where there is a form, and changes nothing it should not. Some only ever broke on one
database (NUL on PostgreSQL, ids beyond 64 bits on SQLite); every test runs on both.
tests/test_fuzz.py looks for more of the kind with random input on every URL.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from conferbook.accounts.models import FailedLogin
from conferbook.calendar.models import SchoolDay
from conferbook.conferences.models import Conference
from conferbook.conferences.services import start_conference, start_group_conference
from conferbook.goals.models import WritingSample
from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Student
from conferbook.scheduling.models import GroupAppointment
from conferbook.web.middleware import CleanInputMiddleware
from tests.factories import PASSWORD, StudentFactory, library_goal
from tests.helpers import shown_messages
from tests.walk import ID_ROUTES, missing_url_for

pytestmark = pytest.mark.django_db

OUTSIDE_YEARS = "Choose a date between the years 2000 and 2100."
HUGE_IDS = [2**63, 10**30]  # one past the largest id a row can have, and far beyond


def this_monday() -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/login/", {"username": username, "password": password, **extra})


# Dates far in the past or future


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("time_zone", ["America/New_York", "Asia/Tokyo"])
def test_it_shows_this_week_with_a_message_for_a_week_out_of_reach(
    rivera_client, room12, settings, start, time_zone
):
    settings.TIME_ZONE = time_zone
    response = rivera_client.get(f"/classes/{room12.pk}/week/", {"start": start})
    assert response.status_code == 200
    assert shown_messages(response) == [f"{OUTSIDE_YEARS} Here is this week."]
    assert response.context["monday"] == this_monday()


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
@pytest.mark.parametrize("time_zone", ["America/New_York", "Asia/Tokyo"])
def test_it_shows_this_month_with_a_message_for_a_month_out_of_reach(
    rivera_client, room12, settings, month, time_zone
):
    settings.TIME_ZONE = time_zone
    response = rivera_client.get(f"/classes/{room12.pk}/month/", {"month": month})
    assert response.status_code == 200
    assert shown_messages(response) == [f"{OUTSIDE_YEARS} Here is this month."]
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_it_says_so_when_the_week_asked_for_is_not_a_date(rivera_client, room12):
    response = rivera_client.get(f"/classes/{room12.pk}/week/", {"start": "next tuesday"})
    assert response.status_code == 200
    assert shown_messages(response) == ["That is not a date. Here is this week."]


def test_it_still_shows_any_week_and_month_within_the_years(rivera_client, room12):
    week = rivera_client.get(f"/classes/{room12.pk}/week/", {"start": "2100-12-31"})
    month = rivera_client.get(f"/classes/{room12.pk}/month/", {"month": "2000-01"})
    assert week.context["monday"] == date(2100, 12, 27)
    assert month.context["first"] == date(2000, 1, 1)
    assert shown_messages(week) == shown_messages(month) == []


def test_it_refuses_a_closed_day_out_of_reach_and_keeps_what_was_typed(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/",
        {"day": "9999-12-31", "closed": "on", "note": "Snow day"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert OUTSIDE_YEARS in page
    assert 'value="9999-12-31"' in page and "Snow day" in page
    assert not SchoolDay.objects.filter(classroom=room12).exists()


def test_it_imports_a_school_calendar_with_an_event_at_the_end_of_time(rivera_client, room12):
    tomorrow = timezone.localdate() + timedelta(days=1)
    calendar = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:99991231\r\nSUMMARY:Forever\r\nEND:VEVENT\r\n"
        f"BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:{tomorrow:%Y%m%d}\r\nSUMMARY:Holiday\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    response = rivera_client.post(
        f"/classes/{room12.pk}/school-days/import/",
        {"file": SimpleUploadedFile("school.ics", calendar.encode())},
        follow=True,
    )
    assert response.status_code == 200
    assert list(SchoolDay.objects.filter(classroom=room12).values_list("day", "note")) == [
        (tomorrow, "Holiday")
    ]


def test_it_refuses_a_writing_sample_dated_out_of_reach(rivera_client, zoe):
    response = rivera_client.post(
        f"/students/{zoe.pk}/samples/new/",
        {"title": "Biscuit", "kind": "notebook", "written_on": "9999-12-31", "text": "Woof"},
    )
    assert response.status_code == 200
    assert OUTSIDE_YEARS in response.content.decode()
    assert not WritingSample.objects.filter(student=zoe).exists()


def test_it_refuses_to_book_a_small_group_out_of_reach(rivera_client, room12, zoe):
    group = SmallGroup.objects.create(classroom=room12, name="Leads", goal=library_goal(0))
    group.members.set([zoe, StudentFactory(classroom=room12)])
    response = rivera_client.post(
        f"/groups/{group.pk}/book/", {"at": "9999-12-31T23:59"}, follow=True
    )
    assert response.status_code == 200
    assert OUTSIDE_YEARS in shown_messages(response)
    assert not GroupAppointment.objects.exists()


# NUL characters (PostgreSQL cannot store them)


@pytest.fixture
def conference(rivera, room12, zoe) -> Conference:
    return start_conference(teacher=rivera, student=zoe, classroom=room12)


def autosave(client: Client, url: str, field: str, value: str, previous: str):
    return client.post(url, {"field": field, "value": value, "previous": previous})


def test_it_saves_an_autosave_with_a_nul_without_it(rivera_client, conference):
    url = f"/conferences/{conference.pk}/save/"
    first = autosave(rivera_client, url, "discussed", "Biscuit\x00 barks", "")
    # The browser knows its own text (NUL and all) as saved, and sends it as `previous`.
    second = autosave(
        rivera_client, url, "discussed", "Biscuit\x00 barks loud", "Biscuit\x00 barks"
    )
    assert (first.status_code, second.status_code) == (200, 200)
    assert json.loads(second.content)["saved"] is True
    conference.refresh_from_db()
    assert conference.discussed == "Biscuit barks loud"


def test_it_saves_a_group_autosave_with_a_nul_without_it(rivera_client, room12, zoe, rivera):
    group = SmallGroup.objects.create(classroom=room12, name="Leads", goal=library_goal(0))
    group.members.set([zoe, StudentFactory(classroom=room12)])
    meeting = start_group_conference(teacher=rivera, group=group)
    response = autosave(
        rivera_client, f"/group-conferences/{meeting.pk}/save/", "task", "Two\x00 leads", ""
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.task == "Two leads"


def test_it_drops_nul_from_names_and_values_of_the_query_and_the_form():
    seen = {}

    def view(request):
        seen.update(get=request.GET.lists(), post=request.POST.lists())
        return HttpResponse()

    request = RequestFactory().post("/?a\x00b=c\x00d&e=f", {"g\x00": ["h\x00", "i"], "g": "j"})
    CleanInputMiddleware(view)(request)
    assert list(seen["get"]) == [("ab", ["cd"]), ("e", ["f"])]
    assert list(seen["post"]) == [("g", ["h", "i", "j"])]


def test_it_leaves_a_broken_off_upload_to_the_csrf_check():
    request = RequestFactory().post("/", {"note": "x"})
    request._stream.read = lambda *args: (_ for _ in ()).throw(OSError("connection reset"))
    response = CleanInputMiddleware(lambda request: HttpResponse("reached"))(request)
    assert response.content == b"reached"


def test_it_keeps_a_typed_name_without_its_nul(rivera_client, room12):
    response = rivera_client.post(
        f"/classes/{room12.pk}/students/new/",
        {"first_name": "Zo\x00ë", "last_name": "Nguyễn\x00", "grade": "4"},
    )
    assert response.status_code == 302
    assert Student.objects.filter(first_name="Zoë", last_name="Nguyễn").exists()


def test_it_answers_a_feed_address_with_a_nul_as_not_found():
    assert Client().get("/calendar/%00.ics").status_code == 404


def test_it_counts_a_sign_in_with_a_nul_in_the_username_against_that_username(rivera):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(Client(), "rive\x00ra", "not my password")
        assert response.status_code == 200
        assert "Wrong username or password" in response.content.decode()
    assert FailedLogin.objects.filter(username="rivera").count() == settings.LOGIN_FAILURE_LIMIT
    locked = sign_in(Client(), "rivera")
    assert "Too many wrong passwords" in locked.content.decode()


# Ids too large for the database


@pytest.mark.parametrize("route", [r for r in ID_ROUTES if "int" in r.kwargs.values()], ids=str)
def test_it_answers_a_huge_id_in_the_address_like_a_missing_one(rivera_client, route):
    missing = missing_url_for(route)
    url = reverse(route.name, kwargs=dict.fromkeys(route.kwargs, HUGE_IDS[0]))
    for method in ("get", "post"):
        expected = getattr(rivera_client, method)(missing).status_code
        assert expected in (404, 405), f"{method} {missing}"
        assert getattr(rivera_client, method)(url).status_code == expected, f"{method} {url}"


@pytest.fixture
def group(room12, zoe) -> SmallGroup:
    group = SmallGroup.objects.create(classroom=room12, name="Leads", goal=library_goal(0))
    group.members.set([zoe, StudentFactory(classroom=room12)])
    return group


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_it_answers_huge_ids_in_the_query_string_as_ids_of_nothing(
    rivera_client, room12, zoe, group, huge
):
    pages = {
        f"/students/{zoe.pk}/?class={huge}": 200,
        f"/students/{zoe.pk}/print/?class={huge}": 200,
        f"/classes/{room12.pk}/groups/new/?goal={huge}": 200,
        f"/groups/{group.pk}/edit/?goal={huge}": 200,
        f"/classes/{room12.pk}/students/{zoe.pk}/change-goal/?from={huge}&to={huge}": 200,
        f"/classes/{room12.pk}/print/checklists.pdf?checklist=by_category&categories={huge}": 400,
        f"/students/{zoe.pk}/self-assessment/?checklist={huge}": 404,
    }
    for url, expected in pages.items():
        assert rivera_client.get(url).status_code == expected, url


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_it_answers_huge_ids_in_a_form_as_ids_of_nothing(
    rivera_client, room12, zoe, group, conference, huge
):
    partner = StudentFactory(classroom=room12)
    posts = [
        (f"/classes/{room12.pk}/today/absent/", {"student": huge}, 404),
        (f"/classes/{room12.pk}/partnerships/new/", {"students": [zoe.pk, huge]}, 302),
        (
            f"/classes/{room12.pk}/partnerships/accept/",
            {"mode": "same_goal", "pair": f"{zoe.pk},{huge}"},
            302,
        ),
        (
            f"/classes/{room12.pk}/groups/accept/",
            {"suggestion": f"{huge}:{zoe.pk},{partner.pk}:1/1"},
            302,
        ),
        (f"/classes/{room12.pk}/groups/new/", {"name": "G", "members": [zoe.pk, huge]}, 400),
        (f"/groups/{group.pk}/edit/", {"name": "G", "goal": huge, "members": [zoe.pk]}, 400),
        (f"/conferences/{conference.pk}/choose/", {"name": "strategy", "strategy": huge}, 404),
        (f"/conferences/{conference.pk}/sticker/", {"sticker_goal": huge}, 404),
        ("/conferences/start/", {"student": huge, "classroom": room12.pk}, 404),
        (f"/students/{zoe.pk}/move/", {"from_classroom": huge, "to_classroom": huge}, 404),
        # No id a class can have: the answer for a class not saved yet.
        ("/classes/block-answer/", {"classroom": huge}, 200),
    ]
    for url, body, expected in posts:
        assert rivera_client.post(url, body).status_code == expected, (url, body)
    assert SmallGroup.objects.filter(classroom=room12).count() == 1


# A `next` that is a plain word


@pytest.mark.parametrize("word", ["dashboard", "0", "roster:home", "accounts:logout"])
def test_it_goes_home_after_signing_in_when_next_is_a_plain_word(rivera, word):
    response = sign_in(Client(), "rivera", next=word)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_goes_home_when_a_signed_in_teacher_opens_sign_in_with_a_plain_word(rivera_client):
    response = rivera_client.get("/login/", {"next": "dashboard"})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("word", ["dashboard", "/classes/1/\r\nSet-Cookie: x=1"])
def test_it_goes_home_after_choosing_the_paper_when_next_is_not_a_path(rivera_client, word):
    response = rivera_client.post("/print/paper/", {"paper": "a4", "next": word})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_still_goes_back_to_the_page_the_paper_was_chosen_on(rivera_client, room12):
    page = f"/classes/{room12.pk}/print/"
    response = rivera_client.post("/print/paper/", {"paper": "a4", "next": page})
    assert response["Location"] == page


# A username of 60,000 characters


def test_it_refuses_a_60000_character_username_with_a_message_and_counts_it(rivera):
    typed = "x" * 60_000
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(Client(), typed)
        assert response.status_code == 200
        page = response.content.decode()
        assert "A username is at most 150 characters" in page
        assert f'value="{typed}"' in page  # what was typed stays in the box
    assert FailedLogin.objects.count() == settings.LOGIN_FAILURE_LIMIT
    locked = sign_in(Client(), typed)
    assert locked.status_code == 200
    assert "Too many wrong passwords" in locked.content.decode()
    assert sign_in(Client(), "rivera").status_code == 302  # her own username is not locked
