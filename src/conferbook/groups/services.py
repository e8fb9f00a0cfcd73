"""Writes for small groups and partnerships. The caller has checked that the teacher
teaches the class, and that the students, goal and strategy are ones they may use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from conferbook.goals.models import Goal, Strategy
from conferbook.groups.models import MIN_GROUP_SIZE, Partnership, PartnershipMember, SmallGroup
from conferbook.roster.models import Classroom, Student

MAX_PARTNERS = 3  # a pair, or the one trio of a class with an odd number of writers


class GroupRefused(Exception):
    """A group or partnership that cannot be saved; the message says why, in plain words."""


@transaction.atomic
def save_small_group(
    *,
    classroom: Classroom,
    name: str,
    goal: Goal | None,
    strategy: Strategy | None,
    members: Sequence[Student],
    group: SmallGroup | None = None,
) -> SmallGroup:
    """Create a small group of the class, or update `group`: name, goal, strategy, members.

    Refuses (GroupRefused) fewer than two members, a member of another class and a strategy
    of another goal.
    """
    if len({m.pk for m in members}) < MIN_GROUP_SIZE:
        raise GroupRefused("A small group needs at least two students.")
    if classroom.students.filter(pk__in=[m.pk for m in members]).count() != len(
        {m.pk for m in members}
    ):
        raise GroupRefused(f"Every member must be a student of {classroom.name}.")
    if strategy is not None and (goal is None or strategy.goal_id != goal.pk):
        raise GroupRefused("Choose a strategy of the group's goal.")
    if group is None:
        group = SmallGroup(classroom=classroom)
    group.name, group.goal, group.strategy = name, goal, strategy
    group.save()
    group.members.set(members)
    return group


@dataclass(frozen=True)
class GroupToSave:
    """A suggested group as the teacher accepts it."""

    name: str
    goal: Goal
    strategy: Strategy | None
    members: Sequence[Student]


@transaction.atomic
def accept_suggested_groups(
    *, classroom: Classroom, groups: Sequence[GroupToSave]
) -> tuple[list[SmallGroup], int]:
    """Save the suggested groups the class does not have yet; returns (saved, already there).

    A suggestion is already there when a group of the class has the same goal and exactly
    the same members, so accepting twice (a double tap, two tabs) saves nothing twice.
    """
    # Lock the class: two tabs accepting at once would otherwise both see "not there yet".
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    existing = {
        (group.goal_id, frozenset(m.pk for m in group.members.all()))
        for group in SmallGroup.objects.filter(classroom=classroom).prefetch_related("members")
    }
    saved = []
    for wanted in groups:
        key = (wanted.goal.pk, frozenset(m.pk for m in wanted.members))
        if key in existing:
            continue
        existing.add(key)
        saved.append(
            save_small_group(
                classroom=classroom,
                name=wanted.name,
                goal=wanted.goal,
                strategy=wanted.strategy,
                members=wanted.members,
            )
        )
    return saved, len(groups) - len(saved)


@dataclass(frozen=True)
class PartnershipToSave:
    members: Sequence[Student]
    basis: str
    reason: str


@transaction.atomic
def save_partnerships(
    *, classroom: Classroom, partnerships: Sequence[PartnershipToSave], replace: bool
) -> list[Partnership]:
    """Save partnerships of the class; with `replace`, the class's earlier ones go first.

    Each needs two or three students of the class, and a student is in at most one
    partnership of a class (the database keeps to that too): GroupRefused otherwise,
    and nothing is saved.
    """
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    if replace:
        Partnership.objects.filter(classroom=classroom).delete()
    in_class = set(classroom.students.values_list("pk", flat=True))
    saved = []
    for wanted in partnerships:
        ids = [m.pk for m in wanted.members]
        if not MIN_GROUP_SIZE <= len(set(ids)) <= MAX_PARTNERS or len(set(ids)) != len(ids):
            raise GroupRefused("Partners come in twos (or one three when the class is odd).")
        if not set(ids) <= in_class:
            raise GroupRefused(f"Every partner must be a student of {classroom.name}.")
        partnership = Partnership.objects.create(
            classroom=classroom, basis=wanted.basis, reason=wanted.reason[:300]
        )
        try:
            with transaction.atomic():
                PartnershipMember.objects.bulk_create(
                    PartnershipMember(partnership=partnership, classroom=classroom, student=m)
                    for m in wanted.members
                )
        except IntegrityError:
            taken = ", ".join(
                m.shown_name
                for m in wanted.members
                if PartnershipMember.objects.filter(classroom=classroom, student=m)
                .exclude(partnership=partnership)
                .exists()
            )
            raise GroupRefused(
                f"Already in a partnership: {taken}. Split that partnership first."
            ) from None
        saved.append(partnership)
    return saved


def remove_small_group(*, group: SmallGroup) -> None:
    """Remove a group and its bookings; its conferences stay in every member's chart."""
    group.delete()


def split_partnership(*, partnership: Partnership) -> None:
    """End a partnership; its students can be paired again."""
    partnership.delete()


@transaction.atomic
def leave_class(*, student: Student, classroom: Classroom) -> None:
    """Take a student who moves out of `classroom` off its small groups and partnerships.

    A partnership left with one student ends; a group keeps its other members (and its
    conferences stay in every chart).
    """
    for group in SmallGroup.objects.filter(classroom=classroom, members=student):
        group.members.remove(student)
    left = list(
        PartnershipMember.objects.filter(classroom=classroom, student=student).values_list(
            "partnership_id", flat=True
        )
    )
    PartnershipMember.objects.filter(classroom=classroom, student=student).delete()
    for partnership in Partnership.objects.filter(pk__in=left).prefetch_related("memberships"):
        if len(partnership.memberships.all()) < MIN_GROUP_SIZE:
            partnership.delete()
