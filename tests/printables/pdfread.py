"""Reading printables back for the tests: text with the box its glyphs take, clipping
paths, filled rectangles and lines. All lengths in mm from the page's top-left corner,
as in the sheet geometry.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics

from conferbook.lib.sheets import Sheet
from conferbook.printables.pdf import register_fonts

MM = 72 / 25.4  # points per millimetre
TOLERANCE = 0.5  # mm
NAMES = ["Zoë", "José", "Nguyễn Thị Thu", "Łukasz", "Søren"]

# ----------------------------------------------------------------------------------------
# Reading a PDF back. All lengths in mm from the page's top-left corner, as in the sheets.


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def holds(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return (
            self.left - tolerance <= other.left
            and other.right <= self.right + tolerance
            and self.top - tolerance <= other.top
            and other.bottom <= self.bottom + tolerance
        )

    def near(self, other: Box, tolerance: float = TOLERANCE) -> bool:
        return all(
            abs(a - b) <= tolerance
            for a, b in zip(
                (self.left, self.top, self.right, self.bottom),
                (other.left, other.top, other.right, other.bottom),
                strict=True,
            )
        )


@dataclass(frozen=True)
class Run:
    """A line of text as drawn, and the box its glyphs take (advance width, ascent to
    descent) in mm."""

    text: str
    font: str
    size: float  # points, after any scaling
    box: Box


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_size(pdf: bytes, page: int = 0) -> tuple[float, float]:
    """(width, height) of the page in mm."""
    box = PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return float(box.width) / MM, float(box.height) / MM


def sheet_box(sheet: Sheet, index: int) -> Box:
    x, y, w, h = sheet.position(index)
    return Box(x, y, x + w, y + h)


def _multiply(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def text_runs(pdf: bytes, page: int = 0) -> list[Run]:
    register_fonts()
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[page].mediabox.height)
    runs: list[Run] = []

    def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
        drawn = text.rstrip("\n")
        if not drawn.strip():
            return
        font = str(font_dict["/BaseFont"]).split("+")[-1]  # "/AAAAAA+DejaVuSans-Bold"
        scale, _, _, _, x, y = _multiply(list(tm), list(cm))
        size = font_size * scale
        ascent, descent = pdfmetrics.getAscentDescent(font, size)
        width = pdfmetrics.stringWidth(drawn, font, size)
        box = Box(x / MM, (height - y - ascent) / MM, (x + width) / MM, (height - y - descent) / MM)
        runs.append(Run(drawn.strip(), font, size, box))

    reader.pages[page].extract_text(visitor_text=visit)
    return runs


@dataclass(frozen=True)
class Graphics:
    clips: list[Box]  # rectangles set as clipping paths
    fills: list[tuple[Box, tuple[float, ...]]]  # filled rectangles and their colour
    strokes: list[Box]  # stroked rectangles
    lines: list[tuple[float, float, float, float]]  # stroked straight lines x1, y1, x2, y2


def graphics(pdf: bytes, page: int = 0) -> Graphics:
    """The rectangles and straight lines drawn on the page (curves are left out)."""
    reader = PdfReader(io.BytesIO(pdf))
    height = float(reader.pages[page].mediabox.height)
    ops = ContentStream(reader.pages[page].get_contents(), reader).operations
    ctm, stack = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    fill: tuple[float, ...] = (0.0,)
    result = Graphics([], [], [], [])
    rects: list[Box] = []
    segments: list[tuple[float, float, float, float]] = []
    point = (0.0, 0.0)
    clipping = False

    def at(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        return (a * x + c * y + e) / MM, (height - (b * x + d * y + f)) / MM

    for operands, op in ops:
        args = [float(v) for v in operands] if op not in (b"d", b"Tj", b"Tf") else []
        if op == b"q":
            stack.append((ctm, fill))
        elif op == b"Q":
            ctm, fill = stack.pop()
        elif op == b"cm":
            ctm = _multiply(args, ctm)
        elif op == b"rg":
            fill = tuple(args)
        elif op == b"re":
            x, y, w, h = args
            (x1, y1), (x2, y2) = at(x, y), at(x + w, y + h)
            rects.append(Box(min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
        elif op == b"m":
            point = at(*args)
        elif op == b"l":
            end = at(*args)
            segments.append((*point, *end))
            point = end
        elif op in (b"W", b"W*"):
            clipping = True
        elif op in (b"n", b"S", b"s", b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*"):
            if clipping:
                result.clips.extend(rects)
            if op in (b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*"):
                result.fills.extend((r, fill) for r in rects)
            if op in (b"S", b"s", b"B", b"B*", b"b", b"b*"):
                result.strokes.extend(rects)
                result.lines.extend(segments)
            rects, segments, clipping = [], [], False
    return result


def holder(boxes: list[Box], run: Run) -> int | None:
    """The index of the box the run lies wholly inside, if any."""
    for n, box in enumerate(boxes):
        if box.holds(run.box):
            return n
    return None


# ----------------------------------------------------------------------------------------


def assert_every_glyph_is_in_the_font(text: str, pdf: bytes) -> None:
    """No missing-glyph box: the fonts are embedded and have a glyph for every letter."""
    reader = PdfReader(io.BytesIO(pdf))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= embedded
    register_fonts()
    for name in ("DejaVuSans", "DejaVuSans-Bold"):
        glyphs = pdfmetrics.getFont(name).face.charToGlyph
        missing = {c for c in text if not c.isspace() and glyphs.get(ord(c), 0) == 0}
        assert not missing, (name, missing)
