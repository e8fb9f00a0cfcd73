"""Reading conferences mixed into the same rotation as writing conferences."""

from __future__ import annotations

from datetime import time

import pytest
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.scheduling.services import schedule_class
from tests.factories import StudentFactory
from tests.helpers import a_coming_monday

pytestmark = pytest.mark.django_db

MONDAY = a_coming_monday()
BLOCK = {
    "name": "Room 12",
    "writing_days": ["0", "1", "2", "3", "4"],
    "block_start": "10:00",
    "block_end": "11:00",
    "mini_lesson_minutes": "10",
    "conference_minutes": "5",
}


@pytest.fixture
def with_reading(room12):
    room12.reading_days = "13"  # Tuesday and Thursday
    room12.reading_start = time(13, 0)
    room12.reading_end = time(13, 30)  # 10 minutes of mini-lesson, then 4 slots
    room12.save()
    return room12


def test_it_books_reading_conferences_in_the_reading_block_only(rivera, with_reading):
    for i in range(40):
        StudentFactory(first_name=f"S{i:02d}", classroom=with_reading)
    schedule_class(teacher=rivera, classroom=with_reading, start=MONDAY, school_days=5)
    booked = [
        (timezone.localtime(c.scheduled_for), c.kind)
        for c in Conference.objects.filter(classroom=with_reading)
    ]
    reading = [at for at, kind in booked if kind == Conference.Kind.READING]
    assert {at.weekday() for at in reading} == {1, 3}
    assert {at.time() for at in reading} == {time(13, 10), time(13, 15), time(13, 20), time(13, 25)}
    writing = [at for at, kind in booked if kind == Conference.Kind.WRITING]
    assert all(time(10, 10) <= at.time() < time(11, 0) for at in writing)
    assert len(booked) == 5 * 10 + 2 * 4  # every slot of the week holds a conference
    assert len({at for at, _ in booked}) == len(booked)


def test_it_saves_a_reading_block_from_the_settings(rivera_client, room12):
    rivera_client.post(
        f"/classes/{room12.pk}/settings/",
        {**BLOCK, "reading_days": ["1", "3"], "reading_start": "13:00", "reading_end": "13:30"},
    )
    room12.refresh_from_db()
    assert room12.reading_days == "13"
    assert room12.reading_slot_times()[0] == time(13, 10)


@pytest.mark.parametrize(
    ("reading", "message"),
    [
        (
            {"reading_days": ["1"], "reading_start": "13:00"},
            "choose its days and both of its times",
        ),
        (
            {"reading_days": ["1"], "reading_start": "10:30", "reading_end": "11:30"},
            "overlaps the writing block",
        ),
        (
            {"reading_days": ["1"], "reading_start": "14:00", "reading_end": "13:00"},
            "must end after it starts",
        ),
    ],
)
def test_it_refuses_an_incomplete_or_overlapping_reading_block(
    rivera_client, room12, reading, message
):
    response = rivera_client.post(f"/classes/{room12.pk}/settings/", {**BLOCK, **reading})
    assert message in response.content.decode()
    room12.refresh_from_db()
    assert room12.reading_days == ""
