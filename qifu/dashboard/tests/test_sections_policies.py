"""The command centre's policies section: programmes open now, applications in the period and the
funds received (万元).

Programmes belong to the district (no street filter applies to them); applications and funds are
counted through the enterprise's street. The open programmes link to the programme list
(published, window open today), the applications to the application list (submitted in the
period, without the withdrawn ones) and the funds to the figures page of the period.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import Department, OrgUnit
from qifu.dashboard.sections import policies as section_module
from qifu.dashboard.tests.listcounts import (
    assert_figures_match_their_lists,
    queries_of,
    section_of,
    values,
)
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.policies.models import (
    Application,
    ApplicationStatus,
    Origin,
    Policy,
    Programme,
    ProgrammeStatus,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = "2025Q3"
COUNTS = ["policies.open", "policies.applications"]


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=SHANGHAI)


def programme(
    department: Department, by: Any, opens: dt.date, closes: dt.date, **fields: Any
) -> Programme:
    policy = Policy.objects.create(
        title="关于支持企业技术创新的若干政策",
        level="district",
        issuer="人民政府",
        issued_on=dt.date(2025, 1, 10),
        department=department,
        created_by=by,
    )
    return Programme.objects.create(
        policy=policy,
        title=fields.pop("title", "技术创新项目"),
        window_opens=opens,
        window_closes=closes,
        department=department,
        status=fields.pop("status", ProgrammeStatus.PUBLISHED),
        created_by=by,
        **fields,
    )


def apply(
    programme: Programme, enterprise: Any, by: Any, submitted: dt.datetime, **fields: Any
) -> Application:
    return Application.objects.create(
        programme=programme,
        enterprise=enterprise,
        origin=Origin.APPLIED,
        status=fields.pop("status", ApplicationStatus.APPLIED),
        submitted_by=by,
        submitted_at=submitted,
        **fields,
    )


@pytest.fixture
def scene(leader, outsider, tianlu, ruifeng, licun, district, laoshan) -> dict[str, Any]:
    """李沧区: one programme open now (another one open now but a draft, one not yet open), one of
    2025Q3 with three applications (天路集团 funded 30万元 in August, 瑞丰气体 on the last evening
    of September, 李村机械 withdrawn), and an application to the open one on 1 October. 崂山区: a
    programme open now with one application in August."""
    today = timezone.localdate()
    jxj = Department.objects.get(district=district, code="jxj")
    now_open = programme(jxj, leader, today - dt.timedelta(days=5), today + dt.timedelta(days=10))
    programme(
        jxj,
        leader,
        today - dt.timedelta(days=5),
        today + dt.timedelta(days=10),
        status=ProgrammeStatus.DRAFT,
    )
    programme(jxj, leader, today + dt.timedelta(days=30), today + dt.timedelta(days=60))
    summer = programme(jxj, leader, dt.date(2025, 7, 1), dt.date(2025, 8, 31), title="2025年项目")
    second = EnterpriseFactory(street=licun, name="李村机械")
    apply(
        summer,
        tianlu,
        leader,
        at("2025-08-10"),
        status=ApplicationStatus.FUNDED,
        funds_amount=Decimal("30"),
    )
    apply(summer, ruifeng, leader, at("2025-09-30", "23:30"))
    apply(summer, second, leader, at("2025-07-15"), status=ApplicationStatus.WITHDRAWN)
    apply(now_open, tianlu, leader, at("2025-10-01", "00:10"), funds_amount=Decimal("5"))
    laoshan_jxj = Department.objects.get(district=laoshan, code="jxj")
    far_programme = programme(
        laoshan_jxj, outsider, today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    )
    far = EnterpriseFactory(street=OrgUnit.objects.get(code="370212001"), name="崂山电子")
    apply(far_programme, far, outsider, at("2025-08-01"))
    return {"summer": summer, "now_open": now_open, "second": second}


def test_the_figures_of_the_period(scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert values(section) == {
        "policies.open": 1,
        "policies.applications": 2,  # 天路集团 and 瑞丰气体 (withdrawn and October left out)
        "policies.funds": Decimal("30"),
    }
    assert section.figure("policies.funds").counts_list is False
    assert section.figure("policies.funds").unit == "万元"


def test_each_count_equals_the_count_of_its_list(client, scene, leader) -> None:
    section = section_of(section_module, leader, period=PERIOD)

    assert assert_figures_match_their_lists(client, leader, section) == COUNTS


def test_the_funds_link_to_the_figures_page_of_the_period_which_shows_them(
    client, scene, leader
) -> None:
    figure = section_of(section_module, leader, period=PERIOD).figure("policies.funds")
    client.force_login(leader)

    response = client.get(figure.url)

    assert response.status_code == 200
    assert "period=2025Q3" in figure.url
    assert response.context["figures"].total.funds == figure.value


def test_a_street_filter_applies_to_applications_and_funds_not_to_programmes(
    client, scene, leader, licun, loushan
) -> None:
    at_licun = section_of(section_module, leader, period=PERIOD, street=licun.code)
    at_loushan = section_of(section_module, leader, period=PERIOD, street=loushan.code)

    assert values(at_licun) == {
        "policies.open": 1,
        "policies.applications": 1,
        "policies.funds": Decimal("30"),
    }
    assert values(at_loushan) == {
        "policies.open": 1,
        "policies.applications": 1,
        "policies.funds": Decimal("0"),
    }
    assert at_licun.figure("policies.open").note  # says the programmes are the district's
    assert assert_figures_match_their_lists(client, leader, at_licun) == COUNTS
    assert assert_figures_match_their_lists(client, leader, at_loushan) == COUNTS


def test_a_zone_filter_counts_the_zones_applications(client, scene, leader, ruifeng) -> None:
    section = section_of(section_module, leader, period=PERIOD, zone=ruifeng.street.zone.code)

    assert values(section)["policies.applications"] == 1
    assert assert_figures_match_their_lists(client, leader, section) == COUNTS


def test_a_street_clerk_counts_only_the_streets_applications(
    client, scene, licun_clerk, loushan
) -> None:
    section = section_of(section_module, licun_clerk, period=PERIOD, street=loushan.code)

    assert values(section) == {
        "policies.open": 1,
        "policies.applications": 1,
        "policies.funds": Decimal("30"),
    }
    assert assert_figures_match_their_lists(client, licun_clerk, section) == COUNTS


def test_the_outsider_sees_none_of_the_districts_numbers(client, scene, outsider) -> None:
    section = section_of(section_module, outsider, period=PERIOD)

    assert values(section) == {
        "policies.open": 1,  # 崂山区's own programme
        "policies.applications": 1,
        "policies.funds": Decimal("0"),
    }
    assert assert_figures_match_their_lists(client, outsider, section) == COUNTS


def test_an_enterprise_user_and_the_administrators_have_no_section(
    scene, enterprise_user, sysadmin
) -> None:
    assert section_of(section_module, enterprise_user, period=PERIOD) is None
    assert section_of(section_module, sysadmin, period=PERIOD) is None


def test_the_section_takes_the_same_queries_for_few_and_many_applications(
    scene, leader, licun, django_assert_max_num_queries
) -> None:
    def call() -> Any:
        return section_of(section_module, leader, period=PERIOD)

    few = queries_of(call)
    for i in range(15):
        one = EnterpriseFactory(street=licun)
        apply(scene["summer"], one, leader, at("2025-08-20"), funds_amount=Decimal(i))
    many = queries_of(call)

    assert few == many
    with django_assert_max_num_queries(3):
        call()
    assert values(call())["policies.applications"] == 17


def test_a_department_clerk_counts_the_district(scene, jxj_clerk, zrj_clerk) -> None:
    assert (
        values(section_of(section_module, jxj_clerk, period=PERIOD))["policies.applications"] == 2
    )
    assert values(section_of(section_module, zrj_clerk, period=PERIOD))["policies.open"] == 1


def test_a_department_of_another_district_does_not_count_here(scene, laoshan) -> None:
    clerk = UserFactory(
        role="department_staff",
        org_unit=laoshan,
        department=Department.objects.get(district=laoshan, code="jxj"),
    )

    assert values(section_of(section_module, clerk, period=PERIOD))["policies.funds"] == 0
