"""Reads for the roster, always scoped to the person asking.

Who may see what is decided here and nowhere else:

- a teacher or co-teacher of a class (`Classroom.teachers`) sees it and writes in it:
  `classrooms_for`, `get_classroom_for`, `students_for`, `get_student_for`;
- a coach sees, without writing, the classes of the teachers assigned to them, as well
  as their own: `classrooms_seen_by`, `get_classroom_seen_by`, `get_student_seen_by`,
  `get_student_and_classroom_seen_by` (used by the pages a coach reads, and only there:
  every write goes through the `_for` selectors);
- a page asks `can_write` once and hides every form, button and edit link when False;
- nobody else sees a class or its students, the school's administrator included.

Anything else answers 404, exactly like an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import CoachAssignment, User
from conferbook.accounts.selectors import colleagues_of
from conferbook.compiled import CompiledQuery
from conferbook.roster.models import Classroom, Enrollment, Student


def _teacher_is(user: User) -> Q:
    """The person's rows in `Classroom.teachers`: the classes they teach, as the teacher or
    a co-teacher. The one rule of who may write in a class; every reader below asks it."""
    return Q(user=user)


def _teaching(user: User) -> QuerySet[Any]:
    """The rows of `Classroom.teachers` that are the person's (`_teacher_is`)."""
    return Classroom.teachers.through.objects.filter(_teacher_is(user))


def classroom_ids_taught_by(teacher: User) -> QuerySet[Any]:
    """The ids of the classes the teacher teaches (`_teaching`): what scopes every other
    table to a teacher's classes, as `classroom_id__in=classroom_ids_taught_by(teacher)`."""
    return _teaching(teacher).values("classroom_id")


def _taught_by(user: User, classroom: OuterRef) -> Exists:
    """The class `classroom` points at is taught by the person (`_teaching`)."""
    return Exists(_teaching(user).filter(classroom=classroom))


def classrooms_for(*, teacher: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """The classes the teacher teaches, archived ones only when asked."""
    classrooms = Classroom.objects.filter(pk__in=classroom_ids_taught_by(teacher))
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
    taught = Enrollment.objects.filter(student=OuterRef("pk")).filter(
        _taught_by(teacher, OuterRef("classroom_id"))
    )
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


def teaching_seen_by(*, user: User) -> QuerySet[Any]:
    """The (class, teacher) rows through which the person reads a class: their own
    teaching, and the teaching of the teachers they coach. Read from the person's own
    rows (indexed by teacher), so it costs the same in a school of 3 classes or 300."""
    coached = CoachAssignment.objects.filter(coach=user).values("teacher")
    # One filter with an OR, not two querysets joined by |: the same rows, and half the
    # cost to build on every page that reads a class.
    return Classroom.teachers.through.objects.filter(_teacher_is(user) | Q(user__in=coached))


def _read_by(user: User, classroom: OuterRef) -> Exists:
    """The class `classroom` points at is taught by the person, or by a teacher they coach:
    one EXISTS over the class's teachers, so a class taught by two coached teachers still
    comes once and no DISTINCT is needed."""
    return Exists(teaching_seen_by(user=user).filter(classroom=classroom))


def classrooms_seen_by(*, user: User, include_archived: bool = False) -> QuerySet[Classroom]:
    """The classes the person may read: the ones they teach and the ones they coach."""
    classrooms = Classroom.objects.filter(pk__in=teaching_seen_by(user=user).values("classroom_id"))
    if not include_archived:
        classrooms = classrooms.filter(archived_at__isnull=True)
    return classrooms


def coached_classrooms(*, user: User) -> QuerySet[Classroom]:
    """The classes the person reads only as a coach (they teach none of them), with the
    class's teachers prefetched for the "taught by" line of the home page."""
    return (
        classrooms_seen_by(user=user)
        .exclude(pk__in=classroom_ids_taught_by(user))
        .prefetch_related("teachers")
        .order_by("name", "id")
    )


def _classroom_seen_by(user: User, classroom_id: int) -> QuerySet[Classroom]:
    return (
        _with_writing(classrooms_seen_by(user=user, include_archived=True), user)
        .filter(pk=classroom_id)
        .order_by()
    )


# Every page of a class reads it first: its SQL is compiled once (conferbook.compiled).
_compiled_classroom_seen_by = CompiledQuery(_classroom_seen_by, user=User, classroom_id=int)


def get_classroom_seen_by(*, user: User, classroom_id: int) -> Classroom:
    """The class with this id if the person may read it; Http404 otherwise. Whether they
    may also write in it comes in the same query, for `can_write` to answer."""
    classroom = _compiled_classroom_seen_by.first(user=user, classroom_id=classroom_id)
    if classroom is None:
        raise Http404("No class matches the given query.")
    return _noting_writing(classroom, user)


def students_seen_by(*, user: User) -> QuerySet[Student]:
    """Every student the person may read: enrolled in a class they teach or coach."""
    seen = Enrollment.objects.filter(student=OuterRef("pk")).filter(
        _read_by(user, OuterRef("classroom_id"))
    )
    return Student.objects.filter(Exists(seen))


# Every page of a student reads these first: compiled once (conferbook.compiled).
_compiled_student_seen_by = CompiledQuery(
    lambda user, student_id: students_seen_by(user=user).filter(pk=student_id),
    user=User,
    student_id=int,
)


def get_student_seen_by(*, user: User, student_id: int) -> Student:
    """The student with this id if the person may read their record; Http404 otherwise."""
    student = _compiled_student_seen_by.first(user=user, student_id=student_id)
    if student is None:
        raise Http404("No student matches the given query.")
    return student


def _classes_of_student_seen_by(user: User, student: Student) -> QuerySet[Classroom]:
    """The student's classes the person may read, with whether they teach each one."""
    return _with_writing(classrooms_seen_by(user=user, include_archived=True), user).filter(
        students=student
    )


_compiled_class_of_student = CompiledQuery(
    lambda user, student, classroom_id: _classes_of_student_seen_by(user, student).filter(
        pk=classroom_id
    ),
    user=User,
    student=Student,
    classroom_id=int,
)
# A class the person teaches comes before one they only coach.
_compiled_first_class_of_student = CompiledQuery(
    lambda user, student: _classes_of_student_seen_by(user, student).order_by(
        F("reader_teaches").desc(), *(Classroom._meta.ordering or ["pk"])
    )[:1],
    user=User,
    student=Student,
)


def get_student_and_classroom_seen_by(
    *, user: User, student_id: int, classroom_id: int | None
) -> tuple[Student, Classroom | None]:
    """`get_student_and_classroom_for` for reading: the student if the person may read
    their record, and the class they are seen in (the one asked for when the person may
    read it and the student is in it; else one they teach; else one they coach)."""
    student = get_student_seen_by(user=user, student_id=student_id)
    chosen = (
        _compiled_class_of_student.first(user=user, student=student, classroom_id=classroom_id)
        if classroom_id
        else None
    )
    if chosen is None:
        chosen = _compiled_first_class_of_student.first(user=user, student=student)
    return student, chosen and _noting_writing(chosen, user)


# Whom a class read for someone is known to be taught by: {user id: bool}.
_TAUGHT_BY = "_taught_by"


def _with_writing(classrooms: QuerySet[Classroom], user: User) -> QuerySet[Classroom]:
    """The classes, each with whether the person teaches it (`reader_teaches`)."""
    return classrooms.annotate(reader_teaches=_taught_by(user, OuterRef("pk")))


def _noting_writing(classroom: Classroom, user: User) -> Classroom:
    """The class, noting for `can_write` whether the person it was read for teaches it."""
    teaches: bool = classroom.reader_teaches  # type: ignore[attr-defined]
    setattr(classroom, _TAUGHT_BY, {user.pk: teaches})
    return classroom


def can_write(*, user: User, classroom: Classroom | None) -> bool:
    """True when the person teaches the class (as its teacher or a co-teacher): what every
    page asks once before it offers a form, a button or an edit link. Answered without a
    query when the class was read for this person (`get_classroom_seen_by`,
    `get_student_and_classroom_seen_by`)."""
    if classroom is None or not user.is_authenticated:
        return False
    known: dict[int, bool] = getattr(classroom, _TAUGHT_BY, {})
    if user.pk in known:
        return known[user.pk]
    return Classroom.objects.filter(_taught_by(user, OuterRef("pk")), pk=classroom.pk).exists()


def shows_who_wrote(*, classroom: Classroom | None, writer: bool) -> bool:
    """Whether a page about this class names who wrote each note, strength and goal: when
    the class has more than one teacher, or when the person reading does not teach it (a
    coach). A class with one teacher reading their own notes needs no names."""
    if classroom is None:
        return not writer
    return not writer or classroom.teachers.count() > 1


def people_to_share_with(*, classroom: Classroom, by: User) -> QuerySet[User]:
    """The school's accounts that could become co-teachers of the class: turned on, not
    teaching it already, and colleagues of `by` (a real class is never shared with a demo
    account); in name order."""
    return (
        colleagues_of(by)
        .filter(is_active=True)
        .exclude(classrooms=classroom)
        .order_by("first_name", "last_name", "username")
    )
