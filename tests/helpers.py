"""Small helpers the tests share: reading a page as a teacher sees it."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse


def shown_messages(response: HttpResponse) -> list[str]:
    """The flash messages on the page, as the teacher reads them."""
    found = re.findall(r'<li class="message[^"]*">(.*?)</li>', response.content.decode(), re.S)
    return [html.unescape(text).strip() for text in found]


def section(text: str, start: str) -> str:
    """The HTML from the element whose opening tag contains `start` to its </section>."""
    match = re.search(re.escape(start) + r".*?</section>", text, re.S)
    assert match, f"{start!r} not found in the page"
    return match.group(0)
