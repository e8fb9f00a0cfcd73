"""The class goals board: the class on a pocket chart of goals.

Reads only, through the other apps' selectors; nothing imports this app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from conferbook.calendar.selectors import span_of_term
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
# From this many days on one goal a student's work on it is long-running (the board's
# "4 weeks or more"): the pictures make it stand out.
LONG_RUNNING_DAYS = _DAY_RANGES["long"][0]


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


@dataclass(frozen=True)
class GoalWeek:
    monday: date
    set: int
    met: int
    set_aside: int


@dataclass(frozen=True)
class GoalPictures:
    """The class's goals to look at: students per goal now, goals set, met and set aside
    each week, and how long each student has been on their goal."""

    board: Board
    weeks: list[GoalWeek]
    on_goal: list[BoardCard]  # one per student and active goal, longest first
    today: date
    term: str = ""  # the school term the weeks are, if a term holds today

    @property
    def with_goal(self) -> int:
        return self.board.students - len(self.board.without_goal)

    @property
    def long_running(self) -> list[BoardCard]:
        return [c for c in self.on_goal if (c.days_on_goal or 0) >= LONG_RUNNING_DAYS]

    def summary_now(self) -> str:
        """ "24 of 29 students have a goal; most work on Elaboration (9), then Structure
        (7)." """
        text = f"{self.with_goal} of {self.board.students} students have a goal"
        counts = sorted(
            (
                (sum(len(c.cards) for c in cat.columns), cat.category.name)
                for cat in self.board.categories
            ),
            key=lambda item: (-item[0], item[1]),
        )
        if counts:
            text += f"; most work on {counts[0][1]} ({counts[0][0]})"
            if len(counts) > 1:
                text += f", then {counts[1][1]} ({counts[1][0]})"
        return text + "."

    def summary_weeks(self) -> str:
        weeks = len(self.weeks)
        set_, met, aside = (
            sum(getattr(w, k) for w in self.weeks) for k in ("set", "met", "set_aside")
        )
        when = self.term or f"the last {weeks} week{'s' if weeks != 1 else ''}"
        return (
            f"In {when}: {set_} goal{'s' if set_ != 1 else ''} set, {met} met, {aside} set aside."
        )

    def summary_time(self) -> str:
        """ "3 students have been on a goal 4 weeks or more: Jo (41 days), ..." (a student
        with two long goals counts once, with the longer)."""
        longest: dict[int, BoardCard] = {}
        for card in self.long_running:  # longest first
            longest.setdefault(card.student.pk, card)
        if not longest:
            return f"Nobody has been on a goal {DAYS_ON_GOAL['long'].lower()}."
        cards = list(longest.values())
        names = [f"{c.student.shown_name} ({c.days_on_goal} days)" for c in cards[:3]]
        more = f" and {len(cards) - 3} more" if len(cards) > 3 else ""
        return (
            f"{len(cards)} student{' has' if len(cards) == 1 else 's have'} been on a goal "
            f"{DAYS_ON_GOAL['long'].lower()}: {', '.join(names)}{more}."
        )


def goal_pictures(
    *, classroom: Classroom, today: date | None = None, weeks: int = 12
) -> GoalPictures:
    """The goal pictures of the class, in the board's queries and two more. The weeks are
    those of the school term that holds today, else the last `weeks`."""
    today = today or timezone.localdate()
    board = board_for(classroom=classroom, today=today)
    cards = [card for cat in board.categories for col in cat.columns for card in col.cards]
    students = {card.student.pk for card in [*cards, *board.without_goal]}
    this_monday = today - timedelta(days=today.weekday())
    span = span_of_term(today=today, weeks=weeks)
    if span.term is not None:
        first_monday = span.start - timedelta(days=span.start.weekday())
        weeks = (this_monday - first_monday).days // 7 + 1
    mondays = [this_monday - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    counts = {monday: {"set": 0, "met": 0, "set_aside": 0} for monday in mondays}
    changes = StudentGoal.objects.filter(student_id__in=students).filter(
        Q(set_on__gte=mondays[0]) | Q(closed_on__gte=mondays[0])
    )
    for set_on, closed_on, status in changes.values_list("set_on", "closed_on", "status"):
        monday = set_on - timedelta(days=set_on.weekday())
        if monday in counts:
            counts[monday]["set"] += 1
        if closed_on and status in (StudentGoal.Status.MET, StudentGoal.Status.SET_ASIDE):
            monday = closed_on - timedelta(days=closed_on.weekday())
            if monday in counts:
                counts[monday][status] += 1
    return GoalPictures(
        board=board,
        weeks=[GoalWeek(monday, **counts[monday]) for monday in mondays],
        on_goal=sorted(cards, key=lambda c: (-(c.days_on_goal or 0), c.student.shown_name)),
        today=today,
        term=span.label if span.term else "",
    )
