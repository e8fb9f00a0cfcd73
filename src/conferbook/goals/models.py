"""Goals, and what the teacher learns by studying a student's writing.

goal library    categories of goals; built-in rows (owner is null) come from the data
                files in `library/`, a teacher's own rows have an owner. Built-in rows
                are hidden per teacher (`hidden_by`), never deleted.
goal            a skill a student works toward, with the student's "I can..." words, a
                checklist item and a picture clue (icon name and a few words) for stickers.
strategy        a concrete, teachable step toward a goal: a micro-mini lesson in steps.
mentor text     a text that shows a goal done well, with what to notice in it.
student goal    a goal set for one student: active, then met or set aside. At most
                two are active at once (`MAX_ACTIVE_GOALS`).
writing sample  a piece of a student's writing, pasted in.
strength        something a student already does well, with evidence quoted from
                their writing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from conferbook.roster.models import Student

MAX_ACTIVE_GOALS = 2
GRADE_LABELS = ["K", "1", "2", "3", "4", "5", "6", "7", "8"]


class GoalCategory(models.Model):
    key = models.SlugField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "goal categories"
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(owner=None), name="builtin_category_key"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    category = models.ForeignKey(GoalCategory, on_delete=models.PROTECT, related_name="goals")
    key = models.SlugField(max_length=80, blank=True)
    name = models.CharField("goal", max_length=200)
    student_words = models.CharField('"I can..." words', max_length=200)
    checklist_item = models.CharField(max_length=200, blank=True)
    clue_icon = models.CharField("picture clue icon", max_length=60, blank=True)
    clue_words = models.CharField("picture clue words", max_length=60, blank=True)
    grade_low = models.PositiveSmallIntegerField(default=0)
    grade_high = models.PositiveSmallIntegerField(default=8)
    position = models.PositiveSmallIntegerField(default=0)
    library_version = models.CharField(max_length=20, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_goals",
    )
    hidden_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hidden_goals"
    )

    class Meta:
        ordering = ["category__position", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(owner=None), name="builtin_goal_key"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    @property
    def grades(self) -> str:
        low, high = GRADE_LABELS[self.grade_low], GRADE_LABELS[self.grade_high]
        return low if low == high else f"{low}-{high}"


class Strategy(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="strategies")
    key = models.SlugField(max_length=80, blank=True)
    name = models.CharField(max_length=200)
    steps = models.TextField(help_text="One step per line.")
    position = models.PositiveSmallIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_strategies",
    )
    hidden_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="hidden_strategies"
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(owner=None), name="builtin_strategy_key"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None


class MentorText(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentor_texts"
    )
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    notice = models.TextField("what to notice", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.author})" if self.author else self.title


class StudentGoal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MET = "met", "Met"
        SET_ASIDE = "set_aside", "Set aside"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="student_goals")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="student_goals")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    set_on = models.DateField()
    set_with_student = models.BooleanField("set together with the student", default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-set_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "goal"],
                condition=models.Q(status="active"),
                name="goal_active_once_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student}: {self.goal} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class WritingSample(models.Model):
    class Kind(models.TextChoices):
        NOTEBOOK = "notebook", "Notebook entry"
        ON_DEMAND = "on_demand", "On-demand piece"
        PUBLISHED = "published", "Published piece"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="writing_samples")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NOTEBOOK)
    written_on = models.DateField()
    text = models.TextField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Strength(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="strengths")
    description = models.CharField("strength", max_length=200)
    evidence = models.TextField(blank=True, help_text="Words quoted from the student's writing.")
    sample = models.ForeignKey(
        WritingSample, null=True, blank=True, on_delete=models.SET_NULL, related_name="strengths"
    )
    noted_on = models.DateField()
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return self.description
