"""Query budgets: the lists, exports and API lists read 25 rows with as many queries as 5."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qifu.investment import services
from qifu.investment.tests.conftest import LICUN, LOUSHAN, make_channel, make_lead, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(investment_clerk, leader):
    counter = itertools.count()

    def make(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            channel = make_channel(investment_clerk, name=f"商会{i}")
            services.channel_contact_save(by=investment_clerk, channel=channel, name=f"联系人{i}")
            services.channel_contact_log(
                by=investment_clerk, channel=channel, date=timezone.localdate(), summary="座谈"
            )
            lead = make_lead(
                investment_clerk,
                investor=f"投资方{i}",
                channel=channel,
                owner=leader if i % 2 else investment_clerk,
                land_area_mu=Decimal("30"),
            )
            services.lead_follow_up(
                by=investment_clerk, lead=lead, date=timezone.localdate(), method="visit", note="访"
            )
            resource = make_resource(
                investment_clerk,
                name=f"地块{i}",
                street_code=[LICUN, LOUSHAN][i % 2],
                kind=["land", "plant", "building"][i % 3],
            )
            if i % 2:
                services.resource_reserve(by=investment_clerk, resource=resource, lead=lead)

    return make


PAGES = [
    ("investment_clerk", "/investment/leads/", 8),
    ("leader", "/investment/leads/?status=following", 8),
    ("investment_clerk", "/investment/leads/export/", 4),
    ("investment_clerk", "/investment/resources/", 6),
    ("licun_clerk", "/investment/resources/", 6),
    ("investment_clerk", "/investment/resources/export/", 4),
    ("investment_clerk", "/investment/channels/", 6),
    ("investment_clerk", "/investment/channels/export/", 4),
    ("investment_clerk", "/api/v1/investment/leads/", 6),
    ("jxj_clerk", "/api/v1/investment/resources/", 4),
    ("investment_clerk", "/api/v1/investment/channels/", 5),
]


def count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def counts(client, api, request) -> dict[str, int]:
    found = {}
    for who, url, _budget in PAGES:
        user = request.getfixturevalue(who)
        if url.startswith("/api/"):
            api.force_authenticate(user)
            found[f"{who} {url}"] = count(api, url)
        else:
            client.force_login(user)
            found[f"{who} {url}"] = count(client, url)
    return found


def test_every_list_export_and_api_list_reads_25_rows_as_cheaply_as_5(
    client, api, request, make
) -> None:
    make(5)
    few = counts(client, api, request)
    make(20)
    many = counts(client, api, request)

    assert many == few
    budgets = {f"{who} {url}": budget for who, url, budget in PAGES}
    assert {k: v for k, v in many.items() if v > budgets[k]} == {}
