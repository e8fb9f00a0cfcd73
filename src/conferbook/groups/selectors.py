"""Reads for small groups and partnerships, always within a class the teacher teaches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import User
from conferbook.compiled import compiled
from conferbook.goals.models import Goal, Strategy, Strength, StudentGoal
from conferbook.groups.models import Partnership, PartnershipMember, SmallGroup
from conferbook.groups.suggest import Mode, Writer
from conferbook.roster.models import Classroom, Student
from conferbook.roster.selectors import classroom_ids_taught_by, classrooms_seen_by, students_in


def small_groups_in(*, classroom: Classroom) -> QuerySet[SmallGroup]:
    """The class's small groups with their goal, strategy and members (two queries)."""
    return (
        SmallGroup.objects.filter(classroom=classroom)
        .select_related("goal", "strategy")
        .prefetch_related("members")
    )


def get_small_group_for(*, teacher: User, group_id: int) -> SmallGroup:
    """A small group of a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        SmallGroup.objects.filter(classroom_id__in=classroom_ids_taught_by(teacher)).select_related(
            "classroom", "goal", "strategy"
        ),
        pk=group_id,
    )


def get_partnership_for(*, teacher: User, partnership_id: int) -> Partnership:
    """A partnership in a class the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        Partnership.objects.filter(
            classroom_id__in=classroom_ids_taught_by(teacher)
        ).select_related("classroom"),
        pk=partnership_id,
    )


def _with_members() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "memberships",
        queryset=PartnershipMember.objects.select_related("student").order_by(
            "student__first_name", "student__last_name", "pk"
        ),
    )


def partnerships_in(*, classroom: Classroom) -> list[Partnership]:
    """The class's partnerships, members in name order (two queries)."""
    return list(Partnership.objects.filter(classroom=classroom).prefetch_related(_with_members()))


@dataclass(frozen=True)
class Partners:
    """A student's partnership in one class, seen from the student."""

    partnership: Partnership
    classroom: Classroom
    others: list[Student]


@compiled(user=User, student=Student)
def _partnerships_of(*, user: User, student: Student) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(
            classroom__in=classrooms_seen_by(user=user, include_archived=True).values("pk"),
            memberships__student=student,
        )
        .select_related("classroom")
        .prefetch_related(_with_members())
        .distinct()
    )


def partners_of(*, user: User, student: Student) -> list[Partners]:
    """The student's partners in each class the person may read (teaches or coaches) that
    the student is in (two queries)."""
    found = _partnerships_of.all(user=user, student=student)
    return [
        Partners(
            partnership=p,
            classroom=p.classroom,
            others=[m.student for m in p.memberships.all() if m.student_id != student.pk],
        )
        for p in found
    ]


# -- what the suggestions are made from ---------------------------------------------------


@dataclass(frozen=True)
class ClassGoals:
    """Each active student's active goals (oldest first) and the goals they are strong at."""

    students: list[Student]  # in name order
    active: dict[int, list[StudentGoal]]  # student id -> active goals, oldest first
    strong_at: dict[int, set[int]]  # student id -> goal ids: a strength shows it, or met
    goals: dict[int, Goal]  # every goal named above, with its category

    def goals_by_student(self) -> dict[int, list[int]]:
        """Student id -> active goal ids, the students who set a goal longest ago first."""
        ordered = sorted(
            (s for s in self.students if self.active[s.pk]),
            key=lambda s: min(sg.set_on for sg in self.active[s.pk]),
        )
        return {s.pk: [sg.goal_id for sg in self.active[s.pk]] for s in ordered}

    @cached_property
    def _writers(self) -> dict[int, Writer]:
        # A goal the student still works on is not one they can help with, whatever
        # strength was noted for it.
        writers = {}
        for s in self.students:
            goals = frozenset(sg.goal_id for sg in self.active[s.pk])
            writers[s.pk] = Writer(s.pk, goals, frozenset(self.strong_at[s.pk] - goals))
        return writers

    def writers(self) -> list[Writer]:
        """The class as the pairing sees it, in name order."""
        return list(self._writers.values())

    def reason(self, member_ids: Sequence[int], *, mode: str) -> str:
        """Why these students are partners in `mode` ("" when nothing links them)."""
        names = {s.pk: s.shown_name for s in self.students}
        return describe_partnership(
            member_ids, mode=mode, writers=self._writers, names=names, goals=self.goals
        )


def class_goals(*, classroom: Classroom) -> ClassGoals:
    """What grouping and pairing need to know about the class, in four queries. The goals
    met and the strengths noted over the years are read as pairs of ids, not as rows: a
    class's history grows every week, its library of goals hardly."""
    students = list(students_in(classroom=classroom).order_by("first_name", "last_name", "pk"))
    active: dict[int, list[StudentGoal]] = defaultdict(list)
    strong_at: dict[int, set[int]] = defaultdict(set)
    goals: dict[int, Goal] = {}
    for sg in (
        StudentGoal.objects.filter(student__in=students, status=StudentGoal.Status.ACTIVE)
        .select_related("goal__category")
        .order_by("set_on", "pk")
    ):
        goals[sg.goal_id] = sg.goal
        active[sg.student_id].append(sg)
    # Met goals (the student can now help a classmate with them) and strengths shown.
    met = StudentGoal.objects.filter(student__in=students, status=StudentGoal.Status.MET)
    shown = Strength.objects.filter(student__in=students, goal__isnull=False)
    pairs = met.values_list("student_id", "goal_id").order_by()
    for student_id, goal_id in pairs.union(shown.values_list("student_id", "goal_id").order_by()):
        strong_at[student_id].add(goal_id)
    if missing := {g for ids in strong_at.values() for g in ids} - goals.keys():
        goals.update(Goal.objects.select_related("category").in_bulk(missing))
    return ClassGoals(students=students, active=active, strong_at=strong_at, goals=goals)


def library_order(goals: dict[int, Goal]) -> list[int]:
    """Goal ids in the goal library's order: by category, then position."""
    return [
        g.pk
        for g in sorted(
            goals.values(), key=lambda g: (g.category.position, g.category.pk, g.position, g.pk)
        )
    ]


def first_strategies(*, teacher: User, goal_ids: list[int]) -> dict[int, Strategy]:
    """The first strategy the teacher sees for each goal, to teach a group (one query)."""
    from conferbook.goals.selectors import strategies_for

    first: dict[int, Strategy] = {}
    for strategy in (
        strategies_for(teacher=teacher)
        .filter(goal_id__in=goal_ids)
        .order_by("goal_id", "position", "pk")
    ):
        first.setdefault(strategy.goal_id, strategy)
    return first


def describe_partnership(
    member_ids: Sequence[int],
    *,
    mode: str,
    writers: Mapping[int, Writer],
    names: Mapping[int, str],
    goals: Mapping[int, Goal],
) -> str:
    """Why these writers make good partners, in a sentence a teacher reads at a glance.

    Read from what is on record now (active goals; strengths that show a goal, and goals
    met), so a pair saved by hand is explained the same way as a suggested one. "" when
    nothing on record links them.
    """
    members = [writers[i] for i in member_ids if i in writers]
    if mode == Mode.SAME_GOAL:
        # Goals shared by the same members are named together: "both work on A and B".
        shared: dict[tuple[int, ...], list[str]] = {}
        for goal_id in _in_order(g for w in members for g in sorted(w.goals)):
            sharing = tuple(w.student_id for w in members if goal_id in w.goals)
            if len(sharing) > 1:
                shared.setdefault(sharing, []).append(f"“{goals[goal_id].name}”")
        parts = [
            f"{_listed(sharing, names)} {'both' if len(sharing) == 2 else 'all'} work on "
            f"{_joined(goal_names)}"
            for sharing, goal_names in shared.items()
        ]
    else:
        parts = [
            f"{names[helper.student_id]} is strong at “{goals[goal_id].name}”, "
            f"{names[learner.student_id]}'s goal"
            for helper in members
            for learner in members
            if helper is not learner
            for goal_id in sorted(helper.strengths & learner.goals)
        ]
    return "; ".join(parts) + "." if parts else ""


def _in_order(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _listed(ids: Sequence[int], names: Mapping[int, str]) -> str:
    return _joined([names[i] for i in ids])


def _joined(words: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
