"""Following one's own idea with its tracking code: any state, the reason when not published, the
official answer, the plan and progress, the author's timeline (no staff names), withdrawing, and
never the contact in clear."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.ideas import services
from qifu.ideas.models import Idea, Status

pytestmark = pytest.mark.django_db

TOKEN = "track-token-1"
CODE = services.tracking_code_for(TOKEN)


def html(response: Any) -> str:
    return response.content.decode()


def track(client: Any, code: str = CODE) -> Any:
    return client.get("/ideas/track/", {"code": code})


def test_the_tracking_form_opens_without_a_code(client, district):
    response = client.get("/ideas/track/")
    assert response.status_code == 200
    assert 'data-testid="track-form"' in html(response)
    assert 'data-testid="track-idea"' not in html(response)


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.PUBLISHED, Status.NOT_PUBLISHED, Status.ADOPTED]
)
def test_the_right_code_shows_the_idea_in_any_state(client, make_idea, status):
    make_idea(status, client_token=TOKEN, title="我的建议")
    response = track(client)
    assert response.status_code == 200
    text = html(response)
    assert "我的建议" in text
    assert f'data-status="{status}"' in text
    assert 'data-testid="track-timeline"' in text


def test_the_code_is_read_whatever_its_case_and_spacing(client, make_idea):
    make_idea(Status.SUBMITTED, client_token=TOKEN, title="我的建议")
    assert "我的建议" in html(track(client, f"  {CODE.lower().replace('-', ' ')} "))


def test_a_wrong_code_is_not_found_with_a_clear_message(client, make_idea):
    make_idea(Status.SUBMITTED, client_token=TOKEN)
    response = track(client, "ABCDE-FGHJK")
    assert response.status_code == 404
    text = html(response)
    assert 'data-testid="track-error"' in text
    assert 'data-testid="track-idea"' not in text


def test_an_empty_or_overlong_code_is_refused_with_a_message(client, district):
    for code in ("", "   ", "A" * 40):
        response = track(client, code)
        assert response.status_code == 400
        assert 'data-testid="error-code"' in html(response)


def test_the_reason_for_not_publishing_is_shown_to_the_author(client, make_idea):
    make_idea(Status.NOT_PUBLISHED, client_token=TOKEN)
    text = html(track(client))
    assert 'data-testid="track-reason"' in text
    assert "含有个人信息" in text
    assert 'data-testid="track-public-link"' not in text


def test_the_author_sees_the_answer_plan_progress_and_timeline_without_staff_names(
    client, make_idea, leader, jxj_clerk, jxj
):
    idea = make_idea("answered", client_token=TOKEN)
    before = html(track(client))
    assert "经研究，拟采纳。" not in before  # the draft is not public yet
    services.idea_approve_answer(idea=idea, by=leader)
    services.idea_progress(idea=idea, by=jxj_clerk, text="完成选址论证")
    text = html(track(client))
    assert "经研究，拟采纳。" in text
    assert "年内完成选址" in text
    assert "完成选址论证" in text
    timeline = text.split('data-testid="track-timeline"')[1].split("</ol>")[0]
    assert jxj.name in timeline  # handed to the department
    assert timeline.count("<li") >= 5  # submit, publish, assign, approve_answer, progress
    for person in (leader, jxj_clerk):
        assert person.display_name not in text.split('data-testid="track-idea"')[1]
        assert person.username not in text.split('data-testid="track-idea"')[1]
    assert 'data-testid="withdraw"' not in text  # adopted ideas are not withdrawn


def test_the_contact_is_shown_masked_at_most(client, make_idea):
    make_idea(Status.SUBMITTED, client_token=TOKEN, contact="13912345678")
    text = html(track(client))
    assert "13912345678" not in text
    assert "139****5678" in text


def test_the_author_withdraws_the_idea_with_the_code(client, make_idea):
    idea = make_idea(Status.PUBLISHED, client_token=TOKEN)
    text = html(track(client))
    assert 'data-testid="withdraw-form"' in text
    response = client.post("/ideas/track/withdraw/", {"code": CODE, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/track/?code={CODE}"
    idea.refresh_from_db()
    assert idea.status == Status.WITHDRAWN
    after = html(client.get(response["Location"]))
    assert 'data-status="withdrawn"' in after
    assert 'data-testid="withdraw-form"' not in after
    assert client.get(f"/ideas/{idea.pk}/").status_code == 404


def test_withdrawing_needs_the_confirmation(client, make_idea):
    idea = make_idea(Status.SUBMITTED, client_token=TOKEN)
    response = client.post("/ideas/track/withdraw/", {"code": CODE})
    assert response.status_code == 400
    assert 'data-testid="error-confirm"' in html(response)
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED


def test_withdrawing_with_a_wrong_code_is_not_found(client, make_idea):
    idea = make_idea(Status.SUBMITTED, client_token=TOKEN)
    for code in ("ABCDE-FGHJK", ""):
        response = client.post("/ideas/track/withdraw/", {"code": code, "confirm": "on"})
        assert response.status_code == 404
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED


def test_a_decided_idea_cannot_be_withdrawn(client, make_idea):
    idea = make_idea(Status.DECLINED, client_token=TOKEN)
    assert 'data-testid="withdraw-form"' not in html(track(client))
    response = client.post("/ideas/track/withdraw/", {"code": CODE, "confirm": "on"})
    assert response.status_code == 409
    assert 'data-testid="track-error"' in html(response)
    idea.refresh_from_db()
    assert idea.status == Status.DECLINED


def test_a_script_title_is_escaped_on_the_tracking_page(client, make_idea):
    make_idea(Status.SUBMITTED, client_token=TOKEN, title="<script>alert(1)</script>标题")
    text = html(track(client))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in text
    assert "<script>alert(1)</script>" not in text


def test_the_whole_journey_from_the_form_to_the_answer(client, leader, jxj, jxj_clerk):
    """A visitor submits, the district publishes and assigns, the department answers, the leader
    approves, and the visitor reads the answer with the tracking code."""
    import re

    form = html(client.get("/ideas/new/"))
    token = re.search(r'name="client_token" value="([0-9a-f]{32})"', form).group(1)
    client.post(
        "/ideas/new/",
        {
            "title": "西部片区增加公交线路",
            "body": "楼山一带上下班公交太挤，建议加密班次。",
            "zone": "west",
            "topic": "services",
            "contact": "13600001234",
            "consent": "on",
            "client_token": token,
        },
    )
    code = re.search(
        r'data-testid="tracking-code">([A-Z0-9-]+)<', html(client.get("/ideas/thanks/"))
    ).group(1)
    idea = Idea.objects.get(title="西部片区增加公交线路")
    services.idea_publish(idea=idea, by=leader)
    services.idea_assign(idea=idea, by=leader, department=jxj)
    services.idea_answer(idea=idea, by=jxj_clerk, text="已协调公交集团加密班次。", outcome="reply")
    services.idea_approve_answer(idea=idea, by=leader)
    text = html(client.get("/ideas/track/", {"code": code}))
    assert "已协调公交集团加密班次。" in text
    assert "13600001234" not in text
