"""Proposals: at most two strengths and two next steps, each a goal of the built-in library
(by its key) with one to three spans of the student's own words as evidence.

A strength is a craft move the writer already makes and can carry into other writing; a
next step is the one most worth teaching now and within reach. Conventions come first
when they get in the reader's way (many flags per 100 words, or a low conventions
estimate); otherwise a craft concern is taught. Fewer, surer proposals: each needs a
clear signal and evidence, and when in doubt nothing is proposed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conferbook.analysis import wordlists
from conferbook.analysis.text import Text
from conferbook.analysis.types import (
    ConventionFlag,
    Estimates,
    Proposal,
    Signal,
    Span,
    SpellingFlag,
)

MAX_EACH = 2
MAX_EVIDENCE = 3
# Every goal key this module can propose (a test checks each is in the library).
GOALS = frozenset(
    {
        "use-dialogue",
        "sensory-details",
        "figurative-language",
        "strong-lead",
        "strong-ending",
        "paragraphs-and-sections",
        "vary-sentences",
        "precise-words",
        "tell-it-in-order",
        "inner-thinking",
        "ending-punctuation",
        "capital-letters",
        "punctuate-dialogue",
        "complete-sentences",
        "sound-alike-words",
        "consistent-verb-tense",
        "edit-for-spelling",
        "high-frequency-words",
    }
)
# Strengths from signals that are present: signal key -> (goal, score, why).
STRENGTHS = {
    "dialogue": ("use-dialogue", 0.8, "The people in the writing talk, in quotation marks."),
    "sensory-detail": (
        "sensory-details",
        0.7,
        "Uses the senses to help the reader picture it ({detail}).",
    ),
    "simile": ("figurative-language", 0.9, "Compares one thing to another with a simile."),
    "lead": ("strong-lead", 0.85, "The beginning pulls the reader in: it {detail}."),
    "ending": ("strong-ending", 0.8, "The ending leaves the reader with a feeling or a thought."),
    "vocabulary": ("precise-words", 0.6, "Chooses exact, vivid words ({detail})."),
    "time-order": (
        "tell-it-in-order",
        0.5,
        "Uses time words to tell things in order ({detail}).",
    ),
    "paragraphs": (
        "paragraphs-and-sections",
        0.5,
        "Groups the writing into paragraphs ({detail}).",
    ),
    "sentence-variety": (
        "vary-sentences",
        0.55,
        "Mixes short and long sentences ({detail}).",
    ),
    "inner-thinking": ("inner-thinking", 0.75, "Lets the reader know what someone is thinking."),
}
# Next steps from concerns (signals not present): signal key -> (goal, score, why).
CONCERNS = {
    "dialogue-without-quotes": (
        "punctuate-dialogue",
        0.8,
        "People talk, but without quotation marks, so the reader can't tell who says what.",
    ),
    "lead": (
        "strong-lead",
        0.6,
        "The piece starts with a formula ({detail}); a lead with action, talk or a question "
        "would pull the reader in.",
    ),
    "ending": (
        "strong-ending",
        0.65,
        "The piece ends with a formula ({detail}); an ending with a feeling or a thought "
        "would wrap it up.",
    ),
    "repeated-openings": (
        "vary-sentences",
        0.6,
        "{detail}; starting in different ways would help.",
    ),
    "sentence-variety": (
        "vary-sentences",
        0.45,
        "The sentences are all about the same length ({detail}).",
    ),
    "paragraphs": (
        "paragraphs-and-sections",
        0.55,
        "The writing is one block ({detail}); these sentences could start new paragraphs.",
    ),
}


@dataclass
class _Candidate:
    goal: str
    score: float
    why: str
    evidence: tuple[Span, ...]
    family: str  # "craft" or "conventions"


def propose(
    doc: Text,
    *,
    spelling: Sequence[SpellingFlag],
    conventions: Sequence[ConventionFlag],
    signals: Sequence[Signal],
    estimates: Estimates,
) -> tuple[list[Proposal], list[Proposal]]:
    if len(doc.words) < 15:
        return [], []
    strengths = _pick(_strengths(signals), MAX_EACH)
    taken = {c.goal for c in strengths}
    steps = [
        c
        for c in _next_steps(doc, spelling, conventions, signals, estimates)
        if c.goal not in taken
    ]
    chosen_steps = _pick(steps, MAX_EACH, mix=True)
    return (
        [_proposal(c, "strength") for c in strengths],
        [_proposal(c, "next_step") for c in chosen_steps],
    )


def _proposal(candidate: _Candidate, kind: str) -> Proposal:
    return Proposal(candidate.goal, kind, candidate.why, candidate.evidence[:MAX_EVIDENCE])


def _pick(candidates: list[_Candidate], limit: int, *, mix: bool = False) -> list[_Candidate]:
    """The best candidates, one per goal; with `mix`, the second comes from the other
    family (a craft step beside a conventions step) when one scores well enough."""
    ordered = sorted((c for c in candidates if c.evidence), key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    for candidate in ordered:
        if len(chosen) == limit:
            break
        if candidate.goal in {c.goal for c in chosen}:
            continue
        if mix and chosen:
            other = [c for c in ordered if c.family != chosen[0].family and c.score >= 0.5]
            if other:
                candidate = other[0]
        chosen.append(candidate)
    return chosen


def _strengths(signals: Sequence[Signal]) -> list[_Candidate]:
    found = []
    for signal in signals:
        if not signal.present or signal.key not in STRENGTHS or not signal.evidence:
            continue
        goal, score, why = STRENGTHS[signal.key]
        if signal.key == "sensory-detail" and len(signal.evidence) < 2:
            continue
        if signal.key == "vocabulary" and len(signal.evidence) < 2:
            continue
        score += 0.05 * (len(signal.evidence) - 1)
        found.append(
            _Candidate(goal, score, why.format(detail=signal.detail), signal.evidence, "craft")
        )
    return found


def _next_steps(
    doc: Text,
    spelling: Sequence[SpellingFlag],
    conventions: Sequence[ConventionFlag],
    signals: Sequence[Signal],
    estimates: Estimates,
) -> list[_Candidate]:
    found = []
    # Conventions matter more when the estimate says they get in the reader's way.
    weight = 1.0
    if estimates.conventions <= 2.5:
        weight = 1.25
    elif estimates.conventions >= 3.5:
        weight = 0.75
    per = 100 / max(len(doc.words), 1)
    found.extend(_conventions(doc, conventions, per, weight))
    found.extend(_spelling(doc, spelling, per, weight))
    craft_weight = 1.1 if estimates.conventions >= 3.5 else 1.0
    for signal in signals:
        if signal.present or signal.key not in CONCERNS or not signal.evidence:
            continue
        goal, score, why = CONCERNS[signal.key]
        family = "conventions" if goal == "punctuate-dialogue" else "craft"
        found.append(
            _Candidate(
                goal,
                score * (weight if family == "conventions" else craft_weight),
                why.format(detail=signal.detail),
                signal.evidence,
                family,
            )
        )
    return found


def _sentence_of(doc: Text, flag: ConventionFlag) -> Span:
    for sentence in doc.sentences:
        if sentence.start <= flag.start and flag.end <= sentence.end:
            return sentence.span()
    return doc.span(flag.start, flag.end)


def _distinct(spans: list[Span]) -> tuple[Span, ...]:
    seen: list[Span] = []
    for span in spans:
        if span not in seen:
            seen.append(span)
    return tuple(seen[:MAX_EVIDENCE])


def _conventions(
    doc: Text, flags: Sequence[ConventionFlag], per: float, weight: float
) -> list[_Candidate]:
    def of(*kinds: str) -> list[ConventionFlag]:
        return [f for f in flags if f.kind in kinds]

    found = []
    ends = of("no-end-punctuation")
    if len(ends) >= 2 and len(ends) * per >= 2:
        found.append(
            _Candidate(
                "ending-punctuation",
                min(0.5 + 0.08 * len(ends) * per, 1.0) * weight,
                f"{len(ends)} sentences end with no period, question mark or exclamation mark.",
                _distinct([_sentence_of(doc, f) for f in ends]),
                "conventions",
            )
        )
    capitals = of("lowercase-start", "lowercase-i")
    if len(capitals) >= 3 and len(capitals) * per >= 2:
        found.append(
            _Candidate(
                "capital-letters",
                min(0.45 + 0.06 * len(capitals) * per, 0.95) * weight,
                f"{len(capitals)} places need a capital letter: a sentence's first word or “I”.",
                _distinct([_sentence_of(doc, f) for f in capitals]),
                "conventions",
            )
        )
    runs = of("run-on")
    if runs:
        found.append(
            _Candidate(
                "complete-sentences",
                min(0.55 + 0.15 * len(runs), 0.9) * weight,
                f"{len(runs)} very long sentences joined with and, then or so.",
                _distinct([doc.span(f.start, f.end) for f in runs]),
                "conventions",
            )
        )
    return found


def _spelling(
    doc: Text, flags: Sequence[SpellingFlag], per: float, weight: float
) -> list[_Candidate]:
    found = []
    # (kind of flag, goal, why): two slips of one kind or more make a next step
    for kind, goal, why in (
        ("real-word", "sound-alike-words", "Mixes up words that sound alike"),
        ("verb-form", "consistent-verb-tense", "Some verbs are not in the time or form needed"),
    ):
        slips = [f for f in flags if f.kind == kind]
        if len(slips) >= 2:
            found.append(
                _Candidate(
                    goal,
                    min(0.55 + 0.1 * len(slips), 0.9) * weight,
                    f"{why}: "
                    + ", ".join(f"“{f.written}” for “{f.suggestion}”" for f in slips[:3])
                    + ".",
                    _distinct([doc.span(f.start, f.end) for f in slips]),
                    "conventions",
                )
            )
    wrong = [f for f in flags if f.kind == "non-word"]
    if len(wrong) >= 3 and len(wrong) * per >= 3:
        common = [f for f in wrong if f.suggestion.lower() in wordlists.COMMON_WORDS]
        goal = "high-frequency-words" if len(common) * 2 >= len(wrong) else "edit-for-spelling"
        shown = common if goal == "high-frequency-words" else wrong
        found.append(
            _Candidate(
                goal,
                min(0.45 + 0.05 * len(wrong) * per, 0.9) * weight,
                f"{len(wrong)} words are spelled in a way that isn't a word"
                + (", many of them words used every day" if goal == "high-frequency-words" else "")
                + ": "
                + ", ".join(f"“{f.written}”" for f in shown[:3])
                + ".",
                _distinct([doc.span(f.start, f.end) for f in shown]),
                "conventions",
            )
        )
    return found
