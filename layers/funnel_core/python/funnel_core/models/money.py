"""Money as Stripe takes it: an integer amount in the currency's minor unit, and an ISO 4217 code.

The list is the currencies Stripe charges in. Most have two minor digits; the zero-decimal ones
are charged in whole units (¥500 is ``500``), the three-decimal ones in thousandths, which Stripe
takes only in multiples of ten (``KWD 5.125`` cannot be charged, ``5.120`` can).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Final

from pydantic import AfterValidator, Field

ZERO_DECIMAL: Final = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
THREE_DECIMAL: Final = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
STRIPE_CURRENCIES: Final = frozenset(
    """
    USD AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BWP BYN
    BZD CAD CDF CHF CLP CNY COP CRC CVE CZK DJF DKK DOP DZD EGP ETB EUR FJD FKP GBP GEL GIP GMD GNF
    GTQ GYD HKD HNL HTG HUF IDR ILS INR ISK JMD JOD JPY KES KGS KHR KMF KRW KWD KYD KZT LAK LBP LKR
    LRD LSL MAD MDL MGA MKD MMK MNT MOP MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
    PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SEK SGD SHP SLE SOS SRD SZL THB TJS TND TOP
    TRY TTD TWD TZS UAH UGX UYU UZS VND VUV WST XAF XCD XOF XPF YER ZAR ZMW
    """.split()  # noqa: SIM905 - the table reads as one
)
# Stripe's largest amount: eight digits in the minor unit.
MAX_AMOUNT: Final = 99_999_999


def minor_digits(currency: str) -> int:
    code = currency.upper()
    return 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2


def _stripe_currency(value: str) -> str:
    code = value.upper()
    if code not in STRIPE_CURRENCIES:
        raise ValueError(f"{value!r} is not an ISO 4217 currency Stripe charges in")
    return code


# Upper case in the API (ISO 4217); Stripe is sent the lower case.
StripeCurrency = Annotated[str, Field(min_length=3, max_length=3), AfterValidator(_stripe_currency)]
MinorAmount = Annotated[int, Field(ge=1, le=MAX_AMOUNT, strict=True)]


def amount_problem(amount: int, currency: str) -> str | None:
    """Why Stripe would refuse ``amount`` of ``currency``, or None."""
    if currency.upper() in THREE_DECIMAL and amount % 10:
        return f"{currency.upper()} amounts are charged in multiples of 10 (thousandths rounded to hundredths)"
    return None


def major_units(amount: int, currency: str) -> Decimal:
    """``1999`` USD as ``19.99``, ``500`` JPY as ``500``: what a page shows."""
    return Decimal(amount).scaleb(-minor_digits(currency))
