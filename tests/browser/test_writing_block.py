"""Class settings answer "how often can I see each student?" as the teacher types."""

from __future__ import annotations

import pytest

from tests.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_updates_the_answer_while_the_block_is_edited(signed_in, live_server, room12, shots):
    page = signed_in
    for n in range(29):
        StudentFactory(first_name=f"Student{n}", classroom=room12)
    page.goto(f"{live_server.url}/classes/{room12.pk}/settings/")
    answer = page.locator("#block-answer")
    assert "10 conferences a day" in answer.inner_text()
    assert "every 3 school days" in answer.inner_text()

    page.get_by_label("Conference length (minutes)").fill("4")
    page.locator("#block-answer", has_text="12 conferences a day").wait_for()
    page.get_by_label("Small groups a day").fill("1")
    page.locator("#block-answer", has_text="10 conferences a day").wait_for()
    shots(page, "settings-live-answer")
    assert "every 3 school days" in page.locator("#block-answer").inner_text()
