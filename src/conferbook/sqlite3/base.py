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

import logging
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
_files: dict[str, FileWriterLock] = {}
_writers_made = threading.Lock()

# How often a writer looks again at a file lock another process holds (seconds).
FILE_LOCK_LOOKS = (0.0002, 0.0005, 0.001)

log = logging.getLogger(__name__)


def writer_lock(name: str) -> threading.Lock:
    """The process's lock for writing the database `name` (its file, as settings name it)."""
    found = _writers.get(name)
    if found is None:
        with _writers_made:
            found = _writers.setdefault(name, threading.Lock())
    return found


class FileWriterLock:
    """The lock the processes writing one database file take turns on: an flock on a file
    beside it, taken only by the thread holding the process's `writer_lock`. Each process
    opens the file itself (an flock belongs to the opened file, so a descriptor a worker
    inherited from its parent would be shared with it): a forked worker makes its own
    FileWriterLock (`_forget_locks`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.opened: int | None = None  # the file's descriptor, once opened

    def _descriptor(self) -> int:
        if self.opened is None:
            self.opened = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self.opened

    def acquire(self, deadline: float) -> bool:
        """Take the lock, waiting until `deadline` (time.monotonic()); False if not taken.
        OSError when the file cannot be opened or locked."""
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
        assert fcntl is not None and self.opened is not None
        fcntl.flock(self.opened, fcntl.LOCK_UN)


def file_writer_lock(name: str, *, in_memory: bool) -> FileWriterLock | None:
    """The processes' lock for writing the database file `name`; None for a database in
    memory (tests) or where flock is missing (Windows: one process serves)."""
    if fcntl is None or in_memory:
        return None
    if name not in _files:
        with _writers_made:
            _files.setdefault(name, FileWriterLock(f"{name}-writer"))
    return _files[name]


def _forget_locks() -> None:
    """In a forked worker: locks of its own, none held (a thread of the parent, such as its
    housekeeping, may have held one as it forked, and would never let it go here)."""
    global _writers_made
    _writers.clear()
    _files.clear()
    _writers_made = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks)


# django-stubs leaves out the private methods overridden here, hence the ignores.
class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The locks this connection's transaction holds, let go of as it ends.
        self._held_writer: threading.Lock | None = None
        self._held_file: FileWriterLock | None = None

    @property
    def holds_writer(self) -> bool:
        return self._held_writer is not None

    @property
    def holds_file(self) -> bool:
        return self._held_file is not None

    # Looked up from the database's name when asked: tests move a connection to a database
    # in memory after it is made, and a forked worker has locks of its own.
    @property
    def writer(self) -> threading.Lock:
        return writer_lock(str(self.settings_dict["NAME"]))

    @property
    def file_writer(self) -> FileWriterLock | None:
        name = str(self.settings_dict["NAME"])
        return file_writer_lock(name, in_memory=self.creation.is_in_memory_db(name))

    def _start_transaction_under_autocommit(self) -> None:
        try:
            if self.transaction_mode == "IMMEDIATE" and not self.holds_writer:  # type: ignore[attr-defined]
                seconds = float(self.settings_dict["OPTIONS"].get("timeout", 5))
                deadline = time.monotonic() + seconds
                writer = self.writer
                if writer.acquire(timeout=seconds):
                    self._held_writer = writer
                    self._held_file = self._take_file_lock(deadline)
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._let_next_writer_in()
            raise

    def _take_file_lock(self, deadline: float) -> FileWriterLock | None:
        """The processes' turn, once taken; without it (no file lock, or one that cannot be
        had: a folder not writable) the writer goes on to SQLite's own wait."""
        lock = self.file_writer
        if lock is None:
            return None
        try:
            return lock if lock.acquire(deadline) else None
        except OSError as problem:
            log.warning("Writing without the processes' turn: %s (%s)", lock.path, problem)
            return None

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
        held_file, self._held_file = self._held_file, None
        held_writer, self._held_writer = self._held_writer, None
        try:
            if held_file is not None:
                held_file.release()
        finally:
            if held_writer is not None:
                held_writer.release()
