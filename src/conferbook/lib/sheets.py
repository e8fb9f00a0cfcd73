"""Label and card sheet geometry, as data. No Django here.

Every printable on a sheet (stickers, appointment cards) is placed from one of these
rows: page size, columns and rows, the first label's top-left corner, label size and the
pitch (distance from one label's corner to the next). All lengths in millimetres; the
origin is the page's top-left corner, y growing downwards (the PDF renderer flips it).
The figures are the published dimensions of the standard stock named.
"""

from __future__ import annotations

from dataclasses import dataclass

INCH = 25.4


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    left: float  # margin to the first column
    top: float  # margin to the first row
    label_width: float
    label_height: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def position(self, index: int) -> tuple[float, float, float, float]:
        """(x, y, width, height) in mm of label `index` (0-based, across then down)."""
        if not 0 <= index < self.per_sheet:
            raise IndexError(f"{self.name} has {self.per_sheet} labels; there is no {index + 1}")
        row, column = divmod(index, self.columns)
        return (
            self.left + column * self.pitch_x,
            self.top + row * self.pitch_y,
            self.label_width,
            self.label_height,
        )


SHEETS: dict[str, Sheet] = {
    sheet.key: sheet
    for sheet in [
        # 30 address labels, 1" x 2-5/8", US Letter (Avery 5160 / 8160 layout).
        Sheet(
            key="letter-30",
            name='US Letter, 30 labels (1" x 2⅝")',
            page_width=8.5 * INCH,
            page_height=11 * INCH,
            columns=3,
            rows=10,
            left=0.1875 * INCH,
            top=0.5 * INCH,
            label_width=2.625 * INCH,
            label_height=1 * INCH,
            pitch_x=2.75 * INCH,
            pitch_y=1 * INCH,
        ),
        # 21 labels, 63.5 x 38.1 mm, A4 (L7160 layout).
        Sheet(
            key="a4-21",
            name="A4, 21 labels (63.5 x 38.1 mm)",
            page_width=210,
            page_height=297,
            columns=3,
            rows=7,
            left=7.2,
            top=15.15,
            label_width=63.5,
            label_height=38.1,
            pitch_x=66.0,
            pitch_y=38.1,
        ),
        # 10 business cards, 2" x 3.5", US Letter (Avery 5371 / 8371 layout).
        Sheet(
            key="letter-cards-10",
            name='US Letter, 10 business cards (2" x 3½")',
            page_width=8.5 * INCH,
            page_height=11 * INCH,
            columns=2,
            rows=5,
            left=0.75 * INCH,
            top=0.5 * INCH,
            label_width=3.5 * INCH,
            label_height=2 * INCH,
            pitch_x=3.5 * INCH,
            pitch_y=2 * INCH,
        ),
        # 10 business cards, 85 x 54 mm, A4 (Avery C32011 layout).
        Sheet(
            key="a4-cards-10",
            name="A4, 10 business cards (85 x 54 mm)",
            page_width=210,
            page_height=297,
            columns=2,
            rows=5,
            left=15,
            top=13.5,
            label_width=85,
            label_height=54,
            pitch_x=95,
            pitch_y=54,
        ),
        # One 3" x 5" index card per page (landscape).
        Sheet(
            key="index-card",
            name='3" x 5" index card',
            page_width=5 * INCH,
            page_height=3 * INCH,
            columns=1,
            rows=1,
            left=0,
            top=0,
            label_width=5 * INCH,
            label_height=3 * INCH,
            pitch_x=5 * INCH,
            pitch_y=3 * INCH,
        ),
        # Desk strips on plain paper, cut apart along the printed lines.
        Sheet(
            key="letter-strips-4",
            name='US Letter, 4 desk strips (8" x 2½")',
            page_width=8.5 * INCH,
            page_height=11 * INCH,
            columns=1,
            rows=4,
            left=0.25 * INCH,
            top=0.5 * INCH,
            label_width=8 * INCH,
            label_height=2.5 * INCH,
            pitch_x=8 * INCH,
            pitch_y=2.5 * INCH,
        ),
        Sheet(
            key="a4-strips-4",
            name="A4, 4 desk strips (200 x 70 mm)",
            page_width=210,
            page_height=297,
            columns=1,
            rows=4,
            left=5,
            top=8.5,
            label_width=200,
            label_height=70,
            pitch_x=200,
            pitch_y=70,
        ),
    ]
}

STICKER_SHEETS = ("letter-30", "a4-21")
CARD_SHEETS = ("letter-cards-10", "a4-cards-10", "index-card")
STRIP_SHEETS = ("letter-strips-4", "a4-strips-4")


@dataclass(frozen=True)
class Paper:
    key: str
    name: str
    width: float  # mm, portrait
    height: float


PAPERS: dict[str, Paper] = {
    paper.key: paper
    for paper in [
        Paper("letter", 'US Letter (8½" x 11")', 8.5 * INCH, 11 * INCH),
        Paper("a4", "A4 (210 x 297 mm)", 210, 297),
        Paper("tabloid", '11" x 17" (tabloid)', 11 * INCH, 17 * INCH),
    ]
}
