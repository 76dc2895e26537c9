"""word2vec's two vectors per word, averaged into one, and the cosine similarity.

Skip-gram/CBOW word2vec learns a centre vector and a context vector for every word; a
common single representation is their average, w = (w_centre + w_context) / 2.  Given
both vectors of two words, asked: (a) each word's averaged vector (a table, one row per
word) and (b) the cosine similarity of the two averaged vectors, to three decimals.

Params: ``words`` (two distinct words: 60% of draws a related pair with nearby vectors,
otherwise an unrelated pair with independent ones), ``center`` and ``context`` (one vector per word,
in the order of ``words``; 3 or 4 one-decimal entries in [-0.9, 0.9] when sampled, with
centre and context entries drawn so that every average is again a one-decimal number).
Answer: ``averaged`` (one vector per word), ``dot_product`` (of the averaged vectors),
``norms`` (their lengths) and ``cosine`` = dot_product / (norms[0] norms[1]).  Exact
fractions are used for the averages and the dot product, so e.g. 0.3 + 0.4 gives 0.35.

Example (seed 000 Q4d states w = (w_centre + w_context) / 2): "king" with centre
(0.2, 0.4, -0.6) and context (0.4, 0.0, -0.2), "queen" with centre (0.4, 0.5, -0.1) and
context (0.0, 0.3, -0.3): averages (0.3, 0.2, -0.4) and (0.2, 0.4, -0.2), dot product
0.22, norms sqrt(0.29) and sqrt(0.24), cosine 0.22 / sqrt(0.0696) = 0.834.
"""

import math
from fractions import Fraction

from pydantic import model_validator

from qbank.checks import is_number
from qbank.choice import Mistake
from qbank.model import QuestionType, redraws
from qbank.param_models import ParamModel, Real, ShapeError, fixed_list, nonempty_list
from qbank.parts import Part, default_tolerance
from qbank.render.filters import text
from qbank.render.numbers import fixed
from qbank.types.embeddings._words import WordPair

# Related pairs get nearby vectors (a trained model would put them close), unrelated
# pairs independent ones, so the cosine usually agrees with intuition.
RELATED = (("king", "queen"), ("cat", "dog"), ("coffee", "tea"), ("car", "truck"),
           ("doctor", "nurse"), ("apple", "banana"), ("river", "lake"))
UNRELATED = (("king", "banana"), ("cat", "algebra"), ("coffee", "galaxy"),
             ("doctor", "river"), ("car", "poem"))
NUDGE = 3  # related vectors differ by at most 0.3 per entry
DIMENSIONS = (3, 4)
TENTHS = range(-9, 10)
LIMIT_DIMENSION = 8
COSINE_PLACES = 3   # as part (b) asks; the worked solution carries the lengths to four

VectorPair = fixed_list(nonempty_list(Real), 2)  # one vector per word, in the order of words


class Params(ParamModel):
    words: WordPair
    center: VectorPair
    context: VectorPair

    @model_validator(mode="after")
    def _vectors_of_one_length(self):
        length = len(self.center[0])
        for key, vectors in (("center", self.center), ("context", self.context)):
            for index, vector in enumerate(vectors):
                if len(vector) != length:
                    raise ShapeError(f"{key}[{index}]", f"is of length {len(vector)} but "
                                     f"center[0] is of length {length}; all four vectors "
                                     "must be of one length")
        return self


def exact(value):
    """The decimal a reader sees, as an exact fraction (0.1 -> 1/10, not its binary double)."""
    return Fraction(repr(float(value)))


def averages(params):
    return [[(exact(c) + exact(x)) / 2 for c, x in zip(center, context)]
            for center, context in zip(params["center"], params["context"])]


def cosine(first, second):
    """Cosine similarity of two vectors of exact fractions (None if one is zero)."""
    squares = [sum(a * a for a in vector) for vector in (first, second)]
    if not all(squares):
        return None
    return float(sum(a * b for a, b in zip(first, second))) / math.sqrt(float(squares[0] * squares[1]))


class Word2vecAverage(QuestionType):
    id = "embeddings.word2vec_average"
    title = "Averaging word2vec centre and context vectors"
    topic = "embeddings"
    source = "000 Q4d"
    choice_part = "b"
    params_model = Params

    def sample(self, rng):
        dimension = int(rng.choice(DIMENSIONS))
        related = bool(rng.random() < 0.6)
        pairs = RELATED if related else UNRELATED
        for _ in redraws(self.id):
            first = [int(t) for t in rng.choice(TENTHS, size=dimension)]
            second = [self._near(rng, t) if related else int(rng.choice(TENTHS)) for t in first]
            # A context entry of the same parity as its centre entry keeps the average in tenths.
            first_context = [self._near(rng, 0, t, spread=9) for t in first]
            second_context = [self._near(rng, c, t) if related else self._near(rng, 0, t, spread=9)
                              for c, t in zip(first_context, second)]
            params = {"words": [str(w) for w in pairs[int(rng.integers(len(pairs)))]],
                      "center": [[t / 10 for t in first], [t / 10 for t in second]],
                      "context": [[t / 10 for t in first_context], [t / 10 for t in second_context]]}
            if not self.problems(params):
                return params

    @staticmethod
    def _near(rng, target, parity_of=None, spread=NUDGE):
        """Tenths within ``spread`` of ``target``, of the same parity as ``parity_of`` if given."""
        choices = [t for t in TENTHS if abs(t - target) <= spread
                   and (parity_of is None or (t - parity_of) % 2 == 0)]
        return int(rng.choice(choices))

    def problems(self, params):
        words, center, context = params["words"], params["center"], params["context"]
        if not (isinstance(words, list) and len(words) == 2
                and all(isinstance(w, str) and w.strip() for w in words) and words[0] != words[1]):
            return ["words must be two different non-empty words"]
        for name, vectors in (("center", center), ("context", context)):
            if not (isinstance(vectors, list) and len(vectors) == 2 and all(
                    isinstance(v, list) and 2 <= len(v) <= LIMIT_DIMENSION
                    and all(is_number(x) for x in v) for v in vectors)):
                return [f"{name} must hold two vectors of 2 to {LIMIT_DIMENSION} numbers"]
        if len({len(v) for v in center + context}) != 1:
            return ["all four vectors must have the same length"]
        if any(not any(average) for average in averages(params)):
            return ["an averaged vector is zero, so its cosine similarity is undefined"]
        return []

    def solve(self, params):
        first, second = averages(params)
        dot = sum(a * b for a, b in zip(first, second))
        squares = [sum(a * a for a in vector) for vector in (first, second)]
        return {"averaged": [[float(a) for a in first], [float(b) for b in second]],
                "dot_product": float(dot),
                "norms": [math.sqrt(float(s)) for s in squares],
                "cosine": float(dot) / math.sqrt(float(squares[0] * squares[1]))}

    def worked(self, params, answer):
        first, second = averages(params)
        return {"products": [float(a * b) for a, b in zip(first, second)],
                "squares": [[float(a * a) for a in vector] for vector in (first, second)],
                "square_sums": [float(sum(a * a for a in vector)) for vector in (first, second)],
                "sums": [[float(exact(c) + exact(x)) for c, x in zip(centre, context)]
                         for centre, context in zip(params["center"], params["context"])]}

    @staticmethod
    def carried_cosine(answer):
        """The cosine from the lengths rounded to the three decimals asked for: a student
        who carries them on reaches this, and earns the marks."""
        first, second = (float(fixed(norm, COSINE_PLACES)) for norm in answer["norms"])
        return answer["dot_product"] / (first * second)

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        names = [f"\\mathbf{{w}}_\\text{{{text(word)}}}" for word in params["words"]]
        carried = self.carried_cosine(answer)
        tolerance = default_tolerance(answer["cosine"], COSINE_PLACES)
        beyond = abs(carried - answer["cosine"]) > max(tolerance.absolute,
                                                      tolerance.relative * abs(answer["cosine"]))
        return [
            Part("a", "Compute the single (averaged) representation of each word, one row per "
                      "word in the order of the table.", "table", answer["averaged"],
                 symbol=f"\\begin{{bmatrix}} {names[0]} \\\\ {names[1]} \\end{{bmatrix}}",
                 mistakes=tuple(self._average_mistakes(params))),
            Part("b", "Compute the cosine similarity of the two averaged vectors, to three "
                      "decimal places.", "number", answer["cosine"], places=COSINE_PLACES,
                 weight=2, symbol=f"\\cos({names[0]}, {names[1]})",
                 mistakes=tuple(self.mistakes(params, answer)),
                 accepted=(carried,) if beyond else ()),
        ]

    @staticmethod
    def _average_mistakes(params):
        """Slips in averaging, each a table of both words' vectors (exact decimals)."""
        centres = [[exact(v) for v in vector] for vector in params["center"]]
        contexts = [[exact(v) for v in vector] for vector in params["context"]]

        def table(combine):
            return [[float(combine(c, x)) for c, x in zip(centre, context)]
                    for centre, context in zip(centres, contexts)]

        return [
            Mistake("not halved", "adds the centre and context vectors but forgets to halve "
                    "the sum", table(lambda c, x: c + x)),
            Mistake("centre vectors only", "gives the centre vectors and never averages in the "
                    "context vectors", table(lambda c, x: c)),
            Mistake("context vectors only", "gives the context vectors and never averages in "
                    "the centre vectors", table(lambda c, x: x)),
            Mistake("half the difference", "halves the difference of the two vectors instead "
                    "of their sum", table(lambda c, x: (c - x) / 2)),
        ]

    def mistakes(self, params, answer):
        """The slips in the cosine, part (b) and the multiple-choice options."""
        centres = [[exact(v) for v in vector] for vector in params["center"]]
        contexts = [[exact(v) for v in vector] for vector in params["context"]]
        first, second = averages(params)
        squares = [sum(a * a for a in vector) for vector in (first, second)]
        found = [
            Mistake("dot product", "gives the dot product and forgets to divide by the two lengths",
                    answer["dot_product"]),
            Mistake("centre vectors only", "compares the centre vectors and never averages in the "
                    "context vectors", cosine(*centres)),
            Mistake("no square roots", "divides the dot product by the squared lengths "
                    "$\\lVert\\mathbf{u}\\rVert^2 \\lVert\\mathbf{v}\\rVert^2$, forgetting the square roots",
                    answer["dot_product"] / float(squares[0] * squares[1])),
            Mistake("one word averaged", "averages the first word's two vectors but compares them with "
                    "the second word's centre vector alone", cosine(first, centres[1])),
            Mistake("context vectors only", "compares the context vectors and never averages in the "
                    "centre vectors", cosine(*contexts)),
            Mistake("concatenated", "concatenates each word's centre and context vectors instead of "
                    "averaging them", cosine(centres[0] + contexts[0], centres[1] + contexts[1])),
        ]
        # A zero centre or context vector has no cosine; that slip then offers no option.
        return [mistake for mistake in found if mistake.value is not None]
