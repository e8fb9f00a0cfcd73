"""Estimates of the seven ELLIPSE dimensions: to be written (a model over the analyser's
features, fitted with cross-validation)."""

from __future__ import annotations

from collections.abc import Sequence

from conferbook.analysis.text import Text
from conferbook.analysis.types import ConventionFlag, Estimates, Signal, SpellingFlag


def estimate(
    doc: Text,
    *,
    spelling: Sequence[SpellingFlag],
    conventions: Sequence[ConventionFlag],
    signals: Sequence[Signal],
) -> Estimates:
    middle = 3.0
    return Estimates(middle, middle, middle, middle, middle, middle, middle)
