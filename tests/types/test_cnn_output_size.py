"""cnn.output_size: count kernel positions by sliding over a padded numpy array."""

import numpy as np
import pytest

import re

from qbank.choice import option_tex
from qbank.render.documents import render_fragments

ID = "cnn.output_size"
SEEDS = range(300)


def test_seed_003_formula_examples(qtype):
    # AlexNet conv1 and a "same" 3x3 convolution on a non-square map.
    assert qtype.solve({"height": 227, "width": 227, "kernel": 11, "padding": 0, "stride": 4}) \
        == {"out_height": 55, "out_width": 55}
    assert qtype.solve({"height": 32, "width": 64, "kernel": 3, "padding": 1, "stride": 1}) \
        == {"out_height": 32, "out_width": 64}


def _slide(params):
    """Count the windows that fit by moving a kernel over a zero-padded array."""
    k, p, s = params["kernel"], params["padding"], params["stride"]
    padded = np.pad(np.ones((params["height"], params["width"])), p)
    rows = cols = 0
    for top in range(0, padded.shape[0], s):
        if padded[top:top + k].shape[0] == k:
            rows += 1
    for left in range(0, padded.shape[1], s):
        if padded[:, left:left + k].shape[1] == k:
            cols += 1
    # Windows that fit must also reach the far edge exactly (no leftover pixels).
    last_row, last_col = (rows - 1) * s + k, (cols - 1) * s + k
    return rows, cols, last_row == padded.shape[0], last_col == padded.shape[1]


def test_sliding_window_count(qtype, variants):
    for v in variants:
        rows, cols, flush_rows, flush_cols = _slide(v.params)
        assert (v.answer["out_height"], v.answer["out_width"]) == (rows, cols)
        (part,) = qtype.parts(v)
        assert (part.kind, part.answer) == ("vector", [rows, cols])
        assert flush_rows and flush_cols  # the division was exact


def test_sliding_window_view_shape(variants):
    # numpy's own windowing: every stride-th window of the padded array.
    for v in variants[:100]:
        p = v.params
        padded = np.pad(np.zeros((p["height"], p["width"])), p["padding"])
        windows = np.lib.stride_tricks.sliding_window_view(padded, (p["kernel"], p["kernel"]))
        shape = windows[::p["stride"], ::p["stride"]].shape[:2]
        assert shape == (v.answer["out_height"], v.answer["out_width"])


def test_well_posed_and_varied(qtype, variants):
    for v in variants:
        p = v.params
        assert qtype.problems(p) == []
        assert all(type(p[name]) is int for name in p)
        for side in (p["height"], p["width"]):
            assert (side - p["kernel"] + 2 * p["padding"]) % p["stride"] == 0
        assert v.answer["out_height"] >= 1 and v.answer["out_width"] >= 1
        assert set(v.answer) == {"out_height", "out_width"}
    assert len({tuple(sorted(v.params.items())) for v in variants[:200]}) >= 150
    assert any(v.params["height"] != v.params["width"] for v in variants)
    assert {v.params["stride"] for v in variants} >= {1, 2, 4}
    assert any(v.params["padding"] > 0 for v in variants)


@pytest.mark.parametrize("bad, reason", [
    ({"height": 32, "width": 32, "kernel": 3, "padding": 0, "stride": 2}, "divisible"),
    ({"height": 4, "width": 4, "kernel": 7, "padding": 0, "stride": 1}, "larger"),
    ({"height": 32, "width": 32, "kernel": 3, "padding": -1, "stride": 1}, "padding must be a whole number of at least 0"),
    ({"height": 32, "width": 32, "kernel": 3, "padding": 1, "stride": 0}, "stride must be a positive whole number"),
    ({"height": 32.0, "width": 32, "kernel": 3, "padding": 1, "stride": 1}, "height must be a positive whole number"),
])
def test_problems_catch_bad_values(qtype, bad, reason):
    found = qtype.problems(bad)
    assert found and reason in found[0]


def test_pinned_values_redraw_until_divisible(qtype):
    v = qtype.draw(7, {"stride": 2, "kernel": 3})
    assert qtype.problems(v.params) == []


def test_templates_render(variants):
    for v in variants[:40]:
        f = render_fragments(v)
        height, width = v.answer["out_height"], v.answer["out_width"]
        # The box names (height, width) in that order, and the working ends on each side.
        box = f.solution[f.solution.index(r"\finalanswer"):]
        pattern = (re.escape(rf"(H_\text{{out}}, W_\text{{out}}) = (\num{{{height}}},") + ".*"
                   + re.escape(rf"\num{{{width}}})"))
        assert re.search(pattern, box)
        assert f"= {height}" in f.solution and f"= {width}." in f.solution
        # A "same" convolution keeps the size, and the output can equal the kernel
        # size, so only a size that no given dimension explains must be absent.
        given = {(v.params["height"], v.params["width"]), (v.params["kernel"], v.params["kernel"])}
        if (height, width) not in given:
            assert rf"{height}\times{width}" not in f.question


def test_mistakes_hand_worked(qtype):
    # 32 x 28 input, 5 x 5 kernel, padding 2, stride 1 -> 32 x 28 ("same").
    params = {"height": 32, "width": 28, "kernel": 5, "padding": 2, "stride": 1}
    (part,) = qtype.parts(qtype.variant(0, params))
    assert qtype.choice_part == part.label
    values = {m.name: m.value for m in part.mistakes}
    assert part.answer == [32, 28]
    assert values["padding not doubled"] == [32 - 5 + 2 + 1, 28 - 5 + 2 + 1]
    assert values["no +1"] == [31, 27]
    assert values["padding ignored"] == [28, 24]
    # An option is the pair in the order asked, (height, width).
    assert re.fullmatch(r"\(\\num\{32\},.*\\num\{28\}\)", option_tex(part, part.answer))


def test_mistakes_alexnet(qtype):
    # 227, kernel 11, no padding, stride 4 -> 55; forgetting the stride gives 217.
    params = {"height": 227, "width": 227, "kernel": 11, "padding": 0, "stride": 4}
    (part,) = qtype.parts(qtype.variant(0, params))
    values = {m.name: m.value for m in part.mistakes}
    assert part.answer == [55, 55]
    assert values["stride ignored"] == [217, 217]
    assert values["no +1"] == [54, 54]
