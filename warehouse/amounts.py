"""Exact amounts: parser floats (元) become Decimal via their shortest repr, never via float maths.

`Decimal(str(0.1 * 3))` would keep float noise; `Decimal(str(x))` of the parser's already
rounded float is the printed figure, and quantising to 0.01 fits DECIMAL(18,2).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from warehouse.errors import LoadError

CENT = Decimal("0.01")
LIMIT = Decimal("1e16")  # DECIMAL(18,2) holds |x| < 10^16


def to_decimal(x: object) -> Decimal | None:
    """Any number or numeric string → Decimal (unrounded); None for None/''; LoadError otherwise."""
    if x is None:
        return None
    if isinstance(x, bool):
        raise LoadError(f"not an amount: {x!r}")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        if not math.isfinite(x):
            raise LoadError(f"not a finite amount: {x!r}")
        d = Decimal(str(x))
    elif isinstance(x, str):
        s = x.strip().replace(",", "")
        if not s:
            return None
        try:
            d = Decimal(s)
        except InvalidOperation as e:
            raise LoadError(f"not an amount: {x!r}") from e
    else:
        raise LoadError(f"not an amount: {x!r}")
    if not d.is_finite():
        raise LoadError(f"not a finite amount: {x!r}")
    return d


def to_amount(x: object) -> Decimal | None:
    """An amount in 元, rounded half-up to the cent (DECIMAL(18,2)); LoadError if not a number."""
    d = to_decimal(x)
    return None if d is None else d.quantize(CENT, rounding=ROUND_HALF_UP)


def lenient_amount(x: object) -> Decimal | None:
    """to_amount for narrative facts: an unusable value becomes None instead of failing the load."""
    try:
        d = to_amount(x)
    except LoadError:
        return None
    return d if d is None or abs(d) < LIMIT else None


def lenient_float(x: object) -> float | None:
    """Ratios and weights (not money): a finite float or None."""
    try:
        d = to_decimal(x)
    except LoadError:
        return None
    return None if d is None else float(d)
