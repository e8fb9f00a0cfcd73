"""Calendar export: the .ics download and the private, revocable subscription address.

Every calendar is read back with the `icalendar` package, as a calendar app would.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from conferbook.conferences.models import Conference
from conferbook.scheduling.models import CalendarFeed
from tests.factories import ConferenceFactory, StudentFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def book(classroom, student, when: datetime, **extra) -> Conference:
    return Conference.objects.create(
        classroom=classroom,
        student=student,
        status=extra.pop("status", Conference.Status.SCHEDULED),
        scheduled_for=when,
        **extra,
    )


def soon(days: int, hour: int = 10, minute: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return calendar.walk("VEVENT")


def unfolded(response) -> str:
    """The body with RFC 5545 line folding undone, so no text hides across a line break."""
    return response.content.decode().replace("\r\n ", "").replace("\r\n\t", "")


def download_url(classroom) -> str:
    return f"/classes/{classroom.pk}/calendar.ics"


def subscription_url(classroom) -> str:
    return f"/classes/{classroom.pk}/calendar/"


def feed_url(token: str) -> str:
    return f"/calendar/{token}.ics"


@pytest.fixture
def frozen_now(monkeypatch):
    """Stop the clock at a given moment, for appointments at fixed dates."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


# The download


def test_it_downloads_one_event_per_booked_conference(rivera_client, room12, zoe, marcus):
    ben = StudentFactory(first_name="Benjamin", preferred_name="Ben", last_name="Ortiz")
    room12.students.add(ben)
    booked = book(room12, zoe, soon(1))
    under_way = book(room12, ben, soon(0), status=Conference.Status.IN_PROGRESS)
    held = book(room12, zoe, soon(-3), status=Conference.Status.HELD)
    book(room12, ben, soon(-2), status=Conference.Status.MISSED)
    book(room12, zoe, soon(-40))  # too long ago
    book(room12, zoe, soon(200))  # too far ahead
    book(marcus.classrooms.get(), marcus, soon(1))  # Mr Okafor's class

    response = rivera_client.get(download_url(room12))
    calendar = parse(response)

    assert response["Content-Disposition"] == 'attachment; filename="room-12.ics"'
    assert calendar["PRODID"] == "-//Conferbook//Conferbook//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["X-WR-CALNAME"] == "Room 12"
    by_uid = {str(e["UID"]): e for e in events(calendar)}
    assert set(by_uid) == {f"{c.pk}@conferbook" for c in (booked, under_way, held)}
    event = by_uid[f"{booked.pk}@conferbook"]
    assert event["SUMMARY"] == "Conference: Zoë N."
    assert event["STATUS"] == "CONFIRMED"
    assert event.decoded("DTSTART") == booked.scheduled_for
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=5)
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert by_uid[f"{under_way.pk}@conferbook"]["SUMMARY"] == "Conference: Ben O."
    assert "Marcus" not in unfolded(response)


def test_it_gives_each_conference_the_same_uid_in_every_download(rivera_client, room12, zoe):
    for days in (1, 2, 3):
        book(room12, zoe, soon(days))
    first = parse(rivera_client.get(download_url(room12)))
    second = parse(rivera_client.get(download_url(room12)))
    uids = sorted(str(e["UID"]) for e in events(first))
    assert len(uids) == 3
    assert uids == sorted(str(e["UID"]) for e in events(second))


def test_it_lasts_as_long_as_the_class_conferences(rivera_client, room12, zoe):
    room12.conference_minutes = 4
    room12.save(update_fields=["conference_minutes"])
    book(room12, zoe, soon(1))
    (event,) = events(parse(rivera_client.get(download_url(room12))))
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=4)


def test_it_keeps_the_wall_time_across_a_daylight_saving_change(
    settings, frozen_now, rivera_client, room12, zoe
):
    """New York moves its clocks forward on Sunday 8 March 2026."""
    settings.TIME_ZONE = "America/New_York"
    frozen_now(datetime(2026, 3, 1, 17, 0, tzinfo=ZoneInfo("UTC")))
    friday = book(room12, zoe, datetime(2026, 3, 6, 10, 10, tzinfo=NEW_YORK))
    monday = book(room12, zoe, datetime(2026, 3, 9, 10, 10, tzinfo=NEW_YORK))

    response = rivera_client.get(download_url(room12))
    calendar = parse(response)

    body = unfolded(response)
    assert "DTSTART;TZID=America/New_York:20260306T101000" in body
    assert "DTSTART;TZID=America/New_York:20260309T101000" in body
    # The VTIMEZONE itself, read without the zone database, gives the right offsets.
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert vtimezone["TZID"] == "America/New_York"
    described = vtimezone.to_tz(lookup_tzid=False)
    by_uid = {str(e["UID"]): e for e in events(calendar)}
    offsets = []
    for conference in (friday, monday):
        event = by_uid[f"{conference.pk}@conferbook"]
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute) == (10, 10)
        assert start == conference.scheduled_for
        end = event.decoded("DTEND")
        assert (end.hour, end.minute) == (10, 15)
        offsets.append(start.replace(tzinfo=described).utcoffset())
    assert offsets == [timedelta(hours=-5), timedelta(hours=-4)]


def test_it_marks_reading_conferences(rivera_client, room12, zoe):
    book(room12, zoe, soon(1), kind=Conference.Kind.READING)
    (event,) = events(parse(rivera_client.get(download_url(room12))))
    assert event["SUMMARY"] == "Conference: Zoë N. (reading)"
    assert "Reading conference" in str(event["DESCRIPTION"])


def test_it_leaves_notes_and_full_names_out(rivera_client, room12, zoe):
    ConferenceFactory(
        student=zoe,
        classroom=room12,
        status=Conference.Status.HELD,
        scheduled_for=soon(-1),
        research="She says home is hard this week",
        compliment="Strong verbs in the lead",
        discussed="Talked about her grandmother",
        task="Try a dialogue lead",
        task_review_note="Did not try it",
    )
    book(room12, zoe, soon(1))
    response = rivera_client.get(download_url(room12))
    assert len(events(parse(response))) == 2
    body = unfolded(response)
    for secret in [
        "home is hard",
        "Strong verbs",
        "grandmother",
        "dialogue lead",
        "Did not try",
        "Nguyễn",
    ]:
        assert secret not in body


def test_it_escapes_punctuation_in_names(rivera_client, room12):
    student = StudentFactory(
        first_name="Jo", preferred_name='Jo; "Bo", Jr\nX', last_name="Díaz", classroom=room12
    )
    book(room12, student, soon(1))
    (event,) = events(parse(rivera_client.get(download_url(room12))))
    assert event["SUMMARY"] == 'Conference: Jo; "Bo", Jr\nX D.'


def test_it_downloads_a_valid_empty_calendar(rivera_client, room12):
    calendar = parse(rivera_client.get(download_url(room12)))
    assert events(calendar) == []
    assert calendar["X-WR-CALNAME"] == "Room 12"


def test_it_downloads_in_the_same_queries_however_many_conferences(rivera_client, room12):
    students = [StudentFactory(classroom=room12) for _ in range(6)]
    book(room12, students[0], soon(1))
    with CaptureQueriesContext(connection) as one:
        rivera_client.get(download_url(room12))
    for days, student in enumerate(students[1:], start=2):
        book(room12, student, soon(days))
    with CaptureQueriesContext(connection) as six:
        response = rivera_client.get(download_url(room12))
    assert len(events(parse(response))) == 6
    assert len(six) == len(one)


# The subscription


def test_it_makes_a_private_address_only_when_asked(rivera_client, room12):
    page = rivera_client.get(subscription_url(room12)).content.decode()
    assert "Make a private address" in page
    assert "Anyone who has this address" in page
    assert not CalendarFeed.objects.exists()

    response = rivera_client.post(subscription_url(room12), {"action": "create"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(classroom=room12)
    assert len(feed.token) >= 32
    page = rivera_client.get(subscription_url(room12)).content.decode()
    assert f"http://testserver{feed_url(feed.token)}" in page

    rivera_client.post(subscription_url(room12), {"action": "create"})
    assert CalendarFeed.objects.get(classroom=room12).token == feed.token


def test_it_serves_the_feed_without_signing_in(rivera_client, room12, zoe):
    conference = book(room12, zoe, soon(1))
    rivera_client.post(subscription_url(room12), {"action": "create"})
    token = CalendarFeed.objects.get(classroom=room12).token

    response = Client().get(feed_url(token))

    (event,) = events(parse(response))
    assert str(event["UID"]) == f"{conference.pk}@conferbook"
    assert event["SUMMARY"] == "Conference: Zoë N."
    assert "no-store" in response["Cache-Control"]
    assert Client().post(feed_url(token)).status_code == 405


def test_it_stops_the_old_address_when_revoked(rivera_client, room12):
    rivera_client.post(subscription_url(room12), {"action": "create"})
    token = CalendarFeed.objects.get(classroom=room12).token
    assert Client().get(feed_url(token)).status_code == 200

    rivera_client.post(subscription_url(room12), {"action": "revoke"})

    assert not CalendarFeed.objects.filter(classroom=room12).exists()
    assert Client().get(feed_url(token)).status_code == 404
    assert "Make a private address" in rivera_client.get(subscription_url(room12)).content.decode()


def test_it_gives_a_new_address_when_renewed(rivera_client, room12):
    rivera_client.post(subscription_url(room12), {"action": "create"})
    old = CalendarFeed.objects.get(classroom=room12).token

    rivera_client.post(subscription_url(room12), {"action": "renew"})

    new = CalendarFeed.objects.get(classroom=room12).token
    assert new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200


def test_it_answers_an_unknown_token_with_404():
    assert Client().get(feed_url("not-a-token")).status_code == 404


# Another teacher


def test_it_answers_another_teacher_404_and_changes_nothing(
    rivera_client, okafor_client, room12, zoe
):
    book(room12, zoe, soon(1))
    rivera_client.post(subscription_url(room12), {"action": "create"})
    token = CalendarFeed.objects.get(classroom=room12).token

    assert okafor_client.get(download_url(room12)).status_code == 404
    assert okafor_client.get(subscription_url(room12)).status_code == 404
    for action in ["create", "renew", "revoke"]:
        response = okafor_client.post(subscription_url(room12), {"action": action})
        assert response.status_code == 404, action

    assert CalendarFeed.objects.get(classroom=room12).token == token
    assert Client().get(feed_url(token)).status_code == 200


def test_it_does_not_make_an_address_for_another_teachers_class(okafor_client, room12):
    assert okafor_client.post(subscription_url(room12), {"action": "create"}).status_code == 404
    assert not CalendarFeed.objects.exists()
