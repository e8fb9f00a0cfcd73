"""Who may read a class: its teachers, and the coaches of any of its teachers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferbook.accounts.models import CoachAssignment
from conferbook.roster.selectors import (
    can_write,
    classrooms_seen_by,
    get_classroom_seen_by,
    get_student_and_classroom_seen_by,
    students_seen_by,
)
from tests.factories import ClassroomFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_it_lists_a_class_of_two_coached_teachers_once_without_distinct(okafor, rivera):
    coach = TeacherFactory()
    shared = ClassroomFactory(name="Shared", teachers=[okafor, rivera])
    ClassroomFactory(name="Elsewhere", teachers=[TeacherFactory()])
    for teacher in (okafor, rivera):
        CoachAssignment.objects.create(coach=coach, teacher=teacher)
    with CaptureQueriesContext(connection) as queries:
        seen = list(classrooms_seen_by(user=coach))
    assert seen == [shared]
    assert "DISTINCT" not in queries[0]["sql"].upper()
    assert not can_write(user=coach, classroom=shared)
    assert can_write(user=okafor, classroom=shared)


def test_a_class_read_for_someone_says_whether_they_write_without_another_query(
    okafor, rivera, django_assert_num_queries
):
    coach = TeacherFactory()
    shared = ClassroomFactory(name="Shared", teachers=[okafor])
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    for person, writes in ((okafor, True), (coach, False)):
        with django_assert_num_queries(1):
            classroom = get_classroom_seen_by(user=person, classroom_id=shared.pk)
            assert can_write(user=person, classroom=classroom) is writes
    # Read for the coach, asked about someone else: answered by the database, not the note.
    with django_assert_num_queries(1):
        assert can_write(user=okafor, classroom=classroom) is True
    assert can_write(user=rivera, classroom=classroom) is False


def test_a_student_read_for_someone_comes_with_whether_they_write_in_the_class(
    okafor, rivera, django_assert_num_queries
):
    from tests.factories import StudentFactory

    coached = ClassroomFactory(name="Coached", teachers=[okafor])
    taught = ClassroomFactory(name="Taught", teachers=[rivera])
    student = StudentFactory(classroom=coached)
    student.classrooms.add(taught)
    CoachAssignment.objects.create(coach=rivera, teacher=okafor)
    for asked, expected, writes in ((None, taught, True), (coached.pk, coached, False)):
        with django_assert_num_queries(2):
            _, classroom = get_student_and_classroom_seen_by(
                user=rivera, student_id=student.pk, classroom_id=asked
            )
            assert (classroom, can_write(user=rivera, classroom=classroom)) == (expected, writes)


def test_of_two_classes_taught_the_student_is_seen_in_the_first_by_name(rivera):
    from tests.factories import StudentFactory

    zeta = ClassroomFactory(name="Zeta", teachers=[rivera])  # made first
    alpha = ClassroomFactory(name="Alpha", teachers=[rivera])
    student = StudentFactory(classroom=zeta)
    student.classrooms.add(alpha)
    _, classroom = get_student_and_classroom_seen_by(
        user=rivera, student_id=student.pk, classroom_id=None
    )
    assert classroom == alpha


def test_it_shows_a_coach_only_the_students_of_the_coached_teachers(
    okafor, room7, marcus, zoe, room12
):
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    assert list(students_seen_by(user=coach)) == [marcus]
    assert list(students_seen_by(user=okafor)) == [marcus]


def test_it_prefers_a_class_the_reader_teaches_to_one_they_coach(okafor, room7, marcus):
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=okafor)
    own = ClassroomFactory(name="Zinnia, after Room 7 by name", teachers=[coach])
    own.students.add(marcus)
    _, chosen = get_student_and_classroom_seen_by(
        user=coach, student_id=marcus.pk, classroom_id=None
    )
    assert chosen == own
    _, asked = get_student_and_classroom_seen_by(
        user=coach, student_id=marcus.pk, classroom_id=room7.pk
    )
    assert asked == room7
