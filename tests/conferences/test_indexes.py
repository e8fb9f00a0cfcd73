"""Reads scoped by what they show: the week, the day and the month of one class read a range
of that class's times through an index, never every conference of the class's history (or
of every class) to filter afterwards. Checked on the query plan of the real selectors, on
SQLite and on PostgreSQL (whose planner is told not to prefer a scan of a small table)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.scheduling.selectors import appointments_on, week_columns
from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def plan_of(sql: str) -> str:
    """The plan of `sql`. On PostgreSQL, whose planner weighs a test database's few and
    shifting rows, the indexes on the class alone and on the time alone are dropped inside
    the transaction (rolled back with the test) and scans are discouraged: what is shown is
    that the class-and-time index serves the query. SQLite's plan is taken as it comes."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'conferences_conference' "
                "AND (indexdef LIKE '%%(scheduled_for)' OR indexdef LIKE '%%(classroom_id)')"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(str(part) for row in cursor.fetchall() for part in row)
            transaction.set_rollback(True)
            return plan
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(part) for row in cursor.fetchall() for part in row)


def conference_queries(read) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        read()
    return [
        q["sql"] for q in queries.captured_queries if 'FROM "conferences_conference"' in q["sql"]
    ]


def test_the_week_and_the_day_read_one_class_s_times_through_its_index(room12, zoe, room7):
    """The class's own history is long and other classes' bookings of the same week are
    many (a district): the reads go through neither, as an index on the class alone or on
    the time alone would."""
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(5)]
    others = StudentFactory.create_batch(20, classroom=room7)
    Conference.objects.bulk_create(
        Conference(
            classroom=room7,
            student=others[n % 20],
            status=Conference.Status.SCHEDULED,
            scheduled_for=timezone.now() + timedelta(minutes=7 * n),
        )
        for n in range(400)
    )
    Conference.objects.bulk_create(
        Conference(
            classroom=room12,
            student=zoe,
            status=Conference.Status.HELD,
            scheduled_for=timezone.now() - timedelta(days=2 + n),
            started_at=timezone.now() - timedelta(days=2 + n),
            ended_at=timezone.now() - timedelta(days=2 + n) + timedelta(minutes=5),
        )
        for n in range(400)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "ANALYZE conferences_conference"
        )
    for read in (
        lambda: week_columns(classroom=room12, days=days),
        lambda: list(appointments_on(classroom=room12, day=today)),
    ):
        [sql] = conference_queries(read)
        assert "conference_class_booked" in plan_of(sql), plan_of(sql)
