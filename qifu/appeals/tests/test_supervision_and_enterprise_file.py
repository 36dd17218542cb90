"""Supervision orders (督办) by a district leader, shown to the department and on the enterprise
file (一企一档), whose appeals section lists the enterprise's appeals in the user's scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import services
from qifu.appeals.models import Supervision
from qifu.appeals.tests.factories import AppealFactory
from qifu.core.tests.helpers import zh
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db


def test_a_district_leader_issues_a_supervision_order_and_the_department_is_told(flow) -> None:
    appeal = flow.assigned()

    order = services.appeal_supervise(by=flow.leader, appeal=appeal, note="请本周内办结")

    appeal.refresh_from_db()
    assert appeal.supervised is True
    assert (order.leader, order.note) == (flow.leader, "请本周内办结")
    assert appeal.events.order_by("-id").first().action == "supervise"
    told = Notification.objects.filter(body="请本周内办结")
    assert set(told.values_list("user", flat=True)) == {flow.lead.pk}


def test_before_assignment_the_order_goes_to_the_service_centre(flow, jxj_clerk) -> None:
    appeal = flow.submitted()

    services.appeal_supervise(by=flow.leader, appeal=appeal, note="尽快受理")

    told = Notification.objects.filter(body="尽快受理")
    assert set(told.values_list("user", flat=True)) == {jxj_clerk.pk}


@pytest.mark.parametrize("who", ["jxj_clerk", "zrj_clerk", "licun_clerk", "enterprise_user"])
def test_only_a_district_leader_supervises(request, flow, who) -> None:
    appeal = flow.assigned()

    with pytest.raises(PermissionDenied):
        services.appeal_supervise(by=request.getfixturevalue(who), appeal=appeal, note="督办")

    assert not Supervision.objects.exists()


def test_a_supervision_order_needs_a_note(flow) -> None:
    with pytest.raises(ValidationError):
        services.appeal_supervise(by=flow.leader, appeal=flow.assigned(), note="")


def test_a_closed_appeal_is_not_supervised(flow) -> None:
    with pytest.raises(services.TransitionError):
        services.appeal_supervise(by=flow.leader, appeal=flow.closed(), note="督办")


def test_several_orders_may_be_issued_and_all_are_kept(flow) -> None:
    appeal = flow.assigned()
    services.appeal_supervise(by=flow.leader, appeal=appeal, note="第一次督办")
    services.appeal_supervise(by=flow.leader, appeal=appeal, note="第二次督办")

    assert list(appeal.supervisions.values_list("note", flat=True)) == ["第二次督办", "第一次督办"]


def test_a_leader_of_another_district_cannot_reach_the_appeal(client, flow, outsider) -> None:
    appeal = flow.assigned()
    client.force_login(outsider)

    response = client.post(f"/appeals/{appeal.pk}/supervise/", {"note": "督办"})

    assert response.status_code == 404
    assert not Supervision.objects.exists()


# --- The enterprise file --------------------------------------------------------------------


def file_of(client, enterprise) -> str:
    response = client.get(f"/enterprises/{enterprise.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def appeals_section(html: str) -> str:
    return html.split('id="section-appeals"')[1].split("</section>")[0]


@pytest.mark.parametrize("who", ["leader", "jxj_clerk", "licun_clerk", "enterprise_user"])
def test_the_enterprise_file_has_an_appeals_section(client, request, flow, who) -> None:
    appeal = flow.assigned()
    client.force_login(request.getfixturevalue(who))

    html = file_of(client, flow.enterprise_user.enterprise)

    section = appeals_section(html)
    assert zh("Appeals") in html.split('id="section-appeals"')[1][:200]
    assert 'data-testid="enterprise-appeals"' in section
    assert appeal.number in section
    assert f"/appeals/?enterprise={appeal.enterprise_id}" in section


def test_the_file_shows_the_supervision_orders(client, flow) -> None:
    appeal = flow.assigned()
    services.appeal_supervise(by=flow.leader, appeal=appeal, note="请本周内办结")
    client.force_login(flow.enterprise_user)

    section = appeals_section(file_of(client, flow.enterprise_user.enterprise))

    assert "督" in section  # the badge of a supervised appeal
    assert "alert-warning" in section


def test_the_file_lists_only_this_enterprises_appeals(client, flow, ruifeng) -> None:
    ours = flow.submitted()
    theirs = AppealFactory(enterprise=ruifeng, title="瑞丰的用电问题")
    client.force_login(flow.leader)

    section = appeals_section(file_of(client, flow.enterprise_user.enterprise))

    assert ours.number in section
    assert theirs.number not in section


def test_a_department_sees_on_the_file_only_the_appeals_it_handles(client, flow) -> None:
    handled, waiting = flow.assigned(), flow.submitted(title="用电增容")
    client.force_login(flow.lead)

    section = appeals_section(file_of(client, flow.enterprise_user.enterprise))

    assert handled.number in section
    assert waiting.number not in section


def test_an_enterprise_without_appeals_says_so(client, leader, tianlu) -> None:
    client.force_login(leader)

    section = appeals_section(file_of(client, tianlu))

    assert zh("No appeals yet.") in section
