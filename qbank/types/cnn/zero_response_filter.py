"""Which of several small filters gives an all-zero response on a binary image?

A binary image with a regular pattern (stripes along rows, columns or diagonals, or a
tiling of 2 x 2 blocks) is filtered, without padding and with the given stride, by each
of 3--4 candidate 2 x 2 filters (cross-correlation, as in CNN layers).  Asked: which
candidate gives a feature map that is zero everywhere.  Exactly one does; the solution
applies every candidate and shows, for each of the others, a window where it fires.

Params: ``image`` (binary, list of rows; 4--6 rows, 4--8 columns), ``candidates`` (list of
3 or 4 filters, each a 2 x 2 list of rows with entries in {-1, 0, 1, 2} summing to 0,
no two the negative of each other), ``stride`` (1 or 2; the output size is whole).
Answer: ``zero_filter`` (0-based index of the candidate with the all-zero response;
option letter A, B, C, D in the question) and ``responses`` (every candidate's output
feature map, in the order of ``candidates``).

Example (seed 002 Q5.3): on the seed's X pattern (rows 0101010 / 0010100 / ...), the
student's "non-trivial" zero filter [[1,0],[0,-1]] compares each pixel with the one
diagonally below-right.  On the first 4 x 6 pixels with stride 2 every window starts
at an even offset, where those two pixels are both 0, so the response is all zero;
the all-zero filter is the "trivial solution" and is never offered as a candidate.

Parts: (a) the letter of that filter (a ``letter`` part; each other letter is named by the
window where its filter fires) and (b) the justification, marked by hand.  Not offered as
multiple choice (``choice_part`` stays empty): the question already is a choice among the
lettered candidate filters, so its answer is a letter, not a value to build distractors for.
"""

from typing import Annotated

from pydantic import Field, model_validator

from qbank.checks import size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import Bit, ParamModel, ShapeError, Size, check_rectangular, nonempty_list
from qbank.parts import Part, RubricLine
from qbank.types.cnn._sliding import (Grid, check_fits, cross_correlate, fit_problems,
                                      matrix_problem, products, shape_text)
from qbank.types.cnn._zero_patterns import (FILTER_POOL, block_tiled_image, distinct_windows,
                                           first_firing_window, striped_image)

LETTERS = "ABCDEF"
# Part (b), marked by hand.
JUSTIFICATION_RUBRIC = (
    RubricLine(1, "shows that the chosen filter's response is zero at every position (it "
                  "cancels every kind of window the image contains, or its whole map is given)"),
    RubricLine(1, "for each other filter, a position where its response is not zero, with "
                  "the non-zero sum of products there"),
)


class Params(ParamModel):
    image: nonempty_list(nonempty_list(Bit))
    # At least two filters to choose from, and no more than there are option letters.
    candidates: Annotated[list[Grid], Field(min_length=2, max_length=len(LETTERS))]
    stride: Size

    @model_validator(mode="after")
    def _shapes_agree(self):
        check_rectangular("image", self.image)
        first = self.candidates[0]
        for index, candidate in enumerate(self.candidates):
            check_rectangular(f"candidates[{index}]", candidate)
            if index and (len(candidate), len(candidate[0])) != (len(first), len(first[0])):
                raise ShapeError(f"candidates[{index}]", f"is {shape_text(candidate)} but "
                                 f"candidates[0] is {shape_text(first)}; all filters must "
                                 "have the same shape")
        check_fits("candidates[0]", (len(first), len(first[0])), self.image)
        return self


def _is_zero(matrix) -> bool:
    return all(x == 0 for row in matrix for x in row)


class ZeroResponseFilter(QuestionType):
    id = "cnn.zero_response_filter"
    title = "Which filter gives an all-zero response?"
    topic = "convolutions"
    source = "002 Q5.3-4"
    answer_space = "7cm"
    params_model = Params

    def sample(self, rng):
        for _ in redraws(self.id):
            stride = 1 if rng.random() < 0.6 else 2
            if stride == 1:
                image = striped_image(rng)
                zero = [f for f in FILTER_POOL if _is_zero(cross_correlate(image, f, 1))]
                if not zero:
                    continue
                answer = zero[int(rng.integers(len(zero)))]
            else:
                answer = FILTER_POOL[int(rng.integers(len(FILTER_POOL)))]
                image = block_tiled_image(rng, answer)
            firing = [f for f in FILTER_POOL if not _is_zero(cross_correlate(image, f, stride))]
            count = int(rng.choice((3, 4)))
            candidates = [answer]
            for index in rng.permutation(len(firing)):
                negated = [[-w for w in row] for row in firing[index]]
                if negated not in candidates and len(candidates) < count:
                    candidates.append(firing[index])
            if len(candidates) == count:
                break
        order = rng.permutation(count)
        return {"image": image, "candidates": [candidates[int(k)] for k in order],
                "stride": stride}

    def problems(self, params):
        image, candidates = params["image"], params["candidates"]
        reasons = [r for r in [matrix_problem("image", image, binary=True)] if r]
        reasons += size_problems(params, ["stride"])
        if not (isinstance(candidates, list) and 2 <= len(candidates) <= len(LETTERS)):
            reasons.append(f"candidates must be a list of 2 to {len(LETTERS)} filters")
        else:
            reasons += [r for k, f in enumerate(candidates)
                        if (r := matrix_problem(f"filter {LETTERS[k]}", f))]
        if reasons:
            return reasons
        shapes = {(len(f), len(f[0])) for f in candidates}
        if len(shapes) > 1:
            return ["all candidate filters must have the same shape"]
        if any(_is_zero(f) for f in candidates):
            return ["an all-zero filter is a trivial candidate"]
        reasons = fit_problems(image, shapes.pop(), params["stride"])
        if reasons:
            return reasons
        zero = [LETTERS[k] for k, r in enumerate(self._responses(params)) if _is_zero(r)]
        if len(zero) != 1:
            return [f"exactly one candidate must give an all-zero response, got "
                    f"{len(zero)} ({', '.join(zero) or 'none'})"]
        return []

    @staticmethod
    def _responses(params):
        return [cross_correlate(params["image"], f, params["stride"])
                for f in params["candidates"]]

    def solve(self, params):
        responses = self._responses(params)
        zero = next(k for k, r in enumerate(responses) if _is_zero(r))
        return {"zero_filter": zero, "responses": responses}

    def worked(self, params, answer):
        options = []
        for k, (f, response) in enumerate(zip(params["candidates"], answer["responses"])):
            options.append({"letter": LETTERS[k], "filter": f, "response": response,
                            "zero": k == answer["zero_filter"],
                            "firing": first_firing_window(params["image"], f, params["stride"])})
        winner = params["candidates"][answer["zero_filter"]]
        shape = (len(winner), len(winner[0]))
        # The zero filter cancels every kind of window the image contains.
        kinds = [{"block": b, "terms": products(b, winner)}
                 for b in distinct_windows(params["image"], shape, params["stride"])]
        return {"options": options, "letter": LETTERS[answer["zero_filter"]],
                "winner": winner, "kinds": kinds, "filter_height": shape[0], "filter_width": shape[1],
                "height": len(params["image"]), "width": len(params["image"][0]),
                "out_height": len(answer["responses"][0]),
                "out_width": len(answer["responses"][0][0])}

    def parts(self, variant):
        answer, work = variant.answer, variant.work
        letters = tuple(LETTERS[k] for k in range(len(variant.params["candidates"])))
        firing = [option for option in work["options"] if not option["zero"]]
        return [
            Part("a", r"Which of the \VAR{['two', 'three', 'four', 'five', 'six']"
                      r"[params.candidates|length - 2]} filters gives a feature map that is zero "
                      "at every position?", "letter", LETTERS[answer["zero_filter"]],
                 options=letters,
                 mistakes=tuple(Mistake(f"filter {option['letter']}",
                                        f"overlooks that filter {option['letter']} fires at "
                                        f"{_where(option['firing'])}", option["letter"])
                                for option in firing)),
            Part("b", "Justify your answer: show why that filter's response is zero everywhere, "
                      "and for each of the other filters give a position where its response is "
                      "not zero.", "free", None, weight=2, rubric=JUSTIFICATION_RUBRIC,
                 model_answer=self._model_answer(work, firing)),
        ]

    @staticmethod
    def _model_answer(work, firing):
        letter, kinds = work["letter"], len(work["kinds"])
        if kinds == 1:
            cancelled = f"The windows of $X$ are all the same, and filter {letter} cancels it"
        else:
            cancelled = (f"The windows of $X$ come in {kinds} kinds, and filter {letter} "
                         "cancels each of them")
        fires = "; ".join(f"filter {option['letter']} fires at {_where(option['firing'])}"
                          for option in firing)
        return f"{cancelled}, so its feature map is zero everywhere; {fires}."


def _where(firing) -> str:
    """'rows 1--2, columns 3--4 (response $2$)': the first window where a filter fires."""
    return (f"rows {firing['top']}--{firing['top'] + len(firing['block']) - 1}, columns "
            f"{firing['left']}--{firing['left'] + len(firing['block'][0]) - 1} "
            f"(response ${firing['value']}$)")
