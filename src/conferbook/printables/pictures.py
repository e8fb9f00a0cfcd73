"""The pages' pictures drawn for print with reportlab's vector graphics, from the same
layout the web pages draw (conferences/pictures.py): one place decides where each mark
goes, and both the SVG and the PDF follow it.

Marks differ by shape, not only colour, so a grey printer keeps them apart.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String, Wedge
from reportlab.lib.colors import Color, HexColor, white

from conferbook.conferences.pictures import Timeline
from conferbook.printables.pdf import BOLD, REGULAR, register_fonts

BLUE = HexColor("#0072b2")
GREEN = HexColor("#009e73")
ORANGE = HexColor("#d55e00")
INK = HexColor("#1f2a2e")
MUTED = HexColor("#8a8a8a")
LINE = HexColor("#dcd8cc")
GOAL_FILL = {"active": HexColor("#cfe3f2"), "met": HexColor("#cdebe0"), "set-aside": white}
GOAL_EDGE = {"active": BLUE, "met": GREEN, "set-aside": MUTED}


def timeline_drawing(timeline: Timeline, width: float) -> Drawing:
    """The progress timeline as a Drawing `width` points wide."""
    register_fonts()
    scale = width / timeline.width
    height = timeline.height * scale
    drawing = Drawing(width, height)
    art = Group()
    art.transform = (scale, 0, 0, -scale, 0, height)  # the layout's y runs down the page

    def text(
        x: float,
        y: float,
        words: str,
        *,
        bold: bool = False,
        color: Color = INK,
        anchor: str = "start",
        size: float = 11,
    ) -> None:
        # Strings are drawn upright: undo the flip around their own baseline.
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
        label.transform = (1, 0, 0, -1, x, y)
        art.add(label)

    for tick in timeline.ticks:
        art.add(Line(tick.x, timeline.top - 6, tick.x, timeline.height - 16, strokeColor=LINE))
        text(tick.x, 12, tick.label, color=MUTED, anchor="middle", size=10)
    for lane in timeline.lanes:
        text(4, lane.text_y, lane.name, bold=True)
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
        text(goal.label_x, goal.text_y, goal.label, anchor=goal.anchor)
    for mark in timeline.conferences:
        if mark.kind == "missed":
            art.add(Line(mark.x, mark.y, mark.x2, mark.y2, strokeColor=ORANGE, strokeWidth=2.5))
            art.add(Line(mark.x2, mark.y, mark.x, mark.y2, strokeColor=ORANGE, strokeWidth=2.5))
        elif mark.kind == "small group":
            art.add(
                Rect(mark.x, mark.y, 12, 12, fillColor=white, strokeColor=GREEN, strokeWidth=1.5)
            )
            for k in (3, 6, 9):  # stripes
                art.add(Line(mark.x + k, mark.y2, mark.x2, mark.y + k, strokeColor=GREEN))
                art.add(Line(mark.x, mark.y2 - k, mark.x + k, mark.y, strokeColor=GREEN))
        else:
            art.add(Rect(mark.x, mark.y, 12, 12, fillColor=BLUE, strokeColor=BLUE))
    for mark in timeline.reviews:
        cy = mark.y + 6
        done = mark.kind == "done"
        art.add(
            Circle(
                mark.middle,
                cy,
                6,
                fillColor=INK if done else white,
                strokeColor=INK,
                strokeWidth=1.5,
            )
        )
        if mark.kind == "partly":
            art.add(Wedge(mark.middle, cy, 6, -90, 90, fillColor=INK, strokeColor=INK))
    for mark in timeline.stickers:
        art.add(_star(mark.middle, mark.y + 6, 7))
    drawing.add(art)
    return drawing


def _star(cx: float, cy: float, r: float) -> Polygon:
    from math import cos, pi, sin

    points: list[float] = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.45
        angle = -pi / 2 + k * pi / 5
        points += [cx + radius * cos(angle), cy + radius * sin(angle)]
    return Polygon(points, fillColor=HexColor("#b8860b"), strokeColor=HexColor("#b8860b"))
