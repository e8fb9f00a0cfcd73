"""Where each bar of the goal pictures goes: numbers worked out once here so the SVG
templates stay loops over prepared rows.

Bars differ by fill as well as colour (solid, striped, outlined), so they hold for
colour-blind readers and in grey print.
"""

from __future__ import annotations

from dataclasses import dataclass

from conferbook.board.selectors import LONG_RUNNING_DAYS, GoalPictures

LABEL_WIDTH = 250
LABEL_CHARS = 29  # what fits in LABEL_WIDTH in bold
BAR_ROOM = 360  # the longest bar
ROW = 24
BAR = 16


@dataclass(frozen=True)
class HBar:
    y: int  # top of the row
    bar_y: int
    text_y: int
    label: str
    width: int
    end_x: int  # where the number goes
    number: str
    heading: bool  # a category's row: its name, no bar
    long: bool  # long-running: drawn in the warning colour
    title: str


@dataclass(frozen=True)
class HBars:
    width: int
    height: int
    rows: list[HBar]
    line_x: int | None = None  # a marker line (time on goal: "4 weeks")


@dataclass(frozen=True)
class WeekGroup:
    x: int
    middle: int
    label: str
    title: str
    bars: list[tuple[str, int, int, int]]  # (kind, x, y, height): "set", "met", "set-aside"


@dataclass(frozen=True)
class WeekBars:
    width: int
    height: int
    baseline: int
    groups: list[WeekGroup]


def _unit(most: int) -> float:
    return BAR_ROOM / max(most, 1)


def goals_now(pictures: GoalPictures) -> HBars:
    """Students per goal, under their category's name."""
    board = pictures.board
    most = max([len(c.cards) for cat in board.categories for c in cat.columns], default=1)
    unit = _unit(most)
    rows: list[HBar] = []
    for category in board.categories:
        total = sum(len(c.cards) for c in category.columns)
        rows.append(_row(len(rows), category.category.name, 0, str(total), True, False, ""))
        for column in category.columns:
            count = len(column.cards)
            names = ", ".join(card.student.shown_name for card in column.cards)
            rows.append(
                _row(
                    len(rows),
                    column.goal.name,
                    round(count * unit),
                    str(count),
                    False,
                    False,
                    f"{column.goal.name}: {count} ({names})",
                )
            )
    if board.without_goal:
        count = len(board.without_goal)
        names = ", ".join(card.student.shown_name for card in board.without_goal)
        rows.append(
            _row(
                len(rows),
                "No goal yet",
                round(count * unit),
                str(count),
                False,
                False,
                f"No goal yet: {count} ({names})",
            )
        )
    return HBars(width=LABEL_WIDTH + BAR_ROOM + 48, height=len(rows) * ROW + 8, rows=rows)


def time_on_goal(pictures: GoalPictures) -> HBars:
    """Days on each active goal, longest first; the long-running ones stand out."""
    most = max([c.days_on_goal or 0 for c in pictures.on_goal] + [LONG_RUNNING_DAYS + 7])
    unit = _unit(most)
    rows: list[HBar] = []
    for card in pictures.on_goal:
        days = card.days_on_goal or 0
        goal = card.student_goal.goal.name if card.student_goal else ""
        long = days >= LONG_RUNNING_DAYS
        rows.append(
            _row(
                len(rows),
                f"{card.student.shown_name}: {goal}",
                max(round(days * unit), 1),
                f"{days} day{'s' if days != 1 else ''}",
                False,
                long,
                f"{card.student.shown_name}, {goal}: {days} days on the goal"
                + (" (long-running)" if long else ""),
            )
        )
    return HBars(
        width=LABEL_WIDTH + BAR_ROOM + 72,
        height=len(rows) * ROW + 8,
        rows=rows,
        line_x=LABEL_WIDTH + round(LONG_RUNNING_DAYS * unit),
    )


def _row(
    n: int, label: str, width: int, number: str, heading: bool, long: bool, title: str
) -> HBar:
    y = n * ROW + 4
    return HBar(
        y=y,
        bar_y=y + (ROW - BAR) // 2,
        text_y=y + ROW - 7,
        label=label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…",
        width=width,
        end_x=LABEL_WIDTH + width + 6,
        number=number,
        heading=heading,
        long=long,
        title=title or label,
    )


WEEK = 54
WEEK_BAR = 13
WEEKS_TALL = 120
WEEKS_TOP = 8


def goal_weeks(pictures: GoalPictures) -> WeekBars:
    """Goals set, met and set aside each week."""
    most = max([max(w.set, w.met, w.set_aside) for w in pictures.weeks] + [1])
    scale = WEEKS_TALL / most
    baseline = WEEKS_TOP + WEEKS_TALL
    groups = []
    for k, week in enumerate(pictures.weeks):
        x = 8 + k * WEEK
        bars = []
        for j, (kind, value) in enumerate(
            (("set", week.set), ("met", week.met), ("set-aside", week.set_aside))
        ):
            height = round(value * scale)
            bars.append((kind, x + 6 + j * (WEEK_BAR + 2), baseline - height, height))
        groups.append(
            WeekGroup(
                x=x,
                middle=x + WEEK // 2,
                label=f"{week.monday.day} {week.monday:%b}" if k % 2 == 0 else "",
                title=(
                    f"Week of {week.monday.day} {week.monday:%b}: {week.set} set, "
                    f"{week.met} met, {week.set_aside} set aside"
                ),
                bars=bars,
            )
        )
    return WeekBars(
        width=16 + len(pictures.weeks) * WEEK,
        height=baseline + 22,
        baseline=baseline,
        groups=groups,
    )
