"""Whole-page printables: charts, the class binder, calendars, the goals poster,
checklists and the parent report. reportlab only; no Django here.

Every text the teacher or a student typed goes through `_p()`, which escapes it, so
markup in a note prints as typed and never becomes layout.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, black, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    Indenter,
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from conferbook.lib.sheets import Paper
from conferbook.printables.icons import draw_icon
from conferbook.printables.pdf import BOLD, GREY, REGULAR, draw_text, fit, register_fonts

MARGIN = 14 * mm
FRAME_PADDING = 6  # points: SimpleDocTemplate's frame pads its content on every side
RULE = HexColor("#b8b8b8")
SHADE = HexColor("#efefef")
HIGHLIGHT = HexColor("#fff2b3")


# ----------------------------------------------------------------------------------------
# Plain data handed in by the views and the command line.


@dataclass(frozen=True)
class GoalLine:
    words: str  # "I can…"
    since: str  # "3 October"
    status: str = ""  # "" while active; "met 2 November", "set aside 9 October"


@dataclass(frozen=True)
class ChartRow:
    day: str
    discussed: str
    task: str
    group: bool = False


@dataclass(frozen=True)
class Chart:
    name: str
    classroom: str
    goals: Sequence[GoalLine]
    rows: Sequence[ChartRow]
    covers: str = ""  # "Conferences in Autumn term, 1 Sep to 4 Dec 2026"
    # The last weeks as a picture, drawn to the width it is given, and its sentence.
    goals_picture: Callable[[float], Flowable] | None = None
    goals_sentence: str = ""


@dataclass(frozen=True)
class DayCell:
    day: int
    lines: Sequence[str] = ()
    note: str = ""  # "No school", "Short day until 12:00"


@dataclass(frozen=True)
class Month:
    title: str  # "November 2026"
    classroom: str
    weekdays: Sequence[str]  # column headings, e.g. Monday…Friday
    weeks: Sequence[Sequence[DayCell | None]]


@dataclass(frozen=True)
class PosterGoal:
    words: str
    icon: str = ""
    names: Sequence[str] = ()


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    icon: str = ""
    mine: bool = False  # one of the student's active goals: highlighted


@dataclass(frozen=True)
class Checklist:
    name: str
    title: str
    sections: Sequence[tuple[str, Sequence[ChecklistItem]]]


@dataclass(frozen=True)
class Strength:
    description: str
    quote: str = ""
    source: str = ""  # "Lost tooth story, 12 October"
    pictures: Sequence[bytes] = ()  # JPEGs: the lines marked on a photo of the page


@dataclass(frozen=True)
class PlaceToLift:
    """A part of a page where the level could be lifted next, and what to work on there."""

    picture: bytes  # JPEG
    words: str


@dataclass(frozen=True)
class Report:
    """A family's page. The lists hold the whole period; the page shows the most that one
    page holds readably (goals and strengths first in the order given, the latest days and
    tasks) and counts the rest."""

    name: str
    classroom: str
    teacher: str
    printed_on: str
    goals: Sequence[GoalLine]  # the ones worked on now first
    strengths: Sequence[Strength]  # newest first
    conference_days: Sequence[str]  # oldest first
    tasks_done: Sequence[str]  # oldest first
    next_steps: Sequence[str]
    places_to_lift: Sequence[PlaceToLift] = ()
    family_lines: int = 5
    # The term as a picture, drawn to the width it is given, and its sentence.
    goals_picture: Callable[[float], Flowable] | None = None
    goals_sentence: str = ""
    covers: str = ""  # "Conferences in Autumn term, 1 Sep to 4 Dec 2026"


# ----------------------------------------------------------------------------------------
# Shared pieces.


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=21),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=GREY, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12),
        "cellhead": ParagraphStyle(
            "cellhead", parent=body, fontName=BOLD, fontSize=9.5, leading=12
        ),
        "mine": ParagraphStyle("mine", parent=body, fontName=BOLD, fontSize=10, leading=13),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of text exactly as typed (escaped; line breaks kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _page_size(paper: Paper, *, turned: bool = False) -> tuple[float, float]:
    size = (paper.width * mm, paper.height * mm)
    return landscape(size) if turned else size


def _document(buffer: io.BytesIO, paper: Paper, title: str, *, turned: bool = False):  # type: ignore[no-untyped-def]
    return SimpleDocTemplate(
        buffer,
        pagesize=_page_size(paper, turned=turned),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        creator="Conferbook",
    )


def _inner(doc) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """The width and height a flowable can take inside the document's frame."""
    return doc.width - 2 * FRAME_PADDING, doc.height - 2 * FRAME_PADDING


# A note this short (and of so few lines) is a few lines in any chart column: it is not
# measured to be cut, which saves laying out every note of a binder twice.
SHORT_NOTE = 200
SHORT_NOTE_LINES = 6


def _pieces(text: str, style: ParagraphStyle, width: float, height: float) -> list[Flowable]:
    """`text` as paragraphs cut at line breaks into pieces no taller than `height`.

    A table row cannot run over a page break, so a very long note goes into several rows.
    """
    paragraph = _p(text, style)
    if len(text) <= SHORT_NOTE and text.count("\n") < SHORT_NOTE_LINES:
        return [paragraph]
    pieces: list[Flowable] = []
    rest: Flowable = paragraph
    while rest.wrap(width, height)[1] > height:
        parts = rest.split(width, height)
        if len(parts) < 2:
            break
        pieces.append(parts[0])
        rest = parts[1]
    pieces.append(rest)
    return pieces


def _footer(label: str):  # type: ignore[no-untyped-def]
    def draw(canvas: Canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, MARGIN / 2, label)
        canvas.drawRightString(doc.pagesize[0] - MARGIN, MARGIN / 2, f"page {doc.page}")
        canvas.restoreState()

    return draw


class _Ruled(Flowable):
    """Blank ruled rows filling the rest of the page, for writing by hand.

    Column lines continue the table above (`widths`). When fewer than `at_least` rows fit,
    the rows start on a new page and fill it.
    """

    def __init__(self, widths: Sequence[float], row: float, at_least: int = 3) -> None:
        super().__init__()
        self.widths, self.row, self.at_least = list(widths), row, at_least
        self.rows = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.rows = int(available_height // self.row)
        if self.rows < self.at_least:
            self.rows = self.at_least  # too tall here: platypus moves it to a new page
        return sum(self.widths), self.rows * self.row

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        height = self.rows * self.row
        for n in range(self.rows + 1):
            canvas.line(0, n * self.row, sum(self.widths), n * self.row)
        x = 0.0
        for width in [0.0, *self.widths]:
            x += width
            canvas.line(x, 0, x, height)


def _lines_for_family(count: int, width: float) -> Flowable:
    return _Ruled([width], 8 * mm, at_least=count)


def _goal_rows(goals: Sequence[GoalLine], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not goals:
        return [_p("No goal set yet.", styles["body"])]
    flowables: list[Flowable] = []
    for goal in goals:
        when = f"since {goal.since}" if not goal.status else f"{goal.since}, {goal.status}"
        flowables.append(_p(f"• {goal.words}  ({when})", styles["body"]))
    return flowables


PAGE_PART_HEIGHT = 22 * mm  # a few lines of handwriting, readable on paper


def _page_part(jpeg: bytes, width: float) -> list[Flowable]:
    """A part of the student's page as marked on its photo: a few lines high, indented like
    the quote above it, never wider than the column."""
    reader = ImageReader(io.BytesIO(jpeg))
    pixels_wide, pixels_high = reader.getSize()
    scale = min(PAGE_PART_HEIGHT / pixels_high, (width - 12) / pixels_wide)
    picture = Image(io.BytesIO(jpeg), width=pixels_wide * scale, height=pixels_high * scale)
    picture.hAlign = "LEFT"
    return [Indenter(left=12), picture, Indenter(left=-12), Spacer(1, 1.5 * mm)]


def _goals_picture(
    picture: Callable[[float], Flowable] | None,
    sentence: str,
    width: float,
    styles: dict[str, ParagraphStyle],
) -> list[Flowable]:
    """The sentence and the picture of a student's last weeks (nothing without one)."""
    return [_p(sentence, styles["body"]), picture(width)] if picture else []


# ----------------------------------------------------------------------------------------
# The two-column chart and the class binder.


def chart_pdf(*, charts: Sequence[Chart], paper: Paper) -> bytes:
    """Each student's two-column chart; one student per page, a long chart runs on.

    Goals on top, then date / what we discussed / what the student will do, then blank
    ruled rows filling the page to continue by hand.
    """
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, paper, "Conference charts" if len(charts) != 1 else charts[0].name)
    width, height = _inner(doc)
    widths = [24 * mm, (width - 24 * mm) / 2, (width - 24 * mm) / 2]
    cell_padding = 2 * 6  # points: a table cell's default padding, left and right
    story: list[Flowable] = []
    for n, chart in enumerate(charts):
        if n:
            story.append(PageBreak())
        story.append(_p(chart.name, styles["title"]))
        story.append(_p(chart.classroom, styles["subtitle"]))
        if chart.covers:
            story.append(_p(chart.covers, styles["body"]))
        story.append(_p("Goals", styles["heading"]))
        story.extend(_goals_picture(chart.goals_picture, chart.goals_sentence, width, styles))
        story.extend(_goal_rows(chart.goals, styles))
        story.append(Spacer(1, 4 * mm))
        data = [
            [
                _p("Date", styles["cellhead"]),
                _p("What we discussed", styles["cellhead"]),
                _p(f"What {chart.name} will do before next time", styles["cellhead"]),
            ]
        ]
        for row in chart.rows:
            day = f"{row.day}\n(group)" if row.group else row.day
            discussed, task = (
                _pieces(text, styles["cell"], column - cell_padding, height / 4)
                for text, column in ((row.discussed, widths[1]), (row.task, widths[2]))
            )
            for n, (said, todo) in enumerate(zip_longest(discussed, task, fillvalue="")):
                data.append([_p(day, styles["cell"]) if n == 0 else "", said, todo])
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        story.append(_Ruled(widths, 11 * mm))
    footer = _footer("Conferbook · two-column chart")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------
# Monthly calendar pages.


def calendar_pdf(*, months: Sequence[Month], paper: Paper) -> bytes:
    """One landscape page per month, appointments written into each school day."""
    register_fonts()
    buffer = io.BytesIO()
    size = _page_size(paper, turned=True)
    canvas = Canvas(buffer, pagesize=size)
    canvas.setTitle("Conference calendar")
    canvas.setCreator("Conferbook")
    for month in months:
        _draw_month(canvas, month, size)
        canvas.showPage()
    if not months:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_month(canvas: Canvas, month: Month, size: tuple[float, float]) -> None:
    width, height = size
    left, top = MARGIN, height - MARGIN
    draw_text(
        canvas, month.title, font=BOLD, left=left, top=top, width=width / 2, height=24, largest=20
    )
    draw_text(
        canvas,
        month.classroom,
        font=REGULAR,
        left=width / 2,
        top=top - 4,
        width=width / 2 - MARGIN,
        height=16,
        largest=12,
        color=GREY,
    )
    top -= 30
    columns = max(1, len(month.weekdays))
    cell_w = (width - 2 * MARGIN) / columns
    canvas.setFont(BOLD, 10)
    for n, weekday in enumerate(month.weekdays):
        canvas.drawString(left + n * cell_w + 3, top - 11, weekday)
    top -= 16
    rows = max(1, len(month.weeks))
    cell_h = (top - MARGIN) / rows
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    for r, week in enumerate(month.weeks):
        for c, cell in enumerate(week):
            x, y = left + c * cell_w, top - (r + 1) * cell_h
            if cell is None:
                canvas.setFillColor(SHADE)
                canvas.rect(x, y, cell_w, cell_h, stroke=1, fill=1)
                canvas.setFillColor(black)
                continue
            canvas.rect(x, y, cell_w, cell_h, stroke=1, fill=0)
            canvas.saveState()
            clip = canvas.beginPath()
            clip.rect(x, y, cell_w, cell_h)
            canvas.clipPath(clip, stroke=0, fill=0)
            canvas.setFont(BOLD, 11)
            canvas.drawString(x + 3, y + cell_h - 13, str(cell.day))
            if cell.note:
                draw_text(
                    canvas,
                    cell.note,
                    font=REGULAR,
                    left=x + 22,
                    top=y + cell_h - 2,
                    width=cell_w - 25,
                    height=14,
                    largest=8,
                    color=GREY,
                )
            _draw_cell_lines(canvas, cell.lines, x + 3, y + cell_h - 17, cell_w - 6, cell_h - 19)
            canvas.restoreState()


def _draw_cell_lines(
    canvas: Canvas, lines: Sequence[str], left: float, top: float, width: float, height: float
) -> None:
    """Appointments in a day cell: shrink to fit, and say how many more when they cannot."""
    if not lines:
        return
    size = 8.0
    while len(lines) * size * 1.2 > height and size > 5.5:
        size -= 0.5
    room = max(1, int(height // (size * 1.2)))
    shown = list(lines)
    if len(shown) > room:
        shown = [*shown[: room - 1], f"+ {len(lines) - room + 1} more"]
    for n, line in enumerate(shown):
        _, cut = fit(line, font=REGULAR, width=width, height=size * 1.2, largest=size)
        canvas.setFont(REGULAR, size)
        canvas.drawString(left, top - size * (1 + 1.2 * n), cut[0])


# ----------------------------------------------------------------------------------------
# The class goals chart, as a poster.


def poster_pdf(*, title: str, goals: Sequence[PosterGoal], paper: Paper) -> bytes:
    """Goals with the names of the students working on each, in a grid filling the page."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = _page_size(paper)
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(title)
    canvas.setCreator("Conferbook")
    scale = width / (8.5 * 72)
    draw_text(
        canvas,
        title,
        font=BOLD,
        left=MARGIN,
        top=height - MARGIN,
        width=width - 2 * MARGIN,
        height=34 * scale,
        largest=26 * scale,
    )
    top = height - MARGIN - 40 * scale
    area_w, area_h = width - 2 * MARGIN, top - MARGIN
    count = max(1, len(goals))
    # The column count that gives the biggest boxes of a comfortable shape.
    columns = max(
        range(1, count + 1),
        key=lambda c: min(area_w / c, 1.6 * area_h / math.ceil(count / c)),
    )
    rows = math.ceil(count / columns)
    box_w, box_h = area_w / columns, area_h / rows
    gap = 3 * mm
    for n, goal in enumerate(goals):
        r, c = divmod(n, columns)
        x = MARGIN + c * box_w
        y = top - (r + 1) * box_h
        w, h = box_w - gap, box_h - gap
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.roundRect(x, y, w, h, 4 * mm, stroke=1, fill=0)
        clip = canvas.beginPath()
        clip.rect(x, y, w, h)
        canvas.clipPath(clip, stroke=0, fill=0)
        pad = 3 * mm
        icon = min(h * 0.25, w * 0.16)
        if goal.icon:
            draw_icon(canvas, goal.icon, x=x + pad, y=y + h - pad - icon, size=icon)
        text_left = x + pad + (icon + pad if goal.icon else 0)
        used = draw_text(
            canvas,
            goal.words,
            font=BOLD,
            left=text_left,
            top=y + h - pad,
            width=x + w - pad - text_left,
            height=max(icon, h * 0.45),
            largest=16 * scale,
        )
        names_top = y + h - pad - max(icon, used) - pad
        names = "  ·  ".join(goal.names) if goal.names else "—"
        draw_text(
            canvas,
            names,
            font=REGULAR,
            left=x + pad,
            top=names_top,
            width=w - 2 * pad,
            height=names_top - y - pad,
            largest=13 * scale,
        )
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------
# Self-assessment checklists.

RATINGS = ("Not yet", "Starting to", "Yes")


def checklist_pdf(*, checklists: Sequence[Checklist], paper: Paper) -> bytes:
    """One checklist per student; the student's active goals are shaded and marked."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, paper, "Writing checklist")
    rating_w = 20 * mm
    icon_w = 10 * mm
    text_w = _inner(doc)[0] - icon_w - 3 * rating_w
    story: list[Flowable] = []
    for n, checklist in enumerate(checklists):
        if n:
            story.append(PageBreak())
        story.append(_p(checklist.title, styles["title"]))
        story.append(_p(f"Name: {checklist.name}", styles["subtitle"]))
        story.append(
            _p("My goals are shaded and marked ★. Tick one box on each line.", styles["small"])
        )
        story.append(Spacer(1, 3 * mm))
        data: list[list[object]] = []
        commands: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for heading, items in checklist.sections:
            commands.append(("BACKGROUND", (0, len(data)), (-1, len(data)), SHADE))
            commands.append(("SPAN", (0, len(data)), (1, len(data))))
            data.append(
                [_p(heading, styles["cellhead"]), ""]
                + [
                    _p(r, ParagraphStyle("r", parent=styles["small"], alignment=TA_CENTER))
                    for r in RATINGS
                ]
            )
            for item in items:
                text = f"★ {item.text}" if item.mine else item.text
                if item.mine:
                    commands.append(("BACKGROUND", (0, len(data)), (-1, len(data)), HIGHLIGHT))
                data.append(
                    [
                        _Icon(item.icon, 7 * mm),
                        _p(text, styles["mine" if item.mine else "cell"]),
                        _Box(),
                        _Box(),
                        _Box(),
                    ]
                )
        table = Table(data, colWidths=[icon_w, text_w] + [rating_w] * 3, repeatRows=0)
        table.setStyle(TableStyle(commands))
        story.append(table)
    footer = _footer("Conferbook · writing checklist")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


class _Icon(Flowable):
    def __init__(self, name: str, size: float) -> None:
        super().__init__()
        self.name, self.size = name, size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_icon(self.canv, self.name, x=0, y=0, size=self.size)


class _Box(Flowable):
    """An empty tick box, centred in its cell."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 5 * mm

    def draw(self) -> None:
        self.canv.setStrokeColor(black)
        self.canv.setFillColor(white)
        self.canv.rect(self.width / 2 - 2.5 * mm, 0, 5 * mm, 5 * mm, stroke=1, fill=1)


# ----------------------------------------------------------------------------------------
# A page with one picture (the coverage grid).


def picture_pdf(
    *,
    title: str,
    subtitle: str,
    sentences: Sequence[str],
    picture: Callable[[float], Flowable],
    legend: str,
    paper: Paper,
) -> bytes:
    """A title, the picture's sentences, the picture shrunk to fit the page, its legend."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, paper, title)
    width, height = _inner(doc)
    head = [
        _p(title, styles["title"]),
        _p(subtitle, styles["subtitle"]),
        *(_p(sentence, styles["body"]) for sentence in sentences if sentence),
        Spacer(1, 3 * mm),
    ]
    story: list[Flowable] = [
        *head,
        KeepInFrame(width, height - 45 * mm, [picture(width)], mode="shrink"),
        Spacer(1, 3 * mm),
        _p(legend, styles["small"]),
    ]
    footer = _footer("Conferbook · who has been seen")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------
# The parent-teacher conference report.


# What one family page lists at most; the rest is counted ("…and 3 more"). With these a
# record of any length prints at its own size or near it; KeepInFrame shrinks what is left.
REPORT_GOALS = 4
REPORT_STRENGTHS = 3
REPORT_PICTURES = 1  # strengths shown with the lines of the student's page
REPORT_DAYS = 6  # the latest conference days written out
REPORT_TASKS = 3
REPORT_STEPS = 4
REPORT_TEXT = 180  # characters of one line of the lists: two lines of print at most
REPORT_TASK = 140  # of a task, leaving room for its day or the words before it
# The picture draws a lane per goal and per checklist line: the latest few only.
REPORT_PICTURE_GOALS = 3
REPORT_PICTURE_LINES = 2


def shortened(text: str, most: int = REPORT_TEXT) -> str:
    """`text` cut at a word before `most` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most // 2 :] else cut) + "…"


def _more(count: int, words: str, style: ParagraphStyle) -> list[Flowable]:
    """ "…and 3 more goals worked on earlier." when some were left out."""
    return [_p(f"…and {count} more {words}.", style)] if count > 0 else []


def _days_sentence(days: Sequence[str]) -> str:
    if not days:
        return "No conferences yet."
    word = "conference" if len(days) == 1 else "conferences"
    if len(days) <= REPORT_DAYS:
        return f"{len(days)} {word}: {', '.join(days)}."
    return f"{len(days)} {word}; the latest {REPORT_DAYS}: {', '.join(days[-REPORT_DAYS:])}."


def _report_record(
    report: Report, width: float, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """Everything above the family's lines, cut to the page's lists."""
    quote_style = ParagraphStyle("q", parent=styles["small"], leftIndent=12, textColor=GREY)
    goals = [GoalLine(shortened(g.words), g.since, g.status) for g in report.goals[:REPORT_GOALS]]
    content: list[Flowable] = [
        _p(f"Writing conferences: {report.name}", styles["title"]),
        _p(f"{report.classroom} · {report.teacher} · {report.printed_on}", styles["subtitle"]),
    ]
    if report.covers:
        content.append(_p(report.covers, styles["body"]))
    content += [
        _p("Goals", styles["heading"]),
        *_goals_picture(report.goals_picture, report.goals_sentence, width, styles),
        *_goal_rows(goals, styles),
        *_more(len(report.goals) - len(goals), "goals worked on earlier", styles["small"]),
        _p("Strengths we noticed", styles["heading"]),
    ]
    if not report.strengths:
        content.append(_p("None recorded yet.", styles["body"]))
    for strength in report.strengths[:REPORT_STRENGTHS]:
        content.append(_p(f"• {shortened(strength.description)}", styles["body"]))
        if strength.quote:
            source = f" ({strength.source})" if strength.source else ""
            content.append(_p(f"“{shortened(strength.quote)}”{source}", quote_style))
        for picture in strength.pictures[:1]:
            content.extend(_page_part(picture, width))
    more = len(report.strengths) - REPORT_STRENGTHS
    content += _more(more, "strengths noticed earlier", styles["small"])
    content.append(_p("Conferences", styles["heading"]))
    content.append(_p(_days_sentence(report.conference_days), styles["body"]))
    content.append(_p("Tasks done", styles["heading"]))
    if not report.tasks_done:
        content.append(_p("None recorded yet.", styles["body"]))
    latest = report.tasks_done[-REPORT_TASKS:] if report.tasks_done else []
    content.extend(_p(f"• {shortened(task)}", styles["body"]) for task in latest)
    more = len(report.tasks_done) - REPORT_TASKS
    content += _more(more, "tasks done earlier", styles["small"])
    content.append(_p("Next steps", styles["heading"]))
    content.extend(
        _p(f"• {shortened(step)}", styles["body"]) for step in report.next_steps[:REPORT_STEPS]
    )
    content += _more(len(report.next_steps) - REPORT_STEPS, "next steps", styles["small"])
    for place in report.places_to_lift:
        content.append(_p(f"Where we will work next: {shortened(place.words)}", styles["small"]))
        content.extend(_page_part(place.picture, width))
    return content


def report_pdf(*, reports: Sequence[Report], paper: Paper) -> bytes:
    """One page per student, whatever the history: the lists are cut to what a page holds
    (see Report), and what still does not fit is shrunk, never split."""
    styles = _styles()
    buffer = io.BytesIO()
    doc = _document(buffer, paper, "Writing conference report")
    width, height = _inner(doc)
    story: list[Flowable] = []
    for n, report in enumerate(reports):
        if n:
            story.append(PageBreak())
        content = _report_record(report, width, styles)
        family = report.family_lines * 8 * mm
        # The record shrinks to leave room for the family's heading and lines below it.
        story.append(KeepInFrame(width, height - 18 * mm - family, content, mode="shrink"))
        story.append(_p("Notes from the family", styles["heading"]))
        story.append(_Fixed(_lines_for_family(report.family_lines, width), family))
    footer = _footer("Conferbook · parent-teacher conference")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


class _Fixed(Flowable):
    """A ruled block of a fixed number of rows (the family's lines)."""

    def __init__(self, ruled: Flowable, height: float) -> None:
        super().__init__()
        self.ruled, self.height = ruled, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.ruled.wrap(available_width, self.height)
        return available_width, self.height

    def draw(self) -> None:
        self.ruled.drawOn(self.canv, 0, 0)
