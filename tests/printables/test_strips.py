"""Desk strips: four to a page between printed cut lines, each with its student's goals."""

from __future__ import annotations

import pytest

from conferbook.lib.sheets import SHEETS
from conferbook.printables.pdf import SMALLEST, DeskStrip, StripGoal, strip_sheet
from tests.printables.pdfread import (
    NAMES,
    TOLERANCE,
    Box,
    assert_every_glyph_is_in_the_font,
    graphics,
    holder,
    page_size,
    pages,
    sheet_box,
    text_runs,
)

STRIP_SHEETS = ["letter-strips-4", "a4-strips-4"]


def strip(n: int) -> DeskStrip:
    return DeskStrip(
        f"Student {n:02d}",
        [
            StripGoal(f"I can add dialogue {n:02d}", "message-circle", f"Talk bubbles {n:02d}"),
            StripGoal(f"I can write an ending {n:02d}", "flag", f"Tie it up {n:02d}"),
        ],
    )


def text_by_strip(key: str, pdf: bytes, page: int = 0) -> dict[int, str]:
    """The text inside each strip of the page; every line must lie wholly inside one."""
    sheet = SHEETS[key]
    boxes = [sheet_box(sheet, n) for n in range(sheet.per_sheet)]
    texts: dict[int, list[str]] = {}
    for run in text_runs(pdf, page):
        n = holder(boxes, run)
        assert n is not None, f"{run} is not inside any strip"
        texts.setdefault(n, []).append(run.text)
    return {n: " ".join(lines) for n, lines in texts.items()}


@pytest.mark.parametrize("key", STRIP_SHEETS)
def test_it_puts_each_strip_between_its_cut_lines(key):
    sheet = SHEETS[key]
    pdf = strip_sheet(strips=[strip(n) for n in range(4)], sheet=sheet)

    assert pages(pdf) == 1
    assert page_size(pdf) == pytest.approx((sheet.page_width, sheet.page_height), abs=TOLERANCE)
    texts = text_by_strip(key, pdf)
    assert sorted(texts) == [0, 1, 2, 3]
    for n, text in texts.items():
        assert text.startswith(f"Student {n:02d}")  # the name first, at the top
        for words in [
            f"I can add dialogue {n:02d}",
            f"Talk bubbles {n:02d}",
            f"I can write an ending {n:02d}",
            f"Tie it up {n:02d}",
        ]:
            assert words in text
    cut_lines = graphics(pdf).strokes
    for n in range(4):
        assert any(line.near(sheet_box(sheet, n)) for line in cut_lines), n


def test_it_sets_the_goals_side_by_side_under_the_name():
    sheet = SHEETS["letter-strips-4"]
    pdf = strip_sheet(strips=[strip(0)], sheet=sheet)

    runs = text_runs(pdf)

    def line(start: str) -> Box:
        return next(r.box for r in runs if r.text.startswith(start))

    name, first, second = line("Student 00"), line("I can add"), line("I can write")
    assert name.bottom < first.top
    assert first.top == pytest.approx(second.top, abs=TOLERANCE)
    assert first.right < second.left
    # each goal keeps to its half of the strip
    middle = (sheet.left + sheet.left + sheet.label_width) / 2
    assert first.right < middle < second.left
    assert line("Talk bubbles").right < middle < line("Tie it up").left


def test_it_leaves_a_line_to_write_a_goal_when_there_is_none():
    pdf = strip_sheet(strips=[DeskStrip("Student 00")], sheet=SHEETS["a4-strips-4"])

    assert text_by_strip("a4-strips-4", pdf) == {
        0: "Student 00 My goal: ______________________________"
    }


def test_it_starts_on_a_partly_used_sheet_and_continues_on_a_new_page():
    key = "letter-strips-4"
    pdf = strip_sheet(strips=[strip(n) for n in range(4)], sheet=SHEETS[key], start_at=2)

    assert pages(pdf) == 2
    first, second = text_by_strip(key, pdf, 0), text_by_strip(key, pdf, 1)
    assert {n: text.split(" I can")[0] for n, text in first.items()} == {
        2: "Student 00",
        3: "Student 01",
    }
    assert {n: text.split(" I can")[0] for n, text in second.items()} == {
        0: "Student 02",
        1: "Student 03",
    }


@pytest.mark.parametrize("key", STRIP_SHEETS)
def test_it_keeps_hostile_text_inside_its_own_strip(key):
    sheet = SHEETS[key]
    hostile = DeskStrip(
        "Maximiliana-Alexandrina Wolfeschlegelsteinhausenbergerdorff " * 4,
        [
            StripGoal("I can " + "x" * 300, "anchor", "<b>Tie</b> it up " * 30),
            StripGoal("<script>alert(1)</script> " * 20, "", "y" * 300),
            StripGoal("I can " + "write a lead that hooks the reader " * 10, "flag"),
        ],
    )
    pdf = strip_sheet(strips=[hostile, strip(1), hostile, strip(3)], sheet=sheet)

    assert pages(pdf) == 1
    runs = text_runs(pdf)
    assert min(r.size for r in runs) >= SMALLEST
    texts = text_by_strip(key, pdf)
    assert sorted(texts) == [0, 1, 2, 3]
    for n in (1, 3):
        assert texts[n] == (
            f"Student {n:02d} I can add dialogue {n:02d} Talk bubbles {n:02d} "
            f"I can write an ending {n:02d} Tie it up {n:02d}"
        )
    for n in (0, 2):
        assert texts[n].startswith("Maximiliana-Alexandrina")
        assert "I can xxx" in texts[n]
        assert "<b>Tie</b> it up" in texts[n]  # markup prints as typed
        assert "<script>alert(1)</script>" in texts[n]
    # The three goals keep to their own columns, and each strip is clipped to itself.
    for n in (0, 2):
        x, y, w, h = sheet.position(n)
        columns = [Box(x + w * c / 3 - 1, y, x + w * (c + 1) / 3 + 1, y + h) for c in range(3)]
        for run in runs:
            if sheet_box(sheet, n).holds(run.box) and not run.text.startswith(
                ("Maximiliana", "Wolfeschlegel")
            ):
                assert holder(columns, run) is not None, run
    clips = graphics(pdf).clips
    for n in range(4):
        assert any(clip.near(sheet_box(sheet, n)) for clip in clips), n


def test_it_prints_names_in_any_alphabet():
    pdf = strip_sheet(
        strips=[DeskStrip(name, [StripGoal("I can add dialogue", "", name)]) for name in NAMES],
        sheet=SHEETS["a4-strips-4"],
    )

    assert pages(pdf) == 2
    text = " ".join(r.text for page in (0, 1) for r in text_runs(pdf, page))
    for name in NAMES:
        assert name in text
    assert_every_glyph_is_in_the_font("".join(NAMES), pdf)
