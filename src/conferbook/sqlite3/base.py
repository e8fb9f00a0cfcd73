"""Django's SQLite backend, with the write transactions of one process queuing on a lock.

SQLite lets one writer in at a time, and every transaction here begins IMMEDIATE (it takes
the write lock at BEGIN: settings.DATABASES). A second writer that finds the lock taken
waits in SQLite's busy handler, which sleeps in growing steps (up to 100 ms a step) and
does not wake when the lock frees. With a classroom of teachers autosaving into one
server, those sleeps were most of an autosave's slowest times. So the threads of a process
wait for each other on a lock of their own, and the next one goes the moment the writer
before it commits or rolls back. Writers in other processes (`serve --workers`) still meet
SQLite's busy timeout; a writer that waited longer than that timeout goes on to SQLite's
own wait, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

# One per database file and process: the thread whose connection is writing holds it.
_writers: dict[str, threading.Lock] = {}
_writers_made = threading.Lock()


def writer_lock(name: str) -> threading.Lock:
    """The process's lock for writing the database `name` (its file, as settings name it)."""
    with _writers_made:
        return _writers.setdefault(name, threading.Lock())


# django-stubs leaves out the private methods overridden here, hence the ignores.
class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writer = writer_lock(str(self.settings_dict["NAME"]))
        self.holds_writer = False

    def _start_transaction_under_autocommit(self) -> None:
        if self.transaction_mode == "IMMEDIATE" and not self.holds_writer:  # type: ignore[attr-defined]
            seconds = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            self.holds_writer = self.writer.acquire(timeout=seconds)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._let_next_writer_in()
            raise

    # However a transaction ends (committed, rolled back, or its connection closed), the
    # next writer goes.

    def _commit(self) -> None:
        self._ending(super()._commit)  # type: ignore[misc]

    def _rollback(self) -> None:
        self._ending(super()._rollback)  # type: ignore[misc]

    def _close(self) -> None:
        self._ending(super()._close)  # type: ignore[misc]

    def _ending(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            self._let_next_writer_in()

    def _let_next_writer_in(self) -> None:
        if self.holds_writer:
            self.holds_writer = False
            self.writer.release()
