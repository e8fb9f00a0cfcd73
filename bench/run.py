"""`make bench`: server time of the pages a teacher uses most, measured in-process.

A class of 30 students with 2,000 held conferences (about 67 each, as after two years
of weekly conferring), built in a throwaway database on the configured backend (SQLite
file in a temporary folder by default; PostgreSQL when DATABASE_URL is set). Each page
is requested through Django's test client; the figure is the median wall time of the
full request/response cycle, after a warm-up.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROUNDS = 30
STUDENTS = 30
CONFERENCES = 2_000


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="conferbook-bench-"))
    os.environ.setdefault("CONFERBOOK_HOME", str(scratch))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conferbook.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        # A real file with the production PRAGMAs, not an in-memory database.
        db.setdefault("TEST", {})["NAME"] = str(scratch / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        return run()
    finally:
        teardown_databases(old, verbosity=0)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def median_ms(fn: Callable[[], object]) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = sorted(timed(fn) for _ in range(ROUNDS))
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run() -> int:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from conferbook.accounts.services import create_teacher
    from conferbook.conferences.models import Conference
    from conferbook.goals.models import Goal, StudentGoal
    from conferbook.roster.services import add_student, create_classroom

    teacher = create_teacher(username="bench", password=secrets.token_urlsafe(16))
    classroom = create_classroom(teacher=teacher, name="Bench class")
    students = [
        add_student(classroom=classroom, first_name=f"Student{i}", last_name="Bench")
        for i in range(STUDENTS)
    ]
    goals = list(Goal.objects.filter(owner=None)[: STUDENTS * 2])
    today = timezone.localdate()
    student_goals = StudentGoal.objects.bulk_create(
        StudentGoal(student=s, goal=goals[i * 2 % len(goals)], set_on=today, set_by=teacher)
        for i, s in enumerate(students)
    )
    now = timezone.now()
    Conference.objects.bulk_create(
        Conference(
            classroom=classroom,
            student=students[i % STUDENTS],
            teacher=teacher,
            status=Conference.Status.HELD,
            started_at=now - timedelta(days=730) + timedelta(hours=8 * i),
            ended_at=now - timedelta(days=730) + timedelta(hours=8 * i, minutes=4),
            duration_seconds=240,
            student_goal=student_goals[i % STUDENTS],
            discussed=f"Talked through a revision of paragraph {i % 7}.",
            task="Reread the draft aloud and mark two places to add detail.",
        )
        for i in range(CONFERENCES)
    )
    client = Client()
    client.force_login(teacher)
    student = students[0]
    conference = Conference.objects.create(
        id=uuid.uuid4(),
        classroom=classroom,
        student=student,
        teacher=teacher,
        status=Conference.Status.IN_PROGRESS,
        started_at=now,
    )
    saved = {"text": ""}

    def autosave() -> None:
        text = saved["text"] + "x"
        response = client.post(
            f"/conferences/{conference.pk}/save/",
            {"field": "discussed", "value": text, "previous": saved["text"]},
        )
        assert response.status_code == 200, response.content
        saved["text"] = text

    def get(url: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return fetch

    print(
        f"Conferbook bench on {connection.vendor}: {STUDENTS} students, "
        f"{Conference.objects.count()} conferences; median and p95 of {ROUNDS} requests"
    )
    rows = [
        ("class page", get(f"/classes/{classroom.pk}/")),
        ("student page (67 conferences)", get(f"/students/{student.pk}/")),
        ("conference screen", get(f"/conferences/{conference.pk}/")),
        ("conference autosave", autosave),
    ]
    for name, fn in rows:
        median, p95 = median_ms(fn)
        print(f"  {name:32s} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
