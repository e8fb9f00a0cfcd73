"""Spelling flags measured on Holbrook (../shared/eval/holbrook-dev.jsonl), token level.

A flag is right when it overlaps a tagged error; recall counts the tagged errors that a
flag overlaps. Real-word figures: the tagged errors whose written form is made of
dictionary words (or is two words, "some times"), and the flags of any kind but
"non-word". `score()` and `cross_validate()` are imported by `make eval`; `main()`
prints the figures, and with `--cv` chooses the tuned numbers (the bars of the look-alike
model, analysis/context.py) by leave-one-writer-out cross-validation, so no writer's
passages choose the setting they are scored with.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

HOLBROOK = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "holbrook-dev.jsonl"


def _span(flag: Any) -> tuple[int, int, str]:
    if isinstance(flag, Mapping):
        return int(flag["start"]), int(flag["end"]), str(flag.get("kind", "non-word"))
    return int(flag.start), int(flag.end), str(getattr(flag, "kind", "non-word"))


def _real_word(written: str) -> bool:
    """Two words, or words of the plain word list (not the checker's own idea of a word,
    so a change to the checker cannot move errors between the two groups)."""
    from conferbook.analysis.context import words as listed
    from conferbook.analysis.spelling import CONTRACTIONS

    words = written.lower().replace("\u2019", "'").split()
    return len(words) > 1 or all(w in listed() or w in CONTRACTIONS for w in words)


def _prf(right: int, flagged: int, found: int, tagged: int) -> dict[str, float]:
    p = right / flagged if flagged else 1.0
    r = found / tagged if tagged else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def score(
    flags_by_text: Mapping[str, Iterable[Any]], gold: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """`flags_by_text`: id -> flags (objects or dicts with start, end, kind); `gold`: the
    Holbrook records (id, text, errors). Returns overall and real-word figures."""
    counts = dict.fromkeys(("right", "flagged", "found", "tagged"), 0)
    real = dict.fromkeys(("right", "flagged", "found", "tagged"), 0)
    for record in gold:
        flags = [_span(f) for f in flags_by_text.get(record["id"], ())]
        errors = [(e["start"], e["end"], _real_word(e["written"])) for e in record["errors"]]
        for start, end, kind in flags:
            hit = any(start < b and a < end for a, b, _ in errors)
            counts["flagged"] += 1
            counts["right"] += hit
            if kind != "non-word":
                real["flagged"] += 1
                real["right"] += hit
        for a, b, is_real in errors:
            hit = any(start < b and a < end for start, end, _ in flags)
            counts["tagged"] += 1
            counts["found"] += hit
            if is_real:
                real["tagged"] += 1
                real["found"] += hit
    return {
        "overall": _prf(counts["right"], counts["flagged"], counts["found"], counts["tagged"]),
        "real_word": _prf(real["right"], real["flagged"], real["found"], real["tagged"]),
        "flags": counts["flagged"],
        "errors": counts["tagged"],
        "real_word_errors": real["tagged"],
    }


def load(path: Path = HOLBROOK) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def run(gold: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    from conferbook.analysis import spelling
    from conferbook.analysis.text import parse

    return {r["id"]: spelling.check(parse(r["text"])) for r in gold}


# The bars are chosen for the best F1 at this precision on the other writers: above the
# product's 0.95 so that a writer the bars were not chosen on still gets 0.95.
PRECISION_FLOOR = 0.96


def settings() -> list[dict[str, float]]:
    """The bars of the look-alike model to choose among (see analysis/context.py)."""
    off = math.inf
    return [
        {"set": a, "form": b, "near": c}
        for a, b, c in itertools.product(
            (4.0, 5.0, 6.0, 7.0, 8.0, 10.0),
            (6.0, 9.0, 12.0, off),
            (4.0, 5.0, 6.0, 7.0, 8.0, 10.0, off),
        )
    ]


def cross_validate(
    gold: Sequence[Mapping[str, Any]], grid: Sequence[dict[str, float]]
) -> dict[str, Any]:
    """Leave one writer out: choose the bars on the other writers (best F1 with precision
    >= PRECISION_FLOOR), score the left-out writer with them; pool the held-out flags."""
    from conferbook.analysis import context

    writers = sorted({r["writer"] for r in gold})
    shipped = dict(context.BARS)
    by_setting = []
    try:
        for bars in grid:
            context.BARS.update(bars)
            by_setting.append(run(gold))
    finally:
        context.BARS.update(shipped)
    pooled: dict[str, list[Any]] = {}
    chosen = []
    for writer in writers:
        train = [r for r in gold if r["writer"] != writer]

        def fit(k: int, train: Sequence[Mapping[str, Any]] = train) -> tuple[bool, float]:
            s = score(by_setting[k], train)["overall"]
            return s["precision"] >= PRECISION_FLOOR, s["f1"]

        best = max(range(len(grid)), key=fit)
        chosen.append(grid[best])
        for r in gold:
            if r["writer"] == writer:
                pooled[r["id"]] = by_setting[best][r["id"]]
    return {"chosen": chosen, **score(pooled, gold)}


def main(argv: Sequence[str] = ()) -> int:
    argv = list(argv) or sys.argv[1:]
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    if not HOLBROOK.exists():
        print(f"Holbrook is not at {HOLBROOK}: nothing to measure.")
        return 0
    gold = load()
    started = time.perf_counter()
    flags = run(gold)
    took = time.perf_counter() - started
    words = sum(len(r["text"].split()) for r in gold)
    result = score(flags, gold)
    print(f"Holbrook spelling, {len(gold)} passages, {result['errors']} tagged errors")
    for part in ("overall", "real_word"):
        s = result[part]
        print(f"  {part:9} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    print(f"  {took / words * 1000 * 1000:.1f} ms per 1,000 words (first run, cold)")
    if "--cv" in argv:
        cv = cross_validate(gold, settings())
        print("  leave-one-writer-out, bars chosen per left-out writer:")
        for bars in cv["chosen"]:
            print("   ", ", ".join(f"{k} {v:g}" for k, v in bars.items()))
        for part in ("overall", "real_word"):
            s = cv[part]
            print(f"  {part:9} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
