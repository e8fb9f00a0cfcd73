"""`make bench-load`: Conferbook under load beside a bare Django project, in one run.

Both are served by the production server (`conferbook serve`: waitress in one process,
or gunicorn gthread processes with --workers 2) with the same threads, and driven by wrk on
loopback, one connection per wrk thread, each Conferbook connection a different signed-in
teacher: class page views, autosaves of "what we discussed" on the teacher's own conference
under way, and a mix of four page views to one autosave. The bare project (bench/bare/: one
view, one query, `startproject`'s middleware) is measured just before each Conferbook
measurement, so the two share the machine's noise; the ratio is Conferbook's requests/s to
bare Django's.

The data is built afresh each run in a throwaway data folder: SQLite by default, or, when
DATABASE_URL names a PostgreSQL server, the databases conferbook_load and conferbook_load_bare
created (and dropped afterwards) on that server; the database DATABASE_URL names is not
touched. The throwaway folder goes inside CONFERBOOK_HOME when that is set (so SQLite sits on
the disk an instance would use), else in the system's temporary folder.

    .venv/bin/python bench/load.py [--seconds 8] [--connections 8,16,24] [--workers 1,2]

A missed target is printed as missed, never a failure: the exit status is 0 unless the bench
itself could not run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "load.lua"
BARE_SERVE = BENCH / "bare" / "serve.py"

STUDENTS = 28  # a class
HELD = 35  # held conferences per student: a school year of conferring
# Marks the bench's conferences under way (see under_way).
UNDER_WAY_TASK = "Reread the lead aloud and listen for the hook."
START_SECONDS = 90
STOP_SECONDS = 20

WORKLOADS = {"page": "class page", "save": "autosave", "mix": "mix 80/20"}
PAGE_RATIO = 0.10  # the class page's requests/s, at least this share of bare Django's
SAVE_RATIO = 0.40
MIX_P99_MS = 250.0  # the mix's p99 at the most connections


@dataclass(frozen=True)
class Desk:
    """One teacher at work: the connection's identity and what it requests."""

    username: str
    teacher_id: int
    classroom_id: int
    student_id: int
    cookie: str = ""
    token: str = ""


@dataclass(frozen=True)
class Figures:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Row:
    workers: int
    workload: str
    connections: int
    conferbook: Figures
    bare: Figures

    @property
    def ratio(self) -> float:
        return self.conferbook.requests_per_second / max(self.bare.requests_per_second, 1e-9)


# -- the load generator ------------------------------------------------------------------


def find_wrk() -> str | None:
    """wrk, installed from Debian's packages when we may (root with apt-get), as the
    Makefile installs chromium; None (with the command to run printed) otherwise."""
    if found := shutil.which("wrk"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's wrk for the load bench", flush=True)
        if apt_get("update", "-qq") and apt_get("install", "-y", "-qq", "wrk"):
            return shutil.which("wrk")
        print("Could not install wrk with apt-get.", file=sys.stderr)
    elif shutil.which("apt-get"):
        print(
            "The load bench drives the servers with wrk. Install it, then run make bench-load"
            " again:  sudo apt-get install wrk",
            file=sys.stderr,
        )
    else:
        print(
            "The load bench drives the servers with wrk (https://github.com/wg/wrk): install it"
            " with your system's packages, then run make bench-load again.",
            file=sys.stderr,
        )
    return None


def apt_get(*args: str) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(
        [shutil.which("apt-get") or "apt-get", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode == 0


def drive(
    wrk: str, *, port: int, mode: str, desks_file: Path, connections: int, seconds: float
) -> Figures:
    """One wrk run of `seconds` against the server on `port`."""
    command = [
        wrk,
        f"-t{connections}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout=30s",
        f"-s{LUA}",
        f"http://127.0.0.1:{port}",
        "--",
        mode,
        str(desks_file),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 90, check=False
    )
    found = re.search(
        r"LOAD requests=(\d+) seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) "
        r"not_ok=(\d+) socket=(\d+) timeout=(\d+)",
        done.stdout,
    )
    if not found:
        raise RuntimeError(f"wrk said:\n{done.stdout}\n{done.stderr}")
    requests, duration, p50, p99, not_ok, broken, late = found.groups()
    return Figures(
        requests_per_second=int(requests) / float(duration),
        p50_ms=float(p50),
        p99_ms=float(p99),
        errors=int(not_ok) + int(broken) + int(late),
    )


Line = tuple[str, str, str, str]  # a connection's cookie, CSRF token, page path, save path


@dataclass(frozen=True)
class Driver:
    wrk: str
    warmup: float
    seconds: float
    scratch: Path

    def measure(self, *, port: int, mode: str, lines: Callable[[], list[Line]]) -> Figures:
        """A warm-up, then the measurement, with one connection per line; `lines()` is
        called afresh for each."""
        for seconds in (self.warmup, self.seconds):
            connections = lines()
            figures = drive(
                self.wrk,
                port=port,
                mode=mode,
                desks_file=write_desks(self.scratch / "desks.tsv", connections),
                connections=len(connections),
                seconds=seconds,
            )
        return figures


def anonymous_lines(count: int) -> list[Line]:
    """Bare Django's connections: no cookie, its one page."""
    return [("", "", "/", "")] * count


def teacher_lines(desks: list[Desk], workload: str) -> list[Line]:
    """One connection per desk; autosaves go to fresh conferences, from an empty text."""
    saves = under_way(desks) if workload != "page" else [""] * len(desks)
    return [
        (d.cookie, d.token, f"/classes/{d.classroom_id}/", save)
        for d, save in zip(desks, saves, strict=True)
    ]


def write_desks(path: Path, lines: list[Line]) -> Path:
    path.write_text("".join("\t".join(line) + "\n" for line in lines))
    return path


# -- servers -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def serving(
    command: list[str], *, env: dict[str, str], log: Path, ready_path: str
) -> Iterator[int]:
    """Start a server on a free loopback port, wait until `ready_path` answers 200, yield
    the port; stop it (and its worker processes) afterwards."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers go with it
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not answers(port, ready_path):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[-1]} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield port
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=STOP_SECONDS)


def signed_in(port: int, desk: Desk, password: str) -> Desk:
    """The desk with its teacher signed in through the login form, as a browser does."""
    cookies: dict[str, str] = {}

    def request(method: str, body: str | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, "/login/", body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].strip().partition("=")
            cookies[name] = value
        return answer.status

    request("GET")
    form = {"csrfmiddlewaretoken": cookies.get("csrftoken", ""), "username": desk.username}
    status = request("POST", urlencode({**form, "password": password}))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"Signing in {desk.username} answered {status}")
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return replace(desk, cookie=cookie, token=cookies["csrftoken"])


# -- databases and data ------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_databases(server_url: str, names: list[str], *, create: bool) -> None:
    """Drop (and with create, create) `names` on the PostgreSQL server of `server_url`,
    connecting to its maintenance database, never to the one the URL names."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as connection:
        for name in names:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if create:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build(*, teachers: int, password: str) -> tuple[list[Desk], int]:
    """`teachers` teachers, each a class of STUDENTS with a school year behind them: two goals
    each (one met, one being worked on), HELD held conferences each, one booked for next
    week, and one conference under way. Returns the desks and the number of conferences."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from conferbook.accounts.models import User
    from conferbook.conferences.models import Conference
    from conferbook.goals.models import Goal, StudentGoal
    from conferbook.roster.services import add_student, create_classroom

    goals = list(Goal.objects.filter(owner=None).order_by("pk")[:40])
    hashed = make_password(password)  # once: hashing is slow on purpose
    now = timezone.now()
    today = timezone.localdate()
    school_year_start = now - timedelta(days=180)
    desks = []
    for t in range(teachers):
        with transaction.atomic():
            teacher = User.objects.create(
                username=f"teacher{t}", first_name=f"Teacher{t}", last_name="Load", password=hashed
            )
            classroom = create_classroom(teacher=teacher, name=f"Grade 4, room {t}")
            students = [
                add_student(
                    classroom=classroom,
                    first_name=f"Student{i}",
                    last_name=f"Room{t}",
                    grade="4",
                )
                for i in range(STUDENTS)
            ]
            met = StudentGoal.objects.bulk_create(
                StudentGoal(
                    student=s,
                    goal=goals[i % 20],
                    status=StudentGoal.Status.MET,
                    set_on=today - timedelta(days=170),
                    closed_on=today - timedelta(days=80),
                    set_by=teacher,
                )
                for i, s in enumerate(students)
            )
            active = StudentGoal.objects.bulk_create(
                StudentGoal(
                    student=s,
                    goal=goals[20 + i % 20],
                    set_on=today - timedelta(days=80),
                    set_by=teacher,
                )
                for i, s in enumerate(students)
            )
            Conference.objects.bulk_create(
                (
                    Conference(
                        classroom=classroom,
                        student=s,
                        teacher=teacher,
                        status=Conference.Status.HELD,
                        started_at=school_year_start + timedelta(days=5 * k, minutes=9 * i),
                        ended_at=school_year_start + timedelta(days=5 * k, minutes=9 * i + 5),
                        duration_seconds=300,
                        student_goal=(met if k < HELD // 2 else active)[i],
                        discussed=f"Talked through a revision of paragraph {k % 7}.",
                        task="Reread the draft aloud and mark two places to add detail.",
                    )
                    for i, s in enumerate(students)
                    for k in range(HELD)
                ),
                batch_size=1000,
            )
            Conference.objects.bulk_create(
                Conference(
                    classroom=classroom,
                    student=s,
                    teacher=teacher,
                    status=Conference.Status.SCHEDULED,
                    scheduled_for=now + timedelta(days=1 + i % 5, minutes=9 * i),
                )
                for i, s in enumerate(students[1:])
            )
        desks.append(Desk(teacher.username, teacher.pk, classroom.pk, students[0].pk))
    under_way(desks)
    return desks, Conference.objects.count()


def under_way(desks: list[Desk]) -> list[str]:
    """A new conference under way for each desk's first student (so every autosave run
    starts from an empty text): the desks' autosave paths. The one before is ended rather
    than deleted, since a save of the last run may still be in flight to it; the one before
    that, long idle, is deleted, so the student's history does not grow run after run."""
    from django.db import connections, transaction
    from django.utils import timezone

    from conferbook.conferences.models import Conference

    students = [d.student_id for d in desks]
    now = timezone.now()
    with transaction.atomic():
        Conference.objects.filter(
            student_id__in=students, status=Conference.Status.HELD, task=UNDER_WAY_TASK
        ).delete()
        Conference.objects.filter(
            student_id__in=students, status=Conference.Status.IN_PROGRESS
        ).update(status=Conference.Status.HELD, ended_at=now)
        started = Conference.objects.bulk_create(
            Conference(
                id=uuid.uuid4(),
                classroom_id=d.classroom_id,
                student_id=d.student_id,
                teacher_id=d.teacher_id,
                status=Conference.Status.IN_PROGRESS,
                started_at=now,
                task=UNDER_WAY_TASK,
            )
            for d in desks
        )
    connections.close_all()  # hold no connection (nor SQLite lock) while the servers run
    return [f"/conferences/{c.pk}/save/" for c in started]


# -- the run -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=8, help="each measurement (default 8)")
    parser.add_argument("--warmup", type=float, default=2, help="before each (default 2)")
    parser.add_argument("--connections", default="8,16,24", help="comma-separated")
    parser.add_argument("--workers", default="1,2", help="processes, comma-separated")
    parser.add_argument("--threads", type=int, default=8, help="per process (default 8)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="page,save,mix")
    args = parser.parse_args()
    connection_counts = [int(n) for n in args.connections.split(",")]
    worker_counts = [int(n) for n in args.workers.split(",")]
    workloads = [w for w in args.workloads.split(",") if w]
    if unknown := set(workloads) - set(WORKLOADS):
        parser.error(f"unknown workload {', '.join(sorted(unknown))}: choose from page,save,mix")
    wrk = find_wrk()
    if wrk is None:
        return 1

    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if database_url and not postgres:
        print("The load bench knows SQLite and PostgreSQL only.", file=sys.stderr)
        return 1
    parent = os.environ.get("CONFERBOOK_HOME")
    if parent:
        Path(parent).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="conferbook-load-", dir=parent))
    names = ["conferbook_load", "conferbook_load_bare"]
    # The servers and this process see only what the bench sets: no CONFERBOOK_DEBUG etc.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("CONFERBOOK_")
    }
    conferbook_env = {**clean, "CONFERBOOK_HOME": str(scratch / "home")}
    bare_env = {**clean, "BARE_SECRET_KEY": secrets.token_urlsafe(50)}
    if postgres:
        recreate_databases(database_url, names, create=True)
        conferbook_env["DATABASE_URL"] = with_database(database_url, names[0])
        bare_env["BARE_DATABASE_URL"] = with_database(database_url, names[1])
    else:
        bare_env["BARE_SQLITE"] = str(scratch / "bare.sqlite3")
    try:
        return run(
            args,
            wrk=wrk,
            scratch=scratch,
            conferbook_env=conferbook_env,
            bare_env=bare_env,
            connection_counts=connection_counts,
            worker_counts=worker_counts,
            workloads=workloads,
        )
    finally:
        if postgres:
            from django.db import connections

            connections.close_all()
            recreate_databases(database_url, names, create=False)
        shutil.rmtree(scratch, ignore_errors=True)


def run(
    args: argparse.Namespace,
    *,
    wrk: str,
    scratch: Path,
    conferbook_env: dict[str, str],
    bare_env: dict[str, str],
    connection_counts: list[int],
    worker_counts: list[int],
    workloads: list[str],
) -> int:
    for name in [k for k in os.environ if k.startswith("CONFERBOOK_") or k == "DATABASE_URL"]:
        del os.environ[name]
    os.environ.update(conferbook_env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "conferbook.settings"
    import django

    django.setup()
    from django.db import connection, connections

    from conferbook.cli import migrate

    started = time.monotonic()
    teachers = max(connection_counts)
    password = secrets.token_urlsafe(16)
    migrate()
    desks, conferences = build(teachers=teachers, password=password)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if connection.vendor == "postgresql":
        vendor += " " + connection.cursor().connection.info.parameter_status("server_version")
    built = time.monotonic() - started

    print(
        f"Conferbook under load beside bare Django {django.get_version()}, on {vendor}; "
        f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.2f} at the start)"
    )
    print(
        f"  Data: {teachers} teachers, each a class of {STUDENTS} students with {HELD} held "
        f"conferences each ({conferences:,} conferences in all), built in {built:.0f} s."
    )
    print(
        f"  Servers: `conferbook serve` and bench/bare/serve.py, {args.threads} threads per "
        "process: waitress in 1 process, gunicorn gthread for 2 or more; both keep their "
        "database connections (CONN_MAX_AGE 600)."
    )
    print(
        f"  wrk {wrk_version(wrk)} on loopback, one connection per thread, each Conferbook "
        f"connection a different signed-in teacher; each figure {args.seconds:g} s after a "
        f"{args.warmup:g} s warm-up, bare Django measured just before Conferbook."
    )
    print(
        "  Errors: answers other than 200, socket errors and timeouts (30 s). "
        "Mix: every fifth request an autosave."
    )
    print(flush=True)
    connections.close_all()
    print("Conferbook (req/s, p50, p99, errors) beside bare Django (req/s, p50, p99)")
    print(HEADER, flush=True)

    driver = Driver(wrk, warmup=args.warmup, seconds=args.seconds, scratch=scratch)
    logs = scratch / "logs"
    logs.mkdir()
    rows: list[Row] = []
    for workers in worker_counts:
        conferbook_command = [
            sys.executable,
            "-m",
            "conferbook",
            "serve",
            "--threads",
            str(args.threads),
            "--workers",
            str(workers),
        ]
        bare_command = [
            sys.executable,
            str(BARE_SERVE),
            "--threads",
            str(args.threads),
            "--workers",
            str(workers),
        ]
        with (
            serving(
                conferbook_command,
                env=conferbook_env,
                log=logs / "conferbook.log",
                ready_path="/login/",
            ) as conferbook_port,
            serving(bare_command, env=bare_env, log=logs / "bare.log", ready_path="/") as bare_port,
        ):
            if not desks[0].cookie:  # sessions live in the database: once is enough
                desks = [signed_in(conferbook_port, desk, password) for desk in desks]
            for workload in workloads:
                for count in connection_counts:
                    bare = driver.measure(
                        port=bare_port,
                        mode="page",
                        lines=partial(anonymous_lines, count),
                    )
                    conferbook = driver.measure(
                        port=conferbook_port,
                        mode=workload,
                        lines=partial(teacher_lines, desks[:count], workload),
                    )
                    row = Row(workers, workload, count, conferbook, bare)
                    rows.append(row)
                    print(line_of(row, max(connection_counts)), flush=True)
    print_summary(rows, worker_counts, max(connection_counts))
    print(f"\nThe whole bench took {(time.monotonic() - started) / 60:.1f} minutes.")
    problems = [
        line
        for line in (logs / "conferbook.log").read_text(errors="replace").splitlines()
        if "Task queue depth" not in line
        and "Conferbook is running" not in line
        and "Times are shown" not in line
        and "Press Ctrl+C" not in line
    ]
    if problems:
        print("\nThe Conferbook server said (last 20 lines):")
        print("\n".join(problems[-20:]))
    return 0


def wrk_version(wrk: str) -> str:
    said = subprocess.run([wrk, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"wrk (\S+)", said.stdout + said.stderr)
    return found.group(1) if found else "(unknown version)"


# -- the table ---------------------------------------------------------------------------


def target_of(row: Row, most: int) -> str:
    """The row's target and whether it was met, or "" when it has none."""
    if row.workload == "page":
        return f"ratio >= {PAGE_RATIO:.2f}: {'met' if row.ratio >= PAGE_RATIO else 'MISSED'}"
    if row.workload == "save":
        return f"ratio >= {SAVE_RATIO:.2f}: {'met' if row.ratio >= SAVE_RATIO else 'MISSED'}"
    if row.connections == most:
        met = row.conferbook.p99_ms <= MIX_P99_MS
        return f"p99 <= {MIX_P99_MS:.0f} ms: {'met' if met else 'MISSED'}"
    return ""


HEADER = (
    f"{'workers':>7} {'workload':<10} {'conns':>5} | {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'errors':>6} | {'bare req/s':>10} {'p50 ms':>7} {'p99 ms':>7} | {'ratio':>6}  target "
    "(and errors 0)"
)


def line_of(row: Row, most: int) -> str:
    c, b = row.conferbook, row.bare
    errors = f"{c.errors}" + ("!" if c.errors else "")
    bare_errors = f" (bare errors {b.errors})" if b.errors else ""
    return (
        f"{row.workers:>7} {WORKLOADS[row.workload]:<10} {row.connections:>5} | "
        f"{c.requests_per_second:>8.1f} {c.p50_ms:>8.1f} {c.p99_ms:>8.1f} {errors:>6} | "
        f"{b.requests_per_second:>10.1f} {b.p50_ms:>7.1f} {b.p99_ms:>7.1f} | "
        f"{row.ratio:>6.3f}  {target_of(row, most)}{bare_errors}"
    )


def print_summary(rows: list[Row], worker_counts: list[int], most: int) -> None:
    print("\nTargets")
    for workload in WORKLOADS:
        marks = [target_of(row, most) for row in rows if row.workload == workload]
        if marks := [mark for mark in marks if mark]:
            met = sum(mark.endswith(": met") for mark in marks)
            print(
                f"  {WORKLOADS[workload]:<10} {marks[0].split(':')[0]}"
                + (f" at {most} connections" if workload == "mix" else "")
                + f": met in {met} of {len(marks)} runs"
            )
    errors = sum(row.conferbook.errors for row in rows)
    print(f"  errors 0: {errors} in all Conferbook runs, {'met' if not errors else 'MISSED'}")
    if 1 in worker_counts and len(worker_counts) > 1:
        one = {(r.workload, r.connections): r for r in rows if r.workers == 1}
        print("\nGain with more workers: req/s divided by req/s with 1 worker")
        for row in rows:
            if row.workers == 1 or (row.workload, row.connections) not in one:
                continue
            before = one[row.workload, row.connections]
            gain = row.conferbook.requests_per_second / before.conferbook.requests_per_second
            bare_gain = row.bare.requests_per_second / before.bare.requests_per_second
            print(
                f"  {row.workers} workers, {WORKLOADS[row.workload]:<10} {row.connections:>3} "
                f"connections: Conferbook x{gain:.2f}, bare Django x{bare_gain:.2f}"
            )


if __name__ == "__main__":
    sys.exit(main())
