"""Sign-ins, good and failed, in the audit log (connected in `AuditConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from conferbook.audit.middleware import client_ip
from conferbook.audit.models import Event
from conferbook.audit.services import record


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(Event.Kind.SIGNED_IN, actor=user, ip_address=_ip(request))


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """The username as typed (cut to the column's length), never the password."""
    typed = str(credentials.get("username", ""))
    record(
        Event.Kind.SIGN_IN_FAILED,
        actor=None,
        actor_name=typed[:150],
        ip_address=_ip(request),
    )
