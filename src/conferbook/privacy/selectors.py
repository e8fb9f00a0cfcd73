"""Reads for the family's rights: who may export or delete what, and who is past retention.

- a student's record or a class: a teacher or co-teacher of the class (roster's
  `get_student_for` / `get_classroom_for`); a coach reads but does not export or delete;
- a student's deletion: a teacher of one of the student's classes, or the administrator;
- the whole school: the administrator only (`is_administrator`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import User
from conferbook.accounts.selectors import current_school, is_administrator
from conferbook.privacy.models import DeletionReceipt
from conferbook.roster.models import Classroom, Enrollment, Student
from conferbook.roster.selectors import classrooms_for, get_student_for


def get_student_to_delete(*, user: User, student_id: int) -> Student:
    """The student if the person teaches them or administers the school; Http404 otherwise."""
    if is_administrator(user):
        return get_object_or_404(Student, pk=student_id)
    return get_student_for(teacher=user, student_id=student_id)


def export_scope(*, user: User) -> QuerySet[Classroom] | None:
    """The classes whose rows a person's export of a student holds: the ones they teach
    (archived ones included), or every class (None) for the administrator."""
    if is_administrator(user):
        return None
    return classrooms_for(teacher=user, include_archived=True)


def students_of(classrooms: QuerySet[Classroom]) -> QuerySet[Student]:
    """Every student enrolled in one of `classrooms` (archived ones included)."""
    return Student.objects.filter(
        Exists(Enrollment.objects.filter(student=OuterRef("pk"), classroom__in=classrooms))
    )


def receipts_for(*, user: User) -> QuerySet[DeletionReceipt]:
    """Every deletion receipt, for the administrator; Http404 for anyone else."""
    if not is_administrator(user):
        raise Http404
    return DeletionReceipt.objects.all()


@dataclass(frozen=True)
class Due:
    """A student past retention: their id, their classes' names, and when the last of
    those classes was archived (no name: a dry run is read by IT, not by teachers)."""

    student_id: int
    classes: tuple[str, ...]
    last_archived: datetime


def past_retention(*, now: datetime) -> list[Due]:
    """Students whose every class was archived more than the school's `retention_days`
    before `now`, and who are in no active class. A student in no class at all is left
    alone (nothing says when they stopped being taught)."""
    cutoff = now - timedelta(days=current_school().retention_days)
    kept = Enrollment.objects.filter(student=OuterRef("pk")).filter(
        Q(classroom__archived_at__isnull=True) | Q(classroom__archived_at__gte=cutoff)
    )
    students = (
        Student.objects.filter(Exists(Enrollment.objects.filter(student=OuterRef("pk"))))
        .exclude(Exists(kept))
        .annotate(last_archived=Max("enrollment__classroom__archived_at"))
        .order_by("pk")
    )
    names: dict[int, list[str]] = {}
    for student_id, name in (
        Enrollment.objects.filter(student__in=students)
        .values_list("student_id", "classroom__name")
        .order_by("student_id", "classroom__name")
    ):
        names.setdefault(student_id, []).append(name)
    return [
        Due(student_id=s.pk, classes=tuple(names.get(s.pk, ())), last_archived=s.last_archived)
        for s in students
    ]
