"""Drawing printables on label and card stock with reportlab. No Django here.

Text is set in DejaVu Sans (vendored with its licence in fonts/), embedded in every PDF,
so names such as Zoë, Nguyễn Thị Thu or Łukasz print as typed. Text that does not fit its
box is wrapped, then shrunk down to a legible minimum, then cut with an ellipsis, and it
is never drawn outside its label: a long name can never spill onto the next sticker.
Every item is placed from the sheet's geometry (`lib/sheets.py`), in millimetres.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from conferbook.lib.sheets import Sheet
from conferbook.printables.icons import draw_icon

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PADDING = 2.0  # mm inside each label
LARGEST, SMALLEST = 14.0, 6.0  # points
LEADING = 1.2
GREY = HexColor("#555555")
CUT_LINE = HexColor("#9a9a9a")


def register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


@dataclass(frozen=True)
class Sticker:
    """A picture-clue sticker: an icon and a few words, with an optional small caption."""

    words: str
    icon: str = ""
    caption: str = ""  # e.g. the student's name, small, under the words


@dataclass(frozen=True)
class Card:
    """An appointment card, all text already in the student's words."""

    name: str
    when: str  # "Thursday 26 November at 9:12", or "" when not booked yet
    goal: str  # the "I can…" words of the goal being worked on
    strategy: str = ""
    task: str = ""
    icon: str = ""
    clue_words: str = ""


@dataclass(frozen=True)
class StripGoal:
    words: str  # "I can…"
    icon: str = ""
    clue_words: str = ""


@dataclass(frozen=True)
class DeskStrip:
    name: str
    goals: Sequence[StripGoal] = field(default_factory=tuple)


def fit(
    text: str, *, font: str, width: float, height: float, largest: float = LARGEST
) -> tuple[float, list[str]]:
    """The largest size (pt) at which `text` wraps into the box (points), and its lines.

    At the smallest size, lines that still do not fit are cut with an ellipsis, and a
    single word wider than the box is broken.
    """
    size = largest
    while True:
        lines = _split(text, font, size, width)
        if len(lines) * size * LEADING <= height or size <= SMALLEST:
            break
        # Sizes scaled for a bigger card are not whole half-points: never step below.
        size = max(SMALLEST, size - 0.5)
    room = max(1, int(height // (size * LEADING)))
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = _with_ellipsis(lines[-1], font, size, width)
    return size, lines


def _split(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for line in simpleSplit(" ".join(text.split()), font, size, width):
        # simpleSplit leaves a word longer than the box whole; break it by characters.
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            # The longest start that fits (at least one character), found by halving, so
            # a 300-character word costs a few measurements a line, not hundreds.
            cut, too_long = 1, len(line)
            while too_long - cut > 1:
                middle = (cut + too_long) // 2
                if pdfmetrics.stringWidth(line[:middle], font, size) <= width:
                    cut = middle
                else:
                    too_long = middle
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines or [""]


def _with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    while line and pdfmetrics.stringWidth(line + "…", font, size) > width:
        line = line[:-1]
    return line + "…"


def draw_text(
    canvas: Canvas,
    text: str,
    *,
    font: str,
    left: float,
    top: float,
    width: float,
    height: float,
    largest: float = LARGEST,
    color: Color = black,
) -> float:
    """Draw `text` fitted into the box (points, `top` is the box's top edge).

    Returns the height used, so boxes can be stacked.
    """
    if not text or width <= 0 or height <= 0:
        return 0.0
    size, lines = fit(text, font=font, width=width, height=height, largest=largest)
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    for n, line in enumerate(lines):
        canvas.drawString(left, top - size * (1 + LEADING * n) + size * 0.15, line)
    canvas.setFillColor(black)
    return len(lines) * size * LEADING


T = TypeVar("T")


def _sheet_pdf(
    *,
    items: Sequence[T],
    sheet: Sheet,
    start_at: int,
    title: str,
    draw: Callable[[Canvas, tuple[float, float, float, float], T], None],
    cut_lines: bool = False,
) -> bytes:
    """Place `items` on `sheet` from label `start_at`, continuing on new pages."""
    if not 0 <= start_at < sheet.per_sheet:
        raise ValueError(f"Start at a label from 1 to {sheet.per_sheet}.")
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(sheet.page_width * mm, sheet.page_height * mm))
    canvas.setTitle(title)
    canvas.setCreator("Conferbook")
    position = start_at
    for item in items:
        if position == sheet.per_sheet:
            canvas.showPage()
            position = 0
        x, y, w, h = sheet.position(position)
        # PDF coordinates start at the bottom-left corner; the sheet's at the top-left.
        box = (x * mm, (sheet.page_height - y - h) * mm, w * mm, h * mm)
        canvas.saveState()
        if cut_lines:
            canvas.setStrokeColor(CUT_LINE)
            canvas.setDash(3, 3)
            canvas.setLineWidth(0.5)
            canvas.rect(*box)
            canvas.setDash()
        clip = canvas.beginPath()
        clip.rect(*box)
        canvas.clipPath(clip, stroke=0, fill=0)
        draw(canvas, box, item)
        canvas.restoreState()
        position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def sticker_sheet(*, stickers: Sequence[Sticker], sheet: Sheet, start_at: int = 0) -> bytes:
    """A PDF of stickers on `sheet`, starting at label `start_at` of a partly used sheet.

    Stickers that do not fit on the first page continue on the next, from the top.
    """
    return _sheet_pdf(
        items=stickers, sheet=sheet, start_at=start_at, title="Stickers", draw=_draw_sticker
    )


def _draw_sticker(canvas: Canvas, box: tuple[float, float, float, float], sticker: Sticker) -> None:
    x, y, w, h = box
    pad = PADDING * mm
    icon = min(h - 2 * pad, w * 0.4)
    draw_icon(canvas, sticker.icon, x=x + pad, y=y + (h - icon) / 2, size=icon)
    left = x + 2 * pad + icon
    width = w - 3 * pad - icon
    height = h - 2 * pad
    caption = 0.0
    if sticker.caption:
        size, lines = fit(sticker.caption, font=REGULAR, width=width, height=height / 4)
        canvas.setFont(REGULAR, size)
        canvas.setFillColor(GREY)
        canvas.drawString(left, y + pad + size * 0.25, lines[0])
        canvas.setFillColor(black)
        caption = size * 1.4
    draw_text(
        canvas,
        sticker.words,
        font=BOLD,
        left=left,
        top=y + h - pad,
        width=width,
        height=height - caption,
        largest=min(LARGEST, h / 3),
    )


def card_sheet(*, cards: Sequence[Card], sheet: Sheet, start_at: int = 0) -> bytes:
    """Appointment cards on business-card stock or index cards, one per label."""
    return _sheet_pdf(
        items=cards, sheet=sheet, start_at=start_at, title="Appointment cards", draw=_draw_card
    )


def _draw_card(canvas: Canvas, box: tuple[float, float, float, float], card: Card) -> None:
    x, y, w, h = box
    pad = max(3 * mm, h * 0.06)
    inner_w, inner_h = w - 2 * pad, h - 2 * pad
    top = y + h - pad
    scale = h / (2 * 72)  # sizes are set for a 2-inch-high card and grow with the card
    # The picture clue sits in a column on the left, its words under it.
    icon = min(inner_h * 0.5, inner_w * 0.26)
    draw_icon(canvas, card.icon, x=x + pad, y=top - icon, size=icon)
    draw_text(
        canvas,
        card.clue_words,
        font=BOLD,
        left=x + pad,
        top=top - icon - 2,
        width=icon,
        height=inner_h - icon - 2,
        largest=8 * scale,
    )
    left = x + pad + icon + pad
    width = x + w - pad - left
    when = f"Next time: {card.when}" if card.when else "Next time: we will choose a day"
    goal = card.goal or "My goal: ______________________"
    if card.strategy:
        goal = f"{goal} Try: {card.strategy}"
    task = f"Before then: {card.task}" if card.task else "Before then: ______________________"
    # Stacked top down: (text, font, share of the card's height, largest size, gap after);
    # the task takes whatever height is left.
    stack = [
        (card.name, BOLD, 0.2, 13.0, 1.0),
        (when, REGULAR, 0.2, 9.0, 2.0),
        (goal, BOLD, 0.3, 9.0, 2.0),
        (task, REGULAR, None, 9.0, 0.0),
    ]
    for text, font, share, largest, gap in stack:
        height = inner_h * share if share else top - (y + pad)
        used = draw_text(
            canvas,
            text,
            font=font,
            left=left,
            top=top,
            width=width,
            height=height,
            largest=largest * scale,
        )
        top -= used + gap


def strip_sheet(*, strips: Sequence[DeskStrip], sheet: Sheet, start_at: int = 0) -> bytes:
    """Desk strips (name and active goals with their picture clues), several to a page."""
    return _sheet_pdf(
        items=strips,
        sheet=sheet,
        start_at=start_at,
        title="Desk strips",
        draw=_draw_strip,
        cut_lines=True,
    )


def _draw_strip(canvas: Canvas, box: tuple[float, float, float, float], strip: DeskStrip) -> None:
    x, y, w, h = box
    pad = 4 * mm
    top = y + h - pad
    name_h = (h - 2 * pad) * 0.3
    draw_text(
        canvas,
        strip.name,
        font=BOLD,
        left=x + pad,
        top=top,
        width=w - 2 * pad,
        height=name_h,
        largest=22,
    )
    top -= name_h + 2 * mm
    goals = list(strip.goals) or [StripGoal("My goal: ______________________________")]
    column = (w - 2 * pad) / len(goals)
    height = top - (y + pad)
    for n, goal in enumerate(goals):
        left = x + pad + n * column
        icon = min(height, column * 0.3)
        if goal.icon:
            draw_icon(canvas, goal.icon, x=left, y=top - icon, size=icon)
        text_left = left + (icon + 3 * mm if goal.icon else 0)
        text_w = left + column - 4 * mm - text_left
        used = draw_text(
            canvas,
            goal.words,
            font=BOLD,
            left=text_left,
            top=top,
            width=text_w,
            height=height * 0.7,
            largest=16,
        )
        draw_text(
            canvas,
            goal.clue_words,
            font=REGULAR,
            left=text_left,
            top=top - used - 2,
            width=text_w,
            height=height - used - 2,
            largest=11,
            color=GREY,
        )
