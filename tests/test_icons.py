"""Reading the vendored Lucide icons into lines and curves (`conferbook.lib.icons`)."""

from __future__ import annotations

import math
import re

import pytest

from conferbook.lib.icons import (
    FALLBACK,
    ICON_DIR,
    CurveTo,
    IconError,
    LineTo,
    Point,
    Subpath,
    icon_names,
    icon_or_fallback,
    load_icon,
    parse_path_data,
    parse_svg,
)

TOLERANCE = 0.01


def svg(body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">{body}</svg>'


def ends(subpath: Subpath) -> list[Point]:
    return [subpath.start, *(segment.end for segment in subpath.segments)]


def bezier(start: Point, curve: CurveTo, t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = start, curve.control1, curve.control2, curve.end
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    return (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)


def samples(subpath: Subpath) -> list[Point]:
    """Points along the subpath's curves (their ends and three points inside each)."""
    points = [subpath.start]
    current = subpath.start
    for segment in subpath.segments:
        if isinstance(segment, CurveTo):
            points += [bezier(current, segment, t) for t in (0.25, 0.5, 0.75)]
        points.append(segment.end)
        current = segment.end
    return points


def close(a: Point, b: Point, tolerance: float = 1e-6) -> bool:
    return math.dist(a, b) <= tolerance


# -- the vendored set -------------------------------------------------------------------


def test_it_vendors_a_useful_set_with_its_licence() -> None:
    assert 60 <= len(icon_names()) <= 90
    assert FALLBACK in icon_names()
    assert "ISC License" in (ICON_DIR / "LICENSE").read_text()


def test_it_says_which_package_version_the_files_came_from() -> None:
    readme = (ICON_DIR / "README.md").read_text()
    for name in sorted(icon_names()):
        header = (ICON_DIR / f"{name}.svg").read_text()
        version = re.search(r"lucide-static v(\S+)", header)
        assert version is not None, name
        assert f"version **{version.group(1)}**" in readme, name


@pytest.mark.parametrize("name", sorted(icon_names()))
def test_it_reads_every_vendored_icon_into_the_24_unit_box(name: str) -> None:
    icon = load_icon(name)
    assert icon
    for subpath in icon:
        assert subpath.segments or subpath.closed, name
        for x, y in subpath.points():
            assert -TOLERANCE <= x <= 24 + TOLERANCE, (name, x)
            assert -TOLERANCE <= y <= 24 + TOLERANCE, (name, y)


def test_it_falls_back_for_a_blank_or_unknown_name() -> None:
    assert icon_or_fallback("") == FALLBACK
    assert icon_or_fallback(None) == FALLBACK
    assert icon_or_fallback("no-such-icon") == FALLBACK
    assert icon_or_fallback(" anchor ") == "anchor"


def test_it_refuses_to_load_an_icon_it_does_not_have() -> None:
    with pytest.raises(IconError, match="no-such-icon"):
        load_icon("no-such-icon")


# -- shapes -----------------------------------------------------------------------------


def test_it_reads_circle_dot_as_two_circles_around_the_centre() -> None:
    dot, ring = load_icon("circle-dot")
    for subpath, radius in ((dot, 1.0), (ring, 10.0)):
        assert subpath.closed
        assert len(subpath.segments) == 4
        assert all(isinstance(s, CurveTo) for s in subpath.segments)
        for point in samples(subpath):
            # Four cubic quarters are within 0.03 % of a true circle.
            assert math.dist(point, (12, 12)) == pytest.approx(radius, rel=3e-4)


def test_it_reads_a_rounded_rect_as_four_sides_and_four_corner_curves() -> None:
    (rect,) = parse_svg(svg('<rect x="3" y="4" width="18" height="16" rx="2" />'))
    kinds = [type(s) for s in rect.segments]
    assert kinds == [LineTo, CurveTo] * 4
    assert rect.closed
    xs = [x for x, _ in rect.points()]
    ys = [y for _, y in rect.points()]
    assert (min(xs), max(xs), min(ys), max(ys)) == (3, 21, 4, 20)
    # rx alone rounds both ways: the top side starts 2 in from the left edge.
    assert rect.start == (5, 4)
    assert (3, 6) in ends(rect)
    (ry_only,) = parse_svg(svg('<rect x="3" y="4" width="18" height="16" ry="2" />'))
    assert ry_only == rect


def test_it_reads_a_plain_rect_as_four_lines() -> None:
    (rect,) = parse_svg(svg('<rect x="2" y="2" width="4" height="6" />'))
    assert ends(rect) == [(2, 2), (6, 2), (6, 8), (2, 8)]
    assert rect.closed


def test_it_reads_lines_polylines_polygons_and_ellipses() -> None:
    line, polyline, polygon, ellipse = parse_svg(
        svg(
            '<line x1="1" y1="2" x2="3" y2="4" />'
            '<polyline points="1,1 5,1 5,5" />'
            '<polygon points="2 2 8 2 5 7" />'
            '<ellipse cx="12" cy="12" rx="6" ry="3" />'
        )
    )
    assert ends(line) == [(1, 2), (3, 4)]
    assert ends(polyline) == [(1, 1), (5, 1), (5, 5)] and not polyline.closed
    assert ends(polygon) == [(2, 2), (8, 2), (5, 7)] and polygon.closed
    xs = [x for x, _ in samples(ellipse)]
    ys = [y for _, y in samples(ellipse)]
    assert (min(xs), max(xs)) == pytest.approx((6, 18))
    assert (min(ys), max(ys)) == pytest.approx((9, 15))


def test_it_marks_the_dots_lucide_fills() -> None:
    dots = [s for s in load_icon("palette") if s.filled]
    assert len(dots) == 4
    assert not any(s.filled for s in load_icon("circle-dot"))


def test_it_refuses_svg_it_would_draw_wrongly() -> None:
    with pytest.raises(IconError, match="text"):
        parse_svg(svg("<text>A</text>"))
    with pytest.raises(IconError, match="transform"):
        parse_svg(svg('<rect width="4" height="4" transform="rotate(45)" />'))
    with pytest.raises(IconError, match="viewBox"):
        parse_svg(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M1 1h2"/></svg>'
        )


# -- path data --------------------------------------------------------------------------


def test_it_turns_an_arc_into_curves_on_the_circle() -> None:
    # Half a circle of radius 10 from the left to the right, clockwise on screen: over
    # the top, through (12, 2).
    (half,) = parse_path_data("M2 12A10 10 0 0 1 22 12")
    assert [type(s) for s in half.segments] == [CurveTo, CurveTo]
    assert close(half.segments[0].end, (12, 2), 1e-9)
    assert half.segments[1].end == (22, 12)
    for point in samples(half):
        assert math.dist(point, (12, 12)) == pytest.approx(10, rel=3e-4)


def test_it_follows_the_large_arc_and_sweep_flags() -> None:
    # The same two points and radius; the four flag pairs pick four different arcs.
    middles = {}
    for large in "01":
        for sweep in "01":
            (arc,) = parse_path_data(f"M7 12A5 5 0 {large} {sweep} 12 7")
            middles[large + sweep] = samples(arc)[len(samples(arc)) // 2]
            assert arc.segments[-1].end == (12, 7)
    # Small arcs bulge towards (7, 7) or towards the centre (12, 12) of the other circle.
    assert middles["01"][0] < 10 and middles["01"][1] < 10
    assert middles["00"][0] > 9 and middles["00"][1] > 9
    # Large arcs go round the far side: three quarters of a circle.
    assert max(x for x, _ in samples(parse_path_data("M7 12A5 5 0 1 0 12 7")[0])) > 16
    assert min(x for x, _ in samples(parse_path_data("M7 12A5 5 0 1 1 12 7")[0])) < 3


def test_it_reads_arc_flags_written_without_spaces() -> None:
    (arc,) = parse_path_data("M10 10a2 2 0 011 1")
    assert close(arc.segments[-1].end, (11, 11))
    assert all(isinstance(s, CurveTo) for s in arc.segments)


def test_it_scales_up_an_arc_radius_too_small_to_reach() -> None:
    # Radius 1 cannot span 10 units: SVG scales it up to 5, a half circle.
    (arc,) = parse_path_data("M2 12A1 1 0 0 1 12 12")
    for point in samples(arc):
        assert math.dist(point, (7, 12)) == pytest.approx(5, rel=3e-4)


def test_it_draws_an_arc_with_a_zero_radius_as_a_line() -> None:
    (arc,) = parse_path_data("M2 2A0 5 0 0 1 8 8")
    assert arc.segments == (LineTo((8, 8)),)


def test_it_reads_relative_and_absolute_lines() -> None:
    (path,) = parse_path_data("M2 3h4v5H1V2l1 1L3 3")
    assert ends(path) == [(2, 3), (6, 3), (6, 8), (1, 8), (1, 2), (2, 3), (3, 3)]


def test_it_treats_numbers_after_a_moveto_as_lines() -> None:
    (absolute,) = parse_path_data("M1 1 2 2 3 1")
    assert ends(absolute) == [(1, 1), (2, 2), (3, 1)]
    (relative,) = parse_path_data("m1 1 1 1 1-1")
    assert ends(relative) == [(1, 1), (2, 2), (3, 1)]


def test_it_reads_packed_numbers() -> None:
    (path,) = parse_path_data("M.5.5l1.5-.5h-1e1")
    assert ends(path) == [(0.5, 0.5), (2.0, 0.0), (-8.0, 0.0)]


def test_it_starts_a_new_subpath_after_closing_one() -> None:
    first, second = parse_path_data("M2 2h4v4z l3 0")
    assert first.closed and ends(first) == [(2, 2), (6, 2), (6, 6)]
    # After z the pen is back at (2, 2), where the next subpath starts.
    assert ends(second) == [(2, 2), (5, 2)] and not second.closed
    # A closed single point is kept (round caps draw it as a dot); m after z is relative
    # to the point the pen went back to.
    dot, moved = parse_path_data("M2 2zm1 1h1")
    assert dot == Subpath((2, 2), (), closed=True)
    assert ends(moved) == [(3, 3), (4, 3)]


def test_it_reads_cubic_curves_and_reflects_smooth_ones() -> None:
    (path,) = parse_path_data("M0 0C1 2 3 2 4 0s3-2 4 0c1 1 2 1 3 0")
    first, smooth, relative = path.segments
    assert first == CurveTo((1, 2), (3, 2), (4, 0))
    # S mirrors the last control point (3, 2) about the current point (4, 0).
    assert smooth == CurveTo((5, -2), (7, -2), (8, 0))
    assert relative == CurveTo((9, 1), (10, 1), (11, 0))


def test_it_does_not_reflect_after_a_line() -> None:
    (path,) = parse_path_data("M0 0L4 0S7 2 8 0")
    assert path.segments[1] == CurveTo((4, 0), (7, 2), (8, 0))


def test_it_turns_quadratic_curves_into_cubic_ones() -> None:
    (path,) = parse_path_data("M0 0Q3 6 6 0T12 0")
    quadratic, smooth = path.segments
    assert isinstance(quadratic, CurveTo) and isinstance(smooth, CurveTo)
    # The same curve: its middle is halfway between the control point and the chord.
    assert close(bezier((0, 0), quadratic, 0.5), (3, 3))
    # T mirrors the control point (3, 6) about (6, 0), to (9, -6).
    assert close(bezier((6, 0), smooth, 0.5), (9, -3))


@pytest.mark.parametrize("data", ["L1 1", "M1 1 X", "M1 1a2 2 0 2 1 3 3", "M1"])
def test_it_refuses_broken_path_data(data: str) -> None:
    with pytest.raises(IconError):
        parse_path_data(data)
