"""The command centre's enterprises section: the operating enterprises of the scope now, in all,
above scale, key and per street, each figure a link to the enterprise list filtered the same way,
whose count (`result-count`) is the figure.

The cast comes from qifu/conftest.py: `leader` (李沧区), `licun_clerk` (李村街道 only), `outsider`
(崂山区's leader, who sees nothing of 李沧区), and `tianlu` / `ruifeng`.
"""

from __future__ import annotations

from typing import Any

import pytest

from qifu.core.models import OrgUnit
from qifu.dashboard.figures import Section
from qifu.dashboard.sections import enterprises as section_module
from qifu.dashboard.selectors import filters_for
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
)
from qifu.enterprises.models import Kind, Status
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

JIUSHUI = "370213011"  # 九水街道, the east zone


def section_for(user: Any, **params: str) -> Section:
    found = section_module.section(user=user, filters=filters_for(user=user, params=params))
    assert found is not None
    return found


@pytest.fixture
def registry(tianlu, ruifeng, laoshan) -> None:
    """李村街道: 天路集团 (above scale, key), a key bank, a small shop, a closed store;
    楼山街道: 瑞丰气体 (above scale), a relocated plant (above scale); 九水街道: a key enterprise;
    崂山区: an above-scale key enterprise (the outsider's)."""
    licun, loushan = tianlu.street, ruifeng.street
    jiushui = OrgUnit.objects.get(code=JIUSHUI)
    EnterpriseFactory(name="青岛银行李沧支行", street=licun, kind=Kind.FINANCIAL, is_key=True)
    EnterpriseFactory(name="李村小商店", street=licun)
    EnterpriseFactory(name="李村百货商店", street=licun, status=Status.CLOSED, is_above_scale=True)
    EnterpriseFactory(
        name="楼山搬迁厂", street=loushan, status=Status.RELOCATED, is_above_scale=True
    )
    EnterpriseFactory(name="九水重点企业", street=jiushui, is_key=True)
    EnterpriseFactory(
        name="崂山科技有限公司",
        street=OrgUnit.objects.get(code="370212001"),
        is_above_scale=True,
        is_key=True,
    )


def test_the_leader_sees_the_districts_operating_enterprises(registry, leader) -> None:
    section = section_for(leader)

    assert section.key == "enterprises"
    assert section.figure("enterprises.total").value == 5
    assert section.figure("enterprises.above_scale").value == 2
    assert section.figure("enterprises.key").value == 3
    streets = [f for f in section.figures if f.key.startswith("enterprises.street.")]
    assert len(streets) == 11  # every street of 李沧区, even those with no enterprise
    assert section.figure("enterprises.street.370213007").value == 3
    assert section.figure("enterprises.street.370213006").value == 1
    assert section.figure(f"enterprises.street.{JIUSHUI}").value == 1
    assert section.figure("enterprises.street.370213001").value == 0
    assert sum(f.value for f in streets) == 5  # type: ignore[misc]


@pytest.mark.parametrize("who", ["leader", "licun_clerk"])
def test_each_figure_equals_the_count_of_its_list(registry, client, request, who) -> None:
    user = request.getfixturevalue(who)
    assert_figures_match_their_lists(client, user, section_for(user))


@pytest.mark.parametrize(
    ("params", "total", "streets"),
    [
        ({"zone": "central"}, 3, 4),  # 李村 (3), 虎山路, 浮山路, 湘潭路
        ({"zone": "east"}, 1, 1),  # 九水
        ({"street": "370213006"}, 1, 1),  # 楼山: 瑞丰气体 (the relocated plant is not counted)
    ],
)
def test_a_zone_or_a_street_filters_every_figure_and_its_list(
    registry, client, leader, params, total, streets
) -> None:
    section = section_for(leader, **params)

    assert section.figure("enterprises.total").value == total
    assert len([f for f in section.figures if f.key.startswith("enterprises.street.")]) == streets
    ((name, value),) = params.items()
    for key in ("enterprises.total", "enterprises.above_scale", "enterprises.key"):
        assert f"{name}={value}" in section.figure(key).url
    assert_figures_match_their_lists(client, leader, section)


def test_a_street_clerk_counts_only_their_street(registry, client, licun_clerk) -> None:
    # even when asking for another street, a street clerk's street stays their own
    section = section_for(licun_clerk, street="370213006")

    assert section.figure("enterprises.total").value == 3
    assert section.figure("enterprises.above_scale").value == 1
    assert section.figure("enterprises.key").value == 2
    assert [f.key for f in section.figures if f.key.startswith("enterprises.street.")] == [
        "enterprises.street.370213007"
    ]
    assert_figures_match_their_lists(client, licun_clerk, section)


def test_the_outsider_sees_none_of_the_districts_numbers(registry, outsider) -> None:
    section = section_for(outsider)

    assert section.figure("enterprises.total").value == 1  # 崂山科技, its own district's
    streets = [f.key for f in section.figures if f.key.startswith("enterprises.street.")]
    assert streets == ["enterprises.street.370212001"]
    assert not any("370213" in f.url for f in section.figures)


def test_the_administrators_have_no_enterprises_section(sysadmin) -> None:
    from qifu.dashboard.figures import Filters
    from qifu.lib.quarters import Span

    filters = Filters(district=None, span=Span(2026, 1))
    assert section_module.section(user=sysadmin, filters=filters) is None


def test_the_section_reads_the_same_number_of_queries_for_few_and_many_rows(
    tianlu, leader, django_assert_max_num_queries
) -> None:
    filters = filters_for(user=leader, params={})
    with django_assert_max_num_queries(2):
        few = section_module.section(user=leader, filters=filters)
    for n in range(30):
        EnterpriseFactory(street=tianlu.street, is_key=n % 2 == 0, is_above_scale=n % 3 == 0)
    with django_assert_max_num_queries(2):
        many = section_module.section(user=leader, filters=filters)
    assert few is not None and many is not None
    assert many.figure("enterprises.total").value == 31
