"""Picture-clue icons in PDFs: every built-in goal has one, and it is drawn in its square."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.colors import red
from reportlab.pdfgen.canvas import Canvas

from conferbook.goals.library import DEFAULT_PATH, LibraryError, read_library
from conferbook.lib.icons import FALLBACK, icon_names
from conferbook.printables.icons import draw_icon

Operation = tuple[list[float], str]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def icon_pdf(name: str, *, x: float = 100, y: float = 200, size: float = 50, **kw: object) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(400, 400))
    draw_icon(canvas, name, x=x, y=y, size=size, **kw)  # type: ignore[arg-type]
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def operations(pdf: bytes) -> list[Operation]:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    stream = ContentStream(reader.pages[0].get_contents(), reader)
    return [
        ([float(v) for v in operands if isinstance(v, (int, float))], op.decode())
        for operands, op in stream.operations
    ]


def drawing(pdf: bytes) -> list[Operation]:
    """The icon's own operations: from its first `q` to the end."""
    ops = operations(pdf)
    start = next(i for i, (_, op) in enumerate(ops) if op == "q")
    return ops[start:]


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, as PDF's `cm` concatenates."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def painted_points(ops: list[Operation]) -> tuple[list[tuple[float, float]], list[list[float]]]:
    """Every path point on the page, in points, and every clipping rectangle (x, y, w, h)."""
    ctm, saved = IDENTITY, []
    points: list[tuple[float, float]] = []
    clips: list[list[float]] = []
    pending_rect: list[float] | None = None
    for operands, op in ops:
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop()
        elif op == "cm":
            ctm = multiply(tuple(operands), ctm)  # type: ignore[arg-type]
        elif op == "re":
            pending_rect = operands
        elif op in {"W", "W*"} and pending_rect is not None:
            x, y, w, h = pending_rect
            a, _, _, d, e, f = ctm
            clips.append([a * x + e, d * y + f, a * w, d * h])
        elif op in {"m", "l", "c", "v", "y"}:
            a, b, c, d, e, f = ctm
            for px, py in zip(operands[::2], operands[1::2], strict=True):
                points.append((a * px + c * py + e, b * px + d * py + f))
    return points, clips


# -- the library and the vendored set ---------------------------------------------------


def test_it_has_an_icon_for_every_built_in_goal() -> None:
    library = read_library()
    missing = {g.key: g.clue_icon for g in library.goals() if g.clue_icon not in icon_names()}
    assert missing == {}
    assert len(list(library.goals())) >= 40


def test_it_rejects_a_built_in_goal_whose_icon_is_not_shipped(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(DEFAULT_PATH, folder)
    read_library(folder)  # the copy as shipped is fine
    file = folder / "01-engagement.toml"
    text = file.read_text()
    assert 'clue_icon = "rocket"' in text
    file.write_text(text.replace('clue_icon = "rocket"', 'clue_icon = "rocket-ship"', 1))
    with pytest.raises(LibraryError) as error:
        read_library(folder)
    message = str(error.value)
    assert "01-engagement.toml" in message
    assert "get-started-quickly" in message
    assert '"rocket-ship"' in message


# -- drawing ----------------------------------------------------------------------------


def test_it_draws_an_icon_as_strokes_in_a_pdf() -> None:
    ops = drawing(icon_pdf("scissors"))
    names = [op for _, op in ops]
    assert {"m", "l", "c"} <= set(names)  # moves, lines and curves (the two rings)
    assert "S" in names  # stroked
    assert names.count("q") == names.count("Q")  # the canvas's state is put back
    # Round ends and corners.
    assert ([1.0], "J") in ops
    assert ([1.0], "j") in ops


def test_it_keeps_the_drawing_inside_its_square() -> None:
    x, y, size = 100, 200, 50
    for name in ("scissors", "circle-question-mark", "message-square-reply", "anchor"):
        points, clips = painted_points(drawing(icon_pdf(name, x=x, y=y, size=size)))
        assert clips == [[x, y, size, size]], name
        xs = [px for px, _ in points]
        ys = [py for _, py in points]
        assert x <= min(xs) and max(xs) <= x + size, name
        assert y <= min(ys) and max(ys) <= y + size, name


def test_it_draws_the_icon_the_right_way_up() -> None:
    # The flag's pole runs down the left side to the bottom: in the SVG it ends at
    # y = 22 of 24, near the bottom, which on the page is near y (PDF y grows upwards).
    points, _ = painted_points(drawing(icon_pdf("flag", x=0, y=0, size=24)))
    lowest = min(points, key=lambda p: p[1])
    assert lowest == pytest.approx((4, 2))


def test_it_scales_the_pen_with_the_icon() -> None:
    ops = drawing(icon_pdf("anchor", size=48))
    widths = [operands[0] for operands, op in ops if op == "w"]
    scales = [operands[0] for operands, op in ops if op == "cm" and operands[0] != 1]
    # Lucide's pen is 2 units of 24: 4 points wide in a 48-point square.
    assert widths and scales
    assert widths[-1] * scales[-1] == pytest.approx(4)


def test_it_draws_in_the_colour_asked_for() -> None:
    ops = drawing(icon_pdf("heart", color=red))
    assert ([1.0, 0.0, 0.0], "RG") in ops


@pytest.mark.parametrize("name", ["no-such-icon", "", "   "])
def test_it_draws_the_fallback_for_an_unknown_or_blank_name(name: str) -> None:
    fallback = drawing(icon_pdf(FALLBACK))
    assert drawing(icon_pdf(name)) == fallback
    assert drawing(icon_pdf("anchor")) != fallback


def test_it_fills_the_dots_lucide_fills() -> None:
    names = [op for _, op in drawing(icon_pdf("palette"))]
    assert "B" in names  # fill and stroke
    assert "B" not in [op for _, op in drawing(icon_pdf("scissors"))]


def test_it_draws_every_vendored_icon() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(400, 400))
    for n, name in enumerate(sorted(icon_names())):
        draw_icon(canvas, name, x=(n % 10) * 40, y=(n // 10) * 40, size=36)
    canvas.showPage()
    canvas.save()
    names = [op for _, op in operations(buffer.getvalue())]
    assert names.count("S") + names.count("B") >= len(icon_names())
