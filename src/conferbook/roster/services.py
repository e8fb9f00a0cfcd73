"""Writes for the roster: classes, students, moving students between classes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.accounts.selectors import may_work_together
from conferbook.audit.models import Event
from conferbook.audit.services import record
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


class MoveRefused(Exception):
    """A move that makes no sense: not enrolled in the class moved from, or the same class."""


@transaction.atomic
def move_student(*, student: Student, from_classroom: Classroom, to_classroom: Classroom) -> None:
    """Move a student out of one class and into another; their record moves with them.

    Only the enrolment; `conferences.services.move_student` also moves the conferences.
    The caller has checked that the teacher teaches both classes.
    """
    if from_classroom.pk == to_classroom.pk:
        raise MoveRefused(f"{student.full_name} is already in {to_classroom.name}.")
    left = Enrollment.objects.filter(student=student, classroom=from_classroom).delete()[0]
    if not left:
        raise MoveRefused(f"{student.full_name} is not in {from_classroom.name}.")
    Enrollment.objects.get_or_create(student=student, classroom=to_classroom)


def set_student_archived(*, student: Student, archived: bool) -> None:
    """Take a student off class lists (their record is kept), or put them back."""
    student.archived_at = timezone.now() if archived else None
    student.save(update_fields=["archived_at"])


def set_classroom_archived(*, classroom: Classroom, archived: bool) -> None:
    """Take a class off the teacher's list (nothing is deleted), or bring it back."""
    classroom.archived_at = timezone.now() if archived else None
    classroom.save(update_fields=["archived_at"])


STUDENT_FIELDS = ("first_name", "last_name", "preferred_name", "grade", "school_id")


@transaction.atomic
def import_students(*, classroom: Classroom, rows: list[dict[str, object]]) -> list[Student]:
    """Add the previewed rows to the class in one transaction: all of them or none.

    A row whose student is already in the class (same school ID, or same first and last
    name when there is no ID) is skipped, so confirming the same import twice, even from
    two racing requests, adds nobody twice.
    """
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    present = set()
    for first, last, school_id in classroom.students.values_list(
        "first_name", "last_name", "school_id"
    ):
        present.add(_identity(first, last, school_id))
    added = []
    for row in rows:
        fields = {f: str(row.get(f) or "") for f in STUDENT_FIELDS}
        identity = _identity(fields["first_name"], fields["last_name"], fields["school_id"])
        if identity in present:
            continue
        present.add(identity)
        added.append(add_student(classroom=classroom, **fields))
    return added


def _identity(first_name: str, last_name: str, school_id: str) -> tuple[str, ...]:
    if school_id.strip():
        return ("id", school_id.strip().casefold())
    return ("name", first_name.strip().casefold(), last_name.strip().casefold())


# -- co-teachers ----------------------------------------------------------------------


class ShareRefused(Exception):
    """A change to a class's teachers that cannot be made; the message says why."""


@transaction.atomic
def add_co_teacher(*, classroom: Classroom, teacher: User, added_by: User) -> None:
    """Make `teacher` a co-teacher of the class: they see and write everything in it.

    The caller checked that `added_by` teaches the class. A deactivated account, or one
    that already teaches the class, is refused. The audit log records who shared it.
    """
    if not teacher.is_active:
        raise ShareRefused(f"{teacher.display_name}'s account is turned off.")
    if classroom.teachers.filter(pk=teacher.pk).exists():
        raise ShareRefused(f"{teacher.display_name} already teaches {classroom.name}.")
    if not may_work_together(added_by, teacher):
        raise ShareRefused("A demo account and a real account cannot share a class.")
    classroom.teachers.add(teacher)
    record(
        Event.Kind.CLASS_SHARED,
        actor=added_by,
        classroom_id=classroom.pk,
        detail=f"added {teacher.display_name} as co-teacher",
    )


@transaction.atomic
def remove_co_teacher(*, classroom: Classroom, teacher: User, removed_by: User) -> None:
    """Take `teacher` off the class (they may be `removed_by` themselves, leaving it).

    A class always keeps at least one teacher: two teachers removing each other at the
    same moment are taken one after the other (the class row is locked), so the second
    is refused. Their notes stay in the class, signed with their name.
    """
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    if not classroom.teachers.filter(pk=teacher.pk).exists():
        raise ShareRefused(f"{teacher.display_name} does not teach {classroom.name}.")
    if classroom.teachers.count() <= 1:
        raise ShareRefused(
            f"{classroom.name} needs at least one teacher. Add another teacher first, "
            "or archive the class."
        )
    classroom.teachers.remove(teacher)
    record(
        Event.Kind.CLASS_SHARED,
        actor=removed_by,
        classroom_id=classroom.pk,
        detail=f"removed {teacher.display_name} as co-teacher",
    )
