"""Read this for me in Chromium on an upright tablet: open a sample, read it, save a proposed
strength in one tap and set a proposed goal; the conference screen offers the compliment's
evidence in one tap and Finish stays within two screens."""

from __future__ import annotations

from datetime import date

import pytest

import conferbook.analysis
from conferbook.conferences.models import Conference
from conferbook.goals import reading
from conferbook.goals.models import Goal, Strength, StudentGoal, WritingSample
from tests.goals.test_reading import DIALOGUE, STORY, fake_analyse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}


@pytest.fixture
def device() -> dict[str, object]:
    return TABLET


@pytest.fixture(autouse=True)
def analyser(monkeypatch):
    """The analyser's detectors are written elsewhere: a stand-in reads STORY."""
    reading.clear_cache()
    monkeypatch.setattr(conferbook.analysis, "analyse", fake_analyse)
    yield
    reading.clear_cache()


def test_it_reads_a_sample_and_acts_on_its_proposals_in_one_tap(demo_page, live_server, shots):
    page, classroom = demo_page
    student = next(
        s
        for s in classroom.students.order_by("first_name")
        if StudentGoal.objects.filter(student=s, status="active").count() < 2
    )
    sample = WritingSample.objects.create(
        student=student, title="The Storm", text=STORY, written_on=date.today()
    )
    page.goto(f"{live_server.url}/students/{student.pk}/")
    page.locator(f"#sample-{sample.pk}").get_by_role("link", name="Read this for me").click()
    page.get_by_role("heading", name="Read this for me: “The Storm”").wait_for()
    assert page.locator("mark.mark-evidence", has_text=DIALOGUE).count() == 1
    assert page.locator("mark.mark-spelling", has_text="becuase").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, f"the page is {width} px wide on a 768 px tablet"
    shots(page, "read-this-for-me")

    dialogue = Goal.objects.get(key="use-dialogue", owner=None)
    proposal = page.locator("#proposal-strength-use-dialogue")
    save = proposal.get_by_role("button", name="Save as a strength")
    box = save.bounding_box()
    assert box is not None and box["height"] >= 40, "a tablet tap target"
    save.tap()
    page.get_by_text(f"Saved a strength for {student.shown_name}: {dialogue.name}.").wait_for()
    strength = Strength.objects.get(student=student, sample=sample, goal=dialogue)
    assert strength.evidence == DIALOGUE
    assert page.locator("#proposal-strength-use-dialogue .pill", has_text="Saved").count() == 1

    # Setting a goal from the keyboard: the button takes focus and Enter submits.
    goal_button = page.locator("#proposal-next_step-capital-letters").get_by_role(
        "button", name="Set as a goal"
    )
    goal_button.focus()
    page.keyboard.press("Enter")
    page.get_by_text(f"New goal for {student.shown_name}").wait_for()
    assert StudentGoal.objects.filter(
        student=student, goal__key="capital-letters", status="active"
    ).exists()
    shots(page, "strength-saved-and-goal-set")


def test_the_conference_screen_offers_the_proposals_within_two_screens(
    demo_page, live_server, shots
):
    page, classroom = demo_page
    student = classroom.students.order_by("first_name").first()
    sample = WritingSample.objects.create(
        student=student, title="The Storm", text=STORY, written_on=date.today()
    )
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    page.get_by_role("button", name=f"Confer with {student.shown_name}").click()
    page.get_by_role("heading", name="Sticker to take away").wait_for()
    conference = Conference.objects.get(student=student, status=Conference.Status.IN_PROGRESS)
    shots(page, "conference-with-proposals")
    finish = page.evaluate(
        "() => document.querySelector('#finish button[type=submit]').getBoundingClientRect()"
        ".bottom + window.scrollY"
    )
    assert finish <= 2 * 1024, f"Finish ends {finish:.0f} px down"

    with page.expect_response(lambda r: r.url.endswith("/strength/")):
        page.locator("#propose-strength-use-dialogue").tap()
    page.locator("#compliment input[name=strength]:checked").wait_for()
    conference.refresh_from_db()
    assert conference.strength is not None
    assert conference.strength.evidence == DIALOGUE
    assert conference.strength.sample == sample
    shots(page, "compliment-in-one-tap")
