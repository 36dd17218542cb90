"""/appeals/inbox/: what waits for each role — to accept, to assign, extension requests, to
handle, to co-handle, to rate, overdue, closed unresolved."""

from __future__ import annotations

import pytest

from qifu.appeals import selectors, services
from qifu.appeals.models import Appeal
from qifu.core.tests.helpers import zh

pytestmark = pytest.mark.django_db

URL = "/appeals/inbox/"


@pytest.fixture
def desk(flow):
    """One appeal in each state that waits for someone."""
    waiting = {
        "submitted": flow.submitted(title="待受理"),
        "accepted": flow.accepted(title="待交办"),
        "assigned": flow.assigned(title="待办理"),
        "replied": flow.replied(title="待评价"),
        "extension": flow.in_progress(title="申请延期"),
        "overdue": flow.in_progress(title="已超期"),
    }
    services.appeal_extend_request(
        by=flow.lead, appeal=waiting["extension"], working_days=5, reason="测绘"
    )
    Appeal.objects.filter(pk=waiting["overdue"].pk).update(overdue=True)
    return waiting


def boxes(user) -> dict[str, set[str]]:
    return {b["key"]: {a.title for a in b["appeals"]} for b in selectors.inbox_for_user(user=user)}


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    assert client.get(URL).status_code == 302


def test_post_is_not_allowed(client, leader) -> None:
    client.force_login(leader)

    assert client.post(URL).status_code == 405


def test_an_outsider_has_an_empty_inbox(client, outsider, desk) -> None:
    client.force_login(outsider)

    response = client.get(URL)

    assert response.status_code == 200
    assert all(not box["items"] for box in response.context["boxes"])


def test_a_dispatcher_accepts_assigns_and_decides_extensions(desk, jxj_clerk) -> None:
    found = boxes(jxj_clerk)

    assert found["to_accept"] == {"待受理"}
    assert found["to_assign"] == {"待交办"}
    assert found["extensions"] == {"申请延期"}
    assert found["to_handle"] == set()  # the service centre leads none of these


def test_the_leader_also_sees_what_is_overdue_and_closed_unresolved(desk, leader) -> None:
    found = boxes(leader)

    assert found["to_accept"] == {"待受理"}
    assert found["overdue"] == {"已超期"}
    assert found["flagged"] == set()


def test_the_lead_department_handles_and_the_co_department_co_handles(desk, flow) -> None:
    lead, co = boxes(flow.lead), boxes(flow.co)

    assert lead["to_handle"] == {"待办理", "申请延期", "已超期"}
    assert lead["overdue"] == {"已超期"}
    assert co["co_handle"] == {"待办理", "申请延期", "已超期"}
    assert co["to_handle"] == set()
    assert "to_accept" not in lead


def test_the_enterprise_rates_and_follows_its_open_appeals(desk, flow) -> None:
    found = boxes(flow.enterprise_user)

    assert found["to_rate"] == {"待评价"}
    assert found["open"] == {"待受理", "待交办", "待办理", "申请延期", "已超期"}


def test_a_street_sees_what_is_overdue_in_its_street(desk, licun_clerk, loushan_clerk) -> None:
    assert boxes(licun_clerk) == {"overdue": {"已超期"}}
    assert boxes(loushan_clerk) == {"overdue": set()}


@pytest.mark.parametrize(
    ("who", "testid", "title"),
    [
        ("leader", "inbox-to_accept", "待受理"),
        ("jxj_clerk", "inbox-extensions", "申请延期"),
        ("zrj_clerk", "inbox-to_handle", "待办理"),
        ("zjj_clerk", "inbox-co_handle", "待办理"),
        ("enterprise_user", "inbox-to_rate", "待评价"),
        ("licun_clerk", "inbox-overdue", "已超期"),
    ],
)
def test_the_page_shows_each_box_in_chinese(client, request, desk, who, testid, title) -> None:
    client.force_login(request.getfixturevalue(who))

    html = client.get(URL).content.decode()

    box = html.split(f'data-testid="{testid}"')[1].split("</section>")[0]
    assert title in box
    assert zh("My inbox") in html
