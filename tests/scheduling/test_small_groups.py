"""Small groups formed by hand, booked as one appointment in the block's group slots."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Student
from conferbook.scheduling.models import GroupAppointment
from conferbook.scheduling.services import book_small_group, next_group_slot
from tests.factories import StudentFactory
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_group_slot(room12):
    room12.group_slots_per_day = 1  # 10:10-10:20, right after the mini-lesson
    room12.save()
    return room12


@pytest.fixture
def four(room12):
    return [StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy", "Dee")]


def test_it_forms_a_group_of_the_classs_students(rivera_client, with_group_slot, four, marcus):
    url = f"/classes/{with_group_slot.pk}/groups/new/"
    rivera_client.post(url, {"name": "Dialogue", "members": [four[0].pk, four[1].pk]})
    group = SmallGroup.objects.get()
    assert set(group.members.all()) == {four[0], four[1]}
    too_small = rivera_client.post(url, {"name": "Solo", "members": [four[2].pk]})
    assert "at least two students" in too_small.content.decode()
    foreign = rivera_client.post(url, {"name": "Mixed", "members": [four[2].pk, marcus.pk]})
    assert "Select a valid choice" in foreign.content.decode()
    assert SmallGroup.objects.count() == 1


def test_it_books_a_group_as_one_appointment_in_the_next_free_group_slot(
    rivera_client, with_group_slot, four
):
    group = SmallGroup.objects.create(classroom=with_group_slot, name="Dialogue")
    group.members.set(four[:3])
    other = SmallGroup.objects.create(classroom=with_group_slot, name="Leads")
    other.members.set(four[2:])
    monday_8am = timezone.make_aware(datetime(2026, 11, 30, 8, 0))
    first = next_group_slot(classroom=with_group_slot, after=monday_8am)
    assert timezone.localtime(first).time() == time(10, 10)
    book_small_group(group=other, at=first)
    second = next_group_slot(classroom=with_group_slot, after=monday_8am)
    assert second == first + timedelta(days=1)  # one group slot a day: Tuesday

    response = rivera_client.post(f"/groups/{group.pk}/book/", {}, follow=True)
    assert any(m.startswith("Booked “Dialogue” for") for m in shown_messages(response))
    assert GroupAppointment.objects.filter(group=group).count() == 1  # one row for all members


def test_it_shows_group_appointments_on_today_and_the_week(rivera_client, with_group_slot, four):
    group = SmallGroup.objects.create(classroom=with_group_slot, name="Dialogue")
    group.members.set(four[:2])
    now = timezone.localtime()
    book_small_group(group=group, at=now.replace(hour=10, minute=10, second=0, microsecond=0))
    today = rivera_client.get(f"/classes/{with_group_slot.pk}/today/").content.decode()
    assert "Small groups today" in today and "Dialogue" in today and "Ana, Ben" in today
    monday = timezone.make_aware(datetime(2026, 11, 30, 10, 10))
    book_small_group(group=group, at=monday)
    week = rivera_client.get(f"/classes/{with_group_slot.pk}/week/?start=2026-11-30")
    assert '<strong>Dialogue</strong> <span class="pill">Group</span>' in week.content.decode()


def test_it_explains_when_the_block_has_no_group_slot(rivera_client, room12, four):
    group = SmallGroup.objects.create(classroom=room12, name="Dialogue")
    group.members.set(four[:2])
    response = rivera_client.post(f"/groups/{group.pk}/book/", {}, follow=True)
    assert any("no small-group slot" in m for m in shown_messages(response))
    assert not GroupAppointment.objects.exists()


def test_it_cancels_a_group_appointment_and_removes_a_group(rivera_client, with_group_slot, four):
    group = SmallGroup.objects.create(classroom=with_group_slot, name="Dialogue")
    group.members.set(four[:2])
    appointment = book_small_group(group=group, at=timezone.now() + timedelta(days=1))
    rivera_client.post(f"/group-appointments/{appointment.pk}/cancel/")
    assert not GroupAppointment.objects.exists()
    rivera_client.post(f"/groups/{group.pk}/delete/")
    assert not SmallGroup.objects.exists()
    assert Student.objects.count() == 4  # the students stay
