"""`conferbook serve --workers N`: several app processes that hold no state of their own.

The real server in a subprocess (tests/running.py): a teacher signed in through one
process stays signed in whichever process answers next, even after a process is killed
and replaced.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.running import conferbook, demo_password, running

pytestmark = [
    pytest.mark.xdist_group("servers"),
    pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc"),
]


def workers_of(pid: int) -> set[int]:
    """The processes `pid` has started (Linux)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in children}


def wait_for_workers(pid: int, count: int, other_than: set[int] = frozenset()) -> set[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        workers = workers_of(pid)
        if len(workers) == count and not workers & other_than:
            return workers
        time.sleep(0.2)
    raise AssertionError(f"{pid} has workers {workers_of(pid)}, not {count} new ones")


def test_a_teacher_stays_signed_in_whichever_process_answers(tmp_path):
    home = tmp_path / "home"
    password = demo_password(conferbook(home, "demo").stdout)
    with sqlite3.connect(home / "conferbook.sqlite3") as db:
        (classroom,) = db.execute("select id from roster_classroom").fetchone()
    with running(home, "--workers", "2", "--threads", "2") as server:
        first = wait_for_workers(server.process.pid, 2)
        assert "with 2 processes of 2 threads" in server.output()
        teacher = server.browser()
        teacher.sign_in("demo", password)
        # Every request is a new connection, so both processes take their share.
        for _ in range(20):
            assert teacher.get(f"/classes/{classroom}/").status == 200
        added = teacher.post(
            f"/classes/{classroom}/students/new/", {"first_name": "Wren", "last_name": "Okafor"}
        )
        assert added.status == 302

        # A process that dies is replaced, and nothing it held is missed.
        os.kill(min(first), signal.SIGKILL)
        wait_for_workers(server.process.pid, 2, other_than={min(first)})
        for _ in range(20):
            page = teacher.get(f"/classes/{classroom}/")
            assert page.status == 200
            assert "Wren" in page.text


@pytest.mark.parametrize("option", ["--workers", "--threads"])
def test_it_refuses_no_processes_or_threads_in_plain_words(tmp_path, option):
    result = conferbook(tmp_path / "home", "serve", option, "0", check=False)
    assert result.returncode == 2
    assert "--workers and --threads take a whole number of 1 or more" in result.stderr
