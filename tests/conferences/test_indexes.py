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

from conferbook.scheduling.selectors import appointments_on, week_columns

pytestmark = pytest.mark.django_db


def plan_of(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(part) for row in cursor.fetchall() for part in row)


def conference_queries(read) -> list[str]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        read()
    return [
        q["sql"] for q in queries.captured_queries if 'FROM "conferences_conference"' in q["sql"]
    ]


def test_the_week_and_the_day_read_one_class_s_times_through_its_index(room12, zoe):
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in range(5)]
    for read in (
        lambda: week_columns(classroom=room12, days=days),
        lambda: list(appointments_on(classroom=room12, day=today)),
    ):
        [sql] = conference_queries(read)
        assert "conference_class_booked" in plan_of(sql), plan_of(sql)
