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
from typing import Any

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


def median_ms(fn: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = sorted(timed(fn) for _ in range(rounds))
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def pages_of(client: Any) -> Callable[[str], Callable[[], None]]:
    """get(url) is a request of that page, checked to answer 200."""

    def get(url: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return fetch

    return get


def typing_into(client: Any, save_url: str) -> Callable[[], None]:
    """One autosave of "what we discussed" to `save_url`, a letter longer each time."""
    saved = {"text": ""}

    def autosave() -> None:
        text = saved["text"] + "x"
        response = client.post(
            save_url, {"field": "discussed", "value": text, "previous": saved["text"]}
        )
        assert response.status_code == 200, response.content
        saved["text"] = text

    return autosave


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
    autosave = typing_into(client, f"/conferences/{conference.pk}/save/")
    get = pages_of(client)
    print(
        f"Conferbook bench on {connection.vendor}: {STUDENTS} students, "
        f"{Conference.objects.count()} conferences; median and p95 of {ROUNDS} requests"
    )
    rows = [
        ("class page", get(f"/classes/{classroom.pk}/")),
        ("student page (67 conferences)", get(f"/students/{student.pk}/")),
        ("conference screen", get(f"/conferences/{conference.pk}/")),
        ("conference autosave", autosave),
        ("coverage pictures, two cycles", get(f"/classes/{classroom.pk}/coverage/")),
        ("coverage pictures, 12 weeks", get(f"/classes/{classroom.pk}/coverage/?show=12w")),
        ("goal pictures", get(f"/classes/{classroom.pk}/board/pictures/")),
        ("progress picture", get(f"/students/{student.pk}/progress/")),
        ("coverage PDF", get(f"/classes/{classroom.pk}/print/coverage.pdf?paper=letter")),
        (
            "coverage pictures, a school year",
            get(f"/classes/{classroom.pk}/coverage/?from={today - timedelta(days=365)}&to={today}"),
        ),
    ]
    for name, fn in rows:
        median, p95 = median_ms(fn)
        print(f"  {name:32s} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    printables(client, teacher)
    board(client, teacher)
    photos(client, teacher, student)
    return 0


PDF_ROUNDS = 10
TERM_CONFERENCES = 12  # a term of weekly conferences per student


def printables(client: object, teacher: object) -> None:
    """PDFs for a class of 30 with a term of conferences, strengths and writing samples."""
    from django.test import Client
    from django.utils import timezone

    from conferbook.conferences.models import Conference
    from conferbook.goals.models import Goal, Strength, StudentGoal, WritingSample
    from conferbook.roster.services import add_student, create_classroom

    assert isinstance(client, Client)
    classroom = create_classroom(teacher=teacher, name="Term class")  # type: ignore[arg-type]
    students = [
        add_student(classroom=classroom, first_name=f"Łukasz{i}", last_name="Nguyễn")
        for i in range(STUDENTS)
    ]
    goals = list(Goal.objects.filter(owner=None)[:STUDENTS])
    today = timezone.localdate()
    student_goals = StudentGoal.objects.bulk_create(
        StudentGoal(student=s, goal=goals[i % len(goals)], set_on=today - timedelta(days=80))
        for i, s in enumerate(students)
    )
    samples = WritingSample.objects.bulk_create(
        WritingSample(student=s, title="My best story", written_on=today, text="The wind howled.")
        for s in students
    )
    Strength.objects.bulk_create(
        Strength(
            student=s,
            description="Uses sound words",
            evidence="The wind howled.",
            sample=samples[i],
            noted_on=today,
        )
        for i, s in enumerate(students)
        for _ in range(3)
    )
    now = timezone.now()
    Conference.objects.bulk_create(
        Conference(
            classroom=classroom,
            student=s,
            teacher=teacher,
            status=Conference.Status.HELD,
            started_at=now - timedelta(days=7 * (TERM_CONFERENCES - week)),
            ended_at=now - timedelta(days=7 * (TERM_CONFERENCES - week), minutes=-4),
            student_goal=student_goals[i],
            task_review=Conference.TaskReview.DONE if week else "",
            discussed="We looked at how the ending ties back to the beginning of the story.",
            task="Reread the ending aloud and change one sentence so it echoes the lead.",
        )
        for i, s in enumerate(students)
        for week in range(TERM_CONFERENCES)
    )
    Conference.objects.bulk_create(
        Conference(
            classroom=classroom,
            student=s,
            teacher=teacher,
            status=Conference.Status.SCHEDULED,
            scheduled_for=now + timedelta(days=1, minutes=i),
        )
        for i, s in enumerate(students)
    )
    goal_counts = "&".join(f"goal_{g.pk}=1" for g in goals[:30])
    base = f"/classes/{classroom.pk}/print"
    rows = [
        ("30 appointment cards", f"{base}/cards.pdf?who=all&sheet=letter-cards-10"),
        (
            "full sticker sheet (30)",
            f"{base}/stickers.pdf?mode=goals&sheet=letter-30&{goal_counts}",
        ),
        ("class binder (30, a term)", f"{base}/chart.pdf?paper=letter"),
        ("class parent reports (30)", f"{base}/reports.pdf?paper=letter"),
    ]
    print(
        f"Printables, {STUDENTS} students with {TERM_CONFERENCES} conferences each; "
        f"median and p95 of {PDF_ROUNDS} requests"
    )
    for name, url in rows:

        def fetch(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            assert response["Content-Type"] == "application/pdf"

        median, p95 = median_ms(fetch, PDF_ROUNDS)
        print(f"  {name:32s} median {median:7.1f} ms   p95 {p95:7.1f} ms")


def board(client: object, teacher: object) -> None:
    """The goals board, small groups and partnerships of a class of 30: goals (a third with
    two), strengths that show goals, met goals, saved groups and partnerships, a group
    conference under way, a self-assessment each."""
    from django.test import Client
    from django.utils import timezone

    from conferbook.conferences.services import start_group_conference
    from conferbook.goals.models import Checklist, Goal, Strength, StudentGoal
    from conferbook.goals.services import record_self_assessment
    from conferbook.groups.models import SmallGroup
    from conferbook.roster.services import add_student, create_classroom

    assert isinstance(client, Client)
    classroom = create_classroom(teacher=teacher, name="Board class")  # type: ignore[arg-type]
    students = [
        add_student(classroom=classroom, first_name=f"Zoë{i}", last_name="Board", grade="4")
        for i in range(STUDENTS)
    ]
    goals = list(Goal.objects.filter(owner=None, grade_low__lte=4, grade_high__gte=4)[:12])
    today = timezone.localdate()
    StudentGoal.objects.bulk_create(
        StudentGoal(student=s, goal=goal, set_on=today - timedelta(days=i % 40), status=status)
        for i, s in enumerate(students)
        for goal, status in [
            (goals[i % 8], StudentGoal.Status.ACTIVE),
            (goals[8 + i % 4], StudentGoal.Status.ACTIVE if i % 3 == 0 else StudentGoal.Status.MET),
        ]
    )
    Strength.objects.bulk_create(
        Strength(student=s, description="Shows it", goal=goals[(i + 3) % 12], noted_on=today)
        for i, s in enumerate(students)
    )
    for n in range(4):
        group = SmallGroup.objects.create(classroom=classroom, name=f"Group {n}", goal=goals[n])
        group.members.set([s for i, s in enumerate(students) if i % 8 == n])
    meeting = start_group_conference(teacher=teacher, group=group)  # type: ignore[arg-type]
    checklist = Checklist.objects.get(key="narrative-3-5")
    items = list(checklist.items.all())
    for i, s in enumerate(students):
        record_self_assessment(
            teacher=teacher,  # type: ignore[arg-type]
            student=s,
            checklist=checklist,
            ratings={
                item.pk: ("not_yet", "starting", "yes")[(i + n) % 3] for n, item in enumerate(items)
            },
        )
    base = f"/classes/{classroom.pk}"
    group_autosave = typing_into(client, f"/group-conferences/{meeting.pk}/save/")
    get = pages_of(client)
    print(f"Goals board, {STUDENTS} students; median and p95 of {ROUNDS} requests")
    rows = [
        ("goals board", get(f"{base}/board/")),
        ("goals board, overdue only", get(f"{base}/board/?overdue=on")),
        ("small groups (suggested, saved)", get(f"{base}/groups/")),
        ("partnerships, same goal", get(f"{base}/partnerships/?mode=same_goal")),
        ("partnerships, complementary", get(f"{base}/partnerships/?mode=complementary")),
        ("group conference screen (8)", get(f"/group-conferences/{meeting.pk}/")),
        ("group conference autosave", group_autosave),
        ("self-assessment kiosk", get(f"/students/{students[0].pk}/self-assessment/kiosk/")),
    ]
    for name, fn in rows:
        median, p95 = median_ms(fn)
        print(f"  {name:32s} median {median:7.1f} ms   p95 {p95:7.1f} ms")


PHOTO_ROUNDS = 10
PHOTO_SAMPLES = 10  # photographed samples on the student's page, two pages each


def camera_photo(width: int = 4032, height: int = 3024) -> bytes:
    """A 12-megapixel camera JPEG of a page: ruled lines, blocks of writing and the grain
    of a real photo (a flat synthetic image would compress, and decode, unrealistically)."""
    import io

    from PIL import Image, ImageDraw

    grain = Image.effect_noise((width, height), 18).convert("RGB")
    paper = Image.blend(Image.new("RGB", (width, height), (236, 232, 220)), grain, 0.25)
    draw = ImageDraw.Draw(paper)
    for y in range(200, height, 110):
        draw.line([(0, y), (width, y)], fill=(120, 150, 210), width=4)
        draw.rectangle([240, y - 70, 240 + (y * 7919) % (width - 600), y - 10], fill=(40, 40, 60))
    out = io.BytesIO()
    paper.save(out, "JPEG", quality=90)
    return out.getvalue()


def photos(client: object, teacher: object, student: object) -> None:
    """Photos of notebook pages: a camera's photo made safe to keep, two pages uploaded in
    one sample, the pages and cut-outs served, the student's page with photographed samples
    and marked parts, a family report with cut-outs."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.utils import timezone

    from conferbook.goals.models import SamplePhoto
    from conferbook.goals.services import add_writing_sample, mark_spot
    from conferbook.lib.photos import Box, keep_photo

    assert isinstance(client, Client)
    camera = camera_photo()
    kept = keep_photo(camera, name="IMG_0001.jpg")
    for n in range(PHOTO_SAMPLES):
        sample = add_writing_sample(
            teacher=teacher,  # type: ignore[arg-type]
            student=student,  # type: ignore[arg-type]
            title=f"Notebook entry {n}",
            kind="notebook",
            written_on=timezone.localdate(),
            text="",
            photos=[kept, kept],
        )
        photo = SamplePhoto.objects.filter(sample=sample).first()
        assert photo is not None
        spot = mark_spot(
            teacher=teacher,  # type: ignore[arg-type]
            photo=photo,
            box=Box(200, 300 + n * 40, 1600, 220),
            kind="strength" if n % 2 else "lift",
            description="Uses strong verbs",
        )
    classroom = student.classrooms.first()  # type: ignore[attr-defined]

    def upload_two() -> None:
        response = client.post(
            f"/students/{student.pk}/samples/new/",  # type: ignore[attr-defined]
            {
                "title": "Upload",
                "kind": "notebook",
                "written_on": timezone.localdate().isoformat(),
                "photos": [
                    SimpleUploadedFile("IMG_1.jpg", camera, "image/jpeg"),
                    SimpleUploadedFile("IMG_2.jpg", camera, "image/jpeg"),
                ],
            },
        )
        assert response.status_code == 302, response.content[:300]

    get = pages_of(client)
    print(
        f"Photos of notebook pages: a {len(camera) // 1024} KB 12-megapixel camera JPEG, kept "
        f"as {len(kept.image) // 1024} KB; median and p95 of {PHOTO_ROUNDS} rounds"
    )
    rows = [
        ("keep one camera photo", lambda: keep_photo(camera, name="IMG.jpg")),
        ("add a sample of two photos", upload_two),
        ("page photo (marking page)", get(f"/photos/{photo.pk}/")),
        ("page photo image", get(f"/photos/{photo.pk}/image/")),
        ("page photo thumbnail", get(f"/photos/{photo.pk}/thumbnail/")),
        ("cut-out image", get(f"/spots/{spot.pk}/image/")),
        (f"student page, {PHOTO_SAMPLES} photo samples", get(f"/students/{student.pk}/")),  # type: ignore[attr-defined]
        (
            "family report with cut-outs",
            get(f"/students/{student.pk}/print/reports.pdf?paper=letter&class={classroom.pk}"),  # type: ignore[attr-defined]
        ),
    ]
    for name, fn in rows:
        median, p95 = median_ms(fn, PHOTO_ROUNDS)
        print(f"  {name:32s} median {median:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
