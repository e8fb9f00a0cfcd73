"""Upgrading a database that already holds small groups: moving the model to the groups app
keeps every group, its members and its bookings (R8: an upgrade loses nothing)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("roster", "0005_small_groups"),
    ("scheduling", "0002_small_groups"),
    ("goals", "0002_builtin_library"),
    ("conferences", "0004_earned_stickers"),
]


def _leaves(executor: MigrationExecutor) -> list[tuple[str, str]]:
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_small_groups_their_members_and_bookings_through_the_move():
    executor = MigrationExecutor(connection)
    latest = _leaves(executor)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    classroom = old.get_model("roster", "Classroom").objects.create(name="Room 9")
    students = [
        old.get_model("roster", "Student").objects.create(first_name=name)
        for name in ("Ana", "Ben")
    ]
    group = old.get_model("roster", "SmallGroup").objects.create(classroom=classroom, name="Leads")
    group.members.set(students)
    at = timezone.make_aware(datetime(2030, 1, 7, 10, 40))
    old.get_model("scheduling", "GroupAppointment").objects.create(group=group, scheduled_for=at)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    from conferbook.groups.models import SmallGroup
    from conferbook.scheduling.models import GroupAppointment

    moved = SmallGroup.objects.get()
    assert (moved.pk, moved.name, moved.classroom_id) == (group.pk, "Leads", classroom.pk)
    assert sorted(m.first_name for m in moved.members.all()) == ["Ana", "Ben"]
    assert moved.goal is None and moved.strategy is None
    booking = GroupAppointment.objects.get()
    assert booking.group == moved and timezone.localtime(booking.scheduled_for).time() == time(
        10, 40
    )


@pytest.mark.django_db(transaction=True)
def test_it_removes_an_appointment_booked_for_a_year_no_calendar_reaches(
    rivera_client, room12, zoe
):
    """One booking for 31 Dec 9999 (New York) used to break the class page, the student page
    and the reports, with no way to remove it from the app (on PostgreSQL it reads back as
    the year 10000). The upgrade removes it; the record of held conferences stays."""
    import importlib

    from conferbook.conferences.models import Conference
    from tests.factories import ConferenceFactory

    held = ConferenceFactory(student=zoe, classroom=room12)
    far = "10000-01-01 04:59:00+00" if connection.vendor == "postgresql" else "9999-12-31 23:59:00"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO conferences_conference (id, classroom_id, student_id, kind, status,"
            " scheduled_for, planned, next_not_booked, research, compliment, discussed,"
            " task_review, task_review_note, task, updated_at)"
            " VALUES (%s, %s, %s, 'writing', 'scheduled', %s, false, false, '', '', '', '', '',"
            " '', %s)",
            [
                "11111111111111111111111111111111"
                if connection.vendor == "sqlite"
                else "11111111-1111-1111-1111-111111111111",
                room12.pk,
                zoe.pk,
                far,
                timezone.now(),
            ],
        )
    migration = importlib.import_module(
        "conferbook.scheduling.migrations.0006_forget_unreachable_appointments"
    )
    with connection.schema_editor() as editor:
        migration.forget_unreachable_appointments(None, editor)

    assert list(Conference.objects.values_list("pk", flat=True)) == [held.pk]
    for url in (f"/classes/{room12.pk}/", f"/students/{zoe.pk}/"):
        assert rivera_client.get(url).status_code == 200
