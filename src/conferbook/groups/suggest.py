"""Suggested small groups and writing partnerships for one class. No web framework here.

Inputs are plain ids: the caller (the groups app) reads the class goals chart and passes
student ids, goal ids and strengths; nothing here reads or writes the database, so the
rules can be tested and benchmarked alone.

Small groups (`suggest_groups`)
-------------------------------
A small group is a handful of students who share an active goal. Groups are formed per
goal; a student with two active goals may be in one group for each goal, never in two
groups of the same goal.

For a goal held by ``n`` students and sizes ``lo = min_size``, ``hi = max_size``:

* ``n < lo``: no group; the students are *left out* of that goal.
* otherwise the goal is split into ``k = ceil(n / hi)`` groups -- the fewest that hold
  everyone, so the teacher has as few group meetings as possible -- whose sizes differ by
  at most one, larger groups first, when ``k * lo <= n``.
* when no ``k`` gives sizes within ``[lo, hi]`` (``ceil(n / hi) * lo > n``, e.g. ``lo = 4,
  hi = 5, n = 7``), ``floor(n / lo)`` groups of ``hi`` students: that is the most students
  any split can place (each of at most ``floor(n / lo)`` groups holds at most ``hi``), and
  it is fewer than ``n``, so every such group is full. The rest are left out.

Which students go together: contiguous chunks of the goal's students in input order, so
students who have worked on the goal about as long meet together (the caller passes the
students longest on their goal first). The students left out of a split are therefore the
last ones in input order, those newest to the goal. Every group size is within
``[min_size, max_size]``.

Partnerships (`suggest_partners`)
---------------------------------
A partnership is two writers (three for the one trio of an odd class) who help each other
between conferences. A `Link` says why two writers fit: in ``same_goal`` mode they share
an active goal; in ``complementary`` mode the *helper* is strong at a goal the *learner* is
working on. A pair is *well matched* when there is at least one link between the two, and
*both ways* (complementary only) when each helps the other.

Every writer is in exactly one partnership. The pairs maximise, lexicographically, (1) the
number of well-matched pairs, then (2) the bonus: in complementary mode the number of
both-ways pairs, in same-goal mode the number of shared goals summed over the well-matched
pairs (a pair sharing both goals beats one sharing one). This is an exact maximum-weight
matching on the graph of well-matched candidate pairs. The writers it leaves unmatched are
paired among themselves in input order (no link joins two of them: the matching would have
taken it). In an odd class the one writer still left joins the pair they have the most
links with (links in both directions, with either member), preferring a pair that is not
well matched on a tie (an extra writer dilutes a pair that already works), then the pair
earliest in the input.

`greedy_partners` is a baseline with the same output shape (best bonus first, then input
order, taken greedily); it exists so tests and benchmarks can show the matching is never
worse. `score` measures both.

Output is deterministic: the same input gives the same output, independent of hash order.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

import networkx as nx

# --- small groups ----------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestedGroup:
    """Students who share `goal_id`, in input order."""

    goal_id: int
    student_ids: tuple[int, ...]


@dataclass(frozen=True)
class GroupSuggestions:
    """The suggested groups of one class.

    `groups`: in goal order, then split order (the chunks of the goal's students in input
    order). `one_on_one`: every student with at least one active goal who is in no
    suggested group, in input order (students with no active goal are not listed).
    `left_out`: for each goal, in goal order, that has students who could not be placed in
    a group of that goal, those students in input order. A read-only mapping; a student in
    it may still be in a group of their other goal.
    """

    groups: tuple[SuggestedGroup, ...]
    one_on_one: tuple[int, ...]
    # Excluded from the hash (a mapping is not hashable); equality still compares it.
    left_out: Mapping[int, tuple[int, ...]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        # Copy so that a dict passed in by the caller cannot change a frozen value later.
        object.__setattr__(self, "left_out", MappingProxyType(dict(self.left_out)))


def group_sizes(count: int, *, min_size: int, max_size: int) -> tuple[int, ...]:
    """The sizes of the groups a goal held by `count` students is split into.

    Largest first; their sum is the number of students placed (``count`` when some split
    fits ``[min_size, max_size]``, otherwise ``floor(count / min_size) * max_size``).
    Empty when ``count < min_size``. See the module docstring for the rule.
    """
    _check_sizes(min_size, max_size)
    if count < min_size:
        return ()
    groups = math.ceil(count / max_size)
    if groups * min_size <= count:
        base, extra = divmod(count, groups)
        return (base + 1,) * extra + (base,) * (groups - extra)
    # No split holds everyone; this many full groups places the most students.
    return (max_size,) * (count // min_size)


def suggest_groups(
    goals_by_student: Mapping[int, Sequence[int]],
    *,
    goal_order: Sequence[int] | None = None,
    min_size: int = 2,
    max_size: int = 5,
) -> GroupSuggestions:
    """Suggest small groups by shared active goal.

    `goals_by_student` maps each student id to their active goal ids (usually 0, 1 or 2;
    a goal repeated in one list counts once); its order is the order students are taken in.
    `goal_order` is the order goals are listed in; goals not in it come after, in order of
    first appearance in `goals_by_student`. Goals nobody holds produce nothing.

    Raises `ValueError` when ``min_size < 2`` or ``max_size < min_size``.
    """
    _check_sizes(min_size, max_size)
    students_by_goal: dict[int, list[int]] = {}
    for student_id, goal_ids in goals_by_student.items():
        for goal_id in dict.fromkeys(goal_ids):
            students_by_goal.setdefault(goal_id, []).append(student_id)

    listed = [goal_id for goal_id in dict.fromkeys(goal_order or ()) if goal_id in students_by_goal]
    in_order = set(listed)
    listed += [goal_id for goal_id in students_by_goal if goal_id not in in_order]

    groups: list[SuggestedGroup] = []
    left_out: dict[int, tuple[int, ...]] = {}
    grouped: set[int] = set()
    for goal_id in listed:
        students = students_by_goal[goal_id]
        start = 0
        for size in group_sizes(len(students), min_size=min_size, max_size=max_size):
            chunk = tuple(students[start : start + size])
            groups.append(SuggestedGroup(goal_id=goal_id, student_ids=chunk))
            grouped.update(chunk)
            start += size
        if start < len(students):
            left_out[goal_id] = tuple(students[start:])

    one_on_one = tuple(
        student_id
        for student_id, goal_ids in goals_by_student.items()
        if goal_ids and student_id not in grouped
    )
    return GroupSuggestions(groups=tuple(groups), one_on_one=one_on_one, left_out=left_out)


def _check_sizes(min_size: int, max_size: int) -> None:
    if min_size < 2:
        raise ValueError(f"A small group needs at least 2 students (min_size is {min_size}).")
    if max_size < min_size:
        raise ValueError(
            f"The largest group size ({max_size}) is smaller than the smallest ({min_size})."
        )


# --- partnerships ----------------------------------------------------------------------


class Mode(StrEnum):
    """What makes two writers fit."""

    SAME_GOAL = "same_goal"
    COMPLEMENTARY = "complementary"


@dataclass(frozen=True)
class Writer:
    """One student as the partnership suggestions see them.

    `goals`: active goal ids. `strengths`: goal ids the writer is strong at (a strength
    that shows the goal, or a goal met). Student ids must be unique within a class.
    """

    student_id: int
    goals: frozenset[int]
    strengths: frozenset[int]


@dataclass(frozen=True)
class Link:
    """Why two writers fit.

    `between`: the two writers joined, in input order. Same-goal mode: both are working on
    `goal_id`; `helper` and `learner` are None. Complementary mode: `helper` is strong at
    `goal_id`, which `learner` is working on; ``{helper, learner} == set(between)``.
    """

    goal_id: int
    helper: int | None
    learner: int | None
    between: tuple[int, int]


@dataclass(frozen=True)
class SuggestedPartnership:
    """Two writers, or three for the one trio of an odd class.

    `student_ids`: the members in input order. `pair`: the two members as matched, in
    input order (for a trio, the pair the third member joined). `links`: every valid link
    among the members -- every shared goal in same-goal mode, both directions in
    complementary mode -- ordered by member pair (input order), then direction, then goal.
    """

    student_ids: tuple[int, ...]
    pair: tuple[int, int]
    links: tuple[Link, ...]

    def __post_init__(self) -> None:
        if len(self.student_ids) not in (2, 3) or not set(self.pair) <= set(self.student_ids):
            raise ValueError(f"Not a partnership: {self.student_ids} with pair {self.pair}.")

    @property
    def joined(self) -> int | None:
        """The third member of a trio (the one who joined `pair`), else None."""
        extra = [student_id for student_id in self.student_ids if student_id not in self.pair]
        return extra[0] if extra else None

    @property
    def pair_links(self) -> tuple[Link, ...]:
        """The links between the two members of `pair`."""
        return tuple(link for link in self.links if set(link.between) == set(self.pair))

    @property
    def well_matched(self) -> bool:
        """The pair as matched has at least one link between them."""
        return bool(self.pair_links)

    @property
    def both_ways(self) -> bool:
        """Complementary: each member of the pair helps the other on some goal."""
        helpers = {link.helper for link in self.pair_links}
        return set(self.pair) <= helpers


def suggest_partners(writers: Sequence[Writer], *, mode: Mode) -> tuple[SuggestedPartnership, ...]:
    """Suggest writing partnerships for the whole class (see the module docstring).

    Every writer is in exactly one partnership: all pairs, plus one trio when the count is
    odd; 0 or 1 writer gives ``()``. The pairs maximise the well-matched pairs, then the
    bonus (`score`). Partnerships are ordered by the input position of their first member.

    Raises `ValueError` when two writers have the same student id.
    """
    candidates = _candidate_pairs(writers, mode)
    # Weight W + bonus per well-matched pair. A matching has at most n // 2 pairs, so any
    # matching's total bonus is at most (n // 2) * max_bonus < W: one more pair always
    # outweighs any bonus difference (objective 1 dominates), and between matchings with
    # as many pairs the weights differ exactly by the bonus (objective 2). Integer weights
    # keep networkx's blossom algorithm in exact integer arithmetic.
    max_bonus = max((bonus for _, _, bonus in candidates), default=0)
    base = (len(writers) // 2) * max_bonus + 1
    graph = nx.Graph()
    # Nodes are input positions and edges are added in a fixed order, so the matching
    # does not depend on hash order; the result is normalised to sorted pairs below.
    graph.add_nodes_from(range(len(writers)))
    for first, second, bonus in candidates:
        graph.add_edge(first, second, weight=base + bonus)
    matching: set[tuple[int, int]] = nx.max_weight_matching(graph)
    pairs = sorted((min(edge), max(edge)) for edge in matching)
    return _assemble(writers, mode, pairs)


def greedy_partners(writers: Sequence[Writer], *, mode: Mode) -> tuple[SuggestedPartnership, ...]:
    """A baseline for `suggest_partners`, with the same output shape and leftover rules.

    Takes well-matched candidate pairs by bonus (highest first), then input order, whenever
    both writers are still free. Never better than `suggest_partners` by `score`.
    """
    candidates = sorted(_candidate_pairs(writers, mode), key=lambda c: (-c[2], c[0], c[1]))
    taken: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for first, second, _ in candidates:
        if first not in taken and second not in taken:
            pairs.append((first, second))
            taken.update((first, second))
    return _assemble(writers, mode, sorted(pairs))


def score(partnerships: Sequence[SuggestedPartnership], mode: Mode) -> tuple[int, int]:
    """(well-matched pairs, bonus), compared lexicographically: higher is better.

    Bonus: complementary mode, the well-matched pairs that are both ways; same-goal mode,
    the shared goals summed over the well-matched pairs. Only `pair` counts in a trio.
    """
    well = [partnership for partnership in partnerships if partnership.well_matched]
    if mode is Mode.COMPLEMENTARY:
        bonus = sum(1 for partnership in well if partnership.both_ways)
    else:
        bonus = sum(len(partnership.pair_links) for partnership in well)
    return len(well), bonus


def links_between(first: Writer, second: Writer, *, mode: Mode) -> tuple[Link, ...]:
    """Every valid link between two writers; `first` is taken to come first in the input.

    Same-goal: one link per shared goal, by goal id. Complementary: `first` helping
    `second` (by goal id), then `second` helping `first`.
    """
    between = (first.student_id, second.student_id)
    if mode is Mode.SAME_GOAL:
        return tuple(
            Link(goal_id=goal_id, helper=None, learner=None, between=between)
            for goal_id in sorted(first.goals & second.goals)
        )
    return tuple(
        Link(goal_id=goal_id, helper=helper.student_id, learner=learner.student_id, between=between)
        for helper, learner in ((first, second), (second, first))
        for goal_id in sorted(helper.strengths & learner.goals)
    )


def _bonus(links: Sequence[Link], mode: Mode) -> int:
    if mode is Mode.COMPLEMENTARY:
        return 1 if len({link.helper for link in links}) == 2 else 0
    return len(links)


def _candidate_pairs(writers: Sequence[Writer], mode: Mode) -> list[tuple[int, int, int]]:
    """Well-matched pairs as (position, later position, bonus), in lexicographic order."""
    ids = [writer.student_id for writer in writers]
    if len(set(ids)) != len(ids):
        raise ValueError("Each writer must appear once: two writers have the same student id.")
    candidates = []
    for first, second in itertools.combinations(range(len(writers)), 2):
        links = links_between(writers[first], writers[second], mode=mode)
        if links:
            candidates.append((first, second, _bonus(links, mode)))
    return candidates


def _assemble(
    writers: Sequence[Writer], mode: Mode, matched: Sequence[tuple[int, int]]
) -> tuple[SuggestedPartnership, ...]:
    """Pair the unmatched in input order, seat an odd one out, and build the output."""
    if len(writers) < 2:
        return ()
    in_pairs = {position for pair in matched for position in pair}
    unmatched = [position for position in range(len(writers)) if position not in in_pairs]
    pairs = [*matched, *zip(unmatched[0::2], unmatched[1::2], strict=False)]
    groups: list[list[int]] = [list(pair) for pair in pairs]
    if len(unmatched) % 2:
        extra = unmatched[-1]

        def preference(index: int) -> tuple[int, bool, int]:
            first, second = pairs[index]
            link_count = sum(
                len(_links_at(writers, mode, extra, member)) for member in (first, second)
            )
            well_matched = bool(_links_at(writers, mode, first, second))
            return -link_count, well_matched, min(first, second)

        groups[min(range(len(pairs)), key=preference)].append(extra)

    partnerships = []
    for positions, pair in sorted(zip(groups, pairs, strict=True), key=lambda g: min(g[0])):
        members = sorted(positions)
        links = tuple(
            link
            for first, second in itertools.combinations(members, 2)
            for link in _links_at(writers, mode, first, second)
        )
        partnerships.append(
            SuggestedPartnership(
                student_ids=tuple(writers[position].student_id for position in members),
                pair=(writers[min(pair)].student_id, writers[max(pair)].student_id),
                links=links,
            )
        )
    return tuple(partnerships)


def _links_at(writers: Sequence[Writer], mode: Mode, one: int, other: int) -> tuple[Link, ...]:
    """`links_between` for two input positions, taken in input order."""
    first, second = sorted((one, other))
    return links_between(writers[first], writers[second], mode=mode)
