"""The `conferbook` command as school IT would run it: a fresh data folder each time."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("cli")


def run(home: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # the laptop setup
    env["CONFERBOOK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "conferbook", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def students_in(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("select count(*) from roster_student").fetchone()[0]


def test_it_loads_the_demo_and_backs_up_before_an_upgrade(tmp_path):
    first = run(tmp_path, "demo")
    assert "Sign in as:  demo" in first.stdout
    assert "Backed up" not in first.stdout  # a brand-new database has nothing to lose
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert students_in(tmp_path / "conferbook.sqlite3") == 29

    # Roll one migration back, so the next start has an upgrade to apply.
    run(tmp_path, "manage", "migrate", "roster", "0001", "--verbosity", "0")
    # Five backups from earlier upgrades: the oldest goes when the sixth is made.
    (tmp_path / "backups").mkdir()
    earlier = [tmp_path / f"backups/before-upgrade-2020010{d}-020000.sqlite3" for d in range(1, 6)]
    for path in earlier:
        path.write_bytes(b"")
    second = run(tmp_path, "demo")
    assert "Backed up the database before upgrading" in second.stdout
    backups = sorted((tmp_path / "backups").glob("*.sqlite3"))
    assert backups[:4] == earlier[1:]
    assert len(backups) == 5
    with sqlite3.connect(backups[4]) as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert students_in(backups[4]) == 29
    assert (backups[4].stat().st_mode & 0o777) == 0o600
    assert (
        first.stdout.split("Password:")[1].split()[0]
        != (second.stdout.split("Password:")[1].split()[0])
    )


def test_it_backs_up_on_request(tmp_path):
    run(tmp_path, "demo")
    target = tmp_path / "copy.sqlite3"
    out = run(tmp_path, "backup", str(target))
    assert str(target) in out.stdout
    assert students_in(target) == 29


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_serves_the_first_run_page_on_an_empty_instance(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CONFERBOOK_HOME"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "conferbook", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:
                    body = page.read().decode()
                    final_url = page.geturl()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        assert final_url.endswith("/welcome/")
        assert "create your teacher account" in body.lower()
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/conferbook/app.css", timeout=2
        ) as css:
            assert css.status == 200  # whitenoise serves the package's static files
    finally:
        server.terminate()
        server.wait(timeout=10)
