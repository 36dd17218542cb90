"""qifu.lib.money: amounts stored in 万元, shown in 万元 or, from 10,000 万元 up, in 亿元."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qifu.lib.money import format_wan


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("7000", "7,000.00万元"),
        ("0", "0.00万元"),
        ("0.5", "0.50万元"),
        ("1200.505", "1,200.51万元"),
        ("9999.99", "9,999.99万元"),
    ],
)
def test_amounts_below_a_hundred_million_are_shown_in_wan(amount: str, shown: str) -> None:
    assert format_wan(Decimal(amount)) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("10000", "1.00亿元"),
        ("40000", "4.00亿元"),
        ("56000", "5.60亿元"),
        ("12345.678", "1.23亿元"),
        ("1234567", "123.46亿元"),
        ("123456789", "12,345.68亿元"),
    ],
)
def test_amounts_from_a_hundred_million_are_shown_in_yi(amount: str, shown: str) -> None:
    assert format_wan(Decimal(amount)) == shown


def test_negative_amounts_keep_their_sign() -> None:
    assert format_wan(Decimal("-7000")) == "-7,000.00万元"
    assert format_wan(Decimal("-20000")) == "-2.00亿元"


def test_the_number_of_places_can_be_chosen() -> None:
    assert format_wan(Decimal("7000.4"), places=0) == "7,000万元"
    assert format_wan(Decimal("15000"), places=1) == "1.5亿元"


def test_an_amount_that_rounds_up_to_a_hundred_million_is_shown_in_yi() -> None:
    assert format_wan(Decimal("9999.995")) == "1.00亿元"
    assert format_wan(Decimal("-9999.999")) == "-1.00亿元"
