"""The command centre's appeals section: received and resolved (closed) in the period, open and
overdue now, the on-time and satisfaction rates and the line 为企业解决实际问题 N 类、M 项.

Each count links to the appeals list filtered the same way, whose `result-count` is the figure;
the rates link to the appeal figures page with the same period, street and zone. The last test
builds the demo once and checks every figure of the enterprises, visits and appeals sections for
the demo's `leader` and `licun` (the figure the Playwright journey clicks is `appeals.overdue`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from qifu.appeals.models import Appeal, Satisfaction, Status
from qifu.appeals.tests.factories import AppealFactory, category
from qifu.core.models import OrgUnit
from qifu.dashboard.figures import Section
from qifu.dashboard.sections import appeals as section_module
from qifu.dashboard.selectors import filters_for
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    values,
)
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = "2025Q3"  # 2025-07-01 … 2025-09-30
COUNTS = ("appeals.received", "appeals.open", "appeals.overdue", "appeals.resolved")


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def section_for(user: Any, **params: str) -> Section:
    found = section_module.section(user=user, filters=filters_for(user=user, params=params))
    assert found is not None
    return found


def appeal(enterprise: Any, submitted: dt.datetime, status: str, **fields: Any) -> Appeal:
    """An appeal submitted at `submitted`, put directly into `status` with `fields`."""
    made = AppealFactory(enterprise=enterprise, category=category(fields.pop("code", "land")))
    Appeal.objects.filter(pk=made.pk).update(status=status, submitted_at=submitted, **fields)
    made.refresh_from_db()
    return made


@pytest.fixture
def appeals(tianlu, ruifeng, laoshan) -> dict[str, Appeal]:
    """Appeals of 李村街道 (天路集团) and 楼山街道 (瑞丰气体) around 2025Q3, and one of 崂山区.

    A1 李村 received 07-10, closed 08-01 (on time, satisfied, resolved)
    A2 李村 received 09-30 23:30, in progress, overdue
    A3 李村 received 06-30 23:30 (the quarter before), assigned, not overdue
    A4 楼山 received 08-15, closed 10-02 (after the quarter; late, dissatisfied, unresolved)
    A5 楼山 received 05-01, closed 07-01 00:30 (in the quarter)
    A6 楼山 received 07-01 00:30, submitted, overdue
    A7 楼山 received 04-01, closed 09-01 as a duplicate with its overdue flag still set
    A8 楼山 received 03-01, closed 06-30 23:30 (the quarter before)
    L1 崂山 received 08-01, submitted, overdue: the outsider's
    """
    laoshan_enterprise = EnterpriseFactory(
        name="崂山科技有限公司", street=OrgUnit.objects.get(code="370212001")
    )
    closed = {"status": Status.CLOSED}
    return {
        "A1": appeal(
            tianlu,
            at("2025-07-10"),
            **closed,
            closed_at=at("2025-08-01"),
            replied_at=at("2025-07-25"),
            replied_on_time=True,
            satisfaction=Satisfaction.SATISFIED,
            resolved=True,
        ),
        "A2": appeal(tianlu, at("2025-09-30", "23:30"), Status.IN_PROGRESS, overdue=True),
        "A3": appeal(tianlu, at("2025-06-30", "23:30"), Status.ASSIGNED),
        "A4": appeal(
            ruifeng,
            at("2025-08-15"),
            **closed,
            code="finance",
            closed_at=at("2025-10-02"),
            replied_at=at("2025-09-25"),
            replied_on_time=False,
            satisfaction=Satisfaction.DISSATISFIED,
            resolved=False,
        ),
        "A5": appeal(
            ruifeng, at("2025-05-01"), **closed, closed_at=at("2025-07-01", "00:30"), resolved=True
        ),
        "A6": appeal(ruifeng, at("2025-07-01", "00:30"), Status.SUBMITTED, overdue=True),
        "A7": appeal(ruifeng, at("2025-04-01"), **closed, closed_at=at("2025-09-01"), overdue=True),
        "A8": appeal(
            ruifeng, at("2025-03-01"), **closed, closed_at=at("2025-06-30", "23:30"), resolved=True
        ),
        "L1": appeal(laoshan_enterprise, at("2025-08-01"), Status.SUBMITTED, overdue=True),
    }


def test_the_leader_sees_the_districts_appeals_of_the_period_and_of_now(appeals, leader) -> None:
    section = section_for(leader, period=PERIOD)

    assert section.key == "appeals"
    assert values(section) == {
        "appeals.received": 4,  # A1, A2, A4, A6
        "appeals.open": 3,  # A2, A3, A6
        "appeals.overdue": 2,  # A2, A6 (A7 is closed)
        "appeals.resolved": 3,  # A1, A5, A7 (A4 closed after the quarter)
        "appeals.on_time_rate": 50.0,  # of A1 and A4, replied
        "appeals.satisfaction_rate": 50.0,  # of A1 and A4, rated
    }
    with translation.override("zh-hans"):
        section = section_for(leader, period=PERIOD)
    assert section.lines == ["为企业解决实际问题 1 类、1 项"]  # A1, received in the quarter


@pytest.mark.parametrize("who", ["leader", "licun_clerk", "jxj_clerk"])
def test_each_count_equals_the_count_of_its_list(appeals, client, request, who) -> None:
    user = request.getfixturevalue(who)
    assert (
        len(assert_figures_match_their_lists(client, user, section_for(user, period=PERIOD))) == 4
    )


def test_a_department_counts_the_appeals_it_handles(appeals, client, zrj_clerk) -> None:
    # 区自然资源局 leads A2 only: its figures and lists show what its appeal pages show it
    Appeal.objects.filter(pk=appeals["A2"].pk).update(lead_department=zrj_clerk.department)
    section = section_for(zrj_clerk, period=PERIOD)

    assert {k: values(section)[k] for k in COUNTS} == {
        "appeals.received": 1,
        "appeals.open": 1,
        "appeals.overdue": 1,
        "appeals.resolved": 0,
    }
    assert len(assert_figures_match_their_lists(client, zrj_clerk, section)) == 4


def test_a_year_counts_the_whole_year(appeals, client, leader) -> None:
    section = section_for(leader, period="2025")

    assert values(section)["appeals.received"] == 8  # all but 崂山's
    assert values(section)["appeals.resolved"] == 5
    assert len(assert_figures_match_their_lists(client, leader, section)) == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"zone": "west"}, {"received": 2, "open": 1, "overdue": 1, "resolved": 2}),
        ({"zone": "east"}, {"received": 0, "open": 0, "overdue": 0, "resolved": 0}),
        ({"street": "370213007"}, {"received": 2, "open": 2, "overdue": 1, "resolved": 1}),
    ],
)
def test_a_zone_or_a_street_filters_every_figure_and_its_list(
    appeals, client, leader, params, expected
) -> None:
    section = section_for(leader, period=PERIOD, **params)

    assert {k: values(section)[f"appeals.{k}"] for k in expected} == expected
    ((name, code),) = params.items()
    assert all(f"{name}={code}" in f.url for f in section.figures)
    assert len(assert_figures_match_their_lists(client, leader, section)) == 4


def test_a_street_clerk_counts_only_their_street(appeals, client, licun_clerk) -> None:
    section = section_for(licun_clerk, period=PERIOD, zone="west")  # the zone is ignored

    assert values(section) == {
        "appeals.received": 2,  # A1, A2
        "appeals.open": 2,  # A2, A3
        "appeals.overdue": 1,  # A2
        "appeals.resolved": 1,  # A1
        "appeals.on_time_rate": 100.0,
        "appeals.satisfaction_rate": 100.0,
    }
    assert all("street=370213007" in f.url for f in section.figures)


def test_the_rates_link_to_the_figures_page_filtered_the_same_way(appeals, client, leader) -> None:
    section = section_for(leader, period=PERIOD, zone="west")
    client.force_login(leader)

    response = client.get(section.figure("appeals.on_time_rate").url)

    assert response.status_code == 200
    assert section.figure("appeals.on_time_rate").url.startswith("/appeals/stats/?")
    figures = response.context["figures"]
    assert figures["total"]["received"] == 2  # A4 and A6 of 楼山街道
    assert figures["total"]["on_time_rate"] == section.figure("appeals.on_time_rate").value == 0.0


def test_the_outsider_sees_none_of_the_districts_numbers(appeals, outsider) -> None:
    section = section_for(outsider, period=PERIOD)

    assert values(section)["appeals.received"] == 1  # 崂山's own
    assert values(section)["appeals.overdue"] == 1
    assert values(section)["appeals.resolved"] == 0
    assert values(section)["appeals.on_time_rate"] is None


def test_the_administrators_have_no_appeals_section(sysadmin) -> None:
    from qifu.dashboard.figures import Filters
    from qifu.lib.quarters import Span

    assert section_module.section(user=sysadmin, filters=Filters(None, Span(2025, 3))) is None


def test_the_section_reads_the_same_number_of_queries_for_few_and_many_rows(
    tianlu, leader, django_assert_max_num_queries
) -> None:
    filters = filters_for(user=leader, params={"period": PERIOD})
    with django_assert_max_num_queries(2):
        few = section_module.section(user=leader, filters=filters)
    for n in range(12):
        appeal(
            tianlu,
            at("2025-08-01"),
            Status.CLOSED,
            code=["land", "finance"][n % 2],
            closed_at=at("2025-08-20"),
            replied_at=at("2025-08-10"),
            replied_on_time=n % 3 != 0,
            satisfaction=Satisfaction.SATISFIED,
            resolved=True,
        )
    with django_assert_max_num_queries(2):
        many = section_module.section(user=leader, filters=filters)
    assert few is not None and many is not None
    assert values(many)["appeals.received"] == 12
    assert values(many)["appeals.on_time_rate"] == 66.7


# --- the demo ----------------------------------------------------------------------------------


def test_on_the_demo_every_figure_of_the_three_sections_equals_its_list(client) -> None:
    """The demo, built once: the leader's and the 李村街道 clerk's figures of the enterprises,
    visits and appeals sections each equal the count of their list."""
    from qifu.accounts.models import User
    from qifu.core import demo
    from qifu.dashboard.sections import enterprises, visits

    demo.build()
    leader, licun = User.objects.get(username="leader"), User.objects.get(username="licun")
    for user in (leader, licun):
        for module in (enterprises, visits, section_module):
            section = module.section(user=user, filters=filters_for(user=user, params={}))
            assert section is not None, module
            assert len(assert_figures_match_their_lists(client, user, section)) >= 3, section.key
    board = section_for(leader)
    # the figure the Playwright journey clicks has something to show
    assert board.figure("appeals.overdue").value > 0  # type: ignore[operator]
    assert board.figure("appeals.received").value > 0  # type: ignore[operator]
    assert board.lines and board.lines[0]
