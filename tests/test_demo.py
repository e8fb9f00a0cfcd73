"""The demo class: what a newcomer sees after `conferbook demo`."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import authenticate
from django.db.models import Max
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.accounts.services import create_teacher
from conferbook.conferences.models import Conference
from conferbook.demo import DemoResult, load_demo
from conferbook.goals.models import Checklist, Goal, Strength, StudentGoal
from conferbook.roster.models import Classroom, Student
from conferbook.roster.services import add_student, create_classroom

TODAY = date(2026, 3, 11)  # a Wednesday
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def demo(db: None) -> DemoResult:
    return load_demo(today=TODAY)


def held(demo: DemoResult):
    return Conference.objects.filter(classroom=demo.classroom, status=Conference.Status.HELD)


def booked(demo: DemoResult):
    return Conference.objects.filter(classroom=demo.classroom, status=Conference.Status.SCHEDULED)


def local_date(moment):
    return timezone.localtime(moment).date()


@pytest.mark.django_db
def test_it_creates_one_class_of_29_students_with_names_from_many_backgrounds(demo):
    teacher = User.objects.get(username="demo")
    assert teacher.is_demo
    assert teacher.get_full_name() == "Demo Teacher"
    assert list(Classroom.objects.filter(teachers=teacher)) == [demo.classroom]
    assert demo.classroom.name == "Room 14 Writing (demo)"
    assert demo.classroom.slot_times()[0].strftime("%H:%M") == "10:10"
    students = list(demo.classroom.students.all())
    assert demo.students == len(students) == 29
    first_names = {s.first_name for s in students}
    assert {"Zoë", "José"} <= first_names
    assert any("Nguyễn" in s.full_name for s in students)
    assert any(s.preferred_name == "Xander" for s in students)
    assert {s.grade for s in students} == {"4"}
    assert any(s.school_id for s in students)


@pytest.mark.django_db
def test_it_gives_every_student_one_or_two_active_goals_from_the_library(demo):
    for student in Student.objects.filter(classrooms=demo.classroom):
        active = student.student_goals.filter(status=StudentGoal.Status.ACTIVE)
        assert 1 <= active.count() <= 2, student
        assert all(sg.goal.is_builtin for sg in active)
        assert all(sg.set_on < TODAY - timedelta(days=7) for sg in active)
    met = StudentGoal.objects.filter(
        student__classrooms=demo.classroom, status=StudentGoal.Status.MET
    )
    assert met.exists()


@pytest.mark.django_db
def test_it_quotes_strengths_from_the_students_own_writing(demo):
    for student in Student.objects.filter(classrooms=demo.classroom):
        samples = list(student.writing_samples.all())
        strengths = list(student.strengths.select_related("sample"))
        assert 1 <= len(samples) <= 2
        assert 1 <= len(strengths) <= 2
        for strength in strengths:
            assert strength.evidence
            assert strength.evidence in strength.sample.text


@pytest.mark.django_db
def test_it_holds_six_weeks_of_conferences_on_school_days_before_today(demo):
    conferences = list(held(demo).select_related("student_goal", "strategy"))
    assert demo.conferences == len(conferences)
    assert 140 <= len(conferences) <= 200
    days = [local_date(c.started_at) for c in conferences]
    assert TODAY - timedelta(days=43) <= min(days) <= TODAY - timedelta(days=38)
    assert YESTERDAY - timedelta(days=3) <= max(days) <= YESTERDAY
    assert all(day.weekday() < 5 for day in days)
    slot_times = set(demo.classroom.slot_times())
    for conference in conferences:
        assert timezone.localtime(conference.scheduled_for).time() in slot_times
        assert 180 <= conference.duration_seconds <= 360
        assert conference.ended_at - conference.started_at == timedelta(
            seconds=conference.duration_seconds
        )
        assert conference.discussed and conference.task and conference.research
        assert conference.compliment
        assert conference.strategy is None or (
            conference.strategy.goal_id == conference.student_goal.goal_id
        )
    per_student = Counter(c.student_id for c in conferences)
    assert len(per_student) == 29
    assert max(per_student.values()) <= 7


@pytest.mark.django_db
def test_it_reviews_the_task_from_the_second_conference_on(demo):
    for student in demo.classroom.students.all():
        reviews = [c.task_review for c in held(demo).filter(student=student).order_by("started_at")]
        assert reviews[0] == ""
        assert all(r in {"done", "partly", "not_yet"} for r in reviews[1:])


@pytest.mark.django_db
def test_it_books_most_students_and_leaves_some_overdue(demo):
    appointments = list(booked(demo))
    assert 20 <= len(appointments) < 29
    assert len({a.student_id for a in appointments}) == len(appointments)
    for appointment in appointments:
        day = local_date(appointment.scheduled_for)
        assert TODAY < day <= TODAY + timedelta(days=8)
        assert day.weekday() < 5

    booked_ids = {a.student_id for a in appointments}
    last_seen = dict(
        held(demo).values_list("student_id").annotate(last=Max("started_at")).order_by()
    )
    overdue = [
        student_id
        for student_id, last in last_seen.items()
        if student_id not in booked_ids and local_date(last) <= TODAY - timedelta(days=12)
    ]
    assert overdue


@pytest.mark.django_db
def test_it_never_books_two_students_into_one_slot(demo):
    times = list(booked(demo).values_list("scheduled_for", flat=True))
    assert len(times) == len(set(times))
    slot_times = set(demo.classroom.slot_times())
    assert all(timezone.localtime(at).time() in slot_times for at in times)
    held_slots = list(held(demo).values_list("scheduled_for", flat=True))
    assert len(held_slots) == len(set(held_slots))


@pytest.mark.django_db
def test_it_sets_a_new_password_on_every_run_that_signs_in():
    first = load_demo(today=TODAY)
    second = load_demo(today=TODAY)
    assert first.password != second.password
    assert len(second.password) >= 12
    assert authenticate(username="demo", password=first.password) is None
    user = authenticate(username="demo", password=second.password)
    assert user is not None and user.is_demo
    assert User.objects.filter(username="demo").count() == 1


@pytest.mark.django_db
def test_it_rebuilds_instead_of_adding_a_second_class():
    first = load_demo(today=TODAY)
    second = load_demo(today=TODAY)
    teacher = User.objects.get(username="demo")
    assert list(Classroom.objects.filter(teachers=teacher)) == [second.classroom]
    assert not Classroom.objects.filter(pk=first.classroom.pk).exists()
    assert Student.objects.count() == 29
    assert (second.students, second.conferences) == (first.students, first.conferences)
    assert Conference.objects.count() == first.conferences + booked(second).count()
    assert Strength.objects.filter(student__classrooms=second.classroom).count() == (
        Strength.objects.count()
    )


@pytest.mark.django_db
def test_it_is_the_same_class_for_the_same_seed_and_day():
    def shape(result: DemoResult) -> list[tuple[str, object, str]]:
        return sorted(
            (c.student.full_name, timezone.localtime(c.scheduled_for), c.discussed)
            for c in Conference.objects.filter(classroom=result.classroom).select_related("student")
        )

    first = shape(load_demo(today=TODAY, seed=7))
    assert shape(load_demo(today=TODAY, seed=7)) == first
    assert shape(load_demo(today=TODAY, seed=8)) != first


@pytest.mark.django_db
def test_it_leaves_a_real_teachers_class_alone():
    teacher = create_teacher(username="ms-okafor", password="a long enough password 1")
    classroom = create_classroom(teacher=teacher, name="Room 9")
    student = add_student(classroom=classroom, first_name="Rosa", last_name="Lind", grade="4")
    load_demo(today=TODAY)
    load_demo(today=TODAY)

    classroom.refresh_from_db()
    assert list(classroom.teachers.all()) == [teacher]
    assert list(classroom.students.all()) == [student]
    assert Student.objects.filter(pk=student.pk, first_name="Rosa").exists()
    assert not Conference.objects.filter(classroom=classroom).exists()
    assert authenticate(username="ms-okafor", password="a long enough password 1") == teacher


@pytest.mark.django_db
def test_it_refuses_to_take_over_a_real_account_called_demo():
    create_teacher(username="demo", password="a long enough password 1")
    with pytest.raises(RuntimeError, match="real teacher"):
        load_demo(today=TODAY)
    assert authenticate(username="demo", password="a long enough password 1") is not None
    assert not Classroom.objects.exists()


@pytest.mark.django_db
def test_it_explains_when_the_goal_library_is_missing():
    Checklist.objects.all().delete()  # their items hold on to the goals
    Goal.objects.filter(owner=None).delete()
    with pytest.raises(RuntimeError, match="goal library"):
        load_demo(today=TODAY)
    assert not User.objects.filter(username="demo").exists()


@pytest.mark.django_db
def test_it_skips_weekends_when_today_is_a_monday():
    monday = date(2026, 3, 16)
    result = load_demo(today=monday)
    days = {local_date(at) for at in held(result).values_list("started_at", flat=True)}
    assert max(days) == monday - timedelta(days=3)
    assert all(day.weekday() < 5 for day in days)
