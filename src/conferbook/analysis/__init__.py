"""The writing analyser: reads a piece of children's writing on this machine and proposes
strengths and next steps, each pointing at the student's own words.

Plain Python with no Django import, so it can be tested, benchmarked and evaluated alone
(`make eval`). `analyse(text)` is the one entry point; see `types.py` for what it returns.
"""

from __future__ import annotations

from collections.abc import Iterable

from conferbook.analysis import conventions, craft, estimates, proposals, spelling
from conferbook.analysis.text import parse
from conferbook.analysis.types import Analysis

__all__ = ["analyse"]


def analyse(text: str, *, names: Iterable[str] = ()) -> Analysis:
    """Analyse one piece of writing. `names` are people's names the writer may use (the
    class list): never flagged as misspellings."""
    doc = parse(text)
    known_names = frozenset(n.lower() for name in names for n in name.split() if n)
    spelled = tuple(spelling.check(doc, names=known_names))
    flags, rates = conventions.check(doc)
    rates = {**rates, **spelling.rates(doc, spelled)}
    signals = tuple(craft.signals(doc, slips=[f.start for f in spelled]))
    estimated = estimates.estimate(doc, spelling=spelled, conventions=flags, signals=signals)
    strengths, next_steps = proposals.propose(
        doc, spelling=spelled, conventions=flags, signals=signals, estimates=estimated
    )
    return Analysis(
        text=text,
        words=len(doc.words),
        spelling=spelled,
        conventions=tuple(flags),
        rates=rates,
        signals=signals,
        estimates=estimated,
        strengths=tuple(strengths),
        next_steps=tuple(next_steps),
    )
