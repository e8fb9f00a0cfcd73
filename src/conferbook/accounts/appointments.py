"""Every stored appointment time, so a change of the school's time zone keeps each one at its
time of day.

An appointment is stored as a moment (UTC). When the school says its time zone was wrong
(or it moved), "10:15 on Tuesday" must stay 10:15 on Tuesday in the school's day, so each
appointment still ahead is moved to the same wall-clock time in the new zone. The apps that
store appointments sit above this one, so each registers its appointment times here from
its AppConfig.ready; `services.change_school_time` walks this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, Q


@dataclass(frozen=True)
class AppointmentTimes:
    model: type[Model]
    field: str
    only: Q  # which rows are appointments (e.g. still booked)


_registered: list[AppointmentTimes] = []


def register(model: type[Model], *, field: str = "scheduled_for", only: Q | None = None) -> None:
    """Register a model's appointment time (idempotent)."""
    times = AppointmentTimes(model, field, only or Q())
    if times not in _registered:
        _registered.append(times)


def registered() -> list[AppointmentTimes]:
    return list(_registered)
