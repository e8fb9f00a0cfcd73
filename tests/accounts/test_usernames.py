"""Usernames are typed on tablets that capitalise the first letter: any case signs in, and
a wrong password is checked, counted and reported once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.test import Client

from conferbook.accounts.models import FailedLogin, User
from tests.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Too many wrong passwords"
WRONG_MESSAGE = "Wrong username or password"
SCHOOL_ADDRESS = "203.0.113.10"
HOME_ADDRESS = "198.51.100.7"


@pytest.fixture
def ms_rivera(db) -> User:
    return TeacherFactory(username="ms.rivera", first_name="Ana", last_name="Rivera")


def sign_in(client: Client, username: str, password: str, address: str = SCHOOL_ADDRESS):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_as(client: Client) -> User | None:
    response = client.get("/")
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


@pytest.fixture
def password_checks(monkeypatch) -> list[str]:
    """The usernames the password backend was asked to check, one entry per check."""
    checks: list[str] = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checks.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return checks


@pytest.mark.parametrize("typed", ["Ms.Rivera", "MS.RIVERA", "ms.rivera", " Ms.rivera "])
def test_it_signs_in_whatever_the_case_of_the_username(ms_rivera, typed):
    client = Client()
    response = sign_in(client, typed, PASSWORD)
    assert response.status_code == 302
    assert signed_in_as(client) == ms_rivera


def test_it_does_not_sign_in_an_unknown_username_in_any_case(ms_rivera):
    client = Client()
    response = sign_in(client, "Mr.Rivera", PASSWORD)
    assert response.status_code == 200
    assert WRONG_MESSAGE in response.content.decode()
    assert signed_in_as(client) is None


def test_it_counts_failures_typed_in_any_case_together(ms_rivera):
    for typed in ["MS.RIVERA", "ms.rivera", "Ms.Rivera", "MS.RIVERA", "ms.Rivera"]:
        assert WRONG_MESSAGE in sign_in(Client(), typed, "not my password").content.decode()
    assert FailedLogin.objects.count() == settings.LOGIN_FAILURE_LIMIT

    for typed in ["ms.rivera", "Ms.Rivera"]:
        client = Client()
        response = sign_in(client, typed, PASSWORD)
        assert response.status_code == 200
        assert LOCKED_MESSAGE in response.content.decode()
        assert signed_in_as(client) is None

    # Only on that address.
    client = Client()
    assert sign_in(client, "Ms.Rivera", PASSWORD, address=HOME_ADDRESS).status_code == 302
    assert signed_in_as(client) == ms_rivera


def test_it_clears_failures_in_any_case_once_the_right_password_is_given(ms_rivera):
    for typed in ["MS.RIVERA", "ms.rivera", "Ms.Rivera", "ms.RIVERA"]:
        sign_in(Client(), typed, "not my password")

    client = Client()
    assert sign_in(client, "Ms.Rivera", PASSWORD).status_code == 302
    assert signed_in_as(client) == ms_rivera
    assert not FailedLogin.objects.exists()


def test_it_checks_a_wrong_password_once_and_reports_it_once(ms_rivera, password_checks):
    response = sign_in(Client(), "ms.rivera", "not my password")

    assert response.status_code == 200
    assert response.content.decode().count(WRONG_MESSAGE) == 1
    assert FailedLogin.objects.count() == 1
    assert password_checks == ["ms.rivera"]


def test_it_checks_the_right_password_once(ms_rivera, password_checks):
    assert sign_in(Client(), "Ms.Rivera", PASSWORD).status_code == 302
    assert password_checks == ["ms.rivera"]


def test_it_does_not_check_the_password_of_a_locked_username(ms_rivera, password_checks):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(Client(), "ms.rivera", "not my password")
    password_checks.clear()

    response = sign_in(Client(), "Ms.Rivera", PASSWORD)

    assert LOCKED_MESSAGE in response.content.decode()
    assert WRONG_MESSAGE not in response.content.decode()
    assert password_checks == []
    assert FailedLogin.objects.count() == settings.LOGIN_FAILURE_LIMIT


def username_input(page: str) -> str:
    match = re.search(r'<input[^>]*name="username"[^>]*>', page)
    assert match, "no username box on the page"
    return match.group(0)


def test_it_keeps_the_tablet_from_capitalising_the_first_run_username():
    response = Client().get("/welcome/")
    assert response.status_code == 200
    box = username_input(response.content.decode())
    assert 'autocapitalize="none"' in box
    assert 'autocomplete="username"' in box


def test_it_keeps_the_tablet_from_capitalising_the_sign_in_username(ms_rivera):
    box = username_input(Client().get("/login/").content.decode())
    assert 'autocapitalize="none"' in box


def test_it_refuses_a_first_run_username_differing_only_in_case(ms_rivera):
    User.objects.filter(pk=ms_rivera.pk).update(is_demo=True)  # the first-run page stays open
    response = Client().post(
        "/welcome/",
        {
            "first_name": "Ana",
            "last_name": "Rivera",
            "username": "Ms.Rivera",
            "password": "a perfectly good passphrase",
        },
    )
    assert response.status_code == 200
    assert "That username is taken." in response.content.decode()
    assert User.objects.filter(username__iexact="ms.rivera").count() == 1


def test_it_signs_in_the_teacher_created_on_the_first_run_page_in_another_case():
    created = Client().post(
        "/welcome/",
        {
            "first_name": "Ana",
            "last_name": "Rivera",
            "username": "ms.rivera",
            "password": "a perfectly good passphrase",
        },
    )
    assert created.status_code == 302

    client = Client()
    assert sign_in(client, "Ms.Rivera", "a perfectly good passphrase").status_code == 302
    assert signed_in_as(client) == User.objects.get(username="ms.rivera")
