"""Helpers for the People tests: an administrator, and the link a page hands over."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.test import Client

from conferbook.accounts.models import User

LINK = re.compile(r'value="(https?://[^"]*/sign-in/([^"/]+)/)"')


def link_on(response: HttpResponse) -> tuple[str, str]:
    """The sign-in link shown on a page, and its path."""
    found = LINK.search(response.content.decode())
    assert found, "no sign-in link on the page"
    url = found[1]
    return url, url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
