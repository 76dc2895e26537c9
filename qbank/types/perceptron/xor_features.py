"""An XOR-like data set no perceptron separates, and a feature that makes it separable.

Four points, the corners of an axis-parallel rectangle with small whole-number
coordinates, are labelled z in {0, 1} so that opposite corners share a label (XOR).
A perceptron with bias input x0 = 1 outputs z = 1 when w0 + w1 x1 + w2 x2 > 0, else 0.
Asked: (a) show that no weights classify all four points (the two diagonals have the
same sum of points, so adding each diagonal's inequalities gives a contradiction);
(b) add a feature x3 and tabulate it; (c) give whole-number weights that separate the
data, checked at every point.

Params: ``points`` (four [x1, x2] pairs, in table order), ``labels`` (z per point, 0 or 1),
``feature`` ("product": x3 = x1 x2; "squared_difference": x3 = (x1 - x2)^2, drawn only
for squares with a corner on the line x1 = x2, where it takes one value per diagonal).
Answer: ``linearly_separable`` (false), ``feature_table`` (rows [x0, x1, x2, x3]),
``bias`` (w0) and ``weights`` [w1, w2, w3] (one separating choice of many),
``scores`` (per point, never 0) and ``predictions`` (1 where the score is positive),
which equal ``labels``; ``problems`` rejects any data this construction fails on.

The weights come from a centred feature: for the product, +-(2x1 - lo1 - hi1)(2x2 - lo2 - hi2)
is +-(side1 * side2) on one diagonal and the opposite on the other; for the squared
difference, +-(2 x3 - f_main - f_anti).  Expanded, and divided by the gcd of the coefficients.

Example (XOR on the unit square, seeds 001 Q1 and 002 Q3): (0,0), (1,0), (0,1), (1,1)
labelled 0, 1, 1, 0 with x3 = x1 x2: -(2x1 - 1)(2x2 - 1) = -1 + 2x1 + 2x2 - 4x1x2, so
bias -1, weights [2, 2, -4], scores -1, 1, 1, -1.  The seed 002 table itself,
(0,0) -> 1, (1,1) -> 1, (1,0) -> 0, IS linearly separable (z = 1 iff x2 - x1 > -1/2; any
three corners of a square are), and its feature (2x1 - 1)^2 is 1 at every point, so it
adds nothing; that is why this type always uses four points.

Parts: (a) the proof, marked by hand; (b) the new feature x3 at the four points, checked;
(c) separating weights with the check of every point, marked by hand, since any of
infinitely many weight vectors is right.  Not offered as multiple choice: the one part
with a single right value, (b), is a table look-up with no modelled mistakes to offer.
"""

import math
from typing import Literal


from qbank.checks import is_whole
from qbank.model import QuestionType
from qbank.param_models import Bit, ParamModel, Whole, fixed_list
from qbank.parts import Part, RubricLine

FEATURES = ("product", "squared_difference")
CORNERS = (0, 1, 2)
SIDES = (1, 2)
LIMIT_COORDINATE = 20
FEATURE_TEX = {"product": "x_1 x_2", "squared_difference": "(x_1 - x_2)^2"}
PROOF_RUBRIC = (
    RubricLine(1, "writes the four conditions: $w_0 + w_1 x_1 + w_2 x_2 > 0$ at the two points "
                  "with $z = 1$ and $\\le 0$ at the two with $z = 0$"),
    RubricLine(1, "adds the conditions of each diagonal (or argues with the centre both "
                  "diagonals share) and reaches a contradiction, so no such weights exist"),
)
WEIGHTS_RUBRIC = (
    RubricLine(1, "whole-number weights $w_0, w_1, w_2, w_3$ that give a positive score exactly "
                  "at the points with $z = 1$ (any such weights are right)"),
    RubricLine(1, "the score of every point computed with those weights and compared with its "
                  "label"),
)


def signed_terms(coefficients, names):
    """LaTeX of a linear form: (2, 3, -1), (w_0, w_1, w_2) -> 2w_0 + 3\\,w_1 - 1\\,w_2."""
    first, *rest = coefficients
    text = f"{first}{names[0]}"
    for coefficient, name in zip(rest, names[1:]):
        text += f" {'-' if coefficient < 0 else '+'} {abs(coefficient)}\\,{name}"
    return text


class Params(ParamModel):
    # Whole numbers: the separating weights are built and reduced with gcd.
    points: fixed_list(fixed_list(Whole, 2), 4)   # the four corners [x1, x2], in table order
    labels: fixed_list(Bit, 4)                  # z per point
    feature: Literal["product", "squared_difference"]


def feature_value(feature, x1, x2):
    return x1 * x2 if feature == "product" else (x1 - x2) ** 2


def rectangle(points):
    """(lo1, hi1, lo2, hi2) when the points are the four corners of an axis-parallel rectangle."""
    firsts, seconds = sorted({p[0] for p in points}), sorted({p[1] for p in points})
    if len(firsts) != 2 or len(seconds) != 2 or len({tuple(p) for p in points}) != 4:
        return None
    return firsts[0], firsts[1], seconds[0], seconds[1]


def on_main_diagonal(point, box):
    """The main diagonal joins (lo1, lo2) and (hi1, hi2)."""
    return (point[0] == box[0]) == (point[1] == box[2])


def separating_weights(feature, box, main_label):
    """[w0, w1, w2, w3] and how they were found: a centred feature, expanded and reduced."""
    lo1, hi1, lo2, hi2 = box
    if feature == "product":
        sum1, sum2 = lo1 + hi1, lo2 + hi2
        sign = 1 if main_label == 1 else -1  # the centred product is positive on the main diagonal
        unreduced = [sign * sum1 * sum2, -2 * sign * sum2, -2 * sign * sum1, 4 * sign]
        extra = {"sum1": sum1, "sum2": sum2}
    else:
        f_main, f_anti = feature_value(feature, lo1, lo2), feature_value(feature, hi1, lo2)
        sign = (1 if main_label == 1 else -1) * (1 if f_main > f_anti else -1)
        unreduced = [-sign * (f_main + f_anti), 0, 0, 2 * sign]
        extra = {"f_main": f_main, "f_anti": f_anti}
    divisor = math.gcd(*unreduced)
    return [c // divisor for c in unreduced], {"sign": sign, "unreduced": unreduced,
                                                "divisor": divisor, **extra}


class XorFeatures(QuestionType):
    id = "perceptron.xor_features"
    title = "XOR-like data: not linearly separable, separable with a feature"
    topic = "perceptrons"
    source = "001 Q1, 002 Q3"
    answer_space = "9cm"
    params_model = Params

    def sample(self, rng):
        feature = "squared_difference" if rng.random() < 0.3 else "product"
        lo1, lo2 = int(rng.choice(CORNERS)), int(rng.choice(CORNERS))
        side1, side2 = int(rng.choice(SIDES)), int(rng.choice(SIDES))
        if feature == "squared_difference":
            lo2, side2 = lo1, side1  # a square on the line x1 = x2
        corners = [[lo1, lo2], [lo1 + side1, lo2], [lo1, lo2 + side2], [lo1 + side1, lo2 + side2]]
        points = [corners[int(i)] for i in rng.permutation(4)]
        main_label = int(rng.integers(0, 2))
        box = (lo1, lo1 + side1, lo2, lo2 + side2)
        labels = [main_label if on_main_diagonal(p, box) else 1 - main_label for p in points]
        return {"points": points, "labels": labels, "feature": feature}

    def problems(self, params):
        points, labels, feature = params["points"], params["labels"], params["feature"]
        if not (len(points) == 4 and all(len(p) == 2 and all(is_whole(v) for v in p)
                                         for p in points)):
            return ["points must be four [x1, x2] pairs of whole numbers"]
        if any(abs(v) > LIMIT_COORDINATE for p in points for v in p):
            return [f"coordinates must lie within +-{LIMIT_COORDINATE}"]
        if not (len(labels) == 4 and all(z in (0, 1) for z in labels)):
            return ["labels must be four values, each 0 or 1"]
        if feature not in FEATURES:
            return [f"feature must be one of {', '.join(FEATURES)}, got {feature!r}"]
        box = rectangle(points)
        if box is None:
            return ["the points must be the four corners of a rectangle with sides parallel to the axes"]
        main = {z for p, z in zip(points, labels) if on_main_diagonal(p, box)}
        anti = {z for p, z in zip(points, labels) if not on_main_diagonal(p, box)}
        if len(main) != 1 or main == anti:
            return ["opposite corners must share a label and the two diagonals must differ "
                    "(an XOR pattern); any other labelling is linearly separable"]
        if feature == "squared_difference" and len(
                {(on_main_diagonal(p, box), feature_value(feature, *p)) for p in points}) != 2:
            return ["(x1 - x2)^2 must take one value on each diagonal (a square with a corner "
                    "on the line x1 = x2); use the product feature for this rectangle"]
        answer = self.solve(params)
        if answer["predictions"] != labels or 0 in answer["scores"]:
            return ["the constructed weights do not separate the data"]
        return []

    def solve(self, params):
        points, labels, feature = params["points"], params["labels"], params["feature"]
        box = rectangle(points)
        main_label = next(z for p, z in zip(points, labels) if on_main_diagonal(p, box))
        weights, _ = separating_weights(feature, box, main_label)
        table = [[1, x1, x2, feature_value(feature, x1, x2)] for x1, x2 in points]
        scores = [sum(w * x for w, x in zip(weights, row)) for row in table]
        return {"linearly_separable": False, "feature_table": table, "bias": weights[0],
                "weights": weights[1:], "scores": scores,
                "predictions": [int(s > 0) for s in scores]}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        form = signed_terms((2, work["sum1"], work["sum2"]), ("w_0", "w_1", "w_2"))
        proof = (f"Adding the conditions of the two points with $z = 1$ gives ${form} > 0$; adding "
                 f"those of the two points with $z = 0$ gives ${form} \\le 0$. The same "
                 "expression cannot be both, so no weights classify all four points: the data "
                 "is not linearly separable.")
        weights = [answer["bias"], *answer["weights"]]
        scores = ", ".join(str(score) for score in answer["scores"])
        separator = (f"For example $w_0 = {weights[0]}$, $w_1 = {weights[1]}$, "
                     f"$w_2 = {weights[2]}$, $w_3 = {weights[3]}$, with $x_3 = "
                     f"{FEATURE_TEX[params['feature']]}$: the scores of points 1--4 are "
                     f"${scores}$, positive exactly where $z = 1$. Any other weights whose "
                     "scores have these signs are equally right.")
        return [
            Part("a", "Show that no choice of $w_0, w_1, w_2$ classifies all four points "
                      "correctly, i.e.\\ that the data is not linearly separable.", "free", None,
                 weight=2, model_answer=proof, rubric=PROOF_RUBRIC),
            Part("b", "Add the feature $x_3 = \\VAR{work.feature_tex}$ to every point: give its values at "
                      "points 1 to 4 (the new column of the extended table).", "vector",
                 [row[3] for row in answer["feature_table"]], symbol="x_3"),
            Part("c", "The perceptron now outputs $z = 1$ if $w_0 x_0 + w_1 x_1 + w_2 x_2 + "
                      "w_3 x_3 > 0$ and $z = 0$ otherwise. Find whole-number weights "
                      "$w_0, w_1, w_2, w_3$ with which it classifies all four points correctly, "
                      "and check every point.", "free", None, weight=2,
                 model_answer=separator, rubric=WEIGHTS_RUBRIC),
        ]

    def worked(self, params, answer):
        points, labels = params["points"], params["labels"]
        box = rectangle(points)
        main_label = next(z for p, z in zip(points, labels) if on_main_diagonal(p, box))
        _, derivation = separating_weights(params["feature"], box, main_label)
        weights = [answer["bias"], *answer["weights"]]
        rows = [{"index": i + 1, "point": p, "label": z, "x3": answer["feature_table"][i][3],
                 "terms": [w * x for w, x in zip(weights, answer["feature_table"][i])],
                 "score": answer["scores"][i], "prediction": answer["predictions"][i]}
                for i, (p, z) in enumerate(zip(points, labels))]
        return {"rows": rows, "positive": [r for r in rows if r["label"] == 1],
                "negative": [r for r in rows if r["label"] == 0],
                "sum1": box[0] + box[1], "sum2": box[2] + box[3],
                "centre": [(box[0] + box[1]) / 2, (box[2] + box[3]) / 2],
                "side1": box[1] - box[0], "side2": box[3] - box[2],
                "main_corners": [[box[0], box[2]], [box[1], box[3]]],
                "main_label": main_label, "feature_tex": FEATURE_TEX[params["feature"]],
                **derivation}
