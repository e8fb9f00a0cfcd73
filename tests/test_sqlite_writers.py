"""On SQLite, the writers of one process take turns on a lock of their own, and the
processes on a lock of the file's (conferbook/sqlite3/base.py), rather than sleeping in
SQLite's busy handler."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

pytestmark = pytest.mark.django_db


def open_writer(config: dict, alias: str):
    """A connection to the file, as one thread of a server holds it (connections are
    per thread)."""
    connections[alias] = type(connections[DEFAULT_DB_ALIAS])(config, alias=alias)
    return connections[alias]


@pytest.fixture
def database(tmp_path):
    """A SQLite file of its own, configured as the instance's."""
    if connection.vendor != "sqlite":
        pytest.skip("the writers' lock is SQLite's backend; PostgreSQL has row locks")
    config = copy.deepcopy(connection.settings_dict)
    config["NAME"] = str(tmp_path / "conferbook.sqlite3")
    first = open_writer(config, "first")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    yield config, first
    first.close()
    del connections["first"]


def logged(events: list[str], name: str):
    def wrapper(execute, sql, params, many, context):
        if sql.startswith("BEGIN"):
            events.append(f"{name} begins")
        return execute(sql, params, many, context)

    return wrapper


def second_writer(config: dict, events: list[str], asked: threading.Event) -> threading.Thread:
    """A thread (not started) writing a note through a connection of its own, logging as
    it asks, begins and commits; `asked` is set as it asks."""

    def write() -> None:
        second = open_writer(config, "second")
        try:
            with second.execute_wrapper(logged(events, "second")):
                events.append("second asks")
                asked.set()
                with transaction.atomic(using="second"), second.cursor() as cursor:
                    cursor.execute("INSERT INTO note (text) VALUES ('second')")
            events.append("second commits")
        finally:
            second.close()

    return threading.Thread(target=write)


def test_a_second_writer_begins_only_once_the_first_has_committed(database):
    config, first = database
    events: list[str] = []
    asked = threading.Event()

    thread = second_writer(config, events, asked)
    with (
        first.execute_wrapper(logged(events, "first")),
        transaction.atomic(using="first"),
        first.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO note (text) VALUES ('first')")
        thread.start()
        assert asked.wait(timeout=10)
        # The second writer waits on the process's lock, not inside SQLite: its BEGIN is
        # not sent while the first transaction is open.
        thread.join(timeout=0.2)
        assert thread.is_alive()
        events.append("first commits")
    thread.join(timeout=10)
    assert events == [
        "first begins",
        "second asks",
        "first commits",
        "second begins",
        "second commits",
    ]
    assert not first.writer.locked()
    with first.cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY id")
        assert [text for (text,) in cursor.fetchall()] == ["first", "second"]


def test_a_failed_or_closed_transaction_lets_the_next_writer_in(database):
    _, first = database
    with pytest.raises(ZeroDivisionError), transaction.atomic(using="first"):
        assert first.writer.locked()
        1 / 0  # noqa: B018
    assert not first.writer.locked()
    with transaction.atomic(using="first"):
        first.close()  # a connection lost mid-transaction
    assert not first.writer.locked()


def test_a_reader_does_not_wait_for_a_writer(database):
    config, first = database
    counted: list[int] = []

    def reader():
        other = open_writer(config, "reader")
        try:
            with other.cursor() as cursor:  # autocommit, no transaction: WAL lets it read
                cursor.execute("SELECT count(*) FROM note")
                counted.append(cursor.fetchone()[0])
        finally:
            other.close()

    with transaction.atomic(using="first"), first.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES ('not yet committed')")
        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(timeout=10)
        assert counted == [0]


def test_the_lock_is_the_files(database, tmp_path):
    config, first = database
    elsewhere = open_writer({**config, "NAME": str(tmp_path / "other.sqlite3")}, "elsewhere")
    try:
        assert elsewhere.writer is not first.writer
        assert open_writer(config, "again").writer is first.writer
    finally:
        elsewhere.close()
        connections["again"].close()
        del connections["elsewhere"], connections["again"]


# -- across processes: an flock on <database>-writer -------------------------------------

HOLDER = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
for line in sys.stdin:
    if line.strip() == "take":
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        print("taken", flush=True)
    elif line.strip() == "try":
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            print("free", flush=True)
        except BlockingIOError:
            print("held", flush=True)
    elif line.strip() == "give":
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        print("given", flush=True)
"""


@pytest.fixture
def other_process(database):
    """Another process of the server, as far as the file's writer lock goes."""
    config, _ = database
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"{config['NAME']}-writer"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def ask(what: str) -> str:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(what + "\n")
        process.stdin.flush()
        return process.stdout.readline().strip()

    yield ask
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=10)


def test_another_process_finds_the_file_locked_while_a_transaction_writes(database, other_process):
    _, first = database
    assert other_process("try") == "free"
    with transaction.atomic(using="first"), first.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES ('first')")
        assert first.holds_file
        assert other_process("try") == "held"
    assert other_process("try") == "free"
    # However the transaction ends.
    with pytest.raises(ZeroDivisionError), transaction.atomic(using="first"):
        assert other_process("try") == "held"
        1 / 0  # noqa: B018
    assert other_process("try") == "free"
    with transaction.atomic(using="first"):
        first.close()
    assert other_process("try") == "free"


def test_a_writer_begins_once_another_process_lets_go(database, other_process):
    config, _ = database
    assert other_process("take") == "taken"
    events: list[str] = []
    asked = threading.Event()
    thread = second_writer(config, events, asked)
    thread.start()
    assert asked.wait(timeout=10)
    thread.join(timeout=0.2)
    assert thread.is_alive()  # waiting for the other process, its BEGIN not sent
    events.append("the other process lets go")
    assert other_process("give") == "given"
    thread.join(timeout=10)
    assert events == [
        "second asks",
        "the other process lets go",
        "second begins",
        "second commits",
    ]


def test_a_writer_that_waited_past_the_timeout_goes_on_to_sqlites_wait(database, other_process):
    config, _ = database
    impatient = open_writer({**config, "OPTIONS": {**config["OPTIONS"], "timeout": 0.2}}, "late")
    try:
        assert other_process("take") == "taken"
        with transaction.atomic(using="late"), impatient.cursor() as cursor:
            assert not impatient.holds_file
            cursor.execute("INSERT INTO note (text) VALUES ('late')")
        assert not impatient.writer.locked()
    finally:
        other_process("give")
        impatient.close()
        del connections["late"]


def test_a_database_in_memory_has_no_file_lock(database):
    """The tests' database is in memory: no test takes the lock of a real file."""
    _, first = database
    assert connection.file_writer is None
    assert first.file_writer is not None
    assert first.file_writer.path == f"{first.settings_dict['NAME']}-writer"


def test_a_forked_worker_has_locks_of_its_own(database):
    """A worker forked while a thread of its parent was writing never waits for that
    thread, which does not run in the worker."""
    _, first = database
    with transaction.atomic(using="first"):
        assert first.writer.locked() and first.holds_file
        child = os.fork()
        if child == 0:  # the worker
            lock = first.file_writer
            fresh = not first.writer.locked() and lock is not None and lock.opened is None
            os._exit(0 if fresh else 1)
        _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_lock_file_that_cannot_be_had_leaves_the_writer_to_sqlite(database, tmp_path):
    config, _ = database
    os.mkdir(f"{config['NAME']}-writer")  # not a file: it cannot be opened to lock
    blocked = open_writer(config, "blocked")
    try:
        with transaction.atomic(using="blocked"), blocked.cursor() as cursor:
            assert blocked.holds_writer and not blocked.holds_file
            cursor.execute("INSERT INTO note (text) VALUES ('written all the same')")
        assert not blocked.writer.locked()
        with blocked.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM note")
            assert cursor.fetchone()[0] == 1
    finally:
        blocked.close()
        del connections["blocked"]
