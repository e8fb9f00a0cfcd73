"""Picture-clue icons: the vendored Lucide SVGs, read into plain drawing operations.

Every icon is a 24 x 24 drawing made of strokes (Lucide draws with a 2-unit round pen).
`load_icon` turns one into subpaths of straight lines and cubic Bézier curves in that
24 x 24 space, with y growing downwards as in SVG, so that anything able to draw a line
and a curve (reportlab here) can draw every icon: arcs, quadratic curves, circles,
ellipses and rounded rectangles all become cubic curves.

Only what Lucide uses is understood: the elements path, circle, ellipse, rect, line,
polyline and polygon, without transforms. Anything else raises `IconError`, so a newly
vendored icon the parser cannot draw fails the tests instead of printing wrongly.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ICON_DIR = (
    Path(__file__).resolve().parent.parent / "web" / "static" / "conferbook" / "icons" / "lucide"
)
VIEWBOX_SIZE = 24.0
STROKE_WIDTH = 2.0  # in the 24-unit box
FALLBACK = "star"  # drawn for a goal with no icon or an icon we do not have

Point = tuple[float, float]

_SVG_NS = "{http://www.w3.org/2000/svg}"


class IconError(ValueError):
    """An icon file is missing, or uses SVG this module does not draw."""


@dataclass(frozen=True)
class LineTo:
    end: Point


@dataclass(frozen=True)
class CurveTo:
    """A cubic Bézier curve from the current point through two control points to `end`."""

    control1: Point
    control2: Point
    end: Point


Segment = LineTo | CurveTo


@dataclass(frozen=True)
class Subpath:
    """One pen stroke: start at `start`, follow `segments`; `closed` joins back to start.

    `filled` is set for the few dots Lucide fills as well as strokes.
    """

    start: Point
    segments: tuple[Segment, ...]
    closed: bool = False
    filled: bool = False

    def points(self) -> Iterator[Point]:
        """Every point, control points included: the curves stay inside their hull."""
        yield self.start
        for segment in self.segments:
            if isinstance(segment, CurveTo):
                yield segment.control1
                yield segment.control2
            yield segment.end


Icon = tuple[Subpath, ...]


# -- the vendored set -------------------------------------------------------------------


@cache
def icon_names() -> frozenset[str]:
    """The names of the vendored icons (their file names without `.svg`)."""
    return frozenset(path.stem for path in ICON_DIR.glob("*.svg"))


def icon_or_fallback(name: str | None) -> str:
    """`name` if we have that icon, else `FALLBACK`."""
    name = (name or "").strip()
    return name if name in icon_names() else FALLBACK


@cache
def load_icon(name: str) -> Icon:
    """The drawing of the vendored icon `name`; `IconError` if there is no such icon."""
    if name not in icon_names():
        raise IconError(f"No icon named {name!r} in {ICON_DIR}.")
    path = ICON_DIR / f"{name}.svg"
    try:
        return parse_svg(path.read_text(encoding="utf-8"))
    except IconError as error:
        raise IconError(f"{path.name}: {error}") from None


# -- SVG elements -----------------------------------------------------------------------

# A quarter circle of radius 1 as a cubic curve: control points this far along the
# tangents (the usual 4/3 * tan(pi/8)).
_KAPPA = 4 / 3 * math.tan(math.pi / 8)

_IGNORED_TAGS = {"title", "desc", "metadata"}


def parse_svg(text: str) -> Icon:
    """The drawing of one Lucide SVG document (24 x 24 viewBox, strokes only)."""
    try:
        # The files are our own vendored copies, not input from users.
        root = ET.fromstring(text)  # noqa: S314
    except ET.ParseError as error:
        raise IconError(f"not valid SVG: {error}") from None
    if _local(root.tag) != "svg":
        raise IconError(f"the root element is <{_local(root.tag)}>, not <svg>.")
    viewbox = [float(v) for v in root.get("viewBox", "0 0 24 24").replace(",", " ").split()]
    if viewbox != [0.0, 0.0, VIEWBOX_SIZE, VIEWBOX_SIZE]:
        raise IconError(f"viewBox {root.get('viewBox')!r} is not 0 0 24 24.")

    subpaths: list[Subpath] = []
    for element in root:
        tag = _local(element.tag)
        if tag in _IGNORED_TAGS:
            continue
        if "transform" in element.attrib:
            raise IconError(f"<{tag}> has a transform, which is not supported.")
        shapes = _element(tag, element)
        if element.get("fill", "none") not in {"none", ""}:
            shapes = [Subpath(s.start, s.segments, closed=s.closed, filled=True) for s in shapes]
        subpaths.extend(shapes)
    if not subpaths:
        raise IconError("the icon draws nothing.")
    return tuple(subpaths)


def _local(tag: str) -> str:
    return tag.removeprefix(_SVG_NS)


def _number(element: ET.Element, attribute: str, default: float | None = None) -> float:
    tag = _local(element.tag)
    value = element.get(attribute)
    if value is None:
        if default is None:
            raise IconError(f"<{tag}> has no {attribute}.")
        return default
    try:
        return float(value)
    except ValueError:
        raise IconError(f"<{tag}> {attribute}={value!r} is not a number.") from None


def _element(tag: str, element: ET.Element) -> list[Subpath]:
    def num(attribute: str, default: float | None = None) -> float:
        return _number(element, attribute, default)

    if tag == "path":
        return parse_path_data(element.get("d", ""))
    if tag == "circle":
        r = num("r")
        return [_ellipse(num("cx", 0), num("cy", 0), r, r)]
    if tag == "ellipse":
        return [_ellipse(num("cx", 0), num("cy", 0), num("rx"), num("ry"))]
    if tag == "line":
        start = (num("x1", 0), num("y1", 0))
        return [Subpath(start, (LineTo((num("x2", 0), num("y2", 0))),))]
    if tag in {"polyline", "polygon"}:
        numbers = [float(n) for n in _NUMBER.findall(element.get("points", ""))]
        points = list(zip(numbers[::2], numbers[1::2], strict=False))
        if not points:
            return []
        lines = tuple(LineTo(p) for p in points[1:])
        return [Subpath(points[0], lines, closed=(tag == "polygon"))]
    if tag == "rect":
        return [_rect(element)]
    raise IconError(f"<{tag}> is not supported.")


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Subpath:
    """Four quarter arcs, clockwise on screen from the rightmost point."""
    kx, ky = rx * _KAPPA, ry * _KAPPA
    return Subpath(
        (cx + rx, cy),
        (
            CurveTo((cx + rx, cy + ky), (cx + kx, cy + ry), (cx, cy + ry)),
            CurveTo((cx - kx, cy + ry), (cx - rx, cy + ky), (cx - rx, cy)),
            CurveTo((cx - rx, cy - ky), (cx - kx, cy - ry), (cx, cy - ry)),
            CurveTo((cx + kx, cy - ry), (cx + rx, cy - ky), (cx + rx, cy)),
        ),
        closed=True,
    )


def _rect(element: ET.Element) -> Subpath:
    def num(attribute: str, default: float | None = None) -> float:
        return _number(element, attribute, default)

    x, y, w, h = num("x", 0), num("y", 0), num("width"), num("height")
    # SVG: a missing rx or ry takes the other's value; both are capped at half the side.
    rx = num("rx", num("ry", 0))
    ry = num("ry", rx)
    rx, ry = min(max(rx, 0.0), w / 2), min(max(ry, 0.0), h / 2)
    if rx == 0 or ry == 0:
        corners = ((x + w, y), (x + w, y + h), (x, y + h))
        return Subpath((x, y), tuple(LineTo(p) for p in corners), closed=True)
    kx, ky = rx * _KAPPA, ry * _KAPPA
    right, bottom = x + w, y + h
    return Subpath(
        (x + rx, y),
        (
            LineTo((right - rx, y)),
            CurveTo((right - rx + kx, y), (right, y + ry - ky), (right, y + ry)),
            LineTo((right, bottom - ry)),
            CurveTo((right, bottom - ry + ky), (right - rx + kx, bottom), (right - rx, bottom)),
            LineTo((x + rx, bottom)),
            CurveTo((x + rx - kx, bottom), (x, bottom - ry + ky), (x, bottom - ry)),
            LineTo((x, y + ry)),
            CurveTo((x, y + ry - ky), (x + rx - kx, y), (x + rx, y)),
        ),
        closed=True,
    )


# -- path data --------------------------------------------------------------------------

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGUMENT_COUNT = {
    "M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0,
}  # fmt: skip


class _Scanner:
    """Reads path data one command letter, number or arc flag at a time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n,":
            self.pos += 1

    def at_end(self) -> bool:
        self._skip()
        return self.pos >= len(self.text)

    def command(self) -> str | None:
        """The next command letter, consumed; None if a number comes next."""
        self._skip()
        char = self.text[self.pos]
        if char.upper() in _ARGUMENT_COUNT:
            self.pos += 1
            return char
        if char in "+-.0123456789":
            return None
        raise IconError(f"unexpected {char!r} in path data at {self.pos}.")

    def number(self) -> float:
        self._skip()
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise IconError(f"a number is missing in path data at {self.pos}.")
        self.pos = match.end()
        return float(match.group())

    def flag(self) -> bool:
        # Arc flags are one character each and may be written without separators:
        # "a2 2 0 011 1" is flags 0 and 1, then 1 1.
        self._skip()
        char = self.text[self.pos : self.pos + 1]
        if char not in {"0", "1"}:
            raise IconError(f"an arc flag (0 or 1) is missing in path data at {self.pos}.")
        self.pos += 1
        return char == "1"


def parse_path_data(d: str) -> list[Subpath]:
    """The subpaths drawn by an SVG path's `d` attribute (all commands of SVG 1.1)."""
    builder = _PathBuilder()
    scanner = _Scanner(d)
    command: str | None = None
    while not scanner.at_end():
        letter = scanner.command()
        if letter is None:
            # More numbers repeat the last command; after a moveto they are linetos.
            if command is None or command in "Zz":
                raise IconError("path data must begin with a moveto.")
            letter = {"M": "L", "m": "l"}.get(command, command)
        elif command is None and letter not in "Mm":
            raise IconError("path data must begin with a moveto.")
        command = letter
        builder.run(letter, scanner)
    return builder.finish()


class _PathBuilder:
    def __init__(self) -> None:
        self.subpaths: list[Subpath] = []
        self.start: Point = (0.0, 0.0)
        self.current: Point = (0.0, 0.0)
        self.segments: list[Segment] = []
        self.open = False  # a moveto has started a subpath not yet stored
        # The last control point, for S (after C/S) and T (after Q/T) to reflect.
        self.last_cubic: Point | None = None
        self.last_quadratic: Point | None = None

    def run(self, letter: str, scan: _Scanner) -> None:
        upper = letter.upper()
        relative = letter.islower()
        x0, y0 = self.current

        def point() -> Point:
            x, y = scan.number(), scan.number()
            return (x0 + x, y0 + y) if relative else (x, y)

        cubic: Point | None = None
        quadratic: Point | None = None
        if upper == "M":
            self._store()
            self.start = self.current = point()
            self.open = True
        elif upper == "Z":
            if self.open:
                self._store(closed=True)
            self.current = self.start
        elif upper == "L":
            self._line(point())
        elif upper == "H":
            x = scan.number()
            self._line((x0 + x if relative else x, y0))
        elif upper == "V":
            y = scan.number()
            self._line((x0, y0 + y if relative else y))
        elif upper in {"C", "S"}:
            c1 = point() if upper == "C" else _reflect(self.last_cubic, self.current)
            c2, end = point(), point()
            self._curve(c1, c2, end)
            cubic = c2
        elif upper in {"Q", "T"}:
            q = point() if upper == "Q" else _reflect(self.last_quadratic, self.current)
            end = point()
            self._quadratic(q, end)
            quadratic = q
        elif upper == "A":
            rx, ry, rotation = scan.number(), scan.number(), scan.number()
            large_arc, sweep = scan.flag(), scan.flag()
            end = point()
            curves = arc_to_cubics(
                self.current, end, rx, ry, rotation, large_arc=large_arc, sweep=sweep
            )
            for c1, c2, to in curves:
                self._curve(c1, c2, to)
            if not curves and end != self.current:
                self._line(end)  # an arc with a zero radius is a straight line
        self.last_cubic, self.last_quadratic = cubic, quadratic

    def _begin(self) -> None:
        # Drawing right after a closepath starts a new subpath at the closed one's start.
        if not self.open:
            self.start = self.current
            self.open = True

    def _line(self, end: Point) -> None:
        self._begin()
        self.segments.append(LineTo(end))
        self.current = end

    def _curve(self, c1: Point, c2: Point, end: Point) -> None:
        self._begin()
        self.segments.append(CurveTo(c1, c2, end))
        self.current = end

    def _quadratic(self, q: Point, end: Point) -> None:
        (x0, y0), (qx, qy), (x, y) = self.current, q, end
        c1 = (x0 + 2 / 3 * (qx - x0), y0 + 2 / 3 * (qy - y0))
        c2 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
        self._curve(c1, c2, end)

    def _store(self, *, closed: bool = False) -> None:
        if self.open and (self.segments or closed):
            self.subpaths.append(Subpath(self.start, tuple(self.segments), closed=closed))
        self.segments = []
        self.open = False

    def finish(self) -> list[Subpath]:
        self._store()
        return self.subpaths


def _reflect(control: Point | None, about: Point) -> Point:
    if control is None:
        return about
    return (2 * about[0] - control[0], 2 * about[1] - control[1])


def arc_to_cubics(
    start: Point,
    end: Point,
    rx: float,
    ry: float,
    rotation: float,
    *,
    large_arc: bool,
    sweep: bool,
) -> list[tuple[Point, Point, Point]]:
    """An SVG elliptical arc as cubic curves (control1, control2, end), each at most 90°.

    Follows the SVG 1.1 implementation notes (F.6.5 and F.6.6): the arc from `start` to
    `end` on an ellipse of radii rx, ry turned by `rotation` degrees, radii scaled up when
    too small to reach. Returns no curves when the arc is a straight line (a zero radius)
    or nothing (the same start and end).
    """
    (x1, y1), (x2, y2) = start, end
    if start == end:
        return []
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return []
    phi = math.radians(rotation % 360)
    cos_phi, sin_phi = math.cos(phi), math.sin(phi)

    # The start point in the ellipse's own axes, relative to the chord's middle.
    dx, dy = (x1 - x2) / 2, (y1 - y2) / 2
    x1p = cos_phi * dx + sin_phi * dy
    y1p = -sin_phi * dx + cos_phi * dy

    scale = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)

    numerator = rx**2 * ry**2 - rx**2 * y1p**2 - ry**2 * x1p**2
    denominator = rx**2 * y1p**2 + ry**2 * x1p**2
    factor = math.sqrt(max(numerator, 0.0) / denominator)
    if large_arc == sweep:
        factor = -factor
    cxp, cyp = factor * rx * y1p / ry, -factor * ry * x1p / rx
    cx = cos_phi * cxp - sin_phi * cyp + (x1 + x2) / 2
    cy = sin_phi * cxp + cos_phi * cyp + (y1 + y2) / 2

    def angle(ux: float, uy: float, vx: float, vy: float) -> float:
        return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)

    ux, uy = (x1p - cxp) / rx, (y1p - cyp) / ry
    vx, vy = (-x1p - cxp) / rx, (-y1p - cyp) / ry
    theta = angle(1.0, 0.0, ux, uy)
    delta = angle(ux, uy, vx, vy)
    if not sweep and delta > 0:
        delta -= 2 * math.pi
    elif sweep and delta < 0:
        delta += 2 * math.pi

    pieces = max(1, math.ceil(abs(delta) / (math.pi / 2) - 1e-9))
    step = delta / pieces
    k = 4 / 3 * math.tan(step / 4)

    def on_ellipse(t: float) -> tuple[Point, Point]:
        """The point at parameter t and the derivative there, in page coordinates."""
        cos_t, sin_t = math.cos(t), math.sin(t)
        px, py = rx * cos_t, ry * sin_t
        tx, ty = -rx * sin_t, ry * cos_t
        return (
            (cos_phi * px - sin_phi * py + cx, sin_phi * px + cos_phi * py + cy),
            (cos_phi * tx - sin_phi * ty, sin_phi * tx + cos_phi * ty),
        )

    curves: list[tuple[Point, Point, Point]] = []
    t = theta
    (px, py), (tx, ty) = on_ellipse(t)
    for n in range(pieces):
        t_next = theta + step * (n + 1)
        (qx, qy), (sx, sy) = on_ellipse(t_next)
        curves.append(((px + k * tx, py + k * ty), (qx - k * sx, qy - k * sy), (qx, qy)))
        (px, py), (tx, ty) = (qx, qy), (sx, sy)
    # End exactly where the path data says, not where rounding put us.
    c1, c2, _ = curves[-1]
    curves[-1] = (c1, c2, end)
    return curves
