"""Small-group conferences: the conference screen for several students at once, stored once
and shown in every member's two-column chart."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conferbook.conferences.models import Conference, GroupConference
from conferbook.conferences.services import (
    GroupConferenceRefused,
    member_field,
    start_group_conference,
)
from conferbook.goals.models import MentorText, Strategy
from conferbook.groups.models import SmallGroup
from conferbook.scheduling.models import GroupAppointment
from tests.factories import ConferenceFactory, StudentFactory, StudentGoalFactory, library_goal
from tests.helpers import shown_messages

pytestmark = pytest.mark.django_db

HELD = Conference.Status.HELD


@pytest.fixture
def goal():
    return library_goal(3)


@pytest.fixture
def trio(room12, goal):
    students = [StudentFactory(first_name=n, classroom=room12) for n in ("Ana", "Ben", "Cy")]
    for s in students:
        StudentGoalFactory(student=s, goal=goal)
    return students


@pytest.fixture
def group(room12, goal, trio):
    group = SmallGroup.objects.create(
        classroom=room12,
        name="Dialogue group",
        goal=goal,
        strategy=Strategy.objects.filter(goal=goal).order_by("position").first(),
    )
    group.members.set(trio)
    return group


@pytest.fixture
def meeting(rivera, group):
    return start_group_conference(teacher=rivera, group=group)


def members_of(meeting: GroupConference) -> dict[str, Conference]:
    return {m.student.first_name: m for m in meeting.members.select_related("student")}


def finish(client, meeting, **extra):
    return client.post(
        f"/group-conferences/{meeting.pk}/finish/", {"not_now": "on", **extra}, follow=True
    )


# Starting


def test_it_starts_one_group_conference_with_a_row_for_each_member(rivera_client, group, trio):
    response = rivera_client.post(f"/groups/{group.pk}/confer/")
    meeting = GroupConference.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/group-conferences/{meeting.pk}/"
    assert meeting.name == "Dialogue group" and meeting.goal == group.goal
    assert meeting.strategy == group.strategy
    rows = list(meeting.members.all())
    assert {r.student_id for r in rows} == {s.pk for s in trio}
    assert all(r.status == Conference.Status.IN_PROGRESS for r in rows)
    # Each member's row points at their own goal, so the chart says which goal it was.
    assert all(r.student_goal is not None and r.student_goal.goal == group.goal for r in rows)
    again = rivera_client.post(f"/groups/{group.pk}/confer/")  # a double tap
    assert again["Location"] == response["Location"]
    assert GroupConference.objects.count() == 1 and Conference.objects.count() == 3


def test_it_leaves_out_members_who_left_the_class(rivera, group, trio):
    trio[2].archived_at = timezone.now()
    trio[2].save()
    meeting = start_group_conference(teacher=rivera, group=group)
    assert set(members_of(meeting)) == {"Ana", "Ben"}


def test_it_refuses_a_group_of_fewer_than_two_students(rivera_client, group, trio):
    group.members.set(trio[:1])
    response = rivera_client.post(f"/groups/{group.pk}/confer/", follow=True)
    assert any("needs at least two students" in m for m in shown_messages(response))
    assert not GroupConference.objects.exists()
    with pytest.raises(GroupConferenceRefused):
        start_group_conference(teacher=group.classroom.teachers.get(), group=group)


def test_it_records_a_group_conference_left_open_on_an_earlier_day_as_held(rivera, group):
    old = start_group_conference(teacher=rivera, group=group)
    yesterday = timezone.now() - timedelta(days=1)
    GroupConference.objects.filter(pk=old.pk).update(started_at=yesterday, updated_at=yesterday)
    old.members.update(started_at=yesterday)
    new = start_group_conference(teacher=rivera, group=group)
    old.refresh_from_db()
    assert new.pk != old.pk
    assert old.status == GroupConference.Status.HELD
    assert set(old.members.values_list("status", flat=True)) == {HELD}


def test_it_lets_a_member_be_seen_alone_while_the_group_meets(rivera, rivera_client, meeting, trio):
    """The one-on-one flow never opens a member's row of a group conference."""
    response = rivera_client.post(
        "/conferences/start/", {"student": trio[0].pk, "classroom": trio[0].classrooms.get().pk}
    )
    alone = Conference.objects.get(student=trio[0], group_conference=None)
    assert response["Location"] == f"/conferences/{alone.pk}/"
    assert alone.status == Conference.Status.IN_PROGRESS


# The screen


def test_it_shows_each_members_last_task_and_the_groups_goal_and_strategy(
    rivera_client, group, trio
):
    ConferenceFactory(student=trio[0], task="Try two new leads in the soccer story.")
    meeting = start_group_conference(teacher=group.classroom.teachers.get(), group=group)
    page = rivera_client.get(f"/group-conferences/{meeting.pk}/").content.decode()
    assert "Small group: Dialogue group" in page
    timer = re.search(r'<span class="timer"[^>]*>', page)
    assert timer
    started = re.search(r'data-started-at="([^"]+)"', timer.group(0))
    served = re.search(r'data-served-at="([^"]+)"', timer.group(0))
    assert started and served
    assert datetime.fromisoformat(started.group(1)) == meeting.started_at
    assert abs(datetime.fromisoformat(served.group(1)) - timezone.now()) < timedelta(seconds=30)
    assert "Try two new leads in the soccer story." in page
    assert "First conference with Ben." in page
    assert group.goal.student_words in page
    assert group.strategy.name in page and "The group's strategy" in page
    for member in meeting.members.all():  # every member has their own task box
        assert f'name="{member_field(member, "task")}"' in page
    # Only a member who was set a task last time has it to review.
    ana, ben = members_of(meeting)["Ana"], members_of(meeting)["Ben"]
    assert f'name="review-{ana.pk}"' in page
    assert f'name="review-{ben.pk}"' not in page


def test_it_opens_the_group_screen_from_a_members_row(rivera_client, meeting):
    member = meeting.members.first()
    response = rivera_client.get(f"/conferences/{member.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/group-conferences/{meeting.pk}/"
    # The one-on-one endpoints never write a member's row.
    saved = rivera_client.post(
        f"/conferences/{member.pk}/save/", {"field": "discussed", "value": "x", "previous": ""}
    )
    assert saved.status_code == 404


# Saving as the teacher types


def save(client, meeting, field: str, value: str, previous: str = ""):
    return client.post(
        f"/group-conferences/{meeting.pk}/save/",
        {"field": field, "value": value, "previous": previous},
    )


def test_it_autosaves_the_groups_texts_and_each_members_own(rivera_client, meeting):
    ana = members_of(meeting)["Ana"]
    assert save(rivera_client, meeting, "discussed", "Looked at talk tags.").status_code == 200
    response = save(rivera_client, meeting, member_field(ana, "task"), "Add two lines of talk.")
    assert response.status_code == 200
    assert response.json()["revision"] > 0
    meeting.refresh_from_db()
    ana.refresh_from_db()
    assert meeting.discussed == "Looked at talk tags."
    assert ana.task == "Add two lines of talk." and ana.discussed == ""  # said once, to the group


def test_it_refuses_a_stale_save_and_keeps_both_texts(rivera_client, meeting):
    save(rivera_client, meeting, "task", "Reread with a partner.")
    stale = save(rivera_client, meeting, "task", "Something else", previous="")
    assert stale.status_code == 409
    assert stale.json()["server_value"] == "Reread with a partner."
    again = save(rivera_client, meeting, "task", "Reread with a partner.", previous="")
    assert again.status_code == 200  # a retried save is a no-op


def test_it_refuses_a_field_of_another_group_conference(rivera, rivera_client, room12, meeting):
    other_students = [StudentFactory(classroom=room12) for _ in range(2)]
    other = SmallGroup.objects.create(classroom=room12, name="Leads")
    other.members.set(other_students)
    elsewhere = start_group_conference(teacher=rivera, group=other).members.first()
    for field in (member_field(elsewhere, "task"), "member:not-an-id:task", "strength", "name"):
        assert save(rivera_client, meeting, field, "x").status_code == 400, field
    elsewhere.refresh_from_db()
    assert elsewhere.task == ""


def test_it_records_each_members_review_and_the_strategy_taught(rivera, rivera_client, meeting):
    ben = members_of(meeting)["Ben"]
    url = f"/group-conferences/{meeting.pk}/choose/"
    response = rivera_client.post(
        url, {"name": "review", "member": str(ben.pk), f"review-{ben.pk}": "partly"}
    )
    assert response.status_code == 204
    ben.refresh_from_db()
    assert ben.task_review == "partly"
    other = Strategy.objects.filter(goal=meeting.goal).exclude(pk=meeting.strategy_id).first()
    mentor = MentorText.objects.create(owner=rivera, title="Owl Moon", goal=meeting.goal)
    rivera_client.post(url, {"name": "strategy", "strategy": other.pk})
    rivera_client.post(url, {"name": "mentor_text", "mentor_text": mentor.pk})
    meeting.refresh_from_db()
    assert (meeting.strategy, meeting.mentor_text) == (other, mentor)
    bad = rivera_client.post(
        url, {"name": "review", "member": str(ben.pk), f"review-{ben.pk}": "brilliant"}
    )
    assert bad.status_code == 400
    stranger = rivera_client.post(url, {"name": "review", "member": str(uuid.uuid4())})
    assert stranger.status_code == 404


# Finishing


def test_it_stores_it_once_and_shows_it_in_every_members_chart(rivera_client, meeting, trio):
    ana = members_of(meeting)["Ana"]
    response = finish(
        rivera_client,
        meeting,
        compliment="You all let your characters talk.",
        discussed="Talk tags: said, asked, whispered.",
        task="Add a line of talk to your story.",
        **{member_field(ana, "task"): "Punctuate the talk on page 2."},
    )
    landing = unescape(response.content.decode())
    assert "saved in each member's chart" in landing
    meeting.refresh_from_db()
    assert meeting.status == GroupConference.Status.HELD and meeting.ended_at is not None
    assert meeting.discussed == "Talk tags: said, asked, whispered."
    assert GroupConference.objects.count() == 1
    assert not Conference.objects.filter(group_conference=meeting).exclude(status=HELD).exists()
    # The shared part is stored on the group conference only.
    assert set(meeting.members.values_list("discussed", "compliment")) == {("", "")}
    for student in trio:
        page = rivera_client.get(f"/students/{student.pk}/").content.decode()
        chart = page[page.index('<table class="chart">') :]
        assert "Small-group conference “Dialogue group”" in chart
        assert "Talk tags: said, asked, whispered." in chart
        assert "You all let your characters talk." in chart
        others = [s.first_name for s in trio if s != student]
        assert f"with {others[0]}, {others[1]}" in chart
        own = "Punctuate the talk on page 2." if student == trio[0] else None
        task = own or "Add a line of talk to your story."
        assert task in chart


def test_it_counts_every_member_as_seen(rivera_client, room12, meeting, trio):
    finish(rivera_client, meeting)
    page = rivera_client.get(f"/classes/{room12.pk}/").content.decode()
    for student in trio:
        row = page[page.index(f'id="student-{student.pk}"') :].split("</tr>", 1)[0]
        assert "Today" in row


def test_it_shows_the_group_conference_as_last_time_in_the_next_one_on_one(
    rivera_client, room12, meeting, trio
):
    finish(rivera_client, meeting, discussed="Talk tags.", task="One line of talk.")
    rivera_client.post("/conferences/start/", {"student": trio[1].pk, "classroom": room12.pk})
    alone = Conference.objects.get(student=trio[1], group_conference=None)
    page = rivera_client.get(f"/conferences/{alone.pk}/").content.decode()
    last = page[page.index('id="last-h"') : page.index("</section>", page.index('id="last-h"'))]
    assert "small group “Dialogue group”" in last
    assert "Talk tags." in last and "One line of talk." in last


def test_it_books_the_groups_next_meeting_as_one_appointment(rivera_client, room12, meeting):
    room12.group_slots_per_day = 1
    room12.save()
    from conferbook.scheduling.services import next_group_slot

    at = next_group_slot(classroom=room12)
    assert at is not None
    response = finish(
        rivera_client,
        meeting,
        not_now="",
        next_at=timezone.localtime(at).strftime("%Y-%m-%dT%H:%M"),
    )
    assert "The group meets next" in unescape(response.content.decode())
    booked = GroupAppointment.objects.get()
    assert booked.group == meeting.group and booked.scheduled_for == at


def test_it_refuses_a_booking_outside_the_group_slots_and_keeps_the_typing(
    rivera_client, room12, meeting
):
    room12.group_slots_per_day = 1
    room12.save()
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = rivera_client.post(
        f"/group-conferences/{meeting.pk}/finish/",
        {
            "next_at": tomorrow.replace(hour=13, minute=7).strftime("%Y-%m-%dT%H:%M"),
            "discussed": "Typed, not saved yet.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed, not saved yet." in page
    assert 'role="alert"' in page
    meeting.refresh_from_db()
    assert meeting.status == GroupConference.Status.IN_PROGRESS and meeting.discussed == ""
    assert not GroupAppointment.objects.exists()


def test_it_asks_for_a_booking_or_not_now(rivera_client, meeting):
    response = rivera_client.post(f"/group-conferences/{meeting.pk}/finish/", {"task": "Kept."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Book the group&#x27;s next meeting, or choose “Not now”." in page
    assert "Kept." in page


def test_it_refuses_a_stale_finish_and_keeps_both_versions(rivera_client, meeting):
    save(rivera_client, meeting, "discussed", "From the other tab.")
    response = rivera_client.post(
        f"/group-conferences/{meeting.pk}/finish/",
        {"not_now": "on", "discussed": "From this tab.", "previous_discussed": ""},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "From this tab." in page and "From the other tab." in page
    assert "<strong>What we discussed</strong> (other version)" in page
    meeting.refresh_from_db()
    assert meeting.status == GroupConference.Status.IN_PROGRESS


def test_it_keeps_the_first_finish_time_on_a_double_tap(rivera_client, meeting):
    finish(rivera_client, meeting)
    meeting.refresh_from_db()
    first = meeting.ended_at
    finish(rivera_client, meeting)
    meeting.refresh_from_db()
    assert meeting.ended_at == first


def test_it_keeps_the_conferences_when_the_group_is_removed(rivera_client, meeting, trio):
    finish(rivera_client, meeting, discussed="Talk tags.")
    rivera_client.post(f"/groups/{meeting.group_id}/delete/")
    meeting.refresh_from_db()
    assert meeting.group is None and meeting.name == "Dialogue group"
    page = rivera_client.get(f"/students/{trio[0].pk}/").content.decode()
    assert "Small-group conference “Dialogue group”" in page


# Speed


def test_it_reads_the_screen_in_the_same_queries_for_a_small_and_a_large_group(
    rivera, rivera_client, room12, goal
):
    counts = []
    for size in (2, 8):
        students = [StudentFactory(classroom=room12) for _ in range(size)]
        for s in students:
            StudentGoalFactory(student=s, goal=goal)
            ConferenceFactory(student=s, task="A task.")
        group = SmallGroup.objects.create(classroom=room12, name=f"Size {size}", goal=goal)
        group.members.set(students)
        meeting = start_group_conference(teacher=rivera, group=group)
        url = f"/group-conferences/{meeting.pk}/"
        rivera_client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert rivera_client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_it_refuses_a_strategy_of_another_goal(rivera_client, meeting):
    elsewhere = Strategy.objects.exclude(goal=meeting.goal).filter(owner=None).first()
    response = rivera_client.post(
        f"/group-conferences/{meeting.pk}/choose/", {"name": "strategy", "strategy": elsewhere.pk}
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.strategy != elsewhere


def test_it_records_an_open_group_conference_as_held_when_its_group_is_removed(
    rivera_client, meeting, trio
):
    rivera_client.post(
        f"/group-conferences/{meeting.pk}/save/",
        {"field": "discussed", "value": "Typed before the group went.", "previous": ""},
    )
    rivera_client.post(f"/groups/{meeting.group_id}/delete/")
    meeting.refresh_from_db()
    assert meeting.status == GroupConference.Status.HELD and meeting.group is None
    assert set(meeting.members.values_list("status", flat=True)) == {HELD}
    page = rivera_client.get(f"/students/{trio[0].pk}/").content.decode()
    assert "Typed before the group went." in page


def test_it_records_group_conferences_left_open_in_the_class_on_an_earlier_day(
    rivera, room12, group, meeting
):
    yesterday = timezone.now() - timedelta(days=1)
    GroupConference.objects.filter(pk=meeting.pk).update(
        started_at=yesterday, updated_at=yesterday, group=None
    )
    others = [StudentFactory(classroom=room12) for _ in range(2)]
    other = SmallGroup.objects.create(classroom=room12, name="Leads")
    other.members.set(others)
    start_group_conference(teacher=rivera, group=other)
    meeting.refresh_from_db()
    assert meeting.status == GroupConference.Status.HELD
