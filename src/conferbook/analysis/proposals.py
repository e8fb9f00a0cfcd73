"""Proposals: to be written (at most two strengths and two next steps, each a library
goal with evidence from the writing)."""

from __future__ import annotations

from collections.abc import Sequence

from conferbook.analysis.text import Text
from conferbook.analysis.types import (
    ConventionFlag,
    Estimates,
    Proposal,
    Signal,
    SpellingFlag,
)


def propose(
    doc: Text,
    *,
    spelling: Sequence[SpellingFlag],
    conventions: Sequence[ConventionFlag],
    signals: Sequence[Signal],
    estimates: Estimates,
) -> tuple[list[Proposal], list[Proposal]]:
    return [], []
