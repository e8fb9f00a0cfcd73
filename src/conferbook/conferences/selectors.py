"""Reads for conferences, always reached through a student the teacher may see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.conferences.models import Conference
from conferbook.goals.models import StudentGoal
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in

HELD = Conference.Status.HELD
SCHEDULED = Conference.Status.SCHEDULED


def conferences_for(*, teacher: User) -> QuerySet[Conference]:
    """Conferences held or booked in a class the teacher teaches.

    Notes belong to the class they were taken in: a teacher who shares a student but not
    the class does not read the other class's conferences.
    """
    return Conference.objects.filter(classroom__teachers=teacher)


def get_conference_for(*, teacher: User, conference_id: uuid.UUID) -> Conference:
    """The conference if the teacher teaches its class; Http404 otherwise."""
    return get_object_or_404(
        conferences_for(teacher=teacher).select_related("student", "classroom"),
        pk=conference_id,
    )


def last_held(
    *, teacher: User, student: Student, before: Conference | None = None
) -> Conference | None:
    """The student's most recent held conference in the teacher's classes (before `before`)."""
    held = conferences_for(teacher=teacher).filter(student=student, status=HELD)
    if before is not None:
        held = held.exclude(pk=before.pk)
        if before.started_at:
            held = held.filter(ended_at__lte=before.started_at)
    return held.select_related("student_goal__goal").order_by("-ended_at").first()


def chart_for(*, teacher: User, student: Student) -> QuerySet[Conference]:
    """The rows of the two-column chart: held conferences, oldest first."""
    return (
        conferences_for(teacher=teacher)
        .filter(student=student, status=HELD)
        .select_related("student_goal__goal", "strategy", "strength", "mentor_text")
        .order_by("ended_at")
    )


def start_of_today() -> datetime:
    """Midnight at the start of today, in the current time zone."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def next_appointment(*, teacher: User, student: Student) -> Conference | None:
    """The student's next booked conference from today on (a past, unheld one is not next)."""
    return (
        conferences_for(teacher=teacher)
        .filter(student=student, status=SCHEDULED, scheduled_for__gte=start_of_today())
        .order_by("scheduled_for")
        .first()
    )


def days_between(earlier: datetime | None, today: date | None = None) -> int | None:
    """Whole days from the local date of `earlier` to today (None when never)."""
    if earlier is None:
        return None
    return ((today or timezone.localdate()) - timezone.localtime(earlier).date()).days


@dataclass(frozen=True)
class ClassRow:
    student: Student
    active_goals: list[StudentGoal]
    last_conference_at: datetime | None
    days_since: int | None
    next_appointment_at: datetime | None
    overdue: bool
    under_way: bool
    enrolled_at: datetime


def class_rows(*, classroom: Classroom, sort: str = "name") -> list[ClassRow]:
    """One row per active student of the class, in a fixed number of queries.

    A student is overdue when they have no appointment booked from today on and their last
    conference
    (or, never seen, their enrolment in this class) is more than one cycle of school days
    ago, counted in calendar days with weekends included.
    """
    students = list(
        students_in(classroom=classroom)
        .annotate(
            last_conference_at=Max(
                "conferences__ended_at",
                filter=Q(conferences__status=HELD, conferences__classroom=classroom),
            ),
            next_appointment_at=Min(
                "conferences__scheduled_for",
                filter=Q(
                    conferences__status=SCHEDULED,
                    conferences__classroom=classroom,
                    conferences__scheduled_for__gte=start_of_today(),
                ),
            ),
            enrolled_at=Max("enrollment__enrolled_at", filter=Q(enrollment__classroom=classroom)),
            under_way_since=Max(
                "conferences__started_at",
                filter=Q(
                    conferences__status=Conference.Status.IN_PROGRESS,
                    conferences__classroom=classroom,
                    conferences__started_at__gte=start_of_today(),
                ),
            ),
        )
        .prefetch_related(
            Prefetch(
                "student_goals",
                queryset=StudentGoal.objects.filter(status=StudentGoal.Status.ACTIVE)
                .select_related("goal")
                .order_by("set_on", "id"),
                to_attr="active_goal_list",
            )
        )
    )
    cycle = classroom.cycle_school_days(len(students))
    # Allow for weekends: a cycle of n school days spans about n * 7/5 calendar days.
    allowance = max(7, round(cycle * 7 / max(1, len(classroom.weekdays) or 5)))
    today = timezone.localdate()
    rows = []
    for s in students:
        days = days_between(s.last_conference_at, today)  # type: ignore[attr-defined]
        waited = days if days is not None else days_between(s.enrolled_at, today)  # type: ignore[attr-defined]
        rows.append(
            ClassRow(
                student=s,
                active_goals=s.active_goal_list,  # type: ignore[attr-defined]
                last_conference_at=s.last_conference_at,  # type: ignore[attr-defined]
                days_since=days,
                next_appointment_at=s.next_appointment_at,  # type: ignore[attr-defined]
                overdue=(
                    s.next_appointment_at is None  # type: ignore[attr-defined]
                    and waited is not None
                    and waited > allowance
                ),
                under_way=s.under_way_since is not None,  # type: ignore[attr-defined]
                enrolled_at=s.enrolled_at,  # type: ignore[attr-defined]
            )
        )
    return sort_class_rows(rows, sort)


SORTS = {
    "name": "Name",
    "days": "Days since last conference",
    "next": "Next appointment",
}


def sort_class_rows(rows: list[ClassRow], sort: str) -> list[ClassRow]:
    """Rows in the order the class page was asked for (see SORTS)."""
    far_future = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    if sort == "days":
        # Never seen first, then the longest wait.
        return sorted(rows, key=lambda r: (r.days_since is not None, -(r.days_since or 0)))
    if sort == "next":
        return sorted(rows, key=lambda r: r.next_appointment_at or far_future)
    return sorted(rows, key=lambda r: (r.student.shown_name.casefold(), r.student.last_name))


def next_student_after(*, classroom: Classroom, student: Student) -> Student | None:
    """Whom to see next: the earliest booked appointment today, else the longest waiting."""
    today = timezone.localdate()
    booked_today = (
        Conference.objects.filter(
            classroom=classroom, status=SCHEDULED, scheduled_for__date__lte=today
        )
        .exclude(student=student)
        .filter(student__archived_at__isnull=True)
        .select_related("student")
        .order_by("scheduled_for")
        .first()
    )
    if booked_today is not None:
        return booked_today.student
    rows = [r for r in class_rows(classroom=classroom, sort="days") if r.student != student]
    return rows[0].student if rows else None
