"""Prices as visitors read them: the currency's symbol and its number of minor digits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from funnel_core.models.money import ZERO_DECIMAL

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "CA$", "AUD": "A$", "BRL": "R$"}


def price(amount: object, currency: str | None) -> str:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return f"{amount} {currency or ''}".strip()  # validated at publish; shown as given, escaped by the caller
    code = (currency or "").upper()
    digits = 0 if code in ZERO_DECIMAL or value == value.to_integral_value() else 2
    number = f"{value:,.{digits}f}"
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code}".strip()
