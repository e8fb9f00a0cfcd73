"""Reads for goals, strategies, mentor texts and what was learned about a student.

Library rows are either built in (owner is null, seen by every teacher unless they hid
them) or a teacher's own. Student rows are reached only through `get_student_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from conferbook.accounts.models import User
from conferbook.compiled import compiled
from conferbook.goals.models import (
    PHOTO_BYTES_OF_SPOT,
    Checklist,
    ChecklistItem,
    Goal,
    GoalCategory,
    MentorText,
    PageSpot,
    Rating,
    SamplePhoto,
    SelfAssessment,
    SelfAssessmentAnswer,
    Strategy,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.lib.grades import band_for
from conferbook.roster.models import Student
from conferbook.roster.selectors import students_for, students_seen_by


def _builtin_or_own(teacher: User) -> Q:
    return Q(owner__isnull=True) | Q(owner=teacher)


@compiled(teacher=User)  # `goals_for.all(teacher=...)`: the menu of every goal form
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


@compiled(teacher=User)
def mentor_texts_for(*, teacher: User) -> QuerySet[MentorText]:
    """The teacher's own mentor texts (there are no built-in ones)."""
    return MentorText.objects.filter(owner=teacher).select_related("goal")


@compiled(teacher=User, goal_id=int)
def strategies_for_goal(*, teacher: User, goal_id: int) -> QuerySet[Strategy]:
    """`strategies_for` the teacher that teach toward one goal."""
    return strategies_for(teacher=teacher).filter(goal=goal_id)


def get_mentor_text_for(*, teacher: User, mentor_text_id: int) -> MentorText:
    """One of the teacher's mentor texts; Http404 otherwise."""
    return get_object_or_404(mentor_texts_for(teacher=teacher), pk=mentor_text_id)


# The reads of a student's page and conference screen are compiled (conferbook.compiled):
# `active_goals(student=s)` is the queryset, `active_goals.all(student=s)` its rows.


@compiled(student=Student)
def active_goals(*, student: Student) -> QuerySet[StudentGoal]:
    """The student's active goals (at most MAX_ACTIVE_GOALS), newest first."""
    return StudentGoal.objects.filter(
        student=student, status=StudentGoal.Status.ACTIVE
    ).select_related("goal", "goal__category", "set_by")


@compiled(student=Student)
def active_goal_ids(*, student: Student) -> QuerySet[StudentGoal, int]:
    """The library goals the student is working on now."""
    return active_goals(student=student).values_list("goal_id", flat=True)


@compiled(student=Student)
def goal_history(*, student: Student) -> QuerySet[StudentGoal]:
    """The student's goals that were met or set aside, newest first."""
    return (
        StudentGoal.objects.filter(student=student)
        .exclude(status=StudentGoal.Status.ACTIVE)
        .select_related("goal", "set_by")
    )


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


def get_writing_sample_seen_by(*, user: User, sample_id: int) -> WritingSample:
    """A writing sample of a student the person may read (a coach too); Http404 otherwise."""
    return get_object_or_404(
        WritingSample.objects.select_related("student"),
        pk=sample_id,
        student__in=students_seen_by(user=user),
    )


# -- photos of notebook pages ------------------------------------------------------------


def get_photo_for(*, teacher: User, photo_id: int) -> SamplePhoto:
    """A page photo of a student the teacher teaches (to mark or remove); Http404 otherwise."""
    return get_object_or_404(
        SamplePhoto.objects.select_related("sample__student"),
        pk=photo_id,
        sample__student__in=students_for(teacher=teacher),
    )


def get_photo_seen_by(*, user: User, photo_id: int) -> SamplePhoto:
    """A page photo of a student the person may read (a coach too); Http404 otherwise."""
    return get_object_or_404(
        SamplePhoto.objects.select_related("sample__student"),
        pk=photo_id,
        sample__student__in=students_seen_by(user=user),
    )


def get_spot_for(*, teacher: User, spot_id: int) -> PageSpot:
    return get_object_or_404(
        PageSpot.objects.select_related("photo__sample").defer(*PHOTO_BYTES_OF_SPOT),
        pk=spot_id,
        photo__sample__student__in=students_for(teacher=teacher),
    )


def get_spot_seen_by(*, user: User, spot_id: int) -> PageSpot:
    return get_object_or_404(
        PageSpot.objects.all(),
        pk=spot_id,
        photo__sample__student__in=students_seen_by(user=user),
    )


def photo_bytes(*, photo_id: int, thumbnail: bool = False) -> bytes:
    """The JPEG of a page (or its thumbnail), read only when it is served."""
    field = "thumbnail" if thumbnail else "image"
    return bytes(SamplePhoto.objects.filter(pk=photo_id).values_list(field, flat=True).get())


def spot_bytes(*, spot_id: int) -> bytes:
    """The cut-out JPEG of a marked spot."""
    return bytes(PageSpot.objects.filter(pk=spot_id).values_list("image", flat=True).get())


@compiled(student=Student)
def samples_with_photos(*, student: Student) -> QuerySet[WritingSample]:
    """The student's samples, newest first, each with its pages (no image bytes)."""
    return (
        WritingSample.objects.filter(student=student)
        .select_related("added_by")
        .prefetch_related("photos")
    )


@compiled(student=Student)
def strengths_with_spots(*, student: Student) -> QuerySet[Strength]:
    """The student's strengths, newest first, each with its marked spots."""
    return (
        Strength.objects.filter(student=student)
        .select_related("sample", "noted_by")
        .prefetch_related("spots")
    )


@compiled(student=Student)
def places_to_lift(*, student: Student) -> QuerySet[PageSpot]:
    """The places marked on the student's pages where the level could be lifted, newest
    first, with the goal each could show and the sample it is in."""
    return (
        PageSpot.objects.filter(kind=PageSpot.Kind.LIFT, photo__sample__student=student)
        .select_related("goal", "photo__sample", "noted_by")
        .defer(*PHOTO_BYTES_OF_SPOT)
    )


# -- checklists and self-assessments -----------------------------------------------------


def checklists() -> QuerySet[Checklist]:
    """The built-in checklists, narrative, information and opinion, each in three bands."""
    return Checklist.objects.all()


def _with_items() -> QuerySet[Checklist]:
    return Checklist.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.select_related("goal"))
    )


def get_checklist(*, checklist_id: int) -> Checklist:
    """A built-in checklist (every teacher's), with its items and their goals; Http404."""
    return get_object_or_404(_with_items(), pk=checklist_id)


def checklist_for(*, student: Student, genre: str | None = None) -> Checklist | None:
    """The checklist to offer the student, with its items: of `genre` (else the genre of
    their latest self-assessment, else narrative) in their grade band (else their latest
    one's, else 3-5).
    """
    latest = student.self_assessments.select_related("checklist").first()
    band = band_for(student.grade) or (latest.checklist.band if latest else Checklist.Band.G3_5)
    genre = genre or (latest.checklist.genre if latest else Checklist.Genre.NARRATIVE)
    return _with_items().filter(genre=genre, band=band).first()


@dataclass(frozen=True)
class AnsweredItem:
    item: ChecklistItem
    rating: str

    @property
    def label(self) -> str:
        return Rating(self.rating).label


@dataclass(frozen=True)
class SelfAssessmentResult:
    """A student's latest self-assessment, read for the conference screen."""

    assessment: SelfAssessment
    answers: list[AnsweredItem]  # in checklist order
    # Goals of "not yet" lines the student is not working on: goals to propose.
    proposals: list[Goal]

    @property
    def not_yet(self) -> list[AnsweredItem]:
        return [a for a in self.answers if a.rating == Rating.NOT_YET]

    @property
    def counts(self) -> dict[str, int]:
        """How many lines got each rating, by rating value ("not_yet", "starting", "yes")."""
        return {rating: sum(a.rating == rating for a in self.answers) for rating in Rating.values}

    @property
    def taken_on(self) -> date:
        return self.assessment.taken_on


@compiled(student=Student)
def _latest_self_assessment(*, student: Student) -> QuerySet[SelfAssessment]:
    return (
        SelfAssessment.objects.filter(student=student)
        .select_related("checklist", "recorded_by")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=SelfAssessmentAnswer.objects.select_related("item__goal"),
            )
        )[:1]
    )


def latest_self_assessment(*, student: Student) -> SelfAssessmentResult | None:
    """The student's latest self-assessment with its answers, in three queries (or one when
    there is none); "not yet" lines propose their goals unless already active."""
    assessment = _latest_self_assessment.first(student=student)
    if assessment is None:
        return None
    answers = [AnsweredItem(a.item, a.rating) for a in assessment.answers.all()]
    active = set(active_goal_ids.all(student=student))
    proposals: list[Goal] = []
    for answer in answers:
        goal = answer.item.goal
        if answer.rating == Rating.NOT_YET and goal.pk not in active and goal not in proposals:
            proposals.append(goal)
    return SelfAssessmentResult(assessment=assessment, answers=answers, proposals=proposals)
