"""The library: policies and programmes, criteria checked, publish and close."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.policies import services
from qifu.policies.models import PolicyCategory, ProgrammeStatus


def test_the_categories_of_the_issue_are_seeded(db):
    names = set(PolicyCategory.objects.values_list("name", flat=True))
    assert {"品牌创建", "技术创新", "新产品认定", "技术中心评定", "节能", "资源综合利用"} <= names
    assert {"税收优惠", "清洁生产", "循环经济", "节约型社会", "人才", "融资"} <= names


def test_a_department_clerk_adds_a_policy_and_it_is_audited(policy, jxj_clerk):
    assert list(policy.categories.values_list("code", flat=True)) == ["innovation"]
    event = AuditEvent.objects.get(action="policy.create", object_id=str(policy.pk))
    assert event.actor == jxj_clerk


def test_changing_a_policy_records_what_changed(policy, jxj_clerk):
    services.policy_save(
        by=jxj_clerk,
        policy=policy,
        values={"summary": "新的摘要"},
        categories=PolicyCategory.objects.filter(code__in=["innovation", "tax"]),
    )
    event = AuditEvent.objects.get(action="policy.update", object_id=str(policy.pk))
    assert event.changes["summary"][1] == "新的摘要"
    assert event.changes["categories"] == [["innovation"], ["innovation", "tax"]]


def test_another_departments_clerk_may_not_change_the_policy(policy, zrj_clerk):
    with pytest.raises(PermissionDenied):
        services.policy_save(by=zrj_clerk, policy=policy, values={"summary": "x"})


@pytest.mark.parametrize("who", ["licun_clerk", "enterprise_user", "outsider"])
def test_street_staff_enterprises_and_outsiders_keep_no_library(who, request, jxj):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.policy_save(by=user, values={"title": "x", "department": jxj})


def test_a_programme_with_criteria_that_do_not_parse_is_refused_in_chinese(make_programme):
    bad = {"conditions": [{"field": "employees", "op": ">=", "value": "many"}]}
    with pytest.raises(ValidationError) as raised:
        make_programme(criteria=bad)
    assert "须填写数值" in raised.value.message_dict["criteria"][0]


def test_a_programme_window_that_closes_before_it_opens_is_refused(make_programme):
    import datetime as dt

    with pytest.raises(ValidationError) as raised:
        make_programme(window=(dt.date(2026, 5, 1), dt.date(2026, 4, 1)))
    assert "window_closes" in raised.value.message_dict


def test_a_programme_is_published_once_then_closed(make_programme, jxj_clerk):
    programme = make_programme(publish=False)
    assert programme.status == ProgrammeStatus.DRAFT
    programme = services.programme_publish(by=jxj_clerk, programme=programme)
    assert programme.status == ProgrammeStatus.PUBLISHED
    assert programme.published_at is not None
    with pytest.raises(services.TransitionError):
        services.programme_publish(by=jxj_clerk, programme=programme)
    programme = services.programme_close(by=jxj_clerk, programme=programme)
    assert programme.status == ProgrammeStatus.CLOSED
    with pytest.raises(services.TransitionError):
        services.programme_save(by=jxj_clerk, programme=programme, values={"title": "x"})
    actions = AuditEvent.objects.filter(object_id=str(programme.pk)).values_list(
        "action", flat=True
    )
    assert {"programme.create", "programme.publish", "programme.close"} <= set(actions)


def test_the_leader_handles_any_departments_programme_but_another_department_not(
    programme, leader, zrj_clerk
):
    with pytest.raises(PermissionDenied):
        services.programme_close(by=zrj_clerk, programme=programme)
    assert services.programme_close(by=leader, programme=programme).status == "closed"
