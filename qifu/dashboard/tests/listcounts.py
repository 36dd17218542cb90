"""Helpers of the section tests of monthly data, policies, projects and ideas: a section for a user
and query string, the count a list shows in its `result-count`, and the check that each figure
that counts a list equals that count."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.dashboard.figures import Section
from qifu.dashboard.selectors import filters_for

RESULT_COUNT = re.compile(r'data-testid="result-count"[^>]*>\s*(\d+)\s*<')


def section_of(module: Any, user: Any, **params: str) -> Section | None:
    """The section of `module` for `user` with the dashboard's query string `params`."""
    return module.section(user=user, filters=filters_for(user=user, params=params))


def result_count(client: Any, url: str) -> int:
    """The count that the list at `url` shows in its one `result-count` element."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    found = RESULT_COUNT.findall(response.content.decode())
    assert len(found) == 1, (url, found)
    return int(found[0])


def assert_figures_match_their_lists(client: Any, user: Any, section: Section) -> list[str]:
    """GET each figure's list as `user`: its count equals the figure (every figure has a URL that
    opens). The keys of the figures checked against a count."""
    client.force_login(user)
    checked = []
    for figure in section.figures:
        assert figure.url, figure.key
        if not figure.counts_list:
            response = client.get(figure.url)
            assert response.status_code == 200, (figure.key, figure.url)
            continue
        assert result_count(client, figure.url) == figure.value, (figure.key, figure.url)
        checked.append(figure.key)
    return checked


def values(section: Section | None) -> dict[str, Any]:
    assert section is not None
    return {f.key: f.value for f in section.figures}


def queries_of(call: Callable[[], Any]) -> int:
    """The queries of `call()`, after a first call that warms the caches (the calendar)."""
    call()
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)
