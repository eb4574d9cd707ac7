"""Money, one rule for every app: an amount is a `Decimal` of at most two decimals (cents), finite, below
ten trillion (SQLite keeps 15 significant digits), written with a point and no thousands separators; a
float is refused, never rounded. The currency is an ISO 4217 code (`reference.selectors.currency`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from hrtc.core.exceptions import InvalidInput

CENT = Decimal("0.01")
LARGEST = Decimal("1e13")


def amount(value: Any, field: str = "amount", *, zero: bool = False) -> Decimal:
    """`value` (a Decimal, an int or text) as an amount in cents: more than zero (or zero too, with `zero`).
    Raises InvalidInput naming `field`."""
    if isinstance(value, float):
        raise InvalidInput(
            "Money is a decimal amount, never a float: pass Decimal('1250.50') or the text '1250.50'.",
            field=field,
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(f"{value!r} is not an amount of money.", field=field)
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and "," in text:
        raise InvalidInput(
            f"{value!r}: write amounts with a point for decimals and no thousands separators.", field=field
        )
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not an amount of money.", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{value!r} is not an amount of money.", field=field)
    if number < 0 or (number == 0 and not zero):
        raise InvalidInput(
            "An amount of money cannot be negative." if zero else "An amount of money is more than zero.",
            field=field,
        )
    if number >= LARGEST:
        raise InvalidInput(f"{value} is too large an amount.", field=field)
    if number != number.quantize(CENT):
        raise InvalidInput(f"{value} has more than two decimals; amounts are kept in cents.", field=field)
    return number.quantize(CENT)
