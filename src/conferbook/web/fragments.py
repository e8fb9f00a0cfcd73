"""Rendered pieces of a page, kept by what they show.

A piece rendered from one frozen value, with every text it shows already in the value (so
nothing is read from the request, the clock or the database while it renders), is the same
HTML whenever that value comes back. A page that repeats such a piece for many rows (the
class list) asks `Fragments.render`: the value itself is the key, compared field by field,
so a kept piece can never be out of date; a row that changed is a new value, rendered
afresh. Each process keeps the most recently used pieces, a bounded number of them.
With DEBUG on nothing is kept, so an edited template shows at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from django.conf import settings
from django.template.loader import get_template
from django.utils.safestring import SafeString

from conferbook.lib.kept import Kept


class Fragments:
    """The pieces rendered by `template_name` (a template or "file.html#partial"), each
    from a context holding one hashable, frozen value under `name`."""

    def __init__(self, template_name: str, *, name: str, size: int = 4096) -> None:
        self.template_name = template_name
        self.name = name
        self._kept: Kept[SafeString] = Kept(size)

    def render(self, values: Iterable[Hashable]) -> list[SafeString]:
        """The pieces of `values`, in their order."""
        values = list(values)
        if settings.DEBUG:
            return [self._render(value) for value in values]
        found = self._kept.get_many(values)
        pieces = [
            html if html is not None else self._render(value)
            for value, html in zip(values, found, strict=True)
        ]
        self._kept.put_many(
            [
                (value, piece)
                for value, html, piece in zip(values, found, pieces, strict=True)
                if html is None
            ]
        )
        return pieces

    def __len__(self) -> int:
        return len(self._kept)

    def _render(self, value: Hashable) -> SafeString:
        return SafeString(get_template(self.template_name).render({self.name: value}))
