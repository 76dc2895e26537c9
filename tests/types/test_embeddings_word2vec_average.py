"""embeddings.word2vec_average: seed 000 Q4d's averaging rule; exact sympy and numpy cosines."""

import json

import numpy as np
import pytest
import sympy

from qbank.render.documents import render_fragments
from qbank.render.numbers import fixed

ID = "embeddings.word2vec_average"
RELATED_PAIRS = {("king", "queen"), ("cat", "dog"), ("coffee", "tea"), ("car", "truck"),
                 ("doctor", "nurse"), ("apple", "banana"), ("river", "lake")}
KING_QUEEN = {"words": ["king", "queen"],
              "center": [[0.2, 0.4, -0.6], [0.4, 0.5, -0.1]],
              "context": [[0.4, 0.0, -0.2], [0.0, 0.3, -0.3]]}


@pytest.fixture(scope="module")
def variants(qtype):
    return [qtype.draw(seed) for seed in range(300)]


def test_seed_000_q4d_rule(qtype):
    # w = (w_centre + w_context) / 2, worked by hand: (0.3, 0.2, -0.4) and (0.2, 0.4, -0.2),
    # dot 0.06 + 0.08 + 0.08 = 0.22, norms sqrt(0.29) and sqrt(0.24).
    answer = qtype.solve(KING_QUEEN)
    assert answer["averaged"] == [[0.3, 0.2, -0.4], [0.2, 0.4, -0.2]]
    assert answer["dot_product"] == 0.22
    assert round(answer["cosine"], 3) == 0.834


def test_exact_sympy_cosine(variants):
    for v in variants:
        rational = [[[sympy.Rational(repr(x)) for x in vector] for vector in v.params[key]]
                    for key in ("center", "context")]
        averaged = [[(c + x) / 2 for c, x in zip(centre, context)]
                    for centre, context in zip(*rational)]
        u, w = (sympy.Matrix(a) for a in averaged)
        cosine = u.dot(w) / sympy.sqrt(u.dot(u) * w.dot(w))
        assert v.answer["averaged"] == [[float(a) for a in row] for row in averaged]
        assert v.answer["dot_product"] == pytest.approx(float(u.dot(w)), rel=1e-12, abs=1e-15)
        assert v.answer["cosine"] == pytest.approx(float(sympy.N(cosine, 30)), rel=1e-12)


def test_numpy_route(variants):
    for v in variants:
        averaged = (np.array(v.params["center"]) + np.array(v.params["context"])) / 2
        norms = np.linalg.norm(averaged, axis=1)
        assert v.answer["norms"] == pytest.approx(norms.tolist(), rel=1e-12)
        expected = averaged[0] @ averaged[1] / norms.prod()
        assert v.answer["cosine"] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_matches_torch(variants):
    torch = pytest.importorskip("torch")
    for v in variants[:100]:
        centre = torch.tensor(v.params["center"], dtype=torch.float64)
        context = torch.tensor(v.params["context"], dtype=torch.float64)
        averaged = (centre + context) / 2
        cosine = torch.nn.functional.cosine_similarity(averaged[0], averaged[1], dim=0)
        assert float(cosine) == pytest.approx(v.answer["cosine"], rel=1e-9, abs=1e-12)


def test_well_posed_and_varied(qtype, variants):
    cosines = {True: [], False: []}
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert len({len(x) for x in p["center"] + p["context"]}) == 1
        assert len(p["center"][0]) in (3, 4)
        for x in (value for key in ("center", "context") for row in p[key] for value in row):
            assert type(x) is float and -0.9 <= x <= 0.9 and (10 * x).is_integer()
        # Averages stay one-decimal numbers, so the hand computation is short.
        assert all(abs(10 * a - round(10 * a)) < 1e-9 for row in v.answer["averaged"] for a in row)
        assert -1 <= v.answer["cosine"] <= 1
        cosines[tuple(p["words"]) in RELATED_PAIRS].append(v.answer["cosine"])
        assert json.loads(v.dumps())["answer"] == v.answer
    # Related pairs are drawn with nearby vectors, so their cosines are higher on average.
    assert np.mean(cosines[True]) > np.mean(cosines[False]) + 0.3
    assert len({json.dumps(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"center": [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], "context": [[-0.1, -0.2, -0.3], [0.0, 0.1, 0.2]]},
     "zero"),
    ({"context": [[0.4, 0.0], [0.0, 0.3, -0.3]]}, "same length"),
    ({"words": ["king", "king"]}, "two different"),
    ({"center": [[0.2, float("inf"), 0.1], [0.4, 0.5, -0.1]]}, "numbers"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems({**KING_QUEEN, **bad})
    assert found and reason in found[0]


def test_templates_render(qtype, variants):
    for v in [qtype.variant(0, KING_QUEEN), *variants[:30]]:
        f = render_fragments(v)
        assert f.solution.count(r"\finalanswer") == 2 and r"\finalanswer" not in f.question
        cosine = fixed(v.answer["cosine"], 3)
        assert cosine in f.solution and cosine not in f.question


def test_parts_by_numpy(qtype, variants):
    """Both parts from numpy, not from solve(): the table of averages and the cosine."""
    for v in variants:
        averaged = (np.array(v.params["center"]) + np.array(v.params["context"])) / 2
        table, cosine = qtype.parts(v)
        assert (table.kind, cosine.kind) == ("table", "number")
        assert np.allclose(table.answer, averaged, rtol=0, atol=1e-12)
        assert cosine.answer == pytest.approx(
            averaged[0] @ averaged[1] / np.linalg.norm(averaged, axis=1).prod(), rel=1e-9)
        assert qtype.choice_part == cosine.label


def test_carried_cosine_comes_from_lengths_rounded_to_three_places(qtype, variants):
    """A student who rounds the two lengths to the three decimals asked and divides the exact
    dot product by them is accepted -- and only that value, only when it is needed."""
    needed = 0
    for v in variants:
        averaged = (np.array(v.params["center"]) + np.array(v.params["context"])) / 2
        lengths = [round(float(np.linalg.norm(row)) + 1e-12, 3) for row in averaged]
        carried = float(averaged[0] @ averaged[1]) / (lengths[0] * lengths[1])
        cosine = qtype.parts(v)[1]
        if abs(carried - cosine.answer) > 1e-3:
            needed += 1
            assert cosine.accepted and cosine.accepted[0] == pytest.approx(carried, rel=1e-9)
        else:
            assert cosine.accepted == ()
    assert needed > 0   # it does happen (about one seed in ten)


def test_mistakes_on_seed_000_q4d(qtype):
    variant = qtype.variant(0, {"words": ["king", "queen"],
                                "center": [[0.2, 0.4, -0.6], [0.4, 0.5, -0.1]],
                                "context": [[0.4, 0.0, -0.2], [0.0, 0.3, -0.3]]})
    table, cosine = qtype.parts(variant)
    values = {m.name: m.value for m in cosine.mistakes}
    # Averages (0.3, 0.2, -0.4) and (0.2, 0.4, -0.2): dot 0.22, squared norms 0.29 and 0.24.
    assert values["dot product"] == pytest.approx(0.22)
    assert values["no square roots"] == pytest.approx(0.22 / (0.29 * 0.24))
    # Centre vectors alone: dot 0.34, squared norms 0.56 and 0.42.
    assert values["centre vectors only"] == pytest.approx(0.34 / np.sqrt(0.56 * 0.42))
    values = {m.name: m.value for m in table.mistakes}
    assert values["not halved"] == [[0.6, 0.4, -0.8], [0.4, 0.8, -0.4]]
    assert values["centre vectors only"] == KING_QUEEN["center"]
    assert values["context vectors only"] == KING_QUEEN["context"]
