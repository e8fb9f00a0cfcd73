"""Drawing printables with reportlab. No Django here.

Text is set in DejaVu Sans (vendored with its licence in fonts/), embedded in every PDF,
so names such as Zoë, Nguyễn Thị Thu or Łukasz print as typed. Text that does not fit a
label is wrapped, then shrunk down to a legible minimum, and never drawn outside its
label: a long name can never spill onto the neighbouring sticker.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from conferbook.lib.sheets import Sheet

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PADDING = 2.0  # mm inside each label
LARGEST, SMALLEST = 14.0, 6.0  # points


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))


@dataclass(frozen=True)
class Sticker:
    """A picture-clue sticker: a few words (the icon comes with the icon set)."""

    words: str
    caption: str = ""  # e.g. the student's name, small, under the words


def fit(text: str, *, font: str, width: float, height: float) -> tuple[float, list[str]]:
    """The largest size (pt) at which `text` wraps into the box (points), and its lines.

    At the smallest size, lines that still do not fit are cut with an ellipsis.
    """
    size = LARGEST
    while True:
        lines = simpleSplit(text, font, size, width)
        if len(lines) * size * 1.2 <= height or size <= SMALLEST:
            break
        size -= 0.5
    room = max(1, int(height // (size * 1.2)))
    if len(lines) > room:
        lines = lines[:room]
        while lines and pdfmetrics.stringWidth(lines[-1] + "…", font, size) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1] + "…"
    return size, lines


def sticker_sheet(*, stickers: Sequence[Sticker], sheet: Sheet, start_at: int = 0) -> bytes:
    """A PDF of stickers on `sheet`, starting at label `start_at` of a partly used sheet.

    Stickers that do not fit on the first page continue on the next, from the top.
    """
    if not 0 <= start_at < sheet.per_sheet:
        raise ValueError(f"Start at a label from 1 to {sheet.per_sheet}.")
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(sheet.page_width * mm, sheet.page_height * mm))
    canvas.setTitle("Conferbook stickers")
    position = start_at
    for sticker in stickers:
        if position == sheet.per_sheet:
            canvas.showPage()
            position = 0
        _draw_sticker(canvas, sheet, position, sticker)
        position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_sticker(canvas: Canvas, sheet: Sheet, index: int, sticker: Sticker) -> None:
    x, y, w, h = sheet.position(index)
    # PDF coordinates start at the bottom-left corner.
    left = (x + PADDING) * mm
    top = (sheet.page_height - y - PADDING) * mm
    width, height = (w - 2 * PADDING) * mm, (h - 2 * PADDING) * mm
    caption_height = 0.0
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x * mm, (sheet.page_height - y - h) * mm, w * mm, h * mm)
    canvas.clipPath(clip, stroke=0, fill=0)
    if sticker.caption:
        size, lines = fit(sticker.caption, font=REGULAR, width=width, height=height / 4)
        canvas.setFont(REGULAR, size)
        canvas.drawString(left, top - height + size * 0.2, lines[0])
        caption_height = size * 1.3
    size, lines = fit(sticker.words, font=BOLD, width=width, height=height - caption_height)
    canvas.setFont(BOLD, size)
    for n, line in enumerate(lines):
        canvas.drawString(left, top - size * (1 + 1.2 * n), line)
    canvas.restoreState()
