"""Writes for accounts: the school, people and their roles, one-time sign-in links, and
remembering failed sign-ins."""

from __future__ import annotations

import hashlib
import os
import secrets
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from conferbook.accounts import appointments
from conferbook.accounts.models import CoachAssignment, FailedLogin, School, SignInLink, User
from conferbook.accounts.selectors import (
    administrators,
    find_sign_in_link,
    hash_token,
    is_administrator,
    may_work_together,
    sole_classrooms_of,
    usable_links,
    use_school_time,
)
from conferbook.audit.services import record


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
    *,
    name: str,
    time_zone: str,
    clock: str,
    retention_days: int | None = None,
    now: datetime | None = None,
) -> TimeZoneChange:
    """Save the school's name, time zone and clock (and, when given, how long archived
    students' records are kept).

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
    if retention_days is not None:
        school.retention_days = retention_days
    school.full_clean()
    school.save()
    use_school_time(school)
    return change


# -- people and their roles (the administrator's People page and `conferbook user`) -------

LINK_LIFETIME = timedelta(days=7)
ROLES = {"teacher": "teacher", "coach": "literacy coach", "administrator": "administrator"}


class Refused(Exception):
    """An account change the rules do not allow; the message says why, in plain words."""


class ClassesNeedTeacher(Refused):
    """Deactivating would leave classes without a teacher: name who takes them."""

    def __init__(self, classrooms: list[Any]) -> None:
        self.classrooms = classrooms
        names = ", ".join(c.name for c in classrooms)
        super().__init__(
            f"Choose who takes over the class{'es' if len(classrooms) > 1 else ''} this "
            f"person teaches alone ({names}) before deactivating the account."
        )


class WrongPassword(Exception):
    """The current password given to change it is not the person's password."""


class LinkNotUsable(Exception):
    """The sign-in link is unknown, used or expired (the same answer for each)."""


def _refuse_if_last_administrator(user: User, *, doing: str) -> None:
    if not administrators().exclude(pk=user.pk).exists():
        raise Refused(
            f"{user.display_name} is the only administrator: make someone else an "
            f"administrator before you {doing}."
        )


def _audit(kind: str, *, by: User | None, detail: str) -> None:
    record(kind, actor=by, actor_name="" if by else "school IT (command line)", detail=detail)


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """Sign the person out everywhere (but the session `keep`, if given): their sessions
    are deleted. Returns how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).exclude(
        session_key=keep or ""
    ):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def let_demo_administer(user: User) -> None:
    """While the instance has no real account, the demo teacher administers the school, so
    a newcomer sees the People, School and Audit log pages; the first real account takes
    over (`_retire_demo_administrators`)."""
    if user.is_demo and needs_first_teacher():
        ensure_school().administrators.add(user)


def _retire_demo_administrators() -> None:
    ensure_school().administrators.remove(*User.objects.filter(is_demo=True))


@transaction.atomic
def start_school(
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    school_name: str,
    time_zone: str,
    clock: str,
) -> User:
    """The first account of the instance, at first run: it administers the school."""
    user = create_teacher(
        username=username, password=password, first_name=first_name, last_name=last_name
    )
    change_school(name=school_name, time_zone=time_zone, clock=clock)
    _retire_demo_administrators()
    ensure_school().administrators.add(user)
    _audit("account_changed", by=user, detail=f"created the first account {user.username}")
    return user


@transaction.atomic
def issue_sign_in_link(
    *, user: User, by: User | None, purpose: str, now: datetime | None = None
) -> str:
    """A new one-time sign-in link for `user` (purpose `SignInLink.Purpose`): returns its
    secret, which is shown once and never stored (only its hash). It works for 7 days and
    once; every earlier unused link of the person stops working."""
    now = now or timezone.now()
    purpose = SignInLink.Purpose(purpose)
    SignInLink.objects.filter(user=user, used_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(token),
        created_by=by,
        expires_at=now + LINK_LIFETIME,
    )
    _audit("account_changed", by=by, detail=f"issued a {purpose.label} link for {user.username}")
    return token


@transaction.atomic
def add_person(
    *,
    by: User | None,
    username: str,
    first_name: str,
    last_name: str = "",
    role: str = "teacher",
    email: str = "",
    coaches: Iterable[User] = (),
    now: datetime | None = None,
) -> tuple[User, str]:
    """Add an account without a password, and a sign-in link (its secret returned) with
    which the person sets one. `role` is teacher, coach or administrator; a coach may be
    given the teachers they coach at once. The first account of an instance administers
    the school, whatever role is named."""
    if role not in ROLES:
        raise Refused(f"Choose a role: {', '.join(ROLES)}.")
    username = username.strip()
    if not username:
        raise Refused("Give the person a username.")
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(f"The username {username} is taken. Please choose another.")
    first = needs_first_teacher()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email.strip())
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as problem:
        raise Refused(" ".join(problem.messages)) from None
    user.save()
    _audit("account_changed", by=by, detail=f"added account {username} as {ROLES[role]}")
    if first:
        _retire_demo_administrators()
    if role == "administrator" or first:
        set_administrator(by=by, user=user, administrator=True)
    if role == "coach":
        assign_coach(by=by, coach=user, teachers=coaches)
    return user, issue_sign_in_link(user=user, by=by, purpose=SignInLink.Purpose.INVITE, now=now)


@transaction.atomic
def use_sign_in_link(*, token: str, password: str, now: datetime | None = None) -> User:
    """Set the person's password with a working link, which then stops working (as do
    their other links). LinkNotUsable for an unknown, used or expired link; ValidationError
    for a password the instance's rules refuse (the link keeps working then)."""
    now = now or timezone.now()
    found = find_sign_in_link(token=token, now=now)
    if found is None:
        raise LinkNotUsable
    link = usable_links(now=now).select_for_update().get(pk=found.pk)  # one use at a time
    user = User.objects.select_for_update().get(pk=link.user_id)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    link.used_at = now
    link.save(update_fields=["used_at"])
    SignInLink.objects.filter(user=user, used_at__isnull=True).delete()
    end_sessions(user=user)
    _audit(
        "account_changed",
        by=user,
        detail=f"set a password with a {link.get_purpose_display()} link",
    )
    return user


@transaction.atomic
def deactivate_account(*, by: User | None, user: User, classes_to: User | None = None) -> None:
    """Stop the person signing in: their sessions end and their links stop working. Their
    classes stay with their co-teachers; a class they teach alone goes to `classes_to`
    (ClassesNeedTeacher when there is one and no one is named). Nobody deactivates their
    own account, nor the last administrator's."""
    if by is not None and by.pk == user.pk:
        raise Refused("You cannot deactivate your own account.")
    if not user.is_active:
        raise Refused(f"{user.display_name}'s account is already deactivated.")
    if is_administrator(user):
        _refuse_if_last_administrator(user, doing="deactivate this account")
    alone = sole_classrooms_of(user)
    if alone:
        if classes_to is None:
            raise ClassesNeedTeacher(alone)
        if classes_to.pk == user.pk or not classes_to.is_active:
            raise Refused("Choose an active teacher, other than this person, to take the classes.")
        for classroom in alone:
            classroom.teachers.add(classes_to)
    user.is_active = False
    user.save(update_fields=["is_active"])
    SignInLink.objects.filter(user=user, used_at__isnull=True).delete()
    end_sessions(user=user)
    detail = f"deactivated account {user.username}"
    if alone and classes_to is not None:
        detail += f"; {len(alone)} class{'es' if len(alone) > 1 else ''} to {classes_to.username}"
    _audit("account_changed", by=by, detail=detail)


@transaction.atomic
def reactivate_account(*, by: User | None, user: User) -> None:
    """Let a deactivated person sign in again with their password (or a new link); the
    classes, coaching and roles they had come back with them."""
    if user.is_active:
        raise Refused(f"{user.display_name}'s account is already active.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    _audit("account_changed", by=by, detail=f"reactivated account {user.username}")


@transaction.atomic
def set_administrator(*, by: User | None, user: User, administrator: bool) -> None:
    """Make the person an administrator of the school, or stop (never the last one)."""
    school = ensure_school()
    named = school.administrators.filter(pk=user.pk).exists()
    if administrator and not named:
        if not user.is_active:
            raise Refused("Reactivate the account before making the person an administrator.")
        school.administrators.add(user)
        _audit("role_changed", by=by, detail=f"made {user.username} an administrator")
    elif not administrator and named:
        _refuse_if_last_administrator(user, doing="remove this administrator")
        school.administrators.remove(user)
        _audit("role_changed", by=by, detail=f"removed {user.username} as administrator")


@transaction.atomic
def assign_coach(*, by: User | None, coach: User, teachers: Iterable[User]) -> int:
    """The coach reads these teachers' classes from now on; returns how many are new."""
    added = 0
    for teacher in teachers:
        if teacher.pk == coach.pk:
            raise Refused("A coach cannot be assigned to coach themselves.")
        if not may_work_together(coach, teacher):
            raise Refused("A demo account and a real account cannot coach each other.")
        _, created = CoachAssignment.objects.get_or_create(coach=coach, teacher=teacher)
        if created:
            added += 1
            _audit(
                "role_changed",
                by=by,
                detail=f"assigned {coach.username} to coach {teacher.username}",
            )
    return added


@transaction.atomic
def unassign_coach(*, by: User | None, coach: User, teacher: User) -> None:
    """The coach no longer reads this teacher's classes."""
    deleted, _ = CoachAssignment.objects.filter(coach=coach, teacher=teacher).delete()
    if deleted:
        _audit(
            "role_changed",
            by=by,
            detail=f"removed {coach.username} as coach of {teacher.username}",
        )


@transaction.atomic
def change_own_name(*, user: User, first_name: str, last_name: str, email: str) -> None:
    """The person's own name and e-mail address."""
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["first_name", "last_name", "email"])
    _audit("account_changed", by=user, detail="changed own name")


@transaction.atomic
def change_own_password(
    *, user: User, current_password: str, new_password: str, keep_session: str | None
) -> None:
    """Change the person's own password: the current one must be given (WrongPassword
    otherwise) and the new one pass the instance's rules (ValidationError otherwise). Every
    session but `keep_session` (the one making the change) ends."""
    if not user.check_password(current_password):
        raise WrongPassword
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    SignInLink.objects.filter(user=user, used_at__isnull=True).delete()
    end_sessions(user=user, keep=keep_session)
    _audit("account_changed", by=user, detail="changed own password")


def email_sign_in_link(*, user: User, to: str, link: str, by: User | None) -> bool:
    """Send the sign-in link to `to` through the configured SMTP server. False when the
    server could not be reached or refused the message (the link still works)."""
    name = user.get_full_name() or user.username
    body = (
        f"Hello {name},\n\n"
        "Here is your link to set your Conferbook password and sign in. It works once, "
        f"within 7 days:\n\n{link}\n\n"
        f"Your username is: {user.username}\n\n"
        "If you did not expect this message, ignore it; the link expires on its own.\n"
    )
    try:
        send_mail("Your Conferbook sign-in link", body, None, [to], fail_silently=False)
    except (smtplib.SMTPException, OSError):
        return False
    _audit("account_changed", by=by, detail=f"e-mailed the sign-in link for {user.username}")
    return True
