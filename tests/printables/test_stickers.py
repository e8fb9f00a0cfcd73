"""Sticker sheets: where each sticker lands, what it says, and that nothing spills over."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conferbook.lib.sheets import SHEETS
from conferbook.printables.pdf import Sticker, sticker_sheet

MM = 72 / 25.4  # points per millimetre


def text_runs(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """(text, x mm, y mm from the top) for every run of text drawn on the page."""
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[page].mediabox.height)
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
        if text.strip():
            runs.append((text.strip(), tm[4] / MM, (height - tm[5]) / MM))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs


def label_holding(sheet, x: float, y: float) -> int | None:  # type: ignore[no-untyped-def]
    for i in range(sheet.per_sheet):
        lx, ly, w, h = sheet.position(i)
        if lx - 0.5 <= x <= lx + w + 0.5 and ly - 0.5 <= y <= ly + h + 0.5:
            return i
    return None


@pytest.mark.parametrize("key", ["letter-30", "a4-21"])
def test_it_puts_each_sticker_inside_its_label(key):
    sheet = SHEETS[key]
    stickers = [Sticker(f"Clue {i:02d}") for i in range(sheet.per_sheet)]
    pdf = sticker_sheet(stickers=stickers, sheet=sheet)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width_mm = float(reader.pages[0].mediabox.width) / MM
    assert width_mm == pytest.approx(sheet.page_width, abs=0.5)
    for text, x, y in text_runs(pdf):
        index = int(text.split()[1])
        assert label_holding(sheet, x, y) == index, text
        lx, _, w, h = sheet.position(index)
        icon = min(h - 2 * 2.0, w * 0.4)  # the picture clue, left of the words
        assert x == pytest.approx(lx + 2 * 2.0 + icon, abs=0.5)


def test_it_prints_names_in_any_alphabet():
    names = ["Zoë", "José", "Nguyễn Thị Thu", "Łukasz", "Søren"]
    pdf = sticker_sheet(
        stickers=[Sticker("Use dialogue", caption=n) for n in names], sheet=SHEETS["letter-30"]
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for name in names:
        assert name in text
    assert b"DejaVuSans" in pdf  # the Unicode font is embedded


def test_it_starts_on_a_partly_used_sheet_and_continues_on_a_new_page():
    sheet = SHEETS["letter-30"]
    pdf = sticker_sheet(
        stickers=[Sticker(f"Clue {i:02d}") for i in range(5)], sheet=sheet, start_at=27
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    first = {int(t.split()[1]): label_holding(sheet, x, y) for t, x, y in text_runs(pdf, 0)}
    assert first == {0: 27, 1: 28, 2: 29}
    second = {int(t.split()[1]): label_holding(sheet, x, y) for t, x, y in text_runs(pdf, 1)}
    assert second == {3: 0, 4: 1}


def test_it_keeps_hostile_text_inside_its_own_label():
    sheet = SHEETS["letter-30"]
    long = "Write a lead that hooks the reader " * 12 + "<script>alert(1)</script>"
    pdf = sticker_sheet(
        stickers=[Sticker(long, caption="Maximiliana-Alexandrina " * 6), Sticker("Next")],
        sheet=sheet,
    )
    for text, x, y in text_runs(pdf):
        if text == "Next":
            assert label_holding(sheet, x, y) == 1
        else:
            assert label_holding(sheet, x, y) == 0, (text, x, y)


def test_it_refuses_a_start_past_the_sheet():
    with pytest.raises(ValueError, match="from 1 to 30"):
        sticker_sheet(stickers=[Sticker("x")], sheet=SHEETS["letter-30"], start_at=30)
