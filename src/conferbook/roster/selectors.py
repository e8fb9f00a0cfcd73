"""Reads for the roster, always scoped to the teacher asking.

A teacher sees a class they teach, and a student enrolled in one of those classes.
Anything else answers 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import User
from conferbook.roster.models import Classroom, Enrollment, Student


def classrooms_for(*, teacher: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """The classes the teacher teaches, archived ones only when asked."""
    classrooms = Classroom.objects.filter(teachers=teacher)
    if not include_archived:
        classrooms = classrooms.filter(archived_at__isnull=True)
    return classrooms


def get_classroom_for(*, teacher: User, classroom_id: int) -> Classroom:
    """The class with this id if the teacher teaches it; Http404 otherwise."""
    return get_object_or_404(
        classrooms_for(teacher=teacher, include_archived=True), pk=classroom_id
    )


def students_for(*, teacher: User) -> QuerySet[Student]:
    """Every student enrolled in a class the teacher teaches (archived ones included)."""
    taught = Enrollment.objects.filter(student=OuterRef("pk"), classroom__teachers=teacher)
    return Student.objects.filter(Exists(taught))


def get_student_for(*, teacher: User, student_id: int) -> Student:
    """The student with this id if the teacher teaches them; Http404 otherwise."""
    return get_object_or_404(students_for(teacher=teacher), pk=student_id)


def students_in(*, classroom: Classroom, include_archived: bool = False) -> QuerySet[Student]:
    """The students of one class (already permission-checked), archived ones only when asked."""
    students = classroom.students.all()
    if not include_archived:
        students = students.filter(archived_at__isnull=True)
    return students


def get_student_and_classroom_for(
    *, teacher: User, student_id: int, classroom_id: int | None
) -> tuple[Student, Classroom | None]:
    """The student, and the class they are seen in: the one asked for when the teacher
    teaches it and the student is in it, else the student's first such class.

    Http404 when the teacher does not teach the student.
    """
    student = get_student_for(teacher=teacher, student_id=student_id)
    taught = classrooms_for(teacher=teacher, include_archived=True).filter(students=student)
    chosen = taught.filter(pk=classroom_id).first() if classroom_id else None
    return student, chosen or taught.first()
