"""The OpenAPI schema documents the ideas API, with its own enum names and no warnings."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

pytestmark = pytest.mark.django_db


def test_the_schema_generates_without_warnings_and_documents_the_ideas_api(tmp_path, org) -> None:
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    paths = schema["paths"]
    for path in (
        "/api/v1/ideas/",
        "/api/v1/ideas/{id}/",
        "/api/v1/ideas/{id}/support/",
        "/api/v1/ideas/{id}/report/",
        "/api/v1/ideas/{id}/approve-answer/",
        "/api/v1/ideas/{id}/mark-duplicate/",
        "/api/v1/ideas/track/{code}/",
        "/api/v1/ideas/track/{code}/withdraw/",
        "/api/v1/ideas/captcha/",
        "/api/v1/ideas/stats/",
        "/api/v1/ideas/similar/",
        "/api/v1/ideas/blocks/",
        "/api/v1/ideas/blocks/{id}/",
    ):
        assert path in paths, path
    components = schema["components"]["schemas"]
    assert {"IdeaStatusEnum", "IdeaTopicEnum", "IdeaOutcomeEnum"} <= set(components)
    public = components["PublicIdea"]["properties"]
    assert not {"contact", "contact_kind", "hidden_reason", "open_reports"} & set(public)
