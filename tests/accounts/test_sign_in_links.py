"""One-time sign-in links: shown once, stored as a hash, work once and for 7 days; a link
that does not work says so plainly and alike for unknown and used ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conferbook.accounts import services
from conferbook.accounts.models import SignInLink, User
from conferbook.accounts.selectors import hash_token
from tests.factories import PASSWORD
from tests.walk import page

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long walk by the river"
NOT_USABLE = "This link does not work"


@pytest.fixture
def person() -> User:
    user, _ = services.add_person(by=None, username="jlee", first_name="Jin")
    return user


def new_link(user: User, **kwargs) -> str:
    return services.issue_sign_in_link(user=user, by=None, purpose="reset", **kwargs)


def test_it_stores_only_a_hash_of_the_link(person):
    token = new_link(person)
    stored = SignInLink.objects.get(user=person)
    assert stored.token_hash == hash_token(token) != token
    assert len(token) >= 40  # 32 random bytes


def test_it_works_once(person):
    token = new_link(person)
    services.use_sign_in_link(token=token, password=NEW_PASSWORD)
    with pytest.raises(services.LinkNotUsable):
        services.use_sign_in_link(token=token, password="another long password")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_it_works_for_seven_days_and_not_after(person):
    issued = timezone.now()
    token = new_link(person, now=issued)
    late = issued + timedelta(days=7, seconds=1)
    with pytest.raises(services.LinkNotUsable):
        services.use_sign_in_link(token=token, password=NEW_PASSWORD, now=late)
    in_time = issued + timedelta(days=6, hours=23)
    services.use_sign_in_link(token=token, password=NEW_PASSWORD, now=in_time)


def test_it_shows_the_same_plain_page_for_an_unknown_a_used_and_an_expired_link(person):
    used = new_link(person)
    Client().post(f"/sign-in/{used}/", {"password": NEW_PASSWORD})
    other, _ = services.add_person(by=None, username="mcoach", first_name="Mia")
    expired = new_link(other, now=timezone.now() - timedelta(days=8))
    answers = [Client().get(f"/sign-in/{t}/") for t in (used, "not-a-link-at-all", expired)]
    assert all(a.status_code == 200 for a in answers)
    assert all(NOT_USABLE in a.content.decode() for a in answers)
    assert page(answers[0]) == page(answers[1]) == page(answers[2])
    assert "jlee" not in answers[0].content.decode()
    # Posting a password to it changes nothing.
    Client().post(f"/sign-in/{used}/", {"password": "yet another password"})
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_it_applies_the_password_rules_and_keeps_the_link_working(person):
    token = new_link(person)
    client = Client()
    for refused in ["short1", "password123"]:
        response = client.post(f"/sign-in/{token}/", {"password": refused})
        assert response.status_code == 200
        assert "This password is too" in response.content.decode()
    assert client.post(f"/sign-in/{token}/", {"password": "x" * 64}).status_code == 302
    person.refresh_from_db()
    assert person.check_password("x" * 64)


def test_it_signs_the_person_in_and_the_link_is_spent(person):
    token = new_link(person)
    client = Client()
    response = client.post(f"/sign-in/{token}/", {"password": NEW_PASSWORD}, follow=True)
    assert response.wsgi_request.user == person
    assert NOT_USABLE in Client().get(f"/sign-in/{token}/").content.decode()


def test_it_stops_an_earlier_link_when_a_new_one_is_made(person):
    first = new_link(person)
    second = new_link(person)
    with pytest.raises(services.LinkNotUsable):
        services.use_sign_in_link(token=first, password=NEW_PASSWORD)
    services.use_sign_in_link(token=second, password=NEW_PASSWORD)


def test_it_stops_a_deactivated_persons_link(person, rivera):
    services.set_administrator(by=None, user=rivera, administrator=True)
    token = new_link(person)
    services.deactivate_account(by=rivera, user=person)
    assert NOT_USABLE in Client().get(f"/sign-in/{token}/").content.decode()


def test_it_signs_out_a_person_whose_password_a_link_resets(rivera):
    elsewhere = Client()
    assert elsewhere.login(username="rivera", password=PASSWORD)
    token = new_link(rivera)
    Client().post(f"/sign-in/{token}/", {"password": NEW_PASSWORD})
    assert elsewhere.get("/")["Location"].startswith("/login/")
