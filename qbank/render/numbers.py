"""Number formatting shared by the LaTeX filters and the terminal text.

All rounding for display happens here, in pure Python on Python floats, so the
same value prints the same way in a PDF, in ``qbank show`` and on any machine.
JSON keeps full precision; only the rendered text is rounded.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _strip_zero(text: str) -> str:
    """'-0', '-0.00' -> '0', '0.00': a rounded tiny negative is not negative."""
    if text.startswith("-") and set(text[1:]) <= {"0", "."}:
        return text[1:]
    return text


def _decimal(value) -> Decimal:
    # The shortest repr is the number a reader sees; rounding it half-up is what
    # they would do by hand (0.665 -> 0.67), whatever its binary expansion.
    return Decimal(repr(float(value)))


def fixed(value: float, places: int) -> str:
    """``value`` with exactly ``places`` decimals: fixed(2/3, 3) -> '0.667'."""
    quantum = Decimal(1).scaleb(-places)
    return _strip_zero(format(_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), "f"))


def significant(value: float, figures: int = 3) -> str:
    """``value`` to ``figures`` significant figures, no exponent, trailing zeros kept.

    significant(0.0066480, 2) -> '0.0066'; significant(1234.5, 3) -> '1230'.
    """
    number = _decimal(value)
    if number == 0:
        return "0"
    exponent = number.adjusted()
    rounded = number.quantize(Decimal(1).scaleb(exponent - figures + 1), rounding=ROUND_HALF_UP)
    if rounded.adjusted() != exponent:  # carried into a new digit: 9.99 -> 10.0
        rounded = number.quantize(Decimal(1).scaleb(exponent - figures + 2), rounding=ROUND_HALF_UP)
    return _strip_zero(format(rounded, "f"))


def plain(value, places: int = 4) -> str:
    """Integers exactly; floats rounded to ``places`` decimals, trailing zeros dropped.

    plain(3) -> '3'; plain(0.5) -> '0.5'; plain(2/3) -> '0.6667'.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = fixed(value, places)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _strip_zero(text)


def grouped(text: str) -> str:
    """Digits of a plain number grouped in thousands with commas: 1234567.5 -> 1,234,567.5.

    Four-digit integer parts are grouped too (1,024); the fraction is not.  Text
    that is not a plain number ("true", an already grouped "4,800") is returned
    as it is.
    """
    point = text.find(".")
    if (point if point >= 0 else len(text)) - text.startswith("-") < 4:
        return text  # nothing to group: most numbers, so checked first
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    whole, dot, fraction = body.partition(".")
    if whole.isdigit() and len(whole) >= 4:
        whole = f"{int(whole):,}"
    return f"{sign}{whole}{dot}{fraction}"
