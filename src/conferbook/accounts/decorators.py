"""View decorators for the school's roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from conferbook.accounts.selectors import is_administrator

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def administrator_required(view: V) -> V:
    """The school's administrators get the view; anyone else the site's 404, as for a page
    that does not exist. `for_administrators` tells the URL walkers of the tests."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_administrator(request.user):  # type: ignore[arg-type]
            raise Http404
        return view(request, *args, **kwargs)

    checked.for_administrators = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


def school_time_kept(view: V) -> V:
    """For a write that neither reads nor stores a time of day (an autosave's text): it
    runs in the school's time zone as the process keeps it, like a page read, and is spared
    reading the school afresh (SchoolTimeMiddleware). Its own times are UTC (updated_at)."""
    view.school_time_kept = True  # type: ignore[attr-defined]
    return view
