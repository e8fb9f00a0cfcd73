"""Students of one class brought together by goal.

small group    students who share a goal and meet the teacher together; it has the goal
               and the strategy the teacher will teach them. Formed by hand, or accepted
               from the suggestions (`suggest.py`), and booked as one appointment in the
               writing block's group slots (scheduling).
partnership    two writers (three when the class count is odd) who help each other
               between conferences: on the same goal, or complementary (one is strong
               where the other is working). `reason` says why they were put together.
"""

from __future__ import annotations

from django.db import models

from conferbook.goals.models import Goal, Strategy
from conferbook.roster.models import Classroom, Student

MIN_GROUP_SIZE = 2


class SmallGroup(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="small_groups")
    name = models.CharField(max_length=120)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="small_groups"
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.ManyToManyField(Student, related_name="small_groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Small groups were formed by hand in the roster app before they had a goal; the
        # table (and its members table) keep the name they were created with.
        db_table = "roster_smallgroup"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    class Basis(models.TextChoices):
        SAME_GOAL = "same_goal", "Same goal"
        COMPLEMENTARY = "complementary", "Complementary"
        BY_HAND = "by_hand", "Chosen by the teacher"

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="partnerships")
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.BY_HAND)
    reason = models.CharField("why they are partners", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Partnership {self.pk} in {self.classroom}"


class PartnershipMember(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    # The partnership's class again, so the database itself keeps a student in at most
    # one partnership per class (two tabs saving at once cannot pair someone twice).
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="partnership_memberships"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "student"], name="one_partnership_per_student_and_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} in partnership {self.partnership_id}"
