from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

# Everything the pages need comes from this origin: no CDN, fonts or analytics.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy everywhere; pages with student data are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if not request.path.startswith("/static/"):
            add_never_cache_headers(response)
        return response


class StripNulMiddleware:
    """Remove NUL characters (U+0000) from every name and value of the query string and of
    a posted form before any view reads them.

    A NUL means nothing in a teacher's text, PostgreSQL cannot store one (the save fails,
    and an autosave retried forever never saves), and dropping it keeps the rest of what
    was typed. An autosave's new text and the text it replaces lose theirs alike, so the
    compare-and-set still matches what the server holds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            # An upload that broke off is left to the CSRF check, which refuses it.
            with contextlib.suppress(OSError):
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(data: _ImmutableQueryDict) -> _ImmutableQueryDict:
    if not any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists()):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        name = key.replace("\x00", "")
        clean.setlist(name, clean.getlist(name) + [v.replace("\x00", "") for v in values])
    clean._mutable = False
    return cast("_ImmutableQueryDict", clean)
