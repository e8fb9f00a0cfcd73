"""Sign-in links by e-mail, through a real SMTP server on this machine (aiosmtpd)."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from conferbook.accounts.models import User
from tests.accounts.people import client_for, link_on
from tests.helpers import make_administrator

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long walk by the river"


@dataclass
class Inbox:
    """What the SMTP server received; `refuse` makes it turn every message away."""

    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "554 Transaction failed"
        self.messages.append(email.message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "conferbook@school.example"
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def admin_client(rivera) -> Client:
    return client_for(make_administrator(rivera))


PERSON = {"first_name": "Jin", "last_name": "Lee", "username": "jlee", "role": "teacher"}


def test_it_emails_the_link_that_then_works(smtp, admin_client):
    response = admin_client.post("/people/add/", {**PERSON, "email": "jin@school.example"})
    assert "The link was e-mailed to jin@school.example." in response.content.decode()
    shown, _ = link_on(response)  # still shown to the administrator
    assert smtp.recipients == [["jin@school.example"]]
    body = smtp.messages[0].get_payload(decode=True).decode()
    assert smtp.messages[0]["From"] == "conferbook@school.example"
    emailed = re.search(r"http://testserver(/sign-in/[^/\s]+/)", body)
    assert emailed and shown.endswith(emailed[1])
    newcomer = Client()
    assert newcomer.post(emailed[1], {"password": NEW_PASSWORD}).status_code == 302
    assert newcomer.get("/").wsgi_request.user == User.objects.get(username="jlee")


def test_it_emails_a_new_link_to_the_persons_address(smtp, admin_client, okafor):
    okafor.email = "ben@school.example"
    okafor.save()
    page = admin_client.get(f"/people/{okafor.pk}/").content.decode()
    assert 'value="ben@school.example"' in page  # the address on file, to send or change
    admin_client.post(f"/people/{okafor.pk}/new-link/", {"email": "ben@school.example"})
    assert smtp.recipients == [["ben@school.example"]]


def test_it_says_plainly_when_the_server_refuses_and_still_shows_the_link(smtp, admin_client):
    smtp.refuse = True
    response = admin_client.post("/people/add/", {**PERSON, "email": "jin@school.example"})
    assert response.status_code == 200
    said = response.content.decode()
    assert "could not be sent" in said
    _, path = link_on(response)
    assert Client().post(path, {"password": NEW_PASSWORD}).status_code == 302


def test_it_says_plainly_when_no_server_answers(settings, admin_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    response = admin_client.post("/people/add/", {**PERSON, "email": "jin@school.example"})
    assert "could not be sent" in response.content.decode()
    link_on(response)


def test_it_does_not_offer_email_without_a_server(settings, admin_client, okafor):
    settings.EMAIL_HOST = ""
    assert 'name="email"' not in admin_client.get("/people/add/").content.decode()
    assert 'name="email"' not in admin_client.get(f"/people/{okafor.pk}/").content.decode()
    response = admin_client.post("/people/add/", {**PERSON, "email": "jin@school.example"})
    assert "e-mailed" not in response.content.decode()
    link_on(response)
