"""/appeals/similar/ (an htmx partial, also a page): the five most similar appeals shown while one
is being written; an enterprise may add its case to one of them instead (join)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from qifu.appeals import services
from qifu.appeals.models import Appeal, JoinedCase, Status
from qifu.appeals.tests.factories import AppealFactory, category
from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

URL = "/appeals/similar/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def land(flow, tianlu):
    """天路集团's appeals: four about land and property certificates, one about financing, one
    about hiring."""
    titles = [
        ("厂房土地证办不下来", "老厂房建成多年一直没有土地证"),
        ("房产证办理难", "新建办公楼的房产证迟迟办不下来"),
        ("土地证面积与房产证不一致", "土地证和房产证面积对不上"),
        ("仓库土地证过户", "收购的仓库土地证无法过户"),
        ("融资难", "扩大生产需要贷款，银行授信不足"),
        ("招工难", "缺少数控机床操作工"),
    ]
    return [
        AppealFactory(enterprise=tianlu, title=title, description=text, category=category("land"))
        for title, text in titles
    ]


def similar(client, **query) -> list[str]:
    response = client.get(URL, query, **HTMX)
    assert response.status_code == 200
    return [m["appeal"].title for m in response.context["matches"]]


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL, {"title": "土地证"})

    assert response.status_code == 302


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post(URL, {"title": "土地证"}).status_code == 405


def test_an_official_writing_about_land_sees_the_land_appeals_first(
    client, licun_clerk, land
) -> None:
    client.force_login(licun_clerk)

    shown = similar(client, title="厂房土地证", description="我们的土地证一直办不下来")

    assert shown[0] == "厂房土地证办不下来"
    assert set(shown[:4]) == {
        "厂房土地证办不下来",
        "房产证办理难",
        "土地证面积与房产证不一致",
        "仓库土地证过户",
    }
    assert "招工难" not in shown


def test_at_most_five_are_shown_best_first(client, leader, tianlu) -> None:
    for n in range(8):
        AppealFactory(enterprise=tianlu, title=f"厂房土地证问题{n}", description="土地证办不下来")
    client.force_login(leader)

    response = client.get(URL, {"title": "厂房土地证办不下来"}, **HTMX)

    scores = [m["score"] for m in response.context["matches"]]
    assert len(scores) == 5
    assert scores == sorted(scores, reverse=True)


def test_the_partial_is_a_fragment_and_the_page_a_whole_page(client, leader, land) -> None:
    client.force_login(leader)

    partial = client.get(URL, {"title": "土地证办不下来"}, **HTMX).content.decode()
    page = client.get(URL, {"title": "土地证办不下来"}).content.decode()

    assert partial.lstrip().startswith('<div id="similar-appeals"')
    assert "<html" not in partial
    assert "<html" in page
    assert land[0].number in partial and land[0].number in page
    assert zh("Similar appeals already made") in page


def test_a_text_too_short_finds_nothing(client, leader, land) -> None:
    client.force_login(leader)

    assert similar(client, title="土地") == []


def test_returned_appeals_are_not_suggested(client, flow, land) -> None:
    services.appeal_return(by=flow.leader, appeal=land[0], reason="重复")
    client.force_login(flow.leader)

    assert "厂房土地证办不下来" not in similar(client, title="厂房土地证办不下来")


def test_an_outsider_is_shown_nothing_of_another_district(client, outsider, land) -> None:
    client.force_login(outsider)

    assert similar(client, title="厂房土地证办不下来") == []


def test_another_enterprise_writing_about_the_same_problem_is_shown_it(
    client, ruifeng_user, land
) -> None:
    client.force_login(ruifeng_user)

    response = client.get(URL, {"title": "厂房土地证办不下来"}, **HTMX)

    titles = [m["appeal"].title for m in response.context["matches"]]
    assert titles[0] == "厂房土地证办不下来"
    html = response.content.decode()
    assert f"/appeals/{land[0].pk}/join/" in html
    assert zh("Add my case to it instead") in html


def test_an_official_is_not_offered_to_join(client, leader, land) -> None:
    client.force_login(leader)

    html = client.get(URL, {"title": "厂房土地证办不下来"}, **HTMX).content.decode()

    assert "/join/" not in html


def test_closed_appeals_of_other_enterprises_are_not_shown_to_an_enterprise(
    client, flow, ruifeng_user
) -> None:
    closed = flow.closed()
    client.force_login(ruifeng_user)

    assert closed.title not in similar(client, title=closed.title)


def test_an_enterprise_adds_its_case_instead_of_writing_a_new_appeal(
    client, ruifeng_user, land
) -> None:
    client.force_login(ruifeng_user)
    target = land[0]

    response = client.post(f"/appeals/{target.pk}/join/", {"note": "我公司厂房也没有土地证"})

    assert response.status_code == 302
    assert response["Location"] == f"/appeals/{target.pk}/"
    case = JoinedCase.objects.get()
    assert (case.appeal, case.enterprise.name, case.by) == (target, "瑞丰气体", ruifeng_user)
    assert Appeal.objects.count() == len(land)  # nothing new was written
    assert target.events.order_by("-id").first().action == "join"
    page = client.get(f"/appeals/{target.pk}/").content.decode()  # now it sees the appeal
    assert "瑞丰气体" in page


def test_joining_twice_adds_the_case_once(client, ruifeng_user, land) -> None:
    client.force_login(ruifeng_user)

    client.post(f"/appeals/{land[0].pk}/join/")
    client.post(f"/appeals/{land[0].pk}/join/")

    assert JoinedCase.objects.count() == 1


def test_an_enterprise_joining_its_own_appeal_changes_nothing(flow) -> None:
    appeal = flow.submitted()

    services.appeal_join(by=flow.enterprise_user, appeal=appeal, note="")

    assert not JoinedCase.objects.exists()


def test_an_enterprise_cannot_open_another_enterprises_appeal_before_joining(
    client, ruifeng_user, land
) -> None:
    client.force_login(ruifeng_user)

    assert client.get(f"/appeals/{land[0].pk}/").status_code == 404


def test_a_closed_appeal_cannot_be_joined(client, flow, ruifeng_user) -> None:
    closed = flow.closed()
    client.force_login(ruifeng_user)

    response = client.post(f"/appeals/{closed.pk}/join/")

    assert response.status_code == 404
    assert not JoinedCase.objects.exists()
    with pytest.raises(services.TransitionError):
        services.appeal_join(by=ruifeng_user, appeal=closed, note="")


def test_an_enterprise_of_another_district_cannot_join(client, laoshan, land) -> None:
    from qifu.accounts.models import Role
    from qifu.accounts.tests.factories import UserFactory
    from qifu.core.models import OrgUnit
    from qifu.enterprises.tests.factories import EnterpriseFactory

    street = OrgUnit.objects.get(code="370212001")
    far = EnterpriseFactory(name="崂山科技有限公司", street=street, industry_code="6513")
    user = UserFactory(role=Role.ENTERPRISE_USER, org_unit=street, enterprise=far)
    client.force_login(user)

    assert client.post(f"/appeals/{land[0].pk}/join/").status_code == 404
    assert similar(client, title="厂房土地证办不下来") == []


def test_an_official_cannot_join(flow, licun_clerk) -> None:
    with pytest.raises(PermissionDenied):
        services.appeal_join(by=licun_clerk, appeal=flow.submitted(), note="")


def test_a_joined_appeal_keeps_its_status(client, ruifeng_user, flow) -> None:
    appeal = flow.assigned()
    client.force_login(ruifeng_user)

    client.post(f"/appeals/{appeal.pk}/join/")

    appeal.refresh_from_db()
    assert appeal.status == Status.ASSIGNED
