"""The class goals board: the class on a pocket chart of goals.

Reads only, through the other apps' selectors; nothing imports this app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from conferbook.conferences.selectors import ClassRow, class_rows
from conferbook.goals.models import Goal, GoalCategory, StudentGoal
from conferbook.roster.models import Classroom, Student

# How long students have worked on the goal: the board's "days on goal" filter.
DAYS_ON_GOAL = {
    "": "Any time",
    "new": "Under 2 weeks",
    "settled": "2 to 4 weeks",
    "long": "4 weeks or more",
}
_DAY_RANGES = {"new": (0, 13), "settled": (14, 27), "long": (28, None)}


@dataclass(frozen=True)
class BoardCard:
    """One student in one column: the goal, how long, and the other goal when there are two."""

    row: ClassRow
    student_goal: StudentGoal | None  # None in the "no goal yet" column
    days_on_goal: int | None
    other_goal: StudentGoal | None

    @property
    def student(self) -> Student:
        return self.row.student


@dataclass(frozen=True)
class BoardColumn:
    goal: Goal
    cards: list[BoardCard]


@dataclass(frozen=True)
class BoardCategory:
    category: GoalCategory
    columns: list[BoardColumn]


@dataclass(frozen=True)
class Board:
    categories: list[BoardCategory]  # in the goal library's order
    without_goal: list[BoardCard]
    categories_in_use: list[GoalCategory]  # for the category filter, whatever is filtered
    students: int  # active students of the class
    shown: int  # students on the board after the filters
    filtered: bool  # a filter left students off

    @property
    def columns(self) -> int:
        return sum(len(c.columns) for c in self.categories)


def _matches_days(days: int | None, wanted: str) -> bool:
    if wanted not in _DAY_RANGES:
        return True
    low, high = _DAY_RANGES[wanted]
    return days is not None and days >= low and (high is None or days <= high)


def board_for(
    *,
    classroom: Classroom,
    category_id: int | None = None,
    days: str = "",
    overdue_only: bool = False,
    today: date | None = None,
) -> Board:
    """The class as a goals chart, in the fixed number of queries of `class_rows`.

    One column per goal in use, grouped by category in the library's order; a card per
    student with an active goal, in name order; a student with two goals is in both
    columns, each card naming the other goal. Students with no active goal have a column of
    their own. The filters keep a category's columns (a category no one works on is
    ignored), students on their goal for a while (`days`, a key of DAYS_ON_GOAL), and
    students overdue for a conference.
    """
    today = today or timezone.localdate()
    rows = class_rows(classroom=classroom, sort="name")
    in_use = {sg.goal.category_id for row in rows for sg in row.active_goals}
    if category_id not in in_use:
        category_id = None
    days = days if days in _DAY_RANGES else ""
    columns: dict[int, BoardColumn] = {}
    categories: dict[int, GoalCategory] = {}
    without: list[BoardCard] = []
    shown: set[int] = set()
    for row in rows:
        for sg in row.active_goals:
            categories.setdefault(sg.goal.category_id, sg.goal.category)
        if overdue_only and not row.overdue:
            continue
        if not row.active_goals:
            if category_id is None and not days:
                without.append(BoardCard(row, None, None, None))
                shown.add(row.student.pk)
            continue
        for sg in row.active_goals:
            goal = sg.goal
            on_goal = (today - sg.set_on).days
            if category_id is not None and goal.category_id != category_id:
                continue
            if not _matches_days(on_goal, days):
                continue
            other = next((o for o in row.active_goals if o.pk != sg.pk), None)
            columns.setdefault(goal.pk, BoardColumn(goal, [])).cards.append(
                BoardCard(row, sg, on_goal, other)
            )
            shown.add(row.student.pk)
    ordered = sorted(
        columns.values(),
        key=lambda c: (c.goal.category.position, c.goal.category_id, c.goal.position, c.goal.pk),
    )
    grouped: list[BoardCategory] = []
    for column in ordered:
        if not grouped or grouped[-1].category.pk != column.goal.category_id:
            grouped.append(BoardCategory(column.goal.category, []))
        grouped[-1].columns.append(column)
    return Board(
        categories=grouped,
        without_goal=without,
        categories_in_use=sorted(categories.values(), key=lambda c: (c.position, c.pk)),
        students=len(rows),
        shown=len(shown),
        filtered=bool(category_id is not None or days or overdue_only),
    )
