"""On PostgreSQL a page's repeated queries are planned once per connection, not on every
request: the chart's query with its many joins took longer to plan than to run."""

from __future__ import annotations

import pytest
from django.db import connection

from conferbook.roster.models import Student
from tests.factories import StudentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statements"),
]


def test_a_query_run_again_is_planned_once_per_connection():
    student = StudentFactory()
    for _ in range(3):
        assert list(Student.objects.filter(pk=student.pk, archived_at__isnull=True)) == [student]
    with connection.cursor() as cursor:
        cursor.execute(
            "select count(*) from pg_prepared_statements where statement like %s",
            ['%FROM "roster_student" WHERE%archived_at%'],
        )
        (prepared,) = cursor.fetchone()
    assert prepared == 1
