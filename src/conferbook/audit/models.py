"""The audit log.

event   one thing a person did with the school's records that a family or a school may
        ask about later: opened a student's page or chart, printed or exported, deleted,
        signed in (or failed to), changed an account or a role, shared a class. Who, when,
        what kind, which student or class, never any note text.

The log is append-only. The app has no path that updates or deletes an event; on
PostgreSQL a trigger refuses it as well (migration 0002). Student and class are kept as
plain ids, not foreign keys, so an event outlives the record it is about: after a
complete deletion the log still says that a student's record was deleted, and by whom,
without holding anything of the record itself.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit event."""


class EventQuerySet(models.QuerySet["Event"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events are never changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnly("Audit events are never deleted.")


class Event(models.Model):
    class Kind(models.TextChoices):
        STUDENT_OPENED = "student_opened", "opened a student's page"
        PRINTED = "printed", "printed"
        EXPORTED = "exported", "exported"
        DELETED = "deleted", "deleted a student's data"
        SIGNED_IN = "signed_in", "signed in"
        SIGN_IN_FAILED = "sign_in_failed", "failed sign-in"
        ACCOUNT_CHANGED = "account_changed", "changed an account"
        ROLE_CHANGED = "role_changed", "changed a role"
        CLASS_SHARED = "class_shared", "shared a class"

    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Who did it: the id and the name at the time (a username for a failed sign-in).
    actor_id = models.IntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    student_id = models.IntegerField(null=True, blank=True)
    classroom_id = models.IntegerField(null=True, blank=True)
    # What exactly, in a few words chosen by the code ("family report PDF", "added Ms Ruiz
    # as co-teacher"): never text a teacher typed about a student.
    detail = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_by_time"),
            models.Index(fields=["kind", "-at", "-id"], name="audit_by_kind"),
            models.Index(fields=["actor_id", "-at", "-id"], name="audit_by_actor"),
            models.Index(fields=["student_id", "-at", "-id"], name="audit_by_student"),
            models.Index(fields=["classroom_id", "-at", "-id"], name="audit_by_class"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("Audit events are never deleted.")
