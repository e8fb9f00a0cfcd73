"""On SQLite, the writers of one process take turns on a lock of their own
(conferbook/sqlite3/base.py) rather than sleeping in SQLite's busy handler."""

from __future__ import annotations

import copy
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


def test_a_second_writer_begins_only_once_the_first_has_committed(database):
    config, first = database
    events: list[str] = []
    asked = threading.Event()

    def second_writer():
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

    thread = threading.Thread(target=second_writer)
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
