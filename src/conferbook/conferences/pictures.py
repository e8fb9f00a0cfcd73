"""Where each mark of a student's progress timeline goes: numbers worked out once here so
the SVG template stays loops over prepared rows.

Lanes from top to bottom: goals (a bar from set to met or set aside), conferences (a
filled square one-on-one, a striped square in a small group, a cross missed), task
reviews (a full, half or empty circle for done, partly, not yet) and stickers (a star).
Shapes tell them apart without colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from conferbook.conferences.models import Conference
from conferbook.conferences.selectors import Progress, ProgressMark
from conferbook.goals.models import Rating, StudentGoal
from conferbook.lib import clock

# The weeks a student's progress picture shows, on the page and in print.
PROGRESS_WEEKS = 12
LEFT = 120  # the lanes' names
PLOT = 560  # the width of the term (the whole picture fits a tablet held upright)
CHAR = 6.6  # about how wide a character of a goal's name is drawn
LANE = 26
MARK = 12
GOAL_ENDS: dict[str, str] = {
    StudentGoal.Status.MET: "met",
    StudentGoal.Status.SET_ASIDE: "set-aside",
}
RATING_WORDS: dict[str, str] = {r.value: f"“{r.label}”" for r in Rating}
REVIEW_WORDS: dict[str, str] = {
    Conference.TaskReview.DONE: "task done",
    Conference.TaskReview.PARTLY: "task partly done",
    Conference.TaskReview.NOT_YET: "task not yet done",
}


@dataclass(frozen=True)
class GoalBar:
    x: int
    y: int
    width: int
    text_y: int
    label: str
    label_x: int
    anchor: str  # "start", or "end" when the name would run past the picture
    status: str  # "active", "met", "set-aside"
    title: str


@dataclass(frozen=True)
class Mark:
    x: int
    x2: int
    y: int
    y2: int
    middle: int
    kind: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: int
    label: str


@dataclass(frozen=True)
class Lane:
    name: str
    text_y: int
    line_y: int


@dataclass(frozen=True)
class ChecklistRow:
    """A self-assessment line: its words, then its answers joined by a line."""

    text_x: int
    text_y: int
    text: str
    y: int  # the answers' top
    x1: int  # the joining line, from the first answer to the last
    x2: int
    answers: list[Mark]


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    goals: list[GoalBar]
    conferences: list[Mark]
    reviews: list[Mark]
    stickers: list[Mark]
    ticks: list[Tick]
    lanes: list[Lane]
    top: int
    summary: str
    checklist: list[ChecklistRow] = field(default_factory=list)


def timeline(progress: Progress) -> Timeline:
    days = max((progress.end - progress.start).days, 1)

    def x_of(day: date) -> int:
        day = min(max(day, progress.start), progress.end)
        return LEFT + round((day - progress.start).days * PLOT / days)

    top = 24
    goals = []
    for n, goal in enumerate(progress.goals):
        y = top + n * LANE
        start = x_of(goal.set_on)
        end = x_of(goal.closed_on or progress.end)
        status = GOAL_ENDS.get(goal.status, "active")
        ended = (
            f", {'met' if status == 'met' else 'set aside'} {clock.day_text(goal.closed_on)}"
            if goal.closed_on
            else ", still working on it"
        )
        label = ("✓ " if status == "met" else "") + (
            goal.name if len(goal.name) <= 40 else goal.name[:39] + "…"
        )
        fits = start + 4 + len(label) * CHAR <= LEFT + PLOT + 12
        goals.append(
            GoalBar(
                x=start,
                y=y + 4,
                width=max(end - start, 4),
                text_y=y + 17,
                label=label,
                label_x=start + 4 if fits else max(end, start + 4) - 4,
                anchor="start" if fits else "end",
                status=status,
                title=f"{goal.name}: set {clock.day_text(goal.set_on)}{ended}",
            )
        )
    lane_y = top + max(len(progress.goals), 1) * LANE + 8
    lanes = [Lane("Goals", top + 17, top - 4)]

    def marks(items: Sequence[ProgressMark], y: int, words: Callable[[str], str]) -> list[Mark]:
        found = []
        for item in items:
            x = x_of(item.day)
            found.append(
                Mark(
                    x=x - MARK // 2,
                    x2=x + MARK // 2,
                    y=y,
                    y2=y + MARK,
                    middle=x,
                    kind=item.kind,
                    title=f"{clock.day_text(item.day)}: {words(item.kind)}",
                )
            )
        return found

    rows = []
    lanes_to_draw: tuple[tuple[str, list[ProgressMark], Callable[[str], str]], ...] = (
        ("Conferences", progress.conferences, _conference_words),
        ("Task review", progress.reviews, lambda kind: REVIEW_WORDS.get(kind, kind)),
        ("Stickers", progress.stickers, lambda kind: f"sticker for {kind}"),
    )
    for name, items, words in lanes_to_draw:
        lanes.append(Lane(name, lane_y + MARK, lane_y - 6))
        rows.append(marks(items, lane_y + 2, words))
        lane_y += LANE + 6
    checklist = []
    if progress.lines:
        lanes.append(Lane("Checklist", lane_y + MARK, lane_y - 6))
        for line in progress.lines:
            answers = marks(line.answers, lane_y + 16, lambda kind: RATING_WORDS.get(kind, kind))
            checklist.append(
                ChecklistRow(
                    text_x=LEFT,
                    text_y=lane_y + 10,
                    text=line.text if len(line.text) <= 80 else line.text[:79] + "…",
                    y=lane_y + 16,
                    x1=answers[0].middle,
                    x2=answers[-1].middle,
                    answers=[
                        Mark(a.x, a.x2, a.y, a.y2, a.middle, a.kind, f"{line.text}: {a.title}")
                        for a in answers
                    ],
                )
            )
            lane_y += LANE + 14
    ticks = []
    monday = progress.start + timedelta(days=(7 - progress.start.weekday()) % 7)
    while monday <= progress.end:
        ticks.append(Tick(x_of(monday), f"{monday.day} {monday:%b}"))
        monday += timedelta(weeks=2)
    return Timeline(
        width=LEFT + PLOT + 16,
        height=lane_y + 20,
        goals=goals,
        conferences=rows[0],
        reviews=rows[1],
        stickers=rows[2],
        ticks=ticks,
        lanes=lanes,
        top=top,
        summary=progress.summary(),
        checklist=checklist,
    )


def _conference_words(kind: str) -> str:
    return {"one-on-one": "held one-on-one", "small group": "held in a small group"}.get(
        kind, "missed (absent)"
    )
