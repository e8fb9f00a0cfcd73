"""Appointment cards: where each card lands, what it says, and that nothing spills over."""

from __future__ import annotations

import pytest

from conferbook.lib.sheets import CARD_SHEETS, SHEETS, Sheet
from conferbook.printables.pdf import SMALLEST, Card, card_sheet
from tests.printables.pdfread import (
    NAMES,
    TOLERANCE,
    Run,
    assert_every_glyph_is_in_the_font,
    graphics,
    holder,
    page_size,
    pages,
    sheet_box,
    text_runs,
)


def card(n: int, **changes: str) -> Card:
    fields = {
        "name": f"Student {n:02d}",
        "when": f"Thursday {n + 1} November at 9:{n:02d}",
        "goal": f"I can add dialogue {n:02d}",
        "strategy": "Say it, then show it",
        "task": f"Reread your lead {n:02d}",
        "icon": "message-circle",
        "clue_words": "Talk bubbles",
    }
    return Card(**(fields | changes))


def own_words(n: int) -> list[str]:
    """Words printed on card `n` (made by `card(n)`) and on no other card."""
    return [f"Student {n:02d}", f"at 9:{n:02d}", f"I can add dialogue {n:02d}", f"lead {n:02d}"]


def text_by_card(sheet: Sheet, runs: list[Run]) -> dict[int, str]:
    """The text inside each card of the sheet; every run must lie wholly inside one."""
    boxes = [sheet_box(sheet, n) for n in range(sheet.per_sheet)]
    texts: dict[int, list[str]] = {}
    for run in runs:
        n = holder(boxes, run)
        assert n is not None, f"{run} is not inside any card"
        texts.setdefault(n, []).append(run.text)
    return {n: " ".join(lines) for n, lines in texts.items()}


@pytest.mark.parametrize("key", CARD_SHEETS)
def test_it_puts_each_card_inside_its_own_card(key):
    sheet = SHEETS[key]
    pdf = card_sheet(cards=[card(n) for n in range(sheet.per_sheet)], sheet=sheet)

    assert pages(pdf) == 1
    width, height = page_size(pdf)
    assert width == pytest.approx(sheet.page_width, abs=TOLERANCE)
    assert height == pytest.approx(sheet.page_height, abs=TOLERANCE)
    runs = text_runs(pdf)
    texts = text_by_card(sheet, runs)
    assert sorted(texts) == list(range(sheet.per_sheet))
    for n, text in texts.items():
        for words in own_words(n):
            assert words in text, (n, words)
    # The name sits at the same place on every card: each is placed from the geometry.
    boxes = [sheet_box(sheet, n) for n in range(sheet.per_sheet)]
    names = [r.box for r in runs if r.text.startswith("Student")]
    assert len(names) == sheet.per_sheet
    first = (names[0].left - boxes[0].left, names[0].top - boxes[0].top)
    for n, box in enumerate(names):
        offset = (box.left - boxes[n].left, box.top - boxes[n].top)
        assert offset == pytest.approx(first, abs=TOLERANCE)
        assert boxes[n].left < box.left < (boxes[n].left + boxes[n].right) / 2
        assert box.top - boxes[n].top < 12  # near the top of the card


@pytest.mark.parametrize("key", CARD_SHEETS)
def test_it_writes_the_name_day_goal_and_task_on_the_card(key):
    pdf = card_sheet(cards=[card(3)], sheet=SHEETS[key])

    text = " ".join(r.text for r in text_runs(pdf))
    for words in [
        "Student 03",
        "Next time: Thursday 4 November at 9:03",
        "I can add dialogue 03",
        "Try: Say it, then show it",
        "Before then: Reread your lead 03",
        "Talk bubbles",
    ]:
        assert words in text


def test_it_says_a_day_will_be_chosen_when_none_is_booked():
    pdf = card_sheet(cards=[card(1, when="", task="")], sheet=SHEETS["letter-cards-10"])

    text = " ".join(r.text for r in text_runs(pdf))
    assert "Next time: we will choose a day" in text
    assert "Before then: ____" in text


@pytest.mark.parametrize("key", ["letter-cards-10", "a4-cards-10"])
def test_it_starts_on_a_partly_used_sheet_and_continues_on_a_new_page(key):
    sheet = SHEETS[key]
    pdf = card_sheet(cards=[card(n) for n in range(5)], sheet=sheet, start_at=7)

    assert pages(pdf) == 2
    first, second = (text_by_card(sheet, text_runs(pdf, page)) for page in (0, 1))
    assert sorted(first) == [7, 8, 9]
    assert sorted(second) == [0, 1]
    for n, (page, label) in enumerate(
        [(first, 7), (first, 8), (first, 9), (second, 0), (second, 1)]
    ):
        assert all(words in page[label] for words in own_words(n)), (n, page[label])


def test_it_prints_one_index_card_per_page():
    sheet = SHEETS["index-card"]
    pdf = card_sheet(cards=[card(n) for n in range(3)], sheet=sheet)

    assert pages(pdf) == 3
    for page in range(3):
        assert page_size(pdf, page) == pytest.approx((127.0, 76.2), abs=TOLERANCE)
        assert text_by_card(sheet, text_runs(pdf, page))[0].startswith(
            f"Talk bubbles Student {page:02d}"
        )


def test_it_refuses_a_start_past_the_sheet():
    with pytest.raises(ValueError, match="from 1 to 10"):
        card_sheet(cards=[card(1)], sheet=SHEETS["a4-cards-10"], start_at=10)


HOSTILE = card(
    0,
    name="Maximiliana-Alexandrina Wolfeschlegelsteinhausenbergerdorff " * 3,
    when="Thursday 26 November at 9:12 " * 6,
    goal="<b>I can</b> " + "write a lead that hooks the reader " * 9,
    strategy="<b>Say it</b>, then <script>alert(1)</script> " * 4,
    task="x" * 300,
    clue_words="Supercalifragilisticexpialidocious " * 3,
)


@pytest.mark.parametrize("key", CARD_SHEETS)
def test_it_keeps_hostile_text_inside_its_own_card(key):
    sheet = SHEETS[key]
    count = min(sheet.per_sheet, 4)
    cards = [HOSTILE if n % 2 == 0 else card(n) for n in range(count)]
    pdf = card_sheet(cards=cards, sheet=sheet)

    assert pages(pdf) == 1
    runs = text_runs(pdf)
    texts = text_by_card(sheet, runs)  # every line wholly inside one card
    assert sorted(texts) == list(range(count))
    for n, text in texts.items():
        if n % 2:  # the neighbours of a hostile card print their own words, and only those
            assert all(words in text for words in own_words(n)), text
            assert not any(w in text for w in ("Maximiliana", "xxx", "Supercali", "<b>")), text
        else:
            assert "Maximiliana" in text
            assert "Before then: xxx" in text  # a 300-character word is broken, not dropped
            # all of it, or cut where the card ends with an ellipsis: never dropped silently
            assert "x" * 300 in text.replace(" ", "") or text.endswith("xxx…"), text
            assert "<b>I can</b>" in text  # markup prints as typed
    assert min(r.size for r in runs) >= SMALLEST  # shrunk, but still legible
    # and, as a last guard, each card is clipped to its own outline
    boxes = [sheet_box(sheet, n) for n in range(count)]
    clips = graphics(pdf).clips
    for box in boxes:
        assert any(clip.near(box) for clip in clips), box


def test_it_prints_names_in_any_alphabet_with_the_embedded_font():
    pdf = card_sheet(
        cards=[card(n, name=name, clue_words=name) for n, name in enumerate(NAMES)],
        sheet=SHEETS["a4-cards-10"],
    )

    runs = text_runs(pdf)
    text = " ".join(r.text for r in runs)
    for name in NAMES:
        assert name in text
    assert {r.font for r in runs} <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert_every_glyph_is_in_the_font("".join(NAMES), pdf)
