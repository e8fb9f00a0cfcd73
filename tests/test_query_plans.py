"""A teacher's pages read their own class's rows, never a whole table that grows with the
district (every student, every class, every conference of the school).

SQLite's query planner, with no statistics gathered (as on a fresh laptop install, and in
a test database), chooses by the indexes alone, the same way for ten rows or ten million:
so a plan read here is the plan a district's database gets. A SCAN of a table that grows
with other teachers' data means the page slows down as the school grows (the access rule
once scanned every class of the school to find the asker's; see
roster.selectors.teaching_seen_by). Tables of fixed size (the school, its terms, the
built-in checklists) may be scanned.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment
from conferbook.conferences.models import Conference
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
    library_goal,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="reads SQLite's plans; PostgreSQL plans by statistics (make bench-district)",
    ),
]

FIXED_SIZE = {"accounts_school", "calendar_term", "goals_checklist"}
# Pages for writing, which a coach (who reads only) is not shown.
TEACHERS_ONLY = ("/conferences/", "/today/", "/week/", "/month/", "/groups/", "/partnerships/")


def scans(sql: str, params: object) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[3] for row in cursor.fetchall()]
    found = []
    for step in plan:
        match = re.match(r"SCAN (\w+)", step)
        if match and not step.startswith("SCAN CONSTANT"):
            found.append(match.group(1))
    return found


def table_of(alias: str, sql: str) -> str:
    """The table an alias in the plan stands for (Django names subquery tables U0, V0)."""
    match = re.search(rf'"(\w+)" {alias}\b', sql)
    return match.group(1) if match else alias


@pytest.fixture
def district():
    """A class of the teacher's among other teachers' classes, a coach, and history."""
    teacher, coach = TeacherFactory(), TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=teacher)
    classroom = ClassroomFactory(teachers=[teacher])
    students = StudentFactory.create_batch(4, classroom=classroom)
    for _ in range(3):
        others = StudentFactory.create_batch(3, classroom=ClassroomFactory())
        for s in others:
            ConferenceFactory(student=s)
    for i, s in enumerate(students):
        StudentGoalFactory(student=s, goal=library_goal(i))
        ConferenceFactory(student=s, started_at=timezone.now() - timedelta(days=100 + i))
        ConferenceFactory(student=s, started_at=timezone.now() - timedelta(days=3 + i))
        Conference.objects.create(
            classroom=classroom,
            student=s,
            status=Conference.Status.SCHEDULED,
            scheduled_for=timezone.now() + timedelta(days=1, minutes=5 * i),
        )
    under_way = Conference.objects.create(
        id=uuid.uuid4(),
        classroom=classroom,
        student=students[0],
        teacher=teacher,
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
    )
    return teacher, coach, classroom, students[0], under_way


def pages(classroom, student, under_way) -> list[str]:
    c, s = f"/classes/{classroom.pk}", f"/students/{student.pk}"
    return [
        f"{c}/",
        f"{s}/",
        f"{s}/?chart=all",
        f"/conferences/{under_way.pk}/",
        f"{c}/today/",
        f"{c}/week/",
        f"{c}/month/",
        f"{c}/board/",
        f"{c}/board/pictures/",
        f"{c}/groups/",
        f"{c}/partnerships/?mode=same_goal",
        f"{c}/coverage/",
        f"{s}/progress/",
        f"{c}/print/",
        f"{s}/print/",
        f"{c}/print/cards.pdf?who=all&sheet=letter-cards-10",
        f"{c}/print/chart.pdf?paper=letter",
        f"{c}/print/reports.pdf?paper=letter",
    ]


@pytest.mark.parametrize("reader", ["teacher", "coach"])
def test_no_page_scans_a_table_that_grows_with_the_district(district, reader):
    teacher, coach, classroom, student, under_way = district
    client = Client()
    client.force_login(teacher if reader == "teacher" else coach)
    found = {}
    for url in pages(classroom, student, under_way):
        if reader == "coach" and any(part in url for part in TEACHERS_ONLY):
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        for query in queries.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            # The captured text has its parameters filled in; plan it as it ran.
            for alias in scans(sql, None):
                table = table_of(alias, sql)
                if table not in FIXED_SIZE:
                    found.setdefault(url, []).append(f"SCAN {table}: {sql[:160]}")
    assert not found, found


def test_the_check_sees_a_scan_when_there_is_one(district):
    """The check above would see the scan the access rule once made of every class."""
    from django.db.models import Exists, OuterRef

    from conferbook.roster.models import Classroom

    teacher, *_ = district
    every_class = Classroom.objects.filter(
        Exists(Classroom.teachers.through.objects.filter(classroom=OuterRef("pk"), user=teacher))
    )
    sql, params = every_class.query.sql_with_params()
    assert "roster_classroom" in [table_of(a, sql) for a in scans(sql, params)]
