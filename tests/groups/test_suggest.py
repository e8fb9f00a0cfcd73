"""The promises of `conferbook.groups.suggest`, by hand and on random classes.

Plain pytest and hypothesis: the module is pure Python, so no database is touched. The
property tests recompute what they check (who holds a goal, which links are valid, the
best achievable score) independently of the module.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conferbook.groups import suggest
from conferbook.groups.suggest import (
    GroupSuggestions,
    Link,
    Mode,
    SuggestedGroup,
    SuggestedPartnership,
    Writer,
    greedy_partners,
    score,
    suggest_groups,
    suggest_partners,
)

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAME = Mode.SAME_GOAL
COMP = Mode.COMPLEMENTARY


def writer(student_id: int, goals: Sequence[int] = (), strengths: Sequence[int] = ()) -> Writer:
    return Writer(student_id=student_id, goals=frozenset(goals), strengths=frozenset(strengths))


def sizes(result: GroupSuggestions, goal_id: int) -> list[int]:
    return [len(group.student_ids) for group in result.groups if group.goal_id == goal_id]


def members(partnerships: Sequence[SuggestedPartnership]) -> list[set[int]]:
    return [set(partnership.student_ids) for partnership in partnerships]


# --- small groups, by hand -------------------------------------------------------------


def test_it_splits_a_goal_of_eleven_into_four_four_three() -> None:
    result = suggest_groups({student: [7] for student in range(1, 12)}, max_size=5)

    assert result.groups == (
        SuggestedGroup(goal_id=7, student_ids=(1, 2, 3, 4)),
        SuggestedGroup(goal_id=7, student_ids=(5, 6, 7, 8)),
        SuggestedGroup(goal_id=7, student_ids=(9, 10, 11)),
    )
    assert result.one_on_one == ()
    assert dict(result.left_out) == {}


def test_it_splits_a_goal_of_six_into_three_and_three() -> None:
    result = suggest_groups({student: [7] for student in range(1, 7)}, max_size=5)

    assert sizes(result, 7) == [3, 3]


def test_it_fills_the_groups_it_can_and_leaves_the_rest_out_when_no_split_fits() -> None:
    # Seven students cannot make groups of 4-5: one group of 4 leaves 3, two need 8.
    result = suggest_groups({student: [7] for student in range(1, 8)}, min_size=4, max_size=5)

    assert result.groups == (SuggestedGroup(goal_id=7, student_ids=(1, 2, 3, 4, 5)),)
    assert dict(result.left_out) == {7: (6, 7)}
    assert result.one_on_one == (6, 7)


def test_it_sends_a_student_whose_goal_nobody_shares_to_one_on_one() -> None:
    result = suggest_groups({1: [20], 2: [10], 3: [20]})

    assert result.groups == (SuggestedGroup(goal_id=20, student_ids=(1, 3)),)
    assert result.one_on_one == (2,)
    assert dict(result.left_out) == {10: (2,)}


def test_it_puts_a_student_with_two_goals_in_a_group_for_each() -> None:
    result = suggest_groups({1: [10, 20], 2: [10], 3: [20]})

    assert result.groups == (
        SuggestedGroup(goal_id=10, student_ids=(1, 2)),
        SuggestedGroup(goal_id=20, student_ids=(1, 3)),
    )
    assert result.one_on_one == ()


def test_it_keeps_a_student_left_out_of_one_goal_off_one_on_one_when_grouped_for_another() -> None:
    result = suggest_groups({1: [10, 20], 2: [10]})

    assert result.groups == (SuggestedGroup(goal_id=10, student_ids=(1, 2)),)
    assert dict(result.left_out) == {20: (1,)}
    assert result.one_on_one == ()


def test_it_chunks_students_in_the_order_given_not_by_id() -> None:
    # The caller passes the students longest on the goal first.
    order = [9, 3, 7, 1, 5, 8]

    result = suggest_groups({student: [4] for student in order}, max_size=3)

    assert [group.student_ids for group in result.groups] == [(9, 3, 7), (1, 5, 8)]


def test_it_lists_goals_in_goal_order_then_by_first_appearance() -> None:
    goals = {1: [30, 10], 2: [30, 10], 3: [20, 40], 4: [20, 40]}

    result = suggest_groups(goals, goal_order=[40, 99, 10])

    assert [group.goal_id for group in result.groups] == [40, 10, 30, 20]


def test_it_leaves_students_without_a_goal_out_of_one_on_one() -> None:
    result = suggest_groups({1: [], 2: [5], 3: [5], 4: []})

    assert result.one_on_one == ()
    assert result.groups == (SuggestedGroup(goal_id=5, student_ids=(2, 3)),)


def test_it_counts_a_goal_listed_twice_for_one_student_once() -> None:
    result = suggest_groups({1: [5, 5], 2: [6]})

    assert result.groups == ()
    assert dict(result.left_out) == {5: (1,), 6: (2,)}


@pytest.mark.parametrize(
    ("min_size", "max_size", "message"),
    [(1, 5, "at least 2"), (0, 5, "at least 2"), (-2, 3, "at least 2"), (4, 3, "smaller than")],
)
def test_it_rejects_group_sizes_that_make_no_sense(
    min_size: int, max_size: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        suggest_groups({1: [5], 2: [5]}, min_size=min_size, max_size=max_size)


def test_it_does_not_let_the_callers_dict_change_left_out_afterwards() -> None:
    passed = {5: (1,)}
    result = GroupSuggestions(groups=(), one_on_one=(1,), left_out=passed)

    passed[6] = (2,)

    assert dict(result.left_out) == {5: (1,)}
    with pytest.raises(TypeError):
        result.left_out[7] = (3,)  # type: ignore[index]
    assert hash(result) == hash(GroupSuggestions(groups=(), one_on_one=(1,), left_out={5: (1,)}))


# --- small groups, on random classes ---------------------------------------------------


@st.composite
def classes(draw: st.DrawFn) -> tuple[dict[int, list[int]], list[int] | None, int, int]:
    students = draw(st.lists(st.integers(1, 500), min_size=1, max_size=40, unique=True))
    goal_lists = st.lists(st.integers(1, 8), max_size=2, unique=True)
    goals_by_student = {student: draw(goal_lists) for student in students}
    goal_order = draw(st.none() | st.lists(st.integers(1, 10), unique=True))
    min_size = draw(st.integers(2, 8))
    max_size = draw(st.integers(min_size, 8))
    return goals_by_student, goal_order, min_size, max_size


def most_placeable(count: int, min_size: int, max_size: int) -> int:
    """The most of `count` students any split into groups of min..max size can place."""
    return max(
        (min(count, k * max_size) for k in range(1, count + 1) if k * min_size <= count),
        default=0,
    )


@BOUNDED
@given(classes())
def test_it_groups_a_random_class_within_the_rules(
    case: tuple[dict[int, list[int]], list[int] | None, int, int],
) -> None:
    goals_by_student, goal_order, min_size, max_size = case

    result = suggest_groups(
        goals_by_student, goal_order=goal_order, min_size=min_size, max_size=max_size
    )

    holders: dict[int, list[int]] = {}
    for student, goal_ids in goals_by_student.items():
        for goal_id in goal_ids:
            holders.setdefault(goal_id, []).append(student)
    for group in result.groups:
        assert min_size <= len(group.student_ids) <= max_size
        assert all(group.goal_id in goals_by_student[s] for s in group.student_ids)

    expected_goal_order = [g for g in dict.fromkeys(goal_order or ()) if g in holders]
    expected_goal_order += [g for g in holders if g not in expected_goal_order]
    goals_in_output = [
        goal_id for goal_id, _ in itertools.groupby(group.goal_id for group in result.groups)
    ]
    assert goals_in_output == [g for g in expected_goal_order if sizes(result, g)]

    grouped: set[int] = set()
    for goal_id, students in holders.items():
        chunks = [group.student_ids for group in result.groups if group.goal_id == goal_id]
        placed = [student for chunk in chunks for student in chunk]
        grouped.update(placed)
        assert len(placed) == len(set(placed))
        assert max(map(len, chunks), default=0) - min(map(len, chunks), default=0) <= 1
        # As many placed as any split could place; chunks follow the input order.
        assert len(placed) == most_placeable(len(students), min_size, max_size)
        assert placed == students[: len(placed)]
        assert result.left_out.get(goal_id, ()) == tuple(students[len(placed) :])
        if len(placed) == len(students):
            # Everyone fits: in the fewest groups that can hold them.
            assert len(chunks) == -(-len(students) // max_size)
    assert all(result.left_out[goal_id] for goal_id in result.left_out)
    assert set(result.left_out) <= set(holders)

    with_goal = [student for student, goal_ids in goals_by_student.items() if goal_ids]
    assert list(result.one_on_one) == [s for s in with_goal if s not in grouped]
    for student in result.one_on_one:
        # Placing them would need a group for a goal nobody else could fill, or one more
        # member than a goal's groups can take.
        assert all(student in result.left_out[g] for g in goals_by_student[student])


# --- partnerships, by hand -------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
def test_it_suggests_nothing_for_no_writer_or_one(mode: Mode) -> None:
    assert suggest_partners([], mode=mode) == ()
    assert suggest_partners([writer(1, [5])], mode=mode) == ()


def test_it_pairs_two_writers_even_with_nothing_in_common() -> None:
    (partnership,) = suggest_partners([writer(8, [1]), writer(3, [2])], mode=SAME)

    assert partnership == SuggestedPartnership(student_ids=(8, 3), pair=(8, 3), links=())
    assert not partnership.well_matched
    assert not partnership.both_ways


def test_it_makes_one_trio_of_three_writers() -> None:
    (partnership,) = suggest_partners([writer(1, [5]), writer(2, [6]), writer(3, [5])], mode=SAME)

    assert partnership.student_ids == (1, 2, 3)
    assert partnership.pair == (1, 3)
    assert partnership.joined == 2
    assert partnership.well_matched


def test_it_lists_every_link_of_a_complementary_pair_in_both_directions() -> None:
    (partnership,) = suggest_partners(
        [writer(1, goals=[5, 6], strengths=[7]), writer(2, goals=[7], strengths=[5, 6])],
        mode=COMP,
    )

    assert partnership.links == (
        Link(goal_id=7, helper=1, learner=2, between=(1, 2)),
        Link(goal_id=5, helper=2, learner=1, between=(1, 2)),
        Link(goal_id=6, helper=2, learner=1, between=(1, 2)),
    )
    assert partnership.well_matched
    assert partnership.both_ways


def test_it_does_not_call_a_one_way_pair_both_ways() -> None:
    (partnership,) = suggest_partners(
        [writer(1, goals=[5]), writer(2, goals=[5], strengths=[5])], mode=COMP
    )

    assert partnership.links == (Link(goal_id=5, helper=2, learner=1, between=(1, 2)),)
    assert partnership.well_matched
    assert not partnership.both_ways


def test_it_prefers_both_ways_pairs_when_the_pair_count_is_the_same() -> None:
    # 1-2 and 3-4 help each other; 1-3 and 2-4 only one way. Both give two pairs.
    writers = [
        writer(1, goals=[10], strengths=[20, 30]),
        writer(2, goals=[20], strengths=[10]),
        writer(3, goals=[30, 40], strengths=[50]),
        writer(4, goals=[50], strengths=[40, 20]),
    ]

    result = suggest_partners(writers, mode=COMP)

    assert members(result) == [{1, 2}, {3, 4}]
    assert all(partnership.both_ways for partnership in result)
    assert score(result, COMP) == (2, 2)


def test_it_prefers_pairs_that_share_both_goals() -> None:
    writers = [writer(1, [5, 6]), writer(2, [5]), writer(3, [5, 6]), writer(4, [5])]

    result = suggest_partners(writers, mode=SAME)

    assert members(result) == [{1, 3}, {2, 4}]
    assert score(result, SAME) == (2, 3)


def test_it_gives_up_a_both_ways_pair_for_an_extra_well_matched_pair() -> None:
    # Greedy takes the only both-ways pair, 1-2, and strands 3 and 4, who fit nobody else.
    writers = [
        writer(1, goals=[10], strengths=[20, 30]),
        writer(2, goals=[20], strengths=[10, 40]),
        writer(3, goals=[30]),
        writer(4, goals=[40]),
    ]

    result = suggest_partners(writers, mode=COMP)
    greedy = greedy_partners(writers, mode=COMP)

    assert members(result) == [{1, 3}, {2, 4}]
    assert score(result, COMP) == (2, 0)
    assert members(greedy) == [{1, 2}, {3, 4}]
    assert score(greedy, COMP) == (1, 1)


def test_it_gives_up_a_pair_sharing_two_goals_for_an_extra_same_goal_pair() -> None:
    writers = [writer(1, [5, 6]), writer(2, [5, 6, 7]), writer(3, [5]), writer(4, [7])]

    result = suggest_partners(writers, mode=SAME)
    greedy = greedy_partners(writers, mode=SAME)

    assert members(result) == [{1, 3}, {2, 4}]
    assert score(result, SAME) == (2, 2)
    assert score(greedy, SAME) == (1, 2)
    assert score(result, SAME) > score(greedy, SAME)


def test_it_pairs_the_writers_it_could_not_match_in_input_order() -> None:
    writers = [writer(9), writer(4, [1]), writer(7), writer(2, [1]), writer(5)]
    writers.append(writer(1))

    result = suggest_partners(writers, mode=SAME)

    assert [partnership.student_ids for partnership in result] == [(9, 7), (4, 2), (5, 1)]
    assert [partnership.well_matched for partnership in result] == [False, True, False]


def test_it_seats_the_odd_writer_with_the_pair_they_have_most_links_with() -> None:
    # 3, 4 and 5 share two goals each; whichever two are matched, the third joins them
    # (four links) rather than the earlier pair 1-2 (none).
    writers = [writer(1, [1]), writer(2, [1]), writer(3, [2, 3]), writer(4, [2, 3])]
    writers.append(writer(5, [2, 3]))

    result = suggest_partners(writers, mode=SAME)

    assert [partnership.student_ids for partnership in result] == [(1, 2), (3, 4, 5)]
    trio = result[1]
    assert trio.joined is not None
    assert trio.well_matched
    assert {frozenset(link.between) for link in trio.links} == {
        frozenset({3, 4}),
        frozenset({3, 5}),
        frozenset({4, 5}),
    }
    assert len(trio.links) == 6


def test_it_seats_the_odd_writer_with_a_pair_that_is_not_well_matched_on_a_tie() -> None:
    # Writer 5 fits nobody; the pair 3-4 fits nobody either, so 5 joins them, not 1-2.
    writers = [writer(1, [1]), writer(2, [1]), writer(3), writer(4), writer(5)]

    result = suggest_partners(writers, mode=SAME)

    assert [partnership.student_ids for partnership in result] == [(1, 2), (3, 4, 5)]
    assert result[1].pair == (3, 4)
    assert not result[1].well_matched


def test_it_seats_the_odd_writer_with_the_earliest_pair_on_a_full_tie() -> None:
    writers = [writer(1), writer(2), writer(3), writer(4), writer(5)]

    result = suggest_partners(writers, mode=COMP)

    assert [partnership.student_ids for partnership in result] == [(1, 2, 5), (3, 4)]


def test_it_orders_partnerships_by_their_first_member_in_the_input() -> None:
    # Matched pairs 1-4 and 2-3 are found before the leftover pair; output follows input.
    writers = [writer(1, [7]), writer(2, [8]), writer(3, [8]), writer(4, [7]), writer(5)]
    writers.append(writer(6))

    result = suggest_partners(writers, mode=SAME)

    assert [partnership.student_ids for partnership in result] == [(1, 4), (2, 3), (5, 6)]


@pytest.mark.parametrize("suggester", [suggest_partners, greedy_partners])
def test_it_rejects_a_writer_listed_twice(
    suggester: Callable[..., tuple[SuggestedPartnership, ...]],
) -> None:
    with pytest.raises(ValueError, match="same student id"):
        suggester([writer(1, [5]), writer(2, [5]), writer(1, [6])], mode=SAME)


def test_it_suggests_the_same_partnerships_for_the_same_class() -> None:
    # Every pair ties, so only a deterministic matching and normalisation repeat.
    def build() -> list[Writer]:
        return [writer(student, goals=[1, 2], strengths=[1, 2]) for student in range(20, 0, -1)]

    first = suggest_partners(build(), mode=COMP)

    assert all(suggest_partners(build(), mode=COMP) == first for _ in range(5))
    assert len(first) == 10
    assert all(partnership.both_ways for partnership in first)


# --- partnerships, on random classes ---------------------------------------------------


@st.composite
def writer_classes(draw: st.DrawFn, *, max_writers: int = 36, goal_pool: int = 6) -> list[Writer]:
    ids = draw(st.lists(st.integers(1, 1000), max_size=max_writers, unique=True))
    goal_sets = st.frozensets(st.integers(1, goal_pool), max_size=2)
    strength_sets = st.frozensets(st.integers(1, goal_pool), max_size=3)
    return [Writer(student, draw(goal_sets), draw(strength_sets)) for student in ids]


def valid_links(one: Writer, other: Writer, mode: Mode) -> set[tuple[int, int | None, int | None]]:
    if mode is SAME:
        return {(goal, None, None) for goal in one.goals & other.goals}
    return {(goal, one.student_id, other.student_id) for goal in one.strengths & other.goals} | {
        (goal, other.student_id, one.student_id) for goal in other.strengths & one.goals
    }


def pair_value(one: Writer, other: Writer, mode: Mode) -> tuple[int, int]:
    """(1 if well matched, bonus) for one pair, from the rules alone."""
    if mode is SAME:
        shared = len(one.goals & other.goals)
        return (1, shared) if shared else (0, 0)
    forward = bool(one.strengths & other.goals)
    backward = bool(other.strengths & one.goals)
    return (1, int(forward and backward)) if forward or backward else (0, 0)


def pairings(items: list[Writer]) -> Iterator[list[tuple[Writer, Writer]]]:
    if len(items) < 2:
        yield []
        return
    first, rest = items[0], items[1:]
    for index, partner in enumerate(rest):
        for tail in pairings(rest[:index] + rest[index + 1 :]):
            yield [(first, partner), *tail]


def best_score(writers: list[Writer], mode: Mode) -> tuple[int, int]:
    """The best (well-matched pairs, bonus) over every way to pair the class."""
    if len(writers) % 2:
        choices = [writers[:i] + writers[i + 1 :] for i in range(len(writers))]
    else:
        choices = [writers]
    best = (0, 0)
    for chosen in choices:
        for pairing in pairings(chosen):
            values = [pair_value(one, other, mode) for one, other in pairing]
            best = max(best, (sum(v[0] for v in values), sum(v[1] for v in values)))
    return best


def check_partnerships(
    writers: list[Writer], mode: Mode, result: tuple[SuggestedPartnership, ...]
) -> None:
    by_id = {w.student_id: w for w in writers}
    position = {w.student_id: index for index, w in enumerate(writers)}
    if len(writers) < 2:
        assert result == ()
        return
    seated = [student for partnership in result for student in partnership.student_ids]
    assert sorted(seated) == sorted(by_id)
    trios = [p for p in result if len(p.student_ids) == 3]
    assert all(len(p.student_ids) in (2, 3) for p in result)
    assert len(trios) == len(writers) % 2
    assert [position[p.student_ids[0]] for p in result] == sorted(
        position[p.student_ids[0]] for p in result
    )
    for partnership in result:
        ids = partnership.student_ids
        assert [position[s] for s in ids] == sorted(position[s] for s in ids)
        assert set(partnership.pair) <= set(ids)
        expected: set[tuple[int, int | None, int | None, frozenset[int]]] = set()
        for first_id, second_id in itertools.combinations(ids, 2):
            expected |= {
                (*link, frozenset({first_id, second_id}))
                for link in valid_links(by_id[first_id], by_id[second_id], mode)
            }
        claimed = [
            (link.goal_id, link.helper, link.learner, frozenset(link.between))
            for link in partnership.links
        ]
        assert len(claimed) == len(set(claimed))
        assert set(claimed) == expected
        one, other = (by_id[s] for s in partnership.pair)
        well, bonus = pair_value(one, other, mode)
        assert partnership.well_matched == bool(well)
        assert partnership.both_ways == (mode is COMP and bool(bonus))
    for trio in trios:
        # The odd writer sits with the pair they have most links with.
        assert trio.joined is not None
        extra = by_id[trio.joined]

        def links_with(pair: tuple[int, int], extra: Writer = extra) -> int:
            return sum(len(valid_links(extra, by_id[member], mode)) for member in pair)

        assert links_with(trio.pair) == max(links_with(p.pair) for p in result)


@BOUNDED
@given(writer_classes(), st.sampled_from(list(Mode)))
def test_it_seats_every_writer_once_with_honest_links(writers: list[Writer], mode: Mode) -> None:
    result = suggest_partners(writers, mode=mode)
    greedy = greedy_partners(writers, mode=mode)

    check_partnerships(writers, mode, result)
    check_partnerships(writers, mode, greedy)
    assert score(result, mode) >= score(greedy, mode)
    assert suggest_partners(list(writers), mode=mode) == result


@BOUNDED
@given(writer_classes(max_writers=9, goal_pool=4), st.sampled_from(list(Mode)))
def test_it_finds_the_best_score_any_pairing_could_reach(writers: list[Writer], mode: Mode) -> None:
    result = suggest_partners(writers, mode=mode)

    assert score(result, mode) == best_score(writers, mode)


# --- the module stays plain Python -----------------------------------------------------


def test_the_suggestions_import_no_django() -> None:
    source = Path(suggest.__file__).read_text()
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported.append(node.module or "")
    assert not [name for name in imported if "django" in name.lower()]
    # Nor through anything it imports: a fresh interpreter must not load it.
    check = "import sys, conferbook.groups.suggest; print('django' in sys.modules)"
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "False"
