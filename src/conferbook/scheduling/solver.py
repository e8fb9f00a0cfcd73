"""The conference scheduler: who is seen in which writing-block slot. No Django here.

Inputs are plain values: the school days with writing time (holidays and non-writing
days already removed by the caller, in increasing order), the conference slot start times
of a day (every day has the same slots, in increasing order), one `StudentNeed` per active
student and the bookings the teacher placed or moved by hand (`fixed`).

Definitions
-----------
*Horizon.* ``school_days[today_index:]``; ``D`` is its length. Days before `today_index`
are the past: nothing new is booked there (fixed bookings there are kept as they are).

*Gap.* For a student booked on horizon days ``d1 < d2 < ... < dk`` (0-based positions in
the horizon), the gaps are ``d1 + 1`` (from a virtual conference the day before the
horizon), ``d2 - d1``, ..., ``dk - d(k-1)`` and ``D - dk`` (to a virtual conference the
day after it). A student with no booking has the single gap ``D + 1``. `Plan.longest_gap`
is the largest gap of any student. Counting both ends makes it honest: ``longest_gap <= g``
holds exactly when every student has a conference in every window of ``g`` consecutive
school days of the horizon, so a plan cannot look good by stopping to book someone.

*Weight.* ``weight = 2`` ("see more often") asks for twice as many conferences as a
weight-1 student. ``W`` is the sum of the weights and ``S`` the slots per day.

*Rank.* Students are ranked by the day they fall due (`StudentNeed.due`, the class
calendar's answer), then never seen first, then the oldest ``last_seen``, then id.

*Lower bound.* ``Plan.lower_bound = ceil(W / S)`` (``lower_bound_gap``). With all weights
1 it really is a lower bound when ``D >= ceil(n / S)``: the first ``ceil(n / S) - 1``
days hold fewer than ``n`` slots, so someone's first gap is at least ``ceil(n / S)``.

The guarantee
-------------
With no unavailability and no fixed bookings:

* all weights 1: every student is booked in every window of ``L = ceil(n / S)``
  consecutive school days of the horizon, and ``longest_gap == min(L, D + 1)`` (so
  ``== L`` whenever the horizon is at least ``L`` days long); nobody is unbooked when
  ``D >= L``;
* with weights: every weight-1 student is booked in every window of ``ceil(W / S)``
  consecutive school days, and no student's gap exceeds it
  (``longest_gap <= min(ceil(W / S), D + 1)``). "About twice as many" for weight 2
  means, for the counts ``c2`` of any weight-2 student and ``c1`` of any weight-1
  student over the horizon: ``2 * c1 - 3 <= c2 <= 2 * c1 + 2`` when ``2 * S <= W`` (the
  spread comes from where each starts in the rotation), and ``c2 >= c1`` once
  ``D >= 2 * ceil(W / S)``. When ``2 * S > W`` twice the share would be more than one
  conference a day; nobody is booked twice on one day, so a weight-2 student is then
  booked every day after the first round: ``c2 >= D - (ceil(W / S) - 1)``. Larger
  weights are scheduled the same way (the gap claim is tested for weights 1-3, the
  count claims for 1 and 2).

Constraints that always hold: no slot holds two bookings; every new booking is on a
horizon day and one of the day's slots; nobody gets two conferences on one day (hand-placed
bookings aside); a student's weekly unavailability ``(weekday, slot index)`` is never
booked; fixed bookings are kept exactly and their slots are not reused. `Plan.unbooked`
lists the students with no booking at all in the horizon (empty when the block allows).

The algorithm
-------------
A weighted rotation, run as earliest-deadline-first one school day at a time. Students
are ranked most overdue first: never seen, then oldest ``last_seen``, then id. Each
student carries a *pass*: it starts at its rank and grows by ``W / weight`` at each of
its conferences (stride scheduling), so the pass is the student's place in an endless
rotation in which a weight-``w`` student appears ``w`` times per round of ``W`` turns.
Each day takes the students with the smallest passes (ties: rank) that the day's free
slots can hold -- a greedy choice over bipartite matchings, so a student whose pull-out
blocks one slot is fitted into another rather than skipped -- and seats them in slot
order, the most pressing first. A student whose hand-placed booking comes before their
next due day is not booked in between.

Why the guarantee holds: with all weights 1, no constraints and ``n >= S`` this is the
plain rotation -- the student of rank ``r`` takes turns ``r, r + n, r + 2n, ...`` and turn
``t`` falls on day ``t // S`` -- so a student's consecutive turns are ``n`` apart and their
days at most ``ceil(n / S)`` apart; the first turn (``< n``) falls by day
``ceil(n / S) - 1`` and the last by day ``D - ceil(n / S)``. With ``n < S`` everyone is
booked every day. The first round follows the rank, so the most overdue students are
seen first. The weighted case runs the same rotation over ``W`` turns per round (each
day's picks being distinct students); its bounds above were measured exhaustively on small
classes rather than derived here. The property tests in ``tests/scheduling/test_solver.py``
check every claim above on random classes, blocks and horizons.

Absences
--------
`reschedule_absent` moves the absent student's booking on `day` to the earliest free slot
after `day` that they can take, moving nobody else. Only when no such slot exists does it
shift others, as few as possible: the absent student takes an occupied slot and its
occupant moves on to a free slot -- possibly the one just vacated on `day`, so the next
student is called early -- along the shortest chain (ties: the earliest slot for the
absent student, then the smallest shift in days for the last one moved). The absent
student is never dropped.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

__all__ = [
    "Booking",
    "Plan",
    "Slot",
    "StudentNeed",
    "longest_gap",
    "lower_bound_gap",
    "reschedule_absent",
    "round_robin_baseline",
    "schedule",
]


@dataclass(frozen=True)
class Slot:
    """One conference slot in a writing block."""

    day: date  # a school day
    index: int  # 0-based position within that day's block
    start: time


@dataclass(frozen=True)
class StudentNeed:
    student_id: int
    last_seen: date | None  # last held conference (None = never seen)
    weight: int = 1  # "see more often": 2 = twice as often as others
    # (weekday 0=Mon, slot index) never bookable, e.g. a weekly pull-out
    unavailable: frozenset[tuple[int, int]] = frozenset()
    # When the class calendar says the student is due; ranks before last_seen when given.
    due: date | None = None


@dataclass(frozen=True)
class Booking:
    student_id: int
    slot: Slot
    fixed: bool = False  # placed or moved by hand: kept as is


@dataclass(frozen=True)
class Plan:
    bookings: tuple[Booking, ...]  # fixed ones included, sorted by (day, index)
    longest_gap: int  # in school days over the horizon (module docstring)
    lower_bound: int  # ceil(sum of weights / slots per day)
    unbooked: tuple[int, ...]  # students with no booking in the horizon


def lower_bound_gap(students: int, slots_per_day: int) -> int:
    """ceil(students / slots_per_day): the shortest possible longest gap; 0 if no slots."""
    if students <= 0 or slots_per_day <= 0:
        return 0
    return -(-students // slots_per_day)


def _check_grid(school_days: Sequence[date], slot_starts: Sequence[time]) -> dict[date, int]:
    if any(a >= b for a, b in itertools.pairwise(school_days)):
        raise ValueError("school_days must be strictly increasing")
    if any(a >= b for a, b in itertools.pairwise(slot_starts)):
        raise ValueError("slot_starts must be strictly increasing")
    return {day: i for i, day in enumerate(school_days)}


def _check_students(students: Sequence[StudentNeed]) -> dict[int, StudentNeed]:
    by_id: dict[int, StudentNeed] = {}
    for need in students:
        if need.student_id in by_id:
            raise ValueError(f"student {need.student_id} is listed twice")
        if need.weight < 1:
            raise ValueError(f"student {need.student_id} has weight {need.weight} < 1")
        by_id[need.student_id] = need
    return by_id


def _slot_key(booking: Booking) -> tuple[date, int]:
    return (booking.slot.day, booking.slot.index)


def _sorted(bookings: Iterable[Booking]) -> tuple[Booking, ...]:
    return tuple(sorted(bookings, key=lambda b: (b.slot.day, b.slot.index, b.student_id)))


def longest_gap(
    bookings: Iterable[Booking],
    *,
    school_days: Sequence[date],
    student_ids: Iterable[int],
    today_index: int = 0,
) -> int:
    """The longest gap, in school days, of any of `student_ids` (module docstring).

    Only bookings on ``school_days[today_index:]`` count; 0 when there are no students.
    """
    position = {day: i - today_index for i, day in enumerate(school_days) if i >= today_index}
    horizon = len(position)
    days: dict[int, set[int]] = {sid: set() for sid in student_ids}
    for booking in bookings:
        where = position.get(booking.slot.day)
        if where is not None and booking.student_id in days:
            days[booking.student_id].add(where)
    worst = 0
    for seen in days.values():
        previous = -1
        for day in sorted(seen):
            worst = max(worst, day - previous)
            previous = day
        worst = max(worst, horizon - previous)
    return worst


def _rank_key(need: StudentNeed) -> tuple[date, bool, date, int]:
    # The earliest due first (the class calendar's answer, when given), then never seen,
    # then the oldest last conference, then the id.
    return (
        need.due or date.min,
        need.last_seen is not None,
        need.last_seen or date.min,
        need.student_id,
    )


def _match(
    order: Sequence[int],
    slots: Sequence[int],
    can_take: dict[int, set[int]],
) -> dict[int, int]:
    """Greedy max-priority matching: students in `order` that `slots` can all hold.

    Returns slot -> student. A student is kept if a matching containing them and everyone
    kept before exists (augmenting paths), which is the best set by priority (a transversal
    matroid, so greedy is optimal).
    """
    owner: dict[int, int] = {}

    def augment(student: int, seen: set[int]) -> bool:
        for slot in slots:
            if slot in seen or slot not in can_take[student]:
                continue
            seen.add(slot)
            if slot not in owner or augment(owner[slot], seen):
                owner[slot] = student
                return True
        return False

    for student in order:
        if len(owner) == len(slots):
            break
        augment(student, set())
    return owner


def _seat(
    chosen: Sequence[int], slots: Sequence[int], can_take: dict[int, set[int]]
) -> list[tuple[int, int]]:
    """Seat the chosen students (priority order) in slot order, most pressing earliest.

    Each student in turn takes the earliest slot that still leaves a seat for everyone
    after them. `chosen` is known to have a complete matching into `slots`.
    """
    seating: list[tuple[int, int]] = []
    free = list(slots)
    for position, student in enumerate(chosen):
        rest = chosen[position + 1 :]
        for slot in free:
            if slot not in can_take[student]:
                continue
            others = [s for s in free if s != slot]
            if len(_match(rest, others, can_take)) == len(rest):
                seating.append((student, slot))
                free.remove(slot)
                break
    return seating


def schedule(
    *,
    school_days: Sequence[date],
    slot_starts: Sequence[time],
    students: Sequence[StudentNeed],
    fixed: Sequence[Booking] = (),
    today_index: int = 0,
) -> Plan:
    """Book every student into the horizon's slots (module docstring: the guarantee).

    Raises ValueError for a fixed booking outside the given days and slots, two fixed
    bookings in one slot, a student listed twice or a weight below 1.
    """
    position = _check_grid(school_days, slot_starts)
    needs = _check_students(students)
    if not 0 <= today_index <= len(school_days):
        raise ValueError("today_index is outside school_days")
    per_day = len(slot_starts)
    total_weight = sum(need.weight for need in students)
    lower = lower_bound_gap(total_weight, per_day)

    taken: set[tuple[date, int]] = set()
    fixed_on: dict[int, list[Booking]] = {}
    fixed_days: dict[int, list[int]] = {}
    for booking in fixed:
        slot = booking.slot
        where = position.get(slot.day)
        if where is None or not 0 <= slot.index < per_day:
            raise ValueError(f"fixed booking outside the block: {booking}")
        if slot.start != slot_starts[slot.index]:
            raise ValueError(f"fixed booking at the wrong start time: {booking}")
        if _slot_key(booking) in taken:
            raise ValueError(f"two fixed bookings in one slot: {slot}")
        taken.add(_slot_key(booking))
        fixed_on.setdefault(where, []).append(booking)
        fixed_days.setdefault(booking.student_id, []).append(where)
    kept = list(fixed)  # exactly as given

    ranked = sorted(students, key=_rank_key)
    rank = {need.student_id: r for r, need in enumerate(ranked)}
    # Integer passes: scale by the lcm of the weights so that W / weight is whole.
    scale = math.lcm(*(need.weight for need in students)) if students else 1
    stride = {sid: total_weight * scale // need.weight for sid, need in needs.items()}
    passes = {sid: rank[sid] * scale for sid in needs}
    target = {
        sid: max(1, -(-total_weight // (per_day * need.weight))) if per_day else 1
        for sid, need in needs.items()
    }
    last_day = {sid: today_index - 1 for sid in needs}
    upcoming = {
        sid: sorted(d for d in days if d >= today_index) for sid, days in fixed_days.items()
    }

    new: list[Booking] = []
    for where in range(today_index, len(school_days)):
        day = school_days[where]
        weekday = day.weekday()
        booked_today: set[int] = set()
        for booking in fixed_on.get(where, []):
            sid = booking.student_id
            if sid in needs:
                booked_today.add(sid)
                passes[sid] += stride[sid]
                last_day[sid] = where
                upcoming[sid].remove(where)
        free = [i for i in range(per_day) if (day, i) not in taken]
        if not free:
            continue

        def covered(sid: int) -> bool:
            # A hand-placed booking comes before this student falls due: leave them be.
            ahead = upcoming.get(sid)
            return ahead is not None and len(ahead) > 0 and ahead[0] <= last_day[sid] + target[sid]

        order = sorted(
            (sid for sid in needs if sid not in booked_today and not covered(sid)),
            key=lambda sid: (passes[sid], rank[sid]),
        )
        can_take = {
            sid: {i for i in free if (weekday, i) not in needs[sid].unavailable} for sid in order
        }
        owner = _match(order, free, can_take)
        chosen = sorted(owner.values(), key=lambda sid: (passes[sid], rank[sid]))
        # Fast path: nobody chosen is blocked today, so seat them in priority order.
        if all(len(can_take[sid]) == len(free) for sid in chosen):
            seating = list(zip(chosen, free, strict=False))
        else:
            seating = _seat(chosen, free, can_take)
        for sid, index in seating:
            new.append(Booking(sid, Slot(day, index, slot_starts[index])))
            passes[sid] += stride[sid]
            last_day[sid] = where

    bookings = _sorted([*kept, *new])
    horizon = set(school_days[today_index:])
    seen = {b.student_id for b in bookings if b.slot.day in horizon}
    return Plan(
        bookings=bookings,
        longest_gap=longest_gap(
            bookings, school_days=school_days, student_ids=needs, today_index=today_index
        ),
        lower_bound=lower,
        unbooked=tuple(need.student_id for need in ranked if need.student_id not in seen),
    )


def reschedule_absent(
    *,
    plan_bookings: Sequence[Booking],
    absent_student: int,
    day: date,
    students: Sequence[StudentNeed],
    school_days: Sequence[date],
    slot_starts: Sequence[time],
    absent_today: Collection[int] = (),
    reuse_vacated: bool = True,
    within: int | None = None,
) -> tuple[tuple[Booking, ...], list[tuple[int, Slot, Slot]]]:
    """Move the absent student's booking(s) on `day` later; return (bookings, moves).

    With `within` (school days after `day`: the class's cycle), steps 1 and 2 are tried
    for a slot in those days first, and only then for any later slot: a student away
    today is seen again within the cycle whenever others can make room, rather than
    after the last planned day.

    1. If a slot after `day` is free and the student can take it (not unavailable, not
       already booked that day), the booking moves to the earliest such slot and nobody
       else moves.
    2. Otherwise the student takes an occupied slot after `day` and the occupant moves to
       a free slot -- a later one, or the slot just vacated on `day` (they are called
       early) -- or on along a chain: the shortest chain, ties broken by the earliest slot
       for the absent student, then by the fewest school days the last one moves (a free
       slot later the same day beats calling them a day early). Fixed (hand-placed)
       bookings of others never move.
    3. If even that is impossible -- the student is already booked on every later day
       they could come (a small class seen daily), or the horizon is booked solid and
       nobody can take the vacated slot -- the bookings come back unchanged and no move
       is reported, so the caller can say so (or offer more school days). The booking is
       never dropped.

    `reuse_vacated=False` never offers the vacated slot to anyone (its time has passed).

    Moves are ``(student_id, from_slot, to_slot)``, the absent student's first. A moved
    booking of the absent student is no longer fixed. `absent_today` lists other students
    already known to be away on `day`: they are never called in early.
    """
    position = _check_grid(school_days, slot_starts)
    needs = _check_students(students)
    bookings = list(plan_bookings)
    moves: list[tuple[int, Slot, Slot]] = []
    if day not in position:
        return _sorted(bookings), moves
    for absent in sorted(
        (b for b in bookings if b.student_id == absent_student and b.slot.day == day),
        key=lambda b: b.slot.index,
    ):
        away = {absent_student, *absent_today}
        chain = None
        for reach in (within, None) if within is not None else (None,):
            chain = _chain(
                bookings,
                absent,
                needs,
                school_days,
                slot_starts,
                position,
                away,
                reuse_vacated,
                reach,
            )
            if chain is not None:
                break
        if chain is None:
            continue
        for booking, target in chain:
            bookings.remove(booking)
            fixed = False if booking is absent else booking.fixed
            bookings.append(Booking(booking.student_id, target, fixed=fixed))
            moves.append((booking.student_id, booking.slot, target))
    return _sorted(bookings), moves


def _chain(
    bookings: list[Booking],
    absent: Booking,
    needs: dict[int, StudentNeed],
    school_days: Sequence[date],
    slot_starts: Sequence[time],
    position: dict[date, int],
    away: set[int],
    reuse_vacated: bool = True,
    reach: int | None = None,
) -> list[tuple[Booking, Slot]] | None:
    """The moves (booking, new slot) that re-seat `absent` later, or None (docstring).

    `reach` limits where the absent student may go to that many school days after `day`
    (the others moved along the chain may go to any later slot)."""
    after = position[absent.slot.day]
    later = [
        Slot(d, i, start) for d in school_days[after + 1 :] for i, start in enumerate(slot_starts)
    ]
    targets = [s for s in later if reach is None or position[s.day] - after <= reach]
    holder: dict[tuple[date, int], Booking] = {}
    per_day: Counter[tuple[int, date]] = Counter()
    for booking in bookings:
        holder.setdefault(_slot_key(booking), booking)
        per_day[(booking.student_id, booking.slot.day)] += 1
    vacated = absent.slot

    def can_take(booking: Booking, slot: Slot) -> bool:
        if slot == vacated and booking.student_id in away:
            return False
        need = needs.get(booking.student_id)
        if need is not None and (slot.day.weekday(), slot.index) in need.unavailable:
            return False
        already = per_day[(booking.student_id, slot.day)] - (slot.day == booking.slot.day)
        return already == 0

    # 1. The earliest free slot the absent student can take: nobody else moves.
    for slot in targets:
        if (slot.day, slot.index) not in holder and can_take(absent, slot):
            return [(absent, slot)]

    # 2. Shortest chain, breadth first; each level is kept in the order of the absent
    # student's slot, so the first chain found is the earliest at the smallest length.
    # The vacated slot may be given to someone called in early, unless its time has passed.
    free = [
        *([vacated] if reuse_vacated else []),
        *(s for s in later if (s.day, s.index) not in holder),
    ]
    parent: dict[tuple[date, int], tuple[date, int] | None] = {}
    level: list[Slot] = []
    for slot in targets:
        key = (slot.day, slot.index)
        occupant = holder.get(key)
        if (
            occupant is not None
            and not occupant.fixed
            and occupant.student_id != absent.student_id
            and can_take(absent, slot)
        ):
            parent[key] = None
            level.append(slot)
    while level:
        for slot in level:
            occupant = holder[(slot.day, slot.index)]
            ends = [target for target in free if can_take(occupant, target)]
            if ends:
                # The occupant moves as few school days as possible, then the earliest.
                here = position[slot.day]
                end = min(ends, key=lambda t: (abs(position[t.day] - here), t.day, t.index))
                return _unwind(slot, end, parent, holder, absent)
        following: list[Slot] = []
        for slot in level:
            occupant = holder[(slot.day, slot.index)]
            in_chain = _chain_students(slot, parent, holder)
            for target in later:
                key = (target.day, target.index)
                nxt = holder.get(key)
                if (
                    key in parent
                    or nxt is None
                    or nxt.fixed
                    or nxt.student_id in in_chain
                    or nxt.student_id == absent.student_id
                    or not can_take(occupant, target)
                ):
                    continue
                parent[key] = (slot.day, slot.index)
                following.append(target)
        level = following
    return None


def _chain_students(
    slot: Slot,
    parent: dict[tuple[date, int], tuple[date, int] | None],
    holder: dict[tuple[date, int], Booking],
) -> set[int]:
    students: set[int] = set()
    key: tuple[date, int] | None = (slot.day, slot.index)
    while key is not None:
        students.add(holder[key].student_id)
        key = parent[key]
    return students


def _unwind(
    last: Slot,
    target: Slot,
    parent: dict[tuple[date, int], tuple[date, int] | None],
    holder: dict[tuple[date, int], Booking],
    absent: Booking,
) -> list[tuple[Booking, Slot]]:
    """The chain ending with the occupant of `last` moving to the free `target`."""
    path: list[Slot] = []
    key: tuple[date, int] | None = (last.day, last.index)
    while key is not None:
        path.append(holder[key].slot)
        key = parent[key]
    path.reverse()  # path[0] is the absent student's new slot
    moves = [(absent, path[0])]
    for here, there in zip(path, [*path[1:], target], strict=True):
        moves.append((holder[(here.day, here.index)], there))
    return moves


def round_robin_baseline(
    *,
    school_days: Sequence[date],
    slot_starts: Sequence[time],
    students: Sequence[StudentNeed],
) -> tuple[Booking, ...]:
    """The naive rotation a teacher might keep on paper, for comparison only.

    Students in id order take the slots in time order, one after the other, round and
    round; last_seen and weights are ignored. A slot the next student cannot take
    (unavailable) stays empty and that student tries the next slot; a student who can
    take no slot of a whole week is passed over.
    """
    _check_grid(school_days, slot_starts)
    order = sorted(need.student_id for need in students)
    needs = {need.student_id: need for need in students}
    out: list[Booking] = []
    if not order or not slot_starts:
        return ()
    turn = 0
    misses = 0
    for day in school_days:
        for index, start in enumerate(slot_starts):
            sid = order[turn % len(order)]
            if (day.weekday(), index) in needs[sid].unavailable:
                misses += 1
                if misses >= 7 * len(slot_starts):  # never bookable: pass them over
                    turn += 1
                    misses = 0
                continue
            out.append(Booking(sid, Slot(day, index, start)))
            turn += 1
            misses = 0
    return _sorted(out)
