"""Request helpers every app's views share."""

from __future__ import annotations

import unicodedata

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str = "/") -> str:
    """The `next` address of the form or the query when it is a path on this site, else
    `default`: a link from elsewhere can never send the teacher off-site after signing in or
    saving, and a plain word ("dashboard") is not taken for the name of a page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if is_local_path(target):
        return target
    return default


def is_local_path(target: str) -> bool:
    """An address of this site given by its path alone ("/classes/3/"): no scheme, no host,
    nothing a browser reads as another site ("//evil", "/\\evil"), and no control character
    (a redirect cannot carry a line break)."""
    return (
        target.startswith("/")
        and not any(unicodedata.category(c).startswith("C") for c in target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    )
