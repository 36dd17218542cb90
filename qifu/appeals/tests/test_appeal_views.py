"""/appeals/<id>/ and /appeals/<id>/<action>/: the appeal's page, its timeline, and the workflow's
actions as forms (409 with a Chinese message when the state does not allow them, 403 for the
wrong actor, 404 outside the scope)."""

from __future__ import annotations

import pytest

from qifu.appeals.models import Appeal, Status
from qifu.appeals.tests.conftest import department, status_label
from qifu.core.tests.helpers import is_chinese, zh

pytestmark = pytest.mark.django_db


def url(appeal, action: str = "") -> str:
    return f"/appeals/{appeal.pk}/{action + '/' if action else ''}"


def status_of(appeal) -> str:
    return Appeal.objects.values_list("status", flat=True).get(pk=appeal.pk)


# --- The page -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, flow) -> None:
    appeal = flow.submitted()

    page = client.get(url(appeal))
    action = client.post(url(appeal, "accept"))

    assert page.status_code == action.status_code == 302
    assert page["Location"].startswith(f"/accounts/login/?next=/appeals/{appeal.pk}/")
    assert status_of(appeal) == Status.SUBMITTED


def test_post_to_the_page_and_get_of_an_action_are_not_allowed(client, flow) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    assert client.post(url(appeal)).status_code == 405
    assert client.get(url(appeal, "accept")).status_code == 405


@pytest.mark.parametrize(
    "who", ["outsider", "loushan_clerk", "ruifeng_user", "sysadmin", "auditor", "no_role_user"]
)
def test_an_appeal_outside_the_scope_is_not_found_and_cannot_be_acted_on(
    client, request, who, flow
) -> None:
    appeal = flow.submitted()
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(appeal)).status_code == 404
    assert client.post(url(appeal, "accept")).status_code == 404
    assert status_of(appeal) == Status.SUBMITTED


def test_an_unknown_action_is_not_found(client, flow) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    assert client.post(url(appeal, "approve_everything")).status_code == 404


def test_the_page_shows_the_appeal_and_its_timeline_in_chinese(client, flow) -> None:
    appeal = flow.replied()
    client.force_login(flow.enterprise_user)

    response = client.get(url(appeal))

    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.number in html
    assert "厂房土地证一直办不下来" in html
    assert 'data-testid="appeal-timeline"' in html
    for label in ("Submitted", "Accepted", "Assigned", "Replied"):
        assert zh(label) in html
    assert "已补办土地手续" in html  # the reply
    assert "历史遗留，未办理出让手续" in html  # the cause analysis
    assert "区自然资源局" in html


@pytest.mark.parametrize(
    ("who", "state", "shown", "hidden"),
    [
        ("leader", "submitted", ["do-accept"], ["do-reply", "do-rate"]),
        ("jxj_clerk", "accepted", ["do-assign"], ["do-accept", "do-reply"]),
        ("zrj_clerk", "assigned", ["do-reply", "handle-actions"], ["do-assign", "do-rate"]),
        ("enterprise_user", "replied", ["do-rate"], ["do-reply", "do-accept"]),
        ("licun_clerk", "submitted", [], ["do-accept", "do-reply", "do-rate"]),
    ],
)
def test_each_role_is_offered_the_actions_it_may_take_now(
    client, request, flow, who, state, shown, hidden
) -> None:
    appeal = flow.at(state)
    client.force_login(request.getfixturevalue(who))

    html = client.get(url(appeal)).content.decode()

    for testid in shown:
        assert f'data-testid="{testid}"' in html
    for testid in hidden:
        assert f'data-testid="{testid}"' not in html


# --- The actions ----------------------------------------------------------------------------


def test_the_leader_accepts_and_assigns_to_a_lead_and_a_co_handling_department(
    client, flow
) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    accepted = client.post(url(appeal, "accept"))
    assigned = client.post(
        url(appeal, "assign"),
        {"department": department("zrj").pk, "co_departments": [department("zjj").pk]},
        follow=True,
    )

    appeal.refresh_from_db()
    assert accepted.status_code == 302
    assert accepted["Location"] == url(appeal)
    assert appeal.status == Status.ASSIGNED
    assert appeal.lead_department.code == "zrj"
    assert [d.code for d in appeal.co_departments.all()] == ["zjj"]
    assert zh("Assigned.") in assigned.content.decode()


def test_an_action_the_state_does_not_allow_answers_409_with_a_chinese_message(
    client, flow
) -> None:
    appeal = flow.accepted()
    client.force_login(flow.leader)

    response = client.post(url(appeal, "accept"))

    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="appeal-error"' in html
    message = response.context["error"]
    assert is_chinese(message)
    assert message in html
    assert status_of(appeal) == Status.ACCEPTED


def test_rating_a_closed_appeal_again_answers_409(client, flow) -> None:
    appeal = flow.closed()
    client.force_login(flow.enterprise_user)

    response = client.post(url(appeal, "rate"), {"satisfaction": "very_dissatisfied"})

    assert response.status_code == 409
    appeal.refresh_from_db()
    assert (appeal.status, appeal.satisfaction) == (Status.CLOSED, "satisfied")


@pytest.mark.parametrize(
    ("who", "state", "action", "data"),
    [
        ("licun_clerk", "submitted", "accept", {}),  # a street sees its appeals, not dispatch
        ("enterprise_user", "submitted", "accept", {}),
        ("zjj_clerk", "in_progress", "reply", {"reply": "已办", "cause": "手续"}),
        ("enterprise_user", "in_progress", "progress", {"note": "催办"}),
        ("jxj_clerk", "replied", "rate", {"satisfaction": "satisfied"}),
        ("jxj_clerk", "assigned", "supervise", {"note": "请加快"}),
    ],
)
def test_an_action_by_the_wrong_actor_is_forbidden(
    client, request, flow, who, state, action, data
) -> None:
    appeal = flow.at(state)
    client.force_login(request.getfixturevalue(who))

    response = client.post(url(appeal, action), data)

    assert response.status_code == 403
    assert status_of(appeal) == state


def test_a_return_without_a_reason_answers_400_and_says_why(client, flow) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    response = client.post(url(appeal, "return"), {"reason": "  "})

    assert response.status_code == 400
    assert is_chinese(response.context["error"])
    assert status_of(appeal) == Status.SUBMITTED


def test_a_returned_appeal_shows_its_reason(client, flow) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    client.post(url(appeal, "return"), {"reason": "属于企业间合同纠纷，请通过司法途径解决"})

    appeal.refresh_from_db()
    assert appeal.status == Status.RETURNED
    assert appeal.return_reason == "属于企业间合同纠纷，请通过司法途径解决"
    client.force_login(flow.enterprise_user)
    assert "属于企业间合同纠纷" in client.get(url(appeal)).content.decode()


def test_the_lead_department_records_progress_and_replies(client, flow) -> None:
    appeal = flow.assigned()
    client.force_login(flow.lead)

    client.post(url(appeal, "progress"), {"note": "已现场踏勘"})
    client.post(url(appeal, "reply"), {"reply": "已协调办理土地证", "cause": "历史遗留"})

    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED
    assert (appeal.reply, appeal.cause) == ("已协调办理土地证", "历史遗留")


def test_a_problems_reply_without_its_cause_answers_400(client, flow) -> None:
    appeal = flow.in_progress()
    client.force_login(flow.lead)

    response = client.post(url(appeal, "reply"), {"reply": "已办理"})

    assert response.status_code == 400
    assert is_chinese(response.context["error"])
    assert status_of(appeal) == Status.IN_PROGRESS


def test_a_co_handling_department_sends_its_part_shown_to_the_lead(client, flow) -> None:
    appeal = flow.assigned()
    client.force_login(flow.co)

    client.post(url(appeal, "contribute"), {"text": "该地块规划用途为工业用地"})

    client.force_login(flow.lead)
    html = client.get(url(appeal)).content.decode()
    assert "该地块规划用途为工业用地" in html
    assert "区住房和城乡建设局" in html


def test_the_enterprise_rates_and_sees_its_appeal_closed(client, flow) -> None:
    appeal = flow.replied()
    client.force_login(flow.enterprise_user)

    response = client.post(
        url(appeal, "rate"), {"satisfaction": "satisfied", "comment": "很及时"}, follow=True
    )

    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert status_label("closed") in response.content.decode()


def test_the_lead_asks_for_an_extension_and_the_dispatcher_approves_it(
    client, flow, jxj_clerk
) -> None:
    appeal = flow.in_progress()
    deadline = appeal.deadline
    client.force_login(flow.lead)
    client.post(url(appeal, "extend_request"), {"working_days": 5, "reason": "需要测绘"})

    client.force_login(jxj_clerk)
    page = client.get(url(appeal)).content.decode()
    client.post(url(appeal, "extend_decide"), {"approve": "true"})

    appeal.refresh_from_db()
    assert "需要测绘" in page
    assert appeal.extension_days == 5
    assert appeal.deadline > deadline


def test_a_leader_supervises_and_the_department_sees_the_order(client, flow) -> None:
    appeal = flow.assigned()
    client.force_login(flow.leader)

    client.post(url(appeal, "supervise"), {"note": "请本周内办结"})

    client.force_login(flow.lead)
    html = client.get(url(appeal)).content.decode()
    assert "请本周内办结" in html
    assert zh("Supervision order") in html


def test_a_duplicate_is_marked_by_the_number_of_the_appeal_it_repeats(client, flow) -> None:
    original, repeat = flow.submitted(), flow.submitted(title="土地证的事情")
    client.force_login(flow.leader)

    client.post(url(repeat, "mark_duplicate"), {"target": original.number.lower()})

    repeat.refresh_from_db()
    assert repeat.duplicate_of == original
    assert repeat.status == Status.CLOSED
    html = client.get(url(original)).content.decode()
    assert repeat.number in html  # the original links to its duplicate


def test_a_duplicate_of_an_unknown_number_answers_400(client, flow) -> None:
    appeal = flow.submitted()
    client.force_login(flow.leader)

    response = client.post(url(appeal, "mark_duplicate"), {"target": "SQ-209901-9999"})

    assert response.status_code == 400
    assert is_chinese(response.context["error"])
    assert status_of(appeal) == Status.SUBMITTED
