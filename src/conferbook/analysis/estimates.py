"""Estimates of the seven ELLIPSE dimensions (overall, cohesion, syntax, vocabulary,
phraseology, grammar, conventions), each 1-5, from the features of `features.py`.

They exist only to choose which strengths and next steps to propose. They are never shown
to a student or a family as a grade, and a page that shows them to the teacher says so.

The model is ridge regression on standardised features, one per dimension, in plain
Python. Its numbers are in `_fitted.py`, written by `bench/fit_estimates.py`, which fits
it on the ELLIPSE essays in ../shared/eval (CC BY-NC-SA 4.0; the fitted numbers ship, the
essays never do) and chooses each dimension's regularisation by 5-fold cross-validation.
`cross_validate` is what `make eval` reports: every fold's model, regularisation included,
is fitted without the essays it is scored on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import mul

from conferbook.analysis import features as features_module
from conferbook.analysis.text import Text
from conferbook.analysis.types import (
    DIMENSIONS,
    ConventionFlag,
    Estimates,
    Signal,
    SpellingFlag,
)

LOW, HIGH = 1.0, 5.0
# Candidate regularisation strengths (per essay, on standardised features).
LAMBDAS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
FOLDS = 5
SEED = 12
CONTRIBUTIONS = 3  # features named per dimension
LIMIT = 3.0  # standard deviations


@dataclass(frozen=True)
class Model:
    """A fitted ridge model: z = (x - mean) / scale; y = intercept + sum(coef * z)."""

    names: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    intercepts: dict[str, float]
    coefficients: dict[str, tuple[float, ...]]
    lambdas: dict[str, float]

    def predict(self, values: Mapping[str, float]) -> dict[str, float]:
        z = self._standardise(values)
        return {
            dim: _clamp(self.intercepts[dim] + sum(map(mul, self.coefficients[dim], z)))
            for dim in DIMENSIONS
        }

    def _standardise(self, values: Mapping[str, float]) -> list[float]:
        return [
            _limit((values.get(name, mean) - mean) / scale)
            for name, mean, scale in zip(self.names, self.means, self.scales, strict=True)
        ]

    def explain(self, values: Mapping[str, float]) -> dict[str, tuple[tuple[str, float], ...]]:
        """Per dimension, the features that moved the estimate most from the average
        essay's, signed (in points of the 1-5 scale), largest first."""
        z = self._standardise(values)
        explained = {}
        for dim in DIMENSIONS:
            moves = [
                (name, c * v)
                for name, c, v in zip(self.names, self.coefficients[dim], z, strict=True)
            ]
            moves.sort(key=lambda move: -abs(move[1]))
            explained[dim] = tuple(
                (features_module.NAMES.get(name, name), round(move, 3))
                for name, move in moves[:CONTRIBUTIONS]
                if abs(move) >= 0.005
            )
        return explained


def _limit(z: float) -> float:
    """A feature far outside the essays fitted on (a 20-word text, a list of names) counts
    as at most LIMIT spreads from their average, so one odd number cannot swing the rest."""
    return min(LIMIT, max(-LIMIT, z))


def _clamp(value: float) -> float:
    if math.isnan(value):
        return (LOW + HIGH) / 2
    return min(HIGH, max(LOW, value))


_model: Model | None = None


def model() -> Model:
    """The shipped model (loaded once)."""
    global _model
    if _model is None:
        from conferbook.analysis import _fitted

        _model = Model(
            names=tuple(_fitted.NAMES),
            means=tuple(_fitted.MEANS),
            scales=tuple(_fitted.SCALES),
            intercepts=dict(_fitted.INTERCEPTS),
            coefficients={dim: tuple(c) for dim, c in _fitted.COEFFICIENTS.items()},
            lambdas=dict(_fitted.LAMBDAS),
        )
    return _model


def estimate(
    doc: Text,
    *,
    spelling: Sequence[SpellingFlag],
    conventions: Sequence[ConventionFlag],
    signals: Sequence[Signal],
) -> Estimates:
    """The seven estimates of one text (1-5, used to choose proposals; never a grade),
    with the features that moved each one most."""
    values = features_module.features(
        doc, spelling=spelling, conventions=conventions, signals=signals
    )
    fitted = model()
    predicted = fitted.predict(values)
    return Estimates(**predicted, contributions=fitted.explain(values))


# Fitting (used by bench/fit_estimates.py and bench/eval.py; plain Python).


def _solve(matrix: list[list[float]], rhs: list[list[float]]) -> list[list[float]]:
    """Solve matrix @ X = rhs for a symmetric positive definite matrix (Cholesky)."""
    p = len(matrix)
    lower = [[0.0] * p for _ in range(p)]
    for i in range(p):
        for j in range(i + 1):
            s = matrix[i][j] - sum(map(mul, lower[i][:j], lower[j][:j]))
            lower[i][j] = math.sqrt(max(s, 1e-12)) if i == j else s / lower[j][j]
    k = len(rhs[0])
    forward = [[0.0] * k for _ in range(p)]
    for i in range(p):
        for c in range(k):
            s = rhs[i][c] - sum(lower[i][j] * forward[j][c] for j in range(i))
            forward[i][c] = s / lower[i][i]
    out = [[0.0] * k for _ in range(p)]
    for i in reversed(range(p)):
        for c in range(k):
            s = forward[i][c] - sum(lower[j][i] * out[j][c] for j in range(i + 1, p))
            out[i][c] = s / lower[i][i]
    return out


@dataclass
class _Prepared:
    names: list[str]
    means: list[float]
    scales: list[float]
    gram: list[list[float]]  # Z'Z / n
    cross: list[list[float]]  # Z'(y - mean y) / n, one column per dimension
    target_means: dict[str, float]


def _prepare(
    rows: Sequence[Mapping[str, float]], targets: Sequence[Mapping[str, float]]
) -> _Prepared:
    names = list(rows[0])
    n = len(rows)
    columns = [[row[name] for row in rows] for name in names]
    means = [sum(col) / n for col in columns]
    scales = []
    for col, mean in zip(columns, means, strict=True):
        sd = math.sqrt(sum((x - mean) ** 2 for x in col) / n)
        scales.append(sd if sd > 1e-9 else 1.0)
    z = [
        [_limit((x - mean) / scale) for x in col]
        for col, mean, scale in zip(columns, means, scales, strict=True)
    ]
    p = len(names)
    gram = [[0.0] * p for _ in range(p)]
    for i in range(p):
        for j in range(i + 1):
            gram[i][j] = gram[j][i] = sum(map(mul, z[i], z[j])) / n
    target_means = {dim: sum(t[dim] for t in targets) / n for dim in DIMENSIONS}
    centred = [[t[dim] - target_means[dim] for t in targets] for dim in DIMENSIONS]
    cross = [[sum(map(mul, z[i], y)) / n for y in centred] for i in range(p)]
    return _Prepared(names, means, scales, gram, cross, target_means)


def _ridge(prepared: _Prepared, lambdas: Mapping[str, float]) -> Model:
    p = len(prepared.names)
    coefficients: dict[str, tuple[float, ...]] = {}
    by_lambda: dict[float, list[str]] = {}
    for dim in DIMENSIONS:
        by_lambda.setdefault(lambdas[dim], []).append(dim)
    for lam, dims in by_lambda.items():
        matrix = [
            [prepared.gram[i][j] + (lam if i == j else 0.0) for j in range(p)] for i in range(p)
        ]
        columns = [DIMENSIONS.index(d) for d in dims]
        rhs = [[prepared.cross[i][c] for c in columns] for i in range(p)]
        solved = _solve(matrix, rhs)
        for k, dim in enumerate(dims):
            coefficients[dim] = tuple(solved[i][k] for i in range(p))
    return Model(
        names=tuple(prepared.names),
        means=tuple(prepared.means),
        scales=tuple(prepared.scales),
        intercepts=dict(prepared.target_means),
        coefficients=coefficients,
        lambdas=dict(lambdas),
    )


def folds(n: int, k: int = FOLDS, seed: int = SEED) -> list[list[int]]:
    """k disjoint folds of range(n), shuffled with a fixed seed (the same every run)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)  # noqa: S311 (a reproducible split, not a secret)
    return [sorted(order[i::k]) for i in range(k)]


def rmse(predicted: Sequence[float], actual: Sequence[float]) -> float:
    return math.sqrt(
        sum((p - a) ** 2 for p, a in zip(predicted, actual, strict=True)) / len(actual)
    )


def choose_lambdas(
    rows: Sequence[Mapping[str, float]], targets: Sequence[Mapping[str, float]]
) -> dict[str, float]:
    """Each dimension's regularisation, by 5-fold cross-validation on these essays only."""
    errors = {dim: dict.fromkeys(LAMBDAS, 0.0) for dim in DIMENSIONS}
    for held in folds(len(rows)):
        out = set(held)
        train = [i for i in range(len(rows)) if i not in out]
        prepared = _prepare([rows[i] for i in train], [targets[i] for i in train])
        for lam in LAMBDAS:
            fitted = _ridge(prepared, dict.fromkeys(DIMENSIONS, lam))
            for i in held:
                predicted = fitted.predict(rows[i])
                for dim in DIMENSIONS:
                    errors[dim][lam] += (predicted[dim] - targets[i][dim]) ** 2
    return {dim: min(LAMBDAS, key=errors[dim].__getitem__) for dim in DIMENSIONS}


def fit(rows: Sequence[Mapping[str, float]], targets: Sequence[Mapping[str, float]]) -> Model:
    """A model fitted on these essays, its regularisation chosen by cross-validation."""
    return _ridge(_prepare(rows, targets), choose_lambdas(rows, targets))


def cross_validate(
    rows: Sequence[Mapping[str, float]], targets: Sequence[Mapping[str, float]]
) -> list[dict[str, float]]:
    """Out-of-fold predictions for every essay: each fold is predicted by a model (and
    regularisation) fitted on the other four only. Seeded differently from the inner
    folds so the two splits do not line up."""
    predictions: list[dict[str, float]] = [{} for _ in rows]
    for held in folds(len(rows), seed=SEED + 1):
        out = set(held)
        train = [i for i in range(len(rows)) if i not in out]
        fitted = fit([rows[i] for i in train], [targets[i] for i in train])
        for i in held:
            predictions[i] = fitted.predict(rows[i])
    return predictions
