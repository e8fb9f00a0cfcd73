"""What a person may do, for templates: {% if user|administers_school %}."""

from __future__ import annotations

from typing import Any

from django import template

from conferbook.accounts.selectors import is_administrator

register = template.Library()


@register.filter
def administers_school(user: Any) -> bool:
    """True for the school's administrators (the navigation offers them their pages)."""
    return is_administrator(user)
