"""The class goals board in Chromium: move a student to a new goal, accept the suggested
small groups, hold a small-group conference and find it in each member's chart."""

from __future__ import annotations

import pytest

from conferbook.conferences.models import GroupConference
from conferbook.goals.models import StudentGoal
from conferbook.groups.models import SmallGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_moves_a_student_groups_the_class_and_holds_a_group_conference(
    demo_page, live_server, shots
):
    page, classroom = demo_page
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.get_by_role("link", name="Goals board").click()
    page.get_by_role("heading", name="Goals board").wait_for()
    shots(page, "board")

    # Drag one student's card onto another goal's column.
    card = page.locator("[data-card]").first
    student_id = int(card.get_attribute("data-move-url").split("/students/")[1].split("/")[0])
    moving = StudentGoal.objects.get(pk=int(card.get_attribute("data-from")))
    held = set(
        StudentGoal.objects.filter(student_id=student_id, status="active").values_list(
            "goal_id", flat=True
        )
    )
    column = page.locator("[data-drop-goal]").filter(
        has_not=page.locator(f'[data-from="{moving.pk}"]')
    )
    target = next(
        column.nth(i)
        for i in range(column.count())
        if int(column.nth(i).get_attribute("data-drop-goal")) not in held
    )
    new_goal = int(target.get_attribute("data-drop-goal"))
    card.drag_to(target)
    dialog = page.locator("dialog[data-move-dialog]")
    dialog.get_by_role("button", name="Goal met: move on").wait_for()
    shots(page, "move-dialog")
    dialog.get_by_role("button", name="Goal met: move on").click()
    page.locator(".message.success", has_text="is kept in").wait_for()
    moving.refresh_from_db()
    assert moving.status == StudentGoal.Status.MET
    assert StudentGoal.objects.filter(
        student_id=student_id, goal_id=new_goal, status="active"
    ).exists()
    moved_card = page.locator(f'[data-drop-goal="{new_goal}"] [data-card]').filter(
        has=page.locator(f'a[href*="/students/{student_id}/"]')
    )
    assert moved_card.count() == 1
    shots(page, "moved")

    # Accept the suggested groups, then meet the first one.
    page.get_by_role("link", name="Small groups").first.click()
    page.get_by_role("button", name="Save all suggested groups").click()
    page.get_by_text("Saved ").first.wait_for()
    saved = SmallGroup.objects.filter(classroom=classroom, goal__isnull=False).count()
    assert saved >= 2
    shots(page, "groups-saved")
    page.get_by_role("button", name="Confer with this group").first.click()
    page.get_by_role("heading", name="The group · last time").wait_for()
    meeting = GroupConference.objects.get(status="in_progress")
    members = list(meeting.members.select_related("student").order_by("student__first_name"))
    assert len(members) >= 2
    page.fill("#f-compliment", "You each found a spot where a character could talk.")
    page.fill("#f-discussed", "Turned one telling sentence into talk, together.")
    page.fill("#f-task", "Add two lines of talk to today's entry.")
    own = members[0]
    page.fill(f"[name='member:{own.pk}:task']", "Punctuate the talk you added on Monday.")
    page.locator("[data-save-status][data-state=saved]").wait_for()
    shots(page, "group-conference")
    page.get_by_role("button", name="Finish group conference").click()
    page.get_by_text("saved in each member's chart").wait_for()

    # Every member's two-column chart shows it, marked as a small-group conference.
    for member in members:
        page.goto(f"{live_server.url}/students/{member.student_id}/?class={classroom.pk}")
        chart = page.locator("table.chart")
        row = chart.locator("tr.group-row").filter(has_text="Turned one telling sentence")
        assert row.count() == 1, member.student
        text = row.inner_text()
        assert f"Small-group conference “{meeting.name}”" in text
        expected = (
            "Punctuate the talk you added on Monday."
            if member == own
            else "Add two lines of talk to today's entry."
        )
        assert expected in text
    shots(page, "member-chart")
