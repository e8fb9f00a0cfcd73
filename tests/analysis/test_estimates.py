"""The estimates: 1-5, steady, explained by named features, and (on ../shared/eval, when it
is there) measured out of fold as `make eval` does."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

from conferbook.analysis import analyse, estimates, features
from conferbook.analysis.text import parse
from conferbook.analysis.types import DIMENSIONS

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT.parent / "shared" / "eval"

# Written for this project, in the styles of children at several grades.
CAREFUL = """The Storm

Last summer a storm rolled over our town. The sky turned the colour of a bruise, and the
wind bent the old oak in our yard until its branches scraped the roof.

My little brother hid under the kitchen table. "Is it going to break the house?" he
whispered. I told him it would pass, although my own heart was pounding.

By morning the street was covered in leaves, but the oak was still standing. Now, whenever
I see dark clouds, I remember how brave we were together.
"""
HURRIED = """the storm
one day there was a storm and it was relly big and i was scared and my bruther was
scared and we hid under the tabel and then it stoped and then we went outside and
there was leafs everywere and it was fun the end
"""
TEXTS = [
    CAREFUL,
    HURRIED,
    "",
    "   \n\n  ",
    "Hi",
    "Zoë and Nguyễn went to the market with Siobhán. They bought mangoes!",
    "\u202eevil\u202c text with \u200bzero\u200b width and שלום עולם right to left.",
    "!!!! ???? .... ,,,,",
    "word " * 5000,
    "i like dogs. i like cats. i like fish. i like birds. i like mice.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_it_gives_every_dimension_between_one_and_five(text):
    estimated = analyse(text).estimates
    for dim in DIMENSIONS:
        value = getattr(estimated, dim)
        assert math.isfinite(value)
        assert 1.0 <= value <= 5.0


@pytest.mark.parametrize("text", TEXTS)
def test_it_computes_every_feature_finite(text):
    values = features.of_text(text)
    assert set(values) == set(features.NAMES)
    assert all(math.isfinite(v) for v in values.values())


def test_it_gives_the_same_estimates_for_the_same_text_and_near_ones_for_a_small_edit():
    first = analyse(CAREFUL).estimates.as_dict()
    assert analyse(CAREFUL).estimates.as_dict() == first
    edited = analyse(CAREFUL.replace("old oak", "old oak tree")).estimates.as_dict()
    assert all(abs(edited[d] - first[d]) < 0.25 for d in DIMENSIONS)


def test_it_rates_careful_writing_above_hurried_writing():
    careful = analyse(CAREFUL).estimates
    hurried = analyse(HURRIED).estimates
    assert careful.conventions > hurried.conventions + 0.3
    assert careful.overall > hurried.overall + 0.3


def test_it_names_the_features_that_moved_each_dimension():
    estimated = analyse(HURRIED).estimates
    plain_names = set(features.NAMES.values())
    assert set(estimated.contributions) == set(DIMENSIONS)
    for dim in DIMENSIONS:
        moves = estimated.contributions[dim]
        assert 1 <= len(moves) <= estimates.CONTRIBUTIONS
        assert all(name in plain_names for name, _ in moves)
        sizes = [abs(move) for _, move in moves]
        assert sizes == sorted(sizes, reverse=True)
    # A lower-case "i" and unended sentences pull conventions down.
    assert any(move < 0 for _, move in estimated.contributions["conventions"])


def test_it_counts_lower_case_i_and_agreement_slips():
    values = features.features(parse("i think he have a dog. They has two."))
    assert values["lowercase_i"] > 0
    assert values["agreement"] == pytest.approx(2 * 100 / 9)
    assert features.features(parse("I think he has a dog."))["agreement"] == 0


def test_it_recovers_a_known_linear_rule_by_ridge_with_cross_validation():
    rows = [{"a": float(i % 7), "b": float((i * 3) % 11), "c": 1.0} for i in range(200)]
    targets = [{dim: 2.0 + 0.2 * r["a"] - 0.1 * r["b"] for dim in DIMENSIONS} for r in rows]
    model = estimates.fit(rows, targets)
    assert model.lambdas["overall"] == min(estimates.LAMBDAS)
    predicted = [model.predict(r)["overall"] for r in rows]
    assert estimates.rmse(predicted, [t["overall"] for t in targets]) < 0.01
    out_of_fold = estimates.cross_validate(rows, targets)
    assert (
        estimates.rmse([p["grammar"] for p in out_of_fold], [t["grammar"] for t in targets]) < 0.02
    )


def test_it_makes_disjoint_folds_that_cover_every_essay():
    made = estimates.folds(103)
    assert sorted(i for fold in made for i in fold) == list(range(103))
    assert made == estimates.folds(103)


@pytest.fixture(scope="module")
def ellipse():
    if not (EVAL_DIR / "ellipse-dev.csv").is_file():
        pytest.skip(f"The evaluation data is absent ({EVAL_DIR}/ellipse-dev.csv): not measured.")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import eval as harness
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return harness, *harness.read_ellipse(EVAL_DIR)


def test_it_beats_the_mean_out_of_fold_on_ellipse(ellipse):
    harness, texts, scores = ellipse
    result = harness.estimate_scores(texts, scores)
    assert result["cv_rmse"] <= 0.53, result
    assert result["cv_rmse"] < result["mean_rmse"] - 0.08
    assert result["conventions_spearman"] >= 0.50, result
