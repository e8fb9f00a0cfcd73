"""What keeping an instance running takes: a private data folder, backups and restores,
the static files as browsers cache them, and clearing out what has expired.

data folder      `settings.DATA_DIR`: 0700, and the SQLite database, its `-wal` and `-shm`
                 files and every backup 0600 (they hold notes about children); `-writer`,
                 empty, is the processes' turn to write (conferbook/sqlite3/base.py).
backup           a consistent copy made with `VACUUM INTO` into a temporary name, then
                 renamed over the target, so a weekday cron line can overwrite last week's.
upgrade backup   `backups/before-upgrade-<time>.sqlite3`, made before every migration;
                 the newest `UPGRADE_BACKUPS_KEPT` are kept.
restore          a checked copy of a backup put in place of the database, with the database
                 it replaces (and its `-wal`) kept aside in `backups/before-restore-<time>`.
server lock      every `conferbook serve` holds `conferbook.lock` shared, a restore holds it
                 alone; the system releases it when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import re
import sqlite3
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import IO

from django.conf import settings

logger = logging.getLogger(__name__)

UPGRADE_BACKUPS_KEPT = 5
UPGRADE_BACKUP = re.compile(r"^before-upgrade-\d{8}-\d{6}\.sqlite3$")
HOUSEKEEPING_SECONDS = 24 * 60 * 60
# The files SQLite keeps beside a database: a WAL or journal is replayed into the database
# of the same name when it is next opened, and the -shm file indexes the WAL.
REPLAYED_SUFFIXES = ("-wal", "-journal")
INDEX_SUFFIX = "-shm"


class RestoreRefused(Exception):
    """The restore did not happen and nothing was changed; the message says why."""


# The data folder


def sqlite_path() -> Path | None:
    """The SQLite database file, or None when the instance uses another database."""
    from django.db import connection

    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


def _make_private(path: Path, mode: int) -> None:
    if os.name == "nt":  # Windows keeps a user's data folder private by its own rules
        return
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except FileNotFoundError:
        pass
    except OSError as problem:
        print(f"Could not make {path} private: {problem.strerror}.", file=sys.stderr)


def secure_data_folder() -> None:
    """Create the data folder readable by its owner only, and tighten what is already there.

    Run before Django opens the database: a new database file is created empty with mode
    0600 here, and SQLite gives the `-wal` and `-shm` files it creates the database's mode.
    """
    folder = Path(settings.DATA_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _make_private(folder, 0o700)
    if database := sqlite_path():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for path in _database_files(database):
            _make_private(path, 0o600)
    backups = folder / "backups"
    if backups.is_dir():
        _make_private(backups, 0o700)
        for path in backups.iterdir():
            _make_private(path, 0o600)
    secret = folder / "secret_key"
    _make_private(secret, 0o600)


def _database_files(database: Path) -> list[Path]:
    suffixes = ("", *REPLAYED_SUFFIXES, INDEX_SUFFIX)
    return [database.with_name(database.name + suffix) for suffix in suffixes]


# Backups


def backup_database(target: Path | None = None, *, kind: str = "conferbook") -> Path | None:
    """Copy the SQLite database with VACUUM INTO (safe while others write).

    The copy is written under a temporary name beside `target`, flushed to disk, and renamed
    over `target`, which may already exist (last week's backup of the same weekday). Without a
    target it goes to `backups/<kind>-<time>.sqlite3`. The copy is readable by its owner only.
    Returns the backup's path, or None when the database is not SQLite or does not exist yet.
    """
    from django.db import connection

    database = sqlite_path()
    if database is None or not database.exists() or database.stat().st_size == 0:
        return None
    if target is None:
        folder = Path(settings.DATA_DIR) / "backups"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = folder / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    # mkstemp creates the file empty with mode 0600; VACUUM INTO accepts an empty file.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [temporary])
        # VACUUM INTO does not sync its output; a backup must survive a power cut.
        _sync(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync(path: Path) -> None:
    with path.open("rb+") as f:
        os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def prune_upgrade_backups(keep: int = UPGRADE_BACKUPS_KEPT) -> list[Path]:
    """Delete all but the newest `keep` automatic pre-upgrade backups; return those deleted.

    Only files named like `before-upgrade-<time>.sqlite3`: backups a person made, and the
    databases a restore kept aside, are never removed here.
    """
    folder = Path(settings.DATA_DIR) / "backups"
    if not folder.is_dir():
        return []
    automatic = sorted(p for p in folder.iterdir() if UPGRADE_BACKUP.match(p.name))
    old = automatic[:-keep] if keep else automatic
    for path in old:
        path.unlink(missing_ok=True)
    return old


# Restore


def restore_database(source: Path, *, database: Path) -> Path | None:
    """Put a checked copy of `source` in place of the SQLite database at `database`.

    The caller holds the server lock alone (no server is running on this data folder).
    `source` is copied first and the copy checked (`PRAGMA integrity_check`, and the tables
    of a Conferbook database); anything wrong raises RestoreRefused before the database is
    touched. The database it replaces moves to `backups/before-restore-<time>.sqlite3`
    together with its `-wal` and `-journal` files (which belong to it), and the `-shm` index
    is deleted, so SQLite can never replay the old database's log over the restored copy.
    `source` itself is only read. Returns where the replaced database was kept, if any.
    """
    if not source.is_file():
        raise RestoreRefused(f"There is no file at {source}.")
    if source.resolve() == database.resolve():
        raise RestoreRefused(f"{source} is the database itself, not a backup of it.")

    handle, name = tempfile.mkstemp(prefix=".restoring-", suffix=".sqlite3", dir=database.parent)
    candidate = Path(name)
    try:
        with os.fdopen(handle, "wb") as copy, source.open("rb") as original:
            _copy(original, copy)
            copy.flush()
            os.fsync(copy.fileno())
        _check_backup(candidate, shown_as=source)
        kept = _set_aside(database)
        os.replace(candidate, database)
    finally:
        for path in _database_files(candidate):
            path.unlink(missing_ok=True)
    _sync_folder(database.parent)
    return kept


def _copy(source: IO[bytes], target: IO[bytes]) -> None:
    while chunk := source.read(1024 * 1024):
        target.write(chunk)


def _check_backup(path: Path, *, shown_as: Path) -> None:
    try:
        db = sqlite3.connect(path)
        try:
            result = [row[0] for row in db.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            # A backup made in WAL mode is turned back into a single file by this close.
        finally:
            db.close()
    except sqlite3.DatabaseError as problem:
        raise RestoreRefused(
            f"{shown_as} is not a readable SQLite database ({problem}). Nothing was changed."
        ) from problem
    if result != ["ok"]:
        raise RestoreRefused(
            f"{shown_as} is damaged: SQLite's integrity check says {'; '.join(result[:3])}. "
            "Nothing was changed; try an older backup."
        )
    if not {"django_migrations", "roster_student"} <= tables:
        raise RestoreRefused(
            f"{shown_as} is an SQLite database but not a Conferbook one. Nothing was changed."
        )


def _set_aside(database: Path) -> Path | None:
    """Move the database and the logs that belong to it into backups/, under one new name."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    folder = database.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    kept = folder / f"before-restore-{stamp}.sqlite3"
    moved = False
    for suffix in ("", *REPLAYED_SUFFIXES):
        current = database.with_name(database.name + suffix)
        if current.exists():
            os.replace(current, kept.with_name(kept.name + suffix))
            moved = True
    database.with_name(database.name + INDEX_SUFFIX).unlink(missing_ok=True)
    return kept if moved else None


# The server lock


class ServerLock:
    """An advisory lock on the data folder: shared by running servers, exclusive for restore.

    The operating system drops the lock when its process ends, even by SIGKILL, so a crash
    never leaves a stale lock behind. Windows has no shared locks: there one server at a time.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / "conferbook.lock"
        self._file: IO[bytes] | None = None

    def acquire(self, *, exclusive: bool) -> bool:
        """Take the lock without waiting; False when someone else holds it."""
        handle = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
                fcntl.flock(handle.fileno(), mode | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file releases the lock
            self._file = None


# Static files


def static_sources_digest() -> str:
    """A digest of every static file the finders see (names and contents)."""
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    files: dict[str, str] = {}
    for finder in get_finders():
        for name, storage in finder.list(["CVS", ".*", "*~"]):
            prefixed = os.path.join(getattr(storage, "prefix", None) or "", name)
            files.setdefault(prefixed, storage.path(name))
    for name, path in sorted(files.items()):
        digest.update(name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def collect_static_files() -> bool:
    """Copy the static files to STATIC_ROOT with hashed names and compressed copies, when
    they differ from the last copy (a new install or an upgrade). Returns True if it copied.

    Hashed names let whitenoise tell browsers to keep a file for a year without asking
    again; a page names the hashed file, so a changed file is a new address.
    """
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root.parent / "static.sha256"
    digest = static_sources_digest()
    manifest = root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(digest + "\n")
    return True


# Housekeeping


def purge_expired() -> None:
    """Delete expired sessions and failed sign-ins that no longer count (see accounts)."""
    from conferbook.accounts.services import purge_expired_sign_ins

    purge_expired_sign_ins()


def start_housekeeping(every: float = HOUSEKEEPING_SECONDS) -> threading.Event:
    """Purge what has expired every `every` seconds in a background thread while the server
    runs; set the returned event to stop it. A failed round is logged and retried next time."""
    from django.db import connection

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                purge_expired()
            except Exception:
                logger.exception("Could not purge expired sessions and failed sign-ins")
            finally:
                connection.close()

    threading.Thread(target=loop, name="conferbook-housekeeping", daemon=True).start()
    return stop


def settle_process() -> int:
    """Load what a server process keeps for its whole life (the URL patterns, the writing
    analyser's word lists: some 600,000 objects), then move all of it out of the garbage
    collector's sight. Otherwise every full collection, which Python starts by itself
    every few hundred requests, walks those objects again: a 30-40 ms pause in the middle
    of whichever page was being served. Under gunicorn this runs before the workers are
    forked, so they share these pages of memory too. Returns how many objects were frozen."""
    from django.urls import get_resolver

    from conferbook.analysis import analyse

    get_resolver().url_patterns  # noqa: B018 (the patterns are built on first use)
    analyse("A frist sentense, to lode the word lists.")  # misspelt: the suggestions load too
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
