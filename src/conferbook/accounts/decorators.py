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
