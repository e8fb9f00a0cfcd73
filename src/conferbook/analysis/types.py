"""What the writing analyser says about a piece of writing (plain data, no Django).

span          a stretch of the original text by character offsets: `text[start:end]`
              is exactly `span.text`, so a page can highlight it and a test can check it.
flag          a place the teacher may want to look at: a spelling (`SpellingFlag`) or a
              convention (`ConventionFlag`), with a suggestion and a kind.
signal        a craft move found in the writing (dialogue, a simile, a strong lead, ...)
              or missing from it, with the sentences that show it as evidence.
estimate      a 1-5 figure for each of the seven ELLIPSE dimensions, used only to choose
              what to propose; never shown to a student or a family as a grade.
proposal      a strength or a next step, tied to a goal of the library by its key, with
              one to three evidence spans from the student's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DIMENSIONS = (
    "overall",
    "cohesion",
    "syntax",
    "vocabulary",
    "phraseology",
    "grammar",
    "conventions",
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SpellingFlag:
    start: int
    end: int
    written: str
    suggestion: str
    # "non-word" (not a word), "real-word" (a word, the wrong one here: their/there),
    # "split" ("some times"), "merged" ("alot"), "apostrophe" ("dont", "the dogs bone"),
    # "verb-form" (the verb is not in the form its sentence needs: "he look", "I have go")
    kind: str


@dataclass(frozen=True)
class ConventionFlag:
    start: int
    end: int
    text: str
    # "lowercase-start", "no-end-punctuation", "lowercase-i", "spacing", "run-on"
    kind: str
    message: str


@dataclass(frozen=True)
class Signal:
    key: str  # "dialogue", "sensory-detail", "simile", "transitions", "lead", ...
    label: str  # plain words for the teacher: "Uses dialogue"
    present: bool  # True: the writer does this; False: a concern (formulaic ending, ...)
    evidence: tuple[Span, ...] = ()
    detail: str = ""  # "sight 3, sound 2" / "One day…"


@dataclass(frozen=True)
class Estimates:
    overall: float
    cohesion: float
    syntax: float
    vocabulary: float
    phraseology: float
    grammar: float
    conventions: float
    # dimension -> the features that moved it most, with their signed contribution
    contributions: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, float]:
        return {name: round(getattr(self, name), 2) for name in DIMENSIONS}


@dataclass(frozen=True)
class Proposal:
    goal: str  # a goal key of the built-in library ("use-dialogue")
    kind: str  # "strength" or "next_step"
    why: str  # plain words for the teacher
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class Analysis:
    text: str
    words: int
    spelling: tuple[SpellingFlag, ...]
    conventions: tuple[ConventionFlag, ...]
    rates: dict[str, float]  # flags of each kind per 100 words
    signals: tuple[Signal, ...]
    estimates: Estimates
    strengths: tuple[Proposal, ...]  # at most two
    next_steps: tuple[Proposal, ...]  # at most two
