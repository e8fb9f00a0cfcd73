"""Spelling: to be written (non-word errors against a dictionary, real-word errors by
confusion sets in context, split and merged words, missing apostrophes)."""

from __future__ import annotations

from collections.abc import Sequence

from conferbook.analysis.text import Text
from conferbook.analysis.types import SpellingFlag


def check(doc: Text, *, names: frozenset[str] = frozenset()) -> list[SpellingFlag]:
    """The spelling flags of the text, in order; `names` (lower case) are never flagged."""
    return []


def rates(doc: Text, flags: Sequence[SpellingFlag]) -> dict[str, float]:
    """Spelling flags per 100 words: all of them, and the real-word ones."""
    per = 100 / max(len(doc.words), 1)
    real = sum(1 for f in flags if f.kind != "non-word")
    return {"spelling": round(len(flags) * per, 2), "real_word": round(real * per, 2)}
