from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils import timezone

from conferbook.accounts.selectors import use_kept_school_time, use_school_time

SIGNED_IN_AT = "conferbook_signed_in_at"
RENEWED_AT = "conferbook_renewed_at"


def start_session_clock(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Note when a session began and was last renewed, as it is signed in."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[RENEWED_AT] = now


class SessionLifetimeMiddleware:
    """End a session a fixed time after sign-in, however active it has been, and keep an
    active one from timing out idle.

    The idle timeout is Django's (SESSION_COOKIE_AGE from the session's last save). Saving
    the session on every request would make every page view a database write, so it is
    renewed only when its last renewal is SESSION_RENEW_SECONDS old: a teacher is signed
    out after SESSION_COOKIE_AGE of idle time, give or take those few minutes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
            elif now - session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_AT] = now  # saved with a new expiry by SessionMiddleware
        return self.get_response(request)


class TeacherLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's sign-in requirement, answering scripts in a way they can act on.

    A page request is redirected to the sign-in page as usual; an autosave (which asks
    for JSON) gets 401 so the browser keeps the note and says "signed out"; an htmx
    request gets 401 with HX-Redirect so htmx takes the teacher to the sign-in page.
    """

    def handle_no_permission(self, request: HttpRequest, view_func: Callable[..., Any]) -> Any:
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"error": "signed out"}, status=401)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=401)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return super().handle_no_permission(request, view_func)


class SchoolTimeMiddleware:
    """Every request shows times in the school's time zone and clock: a page read with the
    ones the process keeps for a minute (`use_kept_school_time`), anything else with the
    school read afresh once its view is known, since a write may store a time typed in the
    zone. A write view marked `school_time_kept` (an autosave) keeps the kept ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            use_kept_school_time()
        else:  # for what comes before the view (a refusal): the view's own is read below
            use_kept_school_time(only_if_kept=True)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: object, kwargs: object
    ) -> None:
        if request.method in ("GET", "HEAD"):
            return
        if getattr(view, "school_time_kept", False):
            use_kept_school_time()
        else:
            use_school_time()
