"""One-hot word vectors versus dense embeddings: memory, similarity, parameters.

A vocabulary of V words, a batch of T tokens and a dense embedding size d are given,
with two related words and their positions in the vocabulary.  Asked, one part each:
(a) how many floats the batch takes as one-hot vectors (T V), (b) as dense embeddings
(T d), (c) the ratio V / d; (d) the dot product, (e) cosine similarity and (f) Euclidean
distance of the two words' one-hot vectors (0, 0 and sqrt 2: distinct one-hot vectors are
orthogonal, so every pair of words looks equally unrelated), (g) what that says about
one-hot vectors (marked by hand); (h) the parameters of the V x d embedding matrix.

Params: ``vocab_size`` (V, round numbers 10,000--50,000 when sampled), ``embedding_dim``
(d, 100--512, smaller than V), ``tokens`` (T), ``words`` (two distinct related words),
``positions`` (their distinct 1-based positions in the vocabulary).
Answer: ``one_hot_floats`` (T V), ``dense_floats`` (T d), ``ratio`` (V / d),
``embedding_params`` (V d), ``dot_product`` (0), ``cosine`` (0.0), ``distance`` (sqrt 2).

Example (seed 004 Q7 names a vocabulary of 10,000 and says one-hot vectors are
sparse, wasteful and orthogonal): V = 10,000, d = 100, T = 64 -> 640,000 floats one-hot
vs 6,400 dense (100 times fewer), embedding matrix 1,000,000 parameters, and any two
distinct words have cosine similarity 0 and distance sqrt 2 = 1.414.
"""

import math

from qbank.checks import is_whole, size_problems
from qbank.choice import Mistake
from qbank.model import QuestionType
from qbank.param_models import ParamModel, Size, fixed_list
from qbank.parts import Part, RubricLine
from qbank.render.environment import environment
from qbank.types.embeddings._words import WordPair

VOCAB_SIZES = (10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000)
EMBEDDING_DIMS = (100, 128, 200, 256, 300, 512)
TOKEN_COUNTS = (32, 64, 100, 128, 256, 500, 1000)
# Pairs a reader would call similar, which one-hot vectors nevertheless keep orthogonal.
WORD_PAIRS = (("cat", "dog"), ("king", "queen"), ("happy", "glad"), ("car", "truck"),
              ("coffee", "tea"), ("Paris", "London"), ("run", "walk"), ("big", "large"))
BYTES_PER_FLOAT = 4
RATIO_PLACES, DISTANCE_PLACES = 2, 3   # as the prompts ask
WORDS = "``\\VAR{params.words[0]|text}'' and ``\\VAR{params.words[1]|text}''"
ORTHOGONAL = ("Distinct one-hot vectors never share a non-zero entry, so every pair of words is "
              "orthogonal (cosine $0$) and at the same distance $\\sqrt{2}$: one-hot vectors "
              "encode no similarity at all, and ``\\VAR{params.words[0]|text}'' is no closer to "
              "``\\VAR{params.words[1]|text}'' than to any unrelated word. A dense embedding can "
              "learn to put related words close together.")
ORTHOGONAL_RUBRIC = (RubricLine(1, "all distinct one-hot vectors are orthogonal and equally far "
                                   "apart, so they carry no notion of similarity between words"),)


class Params(ParamModel):
    """That ``embedding_dim`` < ``vocab_size`` and ``positions`` <= ``vocab_size`` stays in
    problems(): a pinned position beside a sampled vocabulary that is too small is redrawn."""

    vocab_size: Size              # V
    embedding_dim: Size           # d
    tokens: Size                  # T
    words: WordPair
    positions: fixed_list(Size, 2)  # 1-based, in the order of words


class OneHotVsDense(QuestionType):
    id = "embeddings.one_hot"
    title = "One-hot vectors versus dense word embeddings"
    topic = "embeddings"
    source = "004 Q7"
    choice_part = "a"
    params_model = Params

    def sample(self, rng):
        vocab_size = int(rng.choice(VOCAB_SIZES))
        words = [str(w) for w in WORD_PAIRS[int(rng.integers(len(WORD_PAIRS)))]]
        positions = sorted(int(p) + 1 for p in rng.choice(vocab_size, size=2, replace=False))
        return {"vocab_size": vocab_size, "embedding_dim": int(rng.choice(EMBEDDING_DIMS)),
                "tokens": int(rng.choice(TOKEN_COUNTS)), "words": words,
                "positions": [int(p) for p in rng.permutation(positions)]}

    def problems(self, params):
        bad = size_problems(params, ("vocab_size", "embedding_dim", "tokens"))
        if bad:
            return bad
        if params["embedding_dim"] >= params["vocab_size"]:
            return ["embedding_dim must be smaller than vocab_size"]
        words, positions = params["words"], params["positions"]
        if not (isinstance(words, list) and len(words) == 2
                and all(isinstance(w, str) and w.strip() for w in words) and words[0] != words[1]):
            return ["words must be two different non-empty words"]
        if not (isinstance(positions, list) and len(positions) == 2
                and all(is_whole(p) and 1 <= p <= params["vocab_size"] for p in positions)):
            return ["positions must be two whole numbers from 1 to vocab_size"]
        if positions[0] == positions[1]:
            return ["two different words must have different positions"]
        return []

    def solve(self, params):
        vocab, dim, tokens = params["vocab_size"], params["embedding_dim"], params["tokens"]
        return {"one_hot_floats": tokens * vocab, "dense_floats": tokens * dim,
                "ratio": vocab / dim, "embedding_params": vocab * dim,
                # Distinct one-hot vectors share no non-zero entry.
                "dot_product": 0, "cosine": 0.0, "distance": math.sqrt(2)}

    def worked(self, params, answer):
        return {"one_hot_megabytes": answer["one_hot_floats"] * BYTES_PER_FLOAT / 1e6,
                "dense_megabytes": answer["dense_floats"] * BYTES_PER_FLOAT / 1e6,
                "bytes_per_float": BYTES_PER_FLOAT}

    def parts(self, variant):
        params, answer = variant.params, variant.answer
        vocab, dim, tokens = params["vocab_size"], params["embedding_dim"], params["tokens"]
        first, second = params["positions"]
        context = {"params": params, "answer": answer, "work": variant.work}
        return [
            Part("a", "How many floats does the batch take as one-hot vectors?", "number",
                 answer["one_hot_floats"], symbol="TV",
                 mistakes=tuple(self.mistakes(params, answer))),
            Part("b", "How many floats does it take as dense embeddings?", "number",
                 answer["dense_floats"], symbol="Td", mistakes=(
                     Mistake("one-hot vectors", "counts the one-hot vectors, $T V$, instead of "
                             "the dense ones", tokens * vocab),
                     Mistake("embedding matrix", "counts the $V \\times d$ embedding matrix "
                             "instead of the batch's dense vectors", vocab * dim),
                     Mistake("one token", "counts a single dense vector and forgets the $T$ "
                             "tokens", dim),
                     Mistake("bytes", f"converts to bytes at {BYTES_PER_FLOAT} bytes per float",
                             BYTES_PER_FLOAT * tokens * dim))),
            Part("c", "By what factor is the one-hot representation larger? Give it to two "
                      "decimal places.", "number", answer["ratio"], places=RATIO_PLACES,
                 symbol="V/d",
                 mistakes=(Mistake("inverted", "divides $d$ by $V$ instead of $V$ by $d$",
                                   dim / vocab),
                           Mistake("difference", "subtracts the two sizes instead of dividing",
                                   vocab - dim),
                           Mistake("difference of the batches", "subtracts the dense floats "
                                   "from the one-hot floats", tokens * (vocab - dim)))),
            Part("d", f"What is the dot product of the one-hot vectors of {WORDS}?", "number",
                 answer["dot_product"], symbol="\\mathbf{a}\\cdot\\mathbf{b}",
                 mistakes=(
                     Mistake("overlap", "takes the two related words to share their non-zero "
                             "entry", 1),
                     Mistake("positions multiplied", "multiplies the two positions as if they "
                             "were the vectors' entries", first * second))),
            Part("e", "What is their cosine similarity?", "number", answer["cosine"],
                 symbol="\\cos(\\mathbf{a}, \\mathbf{b})",
                 mistakes=(Mistake("similar words", "takes the cosine of two related words to "
                                   "be 1", 1.0),)),
            Part("f", "What is their Euclidean distance, to three decimal places?", "number",
                 answer["distance"], places=DISTANCE_PLACES,
                 symbol="\\lVert\\mathbf{a} - \\mathbf{b}\\rVert", mistakes=(
                     Mistake("no square root", "forgets the square root and gives the squared "
                             "distance 2", 2.0),
                     Mistake("distance of positions", "takes the distance between the two "
                             "positions in the vocabulary", float(abs(first - second))),
                     Mistake("length of one vector", "gives the length of one one-hot vector",
                             1.0))),
            Part("g", "What does the result say about one-hot vectors as word representations?",
                 "free", None, rubric=ORTHOGONAL_RUBRIC,
                 model_answer=environment().from_string(ORTHOGONAL).render(**context)),
            Part("h", "How many trainable parameters does the embedding matrix have?", "number",
                 answer["embedding_params"], symbol="Vd", mistakes=(
                     Mistake("batch", "counts the batch's dense floats, $T d$, instead of the "
                             "matrix", tokens * dim),
                     Mistake("sum", "adds $V$ and $d$ instead of multiplying them", vocab + dim),
                     Mistake("one-hot batch", "counts the batch's one-hot floats, $T V$",
                             tokens * vocab))),
        ]

    def mistakes(self, params, answer):
        """The slips in counting the one-hot floats, part (a) and the multiple-choice options."""
        vocab, dim, tokens = params["vocab_size"], params["embedding_dim"], params["tokens"]
        return [
            Mistake("embedding matrix", "counts the $V \\times d$ embedding matrix, $V d$, instead of "
                    "the batch's one-hot vectors", vocab * dim),
            Mistake("dense vectors", "counts the dense embeddings, $T d$, instead of the one-hot "
                    "vectors", tokens * dim),
            Mistake("one token", "counts a single one-hot vector of length $V$ and forgets the $T$ "
                    "tokens", vocab),
            Mistake("non-zeros only", "counts only the non-zero entries, one per token, although "
                    "every entry of a one-hot vector is stored", tokens),
            Mistake("bytes", f"converts to bytes at {BYTES_PER_FLOAT} bytes per float although the "
                    "question counts floats", BYTES_PER_FLOAT * tokens * vocab),
            Mistake("times d", "multiplies $T$, $V$ and $d$, as if every one-hot entry were a "
                    "$d$-vector", tokens * vocab * dim),
        ]
