"""The class page on a phone, and today's list under a finger.

The class page of the demo class (29 students) fits a 390 px wide phone without scrolling
sideways, the page or any part of it. On today's list, "Start" and "Absent" are far apart
and tall enough to tap without hitting the other, and do not look alike.
"""

from __future__ import annotations

import pytest

from tests.helpers import book_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TOUCH_TABLET = {"viewport": {"width": 768, "height": 1024}, "is_mobile": True, "has_touch": True}
TAP_HEIGHT = 44  # CSS px: the smallest comfortable target for a finger
TAP_GAP = 24  # CSS px between two targets that do different things

# Elements that scroll sideways inside the page (a table in a scrolling box, say).
SIDEWAYS_SCROLLERS = """() => [...document.querySelectorAll("body *")]
  .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))"""


def gap(a: dict[str, float], b: dict[str, float]) -> float:
    """The shortest distance between two boxes' edges (0 when they touch or overlap)."""
    across = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]), 0)
    down = max(b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]), 0)
    return float((across**2 + down**2) ** 0.5)


@pytest.mark.parametrize("device", [PHONE], ids=["phone-390"])
def test_it_fits_the_class_page_on_a_phone(device, demo_page, live_server, shots):
    page, classroom = demo_page
    page.goto(f"{live_server.url}/classes/{classroom.pk}/")
    assert page.locator("tbody tr").count() == 29
    shots(page, "class-page-phone")

    # A phone shows a page wider than itself zoomed out, widening window.innerWidth: the
    # page must fit the phone's own width.
    width = device["viewport"]["width"]
    assert page.evaluate("window.innerWidth") == width
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert page.evaluate(SIDEWAYS_SCROLLERS) == []
    # Every student's name and Confer button are on the screen, not past its right edge.
    for locator in [page.get_by_role("button", name="Confer with Zoë"), page.locator("h1")]:
        box = locator.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("device", [PHONE, TOUCH_TABLET], ids=["phone-390", "tablet-768"])
def test_it_keeps_start_and_absent_apart_on_todays_list(
    at_midday, device, demo_page, live_server, shots
):
    page, classroom = demo_page
    book_today(classroom)
    page.goto(f"{live_server.url}/classes/{classroom.pk}/today/")
    rows = page.locator(".today-row").filter(has=page.get_by_role("button", name="Absent"))
    assert rows.count() > 1
    shots(page, f"today-{device['viewport']['width']}")

    width = device["viewport"]["width"]
    assert page.evaluate("window.innerWidth") == width
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    for row in rows.all()[:5]:
        start = row.get_by_role("button", name="Start")
        absent = row.get_by_role("button", name="Absent")
        start_box, absent_box = start.bounding_box(), absent.bounding_box()
        assert start_box is not None and absent_box is not None
        assert start_box["height"] >= TAP_HEIGHT and absent_box["height"] >= TAP_HEIGHT
        assert gap(start_box, absent_box) >= TAP_GAP, row.inner_text()
        for box in (start_box, absent_box):
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
        # Absent is not a second "Start": a different look, not only a different word.
        look = "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color]; }"
        assert start.evaluate(look) != absent.evaluate(look)
