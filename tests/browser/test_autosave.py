"""A conference note is never lost: reloads, lost network, a closed tab, two tabs."""

from __future__ import annotations

import pytest

from conferbook.conferences.models import Conference
from conferbook.conferences.services import start_conference

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def conference(rivera, room12, zoe) -> Conference:
    return start_conference(teacher=rivera, student=zoe, classroom=room12)


def screen_url(live_server, conference: Conference) -> str:
    return f"{live_server.url}/conferences/{conference.pk}/"


def wait_saved(page) -> None:
    page.locator("[data-save-status][data-state=saved]").wait_for()


def stored(conference: Conference, field: str) -> str:
    return getattr(Conference.objects.get(pk=conference.pk), field)


def test_it_keeps_typing_when_the_page_reloads_before_the_save(
    signed_in, live_server, conference, shots
):
    page = signed_in
    page.goto(screen_url(live_server, conference))
    page.get_by_label("How is it going?").fill("My ending is too sudden.")
    page.reload()  # before the debounced save has had a chance to run
    assert page.get_by_label("How is it going?").input_value() == "My ending is too sudden."
    wait_saved(page)
    assert stored(conference, "research") == "My ending is too sudden."


def test_it_keeps_typing_through_lost_network_and_a_closed_tab(
    signed_in, browser, live_server, conference, shots
):
    page = signed_in
    context = page.context
    page.goto(screen_url(live_server, conference))
    context.set_offline(True)
    page.get_by_label("Task before next time").fill("Reread the draft aloud to a partner.")
    page.locator("[data-save-status][data-state=offline]").wait_for()
    shots(page, "offline")
    assert stored(conference, "task") == ""
    page.close()  # the tab is closed while offline

    context.set_offline(False)
    again = context.new_page()
    again.goto(screen_url(live_server, conference))
    assert again.get_by_label("Task before next time").input_value() == (
        "Reread the draft aloud to a partner."
    )
    wait_saved(again)
    assert stored(conference, "task") == "Reread the draft aloud to a partner."


def test_it_loses_nothing_over_repeated_offline_reload_cycles(signed_in, live_server, conference):
    page = signed_in
    context = page.context
    page.goto(screen_url(live_server, conference))
    field = page.get_by_label("What we discussed")
    text = ""
    for cycle in range(5):
        context.set_offline(True)
        text += f"Point {cycle}. "
        field.fill(text)
        context.set_offline(False)
        page.reload()
        field = page.get_by_label("What we discussed")
        assert field.input_value() == text
        wait_saved(page)
    assert stored(conference, "discussed") == text
    assert Conference.objects.count() == 1  # retried saves never duplicate


def test_it_refuses_a_stale_save_from_another_tab_and_keeps_both_texts(
    signed_in, live_server, conference, shots
):
    first = signed_in
    first.goto(screen_url(live_server, conference))
    second = first.context.new_page()
    second.goto(screen_url(live_server, conference))

    first.get_by_label("Task before next time").fill("Add two sound words.")
    wait_saved(first)
    second.get_by_label("Task before next time").fill("Write a new ending.")
    second.get_by_role("alert").filter(has_text="changed in another tab").wait_for()
    shots(second, "conflict")
    assert stored(conference, "task") == "Add two sound words."
    assert "Add two sound words." in second.locator(".conflict-box").inner_text()
    assert second.get_by_label("Task before next time").input_value() == "Write a new ending."

    second.get_by_role("button", name="Keep my text").click()
    wait_saved(second)
    assert stored(conference, "task") == "Write a new ending."


def test_it_keeps_typing_while_signed_out_and_saves_after_signing_in_again(
    signed_in, live_server, conference
):
    page = signed_in
    page.goto(screen_url(live_server, conference))
    cookies = page.context.cookies()
    page.context.clear_cookies()  # the session ended (idle timeout, signed out elsewhere)
    page.get_by_label("What we discussed").fill("Compared two endings.")
    page.locator("[data-save-status][data-state=signed-out]").wait_for()
    assert stored(conference, "discussed") == ""

    page.context.add_cookies(cookies)  # signed in again, e.g. in another tab
    page.locator("[data-save-status][data-state=saved]").wait_for(timeout=15_000)
    assert stored(conference, "discussed") == "Compared two endings."
