"""Deleting a student's data completely: the typed name, the receipt, who may."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferbook.audit.models import Event
from conferbook.privacy.models import DeletionReceipt
from conferbook.roster.models import Student
from tests.helpers import make_administrator
from tests.privacy.seed import seed_every_kind

pytestmark = pytest.mark.django_db


def test_it_asks_for_the_full_name_and_keeps_the_typing_on_a_mismatch(
    okafor_client, okafor, room7, marcus
):
    seed_every_kind(teacher=okafor, classroom=room7, student=marcus)
    page = okafor_client.get(f"/students/{marcus.pk}/delete/").content.decode()
    assert "Marcus Lee" in page and "cannot be undone" in page
    response = okafor_client.post(f"/students/{marcus.pk}/delete/", {"full_name": "Marcus Leigh"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "nothing was deleted" in body and 'value="Marcus Leigh"' in body
    assert Student.objects.filter(pk=marcus.pk).exists()
    assert (
        not DeletionReceipt.objects.exists()
        and not Event.objects.exclude(kind="signed_in").exists()
    )


def test_it_deletes_and_shows_a_receipt_that_keeps_no_name(okafor_client, okafor, room7, marcus):
    seed_every_kind(teacher=okafor, classroom=room7, student=marcus)
    student_id = marcus.pk
    with CaptureQueriesContext(connection) as queries:
        response = okafor_client.post(
            f"/students/{student_id}/delete/", {"full_name": "  marcus   LEE "}
        )
    assert response.status_code == 200
    assert len(queries) < 200, "a deletion should not take a query per row"
    body = response.content.decode()
    assert "data was deleted" in body and "Conferences" in body and "Writing samples" in body
    assert not Student.objects.filter(pk=student_id).exists()
    receipt = DeletionReceipt.objects.get()
    assert receipt.student_id == student_id and receipt.reason == "request"
    assert receipt.deleted_by_id == okafor.pk and receipt.classroom_name == "Room 7"
    assert receipt.counts["deleted"]["conferences"] >= 2
    stored = str(list(DeletionReceipt.objects.values()))
    assert "Marcus" not in stored and "Lee" not in stored and "leads" not in stored
    event = Event.objects.exclude(kind="signed_in").get()
    assert (event.kind, event.student_id, event.actor_id) == ("deleted", student_id, okafor.pk)
    assert event.ip_address == "127.0.0.1"  # the test client's address
    assert "Marcus" not in event.detail


def test_it_lets_the_administrator_delete_and_read_the_receipts(
    rivera, rivera_client, okafor_client, okafor, room7, marcus
):
    assert rivera_client.get(f"/students/{marcus.pk}/delete/").status_code == 404
    assert rivera_client.get("/school/deletions/").status_code == 404
    make_administrator(rivera)
    assert rivera_client.get(f"/students/{marcus.pk}/delete/").status_code == 200
    response = rivera_client.post(f"/students/{marcus.pk}/delete/", {"full_name": "Marcus Lee"})
    assert response.status_code == 200
    assert not Student.objects.filter(pk=marcus.pk).exists()
    receipts = rivera_client.get("/school/deletions/").content.decode()
    assert f"Student {marcus.pk}" in receipts and "Ana Rivera" in receipts and "Room 7" in receipts
    assert okafor_client.get("/school/deletions/").status_code == 404


def test_it_offers_export_and_deletion_on_the_student_and_class_pages(okafor_client, room7, marcus):
    student_page = okafor_client.get(f"/students/{marcus.pk}/").content.decode()
    assert f"/students/{marcus.pk}/export/" in student_page
    assert f"/students/{marcus.pk}/delete/" in student_page
    class_page = okafor_client.get(f"/classes/{room7.pk}/").content.decode()
    assert f"/classes/{room7.pk}/export/" in class_page
    assert f"/classes/{room7.pk}/archive/" in class_page
