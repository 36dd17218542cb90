"""The command centre's visits section: the coverage of the period (assigned, visited, the rate),
the visits dated in the period and the red flags open now.

The assigned and visited figures link to the coverage page, whose list of assigned enterprises
(all, or `visited=yes`) has the figure's `result-count`; the visits to the visit list (final, dated
in the period); the red flags to the red flags list. Each is within the user's scope, of the
street or the zone asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qifu.core.models import OrgUnit
from qifu.dashboard.figures import Section
from qifu.dashboard.sections import visits as section_module
from qifu.dashboard.selectors import filters_for
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    values,
)
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.visits import services
from qifu.visits.models import Visit
from qifu.visits.tests.conftest import CALM_ANSWERS

pytestmark = pytest.mark.django_db

D = dt.date
PERIOD = "2026Q3"  # 2026-07-01 … 2026-09-30
JIUSHUI = "370213011"  # 九水街道, the east zone
COUNTS = ("visits.assigned", "visits.visited", "visits.recorded", "visits.red_flags_open")


def section_for(user: Any, **params: str) -> Section:
    found = section_module.section(user=user, filters=filters_for(user=user, params=params))
    assert found is not None
    return found


def record(official: Any, enterprises: list[Any], day: dt.date, *, complete: bool = True) -> Visit:
    data = services.VisitInput(
        enterprises=enterprises,
        officials=[official],
        date=day,
        notes="了解生产经营情况",
        answers=dict(CALM_ANSWERS) if len(enterprises) == 1 else {},
    )
    visit, _created = services.visit_save(by=official, data=data, complete=complete)
    return visit


def assign(by: Any, official: Any, **target: Any) -> None:
    services.assignment_create(by=by, official=official, starts_on=D(2026, 1, 1), **target)


@pytest.fixture
def visited(tianlu, ruifeng, leader, licun_clerk, outsider) -> dict[str, Any]:
    """2026Q3 in 李沧区 (and 崂山区):

    assigned: 李村街道's key enterprises (天路集团, 海湾化工) to the 李村 clerk; 瑞丰气体 (楼山,
    west) and 九水街道's key enterprise (east) to the leader;
    visits: 天路集团 08-05 and 瑞丰气体 09-30 (in the quarter), 海湾化工 06-20 (before),
    九水 10-09 (after), 李村小微商贸 07-15 (not assigned), a draft to 李村小微商贸 08-10;
    red flags open: 天路集团, 瑞丰气体, and 崂山's; one of 李村 resolved.
    """
    licun = tianlu.street
    jiushui = OrgUnit.objects.get(code=JIUSHUI)
    haiwan = EnterpriseFactory(name="海湾化工", street=licun, is_key=True)
    small = EnterpriseFactory(name="李村小微商贸", street=licun)
    east = EnterpriseFactory(name="九水重点企业", street=jiushui, is_key=True)
    laoshan_enterprise = EnterpriseFactory(
        name="崂山科技有限公司", street=OrgUnit.objects.get(code="370212001"), is_key=True
    )
    assign(licun_clerk, licun_clerk, street=licun)
    assign(leader, leader, enterprise=ruifeng)
    assign(leader, leader, street=jiushui)
    record(licun_clerk, [tianlu], D(2026, 8, 5))
    record(leader, [ruifeng], D(2026, 9, 30))
    record(licun_clerk, [haiwan], D(2026, 6, 20))
    record(leader, [east], D(2026, 10, 9))
    record(leader, [small], D(2026, 7, 15))
    record(licun_clerk, [small], D(2026, 8, 10), complete=False)
    services.red_flag_raise(by=licun_clerk, enterprise=tianlu, kind="financing", note="贷款到期")
    services.red_flag_raise(by=leader, enterprise=ruifeng, kind="layoffs", note="计划裁员")
    done = services.red_flag_raise(by=licun_clerk, enterprise=haiwan, kind="other", note="搬迁")
    services.red_flag_resolve(by=leader, flag=done, resolution="已协调解决")
    services.red_flag_raise(
        by=outsider, enterprise=laoshan_enterprise, kind="sales_drop", note="订单下滑"
    )
    return {"haiwan": haiwan, "small": small, "east": east}


def test_the_leader_sees_the_districts_coverage_visits_and_red_flags(visited, leader) -> None:
    section = section_for(leader, period=PERIOD)

    assert section.key == "visits"
    assert values(section) == {
        "visits.coverage_rate": 50.0,
        "visits.assigned": 4,  # 天路集团, 海湾化工, 瑞丰气体, 九水重点企业
        "visits.visited": 2,  # 天路集团, 瑞丰气体
        "visits.recorded": 3,  # 天路集团, 瑞丰气体, 李村小微商贸 (final, in the quarter)
        "visits.red_flags_open": 2,
    }
    assert section.figure("visits.coverage_rate").note == "2/4"
    assert section.charts[0]["categories"][0] == "振华路街道"  # every street of the district


@pytest.mark.parametrize("who", ["leader", "licun_clerk"])
def test_each_count_equals_the_count_of_its_list(visited, client, request, who) -> None:
    user = request.getfixturevalue(who)
    assert (
        len(assert_figures_match_their_lists(client, user, section_for(user, period=PERIOD))) == 4
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"zone": "west"}, (1, 1, 1, 1)),  # 瑞丰气体
        ({"zone": "east"}, (1, 0, 0, 0)),  # 九水: visited after the quarter
        ({"street": "370213007"}, (2, 1, 2, 1)),  # 李村街道
    ],
)
def test_a_zone_or_a_street_filters_every_figure_and_its_list(
    visited, client, leader, params, expected
) -> None:
    section = section_for(leader, period=PERIOD, **params)

    assert tuple(values(section)[key] for key in COUNTS) == expected
    assert len(assert_figures_match_their_lists(client, leader, section)) == 4


def test_a_street_clerk_counts_only_their_street(visited, client, licun_clerk) -> None:
    section = section_for(licun_clerk, period=PERIOD, zone="west")  # the zone is ignored

    assert values(section) == {
        "visits.coverage_rate": 50.0,
        "visits.assigned": 2,  # 天路集团, 海湾化工
        "visits.visited": 1,
        "visits.recorded": 2,  # their 天路集团 and the leader's 李村小微商贸; not their draft
        "visits.red_flags_open": 1,
    }
    assert section.charts[0]["categories"] == ["李村街道"]


def test_a_year_counts_the_whole_year(visited, client, leader) -> None:
    section = section_for(leader, period="2026")

    assert tuple(values(section)[key] for key in COUNTS) == (4, 4, 5, 2)
    assert len(assert_figures_match_their_lists(client, leader, section)) == 4


def test_the_outsider_sees_none_of_the_districts_numbers(visited, outsider) -> None:
    section = section_for(outsider, period=PERIOD)

    assert values(section) == {
        "visits.coverage_rate": None,
        "visits.assigned": 0,
        "visits.visited": 0,
        "visits.recorded": 0,
        "visits.red_flags_open": 1,  # 崂山's own
    }


def test_roles_without_visits_have_no_visits_section(enterprise_user, sysadmin) -> None:
    from qifu.dashboard.figures import Filters
    from qifu.lib.quarters import Span

    for user in (enterprise_user, sysadmin):
        assert section_module.section(user=user, filters=Filters(None, Span(2026, 3))) is None


def test_the_section_reads_the_same_number_of_queries_for_few_and_many_rows(
    tianlu, leader, licun_clerk, django_assert_max_num_queries
) -> None:
    filters = filters_for(user=leader, params={"period": PERIOD})
    assign(licun_clerk, licun_clerk, street=tianlu.street, key_only=False)
    record(licun_clerk, [tianlu], D(2026, 8, 5))
    budget = 10
    with django_assert_max_num_queries(budget):
        few = section_module.section(user=leader, filters=filters)
    for n in range(15):
        enterprise = EnterpriseFactory(street=tianlu.street, is_key=n % 2 == 0)
        record(licun_clerk, [enterprise], D(2026, 7, 1) + dt.timedelta(days=n))
        services.red_flag_raise(by=licun_clerk, enterprise=enterprise, kind="other", note="风险")
    with django_assert_max_num_queries(budget):
        many = section_module.section(user=leader, filters=filters)
    assert few is not None and many is not None
    assert values(many)["visits.visited"] == 16
    assert values(many)["visits.red_flags_open"] == 15
