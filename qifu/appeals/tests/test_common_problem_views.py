"""Linking appeals as a common problem (共性问题) from the page and the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from qifu.appeals.models import Appeal
from qifu.appeals.tests.factories import AppealFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(tianlu, ruifeng) -> tuple[Appeal, Appeal]:
    first = AppealFactory(enterprise=tianlu, title="厂房土地证办不下来")
    second = AppealFactory(enterprise=ruifeng, title="土地证历史遗留问题")
    return first, second


def test_a_dispatcher_links_two_appeals_from_the_page(client, leader, two) -> None:
    first, second = two
    client.force_login(leader)

    response = client.post(
        f"/appeals/{first.pk}/mark_common/",
        {"title": "园区土地证办理难", "numbers": second.number},
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.common_problem is not None
    assert first.common_problem_id == second.common_problem_id
    assert first.common_problem.title == "园区土地证办理难"


def test_an_unknown_number_is_a_400_and_links_nothing(client, leader, two) -> None:
    first, _second = two
    client.force_login(leader)

    response = client.post(
        f"/appeals/{first.pk}/mark_common/",
        {"title": "园区土地证办理难", "numbers": "SQ-209901-0001"},
    )

    assert response.status_code == 400
    assert "SQ-209901-0001" in response.content.decode()
    first.refresh_from_db()
    assert first.common_problem is None


def test_the_api_links_them_and_an_enterprise_user_may_not(leader, enterprise_user, two) -> None:
    first, second = two
    api = APIClient()
    api.force_authenticate(enterprise_user)
    refused = api.post(
        f"/api/v1/appeals/{first.pk}/mark-common/",
        {"title": "土地证", "appeals": [second.number]},
        format="json",
    )
    api.force_authenticate(leader)
    done = api.post(
        f"/api/v1/appeals/{first.pk}/mark-common/",
        {"title": "土地证", "appeals": [second.number]},
        format="json",
    )

    assert refused.status_code in (403, 400)
    assert done.status_code == 200
    second.refresh_from_db()
    assert second.common_problem is not None


def test_the_enterprise_file_shows_the_supervision_note(client, leader, tianlu, two) -> None:
    from qifu.appeals import services

    first, _second = two
    services.appeal_supervise(by=leader, appeal=first, note="请限期办结并报告进展")
    client.force_login(leader)

    html = client.get(f"/enterprises/{tianlu.pk}/").content.decode()

    assert "请限期办结并报告进展" in html
