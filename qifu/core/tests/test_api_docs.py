"""/api/v1/schema/ and /api/v1/docs/: an OpenAPI document and a Swagger UI served locally."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_gets_neither_schema_nor_docs(client, org) -> None:
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    assert client.get("/api/v1/docs/").status_code in (401, 403)


def test_the_schema_is_an_openapi_document_of_every_endpoint(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "qifu API"
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/org-units/",
        "/api/v1/org-units/{code}/",
        "/api/v1/departments/",
        "/api/v1/calendar/days/",
        "/api/v1/calendar/days/add-working-days/",
        "/api/v1/accounts/users/",
        "/api/v1/audit/events/",
    ):
        assert path in paths, path


def test_the_schema_is_yaml_by_default(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response.content.decode().startswith("openapi: 3.")


def test_the_docs_load_swagger_ui_from_the_apps_own_static_files(client, leader) -> None:
    client.force_login(leader)

    response = client.get("/api/v1/docs/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("/static/" in s and "swagger-ui" in s for s in sources)
    assert not [s for s in sources if s.startswith(("http://", "https://", "//"))]
    assert "cdn" not in html.lower()
