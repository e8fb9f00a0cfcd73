"""A query compiled once (conferbook.compiled) gives what its queryset gives, on both databases,
and refuses a builder whose SQL would not be the same for other values."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.accounts.models import CoachAssignment, User
from conferbook.accounts.sessions import EARLIER_BACKEND, SessionStore
from conferbook.compiled import CompiledQuery
from conferbook.conferences import selectors as conference_selectors
from conferbook.conferences.models import Conference
from conferbook.roster import selectors as roster_selectors
from conferbook.roster.models import Student
from tests.factories import ClassroomFactory, ConferenceFactory, TeacherFactory

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


def test_it_reads_model_rows_only():
    for build in (
        lambda conference_id: Conference.objects.select_related("student").filter(pk=conference_id),
        lambda conference_id: Conference.objects.filter(pk=conference_id).values("pk"),
        lambda conference_id: Conference.objects.filter(pk=conference_id).prefetch_related(
            "stickers"
        ),
        lambda conference_id: Conference.objects.using("default").filter(pk=conference_id),
    ):
        with pytest.raises(ValueError, match=r"select_related|model rows"):
            CompiledQuery(build, conference_id=uuid.UUID).all(conference_id=uuid.uuid4())


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
