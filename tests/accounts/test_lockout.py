"""S7 under pressure: parallel guesses, and the client's address behind a proxy."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conferbook.accounts.models import FailedLogin
from tests.accounts.test_sign_in import (
    HOME_ADDRESS,
    LOCKED_MESSAGE,
    SCHOOL_ADDRESS,
    WRONG_MESSAGE,
    signed_in_as,
)
from tests.factories import PASSWORD
from tests.running import running

GUESSES = 24
PROXY = "127.0.0.1"


def guess_in_parallel(post) -> list[str]:
    """Send GUESSES wrong passwords at once; the pages they got back."""
    start = threading.Barrier(GUESSES)
    pages: list[str] = []

    def guess() -> None:
        start.wait(timeout=30)
        pages.append(post())

    threads = [threading.Thread(target=guess) for _ in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(pages) == GUESSES
    return pages


def tally(pages: list[str]) -> tuple[int, int]:
    """(how many passwords were checked and found wrong, how many were refused unchecked)"""
    wrong = sum(WRONG_MESSAGE in page for page in pages)
    locked = sum(LOCKED_MESSAGE in page for page in pages)
    assert wrong + locked == len(pages)
    return wrong, locked


@pytest.mark.xdist_group("servers")
def test_it_checks_no_more_passwords_than_the_limit_when_guesses_come_in_parallel(tmp_path):
    with running(tmp_path / "home") as server:
        teacher = server.browser()
        first_run = teacher.post(
            "/welcome/",
            {
                "first_name": "Ana",
                "last_name": "Rivera",
                "username": "rivera",
                "password": PASSWORD,
            },
        )
        assert first_run.status == 302
        guesser = server.browser()
        guesser.get("/login/")  # one CSRF cookie, shared by every guess

        def post() -> str:
            form = {"username": "rivera", "password": "not my password"}
            return guesser.request("POST", "/login/", form=form, timeout=60).text

        pages = guess_in_parallel(post)
        assert tally(pages) == (
            settings.LOGIN_FAILURE_LIMIT,
            GUESSES - settings.LOGIN_FAILURE_LIMIT,
        )
        right = guesser.request(
            "POST", "/login/", form={"username": "rivera", "password": PASSWORD}
        )
        assert right.status == 200 and LOCKED_MESSAGE in right.text


@pytest.mark.django_db(transaction=True)
def test_it_checks_no_more_passwords_than_the_limit_in_parallel_on_postgresql(rivera):
    """The same race inside one process, where each thread has its own connection. SQLite's
    in-memory test database cannot take parallel writers: the server test above covers it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite is covered by the real-server test above")

    def post() -> str:
        try:
            response = Client().post(
                "/login/",
                {"username": "rivera", "password": "not my password"},
                REMOTE_ADDR=SCHOOL_ADDRESS,
            )
            return response.content.decode()
        finally:
            connection.close()

    pages = guess_in_parallel(post)
    assert tally(pages) == (settings.LOGIN_FAILURE_LIMIT, GUESSES - settings.LOGIN_FAILURE_LIMIT)


# Behind a proxy


def through_proxy(client: Client, username: str, password: str, forwarded_for: str, peer=PROXY):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_it_locks_the_address_a_trusted_proxy_forwards_not_the_proxy(rivera, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        through_proxy(Client(), "rivera", "not my password", SCHOOL_ADDRESS)
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {SCHOOL_ADDRESS}

    locked = through_proxy(Client(), "rivera", PASSWORD, SCHOOL_ADDRESS)
    assert LOCKED_MESSAGE in locked.content.decode()
    # The same teacher at home, through the same proxy, is another address.
    client = Client()
    assert through_proxy(client, "rivera", PASSWORD, HOME_ADDRESS).status_code == 302
    assert signed_in_as(client) == rivera


@pytest.mark.django_db
def test_it_takes_the_last_address_the_proxy_added_not_what_the_client_claimed(rivera, settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]  # two proxies in a row
    for claimed in ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"]:
        forwarded = f"{claimed}, {SCHOOL_ADDRESS}, 10.1.2.3"
        through_proxy(Client(), "rivera", "not my password", forwarded)
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {SCHOOL_ADDRESS}
    locked = through_proxy(Client(), "rivera", PASSWORD, f"192.0.2.9, {SCHOOL_ADDRESS}")
    assert LOCKED_MESSAGE in locked.content.decode()


@pytest.mark.parametrize("trusted", [[], [PROXY]], ids=["no proxy set", "another peer"])
@pytest.mark.django_db
def test_it_ignores_a_forwarded_address_from_a_peer_it_does_not_trust(rivera, settings, trusted):
    """A guesser naming a new address in every request is still one address."""
    settings.TRUSTED_PROXIES = trusted
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        through_proxy(Client(), "rivera", "not my password", f"192.0.2.{n}", peer=SCHOOL_ADDRESS)
    assert set(FailedLogin.objects.values_list("ip_address", flat=True)) == {SCHOOL_ADDRESS}
    locked = through_proxy(Client(), "rivera", PASSWORD, HOME_ADDRESS, peer=SCHOOL_ADDRESS)
    assert LOCKED_MESSAGE in locked.content.decode()
