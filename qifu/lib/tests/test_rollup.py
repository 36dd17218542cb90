"""qifu.lib.rollup: growth on a comparable basis, the bureau's words for losses, contributions."""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal, Inexact, localcontext
from fractions import Fraction

import pytest

from qifu.lib import rollup
from qifu.lib.rollup import Row

D = Decimal
ONE_UNIT = Fraction(1, 10**rollup.RATE_PLACES)  # the last kept place of a rate


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """sum() in a context wide enough never to round (and trapping if it would)."""
    with localcontext() as ctx:
        ctx.prec = 200
        ctx.traps[Inexact] = True
        return sum(values, Decimal(0))


def two_streets() -> list[Row]:
    return [
        Row(key="e1", group="S1", current=D(110), base=D(100)),
        Row(key="e2", group="S2", current=D(900), base=D(1000)),
    ]


# --- comparable growth -------------------------------------------------------------------


def test_a_district_whose_streets_go_100_to_110_and_1000_to_900_grows_minus_8_18_not_0() -> None:
    result = rollup.comparable(two_streets())

    assert result.current == 1010
    assert result.base == 1100
    assert result.enterprises == 2
    assert result.growth.note == ""
    assert result.growth.rate is not None
    assert abs(Fraction(result.growth.rate) - Fraction(-90, 11)) <= ONE_UNIT  # −8.1818…%
    assert rollup.display(result.growth.rate) == "-8.18%"
    street_rates = [rollup.growth(D(110), D(100)).rate, rollup.growth(D(900), D(1000)).rate]
    assert street_rates == [10, -10]
    assert sum(r for r in street_rates if r is not None) / 2 == 0  # the wrong answer


def test_year_to_date_growth_comes_from_year_to_date_figures_not_from_monthly_rates() -> None:
    # January 100 → 110 (+10%), February 1000 → 900 (−10%): 1–2月 is 1100 → 1010.
    ytd_this_year = {1: D(110), 2: D(1010)}
    ytd_last_year = {1: D(100), 2: D(1100)}
    february = rollup.growth(
        rollup.month_from_ytd(ytd_this_year[2], ytd_this_year[1], 2),
        rollup.month_from_ytd(ytd_last_year[2], ytd_last_year[1], 2),
    )
    assert february.rate == -10
    assert rollup.display(rollup.growth(ytd_this_year[2], ytd_last_year[2]).rate) == "-8.18%"
    # summing the years to date across months would give 1120 / 1200 − 1 = −6.67%: not the figure
    summed = rollup.growth(exact_sum(ytd_this_year.values()), exact_sum(ytd_last_year.values()))
    assert rollup.display(summed.rate) == "-6.67%"


def test_an_enterprise_entering_the_list_changes_the_naive_growth_but_not_its_own_base() -> None:
    published_last_year = D(1100)  # e1 + e2: e3 was below scale and not in last year's total
    entering = Row(key="e3", group="S2", current=D(300), base=D(250))  # its own last-year figure
    before = rollup.comparable(two_streets())
    after = rollup.comparable([*two_streets(), entering])

    assert rollup.display(rollup.naive(before.current, published_last_year).rate) == "-8.18%"
    assert rollup.display(rollup.naive(after.current, published_last_year).rate) == "19.09%"
    # comparable: the entering enterprise brings its own base, 1310 / 1350 − 1
    assert after.base == before.base + D(250)
    assert after.enterprises == 3
    assert rollup.display(after.growth.rate) == "-2.96%"
    assert rollup.display(after.by_enterprise["e3"], 6) == "3.703704%"  # 50 / 1350
    assert after.growth != rollup.naive(after.current, published_last_year)


def test_a_revised_last_year_figure_is_the_one_used() -> None:
    published_last_year = D(1100)  # e1 was published as 100 and has since revised it to 120
    rows = [Row("e1", "S1", D(110), D(120)), Row("e2", "S2", D(900), D(1000))]
    result = rollup.comparable(rows)

    assert result.base == 1120
    assert result.growth == rollup.growth(D(1010), D(1120))
    assert rollup.display(result.growth.rate) == "-9.82%"
    assert rollup.display(result.contributions["S1"]) == "-0.89%"  # (110 − 120) / 1120
    assert rollup.display(rollup.naive(result.current, published_last_year).rate) == "-8.18%"


def test_rows_not_reporting_this_period_or_without_a_base_are_left_out_of_both_sides() -> None:
    rows = [
        *two_streets(),
        Row("e3", "S1", current=None, base=D(500)),  # reported last year, not yet this period
        Row("e4", "S2", current=D(700), base=None),  # no last-year figure
    ]
    result = rollup.comparable(rows)

    assert (result.current, result.base, result.enterprises) == (D(1010), D(1100), 2)
    assert result.growth == rollup.comparable(two_streets()).growth
    assert set(result.by_enterprise) == {"e1", "e2"}


def test_a_period_with_no_comparable_rows_has_no_rate() -> None:
    result = rollup.comparable([Row("e1", "S1", None, D(100))])

    assert (result.current, result.base, result.enterprises) == (D(0), D(0), 0)
    assert result.growth == rollup.Growth(None, rollup.ZERO_BASE)
    assert result.contributions == {} and result.by_enterprise == {}


# --- January and month values ------------------------------------------------------------


def test_january_month_value_is_its_year_to_date() -> None:
    assert rollup.month_from_ytd(D("123.4"), None, 1) == D("123.4")
    assert rollup.month_from_ytd(D("123.4"), D("9999"), 1) == D("123.4")  # December is ignored
    assert rollup.check_month(D("123.4"), D("123.4"), None, 1)
    assert not rollup.check_month(D("23.4"), D("123.4"), D(100), 1)


def test_in_january_month_and_year_to_date_growth_coincide() -> None:
    month = rollup.growth(rollup.month_from_ytd(D(110), None, 1), D(100))
    assert month == rollup.growth(D(110), D(100))
    assert month.rate == 10


def test_a_later_month_value_is_the_difference_of_years_to_date() -> None:
    assert rollup.month_from_ytd(D("350.5"), D("200.25"), 3) == D("150.25")
    assert rollup.check_month(D("150.25"), D("350.5"), D("200.25"), 3)
    assert not rollup.check_month(D("150"), D("350.5"), D("200.25"), 3)
    # a loss-making month: 利润总额 1–3月 below 1–2月
    assert rollup.month_from_ytd(D(-20), D(30), 3) == D(-50)


def test_month_values_are_exact_even_beyond_the_default_precision() -> None:
    big = D("12345678901234567890123456789.01")
    assert rollup.month_from_ytd(big, D("0.01"), 2) == D("12345678901234567890123456789")


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_outside_1_to_12_is_refused(month: int) -> None:
    with pytest.raises(ValueError, match="month"):
        rollup.month_from_ytd(D(1), D(0), month)


def test_a_later_month_without_the_previous_year_to_date_is_refused() -> None:
    with pytest.raises(ValueError, match="year to date"):
        rollup.month_from_ytd(D(1), None, 2)


# --- losses and zero bases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "base", "rate", "note"),
    [
        ("50", "-100", None, "由亏转盈"),
        ("0", "-100", None, "由亏转盈"),
        ("-20", "100", None, "由盈转亏"),
        ("-150", "-100", "50", "亏损增加"),
        ("-40", "-100", "-60", "减亏"),
        ("-100", "-100", "0", ""),
        ("0", "100", "-100", ""),
        ("150", "100", "50", ""),
    ],
)
def test_losses_are_worded_as_the_bureau_does(
    current: str, base: str, rate: str | None, note: str
) -> None:
    result = rollup.growth(D(current), D(base))
    assert result.note == note
    assert result.rate == (None if rate is None else D(rate))


def test_a_loss_total_is_worded_and_its_contributions_add_up_to_the_loss_growth() -> None:
    rows = [Row("e1", "S1", D(-120), D(-100)), Row("e2", "S2", D(-60), D(-50))]
    result = rollup.comparable(rows)

    assert result.growth == rollup.Growth(D(20), rollup.LOSS_INCREASED)
    assert result.contributions == {
        "S1": D("13.333333333333333333"),
        "S2": D("6.666666666666666667"),
    }
    assert sum(result.contributions.values()) == result.growth.rate


def test_a_total_turning_from_loss_to_profit_has_words_and_no_contributions() -> None:
    rows = [Row("e1", "S1", D(30), D(-100)), Row("e2", "S2", D(10), D(20))]
    result = rollup.comparable(rows)

    assert result.growth == rollup.Growth(None, rollup.TURNED_PROFITABLE)
    assert result.contributions == {} and result.by_enterprise == {}
    assert rollup.display(result.growth.rate) == ""


@pytest.mark.parametrize("current", ["50", "0", "-5"])
def test_a_zero_base_gives_no_percentage(current: str) -> None:
    assert rollup.growth(D(current), D(0)) == rollup.Growth(None, "上年同期为零")
    assert rollup.mom(D(current), D("0.000")).rate is None
    assert rollup.naive(D(current), D(0)).note == rollup.ZERO_BASE


def test_a_zero_comparable_base_gives_no_percentage_and_no_contributions() -> None:
    rows = [Row("e1", "S1", D(50), D(0)), Row("e2", "S2", D(70), D(0))]  # two new enterprises
    result = rollup.comparable(rows)
    assert result.growth == rollup.Growth(None, rollup.ZERO_BASE)
    assert (result.current, result.enterprises) == (D(120), 2)
    assert result.contributions == {}


def test_month_on_month_follows_the_same_rules() -> None:
    assert rollup.mom(D(110), D(100)) == rollup.Growth(D(10))
    assert rollup.mom(D(-5), D(10)) == rollup.Growth(None, rollup.TURNED_LOSS)
    assert rollup.mom(D(-5), D(-10)) == rollup.Growth(D(-50), rollup.LOSS_REDUCED)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        rollup.growth(1.1, D(1))  # type: ignore[arg-type]


# --- contributions -----------------------------------------------------------------------


def test_contributions_of_streets_and_enterprises_add_up_to_the_total() -> None:
    rows = [
        Row("e1", "S1", D("110.125"), D(100)),
        Row("e2", "S1", D("33.3"), D("40.7")),
        Row("e3", "S2", D(900), D(1000)),
        Row("e4", "S3", D("0.001"), D("7")),
    ]
    result = rollup.comparable(rows)

    assert result.growth.rate is not None
    assert sum(result.contributions.values()) == result.growth.rate
    assert sum(result.by_enterprise.values()) == result.growth.rate
    assert list(result.contributions) == ["S1", "S2", "S3"]
    for street, members in {"S1": ["e1", "e2"], "S2": ["e3"], "S3": ["e4"]}.items():
        exact = (
            sum(Fraction(r.current or 0) - Fraction(r.base or 0) for r in rows if r.key in members)
            * 100
            / Fraction(result.base)
        )
        assert abs(Fraction(result.contributions[street]) - exact) <= ONE_UNIT


def test_contributions_are_rounded_only_for_display() -> None:
    # three streets each adding 1 to a base of 300: each contributes 1/3 of a point
    rows = [Row(f"e{i}", f"S{i}", D(101), D(100)) for i in (1, 2, 3)]
    result = rollup.comparable(rows)

    assert result.growth.rate == 1
    shown = [rollup.display(c) for c in result.contributions.values()]
    assert shown == ["0.33%", "0.33%", "0.33%"]  # rounded, they add up to 0.99, not 1.00
    assert sum(D(s.rstrip("%")) for s in shown) == D("0.99")
    assert all(c != D("0.33") for c in result.contributions.values())
    assert sum(result.contributions.values()) == result.growth.rate  # unrounded, they do
    assert rollup.display(result.growth.rate) == "1.00%"


@pytest.mark.parametrize(
    ("rate", "places", "shown"),
    [
        ("-8.181818181818181818", 2, "-8.18%"),
        ("1.005", 2, "1.01%"),
        ("-1.005", 2, "-1.01%"),
        ("-0.004", 2, "0.00%"),
        ("12.5", 1, "12.5%"),
        ("12.5", 0, "13%"),
        ("7", 2, "7.00%"),
        ("123456789012345678901234567.891", 2, "123456789012345678901234567.89%"),
    ],
)
def test_display_rounds_half_up_with_an_ascii_minus(rate: str, places: int, shown: str) -> None:
    assert rollup.display(D(rate), places) == shown


def test_display_of_no_rate_is_empty() -> None:
    assert rollup.display(None) == ""


def test_huge_rates_still_add_up_when_summed_without_rounding() -> None:
    rows = [Row("e1", "S1", D(10**12), D("0.001")), Row("e2", "S2", D(1), D("0.002"))]
    result = rollup.comparable(rows)
    assert result.growth.rate is not None and result.growth.rate > 10**16
    assert exact_sum(result.contributions.values()) == result.growth.rate


def _random_decimal(rng: random.Random, negative: bool) -> Decimal:
    low = -(10**9) if negative else 0
    return Decimal(rng.randint(low, 10**9)).scaleb(-rng.randint(0, 3))


@pytest.mark.parametrize("seed", range(5))
def test_contributions_add_up_to_the_total_for_random_figures(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for _ in range(200):
        negative = rng.random() < 0.3  # 利润总额 may be negative
        rows = [
            Row(
                key=f"e{i}",
                group=f"S{rng.randint(1, 5)}",
                current=None if rng.random() < 0.1 else _random_decimal(rng, negative),
                base=None if rng.random() < 0.1 else _random_decimal(rng, negative),
            )
            for i in range(rng.randint(1, 30))
        ]
        result = rollup.comparable(rows)
        assert result.growth == rollup.growth(result.current, result.base)
        if result.growth.rate is None:
            assert result.contributions == {} and result.by_enterprise == {}
            continue
        checked += 1
        assert exact_sum(result.contributions.values()) == result.growth.rate
        assert exact_sum(result.by_enterprise.values()) == result.growth.rate
        exact_rate = (Fraction(result.current) / Fraction(result.base) - 1) * 100
        assert abs(Fraction(result.growth.rate) - exact_rate) <= ONE_UNIT / 2
        for row in rows:
            if row.current is not None and row.base is not None:
                exact = (Fraction(row.current) - Fraction(row.base)) * 100 / Fraction(result.base)
                assert abs(Fraction(result.by_enterprise[row.key]) - exact) <= ONE_UNIT
    assert checked > 100
