"""A query compiled once (conferbook.compiled) gives what its queryset gives, on both databases,
and refuses a builder whose SQL would not be the same for other values."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.signals import post_save
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment, User
from conferbook.accounts.sessions import EARLIER_BACKEND, SessionStore
from conferbook.audit.models import AppendOnly, Event
from conferbook.compiled import CompiledQuery, save_fields
from conferbook.conferences import selectors as conference_selectors
from conferbook.conferences.models import Conference, GroupConference
from conferbook.goals import selectors as goal_selectors
from conferbook.goals.models import SamplePhoto, Strategy, Strength, WritingSample
from conferbook.goals.services import mark_spot
from conferbook.lib.photos import Box
from conferbook.roster import selectors as roster_selectors
from conferbook.roster.models import Classroom, Enrollment, Student
from tests.factories import (
    ClassroomFactory,
    ConferenceFactory,
    StudentFactory,
    StudentGoalFactory,
    TeacherFactory,
    WritingSampleFactory,
    add_photo,
    library_goal,
)

pytestmark = pytest.mark.django_db


def test_it_gives_the_rows_its_queryset_gives_to_each_reader(rivera, okafor, room12, room7):
    coach, stranger = TeacherFactory(), TeacherFactory()
    CoachAssignment.objects.create(coach=coach, teacher=rivera)
    shared = ClassroomFactory(teachers=[rivera, okafor])
    compiled = CompiledQuery(roster_selectors._classroom_seen_by, user=User, classroom_id=int)
    for reader in (rivera, okafor, coach, stranger):
        for classroom in (room12, room7, shared):
            expected = [
                (c.pk, c.name, c.created_at, c.reader_teaches)  # type: ignore[attr-defined]
                for c in roster_selectors._classroom_seen_by(reader, classroom.pk)
            ]
            got = [
                (c.pk, c.name, c.created_at, c.reader_teaches)  # type: ignore[attr-defined]
                for c in compiled.all(user=reader, classroom_id=classroom.pk)
            ]
            assert got == expected, (reader, classroom)
    # Some of each: the cases above are not all empty, nor all the same.
    assert compiled.first(user=coach, classroom_id=room12.pk) is not None
    assert compiled.first(user=stranger, classroom_id=room12.pk) is None


def test_it_converts_columns_and_annotations_as_the_database_gives_them(rivera, room12):
    compiled = CompiledQuery(roster_selectors._classroom_seen_by, user=User, classroom_id=int)
    classroom = compiled.first(user=rivera.pk, classroom_id=room12.pk)  # a pk serves too
    assert classroom is not None
    assert classroom.reader_teaches is True  # type: ignore[attr-defined]
    assert classroom.created_at == room12.created_at
    assert timezone.is_aware(classroom.created_at)
    assert classroom.writing_days == room12.writing_days
    assert not classroom._state.adding and classroom._state.db == "default"


def test_it_leaves_the_columns_it_did_not_read_deferred(zoe):
    compiled = CompiledQuery(
        lambda student_id: Student.objects.filter(pk=student_id).only("pk"), student_id=int
    )
    student = compiled.first(student_id=zoe.pk)
    assert student is not None
    assert student.get_deferred_fields() >= {"first_name", "last_name"}
    assert student.first_name == zoe.first_name  # read when asked, as Django does


def test_it_takes_uuids_and_datetimes(rivera, zoe, room12):
    held = ConferenceFactory(student=zoe, started_at=timezone.now() - timedelta(days=2))
    compiled = CompiledQuery(
        lambda conference_id, since: Conference.objects.filter(
            pk=conference_id, started_at__gte=since
        ),
        conference_id=uuid.UUID,
        since=datetime,
    )
    week_ago = timezone.now() - timedelta(days=7)
    assert compiled.first(conference_id=held.pk, since=week_ago) == held
    assert compiled.first(conference_id=held.pk, since=timezone.now()) is None
    assert compiled.first(conference_id=uuid.uuid4(), since=week_ago) is None


def test_it_runs_one_query_a_call_and_builds_the_queryset_only_to_compile(rivera, room12):
    built: list[int] = []

    def build(user: User, classroom_id: int):  # type: ignore[no-untyped-def]
        built.append(classroom_id)
        return roster_selectors._classroom_seen_by(user, classroom_id)

    compiled = CompiledQuery(build, user=User, classroom_id=int)
    compiled.first(user=rivera, classroom_id=room12.pk)
    builds = len(built)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert compiled.first(user=rivera, classroom_id=room12.pk) == room12
    assert len(queries) == 3
    assert len(built) == builds


def test_it_refuses_a_builder_that_reads_the_clock(zoe):
    compiled = CompiledQuery(
        lambda student_id: Conference.objects.filter(
            student_id=student_id, started_at__lte=timezone.now()
        ),
        student_id=int,
    )
    with pytest.raises(ValueError, match="do not give"):
        compiled.all(student_id=zoe.pk)


def test_it_refuses_a_builder_whose_sql_changes_with_its_values(zoe):
    odd_or_even = CompiledQuery(
        lambda student_id: (
            Student.objects.filter(pk=student_id)
            if student_id % 2
            else Student.objects.filter(pk=student_id, archived_at=None)
        ),
        student_id=int,
    )
    with pytest.raises(ValueError, match="different SQL"):
        odd_or_even.all(student_id=zoe.pk)
    above_nought = CompiledQuery(
        lambda student_id: (
            Student.objects.filter(pk=student_id)
            if student_id > 0
            else Student.objects.filter(pk=student_id).exclude(archived_at=None)
        ),
        student_id=int,
    )
    with pytest.raises(ValueError):
        above_nought.all(student_id=zoe.pk)


def test_it_refuses_a_builder_that_depends_on_the_time_zone(zoe):
    on_new_years_day = CompiledQuery(
        lambda student_id: Conference.objects.filter(
            student_id=student_id, started_at__date=date(2026, 1, 1)
        ),
        student_id=int,
    )
    with pytest.raises(ValueError, match="time zone"):
        on_new_years_day.all(student_id=zoe.pk)


def test_it_refuses_a_lookup_that_rewrites_its_value(zoe):
    # Django escapes %, _ and \ in these and adds its own %: the database would not get the
    # value given, so a compiled query would not match alike.
    for lookup in ("contains", "startswith", "icontains"):
        compiled = CompiledQuery(
            lambda name, lookup=lookup: Student.objects.filter(**{f"first_name__{lookup}": name}),
            name=str,
        )
        with pytest.raises(ValueError, match="rewrites"):
            compiled.all(name="z_e")


def test_it_finds_nothing_for_a_number_no_column_can_hold(zoe):
    compiled = CompiledQuery(
        lambda student_id: Student.objects.filter(pk=student_id), student_id=int
    )
    assert compiled.all(student_id=2**70) == []
    assert compiled.all(student_id=-(2**70)) == []
    assert compiled.all(student_id=zoe.pk) == [zoe]


def test_it_refuses_missing_unknown_unused_and_empty_values(zoe):
    compiled = CompiledQuery(
        lambda student_id: Student.objects.filter(pk=student_id), student_id=int
    )
    with pytest.raises(TypeError):
        compiled.all()
    with pytest.raises(TypeError):
        compiled.all(student_id=zoe.pk, classroom_id=1)
    with pytest.raises(ValueError, match="None"):
        compiled.all(student_id=None)
    unused = CompiledQuery(
        lambda student_id, extra: Student.objects.filter(pk=student_id),
        student_id=int,
        extra=int,
    )
    with pytest.raises(ValueError, match="does not use extra"):
        unused.all(student_id=zoe.pk, extra=1)
    with pytest.raises(TypeError):
        CompiledQuery(lambda when: Student.objects.all(), when=float)


def test_it_refuses_another_models_row_or_an_unsaved_one(rivera, room12, zoe):
    compiled = CompiledQuery(roster_selectors._classroom_seen_by, user=User, classroom_id=int)
    with pytest.raises(TypeError, match="Student"):
        compiled.all(user=zoe, classroom_id=room12.pk)  # the ORM refuses it too
    with pytest.raises(ValueError, match="not saved"):
        compiled.all(user=User(username="new"), classroom_id=room12.pk)


def _chart_since(user: User, student: Student, since: datetime):
    return conference_selectors.chart_for(user=user, student=student).filter(ended_at__gte=since)


def _held_group_conference(teacher: User, members: list[Student], classroom) -> GroupConference:
    ended = timezone.now() - timedelta(days=2)
    meeting = GroupConference.objects.create(
        classroom=classroom,
        name="Leads",
        teacher=teacher,
        status=GroupConference.Status.HELD,
        started_at=ended - timedelta(minutes=6),
        ended_at=ended,
        goal=library_goal(1),
        discussed="Leads that start with a sound.",
    )
    for member in members:
        ConferenceFactory(
            student=member,
            classroom=classroom,
            teacher=teacher,
            group_conference=meeting,
            started_at=meeting.started_at,
            ended_at=ended,
        )
    return meeting


def _chart_row(c: Conference) -> tuple[object, ...]:
    """What the chart shows of a row: its own columns, its select_related rows and the
    group's other members (prefetched)."""
    group = c.group_conference
    return (
        c.pk,
        c.ended_at,
        c.discussed,
        c.teacher and c.teacher.username,
        c.student_goal and c.student_goal.goal.name,
        group and (group.name, group.teacher and group.teacher.username, group.goal),
        [s.pk for s in c.others_in_group],
    )


def test_select_related_and_prefetched_rows_are_made_as_django_makes_them(
    rivera, okafor, room12, zoe
):
    classmates = [StudentFactory(classroom=room12) for _ in range(2)]
    goal = StudentGoalFactory(student=zoe, set_by=rivera)
    ConferenceFactory(student=zoe, teacher=rivera, student_goal=goal)
    ConferenceFactory(student=zoe, teacher=None, ended_at=timezone.now() - timedelta(days=90))
    _held_group_conference(rivera, [zoe, *classmates], room12)
    compiled = CompiledQuery(_chart_since, user=User, student=Student, since=datetime)
    since = timezone.now() - timedelta(days=30)
    for reader in (rivera, okafor):
        expected = [_chart_row(c) for c in _chart_since(reader, zoe, since)]
        rows = compiled.all(user=reader, student=zoe, since=since)
        with CaptureQueriesContext(connection) as queries:
            got = [_chart_row(c) for c in rows]  # related rows came with the query
        assert got == expected and len(queries) == 0
    assert len(expected) == 0 and len(got) == 0  # okafor reads none of them
    got = [_chart_row(c) for c in compiled.all(user=rivera, student=zoe, since=since)]
    assert len(got) == 2  # the old one is before `since`
    assert got[-1][5] == ("Leads", rivera.username, library_goal(1))
    assert sorted(got[-1][6]) == sorted(s.pk for s in classmates)


def test_values_and_values_lists_are_given_as_django_gives_them(rivera, zoe):
    ConferenceFactory(student=zoe, teacher=rivera)
    ConferenceFactory(student=zoe, teacher=rivera, ended_at=timezone.now() - timedelta(days=3))

    def held(student: Student):
        return Conference.objects.filter(student=student).order_by("ended_at")

    for shape in (
        lambda student: held(student).values("pk", "ended_at", "teacher__username"),
        lambda student: held(student).values_list("ended_at", "duration_seconds"),
        lambda student: held(student).values_list("ended_at", flat=True),
    ):
        got = CompiledQuery(shape, student=Student).all(student=zoe)
        assert got == list(shape(zoe)) and len(got) == 2
        first = got[0]
        ended = first["ended_at"] if isinstance(first, dict) else first
        assert timezone.is_aware(ended[0] if isinstance(ended, tuple) else ended)
    # DISTINCT ordered by a column it does not select: Django adds the column, a row has not.
    ordered = lambda student: (  # noqa: E731
        Conference.objects.filter(student=student)
        .values_list("teacher_id", "status")
        .distinct()
        .order_by("teacher__username")
    )
    assert CompiledQuery(ordered, student=Student).all(student=zoe) == [(rivera.pk, "held")]


def test_it_refuses_what_it_would_not_give_as_the_queryset_does(zoe):
    def by(student: Student):
        return Conference.objects.filter(student=student)

    for build in (
        lambda student: by(student).values_list("pk", named=True),
        lambda student: by(student).values("pk").prefetch_related("stickers"),
        lambda student: by(student).using("default"),
        lambda student: by(student).extra(select={"one": "1"}),
        lambda student: zoe.conferences.filter(student=student),  # known related objects
    ):
        with pytest.raises(ValueError, match=r"model rows"):
            CompiledQuery(build, student=Student).all(student=zoe)


def test_a_prefetch_that_uses_a_value_is_refused(rivera, zoe):
    def prefetching_by(user: User, student: Student):
        return Conference.objects.filter(student=student, teacher=user).prefetch_related(
            Prefetch("student__conferences", queryset=Conference.objects.filter(teacher=user))
        )

    with pytest.raises(ValueError, match=r"prefetch_related"):
        CompiledQuery(prefetching_by, user=User, student=Student).all(user=rivera, student=zoe)


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_refuses_to_run_outside_a_transaction_even_once_compiled(rivera, zoe):
    conference = ConferenceFactory(student=zoe, status=Conference.Status.IN_PROGRESS)
    with transaction.atomic():
        locked = conference_selectors.lock_one_on_one_for(
            teacher=rivera, conference_id=conference.pk
        )
        assert locked == conference
    with pytest.raises(TransactionManagementError):
        conference_selectors.lock_one_on_one_for(teacher=rivera, conference_id=conference.pk)
    with transaction.atomic(), pytest.raises(Conference.DoesNotExist):
        conference_selectors.lock_one_on_one_for(
            teacher=TeacherFactory(), conference_id=conference.pk
        )


# -- where it is used ----------------------------------------------------------------------


def test_a_session_is_read_while_it_lasts_and_not_after(rivera_client):
    key = rivera_client.session.session_key
    assert SessionStore(key).load()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_session_signed_in_before_the_upgrade_stays_signed_in(rivera, room12):
    client = Client()
    client.force_login(rivera, backend=EARLIER_BACKEND)
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.get_decoded()[BACKEND_SESSION_KEY] == EARLIER_BACKEND
    answer = client.get(f"/classes/{room12.pk}/")
    assert answer.status_code == 200
    assert answer.wsgi_request.user == rivera


def test_a_deactivated_teacher_is_signed_out_at_the_next_request(rivera, rivera_client, room12):
    assert rivera_client.get(f"/classes/{room12.pk}/").status_code == 200
    User.objects.filter(pk=rivera.pk).update(is_active=False)
    answer = rivera_client.get(f"/classes/{room12.pk}/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


# -- prefetch_related, read by compiled queries of their own ------------------------------


def _samples_and_spots(teacher: User, student: Student) -> list[WritingSample]:
    """Three samples, the newest with two pages, the middle one with none; a strength and a
    place to lift marked on the newest's first page."""
    samples = []
    for days in (30, 20, 10):
        samples.append(
            WritingSampleFactory(
                student=student,
                added_by=teacher,
                written_on=timezone.localdate() - timedelta(days=days),
            )
        )
    newest, _, oldest = samples[2], samples[1], samples[0]
    page = add_photo(newest, by=teacher)
    add_photo(newest, by=teacher)
    add_photo(oldest, by=teacher)
    for kind in ("strength", "lift"):
        mark_spot(
            teacher=teacher,
            photo=page,
            box=Box(0, 0, 60, 60),
            kind=kind,
            description="Strong verbs",
            goal=library_goal(2),
        )
    return samples


def _photo_pks(samples: list[WritingSample]) -> list[tuple[int, list[int]]]:
    return [(s.pk, [p.pk for p in s.photos.all()]) for s in samples]


def test_prefetched_children_are_read_by_a_compiled_query_as_django_reads_them(rivera, zoe):
    other = StudentFactory()
    _samples_and_spots(rivera, zoe)
    _samples_and_spots(rivera, other)  # children of another student's rows stay out
    compiled = goal_selectors.samples_with_photos
    expected = _photo_pks(list(compiled(student=zoe)))
    with CaptureQueriesContext(connection) as queries:
        rows = compiled.all(student=zoe)
        got = _photo_pks(rows)
    assert got == expected
    assert [len(pages) for _, pages in got] == [2, 0, 1]  # newest first
    assert len(queries) == 2  # the samples, then every sample's pages
    # The pages' SQL is the same text whatever the number of samples (the samples' query
    # is its subquery): compiled once, not an IN list of as many values as samples.
    WritingSampleFactory(student=other, added_by=rivera)
    texts: list[str] = []

    def keep_sql(run, sql, params, many, context):  # type: ignore[no-untyped-def]
        texts.append(sql)
        return run(sql, params, many, context)

    for student in (zoe, other):
        with connection.execute_wrapper(keep_sql):
            compiled.all(student=student)
    assert len(texts) == 4 and texts[1] == texts[3] and "IN (SELECT" in texts[1]
    # Each page knows its sample without a query, as after Django's prefetch.
    with CaptureQueriesContext(connection) as queries:
        assert all(p.sample is s for s in rows for p in s.photos.all())
    assert len(queries) == 0
    # The related manager still filters by its parent when asked for more than it holds.
    newest = rows[0]
    assert list(newest.photos.filter(position__gt=0)) == list(
        SamplePhoto.objects.filter(sample=newest, position__gt=0)
    )
    # A Prefetch with its own queryset and one to an attribute.
    strengths = goal_selectors.strengths_with_spots
    assert [(s.pk, [p.pk for p in s.spots.all()]) for s in strengths.all(student=zoe)] == [
        (s.pk, [p.pk for p in s.spots.all()]) for s in strengths(student=zoe)
    ]

    def marked(student: Student):
        return WritingSample.objects.filter(student=student).prefetch_related(
            Prefetch(
                "photos",
                queryset=SamplePhoto.objects.filter(spots__kind="lift").defer("image"),
                to_attr="with_places",
            )
        )

    got_attr = [
        (s.pk, [p.pk for p in s.with_places])  # type: ignore[attr-defined]
        for s in CompiledQuery(marked, student=Student).all(student=zoe)
    ]
    assert got_attr == [(s.pk, [p.pk for p in s.with_places]) for s in marked(zoe)]  # type: ignore[attr-defined]
    assert sum(len(pages) for _, pages in got_attr) == 1


def test_a_limited_querys_children_are_only_its_rows_children(rivera, zoe):
    _samples_and_spots(rivera, zoe)

    def newest(student: Student):
        return goal_selectors.samples_with_photos(student=student)[:1]

    rows = CompiledQuery(newest, student=Student).all(student=zoe)
    assert _photo_pks(rows) == _photo_pks(list(newest(zoe)))
    assert len(rows) == 1 and len(rows[0].photos.all()) == 2


def test_prefetches_it_cannot_compile_are_left_to_django(rivera, okafor, room12, zoe):
    shared = ClassroomFactory(teachers=[rivera, okafor])
    Enrollment.objects.create(classroom=shared, student=zoe)

    def classes_with_teachers(student: Student):  # many to many
        return Classroom.objects.filter(students=student).prefetch_related("teachers")

    def members_unselected(student: Student):  # through a relation not select_related
        return Conference.objects.filter(student=student).prefetch_related(
            "group_conference__members"
        )

    compiled = CompiledQuery(classes_with_teachers, student=Student)
    got = [(c.pk, sorted(t.pk for t in c.teachers.all())) for c in compiled.all(student=zoe)]
    assert got == [
        (c.pk, sorted(t.pk for t in c.teachers.all())) for c in classes_with_teachers(zoe)
    ]
    assert (shared.pk, sorted([rivera.pk, okafor.pk])) in got
    _held_group_conference(rivera, [zoe, StudentFactory(classroom=room12)], room12)
    compiled_members = CompiledQuery(members_unselected, student=Student)
    assert [
        [m.pk for m in c.group_conference.members.all()]
        for c in compiled_members.all(student=zoe)
        if c.group_conference
    ] == [
        [m.pk for m in c.group_conference.members.all()]
        for c in members_unselected(zoe)
        if c.group_conference
    ]


def test_a_day_is_a_value_as_the_queryset_takes_it(db):
    from conferbook.calendar.models import Term

    autumn = Term.objects.create(
        name="Autumn", starts_on=date(2026, 9, 1), ends_on=date(2026, 12, 18)
    )
    spring = Term.objects.create(
        name="Spring", starts_on=date(2027, 1, 5), ends_on=date(2027, 4, 1)
    )

    def terms_on(day: date):
        return Term.objects.filter(starts_on__lte=day, ends_on__gte=day)

    compiled = CompiledQuery(terms_on, day=date)
    for day in (date(2026, 9, 1), date(2026, 12, 18), date(2026, 12, 25), date(2027, 2, 1)):
        assert compiled.all(day=day) == list(terms_on(day)), day
    assert compiled.all(day=date(2026, 9, 1)) == [autumn]
    assert compiled.all(day=date(2027, 4, 1)) == [spring]
    assert compiled.all(day=date(2026, 12, 19)) == []


def test_a_compiled_selector_is_still_its_queryset_when_called(rivera, zoe):
    StudentGoalFactory(student=zoe, set_by=rivera, status="met")
    history = goal_selectors.goal_history
    assert isinstance(history(student=zoe), QuerySet)
    assert history.all(student=zoe) == list(history(student=zoe)) != []
    assert history.__doc__ and "met or set aside" in history.__doc__


def test_values_name_each_column_as_django_names_it_in_any_order(rivera, zoe):
    ConferenceFactory(student=zoe, teacher=rivera, task="Two leads")

    def shapes(student: Student):
        by = Conference.objects.filter(student=student).annotate(n=Count("pk"))
        return (
            by.values("n", "task"),  # an annotation before a field: selected in that order
            by.values("task", "n"),
            by.values_list("n", "task"),
            by.values_list("task", "n"),
        )

    for k in range(4):
        compiled = CompiledQuery(lambda student, k=k: shapes(student)[k], student=Student)
        got = compiled.all(student=zoe)
        assert got == list(shapes(zoe)[k]) and len(got) == 1, k
    assert CompiledQuery(lambda student: shapes(student)[0], student=Student).all(student=zoe) == [
        {"n": 1, "task": "Two leads"}
    ]


def test_which_prefetches_are_compiled_and_which_are_left_to_django(rivera, room12, zoe):
    from conferbook.calendar.selectors import calendar_for  # noqa: F401 (models loaded)
    from conferbook.scheduling.models import CalendarFeed

    CalendarFeed.objects.create(classroom=room12)

    def with_spots(student: Student):
        return Strength.objects.filter(student=student).prefetch_related("spots")

    def with_feed(student: Student):  # a reverse one-to-one: Django's
        return Classroom.objects.filter(students=student).prefetch_related("feed")

    spots = CompiledQuery(with_spots, student=Student)
    spots.all(student=zoe)
    assert [c.accessor for c in spots._compiled["default"].children] == ["spots"]
    assert spots._compiled["default"].prefetches == ()
    # Limited, ordered with ties: the children's query could pick other parents.
    tied = CompiledQuery(
        lambda student: with_spots(student).order_by("noted_on")[:2], student=Student
    )
    tied.all(student=zoe)
    assert tied._compiled["default"].children == ()
    assert tied._compiled["default"].prefetches == ("spots",)
    to_the_row = CompiledQuery(
        lambda student: with_spots(student).order_by("noted_on", "pk")[:2], student=Student
    )
    to_the_row.all(student=zoe)
    assert len(to_the_row._compiled["default"].children) == 1
    feed = CompiledQuery(with_feed, student=Student)
    got = feed.all(student=zoe)
    assert feed._compiled["default"].children == ()
    assert feed._compiled["default"].prefetches == ("feed",)
    with CaptureQueriesContext(connection) as queries:
        assert [c.feed.token for c in got] == [room12.feed.token]
    assert len(queries) == 0


def test_the_last_conference_held_before_another_is_found_as_before(rivera, okafor, room12, zoe):
    now = timezone.now()
    older = ConferenceFactory(student=zoe, teacher=rivera, ended_at=now - timedelta(days=9))
    newer = ConferenceFactory(student=zoe, teacher=rivera, ended_at=now - timedelta(days=2))
    started = ConferenceFactory(
        student=zoe,
        teacher=rivera,
        status=Conference.Status.IN_PROGRESS,
        started_at=now - timedelta(days=5),
        ended_at=None,
    )
    booked = ConferenceFactory(
        student=zoe,
        teacher=rivera,
        status=Conference.Status.SCHEDULED,
        started_at=None,
        ended_at=None,
        scheduled_for=now + timedelta(days=1),
    )
    for reader in (rivera, okafor):
        for before in (None, started, booked, newer):
            expected = (
                conference_selectors._latest_held(user=reader, student=zoe, before=before)
                .select_related("student_goal__goal", "group_conference__goal", "teacher")
                .first()
            )
            found = conference_selectors.last_held(user=reader, student=zoe, before=before)
            assert found == expected, (reader, before)
    assert conference_selectors.last_held(user=rivera, student=zoe) == newer
    assert conference_selectors.last_held(user=rivera, student=zoe, before=started) == older
    assert conference_selectors.last_held(user=rivera, student=zoe, before=booked) == newer
    assert conference_selectors.last_held(user=okafor, student=zoe) is None
    since = now - timedelta(days=5)
    for reader in (rivera, okafor):
        assert (
            conference_selectors.chart_count_before(user=reader, student=zoe, before=since)
            == conference_selectors.chart_for(user=reader, student=zoe)
            .filter(ended_at__lt=since)
            .count()
        )
    assert conference_selectors.chart_count_before(user=rivera, student=zoe, before=since) == 1


def test_a_stand_in_row_has_nothing_but_its_key(rivera, zoe):
    """A builder that read another column of a row it was given would make SQL of that
    column's stand-in value (its default): it is refused when it compiles."""

    def by_first_name(student: Student):
        return Student.objects.filter(first_name=student.first_name)

    with pytest.raises(ValueError, match="only its key"):
        CompiledQuery(by_first_name, student=Student).all(student=zoe)


# -- save_fields: Model.save(update_fields=...) with its UPDATE written once ----------------


def test_save_fields_writes_what_django_save_writes_and_nothing_else(zoe, room12, rivera):
    mine, django_s = ConferenceFactory.create_batch(
        2, student=zoe, classroom=room12, teacher=rivera
    )
    before = Conference.objects.get(pk=mine.pk).updated_at
    for row in (mine, django_s):
        row.discussed = "Talked about leads; 'quotes' and a ; stay text"
        row.compliment = "changed in memory only"  # not among the fields: not written
    with CaptureQueriesContext(connection) as queries:
        save_fields(mine, ["discussed", "updated_at"])
    django_s.save(update_fields=["discussed", "updated_at"])
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    for row in (mine, django_s):
        stored = Conference.objects.get(pk=row.pk)
        assert stored.discussed == "Talked about leads; 'quotes' and a ; stay text"
        assert stored.compliment != "changed in memory only"
        assert stored.updated_at == row.updated_at  # auto_now set on the row, as Django does
    assert mine.updated_at > before


def test_save_fields_writes_its_sql_once_per_model_and_fields(zoe, room12, monkeypatch):
    first, second = ConferenceFactory.create_batch(2, student=zoe, classroom=room12)

    def not_here(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a plain row's fields are written without Django's save")

    monkeypatch.setattr(Conference, "_save_table", not_here)
    with CaptureQueriesContext(connection) as queries:
        for row, text in ((first, "one"), (second, "two"), (first, "three")):
            row.compliment = text
            save_fields(row, ["compliment", "updated_at"])
    statements = {q["sql"].split(" = ")[0] for q in queries.captured_queries}
    assert statements == {'UPDATE "conferences_conference" SET "compliment"'}
    assert Conference.objects.get(pk=first.pk).compliment == "three"
    assert Conference.objects.get(pk=second.pk).compliment == "two"


def test_save_fields_raises_as_django_when_the_row_is_gone(zoe, room12):
    row = ConferenceFactory(student=zoe, classroom=room12)
    Conference.objects.filter(pk=row.pk).delete()
    row.discussed = "lost?"
    with pytest.raises(DatabaseError, match="did not affect any rows"), transaction.atomic():
        save_fields(row, ["discussed", "updated_at"])


def test_save_fields_leaves_to_django_what_its_save_does_more(zoe, room12):
    row = ConferenceFactory(student=zoe, classroom=room12, discussed="a")
    # A listener of post_save hears the save.
    heard = []

    def listen(sender, instance, update_fields, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(set(update_fields))

    post_save.connect(listen, sender=Conference)
    try:
        row.discussed = "b"
        save_fields(row, ["discussed", "updated_at"])
    finally:
        post_save.disconnect(listen, sender=Conference)
    assert heard == [{"discussed", "updated_at"}]
    # An expression is worked out by the database.
    row.duration_seconds = 60
    save_fields(row, ["duration_seconds"])
    row.duration_seconds = F("duration_seconds") + 30
    save_fields(row, ["duration_seconds"])
    assert Conference.objects.get(pk=row.pk).duration_seconds == 90
    # A name that is not a column of the model: Django's own error.
    with pytest.raises(ValueError, match="do not exist"):
        save_fields(row, ["not_a_field"])
    # A row not yet saved: Django saves it (its key has a default, so Django inserts it).
    new = Conference(student=zoe, classroom=room12, discussed="new")
    save_fields(new, ["discussed"])
    assert Conference.objects.get(pk=new.pk).discussed == "new"
    # A relation: Django checks the related row (here, one not saved yet).
    row.strategy = Strategy(goal=library_goal(0), name="Not saved", steps="One")
    with pytest.raises(ValueError, match="unsaved related object"):
        save_fields(row, ["strategy", "strategy_id", "updated_at"])
    # A model with a save of its own: it is asked.
    event = Event.objects.create(kind=Event.Kind.PRINTED, actor_name="Ms Rivera")
    event.actor_name = "Someone else"
    with pytest.raises(AppendOnly):
        save_fields(event, ["actor_name"])
    assert Event.objects.get(pk=event.pk).actor_name == "Ms Rivera"


def test_save_fields_names_a_column_once_however_it_is_named(zoe, room12):
    """By name or by attname, each column is written once, as Django's save writes it
    (PostgreSQL refuses a column set twice)."""
    row = ConferenceFactory(student=zoe, classroom=room12)
    row.discussed = "once"
    with CaptureQueriesContext(connection) as queries:
        save_fields(row, ["discussed", "updated_at", "discussed"])
    assert queries[0]["sql"].count('"discussed"') == 1
    assert Conference.objects.get(pk=row.pk).discussed == "once"
