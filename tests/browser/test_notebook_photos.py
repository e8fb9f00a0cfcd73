"""Photos of notebook pages in Chromium, as a teacher holding a tablet over a notebook uses
them: photograph two pages into a new sample over a slow network, open a page, draw with a
finger around the lines that show a strength and save it, mark a place to lift the level
with the keyboard, and find both cut-outs on the student's page; on a phone the page fits."""

from __future__ import annotations

from datetime import date

import pytest

from conferbook.goals.models import PageSpot, SamplePhoto, Strength, WritingSample
from conferbook.goals.services import add_writing_sample
from conferbook.lib.photos import keep_photo
from tests.factories import page_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def device() -> dict[str, object]:
    return TABLET


def slow_network(page) -> None:  # type: ignore[no-untyped-def]
    """A school's busy wireless network: 300 ms each way and 150 KB/s up, so two photos take
    a few seconds to send."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 300,
            "uploadThroughput": 150_000,
            "downloadThroughput": 2_000_000,
        },
    )


def finger_drag(page, start: tuple[float, float], end: tuple[float, float]) -> None:  # type: ignore[no-untyped-def]
    """A finger pressed on the screen, moved in small steps at a hand's pace, lifted."""
    cdp = page.context.new_cdp_session(page)
    x0, y0 = start
    x1, y1 = end

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", x0, y0)
    steps = 12
    for n in range(1, steps + 1):
        page.wait_for_timeout(25)
        touch("touchMove", x0 + (x1 - x0) * n / steps, y0 + (y1 - y0) * n / steps)
    touch("touchEnd", x1, y1)
    cdp.detach()


def loaded_width(image) -> int:  # type: ignore[no-untyped-def]
    """The natural width of an image once it has loaded (a lazy one is scrolled to)."""
    image.scroll_into_view_if_needed()
    image.evaluate(
        "i => new Promise(done => i.complete ? done() : i.addEventListener('load', done))"
    )
    return int(image.evaluate("i => i.naturalWidth"))


def test_a_teacher_photographs_pages_and_marks_them_with_a_finger(
    demo_page, live_server, shots, tmp_path
):
    page, classroom = demo_page
    student = classroom.students.order_by("first_name").first()
    first, second = tmp_path / "IMG_2041.jpg", tmp_path / "IMG_2042.jpg"
    first.write_bytes(page_upload(1200, 1600))
    second.write_bytes(page_upload(1200, 1600))
    slow_network(page)

    page.goto(f"{live_server.url}/students/{student.pk}/")
    page.get_by_role("link", name="Add a writing sample").click()
    page.get_by_label("Title").fill("Snow day")
    page.get_by_label("Photos of the pages").set_input_files([str(first), str(second)])
    shots(page, "sample-form-with-photos")
    # What the teacher sees while the photos are on their way, noted as the form goes.
    page.evaluate(
        """() => document.querySelector("form[data-submit-once]").addEventListener(
            "submit", () => setTimeout(() => sessionStorage.setItem("sending",
                !document.querySelector("form [data-sending]").hidden), 0))"""
    )
    page.get_by_role("button", name="Save sample").click()
    page.get_by_text("Saved “Snow day” with 2 photos.").wait_for(timeout=15_000)
    assert page.evaluate("sessionStorage.getItem('sending')") == "true"
    sample = WritingSample.objects.get(student=student, title="Snow day")
    photos = list(sample.photos.all())
    assert len(photos) == 2 and (photos[0].width, photos[0].height) == (1200, 1600)
    thumbs = page.locator(f"#sample-{sample.pk} .page-thumbs img")
    assert thumbs.count() == 2
    for n in range(2):
        assert loaded_width(thumbs.nth(n)) == 360  # 480 px high: the thumbnail
    shots(page, "student-page-with-pages")

    thumbs.first.tap()
    page.get_by_role("heading", name="Snow day · page 1 of 2").wait_for()
    picture = page.locator("svg[data-spot-picker]")
    picture.scroll_into_view_if_needed()
    box = picture.locator("image").bounding_box()
    assert box is not None
    assert box["width"] / box["height"] == pytest.approx(1200 / 1600, rel=0.01)
    # Around the block of "writing" at the top left of the page (60..600 x 70..266 px).
    scale = box["width"] / 1200
    start = (box["x"] + 50 * scale, box["y"] + 60 * scale)
    end = (box["x"] + 610 * scale, box["y"] + 280 * scale)
    finger_drag(page, start, end)
    page.get_by_text("Rectangle drawn:").wait_for()
    page.get_by_label("Strength", exact=True).fill("Tells what the snow sounded like")
    shots(page, "rectangle-drawn")
    # A finger taps once the page has stopped scrolling (a tap during a scroll is no click).
    save = page.get_by_role("button", name="Save this part")
    save.scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    save.tap()
    page.get_by_text("Saved a strength for").wait_for(timeout=15_000)

    mine = PageSpot.objects.filter(photo__sample=sample)  # the demo has marked pages too
    spot = mine.get(kind="strength")
    assert Strength.objects.get(pk=spot.strength_id).description == (
        "Tells what the snow sounded like"
    )
    # The rectangle saved is the one the finger drew, in the photo's own pixels.
    assert spot.left == pytest.approx(50, abs=6) and spot.top == pytest.approx(60, abs=6)
    assert spot.left + spot.width == pytest.approx(610, abs=6)
    assert spot.top + spot.height == pytest.approx(280, abs=6)
    assert page.locator("rect.spot-strength").count() == 1
    shots(page, "strength-saved")

    # With the keyboard: focus the photo, an arrow key puts a rectangle down, arrows move it.
    picture.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+ArrowRight")
    page.get_by_text("Rectangle drawn:").wait_for()
    page.locator("label", has_text="A place to lift the level").click()
    assert not page.get_by_label("Strength", exact=True).is_visible()
    page.get_by_label("Words on the page, or a note").fill("Add what Mom said at the door")
    page.get_by_role("button", name="Save this part").tap()
    page.get_by_text("Saved a place to lift the level").wait_for(timeout=15_000)
    lift = mine.get(kind="lift")
    assert lift.note == "Add what Mom said at the door" and lift.width > 8

    page.get_by_role("link", name=student.shown_name).first.click()
    strengths = page.locator("section[aria-labelledby=strengths-h]")
    cut = strengths.locator(f'img[src="/spots/{spot.pk}/image/"]')
    assert loaded_width(cut) == spot.width
    places = page.locator("section[aria-labelledby=lift-h]")
    assert places.get_by_text("Add what Mom said at the door").is_visible()
    # A lazy image: waited for until it has loaded, as the cut-out above.
    assert loaded_width(places.locator(f'img[src="/spots/{lift.pk}/image/"]')) == lift.width
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, f"the page is {width} px wide on a 768 px tablet"
    shots(page, "student-page-with-cut-outs")


@pytest.mark.parametrize("device", [PHONE])
def test_a_page_photo_fits_a_phone(demo_page, live_server, shots, device):
    page, classroom = demo_page
    student = classroom.students.order_by("first_name").first()
    sample = add_writing_sample(
        teacher=classroom.teachers.first(),
        student=student,
        title="Snow day",
        kind="notebook",
        written_on=date.today(),
        text="",
        photos=[keep_photo(page_upload(1200, 1600), name="p.jpg")],
    )
    photo = SamplePhoto.objects.get(sample=sample)
    page.goto(f"{live_server.url}/photos/{photo.pk}/")
    page.get_by_role("button", name="Save this part").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    picture = page.locator("svg[data-spot-picker]").bounding_box()
    assert picture is not None and picture["width"] <= 390
    shots(page, "photo-page-on-a-phone")
