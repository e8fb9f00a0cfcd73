"""The end of a conference, one-on-one or with a small group: it lands on today's list
saying it was saved, the card one tap away on the next unused card of the sheet, the next
student one tap away; a finished small group shows as held and is never opened again as a
second, empty conference."""

from __future__ import annotations

import io
import re
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.utils import timezone
from pypdf import PdfReader

from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.services import start_conference, start_group_conference
from conferbook.groups.models import SmallGroup
from conferbook.lib.sheets import SHEETS
from conferbook.scheduling.models import GroupAppointment
from tests.factories import ClassroomFactory, StudentFactory, StudentGoalFactory, library_goal
from tests.printables.pdfread import sheet_box, text_runs

pytestmark = pytest.mark.django_db


def every_day(classroom) -> None:  # type: ignore[no-untyped-def]
    """A class that writes every day, all day: today is a school day whenever tests run."""
    classroom.writing_days = "0123456"
    classroom.block_start, classroom.block_end = time(0, 0), time(23, 55)
    classroom.group_slots_per_day = 1
    classroom.save()


@pytest.fixture
def group(room12):
    students = [StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy")]
    for s in students:
        StudentGoalFactory(student=s, goal=library_goal(3))
    group = SmallGroup.objects.create(classroom=room12, name="Talkers", goal=library_goal(3))
    group.members.set(students)
    return group


def test_a_finished_small_group_shows_as_held_today_and_never_starts_again_empty(
    rivera_client, rivera, room12, group
):
    every_day(room12)
    GroupAppointment.objects.create(
        group=group,
        scheduled_for=timezone.make_aware(datetime.combine(timezone.localdate(), time(0, 0))),
    )
    meeting = start_group_conference(teacher=rivera, group=group)
    response = rivera_client.post(
        f"/group-conferences/{meeting.pk}/finish/",
        {"discussed": "Talk tags", "previous_discussed": "", "not_now": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/classes/{room12.pk}/today/?group_done={meeting.pk}"
    landing = unescape(rivera_client.get(response["Location"]).content.decode())
    assert "Small-group conference “Talkers” saved in each member's chart" in landing
    assert f'action="/group-conferences/{meeting.pk}/cards/"' in landing

    today = unescape(rivera_client.get(f"/classes/{room12.pk}/today/").content.decode())
    row = re.search(r'<li class="card today-row[^"]*">.*?Talkers.*?</li>', today, re.S)
    assert row and "Held" in row.group(0) and "Open the notes" in row.group(0)
    assert f"/groups/{group.pk}/confer/" not in row.group(0)

    # Starting it again (a second tap, a stale page) opens the held one, with its notes.
    again = rivera_client.post(f"/groups/{group.pk}/confer/")
    assert again["Location"] == f"/group-conferences/{meeting.pk}/"
    assert GroupConference.objects.count() == 1
    assert Conference.objects.filter(group_conference__isnull=False).count() == 3


def test_finishing_a_one_on_one_offers_the_next_student_booked_today(
    at_midday, rivera_client, rivera, room12, zoe
):
    every_day(room12)
    ben = StudentFactory(first_name="Ben", classroom=room12)
    later = timezone.localtime() + timedelta(hours=1)
    Conference.objects.create(
        classroom=room12,
        student=ben,
        status=Conference.Status.SCHEDULED,
        scheduled_for=later.replace(second=0, microsecond=0),
    )
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    response = rivera_client.post(
        f"/conferences/{conference.pk}/finish/", {"not_now": "on"}, follow=True
    )
    text = unescape(response.content.decode())
    panel = text.partition('class="card finished"')[2].partition("</section>")[0]
    assert "Conference with Zoë saved" in panel
    assert f'href="/students/{zoe.pk}/print/stickers.pdf?class={room12.pk}"' in panel
    assert "Next: Ben" in panel
    booked = Conference.objects.get(student=ben)
    assert f'name="conference_id" value="{booked.pk}"' in panel


def card_positions(pdf: bytes, sheet_key: str) -> list[int]:
    """The positions on the sheet that hold printed text."""
    sheet = SHEETS[sheet_key]
    boxes = [sheet_box(sheet, n) for n in range(sheet.per_sheet)]
    runs = text_runs(pdf)
    return sorted({n for n, box in enumerate(boxes) for r in runs if box.holds(r.box)})


def test_each_card_prints_on_the_next_unused_card_of_the_sheet(rivera_client, rivera, room12, zoe):
    printed = []
    for _ in range(3):
        conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
        Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.HELD)
        response = rivera_client.post(f"/conferences/{conference.pk}/card/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        PdfReader(io.BytesIO(response.content))
        printed.append(card_positions(response.content, "letter-cards-10"))
    assert printed == [[0], [1], [2]]
    rivera.refresh_from_db()
    assert rivera.next_card == 4
    # A new sheet in the printer: the next card is the first again.
    rivera_client.post("/print/new-card-sheet/", {"next": f"/classes/{room12.pk}/today/"})
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    response = rivera_client.post(f"/conferences/{conference.pk}/card/")
    assert card_positions(response.content, "letter-cards-10") == [0]


def test_start_conference_never_takes_a_booking_of_another_class(okafor, rivera, room12, zoe):
    # Zoë is in Ms Rivera's class and in Mr Okafor's; his booking is his.
    his_class = ClassroomFactory(name="Room 7", teachers=[okafor])
    his_class.students.add(zoe)
    his_booking = Conference.objects.create(
        classroom=his_class,
        student=zoe,
        status=Conference.Status.SCHEDULED,
        scheduled_for=timezone.now() + timedelta(days=2),
    )
    opened = start_conference(
        teacher=rivera, student=zoe, classroom=room12, conference_id=his_booking.pk
    )
    assert opened.pk != his_booking.pk and opened.classroom == room12
    his_booking.refresh_from_db()
    assert his_booking.status == Conference.Status.SCHEDULED and his_booking.teacher is None
