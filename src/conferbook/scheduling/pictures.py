"""Where each mark of a picture goes: plain numbers the SVG templates place, worked out
once here so the templates stay loops over prepared rows (no arithmetic, no per-cell
lookups).

The marks are told apart by shape as well as colour, so they hold for colour-blind
readers and in grey print: held one-on-one is a filled square, a small group a striped
square, missed a cross, booked an empty square, a day off a grey hatched column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from conferbook.lib import clock
from conferbook.scheduling.selectors import CoverageGrid

NAME_WIDTH = 168
HEADER_HEIGHT = 46
ROW_HEIGHT = 22
PROMISE_WORDS = 200  # width of "everyone within 5 school days →"
# What each mark says in a cell's label and in the table.
SAID = {
    "one-on-one": "held one-on-one",
    "small group": "held in a small group",
    "missed": "missed (absent)",
    "booked": "booked",
    "off": "day off",
    "": "nothing",
}
# The letter the table writes for each mark (the table is for screen readers and print).
LETTER = {"one-on-one": "1", "small group": "G", "missed": "M", "booked": "B", "off": "off"}
# The class of each filled mark's square (booked: an empty one).
MARK_CLASS = {"one-on-one": "m-one", "small group": "m-group"}


@dataclass(frozen=True)
class Cell:
    x: int
    x2: int  # x + the mark's size
    mark: str  # a CELL_MARKS entry, "off" or ""
    label: str  # "Aaliyah Brooks, Mon 30 Nov: held one-on-one"


@dataclass(frozen=True)
class Row:
    y: int
    y2: int  # y + the mark's size
    text_y: int
    name: str
    overdue: bool
    late: str  # "3 school days late" or ""
    cells: list[Cell]
    letters: list[str]  # the same, for the table

    @property
    def marks_svg(self) -> SafeString:
        """The row's marks as the coverage page draws them. Written here, not by a template
        loop over every cell: a class's grid has more than a thousand cells."""
        size = self.y2 - self.y
        drawn = []
        for cell in self.cells:
            if not cell.mark or cell.mark == "off":
                continue
            if cell.mark == "missed":
                shape = (
                    f'<path class="m-missed" d="M{cell.x} {self.y}L{cell.x2} {self.y2}'
                    f'M{cell.x2} {self.y}L{cell.x} {self.y2}"></path>'
                )
            else:
                css = MARK_CLASS.get(cell.mark, "m-booked")
                shape = (
                    f'<rect class="{css}" x="{cell.x}" y="{self.y}" width="{size}" '
                    f'height="{size}" rx="2"></rect>'
                )
            label = escape(cell.label)
            drawn.append(f'<g class="cell" data-label="{label}"><title>{label}</title>{shape}</g>')
        return mark_safe("".join(drawn))

    @property
    def letters_html(self) -> SafeString:
        """The row's cells of the table (its letters, one per day)."""
        return mark_safe("".join(f"<td>{escape(letter)}</td>" for letter in self.letters))


@dataclass(frozen=True)
class Column:
    x: int
    middle: int
    day: date
    number: str  # "30", or "" when the cells are too narrow to number every day
    month: str  # "Dec" on the first column of a month, else ""
    today: bool
    off: bool
    title: str  # "Mon 30 Nov" (or "Mon 30 Nov, day off: ...")
    heading: str  # "Mon 30 Nov"


@dataclass(frozen=True)
class CoveragePicture:
    width: int
    height: int
    cell: int
    name_width: int
    header: int
    rows: list[Row]
    columns: list[Column]
    promise_x: int | None
    promise_text: str
    summary: str
    body_height: int


def _cell_size(days: int) -> int:
    if days <= 16:
        return 26
    if days <= 30:
        return 18
    if days <= 65:
        return 12
    return 8


def coverage_picture(grid: CoverageGrid) -> CoveragePicture:
    cell = _cell_size(len(grid.days))
    inner = min(cell - 4, ROW_HEIGHT - 6)  # a gap around each mark, across and down
    columns = []
    month = None
    for k, day in enumerate(grid.days):
        x = NAME_WIDTH + k * cell
        title = clock.day_text(day)
        if day in grid.off:
            title += f", day off: {grid.off[day]}" if grid.off[day] else ", day off"
        columns.append(
            Column(
                x=x,
                middle=x + cell // 2,
                day=day,
                number=str(day.day) if cell >= 18 or day.weekday() == 0 else "",
                month=f"{day:%b}" if (day.year, day.month) != month else "",
                today=day == grid.today,
                off=day in grid.off,
                title=title,
                heading=clock.day_text(day),
            )
        )
        month = (day.year, day.month)
    rows = []
    for n, row in enumerate(grid.rows):
        y = HEADER_HEIGHT + n * ROW_HEIGHT
        late = row.standing.school_days_late if row.standing.overdue else 0
        rows.append(
            Row(
                y=y + (ROW_HEIGHT - inner) // 2,
                y2=y + (ROW_HEIGHT - inner) // 2 + inner,
                text_y=y + ROW_HEIGHT - 6,
                name=row.name,
                overdue=row.standing.overdue,
                late=f"{late} school day{'s' if late != 1 else ''} late" if late else "",
                cells=[
                    Cell(
                        x=column.x + 2,
                        x2=column.x + 2 + inner,
                        mark=mark,
                        label=f"{row.name}, {column.title}: {SAID[mark]}",
                    )
                    for column, mark in zip(columns, row.marks, strict=True)
                ],
                letters=[LETTER.get(mark, "") for mark in row.marks],
            )
        )
    promise = grid.promise_column
    body = len(grid.rows) * ROW_HEIGHT
    promise_x = None if promise is None else NAME_WIDTH + promise * cell
    return CoveragePicture(
        # room on the right for the promise's words when its line is near the end
        width=max(NAME_WIDTH + len(grid.days) * cell, (promise_x or 0) + PROMISE_WORDS) + 8,
        height=HEADER_HEIGHT + body + 8,
        cell=inner,
        name_width=NAME_WIDTH,
        header=HEADER_HEIGHT,
        rows=rows,
        columns=columns,
        promise_x=promise_x,
        promise_text=f"everyone within {grid.cycle_days} school day"
        + ("s" if grid.cycle_days != 1 else ""),
        summary=grid.summary(),
        body_height=body,
    )


WEEK_WIDTH = 64
BAR_WIDTH = 30
WEEKS_HEIGHT = 140  # the tallest bar
WEEKS_TOP = 22  # room for the numbers above the bars


@dataclass(frozen=True)
class WeekBar:
    x: int
    middle: int
    label: str  # "23 Nov"
    title: str  # "Week of Mon 23 Nov: 18 one-on-one, 4 in small groups, 25 slots"
    one_y: int
    one_height: int
    group_y: int
    group_height: int
    allowed_y: int
    allowed_height: int
    number_y: int
    one_on_one: int
    small_group: int
    allowed: int


@dataclass(frozen=True)
class WeeksPicture:
    width: int
    height: int
    baseline: int
    bars: list[WeekBar]
    summary: str


def weeks_picture(grid: CoverageGrid) -> WeeksPicture:
    """Conferences held each week (one-on-one, and small-group members striped on top)
    beside an outline of the slots the week's blocks allow."""
    most = max([1] + [max(w.allowed, w.one_on_one + w.small_group) for w in grid.weeks])
    scale = WEEKS_HEIGHT / most
    baseline = WEEKS_TOP + WEEKS_HEIGHT
    bars = []
    for k, week in enumerate(grid.weeks):
        x = 8 + k * WEEK_WIDTH
        one = round(week.one_on_one * scale)
        group = round(week.small_group * scale)
        allowed = round(week.allowed * scale)
        bars.append(
            WeekBar(
                x=x + (WEEK_WIDTH - BAR_WIDTH) // 2,
                middle=x + WEEK_WIDTH // 2,
                label=f"{week.monday.day} {week.monday:%b}",
                title=(
                    f"Week of {clock.day_text(week.monday)}: {week.one_on_one} one-on-one, "
                    f"{week.small_group} in small groups, {week.allowed} slots"
                ),
                one_y=baseline - one,
                one_height=one,
                group_y=baseline - one - group,
                group_height=group,
                allowed_y=baseline - allowed,
                allowed_height=allowed,
                number_y=baseline - max(one + group, allowed) - 6,
                one_on_one=week.one_on_one,
                small_group=week.small_group,
                allowed=week.allowed,
            )
        )
    return WeeksPicture(
        width=16 + len(grid.weeks) * WEEK_WIDTH,
        height=baseline + 22,
        baseline=baseline,
        bars=bars,
        summary=grid.week_summary(),
    )
