"""Small helpers the tests share: reading a page as a teacher sees it."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from django.http import HttpResponse
from django.utils import timezone


def shown_messages(response: HttpResponse) -> list[str]:
    """The flash messages on the page, as the teacher reads them."""
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(text).strip() for text in found]


def section(text: str, start: str) -> str:
    """The HTML from the element whose opening tag contains `start` to its </section>."""
    match = re.search(re.escape(start) + r".*?</section>", text, re.S)
    assert match, f"{start!r} not found in the page"
    return match.group(0)


def a_coming_monday() -> date:
    """The Monday of next week or the one after: all its slots lie ahead whenever tests run.

    The scheduler never books a slot that has begun, so a test that plans a week must plan
    one in the future; at least six days ahead keeps the whole school week in the future.
    """
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday() + (7 if today.weekday() == 0 else 0))
