"""A class's appointments as an RFC 5545 calendar (.ics), for a download or a subscription.

Whoever holds a subscription address sees what is written here, so an event says only
when the conference is, its kind, and the student's preferred first name and last
initial: never a note, a goal or anything said in the conference.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from conferbook.conferences.models import Conference
from conferbook.roster.models import Classroom, Student

PRODID = "-//Conferbook//Conferbook//EN"


def calendar_for(
    *,
    classroom: Classroom,
    conferences: Iterable[Conference],
    time_zone: str,
    now: datetime | None = None,
) -> bytes:
    """The calendar of `conferences` (already chosen and permission-checked) of `classroom`.

    One event per conference with a booked time, in `time_zone` (an IANA name), with the
    VTIMEZONE that RFC 5545 requires for it. An event's UID is the conference's id, so a
    calendar app updates a moved appointment instead of adding a second one.
    """
    zone = ZoneInfo(time_zone)
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    length = timedelta(minutes=classroom.conference_minutes)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", classroom.name)

    events = [
        _event(conference, classroom=classroom, zone=zone, length=length, stamp=stamp)
        for conference in conferences
        if conference.scheduled_for is not None
    ]
    # Times in UTC are written with a Z and need no VTIMEZONE; any other zone does.
    if any("TZID" in event["DTSTART"].params for event in events):
        calendar.add_component(Timezone.from_tzinfo(zone, tzid=time_zone))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _event(
    conference: Conference,
    *,
    classroom: Classroom,
    zone: ZoneInfo,
    length: timedelta,
    stamp: datetime,
) -> Event:
    assert conference.scheduled_for is not None
    # The end is computed in UTC: adding minutes to a wall time is wrong across a DST change.
    start = conference.scheduled_for.astimezone(UTC)
    reading = conference.kind == Conference.Kind.READING
    who = student_label(conference.student)
    kind = "Reading" if reading else "Writing"
    event = Event()
    event.add("uid", f"{conference.pk}@conferbook")
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", (start + length).astimezone(zone))
    event.add("summary", f"Conference: {who}" + (" (reading)" if reading else ""))
    event.add("description", f"{kind} conference with {who} in {classroom.name}.")
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def student_label(student: Student) -> str:
    """The preferred first name and the last initial ("Zoë N."): enough for the teacher
    to know who, and no more for anyone else who sees the calendar."""
    last = unicodedata.normalize("NFC", student.last_name.strip())
    return f"{student.shown_name} {last[0]}." if last else student.shown_name
