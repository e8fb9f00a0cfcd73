"""Signing in and out: lockout (S7), password rules (S8), sessions (S9), first run, `next`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conferbook.accounts.middleware import RENEWED_AT, SIGNED_IN_AT
from conferbook.accounts.models import FailedLogin, User
from tests.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Too many wrong passwords"
WRONG_MESSAGE = "Wrong username or password"
SCHOOL_ADDRESS = "203.0.113.10"
HOME_ADDRESS = "198.51.100.7"


def sign_in(client: Client, username: str, password: str, address: str = SCHOOL_ADDRESS, **extra):
    return client.post(
        "/login/", {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def signed_in_as(client: Client) -> User | None:
    """Who the client's session belongs to, asked of the server."""
    response = client.get("/")
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def fail_five_times(username: str = "rivera", address: str = SCHOOL_ADDRESS) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(Client(), username, "not my password", address)
        assert response.status_code == 200
        assert WRONG_MESSAGE in response.content.decode()


# S7: lockout by username and address, with a cool-off


def test_it_signs_in_with_the_right_password(rivera):
    client = Client()
    response = sign_in(client, "rivera", PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == rivera


def test_it_still_signs_in_after_one_wrong_password_fewer_than_the_limit(rivera):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(Client(), "rivera", "not my password")
    client = Client()
    assert sign_in(client, "rivera", PASSWORD).status_code == 302
    assert signed_in_as(client) == rivera


def test_it_locks_the_username_on_that_address_after_five_wrong_passwords(rivera):
    fail_five_times()
    client = Client()
    response = sign_in(client, "rivera", PASSWORD)
    assert response.status_code == 200
    assert LOCKED_MESSAGE in response.content.decode()
    assert signed_in_as(client) is None


def test_it_lets_another_teacher_on_the_same_address_sign_in(rivera, okafor):
    fail_five_times()
    client = Client()
    assert sign_in(client, "okafor", PASSWORD).status_code == 302
    assert signed_in_as(client) == okafor


def test_it_lets_the_locked_teacher_sign_in_from_another_address(rivera):
    fail_five_times()
    client = Client()
    assert sign_in(client, "rivera", PASSWORD, address=HOME_ADDRESS).status_code == 302
    assert signed_in_as(client) == rivera


def test_it_counts_the_username_whatever_its_case(rivera):
    fail_five_times(username="RIVERA")
    response = sign_in(Client(), "rivera", PASSWORD)
    assert LOCKED_MESSAGE in response.content.decode()


def test_it_lets_the_teacher_in_again_after_the_cool_off(rivera):
    fail_five_times()
    almost = timezone.now() - timedelta(seconds=settings.LOGIN_COOL_OFF_SECONDS - 60)
    FailedLogin.objects.update(attempted_at=almost)
    assert LOCKED_MESSAGE in sign_in(Client(), "rivera", PASSWORD).content.decode()

    over = timezone.now() - timedelta(seconds=settings.LOGIN_COOL_OFF_SECONDS + 1)
    FailedLogin.objects.update(attempted_at=over)
    client = Client()
    assert sign_in(client, "rivera", PASSWORD).status_code == 302
    assert signed_in_as(client) == rivera


# S8: password rules on the first-run page


def create_first_teacher(password: str, client: Client | None = None):
    return (client or Client()).post(
        "/welcome/",
        {"first_name": "Ana", "last_name": "Rivera", "username": "ms.rivera", "password": password},
    )


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("tulip7x", "too short"),
        ("password123", "too common"),
    ],
)
def test_it_refuses_a_weak_password_with_a_message(password, reason):
    response = create_first_teacher(password)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    [
        "lanternfjord",  # lower-case letters only: no composition rules
        "plumfork",  # exactly the minimum length
    ],
)
def test_it_accepts_a_long_or_plain_password(password):
    client = Client()
    response = create_first_teacher(password, client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    teacher = User.objects.get(username="ms.rivera")
    assert teacher.check_password(password)
    assert signed_in_as(client) == teacher


def test_it_accepts_a_64_character_passphrase():
    passphrase = "the otter packs sixty-four very small lunches before dawn in may"
    assert len(passphrase) == 64
    client = Client()
    assert create_first_teacher(passphrase, client).status_code == 302
    assert User.objects.get(username="ms.rivera").check_password(passphrase)
    assert signed_in_as(client) is not None


# S9: sessions


def test_it_gives_a_new_session_key_at_sign_in(rivera):
    client = Client()
    before = client.session
    before["theme"] = "plain"
    before.save()
    old_key = before.session_key
    sign_in(client, "rivera", PASSWORD)
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not SessionStore().exists(old_key)
    assert SessionStore().exists(new_key)


def test_it_deletes_the_session_on_the_server_at_sign_out(rivera):
    client = Client()
    sign_in(client, "rivera", PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in_as(client) == rivera

    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not SessionStore().exists(key)
    # The old cookie, replayed, opens nothing.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert signed_in_as(replay) is None


def test_it_sets_the_session_cookie_http_only_and_same_site_lax(rivera):
    response = sign_in(Client(), "rivera", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_it_makes_the_cookies_secure_when_served_over_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CONFERBOOK_HOME=str(tmp_path), CONFERBOOK_SECURE="1")
    code = (
        "import json, conferbook.settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [True, True]


def age_session(client: Client, seconds: float) -> None:
    session = client.session
    session[SIGNED_IN_AT] = time.time() - seconds
    session.save()


def test_it_signs_out_a_session_older_than_the_absolute_lifetime(rivera, rivera_client):
    assert signed_in_as(rivera_client) == rivera
    age_session(rivera_client, settings.SESSION_ABSOLUTE_SECONDS + 60)
    response = rivera_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"
    assert signed_in_as(rivera_client) is None


def test_it_keeps_a_busy_session_within_the_absolute_lifetime(rivera, rivera_client):
    assert signed_in_as(rivera_client) == rivera
    age_session(rivera_client, settings.SESSION_ABSOLUTE_SECONDS - 3600)
    assert signed_in_as(rivera_client) == rivera


def test_it_signs_out_a_session_left_idle_too_long(rivera, rivera_client):
    assert signed_in_as(rivera_client) == rivera
    key = rivera_client.cookies[settings.SESSION_COOKIE_NAME].value
    expiry = Session.objects.get(session_key=key).expire_date
    # Each request renews the idle timeout.
    assert expiry > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    assert signed_in_as(rivera_client) is None


def expiry_of(client: Client):
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date


def test_a_page_view_writes_nothing_to_the_database(rivera, rivera_client, room12):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for url in ("/", f"/classes/{room12.pk}/", "/goals/"):
        with CaptureQueriesContext(connection) as queries:
            assert rivera_client.get(url).status_code == 200
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "SAVEPOINT"))
        ]
        assert not writes, f"GET {url} wrote: {writes}"


def test_it_renews_the_idle_timeout_every_few_minutes_not_on_every_view(rivera, rivera_client):
    rivera_client.get("/")
    renewed = expiry_of(rivera_client)
    rivera_client.get("/")
    assert expiry_of(rivera_client) == renewed  # a view a moment later saves nothing
    session = rivera_client.session
    session[RENEWED_AT] = time.time() - settings.SESSION_RENEW_SECONDS - 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(hours=1)
    )
    rivera_client.get("/")
    assert expiry_of(rivera_client) > timezone.now() + timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )
    assert settings.SESSION_RENEW_SECONDS <= 10 * 60


# First run


def test_it_sends_a_new_install_to_the_first_run_page():
    client = Client()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"
    response = client.get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"
    response = client.get("/welcome/")
    assert response.status_code == 200
    assert "create your teacher account" in response.content.decode()


def test_it_closes_the_first_run_page_once_a_teacher_exists(rivera):
    response = Client().get("/welcome/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    response = create_first_teacher("a perfectly good passphrase")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not User.objects.filter(username="ms.rivera").exists()


def test_it_still_offers_the_first_run_page_with_only_the_demo_teacher():
    TeacherFactory(username="demo", is_demo=True)
    assert Client().get("/welcome/").status_code == 200
    sign_in_page = Client().get("/login/")
    assert sign_in_page.status_code == 200
    assert 'href="/welcome/"' in sign_in_page.content.decode()


# A safe `next`


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "https:/evil.example", "javascript:x"]
)
def test_it_ignores_a_next_address_on_another_site(rivera, target):
    response = sign_in(Client(), "rivera", PASSWORD, next=target)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_ignores_a_next_address_on_another_site_in_the_query_string(rivera):
    response = Client().post(
        "/login/?next=https://evil.example/",
        {"username": "rivera", "password": PASSWORD},
        REMOTE_ADDR=SCHOOL_ADDRESS,
    )
    assert response["Location"] == "/"


def test_it_follows_a_next_address_on_this_site(rivera):
    response = sign_in(Client(), "rivera", PASSWORD, next="/goals/")
    assert response["Location"] == "/goals/"


@pytest.mark.django_db
def test_it_answers_a_signed_out_autosave_with_401_and_htmx_with_a_redirect(zoe, room12, rivera):
    from conferbook.conferences.services import start_conference

    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    client = Client()
    url = f"/conferences/{conference.pk}/save/"
    data = {"field": "task", "value": "x", "previous": ""}
    autosave = client.post(url, data, headers={"Accept": "application/json"})
    assert autosave.status_code == 401
    assert autosave.json() == {"error": "signed out"}
    htmx = client.post(f"/conferences/{conference.pk}/choose/", {}, headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx["HX-Redirect"] == "/login/"
    page = client.get(f"/conferences/{conference.pk}/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    conference.refresh_from_db()
    assert conference.task == ""
