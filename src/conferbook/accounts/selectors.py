"""Reads for accounts: the school and its conventions for time, who holds which role, and
the one-time sign-in links.

Each rule is written here once: who is an administrator (`administrators`), whether a
sign-in link still works (`usable_links`), and who may open the People pages
(`get_person_for`: the school's administrators; anyone else gets 404).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment, School, SignInLink, User
from conferbook.compiled import CompiledQuery
from conferbook.lib import clock

# Read by every request that writes, and by the navigation of every page: their SQL is
# compiled once (conferbook.compiled).
_compiled_school = CompiledQuery(lambda: School.objects.order_by("pk")[:1])


def current_school() -> School:
    """The instance's school; before one is saved, an unsaved one in the machine's zone."""
    return _compiled_school.first() or School(time_zone=settings.TIME_ZONE)


def use_school_time(school: School | None = None) -> School:
    """From now on in this thread, show times in the school's time zone and clock.

    Every command that reads or writes appointments does this first, and so does every
    request that writes (a page read uses `use_kept_school_time`). Returns the school.
    """
    school = school or current_school()
    _activate(SchoolTime(school.time_zone, school.clock))
    return school


# How long a process keeps the school's time zone and clock before reading them again.
SCHOOL_TIME_KEPT_SECONDS = 60.0


@dataclass(frozen=True)
class SchoolTime:
    time_zone: str
    clock: str
    read_at: float = 0.0


_kept: SchoolTime | None = None
_forgotten = 0  # times the kept copy was forgotten: a read begun before a forget is not kept
_keeping = threading.Lock()
_now = time.monotonic


def use_kept_school_time(*, only_if_kept: bool = False) -> None:
    """`use_school_time` for a request that only reads, without a query on most: the
    process keeps the zone and clock for SCHOOL_TIME_KEPT_SECONDS. `only_if_kept`: never a
    query; nothing is activated when nothing fresh is kept.

    A change saved in this process is seen from its commit on (`forget_school_time`); one
    saved by another process within SCHOOL_TIME_KEPT_SECONDS. What was read inside a
    transaction (which may yet roll back), or while a change was being saved, is used but
    not kept; nor is anything before the school is set up."""
    global _kept
    kept = _kept
    if kept is None or _now() - kept.read_at > SCHOOL_TIME_KEPT_SECONDS:
        if only_if_kept:
            return
        began = _forgotten
        school = current_school()
        kept = SchoolTime(school.time_zone, school.clock, read_at=_now())
        with _keeping:
            if (
                school.pk is not None
                and began == _forgotten
                and not transaction.get_connection().in_atomic_block
            ):
                _kept = kept
    _activate(kept)


def forget_school_time() -> None:
    """Read the school's time zone and clock afresh at the next request."""
    global _kept, _forgotten
    with _keeping:
        _forgotten += 1
        _kept = None


def school_saved(**kwargs: object) -> None:
    """`forget_school_time` at once, and again once the saving transaction commits, so that
    a request which read the old row meanwhile does not keep it (the receiver of School's
    post_save and post_delete)."""
    forget_school_time()
    transaction.on_commit(forget_school_time)


def _activate(school_time: SchoolTime) -> None:
    timezone.activate(school_time.time_zone)
    clock.activate(school_time.clock)


def administrators() -> QuerySet[User]:
    """The people who administer the school: named in `School.administrators` and active
    (a deactivated account holds no role until it is reactivated)."""
    return User.objects.filter(
        is_active=True, pk__in=School.administrators.through.objects.values("user_id")
    )


_compiled_administrator = CompiledQuery(
    lambda user: administrators().filter(pk=user.pk).only("pk"), user=User
)


def is_administrator(user: User) -> bool:
    """True when the person administers the school (accounts, audit log, settings)."""
    return user.is_authenticated and _compiled_administrator.first(user=user) is not None


def email_offered() -> bool:
    """Sign-in links can be e-mailed only when an SMTP server is configured."""
    return bool(settings.EMAIL_HOST)


# -- the People pages (administrators only) ------------------------------------------------


def people_for(*, administrator: User) -> QuerySet[User]:
    """Every account, for the People page, with what its roles are derived from:
    `is_admin`, `class_count` (classes taught, archived ones left out) and `coachings`
    (the teachers coached). A fixed number of queries however many there are.
    Http404 unless the person asking administers the school."""
    if not is_administrator(administrator):
        raise Http404
    named = School.administrators.through.objects.filter(user_id=OuterRef("pk"))
    return (
        User.objects.annotate(
            is_admin=Exists(named),
            class_count=Count(
                "classrooms", filter=Q(classrooms__archived_at__isnull=True), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "coachings",
                queryset=CoachAssignment.objects.select_related("teacher").order_by(
                    "teacher__last_name", "teacher__first_name", "teacher__pk"
                ),
            )
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def get_person_for(*, administrator: User, user_id: int) -> User:
    """The account with this id, for an administrator of the school; Http404 otherwise
    (and for an id that does not exist, alike)."""
    try:
        return people_for(administrator=administrator).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def sole_classrooms_of(user: User) -> list[Any]:
    """The classes (archived ones too) whose only teacher is `user`: they need another
    teacher before the account is deactivated. (Read through the user's own relation:
    accounts does not import the roster.)"""
    through = user.classrooms.through
    other_teacher = through.objects.filter(classroom_id=OuterRef("pk")).exclude(user_id=user.pk)
    return list(user.classrooms.filter(~Exists(other_teacher)).order_by("name", "pk"))


def hash_token(token: str) -> str:
    """What is stored of a sign-in link's secret: its SHA-256, never the secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def usable_links(*, now: datetime | None = None) -> QuerySet[SignInLink]:
    """The sign-in links that still work: not used, not expired, for an active account."""
    return SignInLink.objects.filter(
        used_at__isnull=True, expires_at__gt=now or timezone.now(), user__is_active=True
    )


def find_sign_in_link(*, token: str, now: datetime | None = None) -> SignInLink | None:
    """The working link for this secret, or None (unknown, used, expired alike)."""
    if not token or len(token) > 200:
        return None
    return usable_links(now=now).select_related("user").filter(token_hash=hash_token(token)).first()


def colleagues_of(user: User) -> QuerySet[User]:
    """The accounts `user` may share a class with, coach or be coached by.

    Demo accounts work only with demo accounts: the demo's password is printed to whoever
    loads the demo, so a real teacher's class is never shared with a demo account or read
    by a demo coach, and a real account never joins the demo class.
    """
    return User.objects.filter(is_demo=user.is_demo)


def may_work_together(one: User, other: User) -> bool:
    """`colleagues_of`, asked of two accounts."""
    return colleagues_of(one).filter(pk=other.pk).exists()
