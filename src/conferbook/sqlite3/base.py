"""Django's SQLite backend, with the write transactions of one process queuing on a lock.

SQLite lets one writer in at a time, and every transaction here begins IMMEDIATE (it takes
the write lock at BEGIN: settings.DATABASES). A second writer that finds the lock taken
waits in SQLite's busy handler, which sleeps in growing steps (up to 100 ms a step) and
does not wake when the lock frees. With a classroom of teachers autosaving into one
server, those sleeps were most of an autosave's slowest times. So the threads of a process
wait for each other on a lock of their own, and the next one goes the moment the writer
before it commits or rolls back. The processes of `serve --workers` then take turns on a
lock of the file's own (`<database>-writer` beside it, locked with flock), looked at
every half millisecond or so rather than in SQLite's growing steps. A writer that waited
longer than the busy timeout goes on to SQLite's own wait, as before.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # Windows: one process serves (no gunicorn), so no other writer to meet
    fcntl = None  # type: ignore[assignment]

# One per database file and process: the thread whose connection is writing holds it.
_writers: dict[str, threading.Lock] = {}
_writers_made = threading.Lock()

# How often a writer looks again at a file lock another process holds (seconds).
FILE_LOCK_LOOKS = (0.0002, 0.0005, 0.001)


def writer_lock(name: str) -> threading.Lock:
    """The process's lock for writing the database `name` (its file, as settings name it)."""
    with _writers_made:
        return _writers.setdefault(name, threading.Lock())


class FileWriterLock:
    """The lock the processes writing one database file take turns on: an flock on a file
    beside it. Used only by the thread holding the process's `writer_lock`. Opened in each
    process that uses it (a forked worker opens its own: one opened before the fork would
    be shared, and an flock is the opened file's)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._opened: tuple[int, int] | None = None  # (process id, file descriptor)

    def _descriptor(self) -> int:
        if self._opened is None or self._opened[0] != os.getpid():
            self._opened = (os.getpid(), os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._opened[1]

    def acquire(self, deadline: float) -> bool:
        """Take the lock, waiting until `deadline` (time.monotonic()); False if not taken."""
        assert fcntl is not None
        descriptor = self._descriptor()
        looks = 0
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(FILE_LOCK_LOOKS[min(looks, len(FILE_LOCK_LOOKS) - 1)])
                looks += 1

    def release(self) -> None:
        assert fcntl is not None and self._opened is not None
        fcntl.flock(self._opened[1], fcntl.LOCK_UN)


_files: dict[str, FileWriterLock] = {}


def file_writer_lock(name: str) -> FileWriterLock | None:
    """The processes' lock for writing the database file `name`; None for a database in
    memory (tests) or where flock is missing."""
    if fcntl is None or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    with _writers_made:
        return _files.setdefault(name, FileWriterLock(f"{name}-writer"))


# django-stubs leaves out the private methods overridden here, hence the ignores.
class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.writer = writer_lock(str(self.settings_dict["NAME"]))
        self.file_writer = file_writer_lock(str(self.settings_dict["NAME"]))
        self.holds_writer = False
        self.holds_file = False

    def _start_transaction_under_autocommit(self) -> None:
        if self.transaction_mode == "IMMEDIATE" and not self.holds_writer:  # type: ignore[attr-defined]
            seconds = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            deadline = time.monotonic() + seconds
            self.holds_writer = self.writer.acquire(timeout=seconds)
            if self.holds_writer and self.file_writer is not None:
                self.holds_file = self.file_writer.acquire(deadline)
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
        if self.holds_file:
            self.holds_file = False
            assert self.file_writer is not None
            self.file_writer.release()
        if self.holds_writer:
            self.holds_writer = False
            self.writer.release()
