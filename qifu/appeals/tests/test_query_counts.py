"""Query budgets: the list, the inboxes, the figures, the exports and the API read as many rows
with the same number of queries for 5 appeals as for 30."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.appeals import services
from qifu.appeals.models import Appeal, Channel, Kind
from qifu.appeals.tests.conftest import department
from qifu.appeals.tests.factories import category

pytestmark = pytest.mark.django_db

STATES = ["submitted", "accepted", "assigned", "in_progress", "replied", "closed", "reopened"]
CATEGORIES = ["land", "finance", "labour", "utilities", "policy"]


@pytest.fixture
def make(flow, ruifeng, ruifeng_user, jxj_clerk, licun_clerk):
    """make(n): n more appeals of 天路集团 and 瑞丰气体 in every state, some co-handled, some
    supervised, some overdue, in several categories and channels."""
    counter = itertools.count()

    def make(n: int) -> None:
        for _ in range(n):
            i = next(counter)
            state = STATES[i % len(STATES)]
            if i % 2:
                appeal, _ = services.appeal_submit(
                    by=licun_clerk if i % 4 == 1 else jxj_clerk,
                    enterprise=ruifeng if i % 4 == 3 else flow.enterprise_user.enterprise,
                    kind=Kind.DEMAND if i % 3 == 0 else Kind.PROBLEM,
                    category=category(CATEGORIES[i % len(CATEGORIES)]),
                    title=f"诉求{i}",
                    description="说明",
                    channel=[Channel.VISIT, Channel.PHONE, Channel.HOTLINE][i % 3],
                )
                if state != "submitted":
                    appeal = services.appeal_accept(by=flow.leader, appeal=appeal)
                if state not in ("submitted", "accepted"):
                    appeal = services.appeal_assign(
                        by=flow.leader,
                        appeal=appeal,
                        department=department("zrj"),
                        co_departments=[department("zjj"), department("rsj")],
                    )
                    Appeal.objects.filter(pk=appeal.pk).update(status=state, overdue=i % 5 == 0)
            else:
                flow.at(state, title=f"诉求{i}")
            if i % 6 == 0 and state not in ("closed",):
                services.appeal_supervise(
                    by=flow.leader, appeal=Appeal.objects.order_by("-id").first(), note="督办"
                )

    return make


def count(client, url: str) -> int:
    client.get(url)  # warm up: the calendar's years are cached after the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# (who, page, budget): session, user, the page's reads (a count, the rows, their co-handling
# departments), the bell's unread count
PAGES = [
    ("leader", "/appeals/", 7),
    ("zrj_clerk", "/appeals/", 7),
    ("enterprise_user", "/appeals/", 7),
    ("licun_clerk", "/appeals/?status=assigned&overdue=false", 7),
    ("leader", "/appeals/inbox/", 10),
    ("jxj_clerk", "/appeals/inbox/", 11),
    ("zrj_clerk", "/appeals/inbox/", 7),
    ("enterprise_user", "/appeals/inbox/", 7),
    ("licun_clerk", "/appeals/inbox/", 4),
    ("leader", "/appeals/stats/", 4),
    ("leader", "/appeals/stats/?group=department", 4),
    ("leader", "/appeals/stats/?group=street&format=xlsx", 3),
    ("leader", "/appeals/export/", 5),
    ("leader", "/api/v1/appeals/", 3),
    ("zrj_clerk", "/api/v1/appeals/?department=zrj", 3),
    ("leader", "/api/v1/appeals/stats/?group=channel", 1),
    ("leader", "/notifications/", 5),
]


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


def test_every_list_inbox_figure_and_export_reads_30_appeals_as_cheaply_as_5(
    client, api, request, make
) -> None:
    make(5)
    few = counts(client, api, request)
    make(25)
    many = counts(client, api, request)

    assert many == few
    budgets = {f"{who} {url}": budget for who, url, budget in PAGES}
    assert {k: v for k, v in many.items() if v > budgets[k]} == {}


def test_the_list_really_shows_the_30(client, make, leader) -> None:
    make(30)
    client.force_login(leader)

    response = client.get("/appeals/")

    assert len(response.context["page"].object_list) == 30


def test_the_enterprise_file_reads_its_appeals_in_a_bounded_number_of_queries(
    client, make, leader, tianlu
) -> None:
    client.force_login(leader)
    url = f"/enterprises/{tianlu.pk}/"

    make(5)
    few = count(client, url)
    make(25)
    many = count(client, url)

    assert few == many
