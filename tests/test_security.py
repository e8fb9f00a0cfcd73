"""Security promises of TRUST.md: S5, S6, S11, S12, S16 (without a browser), S20 and R1.

The URL list comes from walking the URL configuration (see tests/walk.py), so a new
page is checked for sign-in, CSRF, headers and inline scripts the day it is added.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client
from django.utils import timezone

import conferbook.web
from conferbook.conferences.models import Conference
from conferbook.goals.models import Goal, MentorText, Strategy
from conferbook.roster.models import Student
from tests.factories import ConferenceFactory
from tests.helpers import make_administrator
from tests.walk import (
    ROUTES,
    assert_unchanged,
    page,
    plausible_body,
    request,
    snapshot,
    url_for,
)

# Reachable without signing in. Everything else must send the visitor to sign in.
PUBLIC = {"accounts:first_run", "accounts:login", "accounts:sign_in_link", "feeds:feed"}
LOGIN_PATH = "/login/"
STATIC_ASSET = "/static/conferbook/app.css"

GET_ROUTES = [r for r in ROUTES if r.allows("GET")]
# Files, not pages: nothing in them is run or fetched by a browser.
NOT_HTML = {
    "feeds:download",
    "feeds:feed",
    "audit:export",
    "goals:photo_image",
    "goals:photo_thumbnail",
    "goals:spot_image",
}
UNSAFE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def _html(response) -> str:
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    return response.content.decode()


# S5: every page but an explicit public list needs a session


def test_it_lists_only_public_urls_that_exist():
    assert {r.name for r in ROUTES} >= PUBLIC


def test_it_marks_exactly_the_public_list_as_not_needing_sign_in():
    """A view opted out of LoginRequiredMiddleware must be on the public list, and back."""
    opted_out = {r.name for r in ROUTES if getattr(r.callback, "login_required", True) is False}
    assert opted_out == PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.name not in PUBLIC], ids=str)
def test_it_sends_a_visitor_without_a_session_to_sign_in(route, okafor_world):
    url = url_for(route, okafor_world)
    before = snapshot()
    for method in ["GET", "HEAD", *UNSAFE_METHODS]:
        body = plausible_body(route, world=okafor_world, destination=okafor_world.other_classroom)
        response = request(Client(), method, url, body)
        assert response.status_code == 302, f"{method} {url} without a session"
        location = urlsplit(response["Location"])
        assert location.path == LOGIN_PATH, f"{method} {url} without a session"
        assert parse_qs(location.query) == {"next": [url]}
    assert_unchanged(before, snapshot())


@pytest.mark.django_db
def test_it_shows_the_public_pages_without_a_session(rivera):
    visitor = Client()
    assert visitor.get("/login/").status_code == 200
    # Once a teacher exists, the first-run page sends people to sign in instead.
    assert visitor.get("/welcome/")["Location"] == "/login/"
    assert visitor.get(STATIC_ASSET).status_code == 200


@pytest.mark.django_db
def test_it_shows_the_first_run_page_without_a_session_on_a_new_install():
    assert Client().get("/welcome/").status_code == 200


# S6: no unsafe request without a CSRF token; GET and HEAD change nothing


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.allows("POST")], ids=str)
def test_it_refuses_an_unsafe_request_without_a_csrf_token(route, okafor_world, okafor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(okafor)
    url = url_for(route, okafor_world)
    before = snapshot()
    for method in UNSAFE_METHODS:
        body = plausible_body(route, world=okafor_world, destination=okafor_world.other_classroom)
        response = request(client, method, url, body)
        assert response.status_code == 403, f"{method} {url} without a CSRF token"
    assert_unchanged(before, snapshot())


@pytest.mark.django_db
def test_it_accepts_the_same_post_with_the_csrf_token(okafor_world, okafor, room7):
    """Control: the 403s above come from the missing token, not from the body."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(okafor)
    url = f"/classes/{room7.pk}/settings/"
    client.get(url)
    route = next(r for r in ROUTES if r.name == "roster:classroom_edit")
    body = plausible_body(route, world=okafor_world, destination=okafor_world.other_classroom)
    response = client.post(url, body, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 302
    room7.refresh_from_db()
    assert room7.name == body["name"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_it_changes_nothing_on_get_or_head(route, okafor_world, okafor, okafor_client):
    if route.for_administrators:
        make_administrator(okafor)
    url = url_for(route, okafor_world)
    before = snapshot()
    for method in ["GET", "HEAD"]:
        response = request(okafor_client, method, url)
        assert response.status_code < 500, f"{method} {url}"
    assert_unchanged(before, snapshot())


@pytest.mark.django_db
def test_it_leaves_a_booked_conference_as_it_was_when_opened_with_get(
    okafor, okafor_client, room7, marcus
):
    """A link, a prefetch or a HEAD request must not start an appointment."""
    booked = ConferenceFactory(
        student=marcus,
        classroom=room7,
        teacher=okafor,
        status=Conference.Status.SCHEDULED,
        scheduled_for=timezone.now(),
        started_at=None,
        ended_at=None,
        duration_seconds=None,
        discussed="",
        task="",
    )
    before = snapshot()
    for method in ["HEAD", "GET"]:
        response = request(okafor_client, method, f"/conferences/{booked.pk}/")
        assert response.status_code == 200
    assert_unchanged(before, snapshot())


# S11: headers, and no inline script, on every page


def assert_security_headers(response, where: str) -> None:
    policy = {
        d.strip().split()[0]: d.strip().split()[1:]
        for d in response.get("Content-Security-Policy", "").split(";")
        if d.strip()
    }
    assert "'self'" in policy.get("default-src", []), f"{where}: {policy}"
    script_src = policy.get("script-src", policy.get("default-src", []))
    assert "'unsafe-inline'" not in script_src, where
    assert "'unsafe-eval'" not in script_src, where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert "no-store" in response.get("Cache-Control", ""), where


@pytest.mark.django_db
def test_it_sends_the_security_headers_on_pages_with_student_data(
    okafor_world, okafor_client, room7, marcus
):
    for url in [
        f"/classes/{room7.pk}/",
        f"/students/{marcus.pk}/",
        f"/conferences/{okafor_world.conference.pk}/",
    ]:
        response = okafor_client.get(url)
        assert response.status_code == 200, url
        assert "Marcus" in response.content.decode(), url
        assert_security_headers(response, url)


# Attributes that make the browser fetch or go somewhere.
URL_ATTRIBUTES = {
    "src",
    "href",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "hx-get",
    "hx-post",
    "hx-put",
    "hx-patch",
    "hx-delete",
}


class PageAudit(HTMLParser):
    """Collects inline scripts, inline event handlers and addresses from one page."""

    # <script type="application/json"> (json_script) is data the browser never runs.
    DATA_BLOCK_TYPES = ("application/json", "application/ld+json")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if (
            tag == "script"
            and not attributes.get("src")
            and attributes.get("type") not in self.DATA_BLOCK_TYPES
        ):
            self.problems.append(f"inline <script {attributes}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"inline event handler <{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value:
                for address in value.split(",") if name == "srcset" else [value]:
                    self._check_address(tag, name, address.strip().split(" ")[0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def _check_address(self, tag: str, name: str, address: str) -> None:
        parts = urlsplit(address.strip())
        if parts.scheme in ("", "http", "https") and parts.netloc in ("", "testserver"):
            return
        if parts.scheme in ("data", "mailto"):
            return
        self.problems.append(f"<{tag} {name}={address!r}>")


def assert_self_contained(body: str, where: str) -> None:
    """No inline script or event handler, and no address on another host (S16 in HTML)."""
    audit = PageAudit()
    audit.feed(body)
    audit.close()
    assert not audit.problems, f"{where}: {audit.problems}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", GET_ROUTES, ids=str)
def test_it_serves_every_page_self_contained_with_the_security_headers(
    route, okafor_world, okafor, okafor_client
):
    if route.for_administrators:
        make_administrator(okafor_world.teacher)
    url = url_for(route, okafor_world)
    response = okafor_client.get(url)
    assert response.status_code in (200, 302), url
    assert_security_headers(response, url)
    if response.status_code == 200 and route.name not in NOT_HTML and not route.is_pdf:
        assert_self_contained(_html(response), url)


@pytest.mark.django_db
def test_it_serves_the_sign_in_404_and_500_pages_self_contained(
    rivera, rivera_client, monkeypatch, room12
):
    sign_in = Client().get("/login/")
    not_found = rivera_client.get("/students/999999/")
    monkeypatch.setattr("conferbook.conferences.selectors.class_rows", _explode)
    rivera_client.raise_request_exception = False
    server_error = rivera_client.get(f"/classes/{room12.pk}/")
    for response, status in [(sign_in, 200), (not_found, 404), (server_error, 500)]:
        assert response.status_code == status
        assert_security_headers(response, str(status))
        assert_self_contained(_html(response), str(status))


@pytest.mark.django_db
def test_it_serves_the_first_run_page_self_contained():
    response = Client().get("/welcome/")
    assert response.status_code == 200
    assert_security_headers(response, "/welcome/")
    assert_self_contained(_html(response), "/welcome/")


@pytest.mark.parametrize("asset", ["app.css", "app.js"])
def test_it_fetches_nothing_from_other_hosts_in_its_own_static_files(asset):
    path = Path(conferbook.web.__file__).parent / "static" / "conferbook" / asset
    text = path.read_text()
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), asset


# S12: hostile text is always escaped

SCRIPT_NAME = "<script>alert(1)</script>"
IMG_NAME = '"><img src=x onerror=alert(1)>'
SPOOFED_NAME = "Zo\u200be\u202egnp.exe"
GOAL_NAME = "<b>bold</b>"
JS_TEXT = "javascript:alert(1)"
TEXTAREA_TEXT = "</textarea><script>alert(2)</script>"
HOSTILE_TEXT = f"{JS_TEXT} {TEXTAREA_TEXT}"

ESCAPED_SCRIPT_NAME = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG_NAME = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
ESCAPED_GOAL = "&lt;b&gt;bold&lt;/b&gt;"
ESCAPED_TEXTAREA_TEXT = "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;"

NEVER_RAW = [
    "<script>alert",
    "<img src=x",
    "</textarea><script>",
    GOAL_NAME,
    'href="javascript:',
    'src="javascript:',
    "onerror=alert(1)>",
]


@pytest.fixture
def hostile(rivera, rivera_client, room12):
    """A student, goal, strategy, mentor text, sample, strength and conferences, all hostile.

    Entered the way a teacher would, through the forms.
    """
    client = rivera_client

    def post(url: str, data: dict[str, str]) -> None:
        response = client.post(url, data)
        assert response.status_code in (200, 204, 302), (url, response.status_code)

    post(
        f"/classes/{room12.pk}/students/new/",
        {"first_name": SCRIPT_NAME, "last_name": IMG_NAME, "preferred_name": SPOOFED_NAME},
    )
    student = Student.objects.get(last_name=IMG_NAME)
    category = Goal.objects.filter(owner=None).order_by("pk").first().category
    post(
        "/goals/new/",
        {
            "category": str(category.pk),
            "name": GOAL_NAME,
            "student_words": f"I can {GOAL_NAME}",
            "grade_low": "0",
            "grade_high": "8",
        },
    )
    goal = Goal.objects.get(name=GOAL_NAME, owner=rivera)
    post(f"/goals/{goal.pk}/strategies/new/", {"name": GOAL_NAME, "steps": HOSTILE_TEXT})
    post(
        "/mentor-texts/new/",
        {"title": SCRIPT_NAME, "author": IMG_NAME, "goal": str(goal.pk), "notice": HOSTILE_TEXT},
    )
    post(f"/students/{student.pk}/goals/", {"goal": str(goal.pk), "set_with_student": "on"})
    post(
        f"/students/{student.pk}/samples/new/",
        {
            "title": SCRIPT_NAME,
            "kind": "notebook",
            "written_on": timezone.localdate().isoformat(),
            "text": HOSTILE_TEXT,
        },
    )
    post(
        f"/students/{student.pk}/strengths/new/",
        {"description": GOAL_NAME, "evidence": HOSTILE_TEXT},
    )
    # A held conference (on the chart and under "last time") and one under way (textareas).
    for _ in range(2):
        started = client.post(
            "/conferences/start/", {"student": str(student.pk), "classroom": str(room12.pk)}
        )
        conference_url = started["Location"]
        for field in ["research", "compliment", "discussed", "task"]:
            post(f"{conference_url}save/", {"field": field, "value": HOSTILE_TEXT, "previous": ""})
        if not Conference.objects.filter(status=Conference.Status.HELD).exists():
            post(f"{conference_url}finish/", {"not_now": "on", "discussed": HOSTILE_TEXT})
    # A classmate with the same goal: a small group, its conference, a partnership.
    post(
        f"/classes/{room12.pk}/students/new/",
        {"first_name": IMG_NAME, "last_name": SCRIPT_NAME, "preferred_name": SCRIPT_NAME},
    )
    classmate = Student.objects.get(first_name=IMG_NAME)
    post(f"/students/{classmate.pk}/goals/", {"goal": str(goal.pk), "set_with_student": "on"})
    post(
        f"/classes/{room12.pk}/groups/new/",
        {"name": SCRIPT_NAME, "goal": str(goal.pk), "members": [student.pk, classmate.pk]},
    )
    group_id = Student.objects.get(pk=student.pk).small_groups.get().pk
    meeting_url = client.post(f"/groups/{group_id}/confer/")["Location"]
    for field in ["research", "compliment", "discussed", "task"]:
        post(f"{meeting_url}save/", {"field": field, "value": HOSTILE_TEXT, "previous": ""})
    post(f"/classes/{room12.pk}/partnerships/new/", {"students": [student.pk, classmate.pk]})
    assert Strategy.objects.filter(owner=rivera, name=GOAL_NAME).exists()
    assert MentorText.objects.filter(owner=rivera, title=SCRIPT_NAME).exists()
    # The confirmations above name the student and the goal; they show on the next page.
    messages = client.get("/")
    assert messages.status_code == 200
    for raw in NEVER_RAW:
        assert raw not in messages.content.decode(), f"messages: {raw!r} unescaped"
    assert ESCAPED_GOAL in messages.content.decode()
    return {
        "class page": f"/classes/{room12.pk}/",
        "student page": f"/students/{student.pk}/",
        "edit page": f"/students/{student.pk}/edit/",
        "library": "/goals/",
        "conference screen": conference_url,
        "goals board": f"/classes/{room12.pk}/board/",
        "change goal": f"/classes/{room12.pk}/students/{student.pk}/change-goal/",
        "small groups": f"/classes/{room12.pk}/groups/",
        "group conference screen": meeting_url,
        "partnerships": f"/classes/{room12.pk}/partnerships/",
        "kiosk": f"/students/{student.pk}/self-assessment/kiosk/",
    }


# What each page must show, escaped.
ESCAPED_ON = {
    "class page": [ESCAPED_IMG_NAME, ESCAPED_GOAL],
    "student page": [ESCAPED_SCRIPT_NAME, ESCAPED_IMG_NAME, ESCAPED_GOAL, ESCAPED_TEXTAREA_TEXT],
    "edit page": [ESCAPED_SCRIPT_NAME, ESCAPED_IMG_NAME],
    "library": [ESCAPED_GOAL, ESCAPED_SCRIPT_NAME, ESCAPED_IMG_NAME, ESCAPED_TEXTAREA_TEXT],
    "conference screen": [ESCAPED_IMG_NAME, ESCAPED_GOAL, ESCAPED_TEXTAREA_TEXT],
    # The board and the kiosk show the name the student goes by.
    "goals board": [ESCAPED_SCRIPT_NAME, ESCAPED_GOAL],
    "change goal": [ESCAPED_GOAL],
    "small groups": [ESCAPED_SCRIPT_NAME, ESCAPED_GOAL],
    "group conference screen": [
        ESCAPED_SCRIPT_NAME,
        ESCAPED_IMG_NAME,
        ESCAPED_GOAL,
        ESCAPED_TEXTAREA_TEXT,
    ],
    "partnerships": [ESCAPED_SCRIPT_NAME, ESCAPED_GOAL],
    "kiosk": [],
}


@pytest.mark.django_db
def test_it_escapes_hostile_text_on_every_page_that_shows_it(hostile, rivera_client):
    for where, url in hostile.items():
        response = rivera_client.get(url)
        assert response.status_code == 200, where
        body = response.content.decode()
        for raw in NEVER_RAW:
            assert raw not in body, f"{where}: {raw!r} unescaped"
        for escaped in ESCAPED_ON[where]:
            assert escaped in body, f"{where}: {escaped!r} missing"
        assert_self_contained(body, where)


_ISOLATED = re.compile(
    r"<(bdi|textarea|option|title)\b[^>]*>.*?</\1>|<(\w+)\b[^>]*\sdir=[^>]*>.*?</\2>", re.S | re.I
)
_TAG = re.compile(r"<[^>]*>")
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")


@pytest.mark.django_db
def test_it_keeps_a_right_to_left_override_in_a_name_from_reversing_the_page(
    hostile, rivera_client
):
    """U+202E in a name must not flip the text after it (e.g. the last name beside it).

    It is either removed when saved, or shown inside an isolating element (<bdi>, dir=).
    """
    for where in [
        "class page",
        "student page",
        "conference screen",
        "goals board",
        "small groups",
        "group conference screen",
        "partnerships",
        "kiosk",
    ]:
        body = rivera_client.get(hostile[where]).content.decode()
        text = _TAG.sub("", _ISOLATED.sub("", body))
        leaks = [m.start() for m in _BIDI_OVERRIDES.finditer(text)]
        assert not leaks, (
            f"{where}: a bidirectional override from a name reaches the page text: "
            f"{[text[max(0, i - 40) : i + 40] for i in leaks[:3]]}"
        )


# S20: error pages tell nothing


def _explode(**kwargs):
    raise RuntimeError("SECRET-MARKER select * from roster_student")


@pytest.mark.django_db
def test_it_shows_a_plain_error_page_when_a_view_fails(rivera_client, room12, monkeypatch):
    assert not django_settings.DEBUG
    monkeypatch.setattr("conferbook.conferences.selectors.class_rows", _explode)
    rivera_client.raise_request_exception = False
    response = rivera_client.get(f"/classes/{room12.pk}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    for leak in ["SECRET-MARKER", "Traceback", "RuntimeError", "roster_student", "Room 12"]:
        assert leak not in body, leak


@pytest.mark.django_db
def test_it_shows_the_same_404_page_for_a_foreign_and_a_missing_id(
    rivera_client, marcus, okafor_world
):
    foreign = rivera_client.get(f"/students/{marcus.pk}/")
    missing = rivera_client.get("/students/999999/")
    assert foreign.status_code == missing.status_code == 404
    assert page(foreign) == page(missing)
    body = page(foreign)
    assert "Not found" in body
    for leak in ["Marcus", "Room 7", "URLconf", "No Student matches", "Traceback"]:
        assert leak not in body, leak


# R1: SQLite is set up for many writers


def _skip_unless_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip(f"R1 is about SQLite; this run uses {connection.vendor}")


@pytest.mark.django_db
def test_it_configures_sqlite_for_concurrent_writers():
    _skip_unless_sqlite()
    config = connection.settings_dict
    options = config["OPTIONS"]
    assert "journal_mode=wal" in options["init_command"].replace(" ", "").lower()
    assert options["transaction_mode"].upper() == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert config["CONN_MAX_AGE"] > 0
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0].lower()
        # An in-memory test database cannot use WAL and reports "memory" instead.
        assert mode == ("memory" if connection.is_in_memory_db() else "wal")
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


@pytest.mark.django_db
def test_it_opens_a_sqlite_file_in_wal_mode_with_immediate_transactions(tmp_path):
    """Open a real file the way Django does with these settings, and watch it behave."""
    _skip_unless_sqlite()
    config = copy.deepcopy(connection.settings_dict)
    config["NAME"] = str(tmp_path / "conferbook.sqlite3")
    alias = "r1_file"
    connections[alias] = type(connections[DEFAULT_DB_ALIAS])(config, alias=alias)
    wrapper = connections[alias]
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        # IMMEDIATE: the write lock is taken at BEGIN, before the transaction writes anything,
        # so a second writer queues on the busy timeout instead of failing half way through.
        other = sqlite3.connect(config["NAME"], timeout=0)
        try:
            with (
                transaction.atomic(using=alias),
                pytest.raises(sqlite3.OperationalError, match="locked"),
            ):
                other.execute("INSERT INTO note (text) VALUES ('waits for the first')")
            other.execute("INSERT INTO note (text) VALUES ('goes through once it is done')")
            other.commit()
        finally:
            other.close()
    finally:
        wrapper.close()
        del connections[alias]


def test_it_keeps_the_sqlite_settings_a_real_sqlite_install_uses(tmp_path):
    """The settings file itself, read without DATABASE_URL (the CI may run on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CONFERBOOK_HOME"] = str(tmp_path)
    code = (
        "import json, conferbook.settings as s; d = s.DATABASES['default'];"
        "print(json.dumps({'engine': d['ENGINE'], 'age': d['CONN_MAX_AGE'], **d['OPTIONS']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    config = json.loads(out)
    assert config["engine"] == "conferbook.sqlite3"  # Django's, writers queuing in-process
    assert config["age"] > 0
    assert config["transaction_mode"] == "IMMEDIATE"
    assert config["timeout"] >= 5
    init = config["init_command"].replace(" ", "").lower()
    assert "journal_mode=wal" in init
    assert "foreign_keys=on" in init
