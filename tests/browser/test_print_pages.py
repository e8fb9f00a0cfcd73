"""Printing from the class page as a teacher would: choose, get told, get the PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories import StudentFactory, StudentGoalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_prints_stickers_from_the_class_page(signed_in, live_server, room12, zoe, shots):
    page = signed_in
    StudentGoalFactory(student=zoe)
    thu = StudentFactory(first_name="Thu", last_name="Nguyễn", classroom=room12)
    StudentGoalFactory(student=thu)
    page.goto(f"{live_server.url}/classes/{room12.pk}/")
    page.get_by_role("link", name="Print").first.click()
    page.get_by_role("heading", name=f"Print for {room12.name}").wait_for()
    shots(page, "class-print-page")

    stickers = page.locator("#stickers")
    stickers.get_by_label("Start at label").fill("40")
    stickers.get_by_role("button", name="Open the PDF").click()
    page.get_by_text("This stock has 30 labels").wait_for()
    assert page.locator("#stickers").get_by_label("Start at label").input_value() == "40"
    shots(page, "a-start-past-the-sheet")

    stickers = page.locator("#stickers")
    stickers.get_by_label("Start at label").fill("7")
    with page.expect_response(lambda r: "/print/stickers.pdf" in r.url) as answer:
        stickers.get_by_role("button", name="Open the PDF").click()
    assert answer.value.status == 200
    assert answer.value.header_value("content-type") == "application/pdf"
    assert "start=7" in answer.value.url
    # The browser's PDF viewer keeps the bytes to itself: fetch the same address again.
    again = page.context.request.get(answer.value.url)
    reader = PdfReader(io.BytesIO(again.body()))
    text = reader.pages[0].extract_text()
    assert "Thu" in text and zoe.shown_name in text
