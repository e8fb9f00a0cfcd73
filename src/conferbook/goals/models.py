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
writing sample  a piece of a student's writing: typed or pasted in, or photographed from
                the notebook (one photo a page) with an optional typed transcription,
                which is what the writing analyser reads.
sample photo    one photographed page of a writing sample, kept as Conferbook wrote it
                (upright, shrunk, no metadata; see lib/photos.py), with a thumbnail.
                The image bytes are read only by the view that serves them.
page spot       a rectangle marked on a sample photo: the evidence of a strength, or a
                place where the level could be lifted (with the goal it could show).
                The cut-out is kept with it, so pages and printouts show it as marked.
strength        something a student already does well, with evidence quoted from
                their writing; it may show a goal of the library (`goal`), which makes
                the student a good partner for a classmate working on that goal.
checklist       a built-in self-assessment list for one kind of writing (narrative,
                information, opinion) and one grade band; each item is tied to a goal.
self-assessment a student's ratings of a checklist's items ("not yet", "starting to",
                "yes"), recorded by the teacher or by the student on the kiosk page.
dismissed       a strength or next step the writing analyser proposed for a sample and
proposal        the teacher dismissed, so it is not proposed again for that sample.
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
    text = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]

    def __str__(self) -> str:
        return self.title


class PhotoManager(models.Manager["SamplePhoto"]):
    """Photos without their image bytes: a list of pages never reads megabytes."""

    def get_queryset(self) -> models.QuerySet[SamplePhoto]:
        return super().get_queryset().defer("image", "thumbnail")


class SamplePhoto(models.Model):
    sample = models.ForeignKey(WritingSample, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = models.BinaryField()
    thumbnail = models.BinaryField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoManager()

    class Meta:
        ordering = ["position", "id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"page {self.position + 1} of {self.sample_id}"


class Strength(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="strengths")
    description = models.CharField("strength", max_length=200)
    evidence = models.TextField(blank=True, help_text="Words quoted from the student's writing.")
    sample = models.ForeignKey(
        WritingSample, null=True, blank=True, on_delete=models.SET_NULL, related_name="strengths"
    )
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="shows the goal",
        help_text="The library goal this strength shows, if any: it helps pair partners.",
    )
    noted_on = models.DateField()
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return self.description


# What a query reaching a spot's photo through select_related leaves unread.
PHOTO_BYTES_OF_SPOT = ("photo__image", "photo__thumbnail")


class SpotManager(models.Manager["PageSpot"]):
    """Spots without their cut-out's bytes (and without their photo's, when it is joined)."""

    def get_queryset(self) -> models.QuerySet[PageSpot]:
        return super().get_queryset().defer("image")


class PageSpot(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Evidence of a strength"
        LIFT = "lift", "A place to lift the level"

    photo = models.ForeignKey(SamplePhoto, on_delete=models.CASCADE, related_name="spots")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    left = models.PositiveIntegerField()
    top = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = models.BinaryField()  # the cut-out, JPEG
    strength = models.ForeignKey(
        Strength, null=True, blank=True, on_delete=models.CASCADE, related_name="spots"
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    noted_on = models.DateField()
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SpotManager()

    class Meta:
        ordering = ["-noted_on", "-id"]
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="strength") | models.Q(strength__isnull=False),
                name="strength_spot_has_strength",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.photo_id}"


class Checklist(models.Model):
    """A built-in self-assessment checklist (from `library/checklists/`), by key."""

    class Genre(models.TextChoices):
        NARRATIVE = "narrative", "Narrative"
        INFORMATION = "information", "Information"
        OPINION = "opinion", "Opinion"

    class Band(models.TextChoices):
        K_2 = "k-2", "K-2"
        G3_5 = "3-5", "3-5"
        G6_8 = "6-8", "6-8"

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    genre = models.CharField(max_length=12, choices=Genre.choices)
    band = models.CharField("grade band", max_length=3, choices=Band.choices)
    position = models.PositiveSmallIntegerField(default=0)
    library_version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["genre", "band"], name="one_checklist_per_genre_band")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One line of a checklist, in the student's words, tied to the goal it checks."""

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="checklist_items")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["checklist", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "goal"], name="one_item_per_goal")
        ]

    def __str__(self) -> str:
        return self.text


class SelfAssessment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="self_assessments")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField()
    by_student = models.BooleanField(
        "filled in by the student", default=False, help_text="On the kiosk page."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return f"{self.student}: {self.checklist} ({self.taken_on:%Y-%m-%d})"


class Rating(models.TextChoices):
    NOT_YET = "not_yet", "Not yet"
    STARTING = "starting", "Starting to"
    YES = "yes", "Yes"


class SelfAssessmentAnswer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=Rating.choices)

    class Meta:
        ordering = ["item__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_rating_display()}"


class DismissedProposal(models.Model):
    """A strength or next step the writing analyser proposed for a sample and the teacher
    dismissed: it is not proposed again for that sample."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", "Strength"
        NEXT_STEP = "next_step", "Next step"

    sample = models.ForeignKey(
        WritingSample, on_delete=models.CASCADE, related_name="dismissed_proposals"
    )
    goal_key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "goal_key", "kind"], name="proposal_dismissed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sample}: {self.goal_key} ({self.kind})"
