"""Craft signals: to be written (dialogue, sensory detail, figurative language,
transitions, paragraphing, sentence variety, leads and endings, repeated openings,
vocabulary range), each with the sentences that show it."""

from __future__ import annotations

from conferbook.analysis.text import Text
from conferbook.analysis.types import Signal


def signals(doc: Text) -> list[Signal]:
    return []
