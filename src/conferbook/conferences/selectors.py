"""Reads for conferences, always reached through a student the teacher may see."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.calendar.rules import Busy, ClassCalendar, Standing
from conferbook.calendar.selectors import calendar_for, wall
from conferbook.compiled import CompiledQuery, compiled
from conferbook.conferences.models import Conference, EarnedSticker, GroupConference
from conferbook.goals.models import Goal, SelfAssessmentAnswer, StudentGoal
from conferbook.lib import clock
from conferbook.lib.icons import icon_or_fallback
from conferbook.lib.words import counted
from conferbook.roster.models import Classroom, Enrollment, Student
from conferbook.roster.selectors import classroom_ids_taught_by, students_in, teaching_seen_by

HELD = Conference.Status.HELD
SCHEDULED = Conference.Status.SCHEDULED


def conferences_for(*, teacher: User) -> QuerySet[Conference]:
    """Conferences held or booked in a class the teacher teaches.

    Notes belong to the class they were taken in: a teacher who shares a student but not
    the class does not read the other class's conferences.
    """
    return Conference.objects.filter(classroom_id__in=classroom_ids_taught_by(teacher))


def conferences_seen_by(*, user: User) -> QuerySet[Conference]:
    """Conferences held or booked in a class the person may read: one they teach, or one
    a teacher they coach teaches (roster.selectors.classrooms_seen_by). For reading only."""
    return Conference.objects.filter(
        classroom__in=teaching_seen_by(user=user).values("classroom_id")
    )


def one_on_ones_for(*, teacher: User) -> QuerySet[Conference]:
    """`conferences_for`, less the members' rows of small-group conferences (the group's
    screen edits those): what the one-on-one conference screen may open and save."""
    return conferences_for(teacher=teacher).filter(group_conference=None)


def _one_on_one_locked(teacher: User, conference_id: uuid.UUID) -> QuerySet[Conference]:
    return (
        one_on_ones_for(teacher=teacher)
        .select_for_update(of=("self",))
        .filter(pk=conference_id)
        .order_by()
    )


# An autosave's one read: its SQL is compiled once (conferbook.compiled).
_compiled_one_on_one_locked = CompiledQuery(
    _one_on_one_locked, teacher=User, conference_id=uuid.UUID
)


def lock_one_on_one_for(*, teacher: User, conference_id: uuid.UUID) -> Conference:
    """The teacher's one-on-one conference (`one_on_ones_for`) with this id, locked until
    the transaction ends (inside one only); Conference.DoesNotExist otherwise."""
    conference = _compiled_one_on_one_locked.first(teacher=teacher, conference_id=conference_id)
    if conference is None:
        raise Conference.DoesNotExist
    return conference


_compiled_conference_for = CompiledQuery(
    lambda teacher, conference_id: (
        conferences_for(teacher=teacher)
        .select_related("student", "classroom")
        .filter(pk=conference_id)
    ),
    teacher=User,
    conference_id=uuid.UUID,
)


def get_conference_for(*, teacher: User, conference_id: uuid.UUID) -> Conference:
    """The conference if the teacher teaches its class; Http404 otherwise."""
    conference = _compiled_conference_for.first(teacher=teacher, conference_id=conference_id)
    if conference is None:
        raise Http404("No conference matches the given query.")
    return conference


def just_finished(
    *, teacher: User, classroom: Classroom, conference_id: str | None
) -> Conference | None:
    """The held conference named in a link back to the class page (None when not one)."""
    try:
        pk = uuid.UUID(conference_id or "")
    except ValueError:
        return None
    return (
        conferences_for(teacher=teacher)
        .filter(pk=pk, classroom=classroom, status=HELD)
        .select_related("student")
        .first()
    )


def just_finished_group(
    *, teacher: User, classroom: Classroom, group_conference_id: str | None
) -> GroupConference | None:
    """The held small-group conference named in a link to today's list (None otherwise)."""
    try:
        pk = uuid.UUID(group_conference_id or "")
    except ValueError:
        return None
    return (
        group_conferences_for(teacher=teacher)
        .filter(pk=pk, classroom=classroom, status=GroupConference.Status.HELD)
        .prefetch_related("members__student")
        .first()
    )


def _latest_held(
    *, user: User, student: Student, before: Conference | None = None
) -> QuerySet[Conference]:
    """The student's held conferences in the classes the person may read (before
    `before`), the most recent first."""
    held = conferences_seen_by(user=user).filter(student=student, status=HELD)
    if before is not None:
        held = held.exclude(pk=before.pk)
        if before.started_at:
            held = held.filter(ended_at__lte=before.started_at)
    return held.order_by("-ended_at")


def _last_held(
    *, user: User, student: Student, before: Conference | None = None
) -> QuerySet[Conference]:
    return _latest_held(user=user, student=student, before=before).select_related(
        "student_goal__goal", "group_conference__goal", "teacher"
    )[:1]


# Compiled (conferbook.compiled): before no conference, before one not started, and before
# one that started when `started`.
_last_held_ever = CompiledQuery(_last_held, user=User, student=Student)
_last_held_other = CompiledQuery(
    lambda user, student, before: _last_held(
        user=user, student=student, before=Conference(pk=before.pk, started_at=None)
    ),
    user=User,
    student=Student,
    before=Conference,
)
_last_held_before = CompiledQuery(
    lambda user, student, before, started: _last_held(
        user=user, student=student, before=Conference(pk=before.pk, started_at=started)
    ),
    user=User,
    student=Student,
    before=Conference,
    started=datetime,
)


def last_held(
    *, user: User, student: Student, before: Conference | None = None
) -> Conference | None:
    """The student's most recent held conference in the classes the person may read
    (before `before`), with its goal, group and teacher."""
    if before is None:
        return _last_held_ever.first(user=user, student=student)
    if before.started_at is None:
        return _last_held_other.first(user=user, student=student, before=before)
    return _last_held_before.first(
        user=user, student=student, before=before, started=before.started_at
    )


@compiled(user=User, student=Student)
def _last_held_at(*, user: User, student: Student) -> QuerySet[Conference, datetime | None]:
    return _latest_held(user=user, student=student).values_list("ended_at", flat=True)[:1]


def last_held_at(*, user: User, student: Student) -> datetime | None:
    """When `last_held` ended: all a page needs that says only how long ago it was."""
    return _last_held_at.first(user=user, student=student)


# The student page's reads are compiled (conferbook.compiled): `chart_for(...)` is the
# queryset, `chart_for.all(...)` its rows.


@compiled(user=User, student=Student)
def chart_for(*, user: User, student: Student) -> QuerySet[Conference]:
    """The rows of the two-column chart in the classes the person may read: held
    conferences, oldest first, each with who held it, small-group ones with the group's
    shared part and the other members (a fixed number of queries)."""
    return (
        conferences_seen_by(user=user)
        .filter(student=student, status=HELD)
        .select_related(
            "teacher",
            "group_conference__teacher",
            "student_goal__goal",
            "strategy",
            "strength",
            "mentor_text",
            "group_conference__goal",
            "group_conference__strategy",
            "group_conference__mentor_text",
        )
        .prefetch_related(
            Prefetch(
                "group_conference__members",
                queryset=Conference.objects.select_related("student").order_by(
                    "student__first_name", "student__last_name"
                ),
            )
        )
        .order_by("ended_at")
    )


@compiled(user=User, student=Student, since=datetime)
def chart_since(*, user: User, student: Student, since: datetime) -> QuerySet[Conference]:
    """The chart's rows that ended at `since` or after (this term's)."""
    return chart_for(user=user, student=student).filter(ended_at__gte=since)


@compiled(user=User, student=Student, before=datetime)
def _chart_count_before(
    *, user: User, student: Student, before: datetime
) -> QuerySet[Conference, int]:
    # COUNT as a row: a count() is not a queryset, and so could not be compiled.
    return (
        chart_for(user=user, student=student)
        .filter(ended_at__lt=before)
        .select_related(None)
        .prefetch_related(None)
        .order_by()
        .values("student")
        .annotate(rows=Count("pk"))
        .values_list("rows", flat=True)
    )


def chart_count_before(*, user: User, student: Student, before: datetime) -> int:
    """How many of the chart's rows ended before `before` (earlier terms')."""
    return _chart_count_before.first(user=user, student=student, before=before) or 0


@compiled(student=Student)
def strategies_taught(*, student: Student) -> QuerySet[Conference, int | None]:
    """The strategies taught the student in their held conferences (any class's)."""
    return (
        Conference.objects.filter(student=student, status=HELD)
        .exclude(strategy=None)
        .values_list("strategy_id", flat=True)
    )


def start_of_today() -> datetime:
    """Midnight at the start of today, in the current time zone."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


@compiled(user=User, student=Student, since=datetime)
def _booked_from(*, user: User, student: Student, since: datetime) -> QuerySet[Conference]:
    return (
        conferences_seen_by(user=user)
        .filter(student=student, status=SCHEDULED, scheduled_for__gte=since)
        .order_by("scheduled_for")[:1]
    )


def next_appointment(*, user: User, student: Student) -> Conference | None:
    """The student's next booked conference from today on (a past, unheld one is not next),
    in the classes the person may read."""
    return _booked_from.first(user=user, student=student, since=start_of_today())


def busy_between(
    *, classroom: Classroom, first: date, last: date, calendar: ClassCalendar | None = None
) -> list[Busy]:
    """Every conference booked or under way in the class from `first` to `last` (whole
    days), as the calendar rules take it: wall-clock time, who, whose (one query)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last, time.max))
    length = (calendar or calendar_for(classroom=classroom)).length
    busy = []
    for student_id, preferred, first_name, at in (
        Conference.objects.filter(
            classroom=classroom,
            status__in=[SCHEDULED, Conference.Status.IN_PROGRESS],
            scheduled_for__gte=start,
            scheduled_for__lte=end,
            group_conference=None,
        )
        .order_by("scheduled_for")
        .values_list(
            "student_id", "student__preferred_name", "student__first_name", "scheduled_for"
        )
    ):
        if at is None:
            continue
        local = wall(at)
        busy.append(Busy(local, local + length, preferred or first_name, student_id))
    return busy


def days_between(earlier: datetime | None, today: date | None = None) -> int | None:
    """Whole days from the local date of `earlier` to today (None when never)."""
    if earlier is None:
        return None
    return ((today or timezone.localdate()) - timezone.localtime(earlier).date()).days


@dataclass(frozen=True)
class ClassRow:
    student: Student
    active_goals: list[StudentGoal]
    last_conference_at: datetime | None
    days_since: int | None
    next_appointment_at: datetime | None
    standing: Standing
    under_way: bool
    enrolled_at: datetime

    @property
    def overdue(self) -> bool:
        return self.standing.overdue

    @property
    def due(self) -> date:
        return self.standing.due


def _with_last_seen(students: QuerySet[Student], classroom: Classroom) -> QuerySet[Student]:
    """The students with `last_held` (their last conference held in this class, one-on-one
    or in a small group) and `joined` (their enrolment in it): each read by the student's
    own index entries, so the cost stays the same however long the class's history."""
    return students.annotate(
        last_held=_of_conferences_in_class(classroom, Max("ended_at"), status=HELD),
        joined=Subquery(
            Enrollment.objects.filter(student=OuterRef("pk"), classroom=classroom).values(
                "enrolled_at"
            )[:1]
        ),
    )


def _of_conferences_in_class(
    classroom: Classroom, aggregate: Max | Min, **where: object
) -> Subquery:
    """`aggregate` (the latest or the earliest of a field) over the student's conferences
    in the class that match `where`: a subquery per student, down the student's index."""
    return Subquery(
        Conference.objects.filter(student=OuterRef("pk"), classroom=classroom, **where)
        .order_by()
        .values("student")
        .annotate(found=aggregate)
        .values("found")
    )


def _standing(calendar: ClassCalendar, student: Student, today: date) -> Standing:
    last = student.last_held  # type: ignore[attr-defined]
    joined = student.joined  # type: ignore[attr-defined]
    return calendar.standing(
        student.pk,
        last_seen=timezone.localtime(last).date() if last else None,
        joined=timezone.localtime(joined).date() if joined else today,
        today=today,
    )


def student_standings(
    *, classroom: Classroom, calendar: ClassCalendar | None = None, today: date | None = None
) -> list[tuple[Student, Standing]]:
    """Each active student of the class, by name, with when they are due and whether they
    are overdue (calendar.rules), in one query and the calendar's."""
    calendar = calendar or calendar_for(classroom=classroom)
    today = today or timezone.localdate()
    students = _with_last_seen(students_in(classroom=classroom), classroom)
    return sorted(
        ((s, _standing(calendar, s, today)) for s in students), key=lambda p: by_name(p[0])
    )


def standings(
    *, classroom: Classroom, calendar: ClassCalendar | None = None, today: date | None = None
) -> dict[int, Standing]:
    """`student_standings` by student id."""
    return {
        s.pk: standing
        for s, standing in student_standings(classroom=classroom, calendar=calendar, today=today)
    }


def standing_of(
    *, classroom: Classroom, student: Student, calendar: ClassCalendar | None = None
) -> Standing | None:
    """One student's standing in the class (None unless they are on its list): the same
    rule as `student_standings`, reading only this student's conferences."""
    calendar = calendar or calendar_for(classroom=classroom)
    found = _standing_of.all(classroom=classroom, student=student)
    return next((_standing(calendar, s, timezone.localdate()) for s in found), None)


_standing_of = CompiledQuery(
    lambda classroom, student: _with_last_seen(
        students_in(classroom=classroom).filter(pk=student.pk), classroom
    ),
    classroom=Classroom,
    student=Student,
)


def by_name(student: Student) -> tuple[str, str]:
    """The order of a class list: the name the student goes by, then the last name."""
    return student.shown_name.casefold(), student.last_name


def class_rows(
    *, classroom: Classroom, sort: str = "name", calendar: ClassCalendar | None = None
) -> list[ClassRow]:
    """One row per active student of the class, in a fixed number of queries.

    Each row says when the student is due and whether they are overdue, as the class
    calendar rules it (calendar.rules: the one definition every page uses).
    """
    calendar = calendar or calendar_for(classroom=classroom)
    students = list(
        _with_last_seen(students_in(classroom=classroom), classroom).annotate(
            next_appointment_at=_of_conferences_in_class(
                classroom,
                Min("scheduled_for"),
                status=SCHEDULED,
                scheduled_for__gte=start_of_today(),
            ),
            under_way_since=_of_conferences_in_class(
                classroom,
                Max("started_at"),
                status=Conference.Status.IN_PROGRESS,
                started_at__gte=start_of_today(),
                group_conference=None,
            ),
        )
    )
    # The active goals of exactly these students, read directly (a prefetch costs as much
    # again in Django's bookkeeping as the query itself).
    active_goals: dict[int, list[StudentGoal]] = {s.pk: [] for s in students}
    for student_goal in (
        StudentGoal.objects.filter(status=StudentGoal.Status.ACTIVE, student_id__in=active_goals)
        .select_related("goal__category")
        .order_by("set_on", "id")
    ):
        active_goals[student_goal.student_id].append(student_goal)
    today = timezone.localdate()
    rows = [
        ClassRow(
            student=s,
            active_goals=active_goals[s.pk],
            last_conference_at=s.last_held,  # type: ignore[attr-defined]
            days_since=days_between(s.last_held, today),  # type: ignore[attr-defined]
            next_appointment_at=s.next_appointment_at,  # type: ignore[attr-defined]
            standing=_standing(calendar, s, today),
            under_way=s.under_way_since is not None,  # type: ignore[attr-defined]
            enrolled_at=s.joined,  # type: ignore[attr-defined]
        )
        for s in students
    ]
    return sort_class_rows(rows, sort)


SORTS = {
    "name": "Name",
    "days": "Days since last conference",
    "next": "Next appointment",
}


def sort_class_rows(rows: list[ClassRow], sort: str) -> list[ClassRow]:
    """Rows in the order the class page was asked for (see SORTS)."""
    far_future = datetime.max.replace(tzinfo=timezone.get_current_timezone())
    if sort == "days":
        # Never seen first, then the longest wait.
        return sorted(rows, key=lambda r: (r.days_since is not None, -(r.days_since or 0)))
    if sort == "next":
        return sorted(rows, key=lambda r: r.next_appointment_at or far_future)
    return sorted(rows, key=lambda r: by_name(r.student))


def next_student_after(*, classroom: Classroom, student: Student) -> Student | None:
    """Whom to see next: the earliest appointment booked today, else whoever is due
    earliest (the most overdue first) and has not been seen today."""
    booked_today = (
        Conference.objects.filter(
            classroom=classroom,
            status=SCHEDULED,
            scheduled_for__gte=start_of_today(),
            scheduled_for__lt=start_of_today() + timedelta(days=1),
        )
        .exclude(student=student)
        .filter(student__archived_at__isnull=True)
        .select_related("student")
        .order_by("scheduled_for")
        .first()
    )
    if booked_today is not None:
        return booked_today.student
    rows = [
        r
        for r in class_rows(classroom=classroom, sort="name")
        if r.student != student and r.days_since != 0 and not r.under_way
    ]
    rows.sort(key=lambda r: (r.due, r.student.shown_name.casefold()))
    return rows[0].student if rows else None


# -- stickers ------------------------------------------------------------------------------

ICON_FOLDER = "conferbook/icons/lucide"


def clue_icon_path(icon: str) -> str:
    """The static path of a picture clue's icon: a star for a goal without one we have."""
    return f"{ICON_FOLDER}/{icon_or_fallback(icon)}.svg"


@dataclass(frozen=True)
class Sticker:
    """A goal's picture clue, and how often the student earned it (0: still to collect)."""

    goal: Goal
    times: int = 0
    last_on: date | None = None

    @property
    def icon(self) -> str:
        return clue_icon_path(self.goal.clue_icon)

    @property
    def words(self) -> str:
        # A teacher's own goal may have no clue words: its name stands in.
        return self.goal.clue_words or self.goal.name


def get_goal_of_student(*, student: Student, goal_id: int) -> Goal:
    """One of the student's goals, active or in their history; Http404 otherwise.

    `student` was reached through a teacher-scoped selector.
    """
    theirs = StudentGoal.objects.filter(student=student, goal=OuterRef("pk"))
    return get_object_or_404(Goal.objects.filter(Exists(theirs)), pk=goal_id)


@dataclass(frozen=True)
class StickerButton:
    sticker: Sticker  # times: earned in other conferences
    given: bool  # earned in this conference


def sticker_buttons(
    *, conference: Conference, active_goals: list[StudentGoal]
) -> list[StickerButton]:
    """The conference screen's "Give sticker" buttons, in at most two queries.

    One per active goal, then one per other goal whose sticker was given in this
    conference (so a goal closed since can still have its sticker taken back).
    """
    # goal id -> (times earned in all, times earned in this conference: 0 or 1)
    counts: dict[int, tuple[int, int]] = {
        goal_id: (times, here)
        for goal_id, times, here in EarnedSticker.objects.filter(student_id=conference.student_id)
        .values("goal_id")
        .annotate(times=Count("id"), here=Count("id", filter=Q(conference=conference)))
        .values_list("goal_id", "times", "here")
        .order_by()
    }
    goals = [sg.goal for sg in active_goals]
    shown = {goal.pk for goal in goals}
    extra = [pk for pk, (_, here) in counts.items() if here and pk not in shown]
    if extra:
        goals += list(Goal.objects.filter(pk__in=extra).order_by("name"))
    buttons = []
    for goal in goals:
        times, here = counts.get(goal.pk, (0, 0))
        buttons.append(
            StickerButton(sticker=Sticker(goal=goal, times=times - here), given=bool(here))
        )
    return buttons


@dataclass(frozen=True)
class StickerCollection:
    earned: list[Sticker]  # most recently earned first
    to_collect: list[Sticker]  # the student's goals never earned: active ones first


@compiled(student=Student)
def _stickers_earned(*, student: Student) -> QuerySet[Any, Any]:
    return (
        EarnedSticker.objects.filter(student=student)
        .values("goal_id")
        .annotate(times=Count("id"), last_on=Max("earned_on"))
        .order_by("-last_on", "goal_id")
    )


@compiled(student=Student)
def _goals_of(*, student: Student) -> QuerySet[StudentGoal]:
    return (
        StudentGoal.objects.filter(student=student)
        .select_related("goal")
        .order_by("-set_on", "-id")
    )


def sticker_collection(*, student: Student) -> StickerCollection:
    """The stickers in the back of the student's notebook, and the ones still to collect.

    Stickers belong to the student, like their goals: every sticker they earned is shown,
    whichever class it was given in. Three queries whatever the number of stickers.
    """
    earned_rows = _stickers_earned.all(student=student)
    student_goals = _goals_of.all(student=student)
    goals = {sg.goal_id: sg.goal for sg in student_goals}
    missing = {row["goal_id"] for row in earned_rows} - goals.keys()
    if missing:
        goals.update(Goal.objects.in_bulk(missing))
    earned = [
        Sticker(goal=goals[row["goal_id"]], times=row["times"], last_on=row["last_on"])
        for row in earned_rows
    ]
    have = {row["goal_id"] for row in earned_rows}
    to_collect: list[Sticker] = []
    # Active goals first, then past ones; each goal once.
    for sg in sorted(student_goals, key=lambda sg: not sg.is_active):
        if sg.goal_id not in have:
            have.add(sg.goal_id)
            to_collect.append(Sticker(goal=sg.goal))
    return StickerCollection(earned=earned, to_collect=to_collect)


@dataclass(frozen=True)
class CollectionRow:
    student: Student
    earned: list[Sticker]
    to_collect: int

    @property
    def total(self) -> int:
        return sum(s.times for s in self.earned)


COLLECTION_SORTS = {"name": "Name", "count": "Most stickers"}


def class_collections(*, classroom: Classroom, sort: str = "name") -> list[CollectionRow]:
    """One row per active student of the class with their stickers, in four queries.

    `to_collect` counts the student's goals (active or past) whose sticker they have not
    earned yet. Sorted by name, or by stickers earned (most first) for sort="count".
    """
    students = students_in(classroom=classroom)
    earned: dict[int, list[tuple[int, int, date]]] = defaultdict(list)
    for student_id, goal_id, times, last_on in (
        EarnedSticker.objects.filter(student__in=students)
        .values("student_id", "goal_id")
        .annotate(times=Count("id"), last_on=Max("earned_on"))
        .values_list("student_id", "goal_id", "times", "last_on")
        .order_by("-last_on", "goal_id")
    ):
        earned[student_id].append((goal_id, times, last_on))
    goals_of: dict[int, set[int]] = defaultdict(set)
    for student_id, goal_id in StudentGoal.objects.filter(student__in=students).values_list(
        "student_id", "goal_id"
    ):
        goals_of[student_id].add(goal_id)
    goal_ids = {goal_id for rows in earned.values() for goal_id, _, _ in rows}
    goals = Goal.objects.in_bulk(goal_ids) if goal_ids else {}
    rows = [
        CollectionRow(
            student=student,
            earned=[
                Sticker(goal=goals[goal_id], times=times, last_on=last_on)
                for goal_id, times, last_on in earned[student.pk]
            ],
            to_collect=len(
                goals_of[student.pk] - {goal_id for goal_id, _, _ in earned[student.pk]}
            ),
        )
        for student in students
    ]
    by_name = sorted(rows, key=lambda r: (r.student.shown_name.casefold(), r.student.last_name))
    if sort == "count":
        return sorted(by_name, key=lambda r: -r.total)
    return by_name


# -- small-group conferences ------------------------------------------------------------


def group_conferences_for(*, teacher: User) -> QuerySet[GroupConference]:
    """Small-group conferences held or under way in a class the teacher teaches."""
    return GroupConference.objects.filter(classroom_id__in=classroom_ids_taught_by(teacher))


def get_group_conference_for(*, teacher: User, group_conference_id: uuid.UUID) -> GroupConference:
    """The small-group conference if the teacher teaches its class; Http404 otherwise."""
    return get_object_or_404(
        group_conferences_for(teacher=teacher).select_related(
            "classroom", "group", "goal", "strategy", "mentor_text"
        ),
        pk=group_conference_id,
    )


def get_member_of(*, group_conference: GroupConference, conference_id: uuid.UUID) -> Conference:
    """A member's row of this small-group conference; Http404 for any other conference."""
    return get_object_or_404(
        Conference.objects.select_related("student"),
        pk=conference_id,
        group_conference=group_conference,
    )


@dataclass(frozen=True)
class GroupMember:
    """One member on the group conference screen: their row and their last conference."""

    conference: Conference
    last: Conference | None

    @property
    def student(self) -> Student:
        return self.conference.student


def group_members(*, teacher: User, group_conference: GroupConference) -> list[GroupMember]:
    """Every member of the small-group conference in name order, each with their last held
    conference before this one (in the teacher's classes), in two queries."""
    earlier = (
        conferences_for(teacher=teacher)
        .filter(
            student=OuterRef("student_id"),
            status=HELD,
            ended_at__lte=group_conference.started_at,
        )
        .exclude(group_conference=group_conference)
        .order_by("-ended_at")
        .values("pk")[:1]
    )
    members = list(
        group_conference.members.select_related("student")
        .annotate(last_id=Subquery(earlier))
        .order_by("student__first_name", "student__last_name", "pk")
    )
    ids = [m.last_id for m in members if m.last_id]  # type: ignore[attr-defined]
    lasts = (
        {
            c.pk: c
            for c in Conference.objects.filter(pk__in=ids).select_related(
                "student_goal__goal", "group_conference__goal"
            )
        }
        if ids
        else {}
    )
    return [
        GroupMember(conference=m, last=lasts.get(m.last_id))  # type: ignore[attr-defined]
        for m in members
    ]


# The self-assessment lines a progress picture draws (the ones answered last).
PROGRESS_LINES = 4


@dataclass(frozen=True)
class ProgressGoal:
    name: str
    set_on: date
    closed_on: date | None
    status: str  # StudentGoal.Status


@dataclass(frozen=True)
class ProgressMark:
    day: date
    kind: str  # "one-on-one", "small group", "missed"; a task review's "done", ...


@dataclass(frozen=True)
class ProgressLine:
    """One line of a self-assessment checklist, answered on several days."""

    text: str
    answers: list[ProgressMark]  # kind: a goals.models.Rating value


@dataclass(frozen=True)
class Progress:
    """A student's term to draw: goals, conferences, task reviews, stickers and the
    self-assessment lines answered."""

    start: date
    end: date
    goals: list[ProgressGoal]
    conferences: list[ProgressMark]
    reviews: list[ProgressMark]  # kind: a Conference.TaskReview value
    stickers: list[ProgressMark]  # kind: the goal's name
    lines: list[ProgressLine] = field(default_factory=list)

    def summary(self) -> str:
        """ "Since Mon 14 Sep: 9 conferences (7 one-on-one, 2 in small groups), 1 missed;
        2 goals met; the task done 5 times of 8 reviewed; 3 stickers." """
        held = [m for m in self.conferences if m.kind != "missed"]
        alone = sum(1 for m in held if m.kind == "one-on-one")
        missed = len(self.conferences) - len(held)
        text = f"Since {clock.day_text(self.start)}: {counted(len(held), 'conference')}"
        if held:
            text += f" ({alone} one-on-one, {len(held) - alone} in small groups)"
        if missed:
            text += f", {missed} missed"
        met = sum(
            1
            for g in self.goals
            if g.status == StudentGoal.Status.MET and g.closed_on and g.closed_on >= self.start
        )
        text += f"; {counted(met, 'goal')} met"
        if self.reviews:
            done = sum(1 for m in self.reviews if m.kind == Conference.TaskReview.DONE)
            text += f"; the task done {counted(done, 'time')} of {len(self.reviews)} reviewed"
        text += f"; {counted(len(self.stickers), 'sticker')}"
        moved = sum(
            1
            for line in self.lines
            if line.answers[-1].kind == "yes" and line.answers[0].kind != "yes"
        )
        if moved:
            text += f"; {counted(moved, 'checklist line')} moved to “yes”"
        return text + "."


def progress_for(*, user: User, student: Student, start: date, end: date) -> Progress:
    """What the student did from `start` to `end` in the classes the person may read
    (goals are the student's own, whichever class set them). Three queries."""
    return progress_of(user=user, students=[student], start=start, end=end)[student.pk]


def progress_of(
    *, user: User, students: Sequence[Student], start: date, end: date
) -> dict[int, Progress]:
    """`progress_for` for many students at once (a class's family reports): the same three
    queries whatever the number of students."""
    ids = [s.pk for s in students]
    goals: dict[int, list[ProgressGoal]] = defaultdict(list)
    for sg in (
        StudentGoal.objects.filter(student_id__in=ids, set_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .select_related("goal")
        .order_by("set_on", "pk")
    ):
        goals[sg.student_id].append(ProgressGoal(sg.goal.name, sg.set_on, sg.closed_on, sg.status))
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    conferences: dict[int, list[ProgressMark]] = defaultdict(list)
    reviews: dict[int, list[ProgressMark]] = defaultdict(list)
    rows = (
        conferences_seen_by(user=user)
        .filter(student_id__in=ids)
        .filter(
            Q(status=HELD, ended_at__gte=since, ended_at__lt=until)
            | Q(status=Conference.Status.MISSED, scheduled_for__gte=since, scheduled_for__lt=until)
        )
        .values_list(
            "student_id",
            "status",
            "group_conference_id",
            "ended_at",
            "scheduled_for",
            "task_review",
        )
    )
    for student_id, status, group_id, ended, booked, review in rows:
        day = timezone.localtime(ended or booked).date()
        if status == Conference.Status.MISSED:
            conferences[student_id].append(ProgressMark(day, "missed"))
            continue
        conferences[student_id].append(
            ProgressMark(day, "small group" if group_id else "one-on-one")
        )
        if review:
            reviews[student_id].append(ProgressMark(day, review))
    stickers: dict[int, list[ProgressMark]] = defaultdict(list)
    for student_id, day, name in (
        EarnedSticker.objects.filter(student_id__in=ids, earned_on__gte=start, earned_on__lte=end)
        .order_by("earned_on", "pk")
        .values_list("student_id", "earned_on", "goal__name")
    ):
        stickers[student_id].append(ProgressMark(day, name))
    lines: dict[int, dict[str, list[ProgressMark]]] = defaultdict(dict)
    for student_id, day, text, rating in (
        SelfAssessmentAnswer.objects.filter(
            assessment__student_id__in=ids,
            assessment__taken_on__gte=start,
            assessment__taken_on__lte=end,
        )
        .order_by("assessment__taken_on", "item__position", "item_id")
        .values_list("assessment__student_id", "assessment__taken_on", "item__text", "rating")
    ):
        lines[student_id].setdefault(text, []).append(ProgressMark(day, rating))
    return {
        pk: Progress(
            start,
            end,
            goals[pk],
            sorted(conferences[pk], key=lambda m: m.day),
            sorted(reviews[pk], key=lambda m: m.day),
            stickers[pk],
            # the lines answered most recently, at most PROGRESS_LINES of them
            sorted(
                (ProgressLine(text, marks) for text, marks in lines[pk].items()),
                key=lambda line: line.answers[-1].day,
                reverse=True,
            )[:PROGRESS_LINES],
        )
        for pk in ids
    }
