"""cnn.zero_response_filter: the seed's X pattern, then numpy's windows over 300 seeds."""

import re

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from qbank.render.documents import render_fragments

ID = "cnn.zero_response_filter"
SEEDS = range(300)
SEED_IMAGE = [[0, 1, 0, 1, 0, 1, 0], [0, 0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 0, 1, 0],
              [0, 0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 0, 1, 0]]
DIAGONAL = [[1, 0], [0, -1]]      # the student's "non-trivial solution" (002 Q5.3)
ROW_EDGE = [[1, -1], [0, 0]]      # the student's answer to 002 Q5.4
ANTI_DIAGONAL = [[0, 1], [-1, 0]]


def test_seed_002_diagonal_filter(qtype):
    # Stride 2 needs an even-sized image for a whole output: the seed's first 4 x 6 pixels.
    crop = [row[:6] for row in SEED_IMAGE[:4]]
    params = {"image": crop, "candidates": [ROW_EDGE, DIAGONAL, ANTI_DIAGONAL], "stride": 2}
    assert qtype.problems(params) == []
    answer = qtype.solve(params)
    assert answer["zero_filter"] == 1
    assert answer["responses"][1] == [[0, 0, 0], [0, 0, 0]]
    assert answer["responses"][0] == [[-1, -1, -1], [-1, -1, -1]]  # 0 - 1 in every window
    letter, _ = qtype.parts(qtype.variant(0, params))
    assert (letter.answer, letter.options) == ("B", ("A", "B", "C"))
    # A fires in its first window, (0, 1; 0, 0) against (1, -1; 0, 0).
    assert "filter A fires at rows 1--2, columns 1--2 (response $-1$)" \
        in {m.value: m.explanation for m in letter.mistakes}["A"]
    # With stride 1 on the whole image the diagonal filter does fire (pixel (1, 6) is 1,
    # pixel (2, 7) is 0), so no candidate is all zero and the question is rejected.
    whole = {"image": SEED_IMAGE, "candidates": [ROW_EDGE, DIAGONAL, ANTI_DIAGONAL], "stride": 1}
    assert "got 0" in qtype.problems(whole)[0]


def _responses(params):
    image = np.array(params["image"])
    views = sliding_window_view(image, (2, 2))[::params["stride"], ::params["stride"]]
    return [np.einsum("ijkl,kl->ij", views, np.array(f)) for f in params["candidates"]]


def test_numpy_windows_find_exactly_one_zero_map(qtype, variants):
    for v in variants:
        responses = _responses(v.params)
        zero = [k for k, r in enumerate(responses) if not r.any()]
        assert zero == [v.answer["zero_filter"]]
        assert [r.tolist() for r in responses] == v.answer["responses"]
        letter, justification = qtype.parts(v)
        assert letter.kind == "letter" and letter.answer == "ABCD"[zero[0]]
        assert letter.options == tuple("ABCD"[:len(responses)])
        assert justification.kind == "free" and justification.rubric


WHERE = re.compile(r"filter ([A-D]) fires at rows (\d)--(\d), columns (\d)--(\d) "
                   r"\(response \$(-?\d+)\$\)")


def test_each_wrong_letter_names_a_window_where_it_fires(qtype, variants):
    # The explanation of every wrong letter, read back and recomputed with numpy.
    for v in variants[:100]:
        responses = _responses(v.params)
        letter = qtype.parts(v)[0]
        assert sorted(m.value for m in letter.mistakes) \
            == sorted(set(letter.options) - {letter.answer})
        for mistake in letter.mistakes:
            found = WHERE.search(mistake.explanation)
            name, top, bottom, left, right, value = found.groups()
            assert name == mistake.value and int(bottom) - int(top) == int(right) - int(left) == 1
            s = v.params["stride"]
            cell = ((int(top) - 1) // s, (int(left) - 1) // s)
            assert (int(top) - 1) % s == (int(left) - 1) % s == 0
            assert responses["ABCD".index(name)][cell] == int(value) != 0


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"image", "candidates", "stride"}
        image = np.array(p["image"])
        assert set(image.flat) == {0, 1} and 0.25 <= image.mean() <= 0.75
        assert len(p["candidates"]) in (3, 4)
        filters = [np.array(f) for f in p["candidates"]]
        for a, f in enumerate(filters):
            assert f.shape == (2, 2) and f.sum() == 0 and f.any()
            assert set(f.flat) <= {-1, 0, 1, 2}
            assert not any((f == -g).all() for g in filters[a + 1:])  # no negated twins
            assert not any((f == g).all() for g in filters[a + 1:])
        for side in image.shape:
            assert (side - 2) % p["stride"] == 0
    assert {v.params["stride"] for v in variants} == {1, 2}
    assert {v.answer["zero_filter"] for v in variants} == {0, 1, 2, 3}
    assert len({str(v.params) for v in variants[:200]}) >= 150


GOOD = {"image": [[1, 1, 1], [0, 0, 0], [1, 1, 1]],
        "candidates": [ROW_EDGE, DIAGONAL, [[1, 1], [-1, -1]]], "stride": 1}


@pytest.mark.parametrize("change, reason", [
    ({"candidates": [ROW_EDGE, [[0, 0], [1, -1]], DIAGONAL]}, "got 2 (A, B)"),
    ({"candidates": [DIAGONAL, [[1, 1], [-1, -1]]]}, "got 0"),
    ({"candidates": [ROW_EDGE, [[0, 0], [0, 0]], DIAGONAL]}, "trivial"),
    ({"image": [[1, 2, 1], [0, 0, 0], [1, 1, 1]]}, "0 or 1"),
    ({"stride": 2, "image": [[1, 0, 1, 0, 1]] * 5}, "not divisible"),
    ({"candidates": [ROW_EDGE, [[1, -1, 0], [0, 0, 0]], DIAGONAL]}, "same shape"),
    ({"candidates": ROW_EDGE}, "filter A must be"),
])
def test_problems_catch_bad_values(qtype, change, reason):
    assert qtype.problems(GOOD) == []
    found = qtype.problems({**GOOD, **change})
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        letter = "ABCD"[v.answer["zero_filter"]]
        assert rf"\finalanswer{{({letter})}}" in f.solution
        assert rf"feature map of filter {letter} is zero at every position" in f.solution
        assert r"\neq 0" in f.solution and r"\neq" not in f.question
        assert "Marking rubric" in f.solution and "Justify your answer" in f.question
