"""The class settings page answers "how often can I see each student?" while it is edited."""

from __future__ import annotations

import pytest

from tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

BLOCK = {
    "name": "Room 12",
    "writing_days": ["0", "1", "2", "3", "4"],
    "block_start": "10:00",
    "block_end": "11:00",
    "mini_lesson_minutes": "10",
    "conference_minutes": "5",
}


def test_it_answers_for_the_students_in_the_class(rivera_client, room12):
    for n in range(29):
        StudentFactory(first_name=f"S{n}", classroom=room12)
    response = rivera_client.post(
        "/classes/block-answer/", {**BLOCK, "classroom": room12.pk}, headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>10</strong> conferences a day" in text
    assert "With 29 students, you see everyone every <strong>3</strong> school days" in text
    assert "With 4-minute conferences: 12 a day" in text
    assert "With one small group a day: 8 a day" in text


def test_it_changes_the_answer_as_the_conference_length_changes(rivera_client, room12):
    longer = rivera_client.post(
        "/classes/block-answer/",
        {**BLOCK, "conference_minutes": "10", "expected_students": "20"},
    ).content.decode()
    assert "<strong>5</strong> conferences a day" in longer
    assert "every <strong>4</strong> school days" in longer


def test_it_asks_for_the_times_before_answering(rivera_client):
    text = rivera_client.post("/classes/block-answer/", {**BLOCK, "block_end": ""}).content.decode()
    assert "Fill in the writing days and times" in text


def test_it_answers_on_the_settings_page_before_any_edit(rivera_client, room12):
    StudentFactory(classroom=room12)
    page = rivera_client.get(f"/classes/{room12.pk}/settings/").content.decode()
    assert "you see everyone every <strong>1</strong> school day" in page


def test_it_does_not_answer_for_another_teachers_class(okafor_client, room12):
    response = okafor_client.post("/classes/block-answer/", {**BLOCK, "classroom": room12.pk})
    assert response.status_code == 404


def test_it_saves_changeover_and_small_groups(rivera_client, room12):
    rivera_client.post(
        f"/classes/{room12.pk}/settings/",
        {**BLOCK, "changeover_minutes": "1", "group_slots_per_day": "1", "group_minutes": "10"},
    )
    room12.refresh_from_db()
    assert (room12.changeover_minutes, room12.group_slots_per_day) == (1, 1)
    # 60 - 10 (mini-lesson) - 11 (group and changeover) = 39 minutes: 6 conferences of 5 + 1.
    assert room12.conference_slots_per_day() == 6


def test_it_adds_the_reading_blocks_slots_to_the_answer(rivera_client, room12):
    text = rivera_client.post(
        "/classes/block-answer/",
        {**BLOCK, "reading_days": ["1", "3"], "reading_start": "13:00", "reading_end": "13:30"},
    ).content.decode()
    assert "Plus <strong>4</strong> reading-conference slots on each reading day" in text
