"""Images and filters for ``cnn.zero_response_filter`` (helpers, not a question type).

Stride 1: a striped binary image (constant along rows, columns, diagonals or
anti-diagonals), on which several zero-sum filters cancel.  Stride 2: the windows do not
overlap, so the image is tiled with 2 x 2 blocks that the chosen filter cancels.
"""

from __future__ import annotations

from itertools import product

from qbank.types.cnn._sliding import products, windows
from qbank.model import redraws

# Every 2 x 2 filter with entries in {-1, 0, 1, 2} that sums to 0 (an "edge detector":
# zero on flat regions), except the trivial all-zero filter.
FILTER_POOL = [[[a, b], [c, d]] for a, b, c, d in product((-1, 0, 1, 2), repeat=4)
               if a + b + c + d == 0 and (a, b, c, d) != (0, 0, 0, 0)]
BLOCKS = [[[a, b], [c, d]] for a, b, c, d in product((0, 1), repeat=4)]
STRIPED_SHAPES = ((4, 5), (4, 6), (5, 5), (5, 6), (5, 7), (6, 6))
TILED_SHAPES = ((4, 4), (4, 6), (6, 6), (6, 8))


def _balanced(image) -> bool:
    """Between a quarter and three quarters of the pixels are 1."""
    ones = sum(map(sum, image))
    size = len(image) * len(image[0])
    return size <= 4 * ones <= 3 * size


def striped_image(rng) -> list[list[int]]:
    """A binary image constant along rows, columns, diagonals or anti-diagonals."""
    height, width = STRIPED_SHAPES[int(rng.integers(len(STRIPED_SHAPES)))]
    pixel = (lambda s, i, j: s[i], lambda s, i, j: s[j],
             lambda s, i, j: s[j - i + height - 1], lambda s, i, j: s[i + j])
    family = int(rng.integers(len(pixel)))
    for _ in redraws(__name__):
        bits = [int(b) for b in rng.integers(0, 2, size=height + width - 1)]
        image = [[pixel[family](bits, i, j) for j in range(width)] for i in range(height)]
        if _balanced(image):
            return image


def block_tiled_image(rng, zero_filter) -> list[list[int]]:
    """Non-overlapping 2 x 2 blocks, two or three kinds, each cancelled by ``zero_filter``."""
    height, width = TILED_SHAPES[int(rng.integers(len(TILED_SHAPES)))]
    cancelled = [b for b in BLOCKS
                 if sum(x * w for x, w in products(b, zero_filter)) == 0]
    for _ in redraws(__name__):
        kinds = [cancelled[int(k)] for k in
                 rng.choice(len(cancelled), size=min(len(cancelled), int(rng.integers(2, 4))),
                            replace=False)]
        image = [[0] * width for _ in range(height)]
        for top in range(0, height, 2):
            for left in range(0, width, 2):
                block = kinds[int(rng.integers(len(kinds)))]
                for r in range(2):
                    for c in range(2):
                        image[top + r][left + c] = block[r][c]
        if _balanced(image):
            return image


def first_firing_window(image, kernel, stride):
    """The first window (row by row) with a non-zero response, or None."""
    shape = (len(kernel), len(kernel[0]))
    for i, j, top, left, block in windows(image, shape, stride):
        terms = products(block, kernel)
        value = sum(x * w for x, w in terms)
        if value != 0:
            return {"i": i + 1, "j": j + 1, "top": top + 1, "left": left + 1,
                    "block": block, "terms": terms, "value": value}
    return None


def distinct_windows(image, shape, stride):
    """The different windows the image contains, in order of first appearance."""
    seen = []
    for *_, block in windows(image, shape, stride):
        if block not in seen:
            seen.append(block)
    return seen
