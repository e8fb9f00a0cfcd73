"""Reading a writing sample for the teacher with the writing analyser ("Read this for me").

reading        what the analyser found in one sample, ready for a page: the text cut into
               segments to highlight, the spelling and convention flags, and the proposed
               strengths and next steps tied to goals of the teacher's library, less the
               ones the teacher dismissed for that sample.
names          the first, last and preferred names of everyone in the student's classes:
               the analyser never flags them as misspellings.

The analysis is CPU work, done on this machine: it is cached per text (and class list) so
a class page of thirty samples, or the conference screen opened again, reads each text
once. The estimates decide nothing here beyond the order the analyser gives; they are
never shown.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

import conferbook.analysis as analysis
from conferbook.accounts.models import User
from conferbook.analysis.types import Analysis, Proposal, Span
from conferbook.compiled import CompiledQuery
from conferbook.goals.models import (
    DismissedProposal,
    Goal,
    Strength,
    StudentGoal,
    WritingSample,
)
from conferbook.goals.selectors import goals_for
from conferbook.roster.models import Enrollment, Student

STRENGTH = DismissedProposal.Kind.STRENGTH
NEXT_STEP = DismissedProposal.Kind.NEXT_STEP

# -- the analysis, cached per text ---------------------------------------------------------

CACHE_SIZE = 512
_cache: OrderedDict[str, Analysis] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(text: str, names: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode("utf-8", "surrogatepass") + b"\x00")
    digest.update(b"\x01" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def analysis_of(text: str, *, names: Iterable[str] = ()) -> Analysis:
    """The analyser's reading of `text` (names never flagged), from the cache when this text
    was read with these names before. The cache holds analyses, keyed by a hash."""
    ordered = sorted(set(names))
    key = _cache_key(text, ordered)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = analysis.analyse(text, names=ordered)
    with _cache_lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _names_of(students: Iterable[Student]) -> list[str]:
    names: set[str] = set()
    for student in students:
        for name in (student.first_name, student.last_name, student.preferred_name):
            if name:
                names.add(name)
    return sorted(names)


def names_by_student(student_ids: Iterable[int]) -> dict[int, list[str]]:
    """For each student, everyone's names in the classes they are in: the names a sample is
    read with, the same on every page (two queries whatever the number of students)."""
    classes_of: dict[int, set[int]] = defaultdict(set)
    enrolled = Enrollment.objects.filter(student_id__in=set(student_ids))
    for student_id, classroom_id in enrolled.values_list("student_id", "classroom_id"):
        classes_of[student_id].add(classroom_id)
    in_class: dict[int, set[str]] = defaultdict(set)
    everyone = Enrollment.objects.filter(
        classroom_id__in={c for classes in classes_of.values() for c in classes}
    ).values_list(
        "classroom_id", "student__first_name", "student__last_name", "student__preferred_name"
    )
    for classroom_id, *names in everyone:
        in_class[classroom_id].update(name for name in names if name)
    return {
        student_id: sorted(set().union(*(in_class[c] for c in classes)))
        for student_id, classes in classes_of.items()
    }


def names_for(*, student: Student) -> list[str]:
    """Everyone's names in the classes the student is in (`names_by_student`)."""
    return names_by_student([student.pk]).get(student.pk) or _names_of([student])


# -- what a page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of the text and what is marked on it (nothing, a flag, evidence)."""

    text: str
    marks: tuple[str, ...] = ()  # "spelling", "convention", "evidence"
    notes: tuple[str, ...] = ()  # plain words for the title of the mark

    @property
    def css(self) -> str:
        return " ".join(f"mark-{mark}" for mark in self.marks)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


@dataclass(frozen=True)
class ReadProposal:
    """A proposed strength or next step, with its library goal."""

    kind: str  # STRENGTH or NEXT_STEP
    goal: Goal
    why: str
    evidence: tuple[Span, ...]
    active: bool = False  # a next step the student already works on
    saved: bool = False  # a strength already saved from this sample for this goal

    @property
    def key(self) -> str:
        return self.goal.key

    @property
    def evidence_text(self) -> str:
        """The evidence as one quotation, the way the strength form keeps it."""
        return " … ".join(span.text for span in self.evidence)


@dataclass(frozen=True)
class Reading:
    sample: WritingSample
    analysis: Analysis
    segments: list[Segment]
    strengths: list[ReadProposal]
    next_steps: list[ReadProposal]
    dismissed: int = 0

    @property
    def proposals(self) -> list[ReadProposal]:
        return self.strengths + self.next_steps


def _valid(span_start: int, span_end: int, text: str) -> bool:
    return 0 <= span_start < span_end <= len(text)


def segments_for(text: str, marked: Iterable[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut `text` at every start and end of the marked spans (start, end, mark, note); each
    piece carries every mark covering it, so spans may overlap or nest. Spans outside the
    text are ignored. The pieces are plain text: the template escapes them."""
    spans = [(s, e, mark, note) for s, e, mark, note in marked if _valid(s, e, text)]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        covering = [(mark, note) for s, e, mark, note in spans if s <= start and end <= e]
        marks = tuple(dict.fromkeys(mark for mark, _ in covering))
        notes = tuple(dict.fromkeys(note for _, note in covering if note))
        pieces.append(Segment(text[start:end], marks, notes))
    return pieces


def _library_goals(teacher: User, keys: Iterable[str]) -> dict[str, Goal]:
    """The built-in goals with these keys the teacher has not hidden, by key."""
    wanted = set(keys)
    if not wanted:
        return {}
    goals = goals_for(teacher=teacher).filter(owner__isnull=True, key__in=wanted)
    return {goal.key: goal for goal in goals}


def _proposals(
    found: Sequence[Proposal],
    *,
    kind: str,
    text: str,
    goals: dict[str, Goal],
    dismissed: set[tuple[str, str]],
    active_goal_ids: set[int],
    saved_goal_ids: set[int],
) -> list[ReadProposal]:
    shown = []
    for proposal in found:
        goal = goals.get(proposal.goal)
        if goal is None or (proposal.goal, kind) in dismissed:
            continue
        # Only evidence that quotes the text exactly is shown: a claim must point at the
        # student's own words.
        evidence = tuple(
            span
            for span in proposal.evidence
            if _valid(span.start, span.end, text) and text[span.start : span.end] == span.text
        )
        shown.append(
            ReadProposal(
                kind=kind,
                goal=goal,
                why=proposal.why,
                evidence=evidence,
                active=goal.pk in active_goal_ids,
                saved=goal.pk in saved_goal_ids,
            )
        )
    return shown


@dataclass
class _Context:
    """What reading samples needs besides the text, fetched once for many samples."""

    goals: dict[str, Goal]
    dismissed: dict[int, set[tuple[str, str]]] = field(default_factory=dict)
    active: dict[int, set[int]] = field(default_factory=dict)
    saved: dict[int, set[int]] = field(default_factory=dict)


def _reading(sample: WritingSample, found: Analysis, context: _Context) -> Reading:
    text = sample.text
    dismissed = context.dismissed.get(sample.pk, set())
    common = {
        "text": text,
        "goals": context.goals,
        "dismissed": dismissed,
        "active_goal_ids": context.active.get(sample.student_id, set()),
        "saved_goal_ids": context.saved.get(sample.pk, set()),
    }
    strengths = _proposals(found.strengths, kind=STRENGTH, **common)  # type: ignore[arg-type]
    next_steps = _proposals(found.next_steps, kind=NEXT_STEP, **common)  # type: ignore[arg-type]
    marked: list[tuple[int, int, str, str]] = [
        (f.start, f.end, "spelling", f"Spelling: “{f.suggestion}”?") for f in found.spelling
    ]
    marked += [(f.start, f.end, "convention", f.message) for f in found.conventions]
    marked += [
        (span.start, span.end, "evidence", proposal.goal.name)
        for proposal in strengths + next_steps
        for span in proposal.evidence
    ]
    return Reading(
        sample=sample,
        analysis=found,
        segments=segments_for(text, marked),
        strengths=strengths,
        next_steps=next_steps,
        dismissed=len(dismissed),
    )


def _active_goal_ids(students: Iterable[int]) -> dict[int, set[int]]:
    active: dict[int, set[int]] = {}
    rows = StudentGoal.objects.filter(
        student__in=list(students), status=StudentGoal.Status.ACTIVE
    ).values_list("student_id", "goal_id")
    for student_id, goal_id in rows:
        active.setdefault(student_id, set()).add(goal_id)
    return active


def _dismissed(samples: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    dismissed: dict[int, set[tuple[str, str]]] = {}
    rows = DismissedProposal.objects.filter(sample__in=list(samples)).values_list(
        "sample_id", "goal_key", "kind"
    )
    for sample_id, key, kind in rows:
        dismissed.setdefault(sample_id, set()).add((key, kind))
    return dismissed


def _saved(samples: Iterable[int]) -> dict[int, set[int]]:
    saved: dict[int, set[int]] = {}
    rows = Strength.objects.filter(sample__in=list(samples), goal__isnull=False).values_list(
        "sample_id", "goal_id"
    )
    for sample_id, goal_id in rows:
        saved.setdefault(sample_id, set()).add(goal_id)
    return saved


def read_sample(*, teacher: User, sample: WritingSample) -> Reading:
    """The analyser's reading of one sample (already permission-checked), for `teacher`:
    proposals tied to the goals of their library, less those dismissed for this sample.
    A fixed handful of queries."""
    found = analysis_of(sample.text, names=names_for(student=sample.student))
    keys = [p.goal for p in (*found.strengths, *found.next_steps)]
    context = _Context(
        goals=_library_goals(teacher, keys),
        dismissed=_dismissed([sample.pk]),
        active=_active_goal_ids([sample.student_id]),
        saved=_saved([sample.pk]),
    )
    return _reading(sample, found, context)


def find_proposal(reading: Reading, *, kind: str, goal_key: str) -> ReadProposal | None:
    """The proposal of this kind and goal the page showed, if the analyser still makes it."""
    return next((p for p in reading.proposals if p.kind == kind and p.key == goal_key), None)


def latest_reading(*, teacher: User, student: Student) -> Reading | None:
    """The reading of the student's latest typed writing sample (a photographed one without
    a typed copy has nothing to read), or None when they have none."""
    sample = _latest_typed_sample.first(student=student)
    return None if sample is None else read_sample(teacher=teacher, sample=sample)


_latest_typed_sample = CompiledQuery(
    lambda student: (
        WritingSample.objects.filter(student=student).exclude(text="").select_related("student")[:1]
    ),
    student=Student,
)


# -- across a class ------------------------------------------------------------------------


@dataclass(frozen=True)
class StudentReading:
    student: Student
    reading: Reading | None  # None: no writing sample yet


@dataclass
class ProposedGroup:
    """Students whose latest samples propose the same next step."""

    goal: Goal
    members: list[tuple[Student, Reading, ReadProposal]] = field(default_factory=list)


@dataclass(frozen=True)
class ClassWriting:
    groups: list[ProposedGroup]  # largest first
    readings: list[StudentReading]  # every current student, in class order
    without_sample: list[Student]
    without_next_step: list[StudentReading]


def _latest_samples(students: QuerySet[Student]) -> QuerySet[WritingSample]:
    latest = (
        WritingSample.objects.filter(student=OuterRef("student_id"))
        .exclude(text="")
        .order_by("-written_on", "-id")
    )
    return WritingSample.objects.filter(
        student__in=students, pk=Subquery(latest.values("pk")[:1])
    ).select_related("student")


def class_writing(*, teacher: User, students: QuerySet[Student]) -> ClassWriting:
    """Each student's latest sample read, and the students grouped by proposed next step
    (a student with two next steps is in two groups). `students` are the class's current
    students, already permission-checked. A fixed number of queries whatever the class
    size; the analyses come from the cache when the texts were read before."""
    roster = list(students)
    names = names_by_student(s.pk for s in roster)
    samples = {s.student_id: s for s in _latest_samples(students)}
    found = {pk: analysis_of(s.text, names=names.get(pk, ())) for pk, s in samples.items()}
    keys = [p.goal for a in found.values() for p in (*a.strengths, *a.next_steps)]
    sample_ids = [s.pk for s in samples.values()]
    context = _Context(
        goals=_library_goals(teacher, keys),
        dismissed=_dismissed(sample_ids),
        active=_active_goal_ids(s.pk for s in roster),
        saved=_saved(sample_ids),
    )
    readings: list[StudentReading] = []
    groups: dict[str, ProposedGroup] = {}
    for student in roster:
        sample = samples.get(student.pk)
        reading = None if sample is None else _reading(sample, found[student.pk], context)
        readings.append(StudentReading(student, reading))
        for proposal in reading.next_steps if reading else ():
            group = groups.setdefault(proposal.key, ProposedGroup(goal=proposal.goal))
            group.members.append((student, reading, proposal))  # type: ignore[arg-type]
    return ClassWriting(
        groups=sorted(groups.values(), key=lambda g: (-len(g.members), g.goal.name)),
        readings=readings,
        without_sample=[r.student for r in readings if r.reading is None],
        without_next_step=[r for r in readings if r.reading and not r.reading.next_steps],
    )
