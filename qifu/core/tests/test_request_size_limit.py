"""A request body over the limit is refused with 413 before anything reads it."""

from __future__ import annotations

import pytest

from qifu.core.tests.helpers import is_chinese

pytestmark = pytest.mark.django_db


def test_an_oversized_page_upload_gets_a_chinese_413(client, licun_clerk, settings) -> None:
    settings.QIFU_MAX_REQUEST_BYTES = 1024
    client.force_login(licun_clerk)

    response = client.post(
        "/enterprises/import/", data=b"x" * 2048, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()


def test_an_oversized_api_call_gets_a_json_413(client, leader, settings) -> None:
    settings.QIFU_MAX_REQUEST_BYTES = 1024
    client.force_login(leader)

    response = client.post(
        "/api/v1/enterprises/", data=b"{" * 2048, content_type="application/json"
    )

    assert response.status_code == 413
    assert is_chinese(response.json()["detail"])


def test_a_request_under_the_limit_passes(client, leader, settings) -> None:
    settings.QIFU_MAX_REQUEST_BYTES = 4096
    client.force_login(leader)

    response = client.post("/api/v1/enterprises/", data="{}", content_type="application/json")

    assert response.status_code == 400
