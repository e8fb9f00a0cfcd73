"""`make fit-estimates`: fit the estimates' model on the ELLIPSE essays in ../shared/eval
and write its numbers to src/conferbook/analysis/_fitted.py (the essays are not copied).

Run it again whenever a detector or a feature changes, then `make eval`.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval import EVAL_DIR, ROOT, Missing, read_ellipse

TARGET = ROOT / "src" / "conferbook" / "analysis" / "_fitted.py"

HEADER = '''"""The estimates' fitted numbers, written by bench/fit_estimates.py: do not edit.

Ridge regression on standardised features (see estimates.py), fitted on {n} essays of the
ELLIPSE corpus (Crossley et al., 2023; CC BY-NC-SA 4.0): only these numbers ship, never
the essays. Regularisation per dimension chosen by 5-fold cross-validation.
"""
'''


def main() -> int:
    from conferbook.analysis import estimates, features

    try:
        texts, scores = read_ellipse(EVAL_DIR)
    except Missing as missing:
        print(missing, file=sys.stderr)
        return 2
    rows = [features.of_text(t) for t in texts]
    model = estimates.fit(rows, scores)
    lines = [HEADER.format(n=len(texts))]
    values: dict[str, object] = {
        "NAMES": list(model.names),
        "MEANS": [round(x, 6) for x in model.means],
        "SCALES": [round(x, 6) for x in model.scales],
        "INTERCEPTS": {d: round(v, 6) for d, v in model.intercepts.items()},
        "LAMBDAS": model.lambdas,
        "COEFFICIENTS": {d: [round(c, 6) for c in cs] for d, cs in model.coefficients.items()},
    }
    for name, value in values.items():
        lines.append(f"{name} = {pprint.pformat(value, width=80, compact=True, sort_dicts=False)}")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {TARGET.relative_to(ROOT)} (regularisation: {model.lambdas})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
