"""Rollups through the database: comparable growth, the naive figure beside it, losses, and
contributions that add up; a bounded number of queries whatever the number of enterprises."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.core.models import OrgUnit, Zone
from qifu.lib.rollup import (
    LOSS_INCREASED,
    LOSS_REDUCED,
    TURNED_LOSS,
    TURNED_PROFITABLE,
    ZERO_BASE,
    display,
)
from qifu.stats import selectors
from qifu.stats.periods import Period
from qifu.stats.tests.conftest import PERIOD, approve, enterprise, form, indicator, list_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(db):
    return indicator("output")


@pytest.fixture
def profit(db):
    return indicator("profit")


def street(code):
    return OrgUnit.objects.get(code=code)


def rollup(dataset, unit, ind, period=PERIOD, **extra):
    return selectors.rollup(dataset=dataset, period=period, unit=unit, indicator=ind, **extra)


def child(result, unit):
    return next(c for c in result["children"] if c["org_unit"] == unit.pk)


def contributions(rows):
    return [r["contribution"] for r in rows if r["contribution"] is not None]


@pytest.fixture
def two_streets(dataset, licun, loushan):
    """李村 grows 100 → 110 and 楼山 falls 1000 → 900 (1–this month)."""
    up, down = enterprise(licun, name="上升公司"), enterprise(loushan, name="下降公司")
    form(dataset, up, PERIOD, {"output": (40, 110, 30, 100)})
    form(dataset, down, PERIOD, {"output": (300, 900, 350, 1000)})
    return up, down


# --- comparable growth -------------------------------------------------------------------------


def test_a_district_whose_streets_go_100_110_and_1000_900_falls_8_18_percent(
    dataset, district, licun, loushan, output, two_streets
):
    result = rollup(dataset, district, output)

    assert result["ytd"] == Decimal("1010")
    assert result["ytd_base"] == Decimal("1100")
    assert display(result["ytd_yoy"]) == "-8.18%"
    # not the average of the streets' rates, which would be 0
    assert display(child(result, licun)["ytd_yoy"]) == "10.00%"
    assert display(child(result, loushan)["ytd_yoy"]) == "-10.00%"
    assert result["ytd_yoy"] != 0
    assert result["enterprises"] == 2
    # the month is compared likewise: 340 against 380
    assert display(result["month_yoy"]) == "-10.53%"


def test_the_streets_contributions_add_up_to_the_districts_growth(
    dataset, district, licun, loushan, output, two_streets
):
    result = rollup(dataset, district, output)

    assert display(child(result, licun)["contribution"], 4) == "0.9091%"
    assert display(child(result, loushan)["contribution"], 4) == "-9.0909%"
    assert sum(contributions(result["children"])) == result["ytd_yoy"]
    assert len(result["children"]) == 11
    # streets without figures contribute nothing, rather than zero
    others = [c for c in result["children"] if c["org_unit"] not in (licun.pk, loushan.pk)]
    assert all(c["contribution"] is None and c["ytd"] is None for c in others)


def test_awkward_contributions_still_add_up_exactly(dataset, district, output):
    codes = ["370213001", "370213004", "370213007", "370213009", "370213011"]
    numbers = [(4, 3), (5, 7), (13, 11), (1, 6), (17, 9)]
    for code, (current, base) in zip(codes, numbers, strict=True):
        form(dataset, enterprise(street(code)), PERIOD, {"output": (1, current, 1, base)})

    result = rollup(dataset, district, output, with_enterprises=True)

    total = result["ytd_yoy"]
    assert total == Decimal("11.111111111111111111")  # 40 against 36, to 1e-18 points
    assert sum(contributions(result["children"])) == total
    assert sum(contributions(result["by_enterprise"])) == total
    for code, (current, base) in zip(codes, numbers, strict=True):
        exact = Decimal(current - base) * 100 / 36
        assert abs(child(result, street(code))["contribution"] - exact) <= Decimal("1e-18")


def test_enterprise_contributions_add_up_and_come_biggest_first(
    dataset, district, licun, loushan, output
):
    a = enterprise(licun, name="甲公司")
    b = enterprise(licun, name="乙公司")
    c = enterprise(loushan, name="丙公司")
    newcomer = enterprise(loushan, name="丁公司")
    form(dataset, a, PERIOD, {"output": (1, 103, 1, 97)})
    form(dataset, b, PERIOD, {"output": (1, 210, 1, 230)})
    form(dataset, c, PERIOD, {"output": (1, 333, 1, 301)})
    form(dataset, newcomer, PERIOD, {"output": (1, 500)})

    rows = selectors.enterprise_contributions(
        dataset=dataset, period=PERIOD, unit=district, indicator=output
    )
    result = rollup(dataset, district, output)

    assert [r["name"] for r in rows] == ["丙公司", "乙公司", "甲公司", "丁公司"]
    assert sum(contributions(rows)) == result["ytd_yoy"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["乙公司"]["change"] == Decimal("-20")
    assert by_name["乙公司"]["street"] == "李村街道"
    assert display(by_name["甲公司"]["ytd_yoy"]) == "6.19%"
    assert by_name["丁公司"]["contribution"] is None
    assert by_name["丁公司"]["ytd_yoy"] is None


def test_a_newcomer_changes_the_naive_growth_but_not_the_comparable_one(
    dataset, district, licun, output, two_streets
):
    up, down = two_streets
    form(dataset, up, PERIOD.last_year, {"output": (30, 100)})
    form(dataset, down, PERIOD.last_year, {"output": (350, 1000)})
    before = rollup(dataset, district, output)
    newcomer = enterprise(licun, name="新入规公司")
    form(dataset, newcomer, PERIOD, {"output": (200, 500)})  # no figures of last year

    after = rollup(dataset, district, output)

    assert display(before["naive_ytd_yoy"]) == "-8.18%"
    assert after["ytd_yoy"] == before["ytd_yoy"]
    assert after["ytd_comparable"] == before["ytd_comparable"] == Decimal("1010")
    assert after["ytd"] == Decimal("1510")
    assert after["last_year_ytd"] == Decimal("1100")
    assert display(after["naive_ytd_yoy"]) == "37.27%"
    assert after["enterprises"] == 3
    licun_row = child(after, licun)
    assert licun_row["ytd_yoy"] == child(before, licun)["ytd_yoy"]
    assert licun_row["contribution"] == child(before, licun)["contribution"]
    own = rollup(dataset, district, output, with_enterprises=True)["by_enterprise"]
    assert next(r for r in own if r["enterprise"] == newcomer.pk)["contribution"] is None


def test_a_revised_last_year_figure_is_the_one_used(dataset, district, licun, loushan, output, tjj):
    up, down = enterprise(licun), enterprise(loushan)
    form(dataset, up, PERIOD.last_year, {"output": (30, 100)})
    form(dataset, down, PERIOD.last_year, {"output": (350, 1000)})
    approve(dataset, PERIOD.last_year, licun, tjj)
    # 李村's enterprise revised last year's 100 to 90 (with a reason) when filling this year's form
    form(dataset, up, PERIOD, {"output": (40, 110, 30, 90)})
    form(dataset, down, PERIOD, {"output": (300, 900, 350, 1000)})

    result = rollup(dataset, district, output)

    assert result["ytd_base"] == Decimal("1090")
    assert display(result["ytd_yoy"]) == "-7.34%"
    assert display(child(result, licun)["ytd_yoy"]) == "22.22%"
    # the naive figure keeps last year's forms as they were accepted
    assert result["last_year_ytd"] == Decimal("1100")
    assert display(result["naive_ytd_yoy"]) == "-8.18%"
    assert sum(contributions(result["children"])) == result["ytd_yoy"]


def test_only_accepted_forms_count(dataset, district, licun, output, two_streets):
    for status, figures in [("draft", (1, 5000, 1, 1)), ("submitted", (1, 7000, 1, 1))]:
        form(dataset, enterprise(licun), PERIOD, {"output": figures}, status=status)
    form(dataset, enterprise(licun), PERIOD, {"output": (1, 9000, 1, 1)}, status="returned")
    form(dataset, enterprise(licun), PERIOD.last_year, {"output": (1, 50)}, status="submitted")

    result = rollup(dataset, district, output)

    assert result["ytd"] == Decimal("1010")
    assert display(result["ytd_yoy"]) == "-8.18%"
    assert result["last_year_ytd"] is None
    assert result["naive_ytd_yoy"] is None


def test_another_data_set_or_period_does_not_leak_in(dataset, district, licun, output, two_streets):
    up, _down = two_streets
    form(dataset, up, PERIOD.shift(1), {"output": (1, 99999, 1, 1)})

    result = rollup(dataset, district, output)

    assert result["ytd"] == Decimal("1010")


# --- January, month on month, losses -----------------------------------------------------------


def test_in_january_the_month_is_the_year_to_date(dataset, district, licun, output):
    january = Period(2026, 1)
    one = enterprise(licun)
    form(dataset, one, january, {"output": (120, 120, 100, 100)})
    form(dataset, one, january.previous, {"output": (150, 1300, 140, 1200)})

    result = rollup(dataset, district, output, period=january)

    assert result["month"] == result["ytd"] == Decimal("120")
    assert result["month_yoy"] == result["ytd_yoy"] == Decimal(20)
    # month on month compares with December's month, not its year to date
    assert result["previous_month"] == Decimal("150")
    assert display(result["mom"]) == "-20.00%"


def test_month_on_month_growth(dataset, district, licun, loushan, output, two_streets):
    up, down = two_streets
    form(dataset, up, PERIOD.previous, {"output": (35, 70)})
    form(dataset, down, PERIOD.previous, {"output": (365, 600)})

    result = rollup(dataset, district, output)

    assert result["previous_month"] == Decimal("400")
    assert result["month"] == Decimal("340")
    assert display(result["mom"]) == "-15.00%"
    assert display(child(result, licun)["mom"]) == "14.29%"
    assert child(result, loushan)["previous_month"] == Decimal("365")


def test_no_last_month_gives_no_month_on_month(dataset, district, output, two_streets):
    result = rollup(dataset, district, output)

    assert result["previous_month"] is None
    assert result["mom"] is None


@pytest.mark.parametrize(
    ("base", "current", "note", "rate"),
    [
        (-100, 50, TURNED_PROFITABLE, None),
        (-100, 0, TURNED_PROFITABLE, None),
        (100, -50, TURNED_LOSS, None),
        (-100, -150, LOSS_INCREASED, Decimal(50)),
        (-100, -50, LOSS_REDUCED, Decimal(-50)),
        (0, 10, ZERO_BASE, None),
        (-100, -100, "", Decimal(0)),
    ],
)
def test_losses_and_zero_bases_in_the_bureaus_words(
    dataset, district, licun, profit, base, current, note, rate
):
    form(dataset, enterprise(licun), PERIOD, {"profit": (current, current, base, base)})

    for unit in (licun, district):
        result = rollup(dataset, unit, profit)
        assert result["yoy_note"] == note
        assert result["month_yoy_note"] == note
        assert result["ytd_yoy"] == rate
    assert child(rollup(dataset, district, profit), licun)["yoy_note"] == note


def test_a_zero_base_gives_no_percent_and_no_contributions(dataset, district, licun, output):
    form(dataset, enterprise(licun), PERIOD, {"output": (10, 10, 0, 0)})

    result = rollup(dataset, district, output, with_enterprises=True)

    assert result["ytd_yoy"] is None
    assert result["yoy_note"] == ZERO_BASE
    assert display(result["ytd_yoy"]) == ""
    assert contributions(result["children"]) == []
    assert contributions(result["by_enterprise"]) == []


def test_a_loss_turning_into_profit_in_one_street_still_counts_in_the_district(
    dataset, district, licun, loushan, profit
):
    form(dataset, enterprise(licun), PERIOD, {"profit": (5, 50, -10, -100)})
    form(dataset, enterprise(loushan), PERIOD, {"profit": (30, 300, 20, 200)})

    result = rollup(dataset, district, profit)

    assert child(result, licun)["yoy_note"] == TURNED_PROFITABLE
    assert child(result, licun)["ytd_yoy"] is None
    assert result["ytd_yoy"] == Decimal(250)  # 350 against 100
    assert display(child(result, licun)["contribution"]) == "150.00%"
    assert sum(contributions(result["children"])) == result["ytd_yoy"]


# --- units -------------------------------------------------------------------------------------


def test_a_street_as_unit_has_no_children(dataset, licun, output, two_streets):
    result = rollup(dataset, licun, output)

    assert result["children"] == []
    assert result["ytd"] == Decimal("110")
    assert display(result["ytd_yoy"]) == "10.00%"


def test_a_zone_as_unit_sums_its_streets(dataset, licun, output, two_streets):
    central = Zone.objects.get(code="central")
    hushan = street("370213008")
    form(dataset, enterprise(hushan), PERIOD, {"output": (10, 30, 10, 20)})

    result = rollup(dataset, central, output)

    assert [c["code"] for c in result["children"]] == [
        "370213007",
        "370213008",
        "370213009",
        "370213010",
    ]
    assert result["ytd"] == Decimal("140")  # 楼山 (west) is left out
    assert result["ytd_base"] == Decimal("120")
    assert display(result["ytd_yoy"]) == "16.67%"
    assert sum(contributions(result["children"])) == result["ytd_yoy"]
    assert child(result, hushan)["ytd"] == Decimal("30")


def test_the_city_as_unit_has_its_districts_as_children(
    dataset, district, laoshan, output, two_streets
):
    city = OrgUnit.objects.get(code="370200")
    form(dataset, enterprise(street("370212001")), PERIOD, {"output": (1, 100, 1, 100)})

    result = rollup(dataset, city, output)

    assert {c["code"] for c in result["children"]} == {"370212", "370213"}
    assert child(result, district)["ytd"] == Decimal("1010")
    assert child(result, laoshan)["ytd_yoy"] == Decimal(0)
    assert result["ytd"] == Decimal("1110")
    assert sum(contributions(result["children"])) == result["ytd_yoy"]


# --- trend -------------------------------------------------------------------------------------


def test_the_trend_runs_oldest_first_with_comparable_growth(dataset, licun, district, output):
    one = enterprise(licun)
    form(dataset, one, Period(2026, 1), {"output": (100, 100, 80, 80)})
    form(dataset, one, Period(2026, 2), {"output": (50, 150, 70, 150)})
    form(dataset, one, Period(2026, 3), {"output": (60, 210, 60, 210)}, status="submitted")

    series = selectors.trend(dataset=dataset, end=PERIOD, unit=district, indicator=output)

    assert len(series) == 13
    assert series[0]["period"] == "202503"
    assert [s["period"] for s in series[-3:]] == ["202601", "202602", "202603"]
    assert series[-3]["ytd_yoy"] == Decimal(25)
    assert display(series[-2]["month_yoy"]) == "-28.57%"
    assert series[-2]["ytd_yoy"] == Decimal(0)
    assert series[-1]["ytd"] is None  # not accepted yet
    assert series[-1]["enterprises"] == 0


# --- queries -----------------------------------------------------------------------------------


def _populate(dataset, count):
    """`count` enterprises spread over three streets, with this year's, last year's and last
    month's accepted forms."""
    codes = ["370213006", "370213007", "370213008"]
    made = []
    for n in range(count):
        one = enterprise(street(codes[n % 3]))
        list_on(dataset, one)
        form(dataset, one, PERIOD, {"output": (10 + n, 30 + n, 9, 28)})
        form(dataset, one, PERIOD.last_year, {"output": (9, 28)})
        form(dataset, one, PERIOD.previous, {"output": (10, 20)})
        made.append(one)
    return made


def _count(call):
    call()  # warm the calendar cache
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.parametrize(
    "reader",
    ["rollup", "rollup_with_enterprises", "enterprise_contributions", "completeness", "trend"],
)
def test_queries_do_not_grow_with_the_number_of_enterprises(dataset, district, output, reader):
    calls = {
        "rollup": lambda: rollup(dataset, district, output),
        "rollup_with_enterprises": lambda: rollup(dataset, district, output, with_enterprises=True),
        "enterprise_contributions": lambda: selectors.enterprise_contributions(
            dataset=dataset, period=PERIOD, unit=district, indicator=output
        ),
        "completeness": lambda: selectors.completeness(
            dataset=dataset, period=PERIOD, unit=district
        ),
        "trend": lambda: selectors.trend(
            dataset=dataset, end=PERIOD, unit=district, indicator=output
        ),
    }
    _populate(dataset, 2)
    few = _count(calls[reader])
    _populate(dataset, 18)
    many = _count(calls[reader])

    assert few == many


def test_rollup_takes_four_queries(
    dataset, district, output, django_assert_num_queries, django_assert_max_num_queries
):
    _populate(dataset, 20)

    with django_assert_num_queries(4):  # the org tree, and this period, last year, last month
        rollup(dataset, district, output)
    with django_assert_max_num_queries(7):
        rollup(dataset, district, output, with_enterprises=True)


def test_trend_takes_one_query(dataset, district, output, django_assert_num_queries):
    _populate(dataset, 20)

    with django_assert_num_queries(1):
        series = selectors.trend(dataset=dataset, end=PERIOD, unit=district, indicator=output)
    assert series[-1]["enterprises"] == 20


def test_completeness_takes_a_handful_of_queries(dataset, district, django_assert_max_num_queries):
    _populate(dataset, 20)
    selectors.completeness(dataset=dataset, period=PERIOD, unit=district)  # calendar cached

    with django_assert_max_num_queries(4):
        found = selectors.completeness(dataset=dataset, period=PERIOD, unit=district)
    assert found.expected == found.accepted == 20
