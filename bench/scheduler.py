"""`make bench`, scheduler part: the conference scheduler against a naive round-robin.

Scenarios (6 conference slots a day, Monday to Friday):
  - classes of 18, 29 and 33 students over 4 weeks (20 school days);
  - a school of 1,000 students in 35 classes (20 of 29, 15 of 28) over 180 school days.

For each, on the same input, the scheduler (`conferbook.scheduling.solver.schedule`) and
the naive baseline (`round_robin_baseline`: id order, round and round) are compared on:
  - time to schedule, in ms (median of several runs for one class; the school is the
    sum over its classes);
  - the longest gap between two conferences of any student, in school days, against the
    lower bound ceil(students / slots per day) (both ends of the horizon count, see the
    solver's docstring);
  - with absences: each school day each student is absent with p = 0.05 (seeded; the same
    absence calendar for both). The scheduler moves an absent student with
    `reschedule_absent`; the baseline skips the conference and the student waits for
    their next turn. Reported: the longest gap between conferences actually held, and the
    mean days late -- for every planned conference, the school days from its planned day
    to the day it (or, if it never happened, the student's next conference) was held,
    0 if held early; a conference never made up by the end counts up to the end of the
    horizon. "late/abs" is the same mean over the conferences hit by an absence only.

Run: .venv/bin/python bench/scheduler.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time as clock
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

try:
    from conferbook.scheduling import solver
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from conferbook.scheduling import solver

SEED = 2031
ABSENCE = 0.05
SLOTS_PER_DAY = 6
FIRST_DAY = date(2031, 1, 6)  # a Monday


@dataclass
class Outcome:
    ms: float
    gap: int
    bound: int
    gap_absent: int
    late: float  # mean school days late over all planned conferences
    late_hit: float  # the same over conferences hit by an absence
    moved_others: int = 0  # scheduler only: other students moved to make room
    reschedules: int = 0  # scheduler only: absences that hit a booked conference


def school_days(count: int) -> list[date]:
    days: list[date] = []
    day = FIRST_DAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def slot_starts() -> list[time]:
    first = datetime.combine(FIRST_DAY, time(10, 15))
    return [(first + timedelta(minutes=5 * i)).time() for i in range(SLOTS_PER_DAY)]


def make_class(first_id: int, size: int, rng: random.Random) -> list[solver.StudentNeed]:
    """Students with a random last conference in the three weeks before (some never)."""
    needs = []
    for sid in range(first_id, first_id + size):
        seen = None if rng.random() < 0.1 else FIRST_DAY - timedelta(days=rng.randint(1, 21))
        needs.append(solver.StudentNeed(sid, seen))
    return needs


def absence_calendar(
    needs: Sequence[solver.StudentNeed], days: Sequence[date], rng: random.Random
) -> set[tuple[int, date]]:
    """Who is away on which day: each student, each school day, with p = ABSENCE."""
    return {(n.student_id, d) for d in days for n in needs if rng.random() < ABSENCE}


def median_ms(fn: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = clock.perf_counter()
        fn()
        samples.append((clock.perf_counter() - start) * 1000)
    return statistics.median(samples)


Key = tuple[int, date, int]  # an appointment: (student, planned day, planned slot index)


def lateness(
    planned: dict[Key, int],
    held_at: dict[Key, int],
    held_days: dict[int, list[int]],
    hit: set[Key],
    horizon: int,
) -> tuple[float, float]:
    """Mean school days late over all planned conferences, and over those hit by absence."""
    late: dict[Key, int] = {}
    for key, day in planned.items():
        actual = held_at.get(key)
        if actual is None:  # never held: the student's next conference makes up for it
            actual = next((d for d in held_days.get(key[0], []) if d >= day), horizon)
        late[key] = max(0, actual - day)
    everyone = statistics.fmean(late.values()) if late else 0.0
    hits = [late[k] for k in hit]
    return everyone, statistics.fmean(hits) if hits else 0.0


def held_gap(held: list[solver.Booking], days: list[date], ids: list[int]) -> int:
    return solver.longest_gap(held, school_days=days, student_ids=ids)


def run_scheduler(
    needs: list[solver.StudentNeed], days: list[date], away: set[tuple[int, date]], rounds: int
) -> Outcome:
    slots = slot_starts()
    plan = solver.schedule(school_days=days, slot_starts=slots, students=needs)
    ms = median_ms(
        lambda: solver.schedule(school_days=days, slot_starts=slots, students=needs), rounds
    )
    position = {d: i for i, d in enumerate(days)}
    ids = [n.student_id for n in needs]

    # Walk the days: absent students are moved, everyone present is seen.
    key_of: dict[tuple[int, date, int], Key] = {}
    planned: dict[Key, int] = {}
    for b in plan.bookings:
        key = (b.student_id, b.slot.day, b.slot.index)
        key_of[key] = key
        planned[key] = position[b.slot.day]
    bookings = plan.bookings
    at = {(b.slot.day, b.slot.index): b for b in bookings}
    held: list[solver.Booking] = []
    held_at: dict[Key, int] = {}
    hit: set[Key] = set()
    moved_others = reschedules = 0
    for day in days:
        away_today: set[int] = set()
        index = 0
        while index < len(slots):
            booking = at.get((day, index))
            if booking is None:
                index += 1
                continue
            where = (booking.student_id, day, index)
            if (booking.student_id, day) not in away:
                held.append(booking)
                held_at[key_of[where]] = position[day]
                index += 1
                continue
            hit.add(key_of[where])
            away_today.add(booking.student_id)
            reschedules += 1
            bookings, moves = solver.reschedule_absent(
                plan_bookings=bookings,
                absent_student=booking.student_id,
                day=day,
                students=needs,
                school_days=days,
                slot_starts=slots,
                absent_today=away_today,
            )
            if not moves:  # nowhere to go: missed; their next conference makes up for it
                index += 1
                continue
            moved_others += len(moves) - 1
            keys = [key_of.pop((sid, old.day, old.index)) for sid, old, _ in moves]
            for (sid, _, new), key in zip(moves, keys, strict=True):
                key_of[(sid, new.day, new.index)] = key
            at = {(b.slot.day, b.slot.index): b for b in bookings}
            # Same slot again: someone may have been called in to take it.
    held_days: dict[int, list[int]] = {}
    for b in held:
        held_days.setdefault(b.student_id, []).append(position[b.slot.day])
    late, late_hit = lateness(planned, held_at, held_days, hit, len(days))
    return Outcome(
        ms=ms,
        gap=plan.longest_gap,
        bound=plan.lower_bound,
        gap_absent=held_gap(held, days, ids),
        late=late,
        late_hit=late_hit,
        moved_others=moved_others,
        reschedules=reschedules,
    )


def run_baseline(
    needs: list[solver.StudentNeed], days: list[date], away: set[tuple[int, date]], rounds: int
) -> Outcome:
    slots = slot_starts()
    bookings = solver.round_robin_baseline(school_days=days, slot_starts=slots, students=needs)
    ms = median_ms(
        lambda: solver.round_robin_baseline(school_days=days, slot_starts=slots, students=needs),
        rounds,
    )
    position = {d: i for i, d in enumerate(days)}
    ids = [n.student_id for n in needs]
    planned = {(b.student_id, b.slot.day, b.slot.index): position[b.slot.day] for b in bookings}
    held = [b for b in bookings if (b.student_id, b.slot.day) not in away]
    hit = {(b.student_id, b.slot.day, b.slot.index) for b in bookings} - {
        (b.student_id, b.slot.day, b.slot.index) for b in held
    }
    held_at = {(b.student_id, b.slot.day, b.slot.index): position[b.slot.day] for b in held}
    held_days: dict[int, list[int]] = {}
    for b in held:
        held_days.setdefault(b.student_id, []).append(position[b.slot.day])
    late, late_hit = lateness(planned, held_at, held_days, hit, len(days))
    return Outcome(
        ms=ms,
        gap=held_gap(list(bookings), days, ids),
        bound=solver.lower_bound_gap(len(needs), len(slots)),
        gap_absent=held_gap(held, days, ids),
        late=late,
        late_hit=late_hit,
    )


def combine(parts: list[Outcome], weights: list[int]) -> Outcome:
    """A school's figure from its classes: times add up, gaps take the worst class."""
    total = sum(weights)
    return Outcome(
        ms=sum(p.ms for p in parts),
        gap=max(p.gap for p in parts),
        bound=max(p.bound for p in parts),
        gap_absent=max(p.gap_absent for p in parts),
        late=sum(p.late * w for p, w in zip(parts, weights, strict=True)) / total,
        late_hit=statistics.fmean(p.late_hit for p in parts),
        moved_others=sum(p.moved_others for p in parts),
        reschedules=sum(p.reschedules for p in parts),
    )


def row(label: str, method: str, o: Outcome) -> str:
    moved = f"{o.moved_others / o.reschedules:.2f}" if o.reschedules else "-"
    return (
        f"{label:<26}{method:<13}{o.ms:>10.1f}{o.gap:>7}{o.bound:>7}"
        f"{o.gap_absent:>9}{o.late:>9.2f}{o.late_hit:>10.2f}{moved:>9}"
    )


def main() -> int:
    rng = random.Random(SEED)
    started = clock.perf_counter()
    header = (
        f"{'':<26}{'':<13}{'schedule':>10}{'no absences':>14}"
        f"{'with 5% daily absences':>36}\n"
        f"{'scenario':<26}{'method':<13}{'ms':>10}{'gap':>7}{'bound':>7}"
        f"{'gap':>9}{'late':>9}{'late/abs':>10}{'moved':>9}"
    )
    print(
        f"Conference scheduler vs naive round-robin: {SLOTS_PER_DAY} slots a day, "
        f"absences p={ABSENCE} a student a day (seed {SEED})"
    )
    print(header)
    print("-" * 100)

    for size in (18, 29, 33):
        days = school_days(20)
        needs = make_class(1, size, rng)
        away = absence_calendar(needs, days, rng)
        ours = run_scheduler(needs, days, away, rounds=25)
        naive = run_baseline(needs, days, away, rounds=25)
        label = f"class of {size}, 20 days"
        print(row(label, "scheduler", ours))
        print(row("", "round-robin", naive))

    days = school_days(180)
    sizes = [29] * 20 + [28] * 15
    ours_parts: list[Outcome] = []
    naive_parts: list[Outcome] = []
    first = 1
    for size in sizes:
        needs = make_class(first, size, rng)
        first += size
        away = absence_calendar(needs, days, rng)
        ours_parts.append(run_scheduler(needs, days, away, rounds=1))
        naive_parts.append(run_baseline(needs, days, away, rounds=1))
    label = f"school: {sum(sizes)} in {len(sizes)}, 180 d"
    print(row(label, "scheduler", combine(ours_parts, sizes)))
    print(row("", "round-robin", combine(naive_parts, sizes)))
    print("-" * 100)
    print(
        "gap: longest gap between two conferences of any student, in school days "
        "(horizon ends count);\nbound: ceil(students / slots a day); late: mean school "
        "days from planned to held over all\nconferences; late/abs: over the conferences "
        "hit by an absence; moved: other students\nmoved per absence (0 = a free slot; "
        "1 = the next student called in early)."
    )
    print(f"bench time {clock.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
