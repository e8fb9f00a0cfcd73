"""Writes for accounts: creating teachers and remembering failed sign-ins."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conferbook.accounts.models import FailedLogin, User


@transaction.atomic
def create_teacher(
    *,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    is_demo: bool = False,
) -> User:
    """Create a teacher account; the password must pass the instance's password rules."""
    user = User(username=username, first_name=first_name, last_name=last_name, is_demo=is_demo)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def canonical_username(typed: str) -> str:
    """The stored spelling of a username typed in any case (the typed text if unknown)."""
    found = User.objects.filter(username__iexact=typed).values_list("username", flat=True)
    return next(iter(found), typed)


def needs_first_teacher() -> bool:
    """True while the instance has no real (non-demo) teacher account."""
    return not User.objects.filter(is_demo=False).exists()


def _recent_failures(*, username: str, ip_address: str | None) -> QuerySet[FailedLogin]:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_COOL_OFF_SECONDS)
    return FailedLogin.objects.filter(
        username__iexact=username, ip_address=ip_address, attempted_at__gte=since
    )


def is_locked_out(*, username: str, ip_address: str | None) -> bool:
    """A username is locked on one address after too many recent wrong passwords."""
    return _recent_failures(username=username, ip_address=ip_address).count() >= (
        settings.LOGIN_FAILURE_LIMIT
    )


def record_failed_login(*, username: str, ip_address: str | None) -> None:
    """Remember one wrong password for this username on this address."""
    FailedLogin.objects.create(username=username[:150], ip_address=ip_address)


@transaction.atomic
def claim_sign_in_attempt(*, username: str, ip_address: str | None) -> bool:
    """Count one sign-in attempt for this username on this address, before the password is
    checked; False (and nothing counted) when the username is locked on that address.

    The attempt is written as a failed login up front and the right password clears it
    (`clear_failed_logins`): checking first and writing after the slow password hash let
    parallel guesses all pass the check before any failure was written. Attempts for one
    username and address queue behind each other: on SQLite the IMMEDIATE transaction takes
    the write lock at its start, on PostgreSQL an advisory lock on the pair is taken.
    """
    if connection.vendor == "postgresql":
        key = f"{username.lower()}\0{ip_address}".encode()
        lock_id = int.from_bytes(hashlib.sha256(key).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
    if is_locked_out(username=username, ip_address=ip_address):
        return False
    record_failed_login(username=username, ip_address=ip_address)
    return True


def clear_failed_logins(*, username: str, ip_address: str | None) -> None:
    """Forget the failures once the right password is given from that address."""
    FailedLogin.objects.filter(username__iexact=username, ip_address=ip_address).delete()


@transaction.atomic
def purge_expired_sign_ins() -> None:
    """Delete the sessions past their expiry date (a session may still hold the names of a
    class list that was never imported) and the failed logins older than the cool-off,
    which no longer count towards a lockout."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    since = timezone.now() - timedelta(seconds=settings.LOGIN_COOL_OFF_SECONDS)
    FailedLogin.objects.filter(attempted_at__lt=since).delete()


def set_paper(*, teacher: User, paper: str) -> None:
    """Remember the paper size the teacher's printer takes (one of `User.Paper`)."""
    teacher.paper = User.Paper(paper)
    teacher.save(update_fields=["paper"])
