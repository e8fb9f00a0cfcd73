"""Writes for goals: the teacher's library and the goals set with each student."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeVar

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.goals.models import (
    MAX_ACTIVE_GOALS,
    Checklist,
    DismissedProposal,
    Goal,
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
from conferbook.lib.photos import MIN_SPOT, Box, KeptPhoto, cut_out
from conferbook.roster.models import Student


class GoalLimitReached(Exception):
    """The student already has the most active goals allowed."""

    def __init__(self, active: list[StudentGoal]) -> None:
        self.active = active
        names = " and ".join(f"“{sg.goal.name}”" for sg in active)
        super().__init__(
            f"{active[0].student.shown_name} already works on {names}. "
            "Mark one as met or set it aside before setting a new goal."
        )


class GoalAlreadyActive(Exception):
    def __init__(self, student_goal: StudentGoal) -> None:
        super().__init__(
            f"{student_goal.student.shown_name} is already working on “{student_goal.goal.name}”."
        )


@transaction.atomic
def set_goal(
    *,
    teacher: User,
    student: Student,
    goal: Goal,
    set_with_student: bool = True,
    on: date | None = None,
) -> StudentGoal:
    """Give a student a new active goal.

    Refuses with GoalLimitReached (naming the active goals) when the student already has
    MAX_ACTIVE_GOALS, and with GoalAlreadyActive when this goal is one of them.
    """
    # Lock the student so two tabs cannot both add a third goal.
    Student.objects.select_for_update().filter(pk=student.pk).first()
    active = list(
        student.student_goals.filter(status=StudentGoal.Status.ACTIVE).select_related(
            "goal", "student"
        )
    )
    for student_goal in active:
        if student_goal.goal_id == goal.pk:
            raise GoalAlreadyActive(student_goal)
    if len(active) >= MAX_ACTIVE_GOALS:
        raise GoalLimitReached(active)
    return StudentGoal.objects.create(
        student=student,
        goal=goal,
        set_on=on or timezone.localdate(),
        set_with_student=set_with_student,
        set_by=teacher,
    )


class GoalNotActive(Exception):
    """Only an active goal can be marked met or set aside."""


@transaction.atomic
def close_goal(*, student_goal: StudentGoal, status: str, on: date | None = None) -> StudentGoal:
    """Mark an active goal met or set aside; it stays in the student's goal history.

    Raises GoalNotActive when it was already closed (a second tap, another tab).
    """
    if status not in (StudentGoal.Status.MET, StudentGoal.Status.SET_ASIDE):
        raise ValueError(f"Unknown goal status: {status}")
    current = StudentGoal.objects.select_for_update().get(pk=student_goal.pk)
    if not current.is_active:
        raise GoalNotActive(f"“{student_goal.goal.name}” is no longer active.")
    student_goal.status = status
    student_goal.closed_on = on or timezone.localdate()
    student_goal.save(update_fields=["status", "closed_on"])
    return student_goal


@transaction.atomic
def change_goal(
    *, teacher: User, student_goal: StudentGoal, goal: Goal, outcome: str
) -> StudentGoal:
    """Move a student from one active goal to another: the old one is closed as `outcome`
    (met or set aside) and kept in their history, then `goal` is set under the usual rule.

    All or nothing: GoalAlreadyActive (the new goal is one they already work on),
    GoalNotActive (the old one was closed meanwhile) or GoalLimitReached leave both as
    they were.
    """
    student = student_goal.student
    already = (
        student.student_goals.filter(status=StudentGoal.Status.ACTIVE, goal=goal)
        .select_related("goal", "student")
        .first()
    )
    if already is not None:
        raise GoalAlreadyActive(already)
    close_goal(student_goal=student_goal, status=outcome)
    return set_goal(teacher=teacher, student=student, goal=goal)


OwnItem = TypeVar("OwnItem", Goal, Strategy, MentorText)


def save_own_library_item(*, teacher: User, item: OwnItem) -> OwnItem:
    """Save a goal, strategy or mentor text of the teacher's own; the teacher owns it."""
    item.owner = teacher
    item.save()
    return item


def set_hidden(*, teacher: User, item: Goal | Strategy, hidden: bool) -> None:
    """Hide a built-in goal or strategy from this teacher's lists, or show it again."""
    relation = item.hidden_by
    if hidden:
        relation.add(teacher)
    else:
        relation.remove(teacher)


@transaction.atomic
def add_writing_sample(
    *,
    teacher: User,
    student: Student,
    title: str,
    kind: str,
    written_on: date,
    text: str,
    photos: Sequence[KeptPhoto] = (),
) -> WritingSample:
    """Keep a piece of the student's writing: typed or pasted, photographed page by page
    (photos already made safe by lib.photos.keep_photo), or both."""
    sample = WritingSample.objects.create(
        student=student, title=title, kind=kind, written_on=written_on, text=text, added_by=teacher
    )
    add_sample_photos(teacher=teacher, sample=sample, photos=photos)
    return sample


def transcribe_sample(*, sample: WritingSample, text: str) -> WritingSample:
    """Keep the typed copy of a sample (what its photographed pages say)."""
    sample.text = text.strip()
    sample.save(update_fields=["text"])
    return sample


@transaction.atomic
def add_sample_photos(
    *, teacher: User, sample: WritingSample, photos: Sequence[KeptPhoto]
) -> list[SamplePhoto]:
    """Add pages to a sample, after the pages it has."""
    last = sample.photos.aggregate(last=Max("position"))["last"]
    start = 0 if last is None else last + 1
    return SamplePhoto.objects.bulk_create(
        SamplePhoto(
            sample=sample,
            position=start + n,
            width=kept.width,
            height=kept.height,
            image=kept.image,
            thumbnail=kept.thumbnail,
            added_by=teacher,
        )
        for n, kept in enumerate(photos)
    )


def remove_sample_photo(*, photo: SamplePhoto) -> None:
    """Remove a page (a photo taken by mistake), with the spots marked on it; a strength
    stays, without its cut-out."""
    photo.delete()


class SpotOutsidePhoto(ValueError):
    """The rectangle is not on the photo, or too small to see."""


@transaction.atomic
def mark_spot(
    *,
    teacher: User,
    photo: SamplePhoto,
    box: Box,
    kind: str,
    description: str = "",
    note: str = "",
    goal: Goal | None = None,
    on: date | None = None,
) -> PageSpot:
    """Keep a rectangle of a page, cut out to its pixel: as the evidence of a new strength
    (named by `description`) or as a place to lift the level (toward `goal`, with a note).
    The caller checked the teacher may write for the student and see `goal`."""
    if not box.fits(photo.width, photo.height):
        raise SpotOutsidePhoto(
            f"Draw the rectangle on the page: at least {MIN_SPOT} pixels a side, inside the photo."
        )
    sample = photo.sample
    image = SamplePhoto.objects.filter(pk=photo.pk).values_list("image", flat=True).get()
    strength = None
    if kind == PageSpot.Kind.STRENGTH:
        strength = record_strength(
            teacher=teacher,
            student=sample.student,
            description=description,
            evidence=note,
            sample=sample,
            goal=goal,
            on=on,
        )
    return PageSpot.objects.create(
        photo=photo,
        kind=kind,
        left=box.left,
        top=box.top,
        width=box.width,
        height=box.height,
        image=cut_out(bytes(image), box),
        strength=strength,
        goal=goal,
        note="" if strength else note,  # a strength's words are its evidence
        noted_on=on or timezone.localdate(),
        noted_by=teacher,
    )


def remove_spot(*, spot: PageSpot) -> None:
    """Remove a marked spot; a strength noted with it stays, with its words."""
    spot.delete()


def record_strength(
    *,
    teacher: User,
    student: Student,
    description: str,
    evidence: str = "",
    sample: WritingSample | None = None,
    goal: Goal | None = None,
    on: date | None = None,
) -> Strength:
    """Note a strength, with the words from the student's writing that show it and the
    library goal it shows, if any (the caller checked the teacher may see that goal)."""
    if sample is not None and sample.student_id != student.pk:
        raise ValueError("The writing sample belongs to another student.")
    return Strength.objects.create(
        student=student,
        description=description,
        evidence=evidence,
        sample=sample,
        goal=goal,
        noted_on=on or timezone.localdate(),
        noted_by=teacher,
    )


class AssessmentIncomplete(Exception):
    """A self-assessment must rate every item of its checklist; the message names them."""


@transaction.atomic
def record_self_assessment(
    *,
    teacher: User,
    student: Student,
    checklist: Checklist,
    ratings: Mapping[int, str],
    by_student: bool = False,
    on: date | None = None,
) -> SelfAssessment:
    """Keep a student's ratings of every item of `checklist` (item id -> Rating value).

    Refuses with AssessmentIncomplete, naming the items, when an item has no rating, and
    with ValueError for an item of another checklist or a rating that is not one of
    "not yet", "starting to", "yes".
    """
    items = list(checklist.items.all())
    known = {item.pk for item in items}
    if unknown := set(ratings) - known:
        raise ValueError(f"Not items of “{checklist.name}”: {sorted(unknown)}")
    if bad := {value for value in ratings.values() if value not in Rating.values}:
        raise ValueError(f"Not a rating: {', '.join(sorted(bad))}")
    if missing := [item for item in items if item.pk not in ratings]:
        lines = "; ".join(f"“{item.text}”" for item in missing)
        raise AssessmentIncomplete(f"Choose an answer for every line. Still open: {lines}")
    assessment = SelfAssessment.objects.create(
        student=student,
        checklist=checklist,
        taken_on=on or timezone.localdate(),
        by_student=by_student,
        recorded_by=teacher,
    )
    SelfAssessmentAnswer.objects.bulk_create(
        SelfAssessmentAnswer(assessment=assessment, item=item, rating=ratings[item.pk])
        for item in items
    )
    return assessment


def dismiss_proposal(
    *, teacher: User, sample: WritingSample, goal_key: str, kind: str
) -> DismissedProposal:
    """Dismiss a strength or next step the analyser proposed for this sample, so it is not
    proposed again for it (safe to repeat)."""
    if kind not in DismissedProposal.Kind.values:
        raise ValueError(f"Unknown kind of proposal: {kind}")
    dismissed, _ = DismissedProposal.objects.get_or_create(
        sample=sample, goal_key=goal_key, kind=kind, defaults={"dismissed_by": teacher}
    )
    return dismissed
