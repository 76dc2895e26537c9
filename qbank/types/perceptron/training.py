"""The perceptron learning rule, run by hand on a small separable data set.

Three or four points in 2D with labels y = +1 or -1 and a bias input x0 = 1 are visited
in table order, pass after pass.  At each point the score is s = w . (1, x1, x2); the
prediction is sign(s) (+1, -1, or 0 when s = 0), and a point counts as a mistake when
y s <= 0 (a score of exactly 0 is a mistake).  On a mistake w <- w + eta y x.  Training
stops after the first full pass without mistakes.  Asked: the weights after every
update and the final weights, shown as a table (step, point, score, prediction, update,
new weights).  Parts: (a) the updates, one row (point, w0, w1, w2) each; (b) the final
weights, the part a multiple-choice item offers; (c) the number of passes; (d) y s of every
point at the final weights, the check that they separate the data.

Params: ``points`` (3--4 [x1, x2] pairs; sampled as distinct integers in -3..3),
``labels`` (+1/-1 per point, both classes present), ``initial_weights`` [w0, w1, w2]
(w0 multiplies x0 = 1; sampled from -1, 0, 1), ``learning_rate`` (eta; sampled as 1).
Answer: ``weights_after_update`` (list of [w0, w1, w2], one per update, in order),
``updated_points`` (1-based point numbers of those updates), ``final_weights``,
``passes`` (passes made, the last one without mistakes).  Well posed: the clean pass
comes within ``MAX_PASSES`` = 3 passes (which also proves the data separable) after at
least one update; sampled sets need at least two updates.

Example (in the spirit of 001 Q1, which only argues that XOR defeats a perceptron):
points (1, 1) +1, (2, -1) -1, (-1, 2) +1 from w = (0, 0, 0): point 1 has score 0, a
mistake, w = (1, 1, 1); point 2 scores 2, a mistake, w = (0, -1, 2); point 3 scores 5,
correct; pass 2 makes no mistakes, so the final weights are (0, -1, 2) after 2 passes.
"""

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, PositiveReal, Real, check_same_length, fixed_list
from qbank.parts import Part

COORDINATES = range(-3, 4)
START_WEIGHTS = (-1, 0, 1)
# More points than this make the step table of three passes too long for the page.
MAX_POINTS = 6
MAX_PASSES = 3
MIN_SAMPLED_UPDATES = 2
# A slipped rule is followed until a clean pass, as the student would, within this many passes.
SLIP_PASSES = 10


def _plus_or_minus_one(label: int) -> int:
    if label not in (-1, 1):
        raise ValueError("must be +1 or -1")
    return label


# A class label.  Not Literal[-1, 1], which lets true and 1.0 through.
Label = Annotated[int, AfterValidator(_plus_or_minus_one)]


class Params(ParamModel):
    # [x1, x2] per point; two at least, as both classes must occur.
    points: Annotated[list[fixed_list(Real, 2)], Field(min_length=2)]
    labels: list[Label]                    # one per point
    initial_weights: fixed_list(Real, 3)   # [w0, w1, w2]; w0 multiplies x0 = 1
    learning_rate: PositiveReal

    @model_validator(mode="after")
    def _one_label_per_point(self):
        check_same_length(self, "points", "labels")
        return self


def train(points, labels, weights, learning_rate, max_passes=MAX_PASSES):
    """Every step of the perceptron rule, and whether a pass without mistakes was reached."""
    steps, weights = [], list(weights)
    for pass_number in range(1, max_passes + 1):
        mistakes = 0
        for index, ((x1, x2), label) in enumerate(zip(points, labels), start=1):
            inputs = [1, x1, x2]
            score = sum(w * x for w, x in zip(weights, inputs))
            mistake = label * score <= 0
            if mistake:
                mistakes += 1
                weights = [w + learning_rate * label * x for w, x in zip(weights, inputs)]
            steps.append({"pass": pass_number, "point": index, "inputs": inputs, "label": label,
                          "score": score, "prediction": (score > 0) - (score < 0),
                          "mistake": mistake, "change": [learning_rate * label * x for x in inputs],
                          "weights": weights})
        if not mistakes:
            return steps, True
    return steps, False


def train_slipped(params, is_mistake=None, change=None, score_of=None, batch=False,
                  start=None):
    """The run of the rule with a slip, or None when it finds no clean pass.

    ``is_mistake(label, score)`` decides whether a point is updated, ``change(label, score,
    inputs)`` is the update, ``score_of(weights, inputs)`` the score; ``batch`` adds up a
    pass's updates and applies them at its end; ``start`` replaces the initial weights.
    The run is ``{"weights": final weights, "passes": passes made, "log": one row
    [point, w0, w1, w2] per update}``; a batch run has no log (its updates are per pass).
    """
    rate = params["learning_rate"]
    is_mistake = is_mistake or (lambda label, score: label * score <= 0)
    change = change or (lambda label, score, inputs: [rate * label * x for x in inputs])
    score_of = score_of or (lambda weights, inputs: sum(w * x for w, x in zip(weights, inputs)))
    weights = list(params["initial_weights"] if start is None else start)
    log = []
    for passes in range(1, SLIP_PASSES + 1):
        clean, pending = True, [0, 0, 0]
        for point, ((x1, x2), label) in enumerate(zip(params["points"], params["labels"]),
                                                  start=1):
            inputs = [1, x1, x2]
            score = score_of(weights, inputs)
            if is_mistake(label, score):
                clean = False
                step = change(label, score, inputs)
                if batch:
                    pending = [p + c for p, c in zip(pending, step)]
                else:
                    weights = [w + c for w, c in zip(weights, step)]
                    log.append([point, *weights])
        if clean:
            return {"weights": weights, "passes": passes, "log": None if batch else log}
        weights = [w + p for w, p in zip(weights, pending)]
    return None


def margins(params, weights):
    """y s of every point at ``weights``: positive exactly where the point is classified right."""
    return [label * (weights[0] + weights[1] * x1 + weights[2] * x2)
            for (x1, x2), label in zip(params["points"], params["labels"])]


class PerceptronTraining(QuestionType):
    id = "perceptron.training"
    title = "Training a perceptron by hand"
    topic = "perceptrons"
    source = "001 Q1"
    answer_space = "10cm"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            count = int(rng.choice((3, 4)))
            grid = [(x1, x2) for x1 in COORDINATES for x2 in COORDINATES]
            points = [[int(c) for c in grid[int(i)]]
                      for i in rng.choice(len(grid), size=count, replace=False)]
            labels = [int(y) for y in rng.choice((-1, 1), size=count)]
            params = {"points": points, "labels": labels,
                      "initial_weights": [int(w) for w in rng.choice(START_WEIGHTS, size=3)],
                      "learning_rate": 1}
            if not self.problems(params) and \
                    len(self.solve(params)["weights_after_update"]) >= MIN_SAMPLED_UPDATES:
                return params

    def problems(self, params):
        points, labels = params["points"], params["labels"]
        weights, rate = params["initial_weights"], params["learning_rate"]
        if len(points) > MAX_POINTS:
            return [f"at most {MAX_POINTS} points fit the step table"]
        if len({tuple(p) for p in points}) != len(points):
            return ["the points must be distinct"]
        if not all(y in (-1, 1) for y in labels):
            return ["labels must be +1 or -1, one per point"]
        if len(set(labels)) != 2:
            return ["both classes (+1 and -1) must occur"]
        if len(weights) != 3:
            return ["initial_weights must be three numbers [w0, w1, w2]"]
        if rate <= 0:
            return ["learning_rate must be a positive number"]
        steps, converged = train(points, labels, weights, rate)
        if not converged:
            return [f"no pass without mistakes within {MAX_PASSES} passes"]
        if not any(step["mistake"] for step in steps):
            return ["the initial weights already classify every point: nothing to train"]
        return []

    def solve(self, params):
        steps, _ = train(params["points"], params["labels"], params["initial_weights"],
                         params["learning_rate"])
        updates = [step for step in steps if step["mistake"]]
        return {"weights_after_update": [step["weights"] for step in updates],
                "updated_points": [step["point"] for step in updates],
                "final_weights": steps[-1]["weights"], "passes": steps[-1]["pass"]}

    def worked(self, params, answer):
        steps, _ = train(params["points"], params["labels"], params["initial_weights"],
                         params["learning_rate"])
        for number, step in enumerate(steps, start=1):
            step["number"] = number
        final = answer["final_weights"]
        checks = [{"point": i + 1, "score": final[0] + final[1] * x1 + final[2] * x2, "label": y}
                  for i, ((x1, x2), y) in enumerate(zip(params["points"], params["labels"]))]
        last_update = max(step["number"] for step in steps if step["mistake"])
        return {"steps": steps, "updates": len(answer["weights_after_update"]), "checks": checks,
                "last_update": last_update}

    def parts(self, variant):
        params, answer, work = variant.params, variant.answer, variant.work
        slips = self._slips(params)
        log = [[point, *weights] for point, weights in zip(answer["updated_points"],
                                                          answer["weights_after_update"])]
        passes, updates = answer["passes"], len(log)
        pass_mistakes = [Mistake("clean pass not counted", "leaves out the final pass, which "
                                 "makes no mistake but is needed to know that training is over",
                                 passes - 1),
                         Mistake("updates counted", "counts the updates instead of the passes",
                                 updates)]
        scores = [check["score"] for check in work["checks"]]
        return [
            Part("a", "the updates in the order they happen, one row per update: the number of "
                      "the point that was misclassified and the weights $w_0, w_1, w_2$ after "
                      "the update;", "table", log, weight=3,
                 mistakes=tuple(Mistake(name, text, run["log"]) for name, text, run in slips
                                if run["log"] is not None)),
            Part("b", "the final weights $\\mathbf{w} = (w_0, w_1, w_2)$;", "vector",
                 answer["final_weights"], symbol="\\mathbf{w}",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("c", "the number of passes over the data, the last one (without mistakes) "
                      "included;", "number", passes, symbol="\\text{passes}",
                 mistakes=tuple(pass_mistakes + [Mistake(name, text, run["passes"])
                                                 for name, text, run in slips])),
            Part("d", "the product $y\\,s$ at every point (points 1 to "
                      "\\VAR{params.points|length} in order) with the final weights, which "
                      "checks that they classify every point correctly.", "vector",
                 margins(params, answer["final_weights"]), symbol="y\\,s",
                 mistakes=(Mistake("y left out", "gives the scores $s$ without multiplying "
                                   "by the labels $y$", scores),
                           *(Mistake(name, text, margins(params, run["weights"]))
                             for name, text, run in slips))),
        ]

    @staticmethod
    def _slips(params):
        """The slipped rules that run to a clean pass, each as (name, explanation, run)."""
        rate = params["learning_rate"]

        def sign(score):
            return (score > 0) - (score < 0)

        candidates = [
            ("0 counts as correct", "treats a score of exactly 0 as correct (updates only when "
             "$y\\,s < 0$), against the rule",
             train_slipped(params, is_mistake=lambda label, score: label * score < 0)),
            ("bias not updated", "forgets the bias input $x_0 = 1$ in the update, so $w_0$ "
             "never changes", train_slipped(params, change=lambda label, score, inputs:
                                            [0, *(rate * label * x for x in inputs[1:])])),
            ("(y - y_hat) rule", "updates by $\\eta\\,(y - \\hat{y})\\,\\mathbf{x}$, which "
             "doubles the step whenever the prediction has the wrong sign",
             train_slipped(params, change=lambda label, score, inputs:
                           [rate * (label - sign(score)) * x for x in inputs])),
            ("batch updates", "adds up the updates of a whole pass and applies them at its end "
             "instead of after each point", train_slipped(params, batch=True)),
            ("sign(0) = +1", "takes $\\operatorname{sign}(0) = +1$, so a score of 0 counts as "
             "correct for $y = +1$",
             train_slipped(params, is_mistake=lambda label, score:
                           (1 if score >= 0 else -1) != label)),
            ("score without w0", "leaves $w_0$ out of the score $s$ (but still updates it)",
             train_slipped(params, score_of=lambda weights, inputs:
                           sum(w * x for w, x in zip(weights[1:], inputs[1:])))),
            ("started from 0", "starts from $\\mathbf{w} = \\mathbf{0}$ instead of the given "
             "initial weights", train_slipped(params, start=[0, 0, 0])),
        ]
        return [(name, text, run) for name, text, run in candidates if run is not None]

    def mistakes(self, params, answer):
        """The modelled slips, each as the final weights it leads to (part (b))."""
        steps, _ = train(params["points"], params["labels"], params["initial_weights"],
                         params["learning_rate"])
        first_pass = [step for step in steps if step["pass"] == 1][-1]["weights"]
        updates = answer["weights_after_update"]
        runs = {name: (text, run["weights"]) for name, text, run in self._slips(params)}
        shortcuts = {
            "one update short": ("stops before the last update, as if that point had been "
                                 "classified correctly",
                                 updates[-2] if len(updates) > 1 else params["initial_weights"]),
            "one pass only": ("stops after the first pass without checking the points again",
                              first_pass),
        }
        # In the order of old, most common first: the shortcuts sit among the slipped runs.
        order = ["0 counts as correct", "bias not updated", "(y - y_hat) rule",
                 "one update short", "batch updates", "one pass only", "sign(0) = +1",
                 "score without w0", "started from 0"]
        found = {**runs, **shortcuts}
        return [Mistake(name, *found[name]) for name in order if name in found]
