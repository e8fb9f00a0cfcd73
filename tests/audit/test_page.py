"""The administrator's audit log page and its CSV export."""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from conferbook.audit.models import Event
from conferbook.audit.selectors import PAGE_SIZE
from conferbook.audit.services import record
from conferbook.roster.models import Student
from tests.factories import StudentFactory, TeacherFactory
from tests.helpers import assert_same_count, make_administrator, queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    user = TeacherFactory(username="head", first_name="Hana", last_name="Head")
    make_administrator(user)
    return user


@pytest.fixture
def admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def rows(response) -> list[list[str]]:
    """The table's rows as text cells."""
    body = response.content.decode()
    found = []
    for row in re.findall(r"<tr>\s*<td>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", "<td>" + row, re.S)
        found.append([html.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip() for c in cells])
    return found


def at(moment: datetime):
    """Events recorded inside this block are stamped `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_it_shows_the_log_to_administrators_only(admin_client, okafor_client, okafor):
    assert admin_client.get("/audit/").status_code == 200
    assert admin_client.get("/audit/export.csv").status_code == 200
    for url in ["/audit/", "/audit/export.csv", "/audit/?kind=printed"]:
        assert okafor_client.get(url).status_code == 404, url
    okafor.is_active = False
    make_administrator(okafor)
    okafor.save(update_fields=["is_active"])
    assert okafor_client.get("/audit/").status_code != 200


def test_it_offers_the_log_in_the_navigation_to_administrators_only(admin_client, okafor_client):
    assert 'href="/audit/"' in admin_client.get("/people/").content.decode()
    assert 'href="/audit/"' not in okafor_client.get("/").content.decode()


def test_it_shows_who_when_what_which_student_and_class(
    at_midday, admin_client, okafor, room7, marcus
):
    gone = StudentFactory(first_name="Gone", classroom=room7)
    gone_id = gone.pk
    with at(timezone.now() - timedelta(hours=2)):
        record(Event.Kind.PRINTED, actor=okafor, student_id=gone_id, detail="family report PDF")
    Student.objects.filter(pk=gone_id).delete()
    with at(timezone.now() - timedelta(hours=1)):
        record(
            Event.Kind.STUDENT_OPENED,
            actor=okafor,
            student_id=marcus.pk,
            classroom_id=room7.pk,
            detail="student page",
            ip_address="203.0.113.10",
        )
    response = admin_client.get("/audit/")
    shown = rows(response)
    # Newest first: Hana's own sign-in (force_login), Marcus opened, the deleted student.
    assert shown[0][1:3] == ["Hana Head", "signed in"]
    assert shown[1][1:] == [
        "Ben Okafor",
        "opened a student's page",
        "Marcus Lee",
        "Room 7",
        "student page",
        "203.0.113.10",
    ]
    assert shown[2][3] == f"deleted student #{gone_id}"
    assert str(timezone.localdate().year) in shown[1][0]


def test_it_filters_by_kind_person_student_class_and_days(admin_client, admin, okafor, rivera):
    now = timezone.now()
    # class ids no real class gets: a class made below must not share one by chance (on
    # PostgreSQL a test database's id sequence can reach 6 after other tests)
    with at(now - timedelta(days=10)):
        record(Event.Kind.PRINTED, actor=okafor, student_id=1, classroom_id=10**9, detail="old")
    with at(now):
        record(Event.Kind.PRINTED, actor=rivera, student_id=2, classroom_id=10**9 + 1, detail="b")
        record(Event.Kind.STUDENT_OPENED, actor=okafor, student_id=2, detail="c")

    def details(query: str) -> list[str]:
        response = admin_client.get(f"/audit/?{query}")
        assert response.status_code == 200, query
        return [r[5] for r in rows(response) if r[2] != "signed in"]

    assert details("kind=printed") == ["b", "old"]
    assert details(f"person={okafor.pk}") == ["c", "old"]
    assert details("student=2") == ["c", "b"]
    from conferbook.roster.models import Classroom

    classroom = Classroom.objects.create(name="Room 6")
    Event.objects.create(kind=Event.Kind.PRINTED, classroom_id=classroom.pk, detail="d")
    assert details(f"classroom={classroom.pk}") == ["d"]
    since = (timezone.localdate() - timedelta(days=11)).isoformat()
    until = (timezone.localdate() - timedelta(days=9)).isoformat()
    assert details(f"since={since}&until={until}") == ["old"]
    assert details(f"kind=printed&person={rivera.pk}") == ["b"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("student=abc", "Enter a whole number."),
        ("student=99999999999999999999", "less than or equal to"),
        ("since=9999-99-99", "Enter a valid date."),
        ("since=0001-01-01", "between the years"),
        ("kind=nothing", "Select a valid choice."),
        ("person=12345678", "Select a valid choice."),
        ("since=2026-05-02&until=2026-05-01", "is after the"),
    ],
)
def test_it_answers_bad_filters_with_a_message_and_keeps_them(admin_client, query, message):
    response = admin_client.get(f"/audit/?{query}")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body.replace("&#x27;", "'").replace("&ldquo;", "“")
    assert "Correct the filters above" in body
    name, value = query.split("&")[0].split("=", 1)
    if name in ("student", "since"):  # typed, so kept as typed
        assert f'value="{value}"' in body
    assert admin_client.get(f"/audit/export.csv?{query}").status_code == 400


def test_it_goes_back_page_by_page_without_repeating_or_missing_an_event(admin_client, okafor):
    moment = timezone.now() - timedelta(minutes=5)
    total = PAGE_SIZE * 2 + 7
    # Many events in the very same microsecond: the page ends are told apart by id.
    with at(moment):
        for n in range(total):
            record(Event.Kind.PRINTED, actor=okafor, detail=f"print {n}")
    seen: list[str] = []
    url = "/audit/?kind=printed"
    pages = 0
    while url:
        response = admin_client.get(url)
        assert response.status_code == 200
        seen += [r[5] for r in rows(response)]
        pages += 1
        found = re.search(r'href="(/audit/\?[^"]*older=[^"]*)">Older', response.content.decode())
        url = found.group(1).replace("&amp;", "&") if found else ""
        assert "kind=printed" in url or not url
    assert pages == 3
    assert seen == [f"print {n}" for n in reversed(range(total))]


def test_it_says_so_when_an_older_link_is_stale_or_made_up(admin_client):
    response = admin_client.get("/audit/?older=1_1")
    assert response.status_code == 200
    assert "No older events." in response.content.decode()
    assert admin_client.get("/audit/?older=garbage").status_code == 200


def build_log(size: int, teacher) -> None:
    for n in range(size):
        student = StudentFactory(first_name=f"S{n}")
        record(Event.Kind.STUDENT_OPENED, actor=teacher, student_id=student.pk, classroom_id=n)


def test_it_shows_a_page_in_a_fixed_number_of_queries(admin, okafor):
    client = Client()
    client.force_login(admin)
    build_log(3, okafor)
    small = queries_for(client, "/audit/")
    build_log(PAGE_SIZE + 20, okafor)
    large = queries_for(client, "/audit/")
    assert_same_count(small, large, "the audit log", sizes=(3, PAGE_SIZE + 20))
    assert not any("COUNT(" in q.upper() for q in large)


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    data = b"".join(response.streaming_content)
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_it_exports_the_filtered_log_as_csv(admin_client, okafor, room7, marcus):
    record(Event.Kind.PRINTED, actor=okafor, student_id=marcus.pk, classroom_id=room7.pk)
    record(Event.Kind.STUDENT_OPENED, actor=okafor, student_id=marcus.pk, detail="Zoë's page")
    response = admin_client.get("/audit/export.csv?kind=student_opened")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *lines = read_csv(response)
    assert header[:4] == ["When", "Who", "Person number", "What"]
    assert len(lines) == 1
    assert lines[0][1:] == [
        "Ben Okafor",
        str(okafor.pk),
        "opened a student's page",
        str(marcus.pk),
        "Marcus Lee",
        "",
        "",
        "Zoë's page",
        "",
    ]


def test_it_neutralises_cells_a_spreadsheet_would_run(admin_client, rivera):
    for typed in ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"]:
        Client().post("/login/", {"username": typed, "password": "nope"})
    _, *lines = read_csv(admin_client.get("/audit/export.csv?kind=sign_in_failed"))
    assert sorted(line[1] for line in lines) == ["'+1", "'-2", "'=HYPERLINK(1)", "'@SUM(A1)"]


def test_it_writes_the_csv_a_batch_at_a_time(admin_client, okafor, monkeypatch):
    from conferbook.audit import selectors

    build_log(5, okafor)
    batches = []
    original = selectors.names_for

    def counting(events):
        events = list(events)
        batches.append(len(events))
        return original(events)

    monkeypatch.setattr(selectors, "names_for", counting)
    original_stream = selectors.events_with_names
    monkeypatch.setattr(
        selectors, "events_with_names", lambda events: original_stream(events, batch=2)
    )
    _, *lines = read_csv(admin_client.get("/audit/export.csv"))
    # Hana's sign-in, the five, and this export itself (logged before the file is read).
    assert len(lines) == Event.objects.count() == 7
    assert batches == [2, 2, 2, 1]
