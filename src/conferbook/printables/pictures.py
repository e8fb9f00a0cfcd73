"""The pages' pictures drawn for print with reportlab's vector graphics, from the same
layout the web pages draw (conferences/pictures.py): one place decides where each mark
goes, and both the SVG and the PDF follow it.

Marks differ by shape, not only colour, so a grey printer keeps them apart.
"""

from __future__ import annotations

from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Group,
    Line,
    Polygon,
    Rect,
    Shape,
    String,
    Wedge,
)
from reportlab.lib.colors import Color, HexColor, white

from conferbook.conferences.pictures import Timeline
from conferbook.printables.pdf import BOLD, REGULAR, register_fonts
from conferbook.scheduling.pictures import CoveragePicture

BLUE = HexColor("#0072b2")
GREEN = HexColor("#009e73")
ORANGE = HexColor("#d55e00")
INK = HexColor("#1f2a2e")
MUTED = HexColor("#8a8a8a")
LINE = HexColor("#dcd8cc")
SHADE = HexColor("#e6e6e6")  # a day off
WARN = HexColor("#8a5300")  # a late student's name
GOAL_FILL = {"active": HexColor("#cfe3f2"), "met": HexColor("#cdebe0"), "set-aside": white}
GOAL_EDGE = {"active": BLUE, "met": GREEN, "set-aside": MUTED}


class _Art:
    """A drawing in the layout's own units (pixels, y running down), scaled to `width`
    points; strings stay upright."""

    def __init__(self, layout_width: float, layout_height: float, width: float) -> None:
        register_fonts()
        scale = width / layout_width
        height = layout_height * scale
        self.drawing = Drawing(width, height)
        self.group = Group()
        self.group.transform = (scale, 0, 0, -scale, 0, height)
        self.drawing.add(self.group)

    def add(self, shape: Shape) -> None:
        self.group.add(shape)

    def text(
        self,
        x: float,
        y: float,
        words: str,
        *,
        bold: bool = False,
        color: Color = INK,
        anchor: str = "start",
        size: float = 11,
    ) -> None:
        label = Group(
            String(
                0,
                0,
                words,
                fontName=BOLD if bold else REGULAR,
                fontSize=size,
                fillColor=color,
                textAnchor=anchor,
            )
        )
        label.transform = (1, 0, 0, -1, x, y)  # undo the flip around the baseline
        self.group.add(label)

    def square(self, kind: str, x: float, y: float, size: float) -> None:
        """A mark as the pictures draw it: filled (one-on-one), striped (small group),
        crossed (missed) or empty (booked)."""
        x2, y2 = x + size, y + size
        if kind == "missed":
            self.add(Line(x, y, x2, y2, strokeColor=ORANGE, strokeWidth=2.5))
            self.add(Line(x2, y, x, y2, strokeColor=ORANGE, strokeWidth=2.5))
        elif kind == "small group":
            self.add(Rect(x, y, size, size, fillColor=white, strokeColor=GREEN, strokeWidth=1.5))
            step = size / 4
            for k in (1, 2, 3):  # stripes
                self.add(Line(x + k * step, y2, x2, y + k * step, strokeColor=GREEN))
                self.add(Line(x, y2 - k * step, x + k * step, y, strokeColor=GREEN))
        elif kind == "booked":
            self.add(Rect(x, y, size, size, fillColor=white, strokeColor=INK, strokeWidth=1.5))
        else:
            self.add(Rect(x, y, size, size, fillColor=BLUE, strokeColor=BLUE))


def timeline_drawing(timeline: Timeline, width: float) -> Drawing:
    """The progress timeline as a Drawing `width` points wide."""
    art = _Art(timeline.width, timeline.height, width)
    for tick in timeline.ticks:
        art.add(Line(tick.x, timeline.top - 6, tick.x, timeline.height - 16, strokeColor=LINE))
        art.text(tick.x, 12, tick.label, color=MUTED, anchor="middle", size=10)
    for lane in timeline.lanes:
        art.text(4, lane.text_y, lane.name, bold=True)
    for goal in timeline.goals:
        art.add(
            Rect(
                goal.x,
                goal.y,
                goal.width,
                18,
                rx=3,
                ry=3,
                fillColor=GOAL_FILL[goal.status],
                strokeColor=GOAL_EDGE[goal.status],
                strokeWidth=1.5,
                strokeDashArray=[4, 2] if goal.status == "set-aside" else None,
            )
        )
        art.text(goal.label_x, goal.text_y, goal.label, anchor=goal.anchor)
    for mark in timeline.conferences:
        art.square(mark.kind, mark.x, mark.y, 12)
    for mark in timeline.reviews:
        _circle(art, mark.middle, mark.y + 6, mark.kind)
    for mark in timeline.stickers:
        art.add(_star(mark.middle, mark.y + 6, 7))
    for row in timeline.checklist:
        art.text(row.text_x, row.text_y, row.text, color=MUTED, size=10)
        if row.x2 > row.x1:
            art.add(Line(row.x1, row.y + 6, row.x2, row.y + 6, strokeColor=INK, strokeWidth=1.5))
        for mark in row.answers:
            _circle(art, mark.middle, mark.y + 6, ANSWER_CIRCLES.get(mark.kind, ""))
    return art.drawing


# A checklist answer drawn as a task review is: "Yes" full, "Starting to" half.
ANSWER_CIRCLES = {"yes": "done", "starting": "partly"}


def _circle(art: _Art, x: float, y: float, kind: str) -> None:
    """Full ("done"), half ("partly") or empty: a task review or a checklist answer."""
    full = kind == "done"
    art.add(Circle(x, y, 6, fillColor=INK if full else white, strokeColor=INK, strokeWidth=1.5))
    if kind == "partly":
        art.add(Wedge(x, y, 6, -90, 90, fillColor=INK, strokeColor=INK))


def coverage_drawing(picture: CoveragePicture, width: float) -> Drawing:
    """The coverage grid (students by school day) as a Drawing `width` points wide."""
    art = _Art(picture.width, picture.height, width)
    for column in picture.columns:
        if column.off:
            art.add(
                Rect(
                    column.x,
                    picture.header,
                    picture.cell + 4,
                    picture.body_height,
                    fillColor=SHADE,
                    strokeColor=None,
                )
            )
        if column.month:
            art.text(column.x, picture.header - 26, column.month, bold=True, size=10)
        if column.number:
            art.text(
                column.middle,
                picture.header - 4,
                column.number,
                color=MUTED,
                anchor="middle",
                size=9,
            )
    if picture.promise_x is not None:
        art.add(
            Line(
                picture.promise_x,
                picture.header - 20,
                picture.promise_x,
                picture.height,
                strokeColor=INK,
                strokeWidth=1.5,
                strokeDashArray=[5, 3],
            )
        )
        art.text(picture.promise_x + 4, 11, f"{picture.promise_text} →", bold=True, size=10)
    for row in picture.rows:
        art.text(
            4,
            row.text_y,
            ("● " if row.overdue else "") + row.name,
            bold=row.overdue,
            color=WARN if row.overdue else INK,
            size=10,
        )
        for cell in row.cells:
            if cell.mark and cell.mark != "off":
                art.square(cell.mark, cell.x, row.y, picture.cell)
    return art.drawing


def _star(cx: float, cy: float, r: float) -> Polygon:
    from math import cos, pi, sin

    points: list[float] = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = -pi / 2 + k * pi / 5
        points += [cx + radius * cos(angle), cy + radius * sin(angle)]
    return Polygon(points, fillColor=HexColor("#b8860b"), strokeColor=HexColor("#b8860b"))
