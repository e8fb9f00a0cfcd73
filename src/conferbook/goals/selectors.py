"""Reads for goals, strategies, mentor texts and what was learned about a student.

Library rows are either built in (owner is null, seen by every teacher unless they hid
them) or a teacher's own. Student rows are reached only through `get_student_for`.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import User
from conferbook.goals.models import (
    Goal,
    GoalCategory,
    MentorText,
    Strategy,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.roster.models import Student
from conferbook.roster.selectors import students_for


def _builtin_or_own(teacher: User) -> Q:
    return Q(owner__isnull=True) | Q(owner=teacher)


def goals_for(*, teacher: User, include_hidden: bool = False) -> QuerySet[Goal]:
    """Built-in goals and the teacher's own, less the ones the teacher hid (unless asked)."""
    goals = Goal.objects.filter(_builtin_or_own(teacher)).select_related("category")
    if not include_hidden:
        goals = goals.exclude(hidden_by=teacher)
    return goals


def strategies_for(*, teacher: User, include_hidden: bool = False) -> QuerySet[Strategy]:
    """Built-in strategies and the teacher's own, less the hidden ones (unless asked)."""
    strategies = Strategy.objects.filter(_builtin_or_own(teacher))
    if not include_hidden:
        strategies = strategies.exclude(hidden_by=teacher)
    return strategies


def categories_for(*, teacher: User) -> QuerySet[GoalCategory]:
    """Built-in goal categories and the teacher's own."""
    return GoalCategory.objects.filter(_builtin_or_own(teacher))


def library_for(*, teacher: User, include_hidden: bool = False) -> list[GoalCategory]:
    """Categories in library order, each with `visible_goals`, each with `visible_strategies`.

    Three queries whatever the size of the library.
    """
    goals = goals_for(teacher=teacher, include_hidden=include_hidden).prefetch_related(
        Prefetch(
            "strategies",
            queryset=strategies_for(teacher=teacher, include_hidden=include_hidden),
            to_attr="visible_strategies",
        )
    )
    categories = categories_for(teacher=teacher).prefetch_related(
        Prefetch("goals", queryset=goals, to_attr="visible_goals")
    )
    return [c for c in categories if c.visible_goals]


def get_goal_for(*, teacher: User, goal_id: int) -> Goal:
    """A built-in goal or one of the teacher's own (hidden ones included)."""
    return get_object_or_404(goals_for(teacher=teacher, include_hidden=True), pk=goal_id)


def get_own_goal_for(*, teacher: User, goal_id: int) -> Goal:
    """One of the teacher's own goals, which they may edit."""
    return get_object_or_404(Goal.objects.filter(owner=teacher), pk=goal_id)


def get_strategy_for(*, teacher: User, strategy_id: int) -> Strategy:
    """A strategy of a goal the teacher may see (hidden ones included); Http404 otherwise."""
    return get_object_or_404(
        strategies_for(teacher=teacher, include_hidden=True).select_related("goal"),
        pk=strategy_id,
        goal__in=goals_for(teacher=teacher, include_hidden=True),
    )


def get_own_strategy_for(*, teacher: User, strategy_id: int) -> Strategy:
    """One of the teacher's own strategies, which they may edit; Http404 otherwise."""
    return get_object_or_404(Strategy.objects.filter(owner=teacher), pk=strategy_id)


def mentor_texts_for(*, teacher: User) -> QuerySet[MentorText]:
    """The teacher's own mentor texts (there are no built-in ones)."""
    return MentorText.objects.filter(owner=teacher).select_related("goal")


def get_mentor_text_for(*, teacher: User, mentor_text_id: int) -> MentorText:
    """One of the teacher's mentor texts; Http404 otherwise."""
    return get_object_or_404(mentor_texts_for(teacher=teacher), pk=mentor_text_id)


def active_goals(*, student: Student) -> QuerySet[StudentGoal]:
    """The student's active goals (at most MAX_ACTIVE_GOALS), newest first."""
    return student.student_goals.filter(status=StudentGoal.Status.ACTIVE).select_related(
        "goal", "goal__category"
    )


def goal_history(*, student: Student) -> QuerySet[StudentGoal]:
    """The student's goals that were met or set aside, newest first."""
    return student.student_goals.exclude(status=StudentGoal.Status.ACTIVE).select_related("goal")


def get_student_goal_for(*, teacher: User, student_goal_id: int) -> StudentGoal:
    """A goal set for a student the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        StudentGoal.objects.select_related("goal", "student"),
        pk=student_goal_id,
        student__in=students_for(teacher=teacher),
    )


def get_strength_for(*, teacher: User, strength_id: int) -> Strength:
    """A strength of a student the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        Strength.objects.select_related("student"),
        pk=strength_id,
        student__in=students_for(teacher=teacher),
    )


def get_writing_sample_for(*, teacher: User, sample_id: int) -> WritingSample:
    """A writing sample of a student the teacher teaches; Http404 otherwise."""
    return get_object_or_404(
        WritingSample.objects.select_related("student"),
        pk=sample_id,
        student__in=students_for(teacher=teacher),
    )
