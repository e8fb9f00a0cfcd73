"""`make bench-district`: does a teacher's page slow down as the district's data grows?

A district (200 teachers, each with a class of 30: 6,000 students and about 500,000
conferences over two school years, with goals, strengths, writing samples, bookings,
small groups and their conferences, partnerships, self-assessments, stickers and the
audit log) is built once and kept in the test home; so is a district one tenth the size
built the same way. The first class of both is the same class, drawn from the same seed,
so the same page of the same class is measured in both. A database is rebuilt when its
builder or a migration changes, and every new week (bookings are drawn from the week it was
built).

Each database is served in-process by its own child process (Django's test client, the
full request cycle with every middleware); the parent asks them in turn for blocks of
requests of each page, so both see the same noise. It prints, for each page, p50/p95/p99
of the big district, its query count, p50 of the tenth, and their ratio. Targets: ratio
at most 1.1 and p99 at most 50 ms (PDFs are exempt from the 50 ms).

    CONFERBOOK_HOME=.test-home python bench/district.py            # SQLite
    DATABASE_URL=postgres://... CONFERBOOK_HOME=.test-home python bench/district.py
    ... bench/district.py --rounds 40 --only class,student           # a quicker look
    ... bench/district.py --only "PDF binder, everything (zip)"      # a name with a comma
    ... bench/district.py --profile student --rounds 20              # where a page's time goes
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent

TEACHERS = 200
CLASS_SIZE = 30
YEARS = 2
EVERY_SCHOOL_DAYS = 6  # one conference about a week: ~72 each over two school years
GOALS_EACH = 7  # over two years: five met or set aside, two working on now
STRENGTHS_EACH = 10
SAMPLES_EACH = 8
ASSESSMENTS_EACH = 4
STICKERS_EACH = 6
GROUPS = 4
GROUP_SIZE = 5
GROUP_MEETINGS = 15  # per group over the two years
PARTNERSHIPS = 12
EVENTS_EACH = 50  # audit log rows per student (pages opened, PDFs printed)
BOOKED_DAYS = 15  # school days of bookings ahead
SCALES = {"district": 1.0, "tenth": 0.1}
PASSWORD = "district-bench-password"  # noqa: S105 (a throwaway database's)

ROUNDS = 100
BLOCK = 10  # requests of one page in one database before the other's turn
PDF_ROUNDS = 20
P99_TARGET_MS = 50.0
RATIO_TARGET = 1.1

TALK = [
    "We read the lead together and looked for where the reader first meets the problem.",
    "Talked about the middle: the story speeds up where it should slow down.",
    "We found two places where dialogue could show what the character feels.",
    "Looked at the ending; it stops rather than finishes. We tried three new last lines.",
    "Went over the plan in the booklet: each page has one part of the story.",
    "We counted the sentences that begin with 'and then' and tried other ways to start.",
    "Read aloud to hear where the periods go. Found four run-ons on the second page.",
    "We studied how the mentor text uses a small moment instead of a whole day.",
    "Talked about choosing precise nouns: 'dog' became 'my grandma's beagle, Pickles'.",
    "The piece is an information book now; we checked that each chapter has a heading.",
]
TASKS = [
    "Rewrite the lead two ways and star the one you like best.",
    "Add one line of dialogue on each page where someone speaks.",
    "Reread page two aloud and put a period where your voice stops.",
    "Stretch out the most important moment across a whole page.",
    "Circle three plain words and swap each for a more exact one.",
    "Try an ending that goes back to the beginning.",
    "Check every chapter has a heading that tells what it teaches.",
    "Draw a quick sketch of each part, then write a sentence under each.",
]
PIECE = (
    "On Saturday my cousin and me went to the lake. The water was so cold it made my toes "
    "hurt. We found a frog under a log and it jumped right over my shoe! Then we built a "
    "dam out of sticks and mud but the water kept leaking through. My cousin said we "
    "needed more rocks so we carried big ones from the path. When the sun went down we "
    "sat on the dock and listened to the loons. I want to go back next summer."
)


# ----------------------------------------------------------------------------------------
# Where each district lives.


def home_root() -> Path:
    return Path(os.environ.get("CONFERBOOK_HOME") or ROOT / ".test-home") / "district"


def child_env(scale: str) -> dict[str, str]:
    """The environment of a child working on one district's database."""
    env = dict(os.environ)
    url = os.environ.get("DATABASE_URL")
    kind = "pg" if url else "sqlite"
    env["CONFERBOOK_HOME"] = str(home_root() / f"{kind}-{scale}")
    if url:
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/conferbook_{scale}_bench"))
    env["DJANGO_SETTINGS_MODULE"] = "conferbook.settings"
    return env


def wanted_stamp() -> str:
    """What a built database must match: how it is built, every migration, and the week."""
    measuring = {"ROUNDS", "BLOCK", "PDF_ROUNDS"}
    shape = {
        k: v
        for k, v in globals().items()
        if k.isupper() and k not in measuring and isinstance(v, int | str | list)
    }
    digest = hashlib.sha256(json.dumps(shape, sort_keys=True).encode())
    for builder in (build_district, build_class):
        digest.update(inspect.getsource(builder).encode())
    for migration in sorted((ROOT / "src" / "conferbook").glob("*/migrations/*.py")):
        digest.update(migration.name.encode())
        digest.update(migration.read_bytes())
    monday = date.today() - timedelta(days=date.today().weekday())
    return f"{digest.hexdigest()[:16]}-{monday.isoformat()}"


# ----------------------------------------------------------------------------------------
# The children: build a district, or serve its pages to the parent.


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def stamp_of_database() -> str | None:
    from django.db import connection

    if "bench_district" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("select stamp from bench_district")
        row = cursor.fetchone()
    return row[0] if row else None


def create_postgres_database(env: dict[str, str]) -> None:
    """A fresh, empty database named in env's DATABASE_URL, on the configured server."""
    import psycopg

    target = urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as db:
        db.execute(f'drop database if exists "{target}" with (force)')
        db.execute(f'create database "{target}"')


def child_build(scale: str, stamp: str) -> None:
    """Migrate and fill this child's database with a district at `scale`."""
    setup_django()
    from django.db import connection

    from conferbook import cli

    started = time.monotonic()
    cli.migrate()
    build_district(SCALES[scale])
    with connection.cursor() as cursor:
        cursor.execute("create table bench_district (stamp varchar(100))")
        cursor.execute("insert into bench_district (stamp) values (%s)", [stamp])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("pragma wal_checkpoint(truncate)")
            cursor.execute("analyze")
    else:
        with connection.cursor() as cursor:
            cursor.execute("analyze")
    print(f"  built the {scale} in {time.monotonic() - started:.0f} s", flush=True)


def school_days(first: date, last: date) -> list[date]:
    """Weekdays outside July and August: a school year's days, roughly."""
    days = []
    day = first
    while day <= last:
        if day.weekday() < 5 and day.month not in (7, 8):
            days.append(day)
        day += timedelta(days=1)
    return days


def build_district(scale: float) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from conferbook.accounts.models import User
    from conferbook.goals.models import Checklist, Goal, Strategy

    teachers = max(1, round(TEACHERS * scale))
    goals = list(Goal.objects.filter(owner=None).order_by("pk"))
    strategies: dict[int, list[int]] = {}
    for strategy_id, goal_id in Strategy.objects.filter(owner=None).values_list("pk", "goal_id"):
        strategies.setdefault(goal_id, []).append(strategy_id)
    checklist = Checklist.objects.get(key="narrative-3-5")
    items = list(checklist.items.all())
    today = timezone.localdate()
    past = school_days(today - timedelta(days=365 * YEARS), today - timedelta(days=1))
    ahead = [d for d in school_days(today, today + timedelta(days=40))][:BOOKED_DAYS]
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(username=f"t{n:03d}", first_name=f"Teacher{n:03d}", password=password)
        for n in range(teachers)
    )
    for n, teacher in enumerate(users):
        with transaction.atomic():
            build_class(
                n, teacher, goals, strategies, checklist, items, past, ahead, random.Random(n)
            )
        if n % 20 == 19:
            print(f"    {n + 1} of {teachers} classes", flush=True)


def build_class(
    n: int,
    teacher: Any,
    goals: list[Any],
    strategies: dict[int, list[int]],
    checklist: Any,
    items: list[Any],
    past: list[date],
    ahead: list[date],
    rng: random.Random,
) -> None:
    from django.utils import timezone

    from conferbook.accounts.selectors import current_school
    from conferbook.audit.models import Event
    from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
    from conferbook.goals.models import (
        SelfAssessment,
        SelfAssessmentAnswer,
        Strength,
        StudentGoal,
        WritingSample,
    )
    from conferbook.groups.models import Partnership, PartnershipMember, SmallGroup
    from conferbook.roster.models import Classroom, Enrollment, Student

    zone = timezone.get_fixed_timezone(0)
    try:
        import zoneinfo

        zone = zoneinfo.ZoneInfo(current_school().time_zone)
    except Exception:  # noqa: S110 (UTC will do for a bench)
        pass

    def at(day: date, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, 10, 0, tzinfo=zone) + timedelta(
            minutes=minute
        )

    HELD, SCHEDULED = Conference.Status.HELD, Conference.Status.SCHEDULED
    classroom = Classroom.objects.create(name=f"Class {n:03d}")
    classroom.teachers.add(teacher)
    students = Student.objects.bulk_create(
        Student(first_name=f"Kid{n:03d}{i:02d}", last_name=rng.choice(["Ng", "Ruiz", "Okafor"]))
        for i in range(CLASS_SIZE)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=s) for s in students)

    # Goals: GOALS_EACH over the two years, one after another; the last two are worked on.
    span = len(past) // (GOALS_EACH - 1)
    student_goals: list[StudentGoal] = []
    for s in students:
        chosen = rng.sample(goals, GOALS_EACH)
        for k, goal in enumerate(chosen):
            active = k >= GOALS_EACH - 2
            set_on = past[min(k * span, len(past) - 1)]
            student_goals.append(
                StudentGoal(
                    student=s,
                    goal=goal,
                    set_on=set_on,
                    set_by=teacher,
                    status=StudentGoal.Status.ACTIVE
                    if active
                    else rng.choice([StudentGoal.Status.MET] * 4 + [StudentGoal.Status.SET_ASIDE]),
                    closed_on=None if active else past[min((k + 1) * span, len(past) - 1)],
                )
            )
    StudentGoal.objects.bulk_create(student_goals)
    goals_of = {
        s.pk: student_goals[i * GOALS_EACH : (i + 1) * GOALS_EACH] for i, s in enumerate(students)
    }

    samples = WritingSample.objects.bulk_create(
        WritingSample(
            student=s,
            title=f"Piece {k + 1}",
            written_on=past[k * len(past) // SAMPLES_EACH],
            text=PIECE[rng.randrange(0, 60) :],
            added_by=teacher,
        )
        for s in students
        for k in range(SAMPLES_EACH)
    )
    strengths = Strength.objects.bulk_create(
        Strength(
            student=s,
            description=rng.choice(["Strong lead", "Uses dialogue", "Exact nouns", "Clear plan"]),
            evidence="The water was so cold it made my toes hurt.",
            sample=samples[i * SAMPLES_EACH + k * SAMPLES_EACH // STRENGTHS_EACH],
            goal=rng.choice(goals),
            noted_on=past[k * len(past) // STRENGTHS_EACH],
            noted_by=teacher,
        )
        for i, s in enumerate(students)
        for k in range(STRENGTHS_EACH)
    )

    # Small groups meet now and then; each meeting is one row for the group and one per member.
    groups = []
    for g in range(GROUPS):
        goal = rng.choice(goals)
        group = SmallGroup.objects.create(classroom=classroom, name=f"Group {g + 1}", goal=goal)
        members = students[g * GROUP_SIZE : (g + 1) * GROUP_SIZE]
        group.members.set(members)
        groups.append((group, members))
    meetings = []
    member_rows = []
    for group, members in groups:
        for k in range(GROUP_MEETINGS):
            day = past[(k * len(past) // GROUP_MEETINGS + rng.randrange(3)) % len(past)]
            meeting = GroupConference(
                classroom=classroom,
                group=group,
                name=group.name,
                teacher=teacher,
                status=GroupConference.Status.HELD,
                started_at=at(day, 40),
                ended_at=at(day, 48),
                duration_seconds=480,
                goal=group.goal,
                discussed=rng.choice(TALK),
                task=rng.choice(TASKS),
            )
            meetings.append(meeting)
            member_rows += [
                Conference(
                    classroom=classroom,
                    student=m,
                    teacher=teacher,
                    status=HELD,
                    started_at=meeting.started_at,
                    ended_at=meeting.ended_at,
                    duration_seconds=480,
                    group_conference=meeting,
                )
                for m in members
            ]
    GroupConference.objects.bulk_create(meetings)

    # One-on-one conferences: every EVERY_SCHOOL_DAYS school days, a slot in the block.
    held = []
    for i, s in enumerate(students):
        mine = goals_of[s.pk]
        for k, day in enumerate(past[i % EVERY_SCHOOL_DAYS :: EVERY_SCHOOL_DAYS]):
            start = at(day, (i // EVERY_SCHOOL_DAYS) * 5 + 10)
            working_on = [sg for sg in mine if sg.set_on <= day and (sg.closed_on or day) >= day]
            goal = working_on[-1] if working_on else None
            held.append(
                Conference(
                    classroom=classroom,
                    student=s,
                    teacher=teacher,
                    status=HELD if rng.random() > 0.03 else Conference.Status.MISSED,
                    scheduled_for=start,
                    started_at=start,
                    ended_at=start + timedelta(minutes=4),
                    duration_seconds=200 + rng.randrange(120),
                    student_goal=goal,
                    strategy_id=rng.choice(strategies.get(goal.goal_id, [None])) if goal else None,
                    compliment="You chose a small moment and stayed with it.",
                    discussed=rng.choice(TALK),
                    task=rng.choice(TASKS),
                    task_review=rng.choice(list(Conference.TaskReview.values)) if k else "",
                    strength=strengths[i * STRENGTHS_EACH + k % STRENGTHS_EACH]
                    if k % 4 == 0
                    else None,
                )
            )
    # Bookings ahead; one conference under way.
    for i, s in enumerate(students):
        day = ahead[i % len(ahead)]
        held.append(
            Conference(
                classroom=classroom,
                student=s,
                teacher=teacher,
                status=SCHEDULED,
                scheduled_for=at(day, (i // len(ahead)) * 5 + 10),
                planned=True,
            )
        )
    Conference.objects.bulk_create(held + member_rows, batch_size=500)
    Conference.objects.create(
        classroom=classroom,
        student=students[-1],
        teacher=teacher,
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
        discussed="Looking at the new piece's lead.",
    )

    assessments = SelfAssessment.objects.bulk_create(
        SelfAssessment(
            student=s,
            checklist=checklist,
            taken_on=past[k * len(past) // ASSESSMENTS_EACH],
            recorded_by=teacher,
        )
        for s in students
        for k in range(ASSESSMENTS_EACH)
    )
    SelfAssessmentAnswer.objects.bulk_create(
        SelfAssessmentAnswer(
            assessment=a, item=item, rating=rng.choice(["not_yet", "starting", "yes"])
        )
        for a in assessments
        for item in items
    )
    EarnedSticker.objects.bulk_create(
        EarnedSticker(
            student=s,
            goal=goals_of[s.pk][k % GOALS_EACH].goal,
            earned_on=past[k * len(past) // STICKERS_EACH],
            awarded_by=teacher,
        )
        for s in students
        for k in range(STICKERS_EACH)
    )
    partnerships = Partnership.objects.bulk_create(
        Partnership(classroom=classroom, basis=Partnership.Basis.SAME_GOAL)
        for _ in range(PARTNERSHIPS)
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=p, classroom=classroom, student=students[2 * k + j])
        for k, p in enumerate(partnerships)
        for j in range(2)
    )
    Event.objects.bulk_create(
        Event(
            kind=Event.Kind.STUDENT_OPENED,
            actor_id=teacher.pk,
            actor_name=teacher.username,
            student_id=s.pk,
            classroom_id=classroom.pk,
            detail="student page",
        )
        for s in students
        for _ in range(EVENTS_EACH)
    )


# Every page the bench measures, in its order (Pages makes each one's address).
PAGE_NAMES = (
    "class",
    "student",
    "conference screen",
    "autosave",
    "today",
    "week",
    "month",
    "board",
    "goal pictures",
    "groups",
    "partnerships",
    "coverage",
    "progress",
    "class print page",
    "student print page",
    "PDF cards",
    "PDF strips",
    "PDF binder",
    "PDF chart, one student",
    "PDF family reports",
    "PDF binder, everything (zip)",
    "PDF family reports, everything",
    "PDF family report, one",
    "PDF calendar",
    "PDF coverage",
    "PDF poster",
)


class Pages:
    """The pages of the first class, by name, as its teacher asks for them."""

    def __init__(self) -> None:
        from django.test import Client

        from conferbook.accounts.models import User
        from conferbook.conferences.models import Conference
        from conferbook.roster.models import Classroom

        teacher = User.objects.get(username="t000")
        classroom = Classroom.objects.filter(teachers=teacher).get()
        under_way = Conference.objects.get(
            classroom=classroom, status=Conference.Status.IN_PROGRESS
        )
        student = classroom.students.order_by("pk").first()
        assert student is not None
        self.client = Client()
        self.client.force_login(teacher)
        self.saved = under_way.discussed
        self.save_url = f"/conferences/{under_way.pk}/save/"
        c, s = f"/classes/{classroom.pk}", f"/students/{student.pk}"
        self.urls = {
            "class": f"{c}/",
            "student": f"{s}/",
            "conference screen": f"/conferences/{under_way.pk}/",
            "today": f"{c}/today/",
            "week": f"{c}/week/",
            "month": f"{c}/month/",
            "board": f"{c}/board/",
            "goal pictures": f"{c}/board/pictures/",
            "groups": f"{c}/groups/",
            "partnerships": f"{c}/partnerships/?mode=same_goal",
            "coverage": f"{c}/coverage/",
            "progress": f"{s}/progress/",
            "class print page": f"{c}/print/",
            "student print page": f"{s}/print/",
            "PDF cards": f"{c}/print/cards.pdf?who=all&sheet=letter-cards-10",
            "PDF strips": f"{c}/print/strips.pdf?sheet=letter-strips-4",
            "PDF binder": f"{c}/print/chart.pdf?paper=letter",
            "PDF chart, one student": f"{s}/print/chart.pdf?paper=letter",
            "PDF family reports": f"{c}/print/reports.pdf?paper=letter",
            "PDF binder, everything (zip)": f"{c}/print/chart.pdf?paper=letter&conferences=all",
            "PDF family reports, everything": f"{c}/print/reports.pdf?paper=letter&conferences=all",
            "PDF family report, one": f"{s}/print/reports.pdf?paper=letter",
            "PDF calendar": f"{c}/print/calendar.pdf?paper=letter&months=1",
            "PDF coverage": f"{c}/print/coverage.pdf?paper=letter",
            "PDF poster": f"{c}/print/poster.pdf?paper=letter",
        }

    def names(self) -> list[str]:
        names = ["class", "student", "conference screen", "autosave", *list(self.urls)[3:]]
        assert tuple(names) == PAGE_NAMES, "PAGE_NAMES and Pages.urls name the same pages"
        return names

    def request(self, name: str) -> int:
        if name == "autosave":
            text = self.saved + "x" if len(self.saved) < 2000 else "Starting again."
            response = self.client.post(
                self.save_url, {"field": "discussed", "value": text, "previous": self.saved}
            )
            self.saved = text
        else:
            response = self.client.get(self.urls[name])
            if response.streaming:  # a long binder is made as it is sent
                b"".join(response.streaming_content)
        return response.status_code


def child_serve() -> None:
    """Answer the parent's lines: {"page": name, "rounds": n} -> {"ms": [...], "queries": q}."""
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The test client's host. No setup_test_environment: its instrumented template
    # rendering (a signal and a copy of the context for every template) is not what a
    # server runs, and cost the student page about a fifth of its time.
    settings.ALLOWED_HOSTS = ["testserver"]
    pages = Pages()
    from conferbook.operations import settle_process

    settle_process()  # as `conferbook serve` does before it answers
    print(json.dumps({"pages": pages.names()}), flush=True)
    for line in sys.stdin:
        ask = json.loads(line)
        name, rounds = ask["page"], ask["rounds"]
        answer: dict[str, Any] = {}
        if ask.get("count"):
            with CaptureQueriesContext(connection) as queries:
                status = pages.request(name)
            answer["queries"] = len(queries)
            answer["status"] = status
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            status = pages.request(name)
            times.append((time.perf_counter() - start) * 1000)
            if status != 200:
                answer["status"] = status
        answer["ms"] = times
        print(json.dumps(answer), flush=True)


def child_profile(page: str, rounds: int) -> None:
    """Where `page` spends its time: cProfile over `rounds` requests, after a warm-up."""
    import cProfile
    import pstats

    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]  # as child_serve: no test instrumentation
    pages = Pages()
    for _ in range(3):
        pages.request(page)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(rounds):
        pages.request(page)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.dump_stats(str(Path(os.environ["CONFERBOOK_HOME"]).parent / f"{page}.prof"))
    stats.strip_dirs()
    print(f"{page}: {rounds} requests")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


# ----------------------------------------------------------------------------------------
# The parent.


def ensure_built(scale: str, stamp: str) -> None:
    env = child_env(scale)
    Path(env["CONFERBOOK_HOME"]).mkdir(parents=True, exist_ok=True)
    check = subprocess.run(
        [sys.executable, str(HERE), "--child-stamp"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0 and check.stdout.strip() == stamp:
        return
    print(f"Building the {scale} database (kept for later runs this week) ...", flush=True)
    if "DATABASE_URL" in os.environ:
        create_postgres_database(env)
    else:
        for suffix in ("", "-wal", "-shm"):
            (Path(env["CONFERBOOK_HOME"]) / f"conferbook.sqlite3{suffix}").unlink(missing_ok=True)
    subprocess.run([sys.executable, str(HERE), "--child-build", scale, stamp], env=env, check=True)


class Child:
    def __init__(self, scale: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(HERE), "--child-serve"],
            env=child_env(scale),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.read()  # ready: it names its pages (Pages.names checks them against PAGE_NAMES)

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("a child stopped; see above")
        return dict(json.loads(line))

    def ask(self, page: str, rounds: int, count: bool = False) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(
            json.dumps({"page": page, "rounds": rounds, "count": count}) + "\n"
        )
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def chosen_pages(pages: list[str], only: list[str] | None) -> list[str]:
    """The pages an --only list names, in the bench's order. A value that is itself a page
    name is taken whole (some names hold a comma); any other is split at its commas."""
    if not only:
        return pages
    wanted: set[str] = set()
    for value in only:
        names = [value] if value in pages else [name.strip() for name in value.split(",")]
        unknown = [name for name in names if name not in pages]
        if unknown:
            raise SystemExit(
                f"No page is named {', '.join(map(repr, unknown))}. The pages: " + "; ".join(pages)
            )
        wanted.update(names)
    return [page for page in pages if page in wanted]


def measure(rounds: int, pages: list[str]) -> list[dict[str, Any]]:
    big, tenth = Child("district"), Child("tenth")
    results = []
    try:
        for page in pages:
            wanted = min(rounds, PDF_ROUNDS) if page.startswith("PDF") else rounds
            first_big, first_tenth = big.ask(page, 3, count=True), tenth.ask(page, 3, count=True)
            times: dict[str, list[float]] = {"district": [], "tenth": []}
            bad = {first_big.get("status"), first_tenth.get("status")} - {200, None}
            while len(times["district"]) < wanted:
                block = min(BLOCK, wanted - len(times["district"]))
                for name, child in (("district", big), ("tenth", tenth)):
                    answer = child.ask(page, block)
                    times[name] += answer["ms"]
                    bad |= {answer.get("status")} - {200, None}
            row = {
                "page": page,
                "queries": first_big["queries"],
                "queries_tenth": first_tenth["queries"],
                "p50": statistics.median(times["district"]),
                "p95": percentile(times["district"], 95),
                "p99": percentile(times["district"], 99),
                "tenth_p50": statistics.median(times["tenth"]),
                "tenth_p99": percentile(times["tenth"], 99),
                "bad": sorted(bad),
                "n": len(times["district"]),
            }
            row["ratio"] = row["p50"] / row["tenth_p50"]
            results.append(row)
            print_row(row)
    finally:
        big.close()
        tenth.close()
    return results


def print_row(row: dict[str, Any]) -> None:
    pdf = row["page"].startswith("PDF")
    ratio_ok = row["ratio"] <= RATIO_TARGET
    p99_ok = pdf or row["p99"] <= P99_TARGET_MS
    marks = ("" if ratio_ok else " ratio>1.1") + ("" if p99_ok else " p99>50")
    queries = f"{row['queries']:3d}" + (
        "" if row["queries"] == row["queries_tenth"] else f" (tenth {row['queries_tenth']})"
    )
    print(
        f"  {row['page']:24s} {row['p50']:7.1f} {row['p95']:7.1f} {row['p99']:7.1f}"
        f"  {queries:>4s}   {row['tenth_p50']:7.1f}  {row['ratio']:5.2f}"
        f"  {'ok' if not marks and not row['bad'] else 'MISSED' + marks}"
        + (f"  HTTP {row['bad']}" if row["bad"] else ""),
        flush=True,
    )


def counts() -> str:
    env = child_env("district")
    out = subprocess.run(
        [sys.executable, str(HERE), "--child-counts"], env=env, capture_output=True, text=True
    )
    return out.stdout.strip()


def child_counts() -> None:
    setup_django()
    from django.db import connection

    from conferbook.accounts.models import User
    from conferbook.conferences.models import Conference
    from conferbook.roster.models import Student

    print(
        f"{connection.vendor}: {User.objects.count()} teachers, {Student.objects.count()} "
        f"students, {Conference.objects.count():,} conferences"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--only",
        action="append",
        metavar="PAGES",
        help="a page name, or page names separated by commas; may be given more than once",
    )
    parser.add_argument("--profile", metavar="PAGE", help="profile one page of the district")
    parser.add_argument("--child-build", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--child-serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-stamp", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-counts", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        child_build(*args.child_build)
        return 0
    if args.child_serve:
        child_serve()
        return 0
    if args.child_profile:
        child_profile(args.child_profile[0], int(args.child_profile[1]))
        return 0
    if args.child_counts:
        child_counts()
        return 0
    if args.child_stamp:
        setup_django()
        print(stamp_of_database() or "")
        return 0
    # A mistyped name is refused before anything is built.
    pages = chosen_pages(list(PAGE_NAMES), args.only)
    if args.profile:
        chosen_pages(list(PAGE_NAMES), [args.profile])
    stamp = wanted_stamp()
    for scale in SCALES:
        ensure_built(scale, stamp)
    if args.profile:
        subprocess.run(
            [sys.executable, str(HERE), "--child-profile", args.profile, str(args.rounds)],
            env=child_env("district"),
            check=True,
        )
        return 0
    print(f"District bench on {counts()} (and a tenth of that)")
    print(
        f"  the first class's pages as its teacher: {args.rounds} requests each "
        f"({PDF_ROUNDS} for PDFs), in blocks of {BLOCK} taking turns with the tenth"
    )
    print(
        f"  {'page':24s} {'p50':>7s} {'p95':>7s} {'p99':>7s}  {'qry':>4s}   {'tenth50':>7s}  "
        f"{'ratio':>5s}  targets: ratio <= {RATIO_TARGET}, p99 <= {P99_TARGET_MS:.0f} ms"
    )
    results = measure(args.rounds, pages)
    missed = [r["page"] for r in results if r["bad"]]
    if missed:
        print(f"Pages that did not answer 200: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
