"""A notebook page for the demo, drawn as a photo of one would look: a piece written on
ruled paper with a margin, a little tilt of light across it. It knows where each word is,
so the demo can mark the lines that show a strength as a teacher would draw around them.
Pillow only; the words are set in the DejaVu Sans the printouts use."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from conferbook.lib.photos import LONG_EDGE, Box

FONT = Path(__file__).parent / "printables" / "fonts" / "DejaVuSans.ttf"
HEIGHT = LONG_EDGE  # kept as drawn: the marked rectangles are the photo's own pixels
WIDTH = HEIGHT * 3 // 4
MARGIN_LEFT, MARGIN_RIGHT = 190, 80
FIRST_RULE, RULE = 230, 74  # the first ruled line's height and the space between lines
INK = (38, 44, 92)
PAD = 8  # pixels around the words of a marked part
ASCENT, DESCENT = 46, 14  # how far the words of a line reach above and below its baseline


@dataclass(frozen=True)
class _Line:
    start: int  # offset of its first character in the text
    text: str
    baseline: int


@dataclass(frozen=True)
class NotebookPage:
    jpeg: bytes
    lines: tuple[_Line, ...]

    def box_of(self, words: str) -> Box | None:
        """The rectangle around `words` on the page (over several lines: the lines' full
        span), or None when the page does not hold them."""
        text = "".join(line.text for line in self.lines)
        at = text.find(words)
        if at < 0:
            return None
        end = at + len(words)
        touched = [ln for ln in self.lines if ln.start < end and ln.start + len(ln.text) > at]
        font = _font()
        if len(touched) == 1:
            line = touched[0]
            left = MARGIN_LEFT + font.getlength(line.text[: at - line.start])
            right = MARGIN_LEFT + font.getlength(line.text[: end - line.start])
        else:
            left = MARGIN_LEFT
            right = max(MARGIN_LEFT + font.getlength(ln.text) for ln in touched)
        return _padded(left, touched[0].baseline - ASCENT, right, touched[-1].baseline + DESCENT)

    @property
    def last_line(self) -> Box:
        line = self.lines[-1]
        right = MARGIN_LEFT + _font().getlength(line.text)
        return _padded(MARGIN_LEFT, line.baseline - ASCENT, right, line.baseline + DESCENT)


def _padded(left: float, top: float, right: float, bottom: float) -> Box:
    x, y = max(0, int(left) - PAD), max(0, int(top) - PAD)
    return Box(x, y, min(WIDTH, int(right) + PAD) - x, min(HEIGHT, int(bottom) + PAD) - y)


@cache
def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), 44)


def _wrapped(text: str) -> list[_Line]:
    font = _font()
    room = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    lines: list[_Line] = []
    start = 0
    current = ""
    for word in text.split(" "):
        trial = f"{current}{word} "
        if current and font.getlength(trial.rstrip()) > room:
            lines.append(_Line(start, current, FIRST_RULE + RULE * len(lines)))
            start += len(current)
            current = f"{word} "
        else:
            current = trial
    lines.append(_Line(start, current.rstrip(), FIRST_RULE + RULE * len(lines)))
    return lines


def notebook_page(text: str) -> NotebookPage:
    """`text` written on a ruled page, photographed in a classroom's light (as a JPEG)."""
    page = Image.new("RGB", (WIDTH, HEIGHT), (246, 243, 232))
    draw = ImageDraw.Draw(page)
    for y in range(FIRST_RULE, HEIGHT - 40, RULE):
        draw.line([(0, y + 12), (WIDTH, y + 12)], fill=(150, 178, 222), width=3)
    draw.line([(MARGIN_LEFT - 40, 0), (MARGIN_LEFT - 40, HEIGHT)], fill=(222, 120, 130), width=3)
    lines = _wrapped(text)
    for line in lines:
        draw.text((MARGIN_LEFT, line.baseline), line.text, font=_font(), fill=INK, anchor="ls")
    # Light falling off toward one corner, and a camera's softness.
    shade = Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(lambda v: 255 - v // 6)
    page = Image.composite(page, Image.new("RGB", page.size, (205, 200, 188)), shade)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=88)
    return NotebookPage(out.getvalue(), tuple(lines))
