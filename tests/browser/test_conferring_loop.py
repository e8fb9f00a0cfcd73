"""The whole conferring loop, as a new teacher would do it, in Chromium."""

from __future__ import annotations

import re

import pytest

from conferbook.conferences.models import Conference
from conferbook.goals.models import StudentGoal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ROSTER_CSV = (
    "\ufeffStudent ID,Last Name,First Name,Grade\n"
    "1001,Nguyễn,Thu,4\n"
    "1002,García,José,4\n"
    "1003,Okonkwo,Zoë,4\n"
).encode()


def test_it_runs_the_loop_from_first_run_to_the_chart(page, live_server, shots):
    # First visit to an empty instance asks for the first teacher account.
    page.goto(live_server.url)
    assert "/welcome/" in page.url
    shots(page, "first-run")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Rivera")
    page.get_by_label("Username").fill("ms.rivera")
    page.get_by_label("Password").fill("a long classroom passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Your classes").wait_for()
    shots(page, "no-classes")

    # Create a class.
    page.get_by_role("link", name="Create your first class").click()
    page.get_by_label("Class name").fill("Room 5 Writing")
    shots(page, "new-class")
    page.get_by_role("button", name="Create class").click()
    page.get_by_role("heading", name="Room 5 Writing").wait_for()

    # Import students from a CSV, with a preview first.
    page.get_by_role("link", name="Import from CSV").first.click()
    page.get_by_label("Class list (CSV)").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": ROSTER_CSV}]
    )
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_text("Will be added").first.wait_for()
    shots(page, "import-preview")
    page.get_by_role("button", name=re.compile(r"Add 3 students")).click()
    page.get_by_role("link", name=re.compile("Zoë")).wait_for()
    shots(page, "class-after-import")

    # Open Zoë's page: paste a writing sample, note a strength, set a goal.
    page.get_by_role("link", name=re.compile("Zoë")).click()
    page.get_by_role("link", name="Add a writing sample").click()
    page.get_by_label("Title").fill("The storm")
    page.get_by_label("The writing").fill(
        "The thunder cracked like a whip. I hid under my blanket and counted to ten."
    )
    page.get_by_role("button", name="Save sample").click()
    page.get_by_label("Goal", exact=True).select_option(label="Write a strong lead")
    page.get_by_role("button", name="Set goal").click()
    page.get_by_text("New goal for Zoë").wait_for()
    shots(page, "student-page-with-goal")

    # Hold a conference, filling every part.
    page.get_by_role("button", name="Start a conference").click()
    page.get_by_text("This is the first conference").wait_for()
    timer = page.locator("[data-timer]")
    assert re.match(r"\d+:\d\d", timer.inner_text())
    page.get_by_label("How is it going?").fill("I like my storm story but the start is boring.")
    page.get_by_text("Note a new strength").click() if not page.get_by_label(
        "Strength", exact=True
    ).is_visible() else None
    page.get_by_label("Strength", exact=True).fill("Vivid comparisons")
    sample = page.locator("[data-sample]").first
    sample.evaluate(
        """el => { const r = document.createRange(); const t = el.firstChild;
                   r.setStart(t, 4); r.setEnd(t, 32);
                   const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.get_by_role("button", name="Use selected words as evidence").first.click()
    assert page.get_by_label("Evidence from the writing").input_value() == (
        "thunder cracked like a whip."
    )
    page.get_by_role("button", name="Save strength and compliment it").click()
    page.get_by_role("radio", name="Vivid comparisons").wait_for()
    assert page.get_by_role("radio", name="Vivid comparisons").is_checked()
    page.get_by_label("What you told Zoë").fill("Your comparison made me hear the storm.")
    strategy = page.locator("input[name=strategy]").first
    strategy.check()
    page.get_by_label("What we discussed").fill("Tried three leads: sound, action, question.")
    page.get_by_label("Task before next time").fill("Write two new leads for the storm story.")
    page.locator("[data-save-status][data-state=saved]").wait_for()
    shots(page, "conference-filled")

    # A reload mid-conference keeps everything.
    page.reload()
    assert page.get_by_label("Task before next time").input_value() == (
        "Write two new leads for the storm story."
    )

    # Book the next conference (the suggestion is filled in) and finish.
    assert page.get_by_label("Next conference", exact=True).input_value()
    page.get_by_role("button", name="Finish conference").click()
    page.get_by_text("Conference with Zoë saved").wait_for()
    shots(page, "today-after-conference")
    # At once, without scrolling: saved, the card one tap away, the next student one tap.
    finished = page.locator(".finished")
    assert "Next conference:" in finished.inner_text()
    for button in (
        page.get_by_role("button", name="Print Zoë's card"),
        page.get_by_role("button", name=re.compile(r"^Next: ")),
    ):
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]
    page.get_by_role("link", name=re.compile("← ")).click()
    zoe_row = page.locator("tr", has=page.get_by_role("link", name=re.compile("Zoë")))
    assert "None booked" not in zoe_row.inner_text()

    # The chart on Zoë's page has the row.
    page.get_by_role("link", name=re.compile("Zoë")).click()
    chart = page.locator("table.chart")
    assert "Tried three leads" in chart.inner_text()
    assert "Write two new leads" in chart.inner_text()
    assert "Vivid comparisons" in chart.inner_text()
    shots(page, "student-page-with-chart")

    held = Conference.objects.get(status=Conference.Status.HELD)
    assert held.duration_seconds is not None
    assert held.strategy is not None and held.strength is not None
    assert held.student_goal == StudentGoal.objects.get(student=held.student)
    assert Conference.objects.filter(status=Conference.Status.SCHEDULED).count() == 1
