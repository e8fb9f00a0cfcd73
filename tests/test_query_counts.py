"""The pages a teacher opens all day must not slow down as the class and the chart grow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import pytest
from django.test import Client
from django.utils import timezone

from conferbook.conferences.models import Conference, EarnedSticker
from conferbook.goals.models import MentorText, Strategy, StudentGoal
from conferbook.roster.models import Classroom, Student
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    EarnedStickerFactory,
    StrengthFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
    WritingSampleFactory,
    library_goal,
)
from tests.helpers import assert_same_count, queries_for

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 50
# The same page for a small and a large class must issue as many queries.
same_count = partial(assert_same_count, sizes=(SMALL, LARGE))


@dataclass
class World:
    client: Client
    classroom: Classroom
    student: Student
    conference: Conference


def build(size: int) -> World:
    """A teacher's class of `size` students; one student with `size` of everything."""
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    students = StudentFactory.create_batch(size, classroom=classroom)
    for i, student in enumerate(students):
        StudentGoalFactory(student=student, goal=library_goal(i % 20))
        StudentGoalFactory(student=student, goal=library_goal(20 + i % 20))
        held = ConferenceFactory(student=student, started_at=timezone.now() - timedelta(days=3 + i))
        EarnedStickerFactory(conference=held, goal=library_goal(i % 20))
        Conference.objects.create(
            student=student,
            classroom=classroom,
            status=Conference.Status.SCHEDULED,
            scheduled_for=timezone.now() + timedelta(days=1, minutes=5 * i),
        )

    student = students[0]
    goal = student.student_goals.first()
    strategies = list(Strategy.objects.filter(owner=None).order_by("pk")[:size])
    for i in range(size):
        old_goal = StudentGoalFactory(
            student=student,
            goal=library_goal(i % 40),
            status=StudentGoal.Status.MET,
            closed_on=timezone.localdate(),
        )
        sample = WritingSampleFactory(student=student, title=f"Piece {i}")
        strength = StrengthFactory(student=student, description=f"Strength {i}", sample=sample)
        mentor = MentorText.objects.create(owner=teacher, title=f"Mentor {i}", goal=goal.goal)
        held = ConferenceFactory(
            student=student,
            started_at=timezone.now() - timedelta(days=10 + i),
            student_goal=old_goal if i % 2 else goal,
            strategy=strategies[i],
            strength=strength,
            mentor_text=mentor,
            compliment=f"Compliment {i}",
            task_review="done",
            kind=Conference.Kind.READING if i % 3 == 0 else Conference.Kind.WRITING,
        )
        EarnedStickerFactory(conference=held)
    conference = ConferenceFactory(
        student=student,
        teacher=teacher,
        status=Conference.Status.IN_PROGRESS,
        started_at=timezone.now(),
        ended_at=None,
        duration_seconds=None,
        student_goal=goal,
    )
    client = Client()
    client.force_login(teacher)
    return World(client=client, classroom=classroom, student=student, conference=conference)


@pytest.fixture
def small() -> World:
    return build(SMALL)


@pytest.fixture
def large() -> World:
    return build(LARGE)


@pytest.mark.parametrize("sort", ["name", "days", "next"])
def test_it_loads_the_class_page_in_a_fixed_number_of_queries(small, large, sort):
    same_count(
        queries_for(small.client, f"/classes/{small.classroom.pk}/?sort={sort}"),
        queries_for(large.client, f"/classes/{large.classroom.pk}/?sort={sort}"),
        f"class page (sort={sort})",
    )


def test_it_loads_the_student_page_in_a_fixed_number_of_queries(small, large):
    same_count(
        queries_for(small.client, f"/students/{small.student.pk}/"),
        queries_for(large.client, f"/students/{large.student.pk}/"),
        "student page",
    )


def test_it_loads_the_conference_screen_in_a_fixed_number_of_queries(small, large):
    same_count(
        queries_for(small.client, f"/conferences/{small.conference.pk}/"),
        queries_for(large.client, f"/conferences/{large.conference.pk}/"),
        "conference screen",
    )


@pytest.mark.parametrize("sort", ["name", "count"])
def test_it_loads_the_sticker_collections_in_a_fixed_number_of_queries(small, large, sort):
    same_count(
        queries_for(
            small.client, f"/classes/{small.classroom.pk}/sticker-collections/?sort={sort}"
        ),
        queries_for(
            large.client, f"/classes/{large.classroom.pk}/sticker-collections/?sort={sort}"
        ),
        f"sticker collections page (sort={sort})",
    )


def test_it_builds_pages_that_show_every_row(small, large):
    """The counts above compare pages that really show the rows they were given."""
    class_page = large.client.get(f"/classes/{large.classroom.pk}/").content.decode()
    assert class_page.count('<tr id="student-') == LARGE
    student_page = large.client.get(f"/students/{large.student.pk}/").content.decode()
    assert "Compliment 49" in student_page
    assert "Mentor 49" in student_page
    assert "Piece 49" in student_page
    earned = EarnedSticker.objects.filter(student__classrooms=large.classroom)
    own_goals = earned.filter(student=large.student).values("goal").distinct().count()
    assert own_goals > 20
    assert student_page.count('<li class="sticker earned">') == own_goals
    collections = large.client.get(
        f"/classes/{large.classroom.pk}/sticker-collections/"
    ).content.decode()
    assert collections.count('<tr id="student-') == LARGE
    assert collections.count('<li class="sticker earned">') == own_goals + LARGE - 1


def _shared_and_coached(world: World) -> tuple[Client, str]:
    """Give the class a co-teacher who wrote every other note, and a coach of its teacher;
    the coach's client, and the co-teacher's name the pages must show."""
    from conferbook.accounts.models import CoachAssignment
    from conferbook.goals.models import Strength, WritingSample

    teacher = world.classroom.teachers.get()
    partner = TeacherFactory(first_name="Mia", last_name="Lee")
    world.classroom.teachers.add(partner)
    held = world.student.conferences.filter(status=Conference.Status.HELD).order_by("pk")
    for i, row in enumerate(held):
        row.teacher = partner if i % 2 else teacher
        row.save(update_fields=["teacher"])
    Strength.objects.filter(student=world.student).update(noted_by=partner)
    WritingSample.objects.filter(student=world.student).update(added_by=teacher)
    StudentGoal.objects.filter(student=world.student).update(set_by=partner)
    coach = TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=teacher)
    client = Client()
    client.force_login(coach)
    return client, partner.display_name


@pytest.mark.parametrize("reader", ["teacher of a shared class", "coach"])
def test_it_names_who_wrote_each_note_in_a_fixed_number_of_queries(small, large, reader):
    counts = []
    for world in (small, large):
        coach_client, partner_name = _shared_and_coached(world)
        client = coach_client if reader == "coach" else world.client
        url = f"/students/{world.student.pk}/"
        page = client.get(url).content.decode()
        assert f"— {partner_name}" in page, f"the student page as the {reader}"
        counts.append(queries_for(client, url))
    same_count(*counts, f"student page with authors, as the {reader}")


def test_it_lists_coached_classes_in_a_fixed_number_of_queries():
    from conferbook.accounts.models import CoachAssignment

    def home_for(classes: int) -> list[str]:
        coach = TeacherFactory()
        for _ in range(classes):
            teacher = TeacherFactory()
            CoachAssignment.objects.create(coach=coach, teacher=teacher)
            StudentFactory(classroom=ClassroomFactory(teachers=[teacher, TeacherFactory()]))
        client = Client()
        client.force_login(coach)
        assert client.get("/").content.decode().count("Taught by") == classes
        return queries_for(client, "/")

    same_count(home_for(SMALL), home_for(LARGE), "home page of a coach")
