"""Pricing rules, written once: consumption tax and how many quotes an amount needs.

Pure functions of integer yen; the rates are read from the settings at each call
(``OFFICE_REFORM["CONSUMPTION_TAX_PERCENT"]`` and ``OFFICE_REFORM["PROCUREMENT"]
["QUOTES_REQUIRED"]``, DOMAIN.md), so a city's settings apply without a restart of the rule.
The tax is taken once on a whole total (the usual quote practice, not per line) and rounded
down to the yen (切り捨て): 12,345 × 10% → 1,234. Every stage imports these; none keeps a copy.
"""

from __future__ import annotations

from django.conf import settings


def tax_percent() -> int:
    """The consumption tax rate in percent (10)."""
    return int(settings.OFFICE_REFORM["CONSUMPTION_TAX_PERCENT"])


def tax_yen(amount: int, percent: int | None = None) -> int:
    """⌊amount × rate ÷ 100⌋ in integer arithmetic; ``percent`` defaults to the setting."""
    rate = tax_percent() if percent is None else percent
    return amount * rate // 100


def with_tax(amount: int) -> int:
    """The amount plus consumption tax, the tax rounded down."""
    return amount + tax_yen(amount)


def without_tax(price: int) -> int:
    """A price stated with tax, without it (rounded down to the yen)."""
    return price * 100 // (100 + tax_percent())


def quotes_required(amount_with_tax: int) -> int:
    """How many quotes an order of this amount (with tax) needs: the first row of the setting's
    ``(limit, count)`` pairs whose limit the amount does not exceed (``None``: any amount);
    with the default, 2 up to ¥1,000,000 inclusive and 3 above."""
    for limit, count in settings.OFFICE_REFORM["PROCUREMENT"]["QUOTES_REQUIRED"]:
        if limit is None or amount_with_tax <= limit:
            return count
    return 1
