"""The demo class: what a newcomer sees after `conferbook demo`."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.accounts.services import create_teacher
from conferbook.calendar.selectors import calendar_for
from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.selectors import chart_for, class_rows, last_held, standings
from conferbook.demo import SAMPLES, DemoResult, load_demo
from conferbook.goals.models import (
    Checklist,
    Goal,
    Rating,
    SelfAssessment,
    SelfAssessmentAnswer,
    Strategy,
    Strength,
    StudentGoal,
)
from conferbook.goals.selectors import latest_self_assessment
from conferbook.groups.models import Partnership, SmallGroup
from conferbook.groups.selectors import class_goals, library_order
from conferbook.groups.suggest import Mode, suggest_groups, suggest_partners
from conferbook.roster.models import Classroom, Student
from conferbook.roster.services import add_student, create_classroom
from conferbook.scheduling.models import GroupAppointment

TODAY = date(2026, 3, 11)  # a Wednesday
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def demo(db: None) -> DemoResult:
    return load_demo(today=TODAY)


def held(demo: DemoResult):
    return Conference.objects.filter(classroom=demo.classroom, status=Conference.Status.HELD)


def one_on_one(demo: DemoResult):
    """Held conferences with one student (a small group's members have rows of their own)."""
    return held(demo).filter(group_conference=None)


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
    # One small group right after the mini-lesson, then eight 5-minute conferences.
    assert demo.classroom.block.group_starts() == [time(10, 10)]
    assert demo.classroom.slot_times()[0] == time(10, 20)
    assert demo.classroom.conference_slots_per_day() == 8
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


def test_it_photographs_a_few_notebook_pages_and_marks_the_lines_on_them(demo):
    """A photographed sample shows a newcomer the photos at once: a few students' first
    pieces are pages too, with the strength's words and a place to lift drawn around."""
    from io import BytesIO

    from PIL import Image, ImageStat

    from conferbook.goals.models import PageSpot, SamplePhoto

    photos = SamplePhoto.objects.filter(sample__student__classrooms=demo.classroom)
    assert photos.count() == 4
    spots = list(PageSpot.objects.filter(photo__in=photos).defer(None))
    assert {s.kind for s in spots} == {"strength", "lift"}
    for spot in spots:
        cut = Image.open(BytesIO(bytes(spot.image))).convert("L")
        assert cut.size == (spot.width, spot.height)
        # The rectangle holds handwriting: dark ink on light paper, not blank paper.
        assert ImageStat.Stat(cut).extrema[0][0] < 90, spot
        if spot.strength is not None:
            assert spot.strength.evidence in spot.photo.sample.text
    lifts = [s for s in spots if s.kind == "lift"]
    assert all(s.goal is not None for s in lifts)


@pytest.mark.django_db
def test_it_holds_six_weeks_of_conferences_on_school_days_before_today(demo):
    conferences = list(one_on_one(demo).select_related("student_goal", "strategy"))
    assert demo.conferences == len(conferences)
    # Each student every 4 school days (the class calendar's gap: ceil(29 / 8 slots)).
    assert calendar_for(classroom=demo.classroom).gap_for(conferences[0].student_id) == 4
    assert 180 <= len(conferences) <= 240
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
    assert max(per_student.values()) <= 9


@pytest.mark.django_db
def test_it_reviews_the_task_from_the_second_conference_on(demo):
    for student in demo.classroom.students.all():
        reviews = [c.task_review for c in held(demo).filter(student=student).order_by("started_at")]
        assert reviews[0] == ""
        assert all(r in {"done", "partly", "not_yet"} for r in reviews[1:])


def overdue_ids(demo: DemoResult) -> set[int]:
    """The students the class calendar calls overdue on the demo's day."""
    return {
        pk
        for pk, standing in standings(classroom=demo.classroom, today=TODAY).items()
        if standing.overdue
    }


@pytest.mark.django_db
def test_it_books_most_students_on_their_due_day_and_leaves_two_overdue(demo):
    appointments = list(booked(demo))
    assert 20 <= len(appointments) < 29
    assert len({a.student_id for a in appointments}) == len(appointments)
    due = standings(classroom=demo.classroom, today=TODAY)
    for appointment in appointments:
        day = local_date(appointment.scheduled_for)
        assert TODAY <= day <= TODAY + timedelta(days=8)
        assert day.weekday() < 5
        # Booked where the class calendar suggests it: on (or before) the day they are due.
        assert day <= max(due[appointment.student_id].due, TODAY)

    overdue = overdue_ids(demo)
    assert len(overdue) == 2
    assert not overdue & {a.student_id for a in appointments}
    assert all(due[pk].school_days_late >= 3 for pk in overdue)


@pytest.mark.django_db
def test_it_never_books_two_students_into_one_slot(demo):
    times = list(booked(demo).values_list("scheduled_for", flat=True))
    assert len(times) == len(set(times))
    slot_times = set(demo.classroom.slot_times())
    assert all(timezone.localtime(at).time() in slot_times for at in times)
    held_slots = list(one_on_one(demo).values_list("scheduled_for", flat=True))
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
    assert (second.students, second.conferences, second.group_conferences) == (
        first.students,
        first.conferences,
        first.group_conferences,
    )
    members = held(second).exclude(group_conference=None).count()
    assert Conference.objects.count() == first.conferences + members + booked(second).count()
    assert Strength.objects.filter(student__classrooms=second.classroom).count() == (
        Strength.objects.count()
    )
    assert list(SmallGroup.objects.values_list("classroom", flat=True)) == [second.classroom.pk]
    assert GroupConference.objects.count() == GroupAppointment.objects.count() == 1
    assert SelfAssessment.objects.count() == (
        SelfAssessment.objects.filter(student__classrooms=second.classroom).count()
    )
    assert 8 <= SelfAssessment.objects.count() <= 12


@pytest.mark.django_db
def test_it_is_the_same_class_for_the_same_seed_and_day():
    def shape(result: DemoResult) -> dict[str, object]:
        classroom = result.classroom
        conferences = Conference.objects.filter(classroom=classroom).select_related(
            "student", "student_goal__goal", "group_conference"
        )
        meetings = GroupConference.objects.filter(classroom=classroom)
        return {
            "conferences": sorted(
                (
                    c.student.full_name,
                    str(timezone.localtime(c.scheduled_for or c.started_at)),
                    c.status,
                    c.discussed,
                    c.task,
                    c.task_review,
                    c.student_goal.goal.key if c.student_goal else "",
                    c.group_conference.name if c.group_conference else "",
                )
                for c in conferences
            ),
            "strengths": sorted(
                Strength.objects.filter(student__classrooms=classroom).values_list(
                    "student__first_name", "description", "evidence", "goal__key"
                )
            ),
            "groups": sorted(
                (g.name, g.goal.key, g.strategy.key, sorted(m.full_name for m in g.members.all()))
                for g in SmallGroup.objects.filter(classroom=classroom)
            ),
            "group_conferences": sorted(
                (str(timezone.localtime(m.started_at)), m.duration_seconds, m.compliment, m.task)
                for m in meetings
            ),
            "self_assessments": sorted(
                SelfAssessmentAnswer.objects.filter(
                    assessment__student__classrooms=classroom
                ).values_list(
                    "assessment__student__first_name",
                    "assessment__taken_on",
                    "assessment__by_student",
                    "item__goal__key",
                    "rating",
                )
            ),
        }

    first = shape(load_demo(today=TODAY, seed=7))
    assert all(first.values())
    assert shape(load_demo(today=TODAY, seed=7)) == first
    other = shape(load_demo(today=TODAY, seed=8))
    for part in first:
        assert other[part] != first[part], part


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


# -- strengths that show goals, and partners ------------------------------------------------


@pytest.mark.django_db
def test_it_links_every_strength_to_the_library_goal_it_shows(demo):
    shows = {description: goal for sample in SAMPLES for description, _, goal in sample.strengths}
    assert shows["Includes what people said"] == "use-dialogue"
    assert shows["Uses sensory details"] == "sensory-details"
    assert shows["Puts steps in order with transition words"] == "tell-it-in-order"
    # A misspelt key would be skipped without a word: every one is in the library.
    assert set(shows.values()) <= set(Goal.objects.filter(owner=None).values_list("key", flat=True))

    strengths = list(Strength.objects.filter(student__classrooms=demo.classroom))
    assert strengths
    for strength in strengths:
        assert strength.goal is not None and strength.goal.is_builtin
        assert strength.goal.key == shows[strength.description]


@pytest.mark.django_db
def test_it_pairs_a_third_or_more_of_the_class_well_in_complementary_mode(demo):
    data = class_goals(classroom=demo.classroom)
    partnerships = suggest_partners(data.writers(), mode=Mode.COMPLEMENTARY)
    assert len(partnerships) == 14  # 29 writers: 13 pairs and one trio
    well = [p for p in partnerships if p.well_matched]
    assert len(well) * 3 >= len(partnerships)
    # Goals met alone would match only a few pairs: strengths that show a goal do the rest.
    shown = {
        (s.student_id, s.goal_id)
        for s in Strength.objects.filter(student__classrooms=demo.classroom)
    }
    by_strength = [
        p for p in well if any((link.helper, link.goal_id) in shown for link in p.pair_links)
    ]
    assert len(by_strength) * 3 >= len(partnerships)
    assert not Partnership.objects.exists()  # the teacher saves them in the product tour


# -- self-assessments -----------------------------------------------------------------------


@pytest.mark.django_db
def test_it_has_a_third_of_the_class_self_assess_with_ratings_that_fit(demo):
    assessments = list(
        SelfAssessment.objects.filter(student__classrooms=demo.classroom).select_related(
            "checklist", "student"
        )
    )
    assert 8 <= len(assessments) <= 12
    assert len({a.student_id for a in assessments}) == len(assessments)
    assert {a.checklist.key for a in assessments} == {"narrative-3-5"}
    assert all(TODAY - timedelta(days=14) <= a.taken_on < TODAY for a in assessments)
    assert all(a.taken_on.weekday() < 5 for a in assessments)
    by_student = [a for a in assessments if a.by_student]
    assert 1 <= len(by_student) < len(assessments)

    items = set(assessments[0].checklist.items.values_list("pk", flat=True))
    # Ratings by what the line's goal is to the student: active, met or shown, or neither.
    counts: dict[str, Counter[str]] = {"active": Counter(), "strong": Counter(), "other": Counter()}
    proposing = 0
    for assessment in assessments:
        answers = list(assessment.answers.select_related("item"))
        assert {a.item_id for a in answers} == items
        assert {a.rating for a in answers} <= set(Rating.values)
        student = assessment.student
        active = set(
            student.student_goals.filter(status=StudentGoal.Status.ACTIVE).values_list(
                "goal_id", flat=True
            )
        )
        strong = set(
            student.student_goals.filter(status=StudentGoal.Status.MET).values_list(
                "goal_id", flat=True
            )
        ) | set(student.strengths.exclude(goal=None).values_list("goal_id", flat=True))
        for answer in answers:
            goal = answer.item.goal_id
            kind = "active" if goal in active else "strong" if goal in strong else "other"
            counts[kind][answer.rating] += 1
        result = latest_self_assessment(student=student)
        assert result is not None and result.assessment == assessment
        if result.proposals:
            proposing += 1
            assert not {g.pk for g in result.proposals} & active

    def share(kind: str, rating: str) -> float:
        return counts[kind][rating] / sum(counts[kind].values())

    assert share("active", Rating.NOT_YET) > 2 * share("other", Rating.NOT_YET)
    assert share("strong", Rating.YES) > share("other", Rating.YES)
    assert share("strong", Rating.NOT_YET) == 0
    assert proposing >= 2


# -- the small group ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_saves_one_small_group_of_the_most_shared_goal_and_leaves_the_rest_suggested(demo):
    group = SmallGroup.objects.get(classroom=demo.classroom)
    members = list(group.members.all())
    assert 3 <= len(members) <= 4
    for member in members:
        assert member.student_goals.filter(goal=group.goal, status="active").exists()
    first = Strategy.objects.filter(goal=group.goal, owner=None).order_by("position", "pk")[0]
    assert group.strategy == first

    data = class_goals(classroom=demo.classroom)
    found = suggest_groups(data.goals_by_student(), goal_order=library_order(data.goals))
    suggested = {(g.goal_id, frozenset(g.student_ids)) for g in found.groups}
    assert (group.goal_id, frozenset(m.pk for m in members)) in suggested  # as if accepted
    assert len(suggested) > 1  # the others wait for the teacher
    # Of the suggested groups of 3-4 with no overdue student, one of the most shared goal.
    holders = Counter(goal for goals in data.goals_by_student().values() for goal in goals)
    overdue = overdue_ids(demo)
    assert overdue and not overdue & {m.pk for m in members}
    fitting = [
        g for g in found.groups if 3 <= len(g.student_ids) <= 4 and not overdue & set(g.student_ids)
    ]
    assert holders[group.goal_id] == max(holders[g.goal_id] for g in fitting)


@pytest.mark.django_db
def test_it_holds_one_small_group_conference_in_the_group_slot_a_few_school_days_ago(demo):
    meeting = GroupConference.objects.select_related("group").get(classroom=demo.classroom)
    group = SmallGroup.objects.get(classroom=demo.classroom)
    assert meeting.group == group and meeting.name == group.name
    assert meeting.status == GroupConference.Status.HELD
    assert (meeting.goal, meeting.strategy) == (group.goal, group.strategy)
    assert meeting.compliment and meeting.discussed and meeting.task and meeting.research
    assert demo.group_conferences == 1

    start, end = timezone.localtime(meeting.started_at), timezone.localtime(meeting.ended_at)
    calendar = calendar_for(classroom=demo.classroom)
    assert 3 <= calendar.school_days_between(start.date(), TODAY) <= 6
    assert time(10, 10) <= start.time() and end.time() <= demo.classroom.slot_times()[0]
    assert meeting.ended_at - meeting.started_at == timedelta(seconds=meeting.duration_seconds)
    that_day = one_on_one(demo).filter(started_at__date=start.date())
    assert all(
        c.ended_at <= meeting.started_at or c.started_at >= meeting.ended_at for c in that_day
    )
    # The group was booked into that slot before it met.
    booked_for = GroupAppointment.objects.get(group=group).scheduled_for
    assert timezone.localtime(booked_for).time() in demo.classroom.block.group_starts()
    assert timedelta(0) <= meeting.started_at - booked_for < timedelta(minutes=1)


@pytest.mark.django_db
def test_it_puts_the_group_conference_in_every_members_chart_and_counts_them_seen(demo):
    meeting = GroupConference.objects.get(classroom=demo.classroom)
    group = SmallGroup.objects.get(classroom=demo.classroom)
    teacher = User.objects.get(username="demo")
    rows = list(meeting.members.select_related("student"))
    assert {r.student for r in rows} == set(group.members.all())
    assert len([r for r in rows if r.task]) == 1  # one member has a task of their own
    rows_by_student = {r.student_id: r for r in rows}
    seen = {row.student.pk: row.last_conference_at for row in class_rows(classroom=demo.classroom)}
    for student in group.members.all():
        row = rows_by_student[student.pk]
        assert (row.status, row.started_at, row.ended_at) == (
            Conference.Status.HELD,
            meeting.started_at,
            meeting.ended_at,
        )
        assert row.task_review in Conference.TaskReview.values  # their last task alone
        assert row.student_goal is not None and row.student_goal.goal_id == meeting.goal_id
        chart = [c for c in chart_for(user=teacher, student=student) if c.group_conference_id]
        assert chart == [row]
        assert chart[0].shared == meeting
        assert chart[0].student_task == (row.task or meeting.task)
        assert seen[student.pk] >= meeting.ended_at
        later = one_on_one(demo).filter(student=student, started_at__gt=meeting.ended_at)
        following = later.order_by("started_at").first()
        if following is not None:  # "So last time we spoke…" is the small group
            assert last_held(user=teacher, student=student, before=following) == row
            assert following.task_review


def test_it_shares_the_class_with_a_co_teacher_who_held_some_of_the_conferences(demo):
    co_teacher = User.objects.get(username=demo.co_teacher)
    assert co_teacher.is_demo
    assert demo.classroom.teachers.filter(pk=co_teacher.pk).exists()
    by_co_teacher = one_on_one(demo).filter(teacher=co_teacher)
    assert by_co_teacher.exists()
    assert one_on_one(demo).exclude(teacher=co_teacher).exists()
    assert {c.started_at.weekday() for c in by_co_teacher} <= {1, 3}


def test_it_has_a_coach_who_reads_the_class_and_teaches_none(demo):
    from conferbook.roster.selectors import classrooms_for, classrooms_seen_by

    coach = User.objects.get(username=demo.coach)
    assert coach.is_demo
    assert list(classrooms_seen_by(user=coach)) == [demo.classroom]
    assert not classrooms_for(teacher=coach).exists()


def test_it_signs_in_every_demo_account_with_the_printed_password(demo, client):
    for username in (demo.username, demo.co_teacher, demo.coach):
        assert client.login(username=username, password=demo.password), username


@pytest.mark.django_db
def test_it_rebuilds_the_roles_without_doubling_them():
    first = load_demo(today=TODAY)
    again = load_demo(today=TODAY)
    coach = User.objects.get(username=again.coach)
    assert coach.coachings.count() == 1
    assert list(
        again.classroom.teachers.order_by("username").values_list("username", flat=True)
    ) == [
        "demo",
        "demo-coteacher",
    ]
    assert not Classroom.objects.filter(pk=first.classroom.pk).exists()


@pytest.mark.django_db
def test_it_lets_the_demo_teacher_administer_only_until_a_real_account_exists(client):
    from conferbook.accounts.selectors import is_administrator
    from conferbook.accounts.services import start_school

    result = load_demo(today=TODAY)
    demo_teacher = User.objects.get(username=result.username)
    assert is_administrator(demo_teacher)
    real = start_school(
        username="mlee",
        password="a long enough passphrase",
        first_name="Mia",
        last_name="Lee",
        school_name="Hillside",
        time_zone="America/Chicago",
        clock="12",
    )
    assert is_administrator(real)
    assert not is_administrator(demo_teacher)
    load_demo(today=TODAY)  # reloading the demo does not give it the school back
    assert not is_administrator(User.objects.get(username=result.username))
