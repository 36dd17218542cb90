"""The command centre's monthly data section: output, revenue and profit of the latest approved
month (year to date, with comparable growth) from the rollup the analysis page uses, and the
completeness of the month coming in, whose expected and accepted forms link to the completeness
page's lists.

The data: 天路集团 and a second enterprise in 李村街道, 瑞丰气体 in 楼山街道, and one enterprise of
崂山区 (the outsider's district), all on the reporting list. August 2025 is approved in both
districts, October 2025 in 李沧区 too (after the period asked for, 2025Q3); for September 2025
天路集团's form is accepted, 瑞丰气体's submitted and the second enterprise's only a draft.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import OrgUnit
from qifu.dashboard.sections import stats as section_module
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    queries_of,
    section_of,
    values,
)
from qifu.stats import selectors
from qifu.stats.models import DataSet, Indicator, SubmissionStatus
from qifu.stats.periods import Period
from qifu.stats.tests.conftest import approve, enterprise, form, list_on

pytestmark = pytest.mark.django_db

PERIOD = "2025Q3"
APPROVED = Period(2025, 8)
CURRENT = Period(2025, 9)
MONEY = ("stats.output", "stats.revenue", "stats.profit")


def figures(output: tuple[Any, ...], scale: int = 1) -> dict[str, tuple[Any, ...]]:
    """Output as given (month, ytd[, base month, base ytd]); revenue 1.1 and profit 0.05 of it."""

    def times(factor: str) -> tuple[Any, ...]:
        return tuple(None if v is None else Decimal(v) * Decimal(factor) for v in output)

    return {"output": output, "revenue": times("1.1"), "profit": times("0.05")}


@pytest.fixture
def dataset(db) -> DataSet:
    return DataSet.objects.get(code="industry-monthly")


@pytest.fixture
def scene(dataset, leader, outsider, tianlu, ruifeng, licun, district, laoshan) -> dict[str, Any]:
    second = enterprise(licun, name="李村机械")
    zhonghan = OrgUnit.objects.get(code="370212001")
    far = enterprise(zhonghan, name="崂山电子")
    list_on(dataset, tianlu, ruifeng, second, far)
    form(dataset, tianlu, APPROVED, figures((1000, 8000, 900, 7000)))
    form(dataset, ruifeng, APPROVED, figures((500, 4000, 500, 4000)))
    form(dataset, second, APPROVED, figures((200, 1600)))
    form(dataset, far, APPROVED, figures((3000, 24000, 3000, 20000)))
    approve(dataset, APPROVED, district, leader)
    approve(dataset, APPROVED, laoshan, outsider)
    form(dataset, tianlu, Period(2025, 10), figures((1000, 9000)))
    approve(dataset, Period(2025, 10), district, leader)
    form(dataset, tianlu, CURRENT, figures((1000, 9000)))
    form(dataset, ruifeng, CURRENT, figures((500, 4500)), status=SubmissionStatus.SUBMITTED)
    form(dataset, second, CURRENT, figures((200, 1800)), status=SubmissionStatus.DRAFT)
    form(dataset, far, CURRENT, figures((3000, 27000)))
    return {"second": second, "far": far}


def test_the_money_figures_are_the_rollup_of_the_latest_approved_month_of_the_period(
    dataset, scene, leader, district
) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    found = values(section)
    for key in MONEY:
        code = key.split(".")[1]
        rollup = selectors.rollup(
            dataset=dataset,
            period=APPROVED,
            unit=district,
            indicator=Indicator.objects.get(code=code),
        )
        assert found[key] == (rollup["ytd"] / 10).quantize(Decimal("0.01")), key
    assert found["stats.output"] == Decimal("1360.00")  # (8000 + 4000 + 1600) 千元
    output = section.figure("stats.output")
    assert output.unit == "万元"
    assert "+9.1%" in output.note  # 12000 over the comparable 11000 (李村机械 has no base)
    assert APPROVED.label in output.note and APPROVED.ytd_label in output.label
    assert output.counts_list is False
    assert output.url.startswith("/stats/analysis/?") and "period=202508" in output.url


def test_the_money_figures_link_to_the_analysis_page_that_shows_them(client, scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)
    client.force_login(leader)

    for key in MONEY:
        figure = section.figure(key)
        response = client.get(figure.url)
        assert response.status_code == 200
        shown = response.context["result"]["ytd"] / 10
        assert shown.quantize(Decimal("0.01")) == figure.value, key
        assert response.context["indicator"].code == key.split(".")[1]


def test_the_completeness_of_the_month_coming_in_counts_accepted_of_expected(scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    found = values(section)
    assert (found["stats.expected"], found["stats.accepted"]) == (3, 1)
    assert found["stats.completeness"] == Decimal("33.3")
    assert CURRENT.label in section.figure("stats.expected").label
    assert "2" in section.figure("stats.completeness").note  # handed in: accepted and submitted


def test_each_count_equals_the_count_of_its_list(client, scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    checked = assert_figures_match_their_lists(client, leader, section)

    assert checked == ["stats.expected", "stats.accepted"]


def test_a_street_filter_counts_the_streets_enterprises_only(client, scene, leader, licun) -> None:
    section = section_of(section_module, leader, period=PERIOD, street=licun.code)

    found = values(section)
    assert (found["stats.expected"], found["stats.accepted"]) == (2, 1)
    assert found["stats.output"] == Decimal("960.00")  # 天路集团 8000 + 李村机械 1600 千元
    assert f"org_unit={licun.pk}" in section.figure("stats.expected").url
    assert assert_figures_match_their_lists(client, leader, section)


def test_a_zone_filter_counts_the_zones_enterprises_only(client, scene, leader, licun) -> None:
    section = section_of(section_module, leader, period=PERIOD, zone=licun.zone.code)

    found = values(section)
    assert (found["stats.expected"], found["stats.accepted"]) == (2, 1)
    assert f"zone={licun.zone_id}" in section.figure("stats.accepted").url
    assert assert_figures_match_their_lists(client, leader, section)


def test_a_street_clerk_counts_only_the_street(client, scene, licun_clerk, loushan) -> None:
    # the clerk's street is fixed, whatever street is asked for
    section = section_of(section_module, licun_clerk, period=PERIOD, street=loushan.code)

    found = values(section)
    assert (found["stats.expected"], found["stats.accepted"]) == (2, 1)
    assert found["stats.output"] == Decimal("960.00")
    assert assert_figures_match_their_lists(client, licun_clerk, section)


def test_the_outsider_sees_none_of_the_districts_numbers(client, scene, outsider) -> None:
    section = section_of(section_module, outsider, period=PERIOD)

    found = values(section)
    assert (found["stats.expected"], found["stats.accepted"]) == (1, 1)  # 崂山电子 only
    assert found["stats.output"] == Decimal("2400.00")
    assert assert_figures_match_their_lists(client, outsider, section)


def test_without_an_approved_month_the_figures_say_so(dataset, leader, tianlu) -> None:
    list_on(dataset, tianlu)
    form(dataset, tianlu, APPROVED, figures((1000, 8000, 900, 7000)))

    section = section_of(section_module, leader, period=PERIOD)

    assert section is not None
    assert section.figure("stats.output").value == Decimal("800.00")
    assert "not approved" in section.figure("stats.output").note or "审核" in (
        section.figure("stats.output").note
    )


def test_without_any_figures_there_are_only_the_completeness_figures(dataset, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert [f.key for f in section.figures] == [
        "stats.expected",
        "stats.accepted",
        "stats.completeness",
    ]
    assert section.figure("stats.completeness").value is None


def test_money_over_a_hundred_million_is_shown_in_yi() -> None:
    assert section_module.money(Decimal("1234567.8")) == (Decimal("12.35"), "亿元")
    assert section_module.money(Decimal("99990")) == (Decimal("9999.00"), "万元")
    assert section_module.money(None) == (None, "万元")


def test_officials_see_the_section_and_an_enterprise_user_does_not(
    scene, jxj_clerk, enterprise_user, district
) -> None:
    statistician = UserFactory(role=Role.STATISTICS_STAFF, org_unit=district)

    assert values(section_of(section_module, jxj_clerk, period=PERIOD))["stats.expected"] == 3
    assert values(section_of(section_module, statistician, period=PERIOD))["stats.accepted"] == 1
    assert section_of(section_module, enterprise_user, period=PERIOD) is None


def test_the_section_takes_the_same_queries_for_few_and_many_forms(
    dataset, scene, leader, licun, loushan, django_assert_max_num_queries
) -> None:
    def call() -> Any:
        return section_of(section_module, leader, period=PERIOD)

    few = queries_of(call)
    for i in range(12):
        one = enterprise(licun if i % 2 else loushan, name=f"新增企业{i}")
        list_on(dataset, one)
        form(dataset, one, APPROVED, figures((100 + i, 800 + i, 90, 700)))
        form(dataset, one, CURRENT, figures((100 + i, 900 + i)))
    many = queries_of(call)

    assert few == many
    with django_assert_max_num_queries(20):
        call()
    assert values(call())["stats.expected"] == 15
