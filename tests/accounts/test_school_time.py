"""The school's time zone and clock are data: every appointment stays at its time of day in
the school's day, whatever the machine says, and every page, PDF and feed shows it so."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from conferbook.accounts.models import School
from conferbook.accounts.services import ensure_school
from conferbook.conferences import services as conference_services
from conferbook.conferences.models import Conference
from conferbook.scheduling.models import GroupAppointment
from tests.factories import ConferenceFactory
from tests.helpers import a_coming_weekday, shown_messages
from tests.walk import ROUTES

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")


def in_zone(zone: ZoneInfo, hour: int, minute: int, days: int = 3) -> datetime:
    """A school day ahead at a wall-clock time in `zone`."""
    return datetime.combine(a_coming_weekday(days), time(hour, minute), tzinfo=zone)


def book(student, classroom, at: datetime) -> Conference:  # type: ignore[no-untyped-def]
    return Conference.objects.create(
        classroom=classroom,
        student=student,
        status=Conference.Status.SCHEDULED,
        scheduled_for=at,
    )


def text_of_pdf(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:300]
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def run_by(administrator, **fields) -> School:
    """The school, run by `administrator` (the School page is theirs alone)."""
    school = School.objects.create(**fields)
    school.administrators.add(administrator)
    return school


def test_it_keeps_every_appointment_where_it_was_when_the_machine_zone_changes(
    settings, rivera_client, room12, zoe
):
    School.objects.create(time_zone="America/New_York")
    book(zoe, room12, in_zone(NEW_YORK, 10, 35))
    # The same instance restarted on a machine set to Tokyo (or with the old setting):
    settings.TIME_ZONE = "Asia/Tokyo"
    page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    assert "10:35 AM" in page
    student = rivera_client.get(f"/students/{zoe.pk}/").content.decode()
    assert "10:35 AM" in student


def test_it_records_the_zone_in_use_when_an_older_instance_upgrades(monkeypatch, settings):
    monkeypatch.setenv("CONFERBOOK_TIME_ZONE", "Europe/Lisbon")
    settings.TIME_ZONE = "UTC"
    assert ensure_school().time_zone == "Europe/Lisbon"
    monkeypatch.setenv("CONFERBOOK_TIME_ZONE", "Asia/Tokyo")  # a later restart changes nothing
    assert ensure_school().time_zone == "Europe/Lisbon"
    assert School.objects.count() == 1


def test_it_asks_the_time_zone_at_first_run_with_the_machine_one_chosen(settings):
    settings.TIME_ZONE = "America/Denver"
    client = Client()
    page = client.get("/welcome/").content.decode()
    assert re.search(r'<option value="America/Denver"[^>]*selected', page)
    response = client.post(
        "/welcome/",
        {
            "first_name": "Ana",
            "username": "ana",
            "password": "a long walk to school",
            "school_name": "Hillside Elementary",
            "time_zone": "America/Chicago",
            "clock": "12",
        },
    )
    assert response.status_code == 302
    school = School.objects.get()
    assert (school.name, school.time_zone) == ("Hillside Elementary", "America/Chicago")


def test_it_shows_the_zone_in_the_school_settings(rivera_client, rivera):
    run_by(rivera, name="Hillside", time_zone="America/Chicago")
    page = rivera_client.get("/school/").content.decode()
    assert "America/Chicago" in page
    assert re.search(r'<option value="America/Chicago"[^>]*selected', page)


def test_it_says_what_a_new_zone_does_before_saving_and_keeps_each_time_of_day(
    rivera_client, room12, zoe, rivera
):
    run_by(rivera, name="Hillside", time_zone="America/New_York")
    booked = book(zoe, room12, in_zone(NEW_YORK, 9, 40))
    held_moment = timezone.now() - timedelta(days=2)
    held = ConferenceFactory(student=zoe, classroom=room12, started_at=held_moment)
    form = {"school_name": "Hillside", "time_zone": "America/Los_Angeles", "clock": "12"}

    preview = rivera_client.post("/school/", form)
    assert preview.status_code == 200
    said = preview.content.decode()
    assert "Change the time zone from America/New_York to America/Los_Angeles?" in said
    assert "1 appointment ahead will keep its time of day" in said
    assert School.objects.get().time_zone == "America/New_York"  # nothing saved yet
    booked.refresh_from_db()
    assert booked.scheduled_for == in_zone(NEW_YORK, 9, 40)

    done = rivera_client.post("/school/", {**form, "confirm": "America/Los_Angeles"}, follow=True)
    assert shown_messages(done) == [
        "School settings saved. Times are now shown in America/Los_Angeles. "
        "The appointment ahead kept its time of day."
    ]
    assert School.objects.get().time_zone == "America/Los_Angeles"
    booked.refresh_from_db()
    local = booked.scheduled_for.astimezone(ZoneInfo("America/Los_Angeles"))
    assert (local.date(), local.time()) == (a_coming_weekday(3), time(9, 40))
    held.refresh_from_db()
    assert held.ended_at is not None and abs(held.started_at - held_moment) < timedelta(seconds=1)
    # Pages now say 9:40 AM, in the new zone.
    assert "9:40 AM" in rivera_client.get(f"/classes/{room12.pk}/").content.decode()


def test_it_moves_small_group_appointments_with_the_zone_too(rivera_client, room12, zoe, rivera):
    from conferbook.groups.models import SmallGroup

    run_by(rivera, time_zone="America/New_York")
    group = SmallGroup.objects.create(classroom=room12, name="Leads")
    at = in_zone(NEW_YORK, 10, 10)
    appointment = GroupAppointment.objects.create(group=group, scheduled_for=at)
    rivera_client.post(
        "/school/",
        {"school_name": "", "time_zone": "Europe/Paris", "clock": "12", "confirm": "Europe/Paris"},
    )
    appointment.refresh_from_db()
    local = appointment.scheduled_for.astimezone(ZoneInfo("Europe/Paris"))
    assert local.time() == time(10, 10)


def test_it_refuses_a_zone_that_does_not_exist(rivera_client, rivera):
    run_by(rivera, time_zone="UTC")
    response = rivera_client.post(
        "/school/", {"school_name": "", "time_zone": "Mars/Olympus", "clock": "12"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Choose a time zone" in (
        response.content.decode()
    )
    assert School.objects.get().time_zone == "UTC"


def test_cards_calendar_pages_reports_and_feeds_follow_the_school_zone(
    settings, rivera_client, room12, zoe
):
    settings.TIME_ZONE = "UTC"  # the machine: far from the school
    School.objects.create(time_zone="Pacific/Auckland")
    at = in_zone(AUCKLAND, 10, 15)
    book(zoe, room12, at)
    local_day = at.date()

    card = text_of_pdf(rivera_client.get(f"/students/{zoe.pk}/print/cards.pdf"))
    assert "10:15 AM" in card
    month = local_day.strftime("%Y-%m")
    calendar = text_of_pdf(
        rivera_client.get(f"/classes/{room12.pk}/print/calendar.pdf?month={month}&months=1")
    )
    assert f"10:15 AM {zoe.shown_name}" in calendar
    report = text_of_pdf(rivera_client.get(f"/students/{zoe.pk}/print/reports.pdf"))
    assert "10:15 AM" in report
    feed = rivera_client.get(f"/classes/{room12.pk}/calendar.ics").content.decode()
    assert f"DTSTART;TZID=Pacific/Auckland:{local_day:%Y%m%d}T101500" in feed


def test_it_writes_times_on_a_24_hour_clock_when_the_school_does(rivera_client, room12, zoe):
    School.objects.create(time_zone="UTC", clock="24")
    book(zoe, room12, in_zone(ZoneInfo("UTC"), 14, 5))
    page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    assert "14:05" in page and "2:05 PM" not in page
    card = text_of_pdf(rivera_client.get(f"/students/{zoe.pk}/print/cards.pdf"))
    assert "14:05" in card and "PM" not in card


def test_it_keeps_a_zone_the_list_does_not_have_chosen(rivera_client, rivera):
    run_by(rivera, time_zone="Etc/UTC")  # what some machines call UTC
    page = rivera_client.get("/school/").content.decode()
    assert re.search(r'<option value="Etc/UTC"[^>]*selected', page)


def _school_reads(client: Client, path: str, **post: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, post) if post else client.get(path)
        assert response.status_code in (200, 302)
    return sum('"accounts_school"' in q["sql"] for q in queries.captured_queries)


# Kept only outside a transaction, as a server's requests run (a test's own transaction
# would keep nothing): these tests commit.
committing = pytest.mark.django_db(transaction=True)


@committing
def test_a_process_keeps_the_school_time_between_page_views(rivera_client, room12, rivera):
    run_by(rivera, name="Hillside", time_zone="America/New_York")
    page = f"/classes/{room12.pk}/"
    assert _school_reads(rivera_client, page) == 1
    assert _school_reads(rivera_client, page) == 0


@committing
def test_a_request_that_writes_reads_the_school_afresh(rivera_client, room12, zoe, rivera):
    """A time typed into a form is read in the school's zone: never in a kept one."""
    run_by(rivera, name="Hillside", time_zone="America/New_York")
    assert _school_reads(rivera_client, f"/classes/{room12.pk}/") == 1
    start = {"student": str(zoe.pk), "classroom": str(room12.pk), "conference_id": ""}
    assert _school_reads(rivera_client, "/conferences/start/", **start) == 1


@committing
def test_an_autosave_uses_the_kept_school_time(monkeypatch, rivera_client, room12, zoe, rivera):
    """An autosave stores text and a UTC time, never a time typed in the zone: it does not
    read the school again (the commonest request of a conference)."""
    run_by(rivera, name="Hillside", time_zone="America/New_York")
    conference = ConferenceFactory(
        student=zoe,
        classroom=room12,
        teacher=rivera,
        status=Conference.Status.IN_PROGRESS,
        discussed="",
    )
    zones = []
    save = conference_services.save_conference_text

    def noting_the_zone(**kwargs):  # type: ignore[no-untyped-def]
        zones.append(timezone.get_current_timezone_name())
        return save(**kwargs)

    monkeypatch.setattr(conference_services, "save_conference_text", noting_the_zone)
    path = f"/conferences/{conference.pk}/save/"
    saved = {"field": "discussed", "value": "We looked at the lead.", "previous": ""}
    assert _school_reads(rivera_client, path, **saved) == 1  # nothing kept yet: read, kept
    assert _school_reads(rivera_client, f"/classes/{room12.pk}/") == 0
    again = {"field": "discussed", "value": "We looked at the ending.", "previous": saved["value"]}
    assert _school_reads(rivera_client, path, **again) == 0
    assert Conference.objects.get(pk=conference.pk).discussed == "We looked at the ending."
    assert zones == ["America/New_York", "America/New_York"]


@committing
def test_a_write_with_nothing_kept_reads_the_school_once(rivera_client, room12, zoe, rivera):
    from conferbook.accounts import selectors

    run_by(rivera, name="Hillside", time_zone="America/New_York")
    selectors.forget_school_time()
    start = {"student": str(zoe.pk), "classroom": str(room12.pk), "conference_id": ""}
    assert _school_reads(rivera_client, "/conferences/start/", **start) == 1


def test_only_the_autosaves_keep_the_school_time_for_a_write():
    """A view marked school_time_kept must store no time typed in the school's zone."""
    marked = {route.name for route in ROUTES if getattr(route.callback, "school_time_kept", False)}
    assert marked == {"conferences:save", "board:group_conference_save"}


@committing
def test_a_change_saved_elsewhere_shows_within_the_kept_time(
    monkeypatch, rivera_client, room12, zoe, rivera
):
    """Another process's save does not reach this one's signals: the zone it kept is read
    again once SCHOOL_TIME_KEPT_SECONDS have passed."""
    from conferbook.accounts import selectors

    run_by(rivera, name="Hillside", time_zone="America/New_York")
    book(zoe, room12, in_zone(NEW_YORK, 9, 40))
    page = f"/classes/{room12.pk}/"
    assert "9:40 AM" in rivera_client.get(page).content.decode()
    School.objects.update(time_zone="America/Los_Angeles")  # as another process would: no signal
    assert "9:40 AM" in rivera_client.get(page).content.decode()  # kept
    later = selectors._now() + selectors.SCHOOL_TIME_KEPT_SECONDS + 1
    monkeypatch.setattr(selectors, "_now", lambda: later)
    assert "6:40 AM" in rivera_client.get(page).content.decode()


@committing
def test_a_read_overtaken_by_a_save_is_not_kept(monkeypatch, rivera):
    """A request that read the school just before another thread's save committed uses
    what it read, but does not keep it for the next requests."""
    from conferbook.accounts import selectors

    school = run_by(rivera, name="Hillside", time_zone="America/New_York")
    read = selectors.current_school

    def read_then_overtaken() -> School:
        found = read()
        School.objects.filter(pk=school.pk).update(time_zone="Asia/Tokyo")
        selectors.forget_school_time()  # the other thread's save, committed
        return found

    monkeypatch.setattr(selectors, "current_school", read_then_overtaken)
    selectors.use_kept_school_time()
    assert selectors._kept is None


@committing
def test_a_save_forgets_the_kept_time_again_when_it_commits(rivera):
    """Another thread may read the old row while the save's transaction is open: what it
    kept is forgotten at the commit."""
    from django.db import transaction

    from conferbook.accounts import selectors

    school = run_by(rivera, name="Hillside", time_zone="America/New_York")
    with transaction.atomic():
        school.time_zone = "Asia/Tokyo"
        school.save()
        selectors._kept = selectors.SchoolTime("America/New_York", "12", read_at=selectors._now())
    assert selectors._kept is None


@committing
def test_nothing_is_kept_before_the_school_is_set_up(settings, rivera_client, room12):
    settings.TIME_ZONE = "America/Denver"
    page = f"/classes/{room12.pk}/"
    assert _school_reads(rivera_client, page) == 1
    assert _school_reads(rivera_client, page) == 1
