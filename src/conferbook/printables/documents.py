"""The PDFs a teacher prints, built from the teacher's own data.

Each function reads through the other apps' teacher-scoped selectors, turns rows into the
plain data of `pdf.py` and `pages.py`, and returns a `Document`. Views and the command
line both call these, so a PDF is the same wherever it is asked for. Every class-wide
document reads in a fixed number of queries, whatever the class size.
"""

from __future__ import annotations

import gc
import zipfile
from calendar import day_name
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from itertools import pairwise
from typing import Any

from django.db.models import Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from conferbook.accounts.models import User
from conferbook.calendar.models import SchoolDay
from conferbook.calendar.selectors import MOST_TERM_WEEKS, calendar_for
from conferbook.conferences.models import Conference
from conferbook.conferences.pictures import timeline
from conferbook.conferences.selectors import (
    Progress,
    conferences_seen_by,
    progress_of,
    start_of_today,
)
from conferbook.goals.models import (
    PHOTO_BYTES_OF_SPOT,
    Checklist,
    ChecklistItem,
    Goal,
    GoalCategory,
    PageSpot,
    Strength,
    StudentGoal,
)
from conferbook.goals.selectors import goals_for
from conferbook.groups.models import SmallGroup
from conferbook.lib import clock
from conferbook.lib.grades import band_for, grade_number
from conferbook.lib.sheets import Paper, Sheet
from conferbook.printables import pages, pdf
from conferbook.printables.pictures import coverage_drawing, timeline_drawing
from conferbook.printables.spans import Period, this_term
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import students_in
from conferbook.scheduling.models import GroupAppointment
from conferbook.scheduling.pictures import coverage_picture
from conferbook.scheduling.selectors import (
    appointments_on,
    coverage_grid,
    first_of_next_month,
    month_weeks,
    two_cycles,
)
from conferbook.web.http import file_part

HELD = Conference.Status.HELD
BY_CATEGORY = "categories"  # see `checklists`
SCHEDULED = Conference.Status.SCHEDULED
ACTIVE = StudentGoal.Status.ACTIVE


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


@dataclass(frozen=True)
class Bundle:
    """A document too long to hold at once: a zip file sent piece by piece as each
    student's PDF is made (`chunks` reads as it goes: iterate it once)."""

    filename: str
    chunks: Iterator[bytes]


def _name(text: str, *parts: str) -> str:
    return "-".join(file_part(p, "conferbook") for p in (text, *parts)) + ".pdf"


def _when(at: datetime | None) -> str:
    return clock.long_when_text(timezone.localtime(at)) if at else ""


def _day(day: date | datetime) -> str:
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return date_format(day, "j M Y")


# ----------------------------------------------------------------------------------------
# Reading the rows for many students at once.


class NothingToPrint(Exception):
    """The choice leaves nothing to print; the message says why, in plain words."""


REPORT_PLACES = 2  # places to lift the level on a family report: the page must hold them


def _nobody(classroom: Classroom) -> NothingToPrint:
    return NothingToPrint(
        f"There are no students in {classroom.name} yet: add them on the class page first."
    )


def _students(classroom: Classroom, only: Iterable[int] | None = None) -> list[Student]:
    # A student named on purpose is printed even after leaving the class list.
    students = students_in(classroom=classroom, include_archived=only is not None)
    if only is not None:
        students = students.filter(pk__in=list(only))
    found = list(students.order_by("first_name", "last_name", "pk"))
    if not found:
        raise (
            _nobody(classroom)
            if only is None
            else NothingToPrint("Nobody to print for: the students chosen are not in this class.")
        )
    return found


def _active_goals(students: Sequence[Student]) -> dict[int, list[StudentGoal]]:
    """Active goals per student, oldest first (the one worked on longest leads)."""
    by_student: dict[int, list[StudentGoal]] = defaultdict(list)
    for student_goal in (
        StudentGoal.objects.filter(student__in=students, status=ACTIVE)
        .select_related("goal", "goal__category")
        .order_by("set_on", "pk")
    ):
        by_student[student_goal.student_id].append(student_goal)
    return by_student


def _latest_held(
    teacher: User, classroom: Classroom | None, students: Sequence[Student]
) -> dict[int, Conference]:
    """Each student's most recent held conference (in `classroom`, or any of the teacher's):
    one grouped read of the last end time per student (no subquery per student), then
    those conferences (the newest row should two end at the same moment)."""
    held = conferences_seen_by(user=teacher).filter(
        student__in=[s.pk for s in students], status=HELD, ended_at__isnull=False
    )
    if classroom is not None:
        held = held.filter(classroom=classroom)
    last = held.values("student").annotate(at=Max("ended_at")).values_list("student", "at")
    wanted = Q(pk__in=[])
    for student_id, at in last:
        wanted |= Q(student_id=student_id, ended_at=at)
    latest: dict[int, Conference] = {}
    for conference in (
        held.filter(wanted)
        .select_related("student_goal__goal", "strategy", "group_conference__strategy")
        .order_by("student_id", "-pk")
    ):
        latest.setdefault(conference.student_id, conference)
    return latest


def _next_booked(
    teacher: User, classroom: Classroom | None, students: Sequence[Student]
) -> dict[int, datetime]:
    booked = conferences_seen_by(user=teacher).filter(
        student__in=students, status=SCHEDULED, scheduled_for__gte=start_of_today()
    )
    if classroom is not None:
        booked = booked.filter(classroom=classroom)
    return {
        row["student"]: row["at"]
        for row in booked.values("student").annotate(at=Min("scheduled_for"))
    }


# ----------------------------------------------------------------------------------------
# Appointment cards.


def _card(
    student: Student,
    goals: list[StudentGoal],
    last: Conference | None,
    booked: datetime | None,
) -> pdf.Card:
    worked_on = last.student_goal if last and last.student_goal in goals else None
    student_goal = worked_on or (goals[0] if goals else None)
    goal = student_goal.goal if student_goal else None
    taught = last.shared.strategy if last and worked_on else None
    return pdf.Card(
        name=student.shown_name,
        when=_when(booked),
        goal=goal.student_words if goal else "",
        strategy=taught.name if taught else "",
        task=last.student_task if last else "",
        icon=goal.clue_icon if goal else "",
        clue_words=goal.clue_words if goal else "",
    )


def cards(
    *,
    teacher: User,
    classroom: Classroom,
    sheet: Sheet,
    student_ids: Iterable[int] | None = None,
    start_at: int = 0,
    label: str = "cards",
    group: SmallGroup | None = None,
) -> Document:
    """Appointment cards for the class's students (or the ones named), in name order.

    With a small `group`, a card names the group's next meeting when it is booked."""
    students = _students(classroom, student_ids)
    goals = _active_goals(students)
    latest = _latest_held(teacher, classroom, students)
    booked = _next_booked(teacher, classroom, students)
    if group is not None:
        meeting = (
            GroupAppointment.objects.filter(group=group, scheduled_for__gte=timezone.now())
            .order_by("scheduled_for")
            .values_list("scheduled_for", flat=True)
            .first()
        )
        if meeting is not None:
            booked = {s.pk: meeting for s in students}
    content = pdf.card_sheet(
        cards=[_card(s, goals[s.pk], latest.get(s.pk), booked.get(s.pk)) for s in students],
        sheet=sheet,
        start_at=start_at,
    )
    return Document(_name(classroom.name, label), content)


def todays_student_ids(*, classroom: Classroom, day: date | None = None) -> list[int]:
    """The students on today's list: seen, under way or still to come."""
    day = day or timezone.localdate()
    return list(appointments_on(classroom=classroom, day=day).values_list("student_id", flat=True))


# ----------------------------------------------------------------------------------------
# Stickers and desk strips.


def goal_stickers(
    *, counts: Sequence[tuple[Goal, int]], sheet: Sheet, start_at: int = 0, title: str
) -> Document:
    """`count` stickers of each goal, in the order given."""
    stickers = [
        pdf.Sticker(words=goal.clue_words or goal.name, icon=goal.clue_icon)
        for goal, count in counts
        for _ in range(count)
    ]
    return Document(
        _name(title, "stickers"),
        pdf.sticker_sheet(stickers=stickers, sheet=sheet, start_at=start_at),
    )


def own_stickers(
    *,
    classroom: Classroom,
    sheet: Sheet,
    each: int,
    student_ids: Iterable[int] | None = None,
    start_at: int = 0,
) -> Document:
    """`each` stickers of every active goal of every student, with the student's name."""
    students = _students(classroom, student_ids)
    goals = _active_goals(students)
    stickers = [
        pdf.Sticker(
            words=sg.goal.clue_words or sg.goal.name, icon=sg.goal.clue_icon, caption=s.shown_name
        )
        for s in students
        for sg in goals[s.pk]
        for _ in range(each)
    ]
    if not stickers:
        raise NothingToPrint(
            "No sticker to print: set a goal first, or print chosen goals instead."
            if len(students) == 1
            else "No sticker to print: none of these students has a goal yet."
        )
    label = students[0].shown_name if student_ids is not None and len(students) == 1 else "own"
    return Document(
        _name(classroom.name, label, "stickers"),
        pdf.sticker_sheet(stickers=stickers, sheet=sheet, start_at=start_at),
    )


def strips(
    *, classroom: Classroom, sheet: Sheet, student_ids: Iterable[int] | None = None
) -> Document:
    """A desk strip per student: name and active goals with their picture clues."""
    students = _students(classroom, student_ids)
    goals = _active_goals(students)
    content = pdf.strip_sheet(
        strips=[
            pdf.DeskStrip(
                name=s.shown_name,
                goals=[
                    pdf.StripGoal(sg.goal.student_words, sg.goal.clue_icon, sg.goal.clue_words)
                    for sg in goals[s.pk]
                ],
            )
            for s in students
        ],
        sheet=sheet,
    )
    return Document(_name(classroom.name, "desk-strips"), content)


# ----------------------------------------------------------------------------------------
# The two-column chart and the binder.


def _goal_lines(student_goals: Iterable[StudentGoal]) -> list[pages.GoalLine]:
    lines = []
    for sg in student_goals:
        status = ""
        if sg.status != ACTIVE:
            verb = "met" if sg.status == StudentGoal.Status.MET else "set aside"
            status = f"{verb} {_day(sg.closed_on)}" if sg.closed_on else verb
        lines.append(pages.GoalLine(sg.goal.student_words, _day(sg.set_on), status))
    return lines


def _all_goals(
    students: Sequence[Student], period: Period | None = None
) -> dict[int, list[StudentGoal]]:
    """Each student's goals worked on in `period` (set before its end and not closed before
    its start: a goal still active is one), or every goal; active ones first, then the
    history, newest first."""
    goals = StudentGoal.objects.filter(student__in=students)
    if period is not None and period.start is not None and period.end is not None:
        goals = goals.filter(set_on__lte=period.end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
        )
    by_student: dict[int, list[StudentGoal]] = defaultdict(list)
    for sg in goals.select_related("goal").order_by("-set_on", "-pk"):
        by_student[sg.student_id].append(sg)
    for found in by_student.values():
        found.sort(key=lambda sg: sg.status != ACTIVE)
    return by_student


def _held_rows(
    teacher: User,
    classroom: Classroom | None,
    students: Sequence[Student],
    period: Period | None = None,
) -> QuerySet[Conference]:
    """Held conferences of the students, ended in `period` (by the school's clock)."""
    held = conferences_seen_by(user=teacher).filter(student__in=students, status=HELD)
    if classroom is not None:
        held = held.filter(classroom=classroom)
    since, until = period.moments() if period is not None else (None, None)
    if since is not None and until is not None:
        held = held.filter(ended_at__gte=since, ended_at__lt=until)
    return held.select_related("student_goal__goal", "group_conference")


def _held(
    teacher: User,
    classroom: Classroom | None,
    students: Sequence[Student],
    period: Period | None = None,
) -> dict[int, list[Conference]]:
    """Held conferences per student (in `period`, or ever), oldest first."""
    by_student: dict[int, list[Conference]] = defaultdict(list)
    for conference in _held_rows(teacher, classroom, students, period).order_by("ended_at", "pk"):
        by_student[conference.student_id].append(conference)
    return by_student


def _chart(
    student: Student,
    classroom_name: str,
    goals: list[StudentGoal],
    held: list[Conference],
    progress: Progress | None = None,
    covers: str = "",
) -> pages.Chart:
    return pages.Chart(
        name=student.shown_name,
        classroom=classroom_name,
        covers=covers,
        goals=_goal_lines(goals),
        **_picture_of(progress),
        rows=[
            pages.ChartRow(
                _day(c.ended_at) if c.ended_at else "",
                _discussed(c),
                c.student_task,
            )
            for c in held
        ],
    )


def _discussed(conference: Conference) -> str:
    """The chart's left column; a small-group conference says so and whom it was with."""
    meeting = conference.group_conference
    if meeting is None:
        return conference.discussed
    with_whom = f"Small group “{meeting.name}”."
    return f"{with_whom} {meeting.discussed}".strip()


def binder(
    *,
    teacher: User,
    classroom: Classroom,
    paper: Paper,
    student_ids: Iterable[int] | None = None,
    period: Period | None = None,
) -> Document | Bundle:
    """The two-column chart of every student (or the ones named), one student to a page,
    with the conferences and goals of `period` (this term unless told).

    A whole class over a `long` period is a `Bundle`: one PDF per student, each made and
    sent before the next is read, so the server holds one student's chart at a time. Both
    read in a fixed number of queries, whatever the class size and its history."""
    period = period or this_term(timezone.localdate())
    students = _students(classroom, student_ids)
    if student_ids is None and period.long:
        return _binder_bundle(teacher, classroom, paper, students, period)
    goals = _all_goals(students, period)
    held = _held(teacher, classroom, students, period)
    progress = _progress(teacher, students, period)
    covers = period.line()
    charts = [
        _chart(s, classroom.name, goals[s.pk], held[s.pk], progress[s.pk], covers) for s in students
    ]
    label = students[0].shown_name if student_ids is not None and len(students) == 1 else "binder"
    return Document(
        _name(classroom.name, label, "chart" if label != "binder" else ""),
        pages.chart_pdf(charts=charts, paper=paper),
    )


class _Pipe:
    """Where the zip file is written as it is made: what was written since the last
    `take()`. Not seekable, so zipfile writes each member's sizes after its data."""

    def __init__(self) -> None:
        self.written: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.written.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.written = b"".join(self.written), []
        return data


# Conferences read at a time for a long binder: about one student's two years.
BUNDLE_ROWS = 100


def _binder_bundle(
    teacher: User, classroom: Classroom, paper: Paper, students: list[Student], period: Period
) -> Bundle:
    """The class binder as a zip of one PDF per student, numbered in name order.

    Goals and the picture's weeks (at most MOST_TERM_WEEKS) are read for the class at once;
    the conferences, the long part, come through one cursor in the students' order
    (`_students`), BUNDLE_ROWS at a time, and each student's are let go once their PDF is
    written."""
    zone, convention = timezone.get_current_timezone(), clock.active()
    digits = len(str(len(students)))

    def chunks() -> Iterator[bytes]:
        # Sent after the view has returned: the school's clock and zone are set again here.
        was = clock.active()
        clock.activate(convention)
        try:
            with timezone.override(zone):
                yield from zipped()
        finally:
            clock.activate(was)

    def zipped() -> Iterator[bytes]:
        goals = _all_goals(students, period)
        progress = _progress(teacher, students, period)
        covers = period.line()
        rows = (
            _held_rows(teacher, classroom, students, period)
            .order_by("student__first_name", "student__last_name", "student_id", "ended_at", "pk")
            .iterator(chunk_size=BUNDLE_ROWS)
        )
        pipe = _Pipe()
        with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            waiting = next(rows, None)
            for number, student in enumerate(students, start=1):
                held: list[Conference] = []
                while waiting is not None and waiting.student_id == student.pk:
                    held.append(waiting)
                    waiting = next(rows, None)
                chart = _chart(
                    student, classroom.name, goals[student.pk], held, progress[student.pk], covers
                )
                archive.writestr(
                    f"{number:0{digits}d}-{_name(student.shown_name, 'chart')}",
                    pages.chart_pdf(charts=[chart], paper=paper),
                )
                # reportlab's document, canvas and fonts point at each other: without this
                # each chart made would wait for a full collection, and they pile up. The
                # young generations hold them, so this costs next to nothing.
                gc.collect(1)
                if data := pipe.take():
                    yield data
        if data := pipe.take():
            yield data

    return Bundle(_name(classroom.name, "binder").removesuffix(".pdf") + ".zip", chunks())


# ----------------------------------------------------------------------------------------
# Monthly calendar pages.


def calendar(*, classroom: Classroom, first: date, months: int, paper: Paper) -> Document:
    """The class's appointments written into one page per month."""
    rendered = []
    month = first.replace(day=1)
    for _ in range(months):
        following = first_of_next_month(month)
        days = {
            d.day: d
            for d in SchoolDay.objects.filter(
                classroom=classroom, day__gte=month, day__lt=following
            )
        }
        weeks = []
        for week in month_weeks(classroom=classroom, first=month):
            if not any(week):  # a week whose school days all fall in the next month
                continue
            cells: list[pages.DayCell | None] = []
            for column in week:
                if column is None:
                    cells.append(None)
                    continue
                timed = [
                    (
                        c.scheduled_for,
                        f"{clock.time_text(timezone.localtime(c.scheduled_for))} "
                        f"{c.student.shown_name} {c.student.last_name[:1]}".strip()
                        + (" (reading)" if c.kind == Conference.Kind.READING else ""),
                    )
                    for c in column.conferences
                    if c.scheduled_for
                ]
                timed += [
                    (
                        g.scheduled_for,
                        f"{clock.time_text(timezone.localtime(g.scheduled_for))} "
                        f"Group: {g.group.name}",
                    )
                    for g in column.groups
                ]
                lines = [text for _, text in sorted(timed, key=lambda pair: pair[0])]
                note = ""
                if entry := days.get(column.day):
                    if entry.closed:
                        note = entry.note or "No school"
                    elif entry.ends_at:
                        note = f"Short day, until {clock.time_text(entry.ends_at)}"
                cells.append(pages.DayCell(column.day.day, lines, note))
            weeks.append(cells)
        rendered.append(
            pages.Month(
                title=date_format(month, "F Y"),
                classroom=classroom.name,
                weekdays=[day_name[d] for d in classroom.school_weekdays],
                weeks=weeks,
            )
        )
        month = following
    return Document(
        _name(classroom.name, date_format(first, "Y-m"), "calendar"),
        pages.calendar_pdf(months=rendered, paper=paper),
    )


# ----------------------------------------------------------------------------------------
# The class goals chart.


def poster(*, classroom: Classroom, paper: Paper) -> Document:
    """Each goal in use with the students working on it, in the library's order."""
    students = _students(classroom)
    goals = _active_goals(students)
    by_goal: dict[int, tuple[Goal, list[str]]] = {}
    without: list[str] = []
    for student in students:
        if not goals[student.pk]:
            without.append(student.shown_name)
        for sg in goals[student.pk]:
            by_goal.setdefault(sg.goal_id, (sg.goal, []))[1].append(student.shown_name)
    ordered = sorted(
        by_goal.values(),
        key=lambda entry: (entry[0].category.position, entry[0].position, entry[0].pk),
    )
    boxes = [pages.PosterGoal(goal.student_words, goal.clue_icon, names) for goal, names in ordered]
    if without:
        boxes.append(pages.PosterGoal("Choosing a goal next", "", without))
    return Document(
        _name(classroom.name, "goals-chart", paper.key),
        pages.poster_pdf(title=f"Our writing goals: {classroom.name}", goals=boxes, paper=paper),
    )


# ----------------------------------------------------------------------------------------
# Self-assessment checklists.


def checklist_goals(*, teacher: User, category_ids: Iterable[int]) -> QuerySet[Goal]:
    return (
        goals_for(teacher=teacher)
        .filter(category_id__in=list(category_ids))
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )


def checklists(
    *,
    teacher: User,
    classroom: Classroom,
    paper: Paper,
    checklist: str = BY_CATEGORY,
    category_ids: Iterable[int] | None = None,
    student_ids: Iterable[int] | None = None,
) -> Document:
    """One self-assessment checklist per student, the student's active goals highlighted.

    `checklist` is a genre ("narrative": the built-in narrative checklist of each student's
    grade band), the key of one built-in checklist ("opinion-6-8") for everyone, or
    "categories": a checklist built from the goals of the chosen categories (see
    `_category_checklists`). A fixed number of queries whatever the class size.
    """
    students = _students(classroom, student_ids)
    goals = _active_goals(students)
    if checklist == BY_CATEGORY:
        rendered = _category_checklists(teacher, students, goals, category_ids)
    else:
        rendered = _built_in_checklists(students, goals, checklist)
    label = students[0].shown_name if student_ids is not None and len(students) == 1 else "class"
    return Document(
        _name(classroom.name, label, "checklist"),
        pages.checklist_pdf(checklists=rendered, paper=paper),
    )


def _built_in_checklists(
    students: Sequence[Student], goals: dict[int, list[StudentGoal]], wanted: str
) -> list[pages.Checklist]:
    """Each student's built-in checklist; their active goals not on it come after, as "My
    goals", so what they work on is always on the page."""
    built_in = list(
        Checklist.objects.prefetch_related(
            Prefetch("items", queryset=ChecklistItem.objects.select_related("goal"))
        )
    )
    by_key = {c.key: c for c in built_in}
    by_genre_band = {(c.genre, c.band): c for c in built_in}
    rendered = []
    for student in students:
        chosen = by_key.get(wanted) or by_genre_band.get(
            (wanted, band_for(student.grade) or Checklist.Band.G3_5)
        )
        if chosen is None:
            raise NothingToPrint(
                "The built-in checklists are missing: run `conferbook manage loadlibrary`."
            )
        mine = {sg.goal_id for sg in goals[student.pk]}
        items = list(chosen.items.all())
        sections = [
            (
                f"{chosen.get_genre_display()} writing, grades {chosen.get_band_display()}",
                [pages.ChecklistItem(i.text, i.goal.clue_icon, i.goal_id in mine) for i in items],
            )
        ]
        on_it = {i.goal_id for i in items}
        extra = [
            pages.ChecklistItem(
                sg.goal.checklist_item or sg.goal.student_words, sg.goal.clue_icon, True
            )
            for sg in goals[student.pk]
            if sg.goal_id not in on_it
        ]
        if extra:
            sections.append(("My goals", extra))
        rendered.append(
            pages.Checklist(name=student.shown_name, title=chosen.name, sections=sections)
        )
    return rendered


def _category_checklists(
    teacher: User,
    students: Sequence[Student],
    goals: dict[int, list[StudentGoal]],
    category_ids: Iterable[int] | None,
) -> list[pages.Checklist]:
    """Checklists built from the goals of the chosen categories.

    Without a choice, each student's checklist holds the categories of their active goals
    (every category when they have none). A student's grade, when known, leaves out goals
    meant for other grades; the student's own active goals are always in and highlighted.
    """
    chosen = set(category_ids or [])
    every_category = {c.pk for c in GoalCategory.objects.filter(Q(owner=None) | Q(owner=teacher))}
    wanted = chosen or every_category
    library = list(checklist_goals(teacher=teacher, category_ids=wanted))
    library_ids = {goal.pk for goal in library}
    rendered = []
    for student in students:
        mine = {sg.goal_id for sg in goals[student.pk]}
        categories = chosen or {sg.goal.category_id for sg in goals[student.pk]} or every_category
        grade = grade_number(student.grade)
        sections: dict[int, tuple[str, list[pages.ChecklistItem]]] = {}
        included: set[int] = set()
        # The student's own goals are always in, even when hidden from the library since.
        extra = [sg.goal for sg in goals[student.pk] if sg.goal_id not in library_ids]
        for goal in [*library, *extra]:
            if goal.pk not in mine:
                if goal.category_id not in categories:
                    continue
                if grade is not None and not goal.grade_low <= grade <= goal.grade_high:
                    continue
            if goal.pk in included:
                continue
            included.add(goal.pk)
            sections.setdefault(goal.category_id, (goal.category.name, []))[1].append(
                pages.ChecklistItem(
                    goal.checklist_item or goal.student_words, goal.clue_icon, goal.pk in mine
                )
            )
        rendered.append(
            pages.Checklist(
                name=student.shown_name,
                title="My writing checklist",
                sections=list(sections.values()),
            )
        )
    return rendered


# ----------------------------------------------------------------------------------------
# The parent-teacher conference report.


def _strengths(students: Sequence[Student], until: date | None = None) -> dict[int, list[Strength]]:
    """Each student's strengths noted by `until` (all of them without), newest first, with
    the cut-outs marked as their evidence."""
    strengths = Strength.objects.filter(student__in=students)
    if until is not None:
        strengths = strengths.filter(noted_on__lte=until)
    by_student: dict[int, list[Strength]] = defaultdict(list)
    for strength in strengths.select_related("sample").prefetch_related(
        Prefetch("spots", queryset=PageSpot.objects.defer(None))
    ):
        by_student[strength.student_id].append(strength)
    return by_student


def _places_to_lift(students: Sequence[Student]) -> dict[int, list[PageSpot]]:
    """The latest places marked to lift the level, REPORT_PLACES a student, with their
    cut-outs and goals."""
    by_student: dict[int, list[PageSpot]] = defaultdict(list)
    spots = (
        PageSpot.objects.defer(None)
        .filter(kind=PageSpot.Kind.LIFT, photo__sample__student__in=students)
        .select_related("goal", "photo__sample")
        .defer(*PHOTO_BYTES_OF_SPOT)
    )
    for spot in spots:
        places = by_student[spot.photo.sample.student_id]
        if len(places) < REPORT_PLACES:
            places.append(spot)
    return by_student


def _report(
    *,
    student: Student,
    classroom: Classroom,
    teacher_name: str,
    goals: list[StudentGoal],
    strengths: list[Strength],
    held: list[Conference],
    booked: datetime | None,
    progress: Progress | None = None,
    places: Sequence[PageSpot] = (),
    covers: str = "",
) -> pages.Report:
    """A family's page: everything of the period, which `pages.report_pdf` cuts to what one
    page holds (the latest first), saying how many more there were."""
    tasks_done = [
        f"{pages.shortened(earlier.student_task, pages.REPORT_TASK)} ({_day(earlier.ended_at)})"
        for earlier, later in pairwise(held)
        if later.task_review == Conference.TaskReview.DONE
        and earlier.student_task
        and earlier.ended_at
    ]
    next_steps = [
        f"Keep working on: {sg.goal.student_words}" for sg in goals if sg.status == ACTIVE
    ]
    if held and held[-1].student_task:
        task = pages.shortened(held[-1].student_task, pages.REPORT_TASK)
        next_steps.append(f"Before the next conference: {task}")
    if booked:
        next_steps.append(f"Next conference: {_when(booked)}")
    if not next_steps:
        next_steps.append("We will choose a goal together at the next conference.")
    return pages.Report(
        name=student.full_name,
        classroom=classroom.name,
        teacher=teacher_name,
        printed_on=date_format(timezone.localdate(), "j F Y"),
        covers=covers,
        goals=_goal_lines(goals),
        strengths=[
            pages.Strength(
                s.description,
                s.evidence,
                f"{s.sample.title}, {_day(s.sample.written_on)}" if s.sample else _day(s.noted_on),
                [bytes(spot.image) for spot in list(s.spots.all())[:1]]
                if n < pages.REPORT_PICTURES
                else [],
            )
            for n, s in enumerate(strengths)
        ],
        places_to_lift=[
            pages.PlaceToLift(bytes(spot.image), _place_words(spot)) for spot in places
        ],
        conference_days=[_day(c.ended_at) for c in held if c.ended_at],
        tasks_done=tasks_done,
        next_steps=next_steps,
        **_picture_of(progress, fitted=True),
    )


def _place_words(spot: PageSpot) -> str:
    """What a family reads beside a place to lift: the goal in the student's own words."""
    goal = spot.goal.student_words if spot.goal else ""
    return " — ".join(part for part in (goal, spot.note) if part) or "a part to make even better"


def _picture_of(progress: Progress | None, *, fitted: bool = False) -> dict[str, Any]:
    """A student's weeks for a printed page: the picture and its sentence. `fitted` (a
    family's one page) draws only the latest goals and checklist lines, a lane each, while
    the sentence still counts them all."""
    if progress is None:
        return {}
    drawn = progress
    if fitted:
        drawn = replace(
            progress,
            goals=progress.goals[-pages.REPORT_PICTURE_GOALS :],
            lines=progress.lines[-pages.REPORT_PICTURE_LINES :],
        )
    return {
        "goals_picture": partial(timeline_drawing, timeline(drawn)),
        "goals_sentence": progress.summary(),
    }


def _progress(teacher: User, students: Sequence[Student], period: Period) -> dict[int, Progress]:
    """Each student's picture of `period`: its last MOST_TERM_WEEKS at most (a picture of two
    years is a smudge), ending today for everything."""
    end = period.end or timezone.localdate()
    latest = end - timedelta(weeks=MOST_TERM_WEEKS)
    start = max(period.start, latest) if period.start is not None else latest
    return progress_of(user=teacher, students=students, start=start, end=end)


def reports(
    *,
    teacher: User,
    classroom: Classroom,
    paper: Paper,
    student_ids: Iterable[int] | None = None,
    period: Period | None = None,
) -> Document:
    """The parent-teacher conference report of `period` (this term unless told), one page
    per student whatever the history."""
    period = period or this_term(timezone.localdate())
    students = _students(classroom, student_ids)
    goals = _all_goals(students, period)
    strengths = _strengths(students, until=period.end)
    held = _held(teacher, classroom, students, period)
    booked = _next_booked(teacher, classroom, students)
    progress = _progress(teacher, students, period)
    places = _places_to_lift(students)
    # The class's teachers sign the family report, whoever prints it (a coach too).
    teacher_name = " and ".join(t.display_name for t in classroom.teachers.order_by("pk"))
    covers = period.line()
    rendered = [
        _report(
            student=s,
            classroom=classroom,
            teacher_name=teacher_name,
            goals=goals[s.pk],
            strengths=strengths[s.pk],
            held=held[s.pk],
            booked=booked.get(s.pk),
            progress=progress[s.pk],
            places=places[s.pk],
            covers=covers,
        )
        for s in students
    ]
    label = students[0].shown_name if student_ids is not None and len(students) == 1 else "class"
    return Document(
        _name(classroom.name, label, "family-report"),
        pages.report_pdf(reports=rendered, paper=paper),
    )


def coverage(*, classroom: Classroom, paper: Paper) -> Document:
    """The coverage page on paper: the grid of the last two cycles and the week ahead,
    its sentence, and the conferences of each week beside the slots the blocks allow."""
    today = timezone.localdate()
    calendar = calendar_for(classroom=classroom)
    start, end = two_cycles(calendar, today)
    grid = coverage_grid(classroom=classroom, start=start, end=end, today=today, calendar=calendar)
    if not grid.rows:
        raise _nobody(classroom)
    return Document(
        _name(classroom.name, "coverage"),
        pages.picture_pdf(
            title=f"Who has been seen: {classroom.name}",
            subtitle=(
                f"{clock.day_text(grid.days[0])} to {clock.day_text(grid.days[-1])} · "
                f"printed {date_format(today, 'j F Y')}"
            )
            if grid.days
            else f"printed {date_format(today, 'j F Y')}",
            sentences=[grid.summary(), grid.week_summary()],
            picture=partial(coverage_drawing, coverage_picture(grid)),
            legend=(
                "Filled square: held one-on-one. Striped: held in a small group. Cross: "
                "missed (absent). Empty square: booked. Grey column: a day off. ● late. The "
                "dashed line: everyone is to be seen after it."
            ),
            paper=paper,
        ),
    )


def month_start(text: str | None) -> date:
    """`YYYY-MM` as the first of that month; this month when missing or not a month."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)
