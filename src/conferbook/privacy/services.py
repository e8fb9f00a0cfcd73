"""Writes for the family's rights: the complete deletion of a student's data, the retention
purge, and the audit event of an export."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from conferbook.accounts.models import User
from conferbook.audit.models import Event
from conferbook.audit.services import record
from conferbook.groups.services import leave_class
from conferbook.privacy import selectors
from conferbook.privacy.models import DeletionReceipt
from conferbook.privacy.registry import REDACTED, REGISTRY, Deletion, Kind
from conferbook.roster.models import Classroom, Student


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that finds any of `names` as whole words, in any case (longest first, so a
    full name goes as one), or None when there is no name to find."""
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def redact(text: str, pattern: re.Pattern[str] | None) -> str:
    """`text` with every match of `pattern` replaced by "[a student]"."""
    return pattern.sub(REDACTED, text) if pattern is not None and text else text


def student_names(student: Student) -> list[str]:
    return [student.first_name, student.last_name, student.preferred_name, student.full_name]


def _redact_rows(kind: Kind, rows: Iterable[Model], pattern: re.Pattern[str] | None) -> None:
    for row in rows:
        changed = []
        for name in kind.redacted_fields:
            before = getattr(row, name)
            after = redact(before, pattern)
            if after != before:
                setattr(row, name, after)
                changed.append(name)
        if changed:
            row.save(update_fields=changed)


@transaction.atomic
def delete_student(
    *,
    student: Student,
    actor: User | None,
    reason: str = DeletionReceipt.Reason.REQUEST,
    classroom: Classroom | None = None,
    actor_name: str = "",
    ip_address: str | None = None,
) -> DeletionReceipt:
    """Delete everything about `student`, kind by kind through the registry, and return the
    receipt: how many rows of each kind went, and how many shared rows (small groups,
    small-group conferences, partnerships, group appointments) lost the student's part.

    Shared rows keep what belongs to the others, with the student's names replaced by
    "[a student]" in their text; a small-group conference left with no member and a
    partnership left with one student (as when a student leaves a class) go as well.
    Records one DELETED audit event. `classroom` is the class named on the receipt (the
    student's first class when not given).
    """
    student_id = student.pk
    ids = [student_id]
    classrooms = list(Classroom.objects.filter(students=student).order_by("pk"))
    named = classroom or (classrooms[0] if classrooms else None)
    pattern = name_pattern(student_names(student))

    own = [kind for kind in REGISTRY if kind.deletion is Deletion.OWN]
    shared = [kind for kind in REGISTRY if kind.deletion is Deletion.SHARED]
    # Found while the student's part still links them.
    shared_ids = {kind.key: list(kind.rows(ids).values_list("pk", flat=True)) for kind in shared}
    own_ids = {kind.key: list(kind.rows(ids).values_list("pk", flat=True)) for kind in own}

    # Small groups and partnerships follow the rule of a student who leaves a class.
    member_classes = {
        *Classroom.objects.filter(small_groups__members=student).values_list("pk", flat=True),
        *Classroom.objects.filter(partnerships__memberships__student=student).values_list(
            "pk", flat=True
        ),
    }
    for the_class in Classroom.objects.filter(pk__in=member_classes):
        leave_class(student=student, classroom=the_class)

    # The student's own rows, the ones that point at others first.
    for kind in reversed(own):
        kind.model._default_manager.filter(pk__in=own_ids[kind.key]).delete()
    deleted = {key: len(pks) for key, pks in own_ids.items() if pks}

    changed: dict[str, int] = {}
    for kind in shared:
        rows = kind.model._default_manager.filter(pk__in=shared_ids[kind.key])
        empty = rows.filter(members__isnull=True) if kind.key == "group_conferences" else None
        if empty is not None and (gone := empty.count()):
            deleted[kind.key] = gone
            empty.delete()
        elif kind.key == "partnerships" and (gone := len(shared_ids[kind.key]) - rows.count()):
            deleted[kind.key] = gone  # ended by leave_class
        left = list(kind.model._default_manager.filter(pk__in=shared_ids[kind.key]))
        _redact_rows(kind, left, pattern)
        if left:
            changed[kind.key] = len(left)

    name = actor_name or (actor.display_name if actor is not None else "")
    receipt = DeletionReceipt.objects.create(
        deleted_by_id=actor.pk if actor is not None else None,
        deleted_by_name=name[:150],
        student_id=student_id,
        classroom_id=named.pk if named else None,
        classroom_name=named.name if named else "",
        counts={"deleted": deleted, "changed": changed},
        reason=reason,
    )
    record(
        Event.Kind.DELETED,
        actor=actor,
        actor_name=name,
        student_id=student_id,
        classroom_id=named.pk if named else None,
        ip_address=ip_address,
        detail=(
            "all of the student's data, on request"
            if reason == DeletionReceipt.Reason.REQUEST
            else "all of the student's data, past the retention period"
        ),
    )
    return receipt


@dataclass(frozen=True)
class PurgeResult:
    due: list[selectors.Due]
    receipts: list[DeletionReceipt]


def purge_past_retention(*, apply: bool, now: datetime | None = None) -> PurgeResult:
    """The students past the school's retention period (see selectors.past_retention);
    with `apply`, each one deleted completely with a receipt (reason "retention"), one
    transaction per student, so an interrupted run simply goes on at the next one."""
    due = selectors.past_retention(now=now or timezone.now())
    receipts = []
    if apply:
        for one in due:
            student = Student.objects.filter(pk=one.student_id).first()
            if student is None:  # deleted since (another run, or a teacher)
                continue
            receipts.append(
                delete_student(
                    student=student,
                    actor=None,
                    actor_name="retention (conferbook purge)",
                    reason=DeletionReceipt.Reason.RETENTION,
                )
            )
    return PurgeResult(due=due, receipts=receipts)


def record_export(
    *,
    actor: User | None,
    detail: str,
    student_id: int | None = None,
    classroom_id: int | None = None,
    actor_name: str = "",
    ip_address: str | None = None,
) -> None:
    """One EXPORTED audit event: who exported which record, and in which form (never the
    content)."""
    record(
        Event.Kind.EXPORTED,
        actor=actor,
        actor_name=actor_name,
        student_id=student_id,
        classroom_id=classroom_id,
        detail=detail,
        ip_address=ip_address,
    )


# What a teacher may remove one by one from the "Correct the record" page: the rows with
# no page of their own to remove them (see tests/privacy/test_corrections.py for the rest).
REMOVABLE = ("goals", "writing_samples", "strengths", "self_assessments", "conferences", "stickers")


class NotRemovable(Exception):
    """The row asked for is not one of the student's removable rows (or no longer exists)."""


@transaction.atomic
def remove_record(
    *,
    student: Student,
    kind_key: str,
    row_id: str,
    classrooms: Iterable[int] | QuerySet[Classroom] | None,
) -> str:
    """Remove one row of the student's record (a goal entered by mistake, a sample, a
    strength, a self-assessment, a conference, a sticker); the kind's title. Rows that
    belong to a class only from `classrooms`. NotRemovable for anything else."""
    from conferbook.privacy.registry import KINDS

    if kind_key not in REMOVABLE:
        raise NotRemovable
    kind = KINDS[kind_key]
    rows = kind.rows([student.pk], classrooms=classrooms)
    try:
        row = rows.filter(pk=row_id).first()
    except (ValueError, TypeError, ValidationError):
        row = None
    if row is None:
        raise NotRemovable
    row.delete()
    return kind.title
