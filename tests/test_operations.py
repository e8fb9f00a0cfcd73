"""Running an instance as a school relies on: restore, backups, a private data folder,
cached static files, HEAD, a busy port, and clearing out what has expired.

Most tests run the real `conferbook serve` (waitress) or the `conferbook` command in a
subprocess with a fresh data folder (see tests/running.py).
"""

from __future__ import annotations

import gc
import http.client
import re
import socket
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from conferbook import operations
from conferbook.accounts.models import FailedLogin
from conferbook.accounts.services import purge_expired_sign_ins
from tests.running import conferbook, demo_password, free_port, running, start

pytestmark = pytest.mark.xdist_group("servers")

CLIENTS = 16


def student_names(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return set(db.execute("select first_name, last_name from roster_student"))


def one_value(database: Path, sql: str) -> object:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchone()[0]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# Restore


def test_it_restores_exactly_the_backed_up_rows_after_the_server_is_killed(tmp_path):
    """The restore drill: back up while 16 clients save, kill the server, restore, serve."""
    home = tmp_path / "home"
    password = demo_password(conferbook(home, "demo").stdout)
    database = home / "conferbook.sqlite3"
    classroom = one_value(database, "select id from roster_classroom")
    backup = tmp_path / "drill.sqlite3"

    server = start(home)
    try:
        teacher = server.browser()
        teacher.sign_in("demo", password)
        # (when sent, when acknowledged, name)
        saved: list[tuple[float, float, tuple[str, str]]] = []
        stop = threading.Event()

        def client(number: int) -> None:
            browser = server.browser()
            browser.cookies.update(teacher.cookies)
            count = 0
            while not stop.is_set():
                name = (f"Drill{number:02d}", f"N{count:05d}")
                count += 1
                sent = time.monotonic()
                try:
                    response = browser.post(
                        f"/classes/{classroom}/students/new/",
                        {"first_name": name[0], "last_name": name[1]},
                        timeout=10,
                    )
                except (OSError, http.client.HTTPException):
                    continue  # the server was killed under it
                assert response.status == 302, response.text[:300]
                saved.append((sent, time.monotonic(), name))

        clients = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in clients:
            thread.start()
        try:
            time.sleep(1)
            backup_started = time.monotonic()
            conferbook(home, "backup", str(backup))
            backup_done = time.monotonic()
            time.sleep(1)
            # Restoring under a running server is refused, and changes nothing.
            refused = conferbook(home, "restore", str(backup), check=False)
            assert refused.returncode == 1
            assert "Stop it first" in refused.stderr
            assert "Nothing was changed" in refused.stderr
            server.kill()
        finally:
            stop.set()
            for thread in clients:
                thread.join(timeout=30)
    finally:
        server.stop()

    backed_up = student_names(backup)
    before = {name for _, acknowledged, name in saved if acknowledged < backup_started}
    after = {name for sent, _, name in saved if sent > backup_done}
    # The drill means something: rows saved on both sides of the backup, and the killed
    # server left its WAL behind, which SQLite would replay into a database put in its place.
    assert before and before <= backed_up
    assert after and not after & backed_up
    assert (home / "conferbook.sqlite3-wal").exists()

    restored = conferbook(home, "restore", str(backup))
    assert f"Restored the database from {backup}" in restored.stdout
    assert not (home / "conferbook.sqlite3-wal").exists()
    assert not (home / "conferbook.sqlite3-shm").exists()
    (kept,) = (home / "backups").glob("before-restore-*.sqlite3")
    assert str(kept) in restored.stdout

    with running(home) as server:
        teacher = server.browser()
        teacher.sign_in("demo", password)
        page = teacher.get(f"/classes/{classroom}/")
        assert page.status == 200
        assert student_names(database) == backed_up
        with sqlite3.connect(database) as db:
            assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        shown = {(first, last) for first, last in backed_up if first.startswith("Drill")}
        listed = set(re.findall(r"<strong>(Drill\d+)</strong> (N\d+)</a>", page.text))
        assert listed == shown
    # The database it replaced still has everything the clients saved before the kill.
    assert after <= student_names(kept)


def a_conferbook_database(path: Path, students: int = 2000) -> Path:
    """A small stand-in with the tables a restore looks for, spread over many pages."""
    with sqlite3.connect(path) as db:
        db.execute("create table django_migrations (id integer primary key, name text)")
        db.execute("create table roster_student (id integer primary key, first_name text)")
        db.executemany(
            "insert into roster_student (first_name) values (?)",
            [(f"Student {n} " + "x" * 40,) for n in range(students)],
        )
        db.execute("create index student_name on roster_student (first_name)")
    return path


def test_it_refuses_a_damaged_or_foreign_file_and_changes_nothing(tmp_path):
    database = a_conferbook_database(tmp_path / "conferbook.sqlite3", students=3)
    (tmp_path / "conferbook.sqlite3-wal").write_bytes(b"the live database's own log")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    damaged = a_conferbook_database(tmp_path / "damaged.sqlite3")
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), 3 * page):  # scribble over every third page
        data[offset + 100 : offset + 400] = b"\xa5" * 300
    damaged.write_bytes(bytes(data))
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database\n" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("create table notes (id integer primary key)")
    sources = {p.name: p.read_bytes() for p in [damaged, text, other]}

    for source, message in [
        (damaged, "is damaged"),
        (text, "is not a readable SQLite database"),
        (other, "not a Conferbook one"),
        (tmp_path / "missing.sqlite3", "There is no file at"),
        (database, "is the database itself"),
    ]:
        with pytest.raises(operations.RestoreRefused, match=message):
            operations.restore_database(source, database=database)
        now = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name not in sources}
        assert now == before, source  # nothing moved, nothing left behind
    assert {n: (tmp_path / n).read_bytes() for n in sources} == sources  # only ever read


def test_it_sets_the_replaced_database_aside_with_its_own_log(tmp_path):
    database = a_conferbook_database(tmp_path / "conferbook.sqlite3", students=3)
    backup = a_conferbook_database(tmp_path / "backup.sqlite3", students=7)
    live = sqlite3.connect(database)
    live.execute("pragma journal_mode=wal")
    live.execute("pragma wal_autocheckpoint=0")  # keep the next row in the WAL only
    live.execute("insert into roster_student (first_name) values ('only in the WAL')")
    live.commit()
    # A copy of the three files as a killed server leaves them.
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ["", "-wal", "-shm"]:
        (crashed / f"conferbook.sqlite3{suffix}").write_bytes(
            (tmp_path / f"conferbook.sqlite3{suffix}").read_bytes()
        )
    live.close()
    database = crashed / "conferbook.sqlite3"

    kept = operations.restore_database(backup, database=database)

    assert sorted(p.name for p in crashed.iterdir()) == ["backups", "conferbook.sqlite3"]
    assert one_value(database, "select count(*) from roster_student") == 7
    assert kept is not None and kept.parent == crashed / "backups"
    assert kept.name.startswith("before-restore-")
    assert one_value(kept, "select count(*) from roster_student") == 4  # its WAL came along


# Backups


def test_it_replaces_last_weeks_backup_of_the_same_name(tmp_path):
    """The README's cron line writes conferbook-Mon.sqlite3 again every Monday."""
    home = tmp_path / "home"
    home.mkdir()
    database = a_conferbook_database(home / "conferbook.sqlite3", students=29)
    folder = tmp_path / "nightly"
    folder.mkdir()
    target = folder / "conferbook-Mon.sqlite3"
    conferbook(home, "backup", str(target))
    assert one_value(target, "select count(*) from roster_student") == 29

    with sqlite3.connect(database) as db:
        db.execute("delete from roster_student where id <= 4")
    again = conferbook(home, "backup", str(target))
    assert f"Backed up to {target}" in again.stdout
    assert one_value(target, "select count(*) from roster_student") == 25
    assert one_value(target, "pragma integrity_check") == "ok"
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temporary file left
    assert mode(target) == 0o600


def test_it_prunes_only_automatic_backups_before_upgrades_keeping_the_newest(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    backups = tmp_path / "backups"
    backups.mkdir()
    automatic = [backups / f"before-upgrade-2020010{day}-020000.sqlite3" for day in range(1, 8)]
    mine = [
        backups / "conferbook-20200101-020000.sqlite3",
        backups / "before-restore-20200101-020000.sqlite3",
        backups / "term-end.sqlite3",
    ]
    for path in [*automatic, *mine]:
        path.write_bytes(b"")

    removed = operations.prune_upgrade_backups()

    assert removed == automatic[:2]
    assert sorted(backups.iterdir()) == sorted([*automatic[2:], *mine])
    assert operations.UPGRADE_BACKUPS_KEPT == 5


# The data folder, HEAD and static files on a running server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server started twice on a data folder an older version left readable to all,
    holding an expired session and failed sign-ins old and new."""
    home = tmp_path_factory.mktemp("served") / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    conferbook(home, "manage", "migrate", "--verbosity", "0")
    database = home / "conferbook.sqlite3"
    database.chmod(0o644)
    now = timezone.now()
    with sqlite3.connect(database) as db:
        for key, expires in [
            ("expired", now - timedelta(days=1)),
            ("current", now + timedelta(hours=1)),
        ]:
            db.execute(
                "insert into django_session values (?, ?, ?)",
                (key.ljust(32, "x"), "e30:1:x", expires.strftime("%Y-%m-%d %H:%M:%S")),
            )
        for username, attempted in [("old", now - timedelta(days=2)), ("recent", now)]:
            db.execute(
                "insert into accounts_failedlogin (username, ip_address, attempted_at) "
                "values (?, '127.0.0.1', ?)",
                (username, attempted.strftime("%Y-%m-%d %H:%M:%S")),
            )
    with running(home):
        pass
    manifest = home / "static" / "staticfiles.json"
    first_copy = manifest.stat().st_mtime_ns if manifest.exists() else None
    with running(home) as server:
        server.browser().get("/welcome/")  # the database is open and written to (WAL)
        conferbook(home, "backup")
        yield server, first_copy


def test_it_keeps_the_data_folder_readable_by_its_owner_only(served):
    server, _ = served
    home = server.home
    assert mode(home) == 0o700
    for name in [
        "conferbook.sqlite3",
        "conferbook.sqlite3-wal",
        "conferbook.sqlite3-shm",
        "secret_key",
    ]:
        assert mode(home / name) == 0o600, name
    assert mode(home / "backups") == 0o700
    (backup,) = (home / "backups").iterdir()
    assert mode(backup) == 0o600


def test_it_makes_an_older_readable_database_private_on_any_command(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    a_conferbook_database(home / "conferbook.sqlite3", students=3).chmod(0o644)
    conferbook(home, "backup")
    assert mode(home) == 0o700
    assert mode(home / "conferbook.sqlite3") == 0o600


def test_it_purges_expired_sessions_and_old_failed_sign_ins_when_it_starts(served):
    server, _ = served
    database = server.home / "conferbook.sqlite3"
    with sqlite3.connect(database) as db:
        sessions = {row[0][:7] for row in db.execute("select session_key from django_session")}
        failures = {row[0] for row in db.execute("select username from accounts_failedlogin")}
    assert "expired" not in sessions and "current" in sessions
    assert failures == {"recent"}


def raw_answer(port: int, request: bytes) -> tuple[bytes, bytes]:
    """Headers and whatever follows them, read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


@pytest.mark.parametrize("path", ["/welcome/", "/static/conferbook/app.css"])
def test_it_answers_head_with_headers_and_no_body(served, path):
    server, _ = served
    head, rest = raw_answer(
        server.port,
        f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode(),
    )
    assert head.startswith(b"HTTP/1.1 200"), head
    assert rest == b""
    _, body = raw_answer(
        server.port, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    )
    assert body  # the same address has a body on GET


def test_it_serves_static_files_with_hashed_names_compressed_and_cached_for_a_year(served):
    server, first_copy = served
    browser = server.browser()
    page = browser.get("/welcome/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", a).rsplit("/", 1)[1] for a in assets}
    assert {"app.css", "app.js"} <= names, assets
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", asset), asset
        answer = browser.get(asset, headers={"Accept-Encoding": "gzip"})
        assert answer.status == 200, asset
        cache = answer.headers["Cache-Control"]
        assert "immutable" in cache and "max-age=315360000" in cache, (asset, cache)
        if not asset.endswith(".svg"):
            assert answer.headers["Content-Encoding"] == "gzip", asset
    # The second start found the files unchanged and did not copy them again.
    assert (server.home / "static" / "staticfiles.json").stat().st_mtime_ns == first_copy


# A busy port


def test_it_says_in_one_line_how_to_choose_another_port_when_the_port_is_taken(tmp_path):
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = conferbook(
            tmp_path / "home", "serve", "--port", str(port), check=False, timeout=60
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"Port {port} is already in use" in lines[0]
    assert "--port" in lines[0] and f"make run PORT={port + 1}" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


# Housekeeping while the server runs


@pytest.mark.django_db
def test_it_purges_expired_sessions_and_failed_sign_ins_that_no_longer_count(settings):
    expired, current = SessionStore(), SessionStore()
    expired["roster_import"] = {"rows": [{"first_name": "Zoë"}]}
    expired.create()
    current.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    stale = FailedLogin.objects.create(username="rivera", ip_address="203.0.113.10")
    fresh = FailedLogin.objects.create(username="rivera", ip_address="203.0.113.10")
    FailedLogin.objects.filter(pk=stale.pk).update(
        attempted_at=timezone.now() - timedelta(seconds=settings.LOGIN_COOL_OFF_SECONDS + 1)
    )

    purge_expired_sign_ins()

    assert set(Session.objects.values_list("session_key", flat=True)) == {current.session_key}
    assert list(FailedLogin.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_it_purges_again_on_schedule_while_the_server_runs(monkeypatch):
    rounds = threading.Semaphore(0)
    monkeypatch.setattr(operations, "purge_expired", rounds.release)
    stop = operations.start_housekeeping(every=0.05)
    try:
        assert rounds.acquire(timeout=5)
        assert rounds.acquire(timeout=5)  # and again, without a restart
    finally:
        stop.set()
    assert operations.HOUSEKEEPING_SECONDS == 24 * 60 * 60


def test_a_server_process_keeps_its_lifelong_data_out_of_the_collectors_sight():
    """`conferbook serve` settles the process before answering: the analyser's word lists
    (hundreds of thousands of objects) are loaded and frozen, so a full garbage collection
    in the middle of a page walks only that page's objects (a 30-40 ms pause otherwise)."""
    from conferbook.analysis import spelling

    try:
        frozen = operations.settle_process()
        suggestions = spelling._index()
        assert frozen > 100_000
        assert all(kept is not suggestions for kept in gc.get_objects())
    finally:
        gc.unfreeze()
