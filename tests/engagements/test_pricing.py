"""The pricing rules written once in ``engagements/pricing.py``: tax and the quote count."""

import pytest
from django.conf import settings
from django.test import override_settings

from engagements import pricing


def _with(**changes):
    """The project's OFFICE_REFORM with some keys changed, for override_settings."""
    return {**settings.OFFICE_REFORM, **changes}


@pytest.mark.parametrize("amount,tax", [
    (12_345, 1_234),      # 1,234.5 → rounded down
    (19, 1),              # 1.9 → 1
    (9, 0),
    (0, 0),
    (1_000_000, 100_000),
])
def test_tax_is_ten_percent_rounded_down(amount, tax):
    assert pricing.tax_percent() == 10
    assert pricing.tax_yen(amount) == tax


def test_an_explicit_rate_wins_over_the_setting():
    assert pricing.tax_yen(12_345, 8) == 987


@pytest.mark.parametrize("amount,total", [(12_345, 13_579), (19, 20), (0, 0)])
def test_with_tax_adds_the_rounded_down_tax(amount, total):
    assert pricing.with_tax(amount) == total


@pytest.mark.parametrize("price,net", [(11_000, 10_000), (11_001, 10_000), (11_011, 10_010),
                                       (1, 0)])
def test_without_tax_takes_the_tax_out_rounded_down(price, net):
    assert pricing.without_tax(price) == net


def test_the_tax_rate_is_read_at_call_time():
    # given the rate changed after the module was imported
    with override_settings(OFFICE_REFORM=_with(CONSUMPTION_TAX_PERCENT=8)):
        # then every rule uses the new rate
        assert pricing.tax_percent() == 8
        assert pricing.tax_yen(12_345) == 987
        assert pricing.with_tax(12_345) == 13_332
        assert pricing.without_tax(10_800) == 10_000
    # and the old rate is back once the override ends
    assert pricing.tax_yen(12_345) == 1_234


@pytest.mark.parametrize("amount_with_tax,required", [
    (0, 2),
    (999_999, 2),
    (1_000_000, 2),       # up to ¥1,000,000 with tax inclusive: two quotes
    (1_000_001, 3),       # one yen more: three
    (50_000_000, 3),
])
def test_quotes_required_two_up_to_a_million_three_above(amount_with_tax, required):
    assert pricing.quotes_required(amount_with_tax) == required


def test_the_quote_thresholds_are_read_at_call_time():
    # given a city that asks one quote up to ¥300,000, two up to ¥1,000,000, then three
    procurement = {**settings.OFFICE_REFORM["PROCUREMENT"],
                   "QUOTES_REQUIRED": [(300_000, 1), (1_000_000, 2), (None, 3)]}
    with override_settings(OFFICE_REFORM=_with(PROCUREMENT=procurement)):
        assert [pricing.quotes_required(a) for a in (300_000, 300_001, 1_000_000, 1_000_001)] \
            == [1, 2, 2, 3]
    # and without the override the default rule applies again
    assert pricing.quotes_required(300_000) == 2
