"""`make bench`, audit log part: the administrator's audit log page with 1,000,000 events.

A million events (about a year of a school's activity: one every 30 seconds, nine kinds,
200 people, 3,000 students, 120 classes) are inserted by one INSERT ... SELECT in a
throwaway database on the configured backend (SQLite file in a temporary folder by
default; PostgreSQL when DATABASE_URL is set). The page is then requested through Django's
test client as an administrator: the first page, filtered by student, by kind, by person
and by a week, and an "Older" page 900,000 events deep (with and without a filter), plus
a student's events as CSV. Printed: median (p50) and p95 of the full request/response
cycle, and the database's plan of each page's event query (which index it uses).

Run: CONFERBOOK_HOME=.test-home .venv/bin/python bench/audit.py [--events N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROUNDS = 30
EVENTS = 1_000_000
PEOPLE = 200
STUDENTS = 3_000
CLASSES = 120
KINDS = [
    "student_opened",
    "printed",
    "exported",
    "deleted",
    "signed_in",
    "sign_in_failed",
    "account_changed",
    "role_changed",
    "class_shared",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="conferbook-bench-audit-"))
    os.environ.setdefault("CONFERBOOK_HOME", str(scratch))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conferbook.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        return run(args.events)
    finally:
        teardown_databases(old, verbosity=0)


def insert_events(count: int) -> float:
    """`count` events, newest now and one every 30 seconds before; seconds taken."""
    from django.db import connection

    start = time.perf_counter()
    sizes = {"count": count, "people": PEOPLE, "students": STUDENTS, "classes": CLASSES}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                """
                INSERT INTO audit_event
                    (at, kind, actor_id, actor_name, student_id, classroom_id, detail)
                SELECT now() - g * interval '30 seconds',
                       (%(kinds)s::text[])[1 + g %% 9],
                       1 + g %% %(people)s, 'Teacher ' || (1 + g %% %(people)s),
                       1 + g %% %(students)s, 1 + g %% %(classes)s, 'student page'
                FROM generate_series(1, %(count)s) AS g
                """,
                {**sizes, "kinds": KINDS},
            )
            cursor.execute("ANALYZE audit_event")
        else:
            # Stored as Django stores a time with no fraction of a second.
            cursor.execute(
                """
                WITH RECURSIVE seq(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM seq WHERE g < %s)
                INSERT INTO audit_event
                    (at, kind, actor_id, actor_name, student_id, classroom_id, detail)
                SELECT datetime('now', '-' || (g * 30) || ' seconds'),
                       json_extract(%s, '$[' || (g % 9) || ']'),
                       1 + g % %s, 'Teacher ' || (1 + g % %s),
                       1 + g % %s, 1 + g % %s, 'student page'
                FROM seq
                """,
                [count, json.dumps(KINDS), PEOPLE, PEOPLE, STUDENTS, CLASSES],
            )
            cursor.execute("ANALYZE")
    return time.perf_counter() - start


def percentiles(fn: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def plan_of(filters: Any, older_than: Any) -> str:
    """The database's plan for a page's event query, on one line."""
    from conferbook.audit.selectors import PAGE_SIZE, filtered_events

    events = filtered_events(filters)
    if older_than is not None:
        from django.db.models import Q

        events = events.filter(at__lte=older_than.at).filter(
            Q(at__lt=older_than.at) | Q(id__lt=older_than.id)
        )
    plan = events[: PAGE_SIZE + 1].explain()
    lines = [line.strip(" -|>") for line in plan.splitlines() if line.strip()]
    return " / ".join(lines)[:160]


def run(count: int) -> int:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from conferbook.accounts.models import User
    from conferbook.accounts.services import ensure_school
    from conferbook.audit.forms import AuditFilterForm, cursor_text
    from conferbook.audit.models import Event
    from conferbook.audit.selectors import Cursor, EventFilters, classrooms, people
    from conferbook.roster.models import Classroom

    password = make_password(None)
    User.objects.bulk_create(
        User(username=f"teacher{i}", first_name="Pat", last_name=f"Teacher{i}", password=password)
        for i in range(PEOPLE)
    )
    Classroom.objects.bulk_create(Classroom(name=f"Room {i}") for i in range(CLASSES))
    admin = User.objects.create(username="head", first_name="Hana", last_name="Head")
    ensure_school().administrators.add(admin)
    seconds = insert_events(count)
    client = Client()
    client.force_login(admin)
    person = User.objects.order_by("pk").values_list("pk", flat=True)[5]
    deep = Event.objects.order_by("-at", "-id").values_list("at", "id")[count * 9 // 10]
    cursor = Cursor(at=deep[0], id=deep[1])
    older = cursor_text(cursor)
    # A week in the middle of the span of the events.
    week_end = timezone.localdate() - timedelta_days(count * 30 // 86400 // 2)
    week_start = week_end - timedelta_days(6)
    print(
        f"Audit log bench on {connection.vendor}: {Event.objects.count():,} events "
        f"(inserted in {seconds:.1f} s); median (p50) and p95 of {ROUNDS} requests"
    )
    cases = [
        ("first page", "", {}, None),
        ("by student", "student=1234", {"student": "1234"}, None),
        ("by kind", "kind=printed", {"kind": "printed"}, None),
        ("by person", f"person={person}", {"person": str(person)}, None),
        (
            "by a week",
            f"since={week_start}&until={week_end}",
            {"since": str(week_start), "until": str(week_end)},
            None,
        ),
        ("older, 900,000 deep", f"older={older}", {}, cursor),
        ("older, by kind, deep", f"kind=printed&older={older}", {"kind": "printed"}, cursor),
    ]
    for name, query, data, older_than in cases:
        url = f"/audit/?{query}"

        def fetch(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            assert b"<td>" in response.content, url

        p50, p95 = percentiles(fetch)
        form = AuditFilterForm(data, people=people(), classrooms=classrooms())
        assert form.is_valid(), form.errors
        filters: EventFilters = form.filters()
        print(f"  {name:24s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
        print(f"      plan: {plan_of(filters, older_than)}")

    def export() -> None:
        response = client.get("/audit/export.csv?student=1234")
        assert response.status_code == 200
        b"".join(response.streaming_content)

    p50, p95 = percentiles(export, 10)
    print(f"  {'CSV of one student':24s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    return 0


def timedelta_days(days: int) -> Any:
    from datetime import timedelta

    return timedelta(days=days)


if __name__ == "__main__":
    sys.exit(main())
