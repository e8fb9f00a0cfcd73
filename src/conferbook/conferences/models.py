"""Conferences.

conference   one short meeting with a student: booked (`scheduled`), under way
             (`in_progress`), `held`, or `missed`. A booked conference is the
             appointment; holding it fills in the same row.
chart        the student's two-column record: per held conference, what we discussed
             and what the student will do before next time (`task`).
task         the small practice set at the end of a conference and reviewed at the
             start of the next (`task_review`).
ids          a conference's id is a UUID the browser may generate, so a retried
             request finds the same row instead of making a second one.
sticker      a picture clue (the goal's `clue_icon` and `clue_words`) printed on a label
             and given to a student in a conference; `EarnedSticker` records each one
             earned. A student may earn a goal's sticker again in a later conference, but
             only once per goal in one conference. The collection is the student's, like
             their goals: it stays when a conference is deleted (`conference` is then
             null) and goes when the student's data is deleted.
group conference  one meeting with a small group. What is said to the whole group (the
             compliment, the teaching point, what we discussed, the task for everyone)
             is stored once, on `GroupConference`; each member has a `Conference` row of
             their own (`group_conference` set) with what is theirs: the review of their
             last task and, when it differs, their own task. Those rows put the group
             conference in every member's chart and count the member as seen.
class list stamp  a number per class that the database changes whenever a row the class
             list shows changes (`ClassListStamp`, kept by `class_stamps`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from conferbook.goals.models import Goal, MentorText, Strategy, Strength, StudentGoal
from conferbook.groups.models import SmallGroup
from conferbook.roster.models import Classroom, Student

# The text fields the conference screen autosaves one at a time.
AUTOSAVED_FIELDS = ("research", "compliment", "discussed", "task", "task_review_note")
# The group conference screen: the group's texts, and each member's own.
GROUP_AUTOSAVED_FIELDS = ("research", "compliment", "discussed", "task")
MEMBER_AUTOSAVED_FIELDS = ("task", "task_review_note")


class WhatWasSaid(models.Model):
    """What the teacher said and taught in a conference: a one-on-one keeps it on its own
    row, a small-group conference once for the whole group (see `Conference.shared`)."""

    # Research: the students' own words on how it is going.
    research = models.TextField(blank=True)
    # Compliment: one strength that transfers.
    compliment = models.TextField(blank=True)
    # Teach: the strategy and the mentor text.
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor_text = models.ForeignKey(
        MentorText, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discussed = models.TextField("what we discussed", blank=True)

    class Meta:
        abstract = True


class GroupConference(WhatWasSaid):
    """A small-group conference: the part said to the whole group, stored once."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "Under way"
        HELD = "held", "Held"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="group_conferences"
    )
    group = models.ForeignKey(
        SmallGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferences",
    )
    # The group's name when it met: the group may be renamed or removed since.
    name = models.CharField(max_length=120)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.TextField("the task for everyone", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.started_at:%Y-%m-%d})"

    # The chart reads a conference's shared part through `Conference.shared`: a group
    # conference picks no strength of one student.
    strength = None


class Conference(WhatWasSaid):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Booked"
        IN_PROGRESS = "in_progress", "Under way"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"

    class Kind(models.TextChoices):
        WRITING = "writing", "Writing"
        READING = "reading", "Reading"

    class TaskReview(models.TextChoices):
        DONE = "done", "Done"
        PARTLY = "partly", "Partly"
        NOT_YET = "not_yet", "Not yet"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="conferences")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="conferences")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WRITING)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_for = models.DateTimeField(null=True, blank=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, db_index=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)

    # Review of the task set last time.
    task_review = models.CharField(max_length=10, choices=TaskReview.choices, blank=True)
    task_review_note = models.TextField(blank=True)
    # The strength complimented, and the goal taught (with what the base class holds).
    strength = models.ForeignKey(
        Strength, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_goal = models.ForeignKey(
        StudentGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences"
    )
    task = models.TextField("what the student will do before next time", blank=True)
    # True for a booking the scheduler made (it may re-plan it); False when the teacher
    # placed or moved it by hand (the scheduler keeps it as it is).
    planned = models.BooleanField(default=False)
    # Set when the teacher chose "not now" instead of booking the next conference.
    next_not_booked = models.BooleanField(default=False)
    # Set on a member's row of a small-group conference (see the glossary above).
    group_conference = models.ForeignKey(
        GroupConference,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-scheduled_for"]
        indexes = [
            models.Index(fields=["student", "status"], name="conference_student_status"),
            # Today, the week, the month and coverage read one class's days: a range of
            # times within the class, never the class's whole history.
            models.Index(fields=["classroom", "scheduled_for"], name="conference_class_booked"),
            models.Index(fields=["classroom", "ended_at"], name="conference_class_ended"),
            # A student's last conference held in a class (every class list, standing and
            # card asks it) is one step down this index, however long the history.
            models.Index(
                fields=["student", "classroom", "status", "ended_at"],
                name="conference_student_last",
            ),
        ]
        constraints = [
            # A member of a small-group conference under way may still be seen alone.
            models.UniqueConstraint(
                fields=["student", "classroom"],
                condition=models.Q(status="in_progress", group_conference__isnull=True),
                name="one_conference_under_way_per_student_and_class",
            ),
        ]

    def __str__(self) -> str:
        when = self.started_at or self.scheduled_for
        return (
            f"{self.student} ({self.get_status_display()}, {when:%Y-%m-%d})"
            if when
            else str(self.student)
        )

    @property
    def shared(self) -> WhatWasSaid:
        """Where what was said to the student is kept: the group conference for a member of
        a small group, else this conference (compliment, teaching point, what we discussed)."""
        return self.group_conference or self

    @property
    def goal(self) -> Goal | None:
        """The goal worked on: the student's goal picked, or the group's goal."""
        if self.student_goal is not None:
            return self.student_goal.goal
        return self.group_conference.goal if self.group_conference else None

    @property
    def others_in_group(self) -> list[Student]:
        """The other members of the small-group conference (none for a one-on-one)."""
        if self.group_conference is None:
            return []
        return [m.student for m in self.group_conference.members.all() if m.pk != self.pk]

    @property
    def student_task(self) -> str:
        """The task the student took away: their own, or the one the whole group was set."""
        if self.task or self.group_conference is None:
            return self.task
        return self.group_conference.task


class EarnedSticker(models.Model):
    """One picture-clue sticker a student earned for a goal, in a conference."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="earned_stickers")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    conference = models.ForeignKey(
        Conference,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="earned_stickers",
    )
    earned_on = models.DateField()
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-earned_on", "-id"]
        indexes = [models.Index(fields=["student", "goal"], name="sticker_student_goal")]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "goal"], name="one_sticker_per_goal_per_conference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.goal} ({self.earned_on:%Y-%m-%d})"


class ClassListStamp(models.Model):
    """Which version of its data a class list shows: the database sets a new random number
    whenever a row the class list reads changes (see conferences.class_stamps), so a list
    made at one number is the same list for as long as the number stays."""

    classroom = models.OneToOneField(
        Classroom,
        primary_key=True,
        # Kept by the database's triggers alone: one made while a class is being deleted
        # must not stop the delete, and the class's own delete trigger removes it.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"Class {self.classroom_id}: list stamp {self.version}"
