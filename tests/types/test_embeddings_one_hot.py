"""embeddings.one_hot: seed 004 Q7's vocabulary of 10,000; real one-hot vectors and array shapes."""

import json
import math

import numpy as np
import pytest

from qbank.render.documents import render_fragments
from qbank.render.numbers import grouped

ID = "embeddings.one_hot"
SEED_PARAMS = {"vocab_size": 10_000, "embedding_dim": 100, "tokens": 64,
               "words": ["cat", "dog"], "positions": [17, 4_242]}


@pytest.fixture(scope="module")
def variants(qtype):
    return [qtype.draw(seed) for seed in range(300)]


def one_hot(position, size):
    vector = np.zeros(size)
    vector[position - 1] = 1.0
    return vector


def test_seed_004_q7(qtype):
    answer = qtype.solve(SEED_PARAMS)
    assert answer["one_hot_floats"] == 640_000 and answer["dense_floats"] == 6_400
    assert answer["ratio"] == 100.0 and answer["embedding_params"] == 1_000_000
    assert answer["dot_product"] == 0 and answer["cosine"] == 0.0
    assert answer["distance"] == pytest.approx(1.41421356237)


def test_sizes_by_array_shapes(variants):
    for v in variants:
        p = v.params
        # Broadcast views have the full shape without allocating T x V floats.
        one_hot_batch = np.broadcast_to(np.float32(0), (p["tokens"], p["vocab_size"]))
        dense_batch = np.broadcast_to(np.float32(0), (p["tokens"], p["embedding_dim"]))
        table = np.broadcast_to(np.float32(0), (p["vocab_size"], p["embedding_dim"]))
        assert v.answer["one_hot_floats"] == one_hot_batch.size
        assert v.answer["dense_floats"] == dense_batch.size
        assert v.answer["embedding_params"] == table.size
        assert v.answer["ratio"] == pytest.approx(one_hot_batch.size / dense_batch.size, rel=1e-15)


def test_similarity_of_real_one_hot_vectors(variants):
    for v in variants[:60]:
        a, b = (one_hot(i, v.params["vocab_size"]) for i in v.params["positions"])
        assert float(a @ b) == v.answer["dot_product"]
        cosine = float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b))
        assert cosine == v.answer["cosine"]
        assert float(np.linalg.norm(a - b)) == pytest.approx(v.answer["distance"], rel=1e-15)


def test_lookup_equals_one_hot_product():
    # The solution's remark: a row lookup is the one-hot vector times the matrix.
    rng = np.random.default_rng(0)
    table = rng.normal(size=(50, 4))
    assert np.array_equal(one_hot(7, 50) @ table, table[6])


def test_matches_torch(variants):
    torch = pytest.importorskip("torch")
    for v in variants[:20]:
        p = v.params
        embedding = torch.nn.Embedding(p["vocab_size"], p["embedding_dim"], device="meta")
        assert sum(t.numel() for t in embedding.parameters()) == v.answer["embedding_params"]
        hot = torch.nn.functional.one_hot(torch.tensor(p["positions"]) - 1, p["vocab_size"])
        hot = hot.to(torch.float64)
        cosine = torch.nn.functional.cosine_similarity(hot[0], hot[1], dim=0)
        assert float(cosine) == v.answer["cosine"]


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert p["vocab_size"] % 5_000 == 0 and 10_000 <= p["vocab_size"] <= 50_000
        assert 100 <= p["embedding_dim"] <= 512
        assert p["positions"][0] != p["positions"][1]
        assert all(1 <= i <= p["vocab_size"] and type(i) is int for i in p["positions"])
        assert json.loads(v.dumps())["answer"] == v.answer
        assert math.isfinite(v.answer["ratio"])
    assert len({json.dumps(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"vocab_size": 0}, "vocab_size"),
    ({"embedding_dim": 10_000}, "smaller"),
    ({"tokens": 2.5}, "tokens"),
    ({"positions": [17, 17]}, "different positions"),
    ({"positions": [0, 5]}, "1 to vocab_size"),
    ({"words": ["cat", "cat"]}, "two different"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems({**SEED_PARAMS, **bad})
    assert found and reason in found[0]


def test_templates_render(qtype, variants):
    for v in [qtype.variant(0, SEED_PARAMS), *variants[:20]]:
        f = render_fragments(v)
        assert f.solution.count(r"\finalanswer") == 7 and r"\finalanswer" not in f.question
        given = {v.params[k] for k in ("vocab_size", "embedding_dim", "tokens")} | set(v.params["positions"])
        for key in ("one_hot_floats", "dense_floats", "embedding_params"):
            if v.answer[key] not in given:  # e.g. T d = 100 x 100 can equal V = 10,000
                assert rf"\num{{{grouped(str(v.answer[key]))}}}" not in f.question
            assert rf"\num{{{grouped(str(v.answer[key]))}}}" in f.solution
        assert r"\sqrt{2}" in f.solution


def test_parts_by_real_vectors_and_shapes(qtype, variants):
    """Every checked part from numpy arrays and one-hot vectors, not from solve()."""
    for v in variants[:60]:
        p = v.params
        one_hot_batch = np.broadcast_to(np.float32(0), (p["tokens"], p["vocab_size"]))
        dense_batch = np.broadcast_to(np.float32(0), (p["tokens"], p["embedding_dim"]))
        table = np.broadcast_to(np.float32(0), (p["vocab_size"], p["embedding_dim"]))
        a, b = (one_hot(i, p["vocab_size"]) for i in p["positions"])
        expected = {"a": one_hot_batch.size, "b": dense_batch.size,
                    "c": one_hot_batch.size / dense_batch.size, "d": float(a @ b),
                    "e": float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)),
                    "f": float(np.linalg.norm(a - b)), "h": table.size}
        parts = {part.label: part for part in qtype.parts(v)}
        assert list(parts) == list("abcdefgh")
        assert parts["g"].kind == "free" and parts["g"].rubric
        for label, value in expected.items():
            assert parts[label].kind == "number"
            assert parts[label].answer == pytest.approx(value, rel=1e-12, abs=1e-15), label
        # The counts are whole numbers, checked exactly.
        assert all(type(parts[label].answer) is int for label in "abdh")


def test_model_answer_names_the_words(qtype, variants):
    for v in variants[:20]:
        why = qtype.parts(v)[6].model_answer
        assert all(word in why for word in v.params["words"]) and "VAR" not in why


def test_mistakes_on_seed_004_q7(qtype):
    variant = qtype.variant(0, {"vocab_size": 10_000, "embedding_dim": 100, "tokens": 64,
                                "words": ["cat", "dog"], "positions": [17, 4203]})
    parts = {part.label: part for part in qtype.parts(variant)}
    assert qtype.choice_part == "a" and parts["a"].answer == 640_000
    values = {m.name: m.value for m in parts["a"].mistakes}
    assert values["embedding matrix"] == 1_000_000
    assert values["dense vectors"] == 6_400
    assert values["one token"] == 10_000
    assert values["bytes"] == 2_560_000
    values = {m.name: m.value for m in parts["b"].mistakes}
    assert values["one-hot vectors"] == 640_000 and values["one token"] == 100
    assert {m.name: m.value for m in parts["c"].mistakes}["inverted"] == pytest.approx(0.01)
    assert {m.name: m.value for m in parts["d"].mistakes}["positions multiplied"] == 17 * 4203
    values = {m.name: m.value for m in parts["f"].mistakes}
    assert values["no square root"] == 2 and values["distance of positions"] == 4203 - 17
    assert {m.name: m.value for m in parts["h"].mistakes}["sum"] == 10_100
