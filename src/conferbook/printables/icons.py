"""Picture-clue icons drawn into PDFs with reportlab, as vector strokes. No Django here.

The icons are the vendored Lucide SVGs, read by `conferbook.lib.icons`; this module only
places them. An icon is drawn with Lucide's own pen (2 units in 24, round ends and
corners) scaled to the square it is given, so it stays sharp at any size and prints in
one colour.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, black
from reportlab.pdfgen.canvas import FILL_NON_ZERO, Canvas

from conferbook.lib.icons import (
    STROKE_WIDTH,
    VIEWBOX_SIZE,
    CurveTo,
    icon_or_fallback,
    load_icon,
)

ROUND = 1  # PDF line cap and line join style 1: round


def draw_icon(
    canvas: Canvas, name: str, *, x: float, y: float, size: float, color: Color = black
) -> None:
    """Draw the icon `name` filling the square with bottom-left corner (x, y) and side
    `size`, in PDF points.

    A blank name, or a name we have no icon for, draws `conferbook.lib.icons.FALLBACK`.
    Nothing is drawn outside the square: the drawing is clipped to it. The canvas's
    graphics state (colours, line width, transformation) is left as it was.
    """
    if size <= 0:
        return
    icon = load_icon(icon_or_fallback(name))
    scale = size / VIEWBOX_SIZE

    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x, y, size, size)
    canvas.clipPath(clip, stroke=0, fill=0)
    # Work in the icon's own 24 x 24 units, y downwards as in the SVG: the top-left
    # corner of the square is the origin.
    canvas.translate(x, y + size)
    canvas.scale(scale, -scale)
    canvas.setLineWidth(STROKE_WIDTH)
    canvas.setLineCap(ROUND)
    canvas.setLineJoin(ROUND)
    canvas.setStrokeColor(color)
    canvas.setFillColor(color)

    outline, dots = canvas.beginPath(), canvas.beginPath()
    for subpath in icon:
        path = dots if subpath.filled else outline
        path.moveTo(*subpath.start)
        for segment in subpath.segments:
            if isinstance(segment, CurveTo):
                path.curveTo(*segment.control1, *segment.control2, *segment.end)
            else:
                path.lineTo(*segment.end)
        if subpath.closed:
            path.close()
    if any(not subpath.filled for subpath in icon):
        canvas.drawPath(outline, stroke=1, fill=0)
    if any(subpath.filled for subpath in icon):
        # SVG's default fill rule.
        canvas.drawPath(dots, stroke=1, fill=1, fillMode=FILL_NON_ZERO)
    canvas.restoreState()
