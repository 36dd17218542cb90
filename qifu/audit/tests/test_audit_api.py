"""GET /api/v1/audit/events/: the same log and filters as the page, for the audit admin only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qifu.audit.tests.factories import AuditEventFactory
from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/events/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_anonymous_is_refused_with_a_chinese_detail(api, org) -> None:
    response = api.get(URL)

    assert response.status_code in (401, 403)
    assert is_chinese(response.json()["detail"])


@pytest.mark.parametrize("who", ["leader", "outsider", "sysadmin", "secadmin", "no_role_user"])
def test_everyone_but_the_auditor_is_refused(api, request, who) -> None:
    api.force_authenticate(request.getfixturevalue(who))

    response = api.get(URL)

    assert response.status_code == 403
    assert is_chinese(response.json()["detail"])


def test_the_auditor_lists_and_filters_events(api, auditor, leader) -> None:
    AuditEventFactory(actor=leader, action="test.api", object_repr="甲")
    AuditEventFactory(actor=None, action="test.api", object_repr="乙", success=False)
    api.force_authenticate(auditor)

    everything = api.get(URL, {"action": "test.api"}).json()
    failed = api.get(URL, {"action": "test.api", "success": "false"}).json()

    assert everything["count"] == 2
    assert [e["object_repr"] for e in failed["results"]] == ["乙"]
    assert set(failed["results"][0]) >= {"created_at", "actor_username", "changes", "ip"}


def test_the_log_cannot_be_changed_through_the_api(api, auditor) -> None:
    event = AuditEventFactory()
    api.force_authenticate(auditor)

    assert api.delete(f"{URL}{event.pk}/").status_code == 405
    assert api.patch(f"{URL}{event.pk}/", {"action": "x"}).status_code == 405
    assert api.post(URL, {"action": "x"}).status_code == 405
