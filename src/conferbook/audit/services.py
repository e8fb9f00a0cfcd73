"""Writing to the audit log: one call, `record`, used by every app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conferbook.audit.models import Event

if TYPE_CHECKING:
    from conferbook.accounts.models import User


def record(
    kind: Event.Kind | str,
    *,
    actor: User | None,
    actor_name: str = "",
    student_id: int | None = None,
    classroom_id: int | None = None,
    detail: str = "",
    ip_address: str | None = None,
) -> Event:
    """Add one event to the log. `detail` names what was done in the code's own words and
    never holds text a teacher typed about a student."""
    name = actor_name or (actor.display_name if actor is not None else "")
    return Event.objects.create(
        kind=Event.Kind(kind),
        actor_id=actor.pk if actor is not None else None,
        actor_name=name[:150],
        student_id=student_id,
        classroom_id=classroom_id,
        detail=detail[:200],
        ip_address=ip_address,
    )
