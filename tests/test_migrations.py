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
