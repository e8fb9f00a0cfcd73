"""Writes for accounts: the school, creating teachers and remembering failed sign-ins."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conferbook.accounts import appointments
from conferbook.accounts.models import FailedLogin, School, User
from conferbook.accounts.selectors import use_school_time


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
def take_next_cards(*, teacher: User, sheet: str, per_sheet: int, count: int = 1) -> int:
    """The position (1-based) of the first of `count` cards to print on the teacher's sheet
    of `sheet` stock; the sheet's next unused card moves on past them. Cards that run off
    the sheet go on at the top of the next one; other stock starts a new sheet."""
    locked = User.objects.select_for_update().get(pk=teacher.pk)
    position = locked.next_card if locked.card_sheet == sheet else 1
    if not 1 <= position <= per_sheet:
        position = 1
    locked.card_sheet = sheet
    locked.next_card = (position - 1 + count) % per_sheet + 1
    locked.save(update_fields=["card_sheet", "next_card"])
    teacher.card_sheet, teacher.next_card = locked.card_sheet, locked.next_card
    return position


def new_card_sheet(*, teacher: User) -> None:
    """The teacher put a new sheet of card stock in: the next card is the first."""
    teacher.next_card = 1
    teacher.save(update_fields=["next_card"])


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


# -- the school ------------------------------------------------------------------------


def ensure_school() -> School:
    """The school, saved on first use so its time zone never follows the machine again.

    A school saved by an earlier version had its zone in CONFERBOOK_TIME_ZONE or the
    machine's setting: that zone is recorded once, so no appointment moves on upgrade.
    """
    with transaction.atomic():
        school = School.objects.select_for_update().order_by("pk").first()
        if school is None:
            zone = os.environ.get("CONFERBOOK_TIME_ZONE") or settings.TIME_ZONE
            school = School.objects.create(time_zone=zone)
    return school


@dataclass(frozen=True)
class TimeZoneChange:
    """What changing the school's time zone does to the appointments ahead."""

    old: str
    new: str
    appointments: int  # appointments still ahead, each kept at its time of day
    example: datetime | None  # the next one, in the old zone


def time_zone_change(
    *, school: School, time_zone: str, now: datetime | None = None
) -> TimeZoneChange:
    """What `change_school` would do to the appointments ahead (it changes nothing)."""
    now = now or timezone.now()
    count = 0
    example: datetime | None = None
    for times in appointments.registered():
        ahead = times.model._default_manager.filter(times.only, **{f"{times.field}__gte": now})
        count += ahead.count()
        first = ahead.order_by(times.field).values_list(times.field, flat=True).first()
        if first is not None and (example is None or first < example):
            example = first
    old = ZoneInfo(school.time_zone)
    return TimeZoneChange(
        school.time_zone, time_zone, count, example.astimezone(old) if example else None
    )


@transaction.atomic
def change_school(
    *, name: str, time_zone: str, clock: str, now: datetime | None = None
) -> TimeZoneChange:
    """Save the school's name, time zone and clock.

    A new time zone keeps every appointment still ahead at its time of day in the school's
    day (10:15 on Tuesday stays 10:15 on Tuesday); what happened before now keeps its
    moment. Returns what moved.
    """
    school = ensure_school()
    school = School.objects.select_for_update().get(pk=school.pk)
    change = time_zone_change(school=school, time_zone=time_zone, now=now)
    if time_zone != school.time_zone:
        old, new = ZoneInfo(school.time_zone), ZoneInfo(time_zone)
        now = now or timezone.now()
        for times in appointments.registered():
            rows = times.model._default_manager.select_for_update().filter(
                times.only, **{f"{times.field}__gte": now}
            )
            for row in rows:
                wall = getattr(row, times.field).astimezone(old).replace(tzinfo=None)
                setattr(row, times.field, wall.replace(tzinfo=new))
                row.save(update_fields=[times.field])
    school.name, school.time_zone, school.clock = name, time_zone, clock
    school.full_clean()
    school.save()
    use_school_time(school)
    return change
