"""Writes for conferences: starting one, autosaving it, finishing it, booking the next."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.conferences.models import AUTOSAVED_FIELDS, Conference
from conferbook.lib.slots import add_school_days, first_free_slot
from conferbook.roster.models import Classroom, Student


class StaleEdit(Exception):
    """The text changed elsewhere (another tab or device) since this copy was loaded."""

    def __init__(self, *, field: str, server_value: str) -> None:
        self.field = field
        self.server_value = server_value
        super().__init__(f"“{field}” was changed elsewhere since this page loaded.")


class BookingNeeded(Exception):
    """Finishing needs either a next appointment or an explicit "not now"."""


@transaction.atomic
def start_conference(
    *,
    teacher: User,
    student: Student,
    classroom: Classroom,
    conference_id: uuid.UUID | None = None,
    kind: str = Conference.Kind.WRITING,
) -> Conference:
    """Open the conference screen's row for this student, never making a second one.

    In order: the conference with the client's id (a retried start, or a booked
    appointment started from its own page), one already under way for the student,
    today's booked appointment, or a new conference.
    """
    now = timezone.now()
    if conference_id is not None:
        existing = Conference.objects.filter(pk=conference_id).first()
        if existing is not None and existing.student_id == student.pk:
            return _begin(existing, teacher=teacher, now=now)
        if existing is not None:
            conference_id = None  # another student's id: never reuse it
    under_way = student.conferences.filter(status=Conference.Status.IN_PROGRESS).first()
    if under_way is not None:
        return under_way
    today = timezone.localdate()
    booked = (
        student.conferences.filter(
            status=Conference.Status.SCHEDULED, scheduled_for__date__lte=today
        )
        .order_by("scheduled_for")
        .first()
    )
    if booked is not None:
        return _begin(booked, teacher=teacher, now=now)
    return Conference.objects.create(
        id=conference_id or uuid.uuid4(),
        classroom=classroom,
        student=student,
        teacher=teacher,
        kind=kind,
        status=Conference.Status.IN_PROGRESS,
        started_at=now,
    )


def revision_of(conference: Conference) -> int:
    """A number that grows with every save of the conference (microseconds of updated_at)."""
    return int(conference.updated_at.timestamp() * 1_000_000)


def _begin(conference: Conference, *, teacher: User, now: datetime) -> Conference:
    """Turn a booked appointment into a conference under way; anything else is left as is."""
    if conference.status == Conference.Status.SCHEDULED:
        conference.status = Conference.Status.IN_PROGRESS
        conference.started_at = now
        conference.teacher = teacher
        conference.save(update_fields=["status", "started_at", "teacher", "updated_at"])
    return conference


@transaction.atomic
def save_conference_text(*, conference: Conference, field: str, value: str, previous: str) -> int:
    """Compare-and-set one autosaved text field; returns the conference's revision.

    `previous` is the text the browser last knew to be saved. Saving the same value again
    is a no-op (a retried save never duplicates or reverts anything); if the stored text is
    neither `previous` nor `value`, another tab changed it and StaleEdit carries its text.
    """
    if field not in AUTOSAVED_FIELDS:
        raise ValueError(f"{field} is not an autosaved field")
    current = Conference.objects.select_for_update().only(field, "updated_at").get(pk=conference.pk)
    stored = getattr(current, field)
    if stored == value:
        return revision_of(current)
    if stored != previous:
        raise StaleEdit(field=field, server_value=stored)
    setattr(conference, field, value)
    conference.save(update_fields=[field, "updated_at"])
    return revision_of(conference)


def set_conference_choice(*, conference: Conference, **choices: object) -> Conference:
    """Set picks: review, strength, goal, strategy, mentor text (checked by the caller)."""
    allowed = {"task_review", "strength", "student_goal", "strategy", "mentor_text", "kind"}
    unknown = set(choices) - allowed
    if unknown:
        raise ValueError(f"Not a conference choice: {', '.join(sorted(unknown))}")
    for name, value in choices.items():
        setattr(conference, name, value)
    conference.save(update_fields=[*choices, "updated_at"])
    return conference


def suggest_next_time(
    *, classroom: Classroom, after: datetime | None = None, active_students: int | None = None
) -> datetime | None:
    """Today plus the class's cycle, at the first free writing-block slot (aware, local)."""
    after = after or timezone.now()
    if active_students is None:
        active_students = classroom.students.filter(archived_at__isnull=True).count()
    cycle = max(1, classroom.cycle_school_days(active_students))
    earliest = add_school_days(timezone.localtime(after).date(), cycle, classroom.weekdays)
    booked = Conference.objects.filter(
        classroom=classroom,
        status=Conference.Status.SCHEDULED,
        scheduled_for__date__gte=earliest,
    ).values_list("scheduled_for", flat=True)
    taken = {timezone.localtime(at).replace(tzinfo=None, second=0, microsecond=0) for at in booked}
    slot = first_free_slot(
        earliest=earliest,
        weekdays=classroom.weekdays,
        slot_times=classroom.slot_times(),
        taken=taken,
    )
    return timezone.make_aware(slot) if slot else None


@transaction.atomic
def book_conference(
    *,
    teacher: User,
    classroom: Classroom,
    student: Student,
    at: datetime,
    kind: str = Conference.Kind.WRITING,
) -> Conference:
    """Book an appointment; a student has at most one booked appointment per class.

    Booking again moves the existing appointment instead of adding a second one.
    """
    existing = (
        Conference.objects.select_for_update()
        .filter(classroom=classroom, student=student, status=Conference.Status.SCHEDULED)
        .first()
    )
    if existing is not None:
        existing.scheduled_for = at
        existing.kind = kind
        existing.teacher = teacher
        existing.save(update_fields=["scheduled_for", "kind", "teacher", "updated_at"])
        return existing
    return Conference.objects.create(
        classroom=classroom,
        student=student,
        teacher=teacher,
        kind=kind,
        status=Conference.Status.SCHEDULED,
        scheduled_for=at,
    )


@dataclass(frozen=True)
class Finished:
    conference: Conference
    next_conference: Conference | None


@transaction.atomic
def finish_conference(
    *,
    teacher: User,
    conference: Conference,
    texts: dict[str, str],
    next_at: datetime | None,
    not_now: bool,
) -> Finished:
    """Record the conference as held, with its duration, and book the next one.

    `texts` are the final values of the autosaved fields as the form carried them (they
    win: the teacher is looking at them). Finishing needs a next appointment or not_now.
    Finishing twice (a double tap) keeps the first finish time.
    """
    if next_at is None and not not_now:
        raise BookingNeeded("Book the next conference, or choose “Not now”.")
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    for field in AUTOSAVED_FIELDS:
        if field in texts:
            setattr(conference, field, texts[field])
    now = timezone.now()
    if conference.status != Conference.Status.HELD:
        conference.status = Conference.Status.HELD
        conference.started_at = conference.started_at or now
        conference.ended_at = now
        conference.duration_seconds = int(
            max(timedelta(0), now - conference.started_at).total_seconds()
        )
    conference.teacher = teacher
    conference.next_not_booked = next_at is None
    conference.save()
    next_conference = None
    if next_at is not None:
        next_conference = book_conference(
            teacher=teacher,
            classroom=conference.classroom,
            student=conference.student,
            at=next_at,
            kind=conference.kind,
        )
    return Finished(conference=conference, next_conference=next_conference)


def mark_missed(*, conference: Conference) -> None:
    conference.status = Conference.Status.MISSED
    conference.save(update_fields=["status", "updated_at"])
