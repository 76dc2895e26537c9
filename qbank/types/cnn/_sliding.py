"""Sliding-window helpers shared by the convolution and pooling question types.

Pure Python on lists of rows, so answers are bit-identical on every machine.  Not a
question type itself: the registry finds no ``QuestionType`` here.
"""

from __future__ import annotations

from qbank.checks import is_number, is_whole
from qbank.param_models import Real, ShapeError, nonempty_list

# A non-empty matrix of numbers as a list of non-empty rows; that the rows are of equal
# length is checked by ``check_rectangular`` in the model's validator.
Grid = nonempty_list(nonempty_list(Real))


def shape_text(matrix) -> str:
    """``3x4`` for a matrix of 3 rows of 4 entries."""
    return f"{len(matrix)}x{len(matrix[0])}"


def check_fits(key: str, window_shape, image, image_name: str = "the image") -> None:
    """Raise ``ShapeError`` on ``key`` if a window of ``window_shape`` does not fit in ``image``."""
    height, width = window_shape
    if height > len(image) or width > len(image[0]):
        raise ShapeError(key, f"is {height}x{width} but {image_name} is only {shape_text(image)}")


def matrix_problem(name: str, value, binary: bool = False) -> str | None:
    """Why ``value`` is not a non-empty rectangular matrix of numbers (0/1 if ``binary``)."""
    if not (isinstance(value, list) and value and all(isinstance(row, list) and row for row in value)):
        return f"{name} must be a non-empty list of non-empty rows"
    if len({len(row) for row in value}) != 1:
        return f"the rows of {name} must all have the same length"
    if binary and not all(is_whole(x) and x in (0, 1) for row in value for x in row):
        return f"every entry of {name} must be 0 or 1"
    if not all(is_number(x) for row in value for x in row):
        return f"every entry of {name} must be a finite number"
    return None


def fit_problems(image, window_shape, stride) -> list[str]:
    """Why windows of ``window_shape`` at ``stride`` do not tile ``image`` exactly."""
    reasons = []
    for name, side, size in (("height", len(image), window_shape[0]),
                             ("width", len(image[0]), window_shape[1])):
        if size > side:
            reasons.append(f"the window is larger than the image {name}")
        elif (side - size) % stride:
            reasons.append(f"image {name} {side}: ({side} - {size}) is not divisible by "
                           f"the stride {stride}, so the output size is not whole")
    return reasons


def output_shape(image, window_shape, stride) -> tuple[int, int]:
    return ((len(image) - window_shape[0]) // stride + 1,
            (len(image[0]) - window_shape[1]) // stride + 1)


def window(image, top: int, left: int, shape) -> list[list]:
    """The ``shape`` block of ``image`` whose top-left entry is (top, left), 0-based."""
    return [row[left:left + shape[1]] for row in image[top:top + shape[0]]]


def windows(image, shape, stride):
    """(i, j, top, left, block) for every output cell (i, j), row by row."""
    rows, cols = output_shape(image, shape, stride)
    for i in range(rows):
        for j in range(cols):
            yield i, j, i * stride, j * stride, window(image, i * stride, j * stride, shape)


def products(block, kernel) -> list[tuple]:
    """(pixel, weight) pairs of a window and a kernel in reading order."""
    return [(x, w) for block_row, kernel_row in zip(block, kernel)
            for x, w in zip(block_row, kernel_row)]


def cross_correlate(image, kernel, stride: int) -> list[list]:
    """Cross-correlation without padding (what DL frameworks call convolution)."""
    shape = (len(kernel), len(kernel[0]))
    rows, cols = output_shape(image, shape, stride)
    out = [[0] * cols for _ in range(rows)]
    for i, j, _, _, block in windows(image, shape, stride):
        out[i][j] = sum(x * w for x, w in products(block, kernel))
    return out
