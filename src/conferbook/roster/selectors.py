"""Reads for the roster, always scoped to the person asking.

Who may see what is decided here and nowhere else:

- a teacher or co-teacher of a class (`Classroom.teachers`) sees it and writes in it:
  `classrooms_for`, `get_classroom_for`, `students_for`, `get_student_for`;
- a coach sees, without writing, the classes of the teachers assigned to them, as well
  as their own: `classrooms_seen_by`, `get_classroom_seen_by`, `get_student_seen_by`;
- nobody else sees a class or its students, the school's administrator included.

Anything else answers 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import CoachAssignment, User
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


# -- reading without writing (coaches) ---------------------------------------------------


def _seen_by(user: User) -> Q:
    """Classes the person teaches, or that a teacher they coach teaches."""
    coached = CoachAssignment.objects.filter(coach=user, teacher=OuterRef("pk"))
    teachers = User.objects.filter(Exists(coached), classrooms=OuterRef("pk"))
    return Q(teachers=user) | Q(Exists(teachers))


def classrooms_seen_by(*, user: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """The classes the person may read: the ones they teach and the ones they coach."""
    classrooms = Classroom.objects.filter(_seen_by(user)).distinct()
    if not include_archived:
        classrooms = classrooms.filter(archived_at__isnull=True)
    return classrooms


def get_classroom_seen_by(*, user: User, classroom_id: int) -> Classroom:
    """The class with this id if the person may read it; Http404 otherwise."""
    return get_object_or_404(classrooms_seen_by(user=user, include_archived=True), pk=classroom_id)


def students_seen_by(*, user: User) -> QuerySet[Student]:
    """Every student the person may read: enrolled in a class they teach or coach."""
    seen = Enrollment.objects.filter(
        student=OuterRef("pk"),
        classroom__in=classrooms_seen_by(user=user, include_archived=True).values("pk"),
    )
    return Student.objects.filter(Exists(seen))


def get_student_seen_by(*, user: User, student_id: int) -> Student:
    """The student with this id if the person may read their record; Http404 otherwise."""
    return get_object_or_404(students_seen_by(user=user), pk=student_id)


def can_write(*, user: User, classroom: Classroom) -> bool:
    """True when the person teaches the class (as its teacher or a co-teacher)."""
    return classroom.teachers.filter(pk=user.pk).exists()
