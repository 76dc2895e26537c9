"""bias_variance.decomposition: seed 003 Q9's decomposition, checked by brute-force expectation."""

import statistics
from fractions import Fraction
from itertools import product

import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped, plain

ID = "bias_variance.decomposition"
SEEDS = range(300)


def decimal(value):
    return Fraction(str(value))


def exact_sqrt(value):
    """sqrt of a fraction that is a perfect square (sigma^2 = 0.04 -> 1/5)."""
    numerator, denominator = (Fraction(value).numerator, Fraction(value).denominator)
    roots = [round(numerator ** 0.5), round(denominator ** 0.5)]
    assert roots[0] ** 2 == numerator and roots[1] ** 2 == denominator
    return Fraction(roots[0], roots[1])


def test_hand_worked_example(qtype):
    # mean 2.1; bias^2 = 0.4^2 = 0.16; deviations -0.1, 0.3, -0.3, 0.1 -> variance 0.2 / 4 = 0.05;
    # expected error 0.16 + 0.05 + 0.04 = 0.25.
    answer = qtype.solve({"predictions": [2.0, 2.4, 1.8, 2.2], "f_true": 2.5, "noise_var": 0.04})
    assert answer == pytest.approx({"bias_sq": 0.16, "variance": 0.05, "expected_error": 0.25},
                                   rel=1e-15)


def test_brute_force_expectation_over_models_and_noise(variants):
    # E[(y - f_hat)^2] over every (model, noise) pair: models equally likely, noise +-sigma
    # with probability 1/2 each (mean 0, variance sigma^2) -- no decomposition used.
    for v in variants:
        f_true = decimal(v.params["f_true"])
        sigma = exact_sqrt(decimal(v.params["noise_var"]))
        predictions = [decimal(p) for p in v.params["predictions"]]
        outcomes = [(f_true + sign * sigma - p) ** 2 for p, sign in product(predictions, (1, -1))]
        expected = sum(outcomes) / len(outcomes)
        assert v.answer["expected_error"] == float(expected)
        # Without noise, the same brute force gives bias^2 + variance.
        noiseless = sum((f_true - p) ** 2 for p in predictions) / len(predictions)
        assert v.answer["bias_sq"] + v.answer["variance"] == pytest.approx(float(noiseless), rel=1e-14)


def test_variance_is_the_population_variance(variants):
    # statistics.pvariance on fractions is exact, and uses its own algorithm.
    for v in variants:
        predictions = [decimal(p) for p in v.params["predictions"]]
        assert v.answer["variance"] == float(statistics.pvariance(predictions))
        mean = statistics.fmean(v.params["predictions"])
        assert v.answer["bias_sq"] == pytest.approx((mean - v.params["f_true"]) ** 2, rel=1e-12)


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"predictions", "f_true", "noise_var"}
        predictions = [decimal(x) for x in p["predictions"]]
        assert 4 <= len(predictions) <= 6 and len(set(predictions)) > 1
        assert all(type(x) is float for x in p["predictions"])
        assert all((10 * x).denominator == 1 for x in predictions)
        mean = sum(predictions) / len(predictions)
        assert (10 * mean).denominator == 1  # the mean is a one-decimal number
        assert Fraction(1, 10) <= abs(mean - decimal(p["f_true"])) <= Fraction(8, 10)
        assert p["noise_var"] in (0.01, 0.04, 0.09, 0.16, 0.25)
        assert v.answer["variance"] > 0 and v.answer["bias_sq"] > 0
    dominant = {v.work["dominant"] for v in variants}
    assert {"bias", "variance"} <= dominant  # both cases of part (c) occur
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("change, reason", [
    ({"predictions": [1.0]}, "2 to"),
    ({"predictions": [1.0, "x"]}, "finite"),
    ({"f_true": None}, "f_true"),
    ({"noise_var": -0.1}, "at least 0"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    params = {"predictions": [2.0, 2.4, 1.8, 2.2], "f_true": 2.5, "noise_var": 0.04}
    assert qtype.problems(params) == []
    found = qtype.problems({**params, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        total = rf"= \num{{{grouped(str(plain(v.answer['expected_error'])))}}}."
        assert total in f.solution and total not in f.question
        assert rf"\num{{{grouped(str(plain(v.answer['variance'])))}}}" in f.solution


def test_choice_mistakes_are_the_modelled_slips(qtype):
    # Docstring example: bias^2 0.16, variance 0.05, noise 0.04, expected error 0.25.
    predictions = [2.0, 2.4, 1.8, 2.2]
    v = qtype.variant(0, {"predictions": predictions, "f_true": 2.5, "noise_var": 0.04})
    values = {m.name: m.value for m in qtype.mistakes(v.params, v.answer)}
    assert values["variance over k - 1"] == pytest.approx(0.16 + statistics.variance(predictions) + 0.04)
    assert values["bias not squared"] == pytest.approx(0.4 + 0.05 + 0.04)
    assert values["no noise"] == pytest.approx(0.21)
    assert values["sigma not sigma^2"] == pytest.approx(0.16 + 0.05 + 0.2)


def _parts(qtype, variant):
    return {part.label: part for part in qtype.parts(variant)}


def test_parts_by_brute_force(qtype, variants):
    # (b) and (c) from statistics on exact fractions, (d) by averaging over every
    # (model, noise sign) outcome: no decomposition used.
    for v in variants:
        parts = _parts(qtype, v)
        assert [(p.label, p.kind, p.weight, p.places) for p in parts.values()] == [
            ("a", "free", 1, None), ("b", "number", 1, 4), ("c", "number", 2, 4),
            ("d", "number", 1, 4), ("e", "free", 1, None)]
        predictions = [decimal(p) for p in v.params["predictions"]]
        f_true = decimal(v.params["f_true"])
        assert parts["b"].answer == float((statistics.mean(predictions) - f_true) ** 2)
        assert parts["c"].answer == float(statistics.pvariance(predictions))
        sigma = exact_sqrt(decimal(v.params["noise_var"]))
        outcomes = [(f_true + sign * sigma - p) ** 2 for p, sign in product(predictions, (1, -1))]
        assert parts["d"].answer == float(sum(outcomes) / len(outcomes))
        for label in ("a", "e"):
            assert sum(line.points for line in parts[label].rubric) == parts[label].weight


def test_bias_and_variance_mistakes(qtype):
    # Docstring example: mean 2.1, bias 0.4, deviations -0.1, 0.3, -0.3, 0.1.
    predictions = [2.0, 2.4, 1.8, 2.2]
    v = qtype.variant(0, {"predictions": predictions, "f_true": 2.5, "noise_var": 0.04})
    parts = _parts(qtype, v)
    bias = {m.name: m.value for m in parts["b"].mistakes}
    assert bias["bias not squared"] == pytest.approx(0.4)
    assert bias["mean squared error"] == pytest.approx(statistics.fmean((p - 2.5) ** 2 for p in predictions))
    assert bias["one model"] == pytest.approx(0.25)   # (2.0 - 2.5)^2
    variance = {m.name: m.value for m in parts["c"].mistakes}
    assert variance["variance over k - 1"] == pytest.approx(statistics.variance(predictions))
    assert variance["std not variance"] == pytest.approx(statistics.pstdev(predictions))
    assert variance["sum not mean"] == pytest.approx(0.2)
    assert qtype.choice_part == "d"
    assert {m.name for m in parts["d"].mistakes} == {m.name for m in qtype.mistakes(v.params, v.answer)}
