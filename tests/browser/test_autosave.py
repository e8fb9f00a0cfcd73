"""A conference note is never lost: reloads, lost network, a closed tab, two tabs."""

from __future__ import annotations

import json
import random
import re
import time
from urllib.parse import parse_qs, urlencode

import pytest
from playwright.sync_api import Error as BrowserError

from conferbook.conferences import services
from conferbook.conferences.models import AUTOSAVED_FIELDS, Conference
from conferbook.conferences.services import start_conference
from tests.browser.autosave_helpers import (
    WATCH_STATUS,
    Network,
    is_save,
    on_screen,
    save_state,
    saved_field,
    watch_conflict_boxes,
)
from tests.factories import ConferenceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def conference(rivera, room12, zoe) -> Conference:
    return start_conference(teacher=rivera, student=zoe, classroom=room12)


@pytest.fixture
def offline(monkeypatch) -> list[bool]:
    """While this holds True the server drops every autosave of a one-on-one conference.

    Chromium's offline emulation lets through the save a page sends as it unloads
    (keepalive); a lost network would not, so the tests switch this on with it.
    """
    cut: list[bool] = []
    save = services.save_conference_text

    def save_unless_offline(**kwargs):  # type: ignore[no-untyped-def]
        if cut:
            raise ConnectionAbortedError("this save was lost with the network")
        return save(**kwargs)

    monkeypatch.setattr(services, "save_conference_text", save_unless_offline)
    return cut


def screen_url(live_server, conference: Conference) -> str:
    return f"{live_server.url}/conferences/{conference.pk}/"


def wait_saved(page, timeout: float = 10_000) -> None:
    page.locator("[data-save-status][data-state=saved]").wait_for(timeout=timeout)


def stored(conference: Conference, field: str) -> str:
    return getattr(Conference.objects.get(pk=conference.pk), field)


def texts_of(conference: Conference) -> dict[str, str]:
    row = Conference.objects.get(pk=conference.pk)
    return {name: getattr(row, name) for name in AUTOSAVED_FIELDS}


def saves_by(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The fields of every autosave request `page` makes from now on."""
    fields: list[str] = []
    page.on("request", lambda request: is_save(request) and fields.append(saved_field(request)))
    return fields


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
    signed_in, browser, live_server, conference, offline, shots
):
    page = signed_in
    context = page.context
    page.goto(screen_url(live_server, conference))
    context.set_offline(True)
    offline.append(True)
    page.get_by_label("Task before next time").fill("Reread the draft aloud to a partner.")
    page.locator("[data-save-status][data-state=offline]").wait_for()
    shots(page, "offline")
    page.close()  # the tab is closed while offline
    time.sleep(0.5)  # what the closing tab tried to send has come and gone
    assert stored(conference, "task") == ""

    context.set_offline(False)
    offline.clear()
    again = context.new_page()
    again.goto(screen_url(live_server, conference))
    assert again.get_by_label("Task before next time").input_value() == (
        "Reread the draft aloud to a partner."
    )
    wait_saved(again)
    assert stored(conference, "task") == "Reread the draft aloud to a partner."


def test_it_loses_and_duplicates_nothing_over_50_cycles_of_typing_offline_and_reloading(
    signed_in, live_server, rivera, room12, zoe, offline
):
    """TRUST.md R5: type, go offline, reload, come back online; 50 times, every field."""
    ConferenceFactory(student=zoe, classroom=room12, teacher=rivera)  # shows the task note
    conference = start_conference(teacher=rivera, student=zoe, classroom=room12)
    page = signed_in
    boxes = watch_conflict_boxes(page.context)
    network = Network(page)
    network.set(latency=150)  # so that going offline now and then cuts a save in flight
    url = screen_url(live_server, conference)
    page.goto(url)
    rng = random.Random(5)
    typed = {name: "" for name in AUTOSAVED_FIELDS}
    for cycle in range(50):
        name = AUTOSAVED_FIELDS[cycle % len(AUTOSAVED_FIELDS)]
        box = page.locator(f'[name="{name}"]')
        box.click()
        page.keyboard.press("Control+End")
        online_part, offline_part = f"[{cycle} went", " offline]"
        page.keyboard.type(online_part, delay=rng.uniform(15, 40))
        typed[name] += online_part
        if rng.random() < 0.5:
            page.wait_for_timeout(rng.uniform(700, 1000))  # a save is on its way, or back
        network.set(latency=150, offline=True)
        offline.append(True)
        page.keyboard.type(offline_part, delay=rng.uniform(15, 40))
        typed[name] += offline_part
        with pytest.raises(BrowserError, match="ERR_INTERNET_DISCONNECTED"):
            page.reload()  # offline: the browser can only show its error page
        assert texts_of(conference)[name] != typed[name]  # the server has not got it all
        offline.clear()
        network.set(latency=0)
        page.goto(url)
        network.set(latency=150)
        assert on_screen(page) == typed, f"cycle {cycle}"
        if save_state(page) == "saved":
            assert on_screen(page) == texts_of(conference), f"cycle {cycle}"
    wait_saved(page, timeout=15_000)

    server = texts_of(conference)
    assert server == typed  # nothing lost
    for name, text in server.items():
        for cycle in re.findall(r"\[(\d+) went", typed[name]):
            assert text.count(f"[{cycle} went offline]") == 1  # nor doubled
    assert Conference.objects.count() == 2  # last week's and today's: no copy of either
    assert not boxes, boxes


def test_it_refuses_a_stale_save_from_another_tab_and_keeps_both_texts(
    signed_in, live_server, conference, shots
):
    first = signed_in
    boxes = watch_conflict_boxes(first.context)
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
    assert save_state(second) == "conflict"

    # Typing on while the box is open is kept, and sent with the choice.
    field = second.get_by_label("Task before next time")
    field.press("End")
    field.press_sequentially(" Then reread it.", delay=30)
    second.wait_for_timeout(1500)
    assert stored(conference, "task") == "Add two sound words."  # nothing sent before choosing
    assert save_state(second) == "conflict"

    second.get_by_role("button", name="Keep my text").click()
    wait_saved(second)
    assert stored(conference, "task") == "Write a new ending. Then reread it."
    field.press_sequentially(" Share it.", delay=30)
    wait_saved(second)
    assert stored(conference, "task") == "Write a new ending. Then reread it. Share it."
    assert len(boxes) == 1 and second.locator(".conflict-box").count() == 0


def test_it_uses_the_other_text_and_saves_what_is_typed_after(
    signed_in, live_server, conference, shots
):
    first = signed_in
    boxes = watch_conflict_boxes(first.context)
    first.goto(screen_url(live_server, conference))
    second = first.context.new_page()
    second.goto(screen_url(live_server, conference))

    # The second tab's research note cannot reach the server for now.
    def refuse_research(route) -> None:  # type: ignore[no-untyped-def]
        if saved_field(route.request) == "research":
            route.abort()
        else:
            route.fallback()

    second.route("**/save/", refuse_research)
    second.get_by_label("How is it going?").fill("Likes the new lead.")

    first.get_by_label("What we discussed").fill("Endings that surprise.")
    wait_saved(first)
    second.get_by_label("What we discussed").fill("Leads.")
    second.get_by_role("alert").filter(has_text="changed in another tab").wait_for()
    second.get_by_role("button", name="Use the other text").click()
    discussed = second.get_by_label("What we discussed")
    assert discussed.input_value() == "Endings that surprise."
    # The research note is still unsent: the status must not claim otherwise.
    second.wait_for_timeout(300)
    assert save_state(second) != "saved"
    assert stored(conference, "research") == ""

    discussed.press("End")
    discussed.press_sequentially(" And why they work.", delay=30)
    second.wait_for_timeout(1500)
    assert stored(conference, "discussed") == "Endings that surprise. And why they work."
    assert save_state(second) != "saved"

    second.unroute("**/save/")
    wait_saved(second, timeout=15_000)  # the retry goes within a few seconds
    assert stored(conference, "research") == "Likes the new lead."
    assert len(boxes) == 1


def test_it_takes_a_save_whose_answer_was_lost_for_its_own(signed_in, live_server, conference):
    """The network drops the answer to a save the server did store: the next save must not
    take the server's text for another tab's."""
    page = signed_in
    boxes = watch_conflict_boxes(page.context)
    page.goto(screen_url(live_server, conference))
    answered = []

    def lose_first_answer(route) -> None:  # type: ignore[no-untyped-def]
        if answered:
            route.fallback()
            return
        answered.append(route.fetch())  # the server stores the text...
        route.abort()  # ...and the page never hears back

    page.route("**/save/", lose_first_answer)
    refused = []
    page.on("response", lambda response: response.status == 409 and refused.append(response))
    field = page.get_by_label("How is it going?")
    field.press_sequentially("Stuck on the middle.", delay=30)
    page.locator("[data-save-status][data-state=error]").wait_for()
    assert stored(conference, "research") == "Stuck on the middle."
    field.press_sequentially(" Wants to cut a page.", delay=30)
    wait_saved(page, timeout=15_000)
    assert stored(conference, "research") == "Stuck on the middle. Wants to cut a page."
    assert len(refused) == 1  # the server did refuse a save over its text...
    assert not boxes, boxes  # ...and the page knew that text as its own


def test_it_sends_only_its_own_text_when_two_tabs_are_open_on_one_device(
    signed_in, live_server, conference, offline
):
    first = signed_in
    context = first.context
    boxes = watch_conflict_boxes(context)
    url = screen_url(live_server, conference)
    first.goto(url)
    second = context.new_page()
    second.goto(url)
    sent_by_second = saves_by(second)

    # The first tab types for a while; the second only sits there (its 5-second retries
    # run twice). It must send nothing: the text is the first tab's to send.
    field = first.get_by_label("What we discussed")
    field.click()
    for word in ("Talked", "about", "how", "the", "dog", "gets", "home", "at", "the", "end"):
        field.press_sequentially(word + " ", delay=150)
        first.wait_for_timeout(300)
    wait_saved(first)
    second.wait_for_timeout(5500)
    assert sent_by_second == []
    assert stored(conference, "discussed") == field.input_value()
    second.close()

    # The first tab loses its network, types on, and is closed: the next tab that opens
    # the conference takes its text over and saves it.
    Network(first).set(offline=True)
    offline.append(True)
    field.press_sequentially("Next: a title.", delay=30)
    first.locator("[data-save-status][data-state=offline]").wait_for()
    expected = field.input_value()
    first.close()
    time.sleep(0.5)  # what the closing tab tried to send has come and gone
    assert stored(conference, "discussed") != expected
    offline.clear()
    third = context.new_page()
    third.goto(url)
    assert third.get_by_label("What we discussed").input_value() == expected
    wait_saved(third)
    assert stored(conference, "discussed") == expected
    assert not boxes, boxes


def test_it_says_all_changes_saved_only_once_the_server_has_the_restored_text(
    signed_in, live_server, conference
):
    page = signed_in
    context = page.context
    url = screen_url(live_server, conference)
    page.goto(url)
    cookies = context.cookies()
    context.clear_cookies()  # signed out: the server takes none of this tab's saves
    page.get_by_label("Task before next time").fill("Try a new ending.")
    page.locator("[data-save-status][data-state=signed-out]").wait_for()
    page.close()
    assert stored(conference, "task") == ""

    context.add_cookies(cookies)
    again = context.new_page()
    again.add_init_script(WATCH_STATUS)
    Network(again).set(latency=1000)  # the restored text's save takes a while
    again.goto(url)
    assert again.get_by_label("Task before next time").input_value() == "Try a new ending."
    wait_saved(again)
    assert stored(conference, "task") == "Try a new ending."
    seen = again.evaluate("window.statusesSeen")
    assert "All changes saved" not in seen[:-1], seen  # only once it was true, at the end


def test_it_does_not_send_again_when_the_server_stores_a_normalised_text(
    signed_in, live_server, conference
):
    """A server that stores the text cleaned up (NUL characters removed) answers with what
    it stored; the page must take that as the save of what it sent, not send it again."""
    page = signed_in
    boxes = watch_conflict_boxes(page.context)
    page.goto(screen_url(live_server, conference))
    saves = saves_by(page)

    def strip_nul(route) -> None:  # type: ignore[no-untyped-def]
        form = {k: v[0] for k, v in parse_qs(route.request.post_data or "").items()}
        form = {k: v.replace("\x00", "") for k, v in form.items()}
        response = route.fetch(post_data=urlencode(form))
        answer = response.json()
        if response.ok:
            answer["value"] = form["value"]
        route.fulfill(response=response, body=json.dumps(answer))

    page.route("**/save/", strip_nul)
    page.evaluate(
        """() => {
          const field = document.querySelector('[name=compliment]');
          field.value = 'You used \\u0000dialogue.';
          field.dispatchEvent(new Event('input'));
        }"""
    )
    wait_saved(page)
    page.wait_for_timeout(6000)  # the retry timer runs in between
    assert saves == ["compliment"]
    assert stored(conference, "compliment") == "You used dialogue."
    field = page.get_by_label("What you told")
    field.press("End")
    field.press_sequentially(" Twice!", delay=30)
    wait_saved(page)
    assert stored(conference, "compliment") == "You used dialogue. Twice!"
    assert not boxes, boxes


def test_it_picks_up_notes_left_by_the_previous_version_of_the_page(
    signed_in, live_server, conference
):
    """Before an upgrade the page kept unsent text in one record per conference."""
    page = signed_in
    url = screen_url(live_server, conference)
    page.goto(url)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [
            f"conferbook:pending:{conference.pk}",
            json.dumps({"research": {"value": "Left before the upgrade.", "previous": ""}}),
        ],
    )
    page.reload()
    assert page.get_by_label("How is it going?").input_value() == "Left before the upgrade."
    wait_saved(page)
    assert stored(conference, "research") == "Left before the upgrade."


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
