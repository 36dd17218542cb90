"""The enterprise list shows its count in a `result-count` element (the command centre's figures
link here and tests compare), inside the words it always had: 共 N 家企业."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def result_count(response: Any) -> int:
    assert response.status_code == 200
    found = re.findall(r'data-testid="result-count"[^>]*>\s*(\d+)\s*<', response.content.decode())
    assert len(found) == 1
    return int(found[0])


@pytest.mark.parametrize(
    ("query", "n"),
    [
        ("", 5),
        ("status=operating", 4),
        ("status=operating&is_above_scale=true", 2),
        ("status=operating&is_key=true", 2),
        ("status=operating&zone=central", 2),
        ("status=operating&street=370213011", 1),
    ],
)
def test_the_list_shows_the_count_of_the_filtered_enterprises(
    client, registry, leader, query, n
) -> None:
    client.force_login(leader)
    assert result_count(client.get(f"/enterprises/?{query}")) == n


def test_the_count_keeps_its_words(client, registry, leader) -> None:
    client.force_login(leader)
    html = client.get("/enterprises/?status=operating").content.decode()

    text = re.search(r'data-testid="enterprise-count">(.*?)</p>', html)
    assert text is not None
    assert re.sub(r"<[^>]+>", "", text.group(1)) == "共 4 家企业"


def test_the_htmx_results_carry_the_count(client, registry, leader) -> None:
    client.force_login(leader)
    response = client.get("/enterprises/?is_key=true", headers={"HX-Request": "true"})

    assert result_count(response) == 2


def test_a_street_clerk_counts_their_street_whatever_street_is_asked(
    client, registry, licun_clerk
) -> None:
    client.force_login(licun_clerk)
    assert result_count(client.get("/enterprises/?status=operating&street=370213006")) == 2
