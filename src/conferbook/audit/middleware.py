"""The audit log's record of pages opened and PDFs made (the table in `audited.py`)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from conferbook.audit.audited import AUDITED
from conferbook.audit.services import record


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (the proxy's client behind a trusted proxy, see
    `TrustedProxyMiddleware`); None when it is not an IP address (a Unix socket)."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class AuditMiddleware:
    """One event for each successful answer to an audited address (`audited.AUDITED`).

    Only the request a person makes on purpose counts: a GET (or the POST the table names)
    answered 2xx with the expected type, never a HEAD, and never an htmx request, which
    refreshes part of a page already opened and logged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        audited = AUDITED.get(match.view_name) if match is not None else None
        if (
            audited is not None
            and match is not None
            and request.method == audited.method
            and 200 <= response.status_code < 300
            and response.get("Content-Type", "").startswith(audited.content_type)
            and not request.headers.get("HX-Request")
            and request.user.is_authenticated
        ):
            student_id, classroom_id = audited.subject(match.kwargs)
            record(
                audited.kind,
                actor=request.user,  # type: ignore[arg-type]
                student_id=student_id,
                classroom_id=classroom_id,
                detail=audited.detail,
                ip_address=client_ip(request),
            )
        return response
