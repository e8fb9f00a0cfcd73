"""Everyone's Account page: their own name and e-mail, and their own password."""

from __future__ import annotations

import pytest
from django.test import Client

from conferbook.audit.models import Event
from tests.factories import PASSWORD
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long walk by the river"


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(username=username, password=password)
    return client


def test_it_changes_your_own_name_and_email(rivera, rivera_client):
    response = rivera_client.post(
        "/account/",
        {"first_name": "Ana María", "last_name": "Rivera", "email": "ana@example.org"},
        follow=True,
    )
    assert shown_messages(response) == ["Your name is saved."]
    rivera.refresh_from_db()
    assert (rivera.first_name, rivera.email) == ("Ana María", "ana@example.org")
    assert Event.objects.filter(actor_id=rivera.pk, detail="changed own name").exists()


def test_it_refuses_a_bad_email_and_keeps_the_typing(rivera, rivera_client):
    response = rivera_client.post(
        "/account/", {"first_name": "Kept", "last_name": "", "email": "not an address"}
    )
    assert response.status_code == 200
    assert 'value="Kept"' in response.content.decode()
    rivera.refresh_from_db()
    assert rivera.first_name == "Ana"


def test_it_changes_your_password_keeps_you_signed_in_and_signs_you_out_elsewhere(rivera):
    here, tablet = signed_in("rivera"), signed_in("rivera")
    response = here.post(
        "/account/password/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert "Your password is changed." in shown_messages(response)[0]
    assert here.get("/").status_code == 200
    assert tablet.get("/")["Location"].startswith("/login/")
    assert Client().login(username="rivera", password=NEW_PASSWORD)
    event = Event.objects.get(detail="changed own password")
    assert event.actor_id == rivera.pk
    assert NEW_PASSWORD not in event.detail and PASSWORD not in event.detail


def test_it_asks_for_the_current_password(rivera):
    here = signed_in("rivera")
    response = here.post(
        "/account/password/", {"current_password": "wrong guess", "new_password": NEW_PASSWORD}
    )
    assert "That is not your current password." in response.content.decode()
    rivera.refresh_from_db()
    assert rivera.check_password(PASSWORD)


def test_it_applies_the_password_rules(rivera):
    here = signed_in("rivera")
    response = here.post(
        "/account/password/", {"current_password": PASSWORD, "new_password": "short"}
    )
    assert "This password is too short" in response.content.decode()
    rivera.refresh_from_db()
    assert rivera.check_password(PASSWORD)


def test_it_shows_the_account_page_to_everyone(rivera_client, okafor_client):
    for client in (rivera_client, okafor_client):
        assert client.get("/account/").status_code == 200
        assert client.get("/account/password/").status_code == 200
