"""Conventions: to be written (lower-case sentence starts, missing end punctuation,
lower-case "i", spacing around punctuation, very long run-on sentences)."""

from __future__ import annotations

from conferbook.analysis.text import Text
from conferbook.analysis.types import ConventionFlag


def check(doc: Text) -> tuple[list[ConventionFlag], dict[str, float]]:
    """The convention flags of the text and the rate of each kind per 100 words."""
    return [], {}
