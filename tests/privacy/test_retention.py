"""The retention purge: `conferbook purge` lists, and with --apply deletes, the students whose
every class was archived longer ago than the school keeps records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conferbook.accounts.models import School
from conferbook.cli import main
from conferbook.privacy import services
from conferbook.privacy.models import DeletionReceipt
from conferbook.roster.models import Student
from tests.factories import ClassroomFactory, ConferenceFactory, StudentFactory
from tests.walk import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return School.objects.create(name="Hillside", time_zone="UTC", retention_days=365)


def _archived(days_ago: float, teacher, name: str):
    classroom = ClassroomFactory(name=name, teachers=[teacher])
    classroom.archived_at = timezone.now() - timedelta(days=days_ago)
    classroom.save()
    return classroom


def test_it_finds_students_just_past_the_period_and_not_those_just_inside(school, okafor):
    outside = StudentFactory(first_name="Old", classroom=_archived(365.01, okafor, "2023"))
    inside = StudentFactory(first_name="Recent", classroom=_archived(364.99, okafor, "2024"))
    due = services.purge_past_retention(apply=False).due
    assert [d.student_id for d in due] == [outside.pk]
    assert due[0].classes == ("2023",)
    school.retention_days = 30
    school.save()
    assert {d.student_id for d in services.purge_past_retention(apply=False).due} == {
        outside.pk,
        inside.pk,
    }


def test_it_keeps_a_student_still_in_an_active_class_or_in_no_class(school, okafor, room7):
    moved_on = StudentFactory(first_name="Still", classroom=_archived(800, okafor, "2022"))
    room7.students.add(moved_on)
    StudentFactory(first_name="Nowhere")
    assert services.purge_past_retention(apply=False).due == []


def test_it_changes_nothing_on_a_dry_run(school, okafor, capsys):
    old = StudentFactory(first_name="Old", classroom=_archived(400, okafor, "2023"))
    ConferenceFactory(student=old)
    before = snapshot()
    assert main(["purge"]) == 0
    out = capsys.readouterr().out
    assert f"student {old.pk}: 2023" in out and "--apply" in out and "Old" not in out
    after = snapshot()
    assert {k: v for k, v in before.items() if k != "sessions.Session"} == after


def test_it_deletes_with_receipts_and_is_quiet_and_idempotent(school, okafor, room7, capsys):
    old = StudentFactory(first_name="Old", classroom=_archived(400, okafor, "2023"))
    kept = StudentFactory(first_name="Kept", classroom=room7)
    ConferenceFactory(student=old)
    assert main(["purge", "--apply"]) == 0
    assert capsys.readouterr().out == ""
    assert not Student.objects.filter(pk=old.pk).exists()
    assert Student.objects.filter(pk=kept.pk).exists()
    receipt = DeletionReceipt.objects.get()
    assert (receipt.student_id, receipt.reason, receipt.deleted_by_id) == (
        old.pk,
        "retention",
        None,
    )
    assert receipt.counts["deleted"]["conferences"] == 1
    assert main(["purge", "--apply", "--verbose"]) == 0
    assert "Deleted 0 student(s)" in capsys.readouterr().out
    assert DeletionReceipt.objects.count() == 1
