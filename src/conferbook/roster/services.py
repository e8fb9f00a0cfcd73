"""Writes for the roster: classes, students, moving students between classes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.roster.models import Classroom, Enrollment, Student


@transaction.atomic
def create_classroom(*, teacher: User, name: str, **block: object) -> Classroom:
    """Create a class taught by `teacher`; `block` may set the writing-block fields."""
    classroom = Classroom.objects.create(name=name, **block)
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def add_student(
    *,
    classroom: Classroom,
    first_name: str,
    last_name: str = "",
    preferred_name: str = "",
    grade: str = "",
    school_id: str = "",
) -> Student:
    """Create a student and enrol them in `classroom`."""
    student = Student.objects.create(
        first_name=first_name,
        last_name=last_name,
        preferred_name=preferred_name,
        grade=grade,
        school_id=school_id,
    )
    Enrollment.objects.create(classroom=classroom, student=student)
    return student


@transaction.atomic
def move_student(*, student: Student, from_classroom: Classroom, to_classroom: Classroom) -> None:
    """Move a student out of one class and into another; their record moves with them.

    The caller has checked that the teacher teaches both classes.
    """
    Enrollment.objects.filter(student=student, classroom=from_classroom).delete()
    Enrollment.objects.get_or_create(student=student, classroom=to_classroom)


def set_student_archived(*, student: Student, archived: bool) -> None:
    student.archived_at = timezone.now() if archived else None
    student.save(update_fields=["archived_at"])


def set_classroom_archived(*, classroom: Classroom, archived: bool) -> None:
    classroom.archived_at = timezone.now() if archived else None
    classroom.save(update_fields=["archived_at"])


STUDENT_FIELDS = ("first_name", "last_name", "preferred_name", "grade", "school_id")


@transaction.atomic
def import_students(*, classroom: Classroom, rows: list[dict[str, object]]) -> list[Student]:
    """Add every previewed row to the class in one transaction: all of them or none."""
    return [
        add_student(classroom=classroom, **{f: str(row.get(f) or "") for f in STUDENT_FIELDS})
        for row in rows
    ]
