"""cnn.convolve: hand-worked examples, then numpy's sliding windows over 300 seeds."""

import re

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from qbank.render.documents import render_fragments
from qbank.render.filters import matrix

ID = "cnn.convolve"
SEEDS = range(300)
# Seed 002 Q5.2: two "X" shapes, at columns 2-4 and 4-6 (counting from 1).
SEED_IMAGE = [[0, 1, 0, 1, 0, 1, 0], [0, 0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 0, 1, 0],
              [0, 0, 1, 0, 1, 0, 0], [0, 1, 0, 1, 0, 1, 0]]
X_DETECTOR = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def test_seed_002_x_detector(qtype):
    # The seed prints no filter; its 2x3 map of zeros is the X detector at stride 2,
    # whose windows start at columns 1, 3, 5 and miss both X's.
    assert qtype.solve({"image": SEED_IMAGE, "kernel": X_DETECTOR, "stride": 2}) \
        == {"output": [[0, 0, 0], [0, 0, 0]]}
    # At stride 1 it finds each X (5 pixels matched) where one is centred.
    out = qtype.solve({"image": SEED_IMAGE, "kernel": X_DETECTOR, "stride": 1})["output"]
    assert len(out) == 3 and len(out[0]) == 5
    assert out[0][1] == out[0][3] == out[2][1] == out[2][3] == 5
    # Window at the top-left corner: its corners and centre are all 0.
    assert out[0][0] == 0


def test_hand_example_is_not_flipped(qtype):
    image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    # Top-right weight picks the top-right pixel of each window (a true, flipped
    # convolution would pick the bottom-left one: 4, 5, 7, 8).
    assert qtype.solve({"image": image, "kernel": [[0, 1], [0, 0]], "stride": 1}) \
        == {"output": [[2, 3], [5, 6]]}
    assert qtype.solve({"image": image, "kernel": [[1, 0], [0, -1]], "stride": 1}) \
        == {"output": [[-4, -4], [-4, -4]]}
    assert qtype.solve({"image": image, "kernel": [[1, 1], [1, 1]], "stride": 1}) \
        == {"output": [[12, 16], [24, 28]]}


def _correlate(image, kernel, stride):
    views = sliding_window_view(np.array(image), np.shape(kernel))[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", views, np.array(kernel))


def test_numpy_sliding_windows(qtype, variants):
    for v in variants:
        expected = _correlate(v.params["image"], v.params["kernel"], v.params["stride"])
        assert np.array_equal(np.array(v.answer["output"]), expected)
        assert all(type(x) is int for row in v.answer["output"] for x in row)
        (part,) = qtype.parts(v)
        assert (part.label, part.kind, part.places) == ("a", "matrix", None)
        assert np.array_equal(np.array(part.answer), expected)


def test_mistakes_by_numpy(qtype, variants):
    # Every modelled slip recomputed with numpy, as the whole map (the answer's shape).
    for v in variants[:80]:
        image, kernel, s = v.params["image"], np.array(v.params["kernel"]), v.params["stride"]
        answer = np.array(v.answer["output"])
        rows, cols = answer.shape
        expected = {
            "flipped kernel": _correlate(image, np.flip(kernel), s),
            "kernel transposed": _correlate(image, kernel.T, s),
            "products averaged": answer / kernel.size,
            "minus signs dropped": _correlate(image, np.abs(kernel), s),
            "flipped left-right": _correlate(image, np.fliplr(kernel), s),
            "flipped upside down": _correlate(image, np.flipud(kernel), s),
            "filled column by column": answer.flatten().reshape(cols, rows).T,
        }
        if s > 1:
            expected["stride ignored"] = _correlate(image, kernel, 1)[:rows, :cols]
        (part,) = qtype.parts(v)
        got = {m.name: np.array(m.value) for m in part.mistakes}
        assert set(got) == set(expected)
        for name, value in expected.items():
            assert got[name].shape == answer.shape and np.allclose(got[name], value), name


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == [] and set(p) == {"image", "kernel", "stride"}
        image, kernel = np.array(p["image"]), np.array(p["kernel"])
        assert kernel.shape in {(2, 2), (3, 3)} and set(kernel.flat) <= {-1, 0, 1, 2}
        assert (kernel != 0).sum() >= 2
        assert 4 <= image.shape[0] <= 6 and 4 <= image.shape[1] <= 7
        assert image.min() >= 0 and image.max() <= 4 and image.any()
        for side, k in zip(image.shape, kernel.shape):
            assert (side - k) % p["stride"] == 0
        assert all(type(x) is int for row in p["image"] + p["kernel"] for x in row)
    assert {v.params["stride"] for v in variants} == {1, 2}
    assert any(np.array(v.params["image"]).max() > 1 for v in variants)
    assert any(np.array(v.params["image"]).max() == 1 for v in variants)
    assert any(np.shape(v.params["image"]) == (5, 7) for v in variants)
    assert len({str(v.params) for v in variants[:200]}) >= 150


@pytest.mark.parametrize("bad, reason", [
    ({"image": [[1] * 5] * 5, "kernel": [[1, 0], [0, 1]], "stride": 2}, "not divisible"),
    ({"image": [[1, 0], [0, 1]], "kernel": [[1] * 3] * 3, "stride": 1}, "larger"),
    ({"image": [[1, 0, 1], [0, 1]], "kernel": [[1]], "stride": 1}, "same length"),
    ({"image": [[1, 0], [0, "a"]], "kernel": [[1]], "stride": 1}, "finite number"),
    ({"image": [[1, 0], [0, 1]], "kernel": [], "stride": 1}, "kernel must be"),
    ({"image": [[1, 0], [0, 1]], "kernel": [[1]], "stride": 0}, "stride must be"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_templates_render(variants):
    for v in variants[:60]:
        f = render_fragments(v)
        out = matrix(v.answer["output"])
        assert out in f.solution
        if v.answer["output"] not in (v.params["image"], v.params["kernel"]):
            assert out not in f.question
        # One line of products per output cell.
        cells = sum(len(row) for row in v.answer["output"])
        assert len(re.findall(r"y_\{\d+,\d+\} &=", f.solution)) == cells


def test_mistakes_by_hand(qtype):
    # Image 1..9, kernel [[1, 2], [3, 4]], stride 1: windows [[1, 2], [4, 5]], [[2, 3], [5, 6]],
    # [[4, 5], [7, 8]], [[5, 6], [8, 9]].
    variant = qtype.variant(0, {"image": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
                                "kernel": [[1, 2], [3, 4]], "stride": 1})
    (part,) = qtype.parts(variant)
    assert qtype.choice_part == part.label
    values = {m.name: m.value for m in part.mistakes}
    assert part.answer == [[1 + 4 + 12 + 20, 2 + 6 + 15 + 24], [4 + 10 + 21 + 32, 5 + 12 + 24 + 36]]
    assert values["flipped kernel"] == [[4 * 1 + 3 * 2 + 2 * 4 + 1 * 5, 4 * 2 + 3 * 3 + 2 * 5 + 1 * 6],
                                        [4 * 4 + 3 * 5 + 2 * 7 + 1 * 8, 4 * 5 + 3 * 6 + 2 * 8 + 1 * 9]]
    assert values["kernel transposed"][1][0] == 4 + 3 * 5 + 2 * 7 + 4 * 8
    assert values["products averaged"] == [[37 / 4, 47 / 4], [67 / 4, 77 / 4]]  # exact quarters
    assert values["filled column by column"] == [[37, 67], [47, 77]]
    assert "stride ignored" not in values


def test_stride_ignored_keeps_the_map_size(qtype):
    # 4x4 image, stride 2: the 2x2 map from windows at columns 1 and 3; the slip takes the
    # windows at columns 1 and 2 (and rows 1 and 2).
    image = [[1, 2, 0, 1], [0, 1, 3, 0], [2, 0, 1, 1], [1, 1, 0, 2]]
    variant = qtype.variant(0, {"image": image, "kernel": [[1, 0], [0, 1]], "stride": 2})
    (part,) = qtype.parts(variant)
    assert part.answer == [[1 + 1, 0 + 0], [2 + 1, 1 + 2]]
    values = {m.name: m.value for m in part.mistakes}
    assert values["stride ignored"] == [[1 + 1, 2 + 3], [0 + 0, 1 + 1]]
