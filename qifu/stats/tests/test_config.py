"""The system admin's pages for monthly data: indicators, the form and the audit rules, saved
through the services (audited), with a rule that cannot be evaluated refused in words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from qifu.audit.models import AuditEvent
from qifu.stats import services
from qifu.stats.models import DataSet, ValidationRule

pytestmark = pytest.mark.django_db


def _rule_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "vat-within-revenue",
        "name": "应交增值税不大于营业收入",
        "left": "#{vat.ytd}",
        "operator": "<=",
        "right": "#{revenue.ytd}",
        "importance": "soft",
        "missing_values": "skip_if_any",
        "for_each": "",
        "condition": "",
        "instruction": "应交增值税大于营业收入，请核对。",
        "is_active": "on",
        "sort_order": 20,
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_the_system_admin_adds_a_rule_and_the_change_is_audited(client, sysadmin) -> None:
    client.force_login(sysadmin)

    response = client.post("/admin/stats/validationrule/add/", _rule_form())

    assert response.status_code == 302, response.content.decode()[:2000]
    rule = ValidationRule.objects.get(code="vat-within-revenue")
    event = AuditEvent.objects.get(action="stats_rule.create")
    assert event.actor == sysadmin
    assert event.object_id == str(rule.pk)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"left": "#{vat.ytd"}, "该规则无法计算"),
        ({"left": "#{nosuch.ytd}"}, "nosuch"),
        ({"left": "__import__('os')"}, "该规则无法计算"),
        ({"left": "#{*.ytd}"}, "for each"),
    ],
)
def test_a_rule_that_cannot_be_evaluated_is_shown_and_not_saved(
    client, sysadmin, changes, words
) -> None:
    client.force_login(sysadmin)
    before = AuditEvent.objects.count()

    response = client.post("/admin/stats/validationrule/add/", _rule_form(**changes))

    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ValidationRule.objects.filter(code="vat-within-revenue").exists()
    assert AuditEvent.objects.count() == before


def test_the_rule_service_refuses_the_same_rule(sysadmin) -> None:
    data = _rule_form(left="abs(")
    data = {k: v for k, v in data.items() if k != "_save"}
    data["is_active"] = True
    with pytest.raises(ValidationError):
        services.rule_save(by=sysadmin, **data)
    assert not ValidationRule.objects.filter(code="vat-within-revenue").exists()


def test_the_form_s_deadline_is_a_day_from_1_to_28(client, sysadmin) -> None:
    dataset = DataSet.objects.get(code="industry-monthly")
    client.force_login(sysadmin)
    data = {
        "code": dataset.code,
        "name": dataset.name,
        "industry_sections": dataset.industry_sections,
        "opens_day": 20,
        "deadline_day": 31,
        "lock_after_days": 10,
        "indicators": [i.pk for i in dataset.indicators.all()],
        "_save": "Save",
    }

    refused = client.post(f"/admin/stats/dataset/{dataset.pk}/change/", data)
    accepted = client.post(
        f"/admin/stats/dataset/{dataset.pk}/change/", {**data, "deadline_day": 10}
    )

    assert refused.status_code == 200
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    dataset.refresh_from_db()
    assert dataset.deadline_day == 10
    event = AuditEvent.objects.get(action="stats_dataset.update")
    assert event.changes == {"deadline_day": [8, 10]}


@pytest.mark.parametrize("who", ["leader", "licun_clerk", "enterprise_user", "auditor"])
def test_only_the_system_admin_opens_the_configuration(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get("/admin/stats/validationrule/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
