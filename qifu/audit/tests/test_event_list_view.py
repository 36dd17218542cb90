"""The audit log page (/audit/): the audit admin only, filterable, with a fixed query budget."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.audit.tests.factories import AuditEventFactory
from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/audit/"


def at(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """New audit events get `moment` as their time."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/audit/")


def test_post_is_not_allowed(client, auditor) -> None:
    client.force_login(auditor)

    assert client.post(URL).status_code == 405


def test_the_auditor_sees_the_log_in_chinese(client, auditor) -> None:
    client.force_login(auditor)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-hans"' in html
    assert zh("Audit log") in html
    assert zh("Audit log") != "Audit log"
    assert 'data-testid="audit-table"' in html


@pytest.mark.parametrize(
    "who",
    [
        "leader",
        "jxj_clerk",
        "licun_clerk",
        "enterprise_user",
        "outsider",
        "no_role_user",
        "sysadmin",
        "secadmin",
    ],
)
def test_everyone_but_the_auditor_is_refused(client, request, who) -> None:
    client.force_login(request.getfixturevalue(who))

    assert client.get(URL).status_code == 403
    assert client.get(URL + "export/").status_code == 403


def test_the_filters_by_actor_action_and_result_work(client, auditor, leader, sysadmin) -> None:
    AuditEventFactory(actor=leader, action="test.alpha", object_repr="甲公司")
    AuditEventFactory(actor=sysadmin, action="test.beta", object_repr="乙公司")
    AuditEventFactory(actor=None, action="test.alpha", object_repr="丙公司", success=False)
    client.force_login(auditor)

    def shown(**query: str) -> set[str]:
        html = client.get(URL, query).content.decode()
        return {name for name in ("甲公司", "乙公司", "丙公司") if name in html}

    assert shown() == {"甲公司", "乙公司", "丙公司"}
    assert shown(actor="lead") == {"甲公司"}
    assert shown(action="test.alpha") == {"甲公司", "丙公司"}
    assert shown(action="test.") == {"甲公司", "乙公司", "丙公司"}
    assert shown(success="false") == {"丙公司"}
    assert shown(success="true", action="test.") == {"甲公司", "乙公司"}
    assert shown(q="乙") == {"乙公司"}


def test_the_date_range_uses_beijing_time(client, auditor, monkeypatch) -> None:
    # 23:30 in Beijing is still 2026-02-27 there, though already 15:30 UTC
    at(monkeypatch, dt.datetime(2026, 2, 27, 23, 30, tzinfo=SHANGHAI))
    AuditEventFactory(object_repr="二月末事件")
    at(monkeypatch, dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
    AuditEventFactory(object_repr="三月初事件")
    monkeypatch.undo()
    client.force_login(auditor)

    def shown(**query: str) -> set[str]:
        html = client.get(URL, query).content.decode()
        return {name for name in ("二月末事件", "三月初事件") if name in html}

    assert shown(date_from="2026-02-27", date_to="2026-02-27") == {"二月末事件"}
    assert shown(date_from="2026-02-28") == {"三月初事件"}
    assert shown(date_to="2026-03-01") == {"二月末事件"}
    assert shown(date_from="2026-02-01", date_to="2026-03-31") == {"二月末事件", "三月初事件"}


def test_a_bad_filter_value_is_ignored_not_a_500(client, auditor) -> None:
    client.force_login(auditor)

    response = client.get(URL, {"date_from": "not-a-date", "success": "maybe"})

    assert response.status_code == 200


def test_an_htmx_request_gets_only_the_results(client, auditor) -> None:
    client.force_login(auditor)

    response = client.get(URL, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="audit-results">')
    assert "<html" not in html


def test_the_log_is_paged_by_fifty(client, auditor) -> None:
    AuditEventFactory.create_batch(60, action="test.page")
    client.force_login(auditor)

    first = client.get(URL, {"action": "test.page"})
    second = client.get(URL, {"action": "test.page", "page": "2"})

    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10


@pytest.mark.parametrize("events", [5, 60])
def test_the_list_page_issues_a_fixed_number_of_queries(
    client, auditor, leader, events, django_assert_num_queries
) -> None:
    for i in range(events):
        AuditEventFactory(actor=leader if i % 2 else None, changes={"n": [i, i + 1]})
    client.force_login(auditor)

    # session, user, unread notifications (the bell), count, page, action choices
    with django_assert_num_queries(6):
        response = client.get(URL)

    assert response.status_code == 200
    assert AuditEvent.objects.count() >= events
