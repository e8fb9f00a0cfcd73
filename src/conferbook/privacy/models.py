"""The family's rights over the record.

deletion receipt  what a complete deletion of a student's data removed: when, by whom,
                  from which class, and how many rows of each kind (see registry.py). It
                  keeps the student's number (as the audit log does) but never their name
                  or any note text, so the receipt itself holds nothing about the student.
retention         a student whose every class was archived more than the school's
                  `retention_days` ago, and who is in no active class, is deleted by
                  `conferbook purge --apply` the same way, with a receipt ("retention").
"""

from __future__ import annotations

from django.db import models


class DeletionReceipt(models.Model):
    class Reason(models.TextChoices):
        REQUEST = "request", "on request"
        RETENTION = "retention", "past the retention period"

    deleted_at = models.DateTimeField(auto_now_add=True)
    # Plain ids, as in the audit log: the receipt outlives the people and classes it names.
    deleted_by_id = models.IntegerField(null=True, blank=True)
    deleted_by_name = models.CharField(max_length=150, blank=True)
    student_id = models.IntegerField()
    classroom_id = models.IntegerField(null=True, blank=True)
    classroom_name = models.CharField(max_length=120, blank=True)
    # {"deleted": {kind key: rows}, "changed": {kind key: shared rows}} (see registry.py)
    counts = models.JSONField(default=dict)
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.REQUEST)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"Deletion of student {self.student_id} ({self.deleted_at:%Y-%m-%d})"

    @property
    def total_deleted(self) -> int:
        return sum(self.counts.get("deleted", {}).values())
