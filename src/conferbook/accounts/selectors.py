"""Reads for accounts: the school and its conventions for time."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from conferbook.accounts.models import School, User
from conferbook.lib import clock


def current_school() -> School:
    """The instance's school; before one is saved, an unsaved one in the machine's zone."""
    return School.objects.order_by("pk").first() or School(time_zone=settings.TIME_ZONE)


def use_school_time(school: School | None = None) -> School:
    """From now on in this thread, show times in the school's time zone and clock.

    Every request does this first (SchoolTimeMiddleware); so does every command that
    reads or writes appointments. Returns the school.
    """
    school = school or current_school()
    timezone.activate(school.time_zone)
    clock.activate(school.clock)
    return school


def is_administrator(user: User) -> bool:
    """True when the person administers the school (accounts, audit log, settings)."""
    return user.is_authenticated and user.is_active and (user.administered_schools.exists())
