"""Who sees which appeals, on the list page and over the API alike: an enterprise its own and
those it joined, a department what it leads or co-handles, the service centre and the district
roles the district, a street its street's, an official of another district none; the
administrators are refused."""

from __future__ import annotations

import pytest

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.appeals import selectors, services
from qifu.appeals.tests.factories import AppealFactory
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(flow, ruifeng, laoshan):
    """Four appeals: 天路集团's assigned to 区自然资源局 with 区住建局 co-handling, 天路集团's
    still submitted, 瑞丰气体's (楼山街道) assigned to 区自然资源局 alone, and one of 崂山区."""
    from qifu.core.models import OrgUnit

    led_and_co = flow.assigned()
    waiting = flow.submitted(title="用电增容")
    theirs = services.appeal_assign(
        by=flow.leader,
        appeal=services.appeal_accept(by=flow.leader, appeal=AppealFactory(enterprise=ruifeng)),
        department=flow.lead.department,
    )
    laoshan_enterprise = EnterpriseFactory(
        name="崂山科技有限公司", street=OrgUnit.objects.get(code="370212001"), industry_code="6513"
    )
    elsewhere = AppealFactory(enterprise=laoshan_enterprise)
    return {"led_and_co": led_and_co, "waiting": waiting, "theirs": theirs, "elsewhere": elsewhere}


def names(pool, *keys) -> set[str]:
    return {pool[k].number for k in keys}


DISTRICT = ("led_and_co", "waiting", "theirs")
EXPECTED = {
    "leader": DISTRICT,
    "jxj_clerk": DISTRICT,  # the enterprise service centre sees the district
    "zrj_clerk": ("led_and_co", "theirs"),  # leads both
    "zjj_clerk": ("led_and_co",),  # co-handles one
    "licun_clerk": ("led_and_co", "waiting"),  # 天路集团 is in 李村街道
    "loushan_clerk": ("theirs",),
    "enterprise_user": ("led_and_co", "waiting"),
    "ruifeng_user": ("theirs",),
    "outsider": (),  # 崂山区's leader does not see 李沧区 (its own appeal aside)
}


@pytest.mark.parametrize(("who", "seen"), EXPECTED.items(), ids=list(EXPECTED))
def test_each_role_sees_its_own_appeals_in_the_selector_the_page_and_the_api(
    client, api, request, pool, who, seen
) -> None:
    user = request.getfixturevalue(who)
    expected = names(pool, *seen) | ({pool["elsewhere"].number} if who == "outsider" else set())
    client.force_login(user)
    api.force_authenticate(user)

    selected = {a.number for a in selectors.appeal_list_for_user(user=user)}
    page = client.get("/appeals/")
    listed = {a.number for a in page.context["page"].object_list}
    served = {a["number"] for a in api.get("/api/v1/appeals/").json()["results"]}

    assert selected == listed == served == expected


@pytest.mark.parametrize(("who", "seen"), EXPECTED.items(), ids=list(EXPECTED))
def test_an_appeal_outside_the_scope_is_404_on_the_page_and_the_api(
    client, api, request, pool, who, seen
) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)
    api.force_authenticate(user)

    for key in DISTRICT:
        appeal = pool[key]
        expected = 200 if key in seen else 404
        assert client.get(f"/appeals/{appeal.pk}/").status_code == expected, key
        assert api.get(f"/api/v1/appeals/{appeal.pk}/").status_code == expected, key


@pytest.mark.parametrize("role", [Role.STATISTICS_STAFF, Role.INVESTMENT_STAFF])
def test_the_other_district_roles_see_the_district(district, pool, role) -> None:
    user = UserFactory(role=role, org_unit=district)

    seen = {a.number for a in selectors.appeals_for_user(user=user)}

    assert seen == names(pool, *DISTRICT)


def test_an_enterprise_sees_an_appeal_it_joined(pool, ruifeng_user) -> None:
    services.appeal_join(by=ruifeng_user, appeal=pool["waiting"], note="我们也需要用电增容")

    seen = {a.number for a in selectors.appeals_for_user(user=ruifeng_user)}

    assert seen == names(pool, "theirs", "waiting")


def test_a_department_loses_sight_of_an_appeal_it_disputed(pool, flow) -> None:
    services.appeal_dispute(by=flow.lead, appeal=pool["led_and_co"], reason="非本部门职责")

    seen = {a.number for a in selectors.appeals_for_user(user=flow.lead)}
    co_seen = {a.number for a in selectors.appeals_for_user(user=flow.co)}

    assert seen == names(pool, "theirs")
    assert co_seen == set()


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_are_refused_every_appeals_page(client, api, request, who) -> None:
    user = request.getfixturevalue(who)
    client.force_login(user)
    api.force_authenticate(user)

    for url in (
        "/appeals/",
        "/appeals/inbox/",
        "/appeals/stats/",
        "/appeals/export/",
        "/appeals/new/",
        "/appeals/similar/?title=土地证",
    ):
        assert client.get(url).status_code == 403, url
    assert api.get("/api/v1/appeals/").status_code == 403


def test_anonymous_is_sent_to_the_login_page_from_every_appeals_page(client, org) -> None:
    for url in ("/appeals/", "/appeals/inbox/", "/appeals/stats/", "/appeals/export/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_post_to_a_list_page_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    for url in ("/appeals/", "/appeals/inbox/", "/appeals/stats/", "/appeals/export/"):
        assert client.post(url).status_code == 405, url
