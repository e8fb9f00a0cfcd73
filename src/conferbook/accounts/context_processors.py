"""What every page's navigation needs to know about the person signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from conferbook.accounts.selectors import is_administrator


def roles(request: HttpRequest) -> dict[str, Any]:
    """`is_administrator`, asked only when a page uses it (the navigation does)."""
    user = getattr(request, "user", None)
    return {
        "is_administrator": SimpleLazyObject(
            lambda: user is not None and is_administrator(user)  # type: ignore[arg-type]
        )
    }
