"""`make bench`, grouping part: suggested partners against a greedy baseline, and speed.

Random classes (seeded) in the shape of a real one: 29 students, each working on one or
two of 12 goals (a few goals popular, as in a class that studied the same unit), each
strong at 0-3 goals (strengths that show a goal, or goals met). For each mode the
partnering (`conferbook.groups.suggest.suggest_partners`: an exact maximum-weight
matching) and the greedy baseline (`greedy_partners`: best bonus first, then the first
free pair) are compared on the same classes:
  - well-matched pairs (sharing a goal; complementary: one strong where the other works),
  - the bonus (both-ways pairs; same goal: goals shared),
  - classes where the matching found strictly more well-matched pairs than greedy,
  - time per class.
Then the small-group suggestions for a school: 1,000 students in 35 classes.

Run: .venv/bin/python bench/grouping.py
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

try:
    from conferbook.groups import suggest
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from conferbook.groups import suggest

SEED = 2026
CLASSES = 300
STUDENTS = 29
GOALS = 12
# Some goals are much more common than others in a class.
WEIGHTS = [8, 6, 5, 4, 3, 3, 2, 2, 1, 1, 1, 1]


def random_class(rng: random.Random, size: int = STUDENTS) -> list[suggest.Writer]:
    writers = []
    for student in range(size):
        goals = set(rng.choices(range(GOALS), weights=WEIGHTS, k=1 if rng.random() < 0.55 else 2))
        strengths = set(rng.sample(range(GOALS), k=rng.choice((0, 1, 1, 2, 3)))) - goals
        writers.append(suggest.Writer(student, frozenset(goals), frozenset(strengths)))
    return writers


def main() -> int:
    rng = random.Random(SEED)
    classes = [random_class(rng) for _ in range(CLASSES)]
    print(f"Grouping bench: {CLASSES} random classes of {STUDENTS} ({GOALS} goals)")
    for mode in suggest.Mode:
        real, greedy, better, times = [], [], 0, []
        for writers in classes:
            start = time.perf_counter()
            ours = suggest.suggest_partners(writers, mode=mode)
            times.append((time.perf_counter() - start) * 1000)
            theirs = suggest.greedy_partners(writers, mode=mode)
            real.append(suggest.score(ours, mode))
            greedy.append(suggest.score(theirs, mode))
            assert real[-1] >= greedy[-1], "the matching must never lose to greedy"
            better += real[-1][0] > greedy[-1][0]
        pairs = STUDENTS // 2
        print(
            f"  {mode.value:14s} well matched {statistics.mean(p for p, _ in real):5.2f}/{pairs}"
            f" (greedy {statistics.mean(p for p, _ in greedy):5.2f}),"
            f" bonus {statistics.mean(b for _, b in real):5.2f}"
            f" (greedy {statistics.mean(b for _, b in greedy):5.2f});"
            f" more pairs than greedy in {better}/{CLASSES} classes;"
            f" median {statistics.median(times):.1f} ms a class"
        )
    school = [random_class(rng, size=rng.choice((28, 29))) for _ in range(35)]
    start = time.perf_counter()
    groups = 0
    for writers in school:
        found = suggest.suggest_groups({w.student_id: sorted(w.goals) for w in writers})
        groups += len(found.groups)
        suggest.suggest_partners(writers, mode=suggest.Mode.COMPLEMENTARY)
    elapsed = (time.perf_counter() - start) * 1000
    students = sum(len(w) for w in school)
    print(
        f"  a school of {students} students in {len(school)} classes: {groups} suggested groups"
        f" and every class partnered in {elapsed:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
