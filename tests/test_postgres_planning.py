"""On PostgreSQL a class's students are found from its enrolment, however many students
the district has: each connection plans for a fast disk (random_page_cost 1.1), where
PostgreSQL's default of 4 chose to read every student of the school and hash-join them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from conferbook.roster.models import Enrollment, Student
from conferbook.roster.selectors import students_in
from tests.factories import ClassroomFactory, StudentFactory

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")


@on_postgres
@pytest.mark.django_db
def test_each_connection_plans_for_a_fast_disk():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)


@on_postgres
@pytest.mark.django_db
def test_a_class_list_starts_from_the_enrolment_in_a_big_district():
    ours = ClassroomFactory()
    for _ in range(30):
        StudentFactory(classroom=ours)
    elsewhere = ClassroomFactory()
    others = Student.objects.bulk_create(
        Student(first_name=f"Other{i}", last_name="Elsewhere") for i in range(6000)
    )
    Enrollment.objects.bulk_create(Enrollment(student=s, classroom=elsewhere) for s in others)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE roster_student")
        cursor.execute("ANALYZE roster_enrollment")
    sql, params = students_in(classroom=ours).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan on roster_student" not in plan, plan


def _options(**env: str) -> dict[str, object]:
    """The database OPTIONS the settings make from this environment (and nothing else of
    the Conferbook settings the tests run with)."""
    code = (
        "import json, conferbook.settings as s;"
        " print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    ours = {k: v for k, v in os.environ.items() if not k.startswith("CONFERBOOK_")}
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **ours,
            "CONFERBOOK_HOME": os.environ.get("CONFERBOOK_HOME", ""),
            "DATABASE_URL": "postgres://conferbook@db.example.org/conferbook",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(run.stdout)


def test_the_planner_option_is_sent_unless_emptied_or_behind_a_pooler():
    assert _options()["options"] == "-c random_page_cost=1.1"
    assert "options" not in _options(CONFERBOOK_POSTGRES_OPTIONS="")
    assert _options(CONFERBOOK_POSTGRES_OPTIONS="-c work_mem=8MB")["options"] == "-c work_mem=8MB"
    # A pooler that cannot keep prepared statements may refuse startup options too.
    behind_a_pooler = _options(CONFERBOOK_PREPARED_STATEMENTS="0")
    assert "options" not in behind_a_pooler and "prepare_threshold" not in behind_a_pooler
    asked = _options(CONFERBOOK_PREPARED_STATEMENTS="0", CONFERBOOK_POSTGRES_OPTIONS="-c x=1")
    assert asked["options"] == "-c x=1"
