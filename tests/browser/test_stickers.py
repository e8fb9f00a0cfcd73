"""Stickers in Chromium: given in one tap during a conference, seen in the collections."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from conferbook.conferences.models import Conference, EarnedSticker
from conferbook.goals.models import StudentGoal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def icons_loaded(locator) -> bool:
    """Every <img> under the locator was fetched and drawn (no broken icon)."""
    locator.page.wait_for_load_state("load")
    return locator.evaluate(
        "el => [...el.querySelectorAll('img')].every(i => i.complete && i.naturalWidth > 0)"
    )


def test_it_gives_a_sticker_in_a_conference_and_shows_it_in_the_collections(
    demo_page, live_server, shots
):
    page, classroom = demo_page
    zoe = classroom.students.get(first_name="Zoë")
    goal = StudentGoal.objects.filter(student=zoe, status="active").order_by("-set_on", "-id")[0]
    before = EarnedSticker.objects.filter(student=zoe, goal=goal.goal).count()

    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.get_by_role("button", name="Confer with Zoë").click()
    page.get_by_role("heading", name="Sticker to take away").wait_for()
    conference = Conference.objects.get(student=zoe, status=Conference.Status.IN_PROGRESS)

    sticker = page.locator(f"#sticker-{goal.goal_id}")
    sticker.scroll_into_view_if_needed()
    assert "Give sticker" in sticker.inner_text()
    assert goal.goal.clue_words in sticker.inner_text()
    box = sticker.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44, "a tablet tap target"
    assert icons_loaded(page.locator("#stickers"))

    # From the keyboard: Enter gives the sticker, and focus stays on the button.
    sticker.focus()
    with page.expect_response(lambda r: r.url.endswith("/sticker/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    # Only the sticker's two fields are sent, not the conference's notes around the button.
    sent = parse_qs(answer.value.request.post_data or "")
    assert sent == {"sticker_goal": [str(goal.goal_id)], "sticker_action": ["give"]}
    page.locator(f"#sticker-{goal.goal_id}.given").wait_for()
    assert page.evaluate("document.activeElement.id") == f"sticker-{goal.goal_id}"
    assert EarnedSticker.objects.filter(conference=conference, goal=goal.goal).count() == 1
    shots(page, "sticker-given")

    # A mis-tap is undone by tapping again.
    with page.expect_response(lambda r: r.url.endswith("/sticker/")):
        sticker.click()
    page.locator(f"#sticker-{goal.goal_id}:not(.given)").wait_for()
    assert not EarnedSticker.objects.filter(conference=conference).exists()
    with page.expect_response(lambda r: r.url.endswith("/sticker/")):
        sticker.click()
    page.locator(f"#sticker-{goal.goal_id}.given").wait_for()

    # Finish with the suggested next conference; the sticker stays.
    assert page.get_by_label("Next conference", exact=True).input_value()
    page.get_by_role("button", name="Finish conference").click()
    page.get_by_text("Conference with Zoë saved").wait_for()
    earned = EarnedSticker.objects.get(conference=conference)
    assert earned.goal == goal.goal
    times = before + 1

    # Her page shows the sticker in her collection.
    page.goto(f"{live_server.url}/students/{zoe.pk}/?class={classroom.pk}")
    collection = page.locator("#stickers")
    collection.scroll_into_view_if_needed()
    earned_list = page.get_by_role("list", name="Stickers earned")
    assert goal.goal.clue_words in earned_list.inner_text()
    assert f"\N{MULTIPLICATION SIGN}{times}" in earned_list.inner_text()
    assert icons_loaded(collection)
    shots(page, "student-collection")

    # The class's collections: one row per student, Zoë's with the sticker.
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.get_by_role("link", name="Sticker collections").click()
    page.get_by_role("heading", name="Sticker collections").wait_for()
    assert page.locator("tbody tr").count() == classroom.students.count()
    row = page.locator(f"#student-{zoe.pk}")
    assert goal.goal.clue_words in row.inner_text()
    assert f"\N{MULTIPLICATION SIGN}{times}" in row.inner_text()
    assert icons_loaded(page.locator("table"))
    shots(page, "class-collections")
    page.get_by_role("link", name="Most stickers").click()
    page.get_by_text("Most stickers", exact=True).wait_for()
    shots(page, "class-collections-by-count")
