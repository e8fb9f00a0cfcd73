"""Behind an HTTPS proxy (CONFERBOOK_SECURE=1, CONFERBOOK_TRUSTED_PROXIES): pages are served,
HSTS is sent, and only the trusted proxy may say that the client used HTTPS."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.running import running

PROXY = "127.0.0.1"
HSTS = "Strict-Transport-Security"


@pytest.fixture
def secure(settings):
    """The settings CONFERBOOK_SECURE=1 gives, with the proxy at 127.0.0.1 trusted."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.TRUSTED_PROXIES = [PROXY]
    return settings


@pytest.mark.django_db
def test_it_serves_a_request_the_trusted_proxy_received_over_https(secure, rivera):
    response = Client().get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response[HSTS].startswith("max-age=31536000")
    assert response.wsgi_request.is_secure()


@pytest.mark.django_db
def test_it_sends_a_plain_http_request_through_the_proxy_to_https(secure, rivera):
    response = Client().get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


@pytest.mark.parametrize("trusted", [[], ["10.0.0.1"]], ids=["no proxy set", "another proxy"])
@pytest.mark.django_db
def test_it_does_not_believe_a_forwarded_scheme_from_anyone_else(secure, rivera, trusted):
    secure.TRUSTED_PROXIES = trusted
    response = Client().get("/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert HSTS not in response


@pytest.mark.xdist_group("servers")
def test_it_serves_pages_and_forms_behind_an_https_proxy(tmp_path):
    """The real server with CONFERBOOK_SECURE=1: before, every request went to https forever."""
    env = {"CONFERBOOK_SECURE": "1", "CONFERBOOK_TRUSTED_PROXIES": PROXY}
    with running(tmp_path / "home", **env) as server:
        proxy = server.browser()
        origin = f"https://127.0.0.1:{server.port}"
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.10"}

        plain = proxy.get("/welcome/")
        assert plain.status == 301
        assert plain.headers["Location"] == f"{origin}/welcome/"

        page = proxy.get("/welcome/", headers=forwarded)
        assert page.status == 200, page.headers
        assert "create your teacher account" in page.text.lower()
        assert page.headers[HSTS] == "max-age=31536000; includeSubDomains; preload"
        assert "Secure" in page.headers["Set-Cookie"]
        # A form posted from the https page (the browser sends its Origin) is accepted.
        created = proxy.post(
            "/welcome/",
            {
                "first_name": "Ana",
                "last_name": "Rivera",
                "username": "rivera",
                "password": "a long passphrase",
            },
            headers={**forwarded, "Origin": origin},
        )
        assert created.status == 302 and created.headers["Location"] == "/"
        home = proxy.get("/", headers=forwarded)
        assert home.status == 200
