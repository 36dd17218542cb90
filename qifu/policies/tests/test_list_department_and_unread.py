"""Two filters a home links to: the applications to the programmes of one department (what it
reviews), and an enterprise's notices not read yet."""

from __future__ import annotations

import re

import pytest

from qifu.core.models import Department
from qifu.policies import selectors, services

pytestmark = pytest.mark.django_db


def _count(html: str) -> int:
    found = re.search(r'data-testid="result-count"[^>]*>\s*(\d+)', html)
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def applications(make_programme, programme, zrj_clerk, enterprise_user, tianlu, district):
    """天路集团 applies to 经信局's programme and to one of 自然资源局."""
    zrj = Department.objects.get(district=district, code="zrj")
    other = make_programme(by=zrj_clerk, department=zrj, title="2026年度土地集约利用奖励")
    services.application_apply(by=enterprise_user, programme=programme, enterprise=tianlu)
    services.application_apply(by=enterprise_user, programme=other, enterprise=tianlu)
    return programme, other


def test_the_applications_of_one_departments_programmes(
    client, jxj_clerk, jxj, applications
) -> None:
    client.force_login(jxj_clerk)

    html = client.get(f"/policies/applications/?status=applied&department={jxj.pk}").content

    assert _count(html.decode()) == 1
    assert "2026年度土地集约利用奖励" not in html.decode()
    assert _count(client.get("/policies/applications/?status=applied").content.decode()) == 2


def test_the_selector_filters_by_the_programmes_department(jxj_clerk, jxj, applications) -> None:
    found = selectors.application_list_for_user(
        user=jxj_clerk, filters=selectors.ApplicationFilters(department=jxj.pk)
    )

    assert [a.programme.department_id for a in found] == [jxj.pk]


def test_a_department_of_another_district_is_refused(client, jxj_clerk, laoshan) -> None:
    other = Department.objects.get(district=laoshan, code="jxj")
    client.force_login(jxj_clerk)

    response = client.get(f"/policies/applications/?department={other.pk}")

    assert response.status_code == 400


@pytest.fixture
def notices(jxj_clerk, enterprise_user, tianlu):
    first, _created = services.notice_send(
        by=jxj_clerk,
        title="关于申报技术创新项目的通知",
        body="请符合条件的企业申报。",
        target={"key": True},
    )
    services.notice_send(
        by=jxj_clerk, title="关于开展安全生产检查的通知", body="请做好自查。", target={"key": True}
    )
    delivery = selectors.deliveries_for_user(user=enterprise_user).get(notice=first)
    services.delivery_read(by=enterprise_user, delivery=delivery)


def test_an_enterprise_sees_its_unread_notices(client, enterprise_user, notices) -> None:
    client.force_login(enterprise_user)

    unread = client.get("/policies/notices/?unread=1").content.decode()
    every = client.get("/policies/notices/").content.decode()

    assert _count(unread) == 1
    assert "关于开展安全生产检查的通知" in unread
    assert "关于申报技术创新项目的通知" not in unread
    assert _count(every) == 2


def test_the_selector_leaves_the_read_ones_out(enterprise_user, notices) -> None:
    assert selectors.deliveries_for_user(user=enterprise_user, unread_only=True).count() == 1
    assert selectors.deliveries_for_user(user=enterprise_user).count() == 2
