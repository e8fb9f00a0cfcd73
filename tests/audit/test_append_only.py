"""S15: the log has no update or delete path, in the app or (on PostgreSQL) in the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from conferbook.audit.models import AppendOnly, Event
from conferbook.audit.services import record
from tests.helpers import make_administrator
from tests.walk import ROUTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(okafor) -> Event:
    return record(Event.Kind.STUDENT_OPENED, actor=okafor, student_id=7, detail="student page")


def unchanged(event: Event) -> None:
    assert Event.objects.filter(
        pk=event.pk, kind=Event.Kind.STUDENT_OPENED, student_id=7, detail="student page"
    ).exists()


def test_it_refuses_to_save_an_event_again(event):
    event.detail = "changed"
    with pytest.raises(AppendOnly):
        event.save()
    unchanged(event)


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AppendOnly):
        event.delete()
    unchanged(event)


def test_it_refuses_to_update_or_delete_events_in_bulk(event):
    with pytest.raises(AppendOnly):
        Event.objects.filter(pk=event.pk).update(detail="changed")
    with pytest.raises(AppendOnly):
        Event.objects.all().delete()
    event.detail = "changed"
    # bulk_update's own atomic block has no savepoint: this one keeps the test's usable.
    with pytest.raises(AppendOnly), transaction.atomic():
        Event.objects.bulk_update([event], ["detail"])
    unchanged(event)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the trigger refusing UPDATE and DELETE exists on PostgreSQL only (migration 0002)",
)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_event SET detail = 'changed' WHERE id = %s",
        "DELETE FROM audit_event WHERE id = %s",
    ],
)
def test_it_refuses_raw_sql_that_changes_or_deletes_an_event_on_postgresql(event, sql):
    with (
        pytest.raises(DatabaseError, match="never changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    unchanged(event)


def test_it_serves_the_audit_log_to_get_only():
    audit = [r for r in ROUTES if r.name.startswith("audit:")]
    assert {r.name for r in audit} == {"audit:log", "audit:export"}
    for route in audit:
        assert route.allowed_methods == ["GET"], route.name


def test_it_answers_any_other_method_on_the_audit_urls_with_405(event, okafor, okafor_client):
    make_administrator(okafor)
    for url in ["/audit/", "/audit/export.csv"]:
        for method in ["post", "put", "patch", "delete"]:
            response = getattr(okafor_client, method)(url, {"detail": "changed"})
            assert response.status_code == 405, f"{method} {url}"
    unchanged(event)
    assert Event.objects.count() == 2  # the event and Mr Okafor's sign-in (force_login)
