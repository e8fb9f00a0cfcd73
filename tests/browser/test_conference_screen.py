"""The conference screen on a tablet: last time on top, a timer that warns past the target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from conferbook.conferences.models import Conference
from conferbook.conferences.services import start_conference
from tests.browser.autosave_helpers import slow_network
from tests.factories import ConferenceFactory, StudentGoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_last_time_and_the_review_without_scrolling_on_a_tablet(
    signed_in, live_server, rivera, room12, zoe, shots
):
    page = signed_in
    page.set_viewport_size({"width": 768, "height": 1024})
    goal = StudentGoalFactory(student=zoe)
    ConferenceFactory(
        student=zoe,
        student_goal=goal,
        discussed="Tried a lead that starts with a sound.",
        task="Write two sound leads.",
    )
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    shots(page, "tablet-top")
    for visible in [
        page.get_by_text("Tried a lead that starts with a sound."),
        page.get_by_text("Write two sound leads."),
        page.get_by_role("radio", name="Partly"),
        page.locator("[data-timer]"),
    ]:
        box = visible.bounding_box() or {"y": 10_000, "height": 0}
        assert box["y"] + box["height"] <= 1024, "must be visible without scrolling"

    with page.expect_response(lambda r: r.url.endswith("/choose/")) as answer:
        page.get_by_text("Partly").click()  # one tap
    assert answer.value.status == 204
    assert Conference.objects.get(pk=conference.pk).task_review == "partly"


@pytest.mark.parametrize("tablet_off_by", [timedelta(minutes=95), -timedelta(minutes=95)])
def test_the_timer_counts_on_the_servers_clock_when_the_tablets_clock_is_off(
    signed_in, live_server, rivera, room12, zoe, tablet_off_by
):
    """A tablet whose own clock is off (by an hour and a half, ahead or behind) still shows
    the minutes since the conference began, and warns at the right time."""
    page = signed_in
    room12.conference_minutes = 4
    room12.save()
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    Conference.objects.filter(pk=conference.pk).update(
        started_at=timezone.now() - timedelta(minutes=3, seconds=30)
    )
    page.clock.install(time=datetime.now(UTC) + tablet_off_by)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    timer = page.locator("[data-timer]")
    assert timer.inner_text().startswith("3:")
    classes = timer.get_attribute("class") or ""
    assert "near" in classes and "over" not in classes


def test_the_timer_is_not_held_back_by_a_slow_network(signed_in, live_server, rivera, room12, zoe):
    """On a network that takes 4 s for each request, the timer is counted from when the
    page began to arrive, not from when its script finally ran (4 s later again)."""
    page = signed_in
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    Conference.objects.filter(pk=conference.pk).update(
        started_at=timezone.now() - timedelta(minutes=3)
    )
    slow_network(page, 4000)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    elapsed = timezone.now() - Conference.objects.get(pk=conference.pk).started_at
    minutes, seconds = page.locator("[data-timer]").inner_text().split(":")
    shown = timedelta(minutes=int(minutes), seconds=int(seconds))
    # Behind by the page's one trip at most (about 4 s), never by the two trips (8 s).
    assert elapsed - shown < timedelta(seconds=6.5), (elapsed, shown)


def test_it_changes_the_timers_colour_past_the_target(signed_in, live_server, rivera, room12, zoe):
    page = signed_in
    room12.conference_minutes = 4
    room12.save()
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    page.goto(f"{live_server.url}/conferences/{conference.pk}/")
    timer = page.locator("[data-timer]")
    assert "over" not in (timer.get_attribute("class") or "")

    Conference.objects.filter(pk=conference.pk).update(
        started_at=timezone.now() - timedelta(minutes=3, seconds=30)
    )
    page.reload()
    assert "near" in (timer.get_attribute("class") or "")

    Conference.objects.filter(pk=conference.pk).update(
        started_at=timezone.now() - timedelta(minutes=4, seconds=5)
    )
    page.reload()
    assert "over" in (timer.get_attribute("class") or "")
    minutes, _seconds = timer.inner_text().split(":")
    assert int(minutes) == 4
