"""/api/v1/ideas/ for the public: published ideas only, never a contact; submitting with the
tracking code, supporting and reporting, following and withdrawing with the code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from qifu.ideas import services
from qifu.ideas.models import BlockedSender, Idea, Report, Status, Support
from qifu.ideas.tests.conftest import as_, next_phone

pytestmark = pytest.mark.django_db

URL = "/api/v1/ideas/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def detail_url(idea: Idea) -> str:
    return f"{URL}{idea.pk}/"


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def submission(**overrides) -> dict:
    values = {
        "title": "西部片区老厂房改造成文创园",
        "body": "楼山一带老厂房较多，建议改造为文创园区，带动周边商业。",
        "zone": "west",
        "topic": "urban",
        "author_name": "李女士",
        "contact": next_phone(),
        "consent": True,
        "client_token": "",
    }
    values.update(overrides)
    return values


# --- the list ------------------------------------------------------------------------------------


def test_anonymous_sees_only_published_ideas_that_are_not_hidden(api, make_idea, leader) -> None:
    # "answered": under evaluation (public), with a draft answer that is not
    public = {make_idea(s).pk for s in ("published", "evaluating", "answered", "adopted")}
    public.add(make_idea(Status.DECLINED).pk)
    duplicate = make_idea(Status.DUPLICATE)
    public |= {duplicate.pk, duplicate.duplicate_of_id}
    private = {make_idea(s).pk for s in ("submitted", "not_published")}
    private.add(make_idea(Status.WITHDRAWN, client_token="gone").pk)
    private.add(services.idea_hide(idea=make_idea(Status.PUBLISHED), by=leader, reason="广告").pk)

    response = api.get(URL)

    assert response.status_code == 200
    assert ids(response) == public
    assert response.json()["count"] == len(public)
    assert not ids(response) & private


def test_the_public_list_never_shows_a_contact_nor_anything_about_the_sender(
    api, make_idea
) -> None:
    make_idea(Status.PUBLISHED, contact="13812345678")
    make_idea(Status.ADOPTED, contact="Zhang.Wei@Example.cn")

    response = api.get(URL)

    text = response.content.decode()
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2
    for secret in ("13812345678", "138****5678", "zhang.wei@example.cn", "example.cn", "z***"):
        assert secret not in text.lower()
    row = response.json()["results"][0]
    for field in (
        "contact",
        "contact_kind",
        "ip_key",
        "contact_key",
        "tracking_hash",
        "client_token",
        "open_reports",
        "hidden",
        "hidden_reason",
        "rejection_reason",
    ):
        assert field not in row


def test_a_public_row_has_zone_topic_status_and_their_labels(api, make_idea, zones) -> None:
    make_idea(Status.EVALUATING, zone="east", author_name="")

    row = api.get(URL).json()["results"][0]

    assert row["zone"] == {"code": "east", "name": zones["east"].name}
    assert row["topic"] == "industry"
    assert row["topic_label"]
    assert row["status"] == "evaluating"
    assert row["status_label"]
    assert row["author_name"] is None
    assert row["department"] == "区经济和信息化局"
    assert row["answer"] is None
    assert row["can_support"] is True
    assert row["published_at"]


def test_an_idea_about_the_whole_district_has_no_zone(api, make_idea) -> None:
    make_idea(Status.PUBLISHED, zone="")

    row = api.get(URL).json()["results"][0]

    assert row["zone"] is None


def test_the_public_list_filters_by_zone_topic_state_and_text(api, make_idea) -> None:
    east = make_idea(Status.PUBLISHED, zone="east", topic="ecology", title="东部湿地公园")
    whole = make_idea(Status.ADOPTED, zone="", topic="services", title="全区社区食堂")
    west = make_idea(Status.PUBLISHED, zone="west", topic="ecology", title="西部河道治理")

    assert ids(api.get(URL, {"zone": "east"})) == {east.pk}
    assert ids(api.get(URL, {"zone": "all"})) == {whole.pk}
    assert ids(api.get(URL, {"topic": "ecology"})) == {east.pk, west.pk}
    assert ids(api.get(URL, {"status": "adopted"})) == {whole.pk}
    assert ids(api.get(URL, {"q": "河道"})) == {west.pk}
    assert ids(api.get(URL, {"zone": "west", "topic": "services"})) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "submitted"},  # not a public state
        {"status": "nonsense"},
        {"topic": "sports"},
        {"zone": "north"},
    ],
)
def test_a_bad_filter_value_is_400_with_a_chinese_message(api, make_idea, params) -> None:
    make_idea(Status.SUBMITTED)

    response = api.get(URL, params)

    assert response.status_code == 400
    assert CHINESE.search(response.json()["detail"])
    assert set(response.json()["errors"]) == set(params)


def test_the_list_is_paged(api, make_idea) -> None:
    for _ in range(3):
        make_idea(Status.PUBLISHED)

    response = api.get(URL, {"page_size": 2})

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2
    assert response.json()["next"]


@pytest.mark.parametrize("who", ["enterprise_user", "licun_clerk", "no_role_user"])
def test_an_account_that_is_not_ideas_staff_gets_the_public_list(
    api, make_idea, request, who
) -> None:
    published = make_idea(Status.PUBLISHED, contact="13812345678")
    make_idea(Status.SUBMITTED)
    as_(api, request.getfixturevalue(who))

    response = api.get(URL)

    assert ids(response) == {published.pk}
    assert "13812345678" not in response.content.decode()
    assert "contact" not in response.json()["results"][0]


# --- the detail ----------------------------------------------------------------------------------


def test_the_public_detail_has_the_answer_the_plan_and_the_progress(api, make_idea, leader) -> None:
    idea = make_idea(Status.ADOPTED)
    services.idea_progress(idea=idea, by=leader, text="完成选址", done=False)

    response = api.get(detail_url(idea))

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "adopted"
    assert body["answer"]["text"] == "年内完成选址"
    assert body["answer"]["answered_at"]
    assert body["adoption_plan"] == "年内完成选址"
    assert body["adoption_due"] == (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    assert body["department"] is None  # named while it is evaluated
    assert body["can_support"] is False
    assert [p["text"] for p in body["progress"]] == ["完成选址"]
    assert set(body["progress"][0]) == {"on", "text", "done"}
    assert "contact" not in body


def test_a_draft_answer_is_not_public_until_approved(api, make_idea) -> None:
    idea = make_idea("answered")

    body = api.get(detail_url(idea)).json()

    assert body["answer"] is None
    assert "经研究" not in str(body)


def test_a_duplicate_points_to_the_idea_it_repeats(api, make_idea) -> None:
    idea = make_idea(Status.DUPLICATE)

    body = api.get(detail_url(idea)).json()

    assert body["duplicate_of"] == idea.duplicate_of_id


@pytest.mark.parametrize("state", ["submitted", "not_published", "withdrawn", "hidden"])
def test_an_idea_that_is_not_public_is_404(api, make_idea, leader, state) -> None:
    if state == "hidden":
        idea = services.idea_hide(idea=make_idea(Status.PUBLISHED), by=leader, reason="广告")
    else:
        idea = make_idea(state, client_token=f"token-{state}")

    assert api.get(detail_url(idea)).status_code == 404


def test_an_unknown_idea_is_404(api, org) -> None:
    assert api.get(f"{URL}999999/").status_code == 404


def test_an_outsider_gets_404_for_a_private_idea_and_the_public_view_of_a_public_one(
    api, make_idea, outsider
) -> None:
    private = make_idea(Status.SUBMITTED)
    public = make_idea(Status.PUBLISHED, contact="13812345678")
    as_(api, outsider)

    assert api.get(detail_url(private)).status_code == 404
    response = api.get(detail_url(public))
    assert response.status_code == 200
    assert "contact" not in response.json()
    assert "timeline" not in response.json()
    assert "13812345678" not in response.content.decode()


def test_the_idea_endpoint_refuses_changes(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    assert api.put(detail_url(idea), {"title": "x"}, format="json").status_code == 405
    assert api.delete(detail_url(idea)).status_code == 405
    assert Idea.objects.filter(pk=idea.pk).exists()


# --- a <script> title ----------------------------------------------------------------------------


def test_a_script_title_comes_back_unchanged_as_json_text_never_as_html(
    api, make_idea, leader
) -> None:
    title = "<script>alert('x')</script>好主意"
    body = '<img src=x onerror="alert(1)"> & <b>粗体</b>'
    idea = make_idea(Status.PUBLISHED, title=title, body=body)

    for url in (URL, detail_url(idea)):
        response = api.get(url, HTTP_ACCEPT="text/html,application/json;q=0.9")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        row = data["results"][0] if "results" in data else data
        assert row["title"] == title
        assert row["body"] == body
        assert "&lt;" not in response.content.decode()  # text, not HTML-escaped either


def test_the_api_never_answers_in_html(api, make_idea) -> None:
    make_idea(Status.PUBLISHED, title="<script>alert(1)</script>")

    response = api.get(URL, HTTP_ACCEPT="text/html")

    assert not response["Content-Type"].startswith("text/html")


# --- submitting ----------------------------------------------------------------------------------


def test_anyone_may_submit_an_idea_and_gets_a_tracking_code(api, district, zones) -> None:
    response = api.post(URL, submission(contact="138 1234 5678"), format="json")

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "submitted"
    assert body["created"] is True
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", body["tracking_code"])
    idea = Idea.objects.get(pk=body["id"])
    assert idea.status == Status.SUBMITTED
    assert idea.zone == zones["west"]
    assert idea.contact == "13812345678"
    assert idea.district == district
    assert idea.ip_key  # the client address, as a key
    assert "13812345678" not in response.content.decode()
    assert api.get(f"{URL}track/{body['tracking_code']}/").json()["id"] == idea.pk


def test_a_submitted_idea_waits_for_review_before_the_public_sees_it(api, org) -> None:
    created = api.post(URL, submission(), format="json").json()

    assert api.get(f"{URL}{created['id']}/").status_code == 404
    assert api.get(URL).json()["count"] == 0


@pytest.mark.parametrize("zone", ["", "all"])
def test_an_empty_zone_or_all_is_the_whole_district(api, org, zone) -> None:
    response = api.post(URL, submission(zone=zone), format="json")

    assert response.status_code == 201
    assert Idea.objects.get(pk=response.json()["id"]).zone is None


def test_the_same_form_sent_twice_is_one_idea_with_the_same_code(api, org) -> None:
    form = submission(client_token="form-7f3a9c")

    first = api.post(URL, form, format="json")
    again = api.post(URL, form, format="json")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["created"] is False
    assert Idea.objects.count() == 1


def test_the_idempotency_key_header_works_as_the_form_token(api, org) -> None:
    first = api.post(URL, submission(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(URL, submission(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert Idea.objects.count() == 1


def test_a_filled_honeypot_is_400_and_nothing_is_saved(api, org) -> None:
    response = api.post(URL, submission(website="http://spam.example"), format="json")

    assert response.status_code == 400
    assert CHINESE.search(response.json()["detail"])
    assert Idea.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": ""}, "body"),
        ({"body": "字" * 2001}, "body"),
        ({"contact": ""}, "contact"),
        ({"contact": "12345"}, "contact"),
        ({"contact": "not-an-email@"}, "contact"),
        ({"consent": False}, "consent"),
        ({"zone": "north"}, "zone"),
        ({"topic": "sports"}, "topic"),
        ({"author_name": "名" * 31}, "author_name"),
        ({"client_token": "t" * 65}, "client_token"),
    ],
)
def test_bad_input_is_400_by_field_and_nothing_is_saved(api, org, overrides, field) -> None:
    response = api.post(URL, submission(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert CHINESE.search(response.json()["detail"])
    assert Idea.objects.count() == 0


def test_a_form_post_works_as_well_as_json(api, org) -> None:
    response = api.post(URL, {**submission(), "consent": "on"})

    assert response.status_code == 201


# --- the CAPTCHA ---------------------------------------------------------------------------------


def test_a_fresh_captcha_has_a_key_and_a_picture(api, org) -> None:
    from captcha.models import CaptchaStore

    response = api.get(f"{URL}captcha/")

    body = response.json()
    assert response.status_code == 200
    assert CaptchaStore.objects.filter(hashkey=body["key"]).exists()
    assert body["image_url"] == f"/captcha/image/{body['key']}/"
    assert api.get(body["image_url"]).status_code == 200


def _answer(key: str) -> str:
    from captcha.models import CaptchaStore

    return CaptchaStore.objects.get(hashkey=key).response


def test_the_third_idea_from_one_address_needs_the_captcha(api, org) -> None:
    assert api.post(URL, submission(), format="json").status_code == 201
    assert api.post(URL, submission(), format="json").status_code == 201

    third = api.post(URL, submission(title="第三条建议"), format="json")

    body = third.json()
    assert third.status_code == 400
    assert body["code"] == "captcha_required"
    assert body["captcha"]["key"]
    assert body["captcha"]["image_url"].startswith("/captcha/image/")
    assert body["detail"]
    assert Idea.objects.count() == 2


def test_a_right_captcha_answer_lets_the_idea_through_once(api, org) -> None:
    from captcha.models import CaptchaStore

    api.post(URL, submission(), format="json")
    api.post(URL, submission(), format="json")
    key = api.post(URL, submission(), format="json").json()["captcha"]["key"]
    value = _answer(key)

    passed = api.post(
        URL,
        submission(captcha_key=key, captcha_value=f" {value.upper()} "),
        format="json",
    )
    reused = api.post(URL, submission(captcha_key=key, captcha_value=value), format="json")

    assert passed.status_code == 201
    assert not CaptchaStore.objects.filter(hashkey=key).exists()  # used up
    assert reused.status_code == 400
    assert reused.json()["code"] == "captcha_required"
    assert Idea.objects.count() == 3


def test_a_wrong_captcha_answer_is_400_with_a_new_picture(api, org) -> None:
    api.post(URL, submission(), format="json")
    api.post(URL, submission(), format="json")
    key = api.post(URL, submission(), format="json").json()["captcha"]["key"]

    response = api.post(URL, submission(captcha_key=key, captcha_value="wrong!"), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "captcha_required"
    assert response.json()["captcha"]["key"] != key
    assert Idea.objects.count() == 2


def test_an_expired_captcha_does_not_pass(api, org) -> None:
    from captcha.models import CaptchaStore

    api.post(URL, submission(), format="json")
    api.post(URL, submission(), format="json")
    key = api.post(URL, submission(), format="json").json()["captcha"]["key"]
    CaptchaStore.objects.filter(hashkey=key).update(
        expiration=timezone.now() - dt.timedelta(minutes=1)
    )

    response = api.post(URL, submission(captcha_key=key, captcha_value=_answer(key)), format="json")

    assert response.json()["code"] == "captcha_required"


def test_the_third_idea_from_one_contact_needs_the_captcha_from_any_address(api, org) -> None:
    phone = next_phone()
    for n in (1, 2):
        response = api.post(
            URL,
            submission(contact=phone, title=f"建议{n}"),
            format="json",
            REMOTE_ADDR=f"10.1.{n}.1",
        )
        assert response.status_code == 201

    third = api.post(
        URL, submission(contact=phone, title="建议3"), format="json", REMOTE_ADDR="10.1.3.1"
    )

    assert third.json()["code"] == "captcha_required"


def test_a_blocked_sender_is_403(api, make_idea, leader) -> None:
    phone = next_phone()
    services.sender_block(by=leader, idea=make_idea(contact=phone), reason="广告")

    response = api.post(URL, submission(contact=phone), format="json", REMOTE_ADDR="10.2.0.1")

    assert response.status_code == 403
    assert response.json()["detail"]
    assert Idea.objects.filter(contact=phone).count() == 1


# --- supporting ----------------------------------------------------------------------------------


def test_anyone_may_support_a_published_idea_once_per_contact(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    first = api.post(f"{detail_url(idea)}support/", {"contact": "13812345678"}, format="json")
    again = api.post(f"{detail_url(idea)}support/", {"contact": "+86 138-1234-5678"}, format="json")

    assert first.status_code == 201
    assert first.json() == {"id": idea.pk, "support_count": 1}
    assert again.status_code == 409
    assert again.json()["detail"]
    assert Support.objects.filter(idea=idea).count() == 1
    assert api.get(detail_url(idea)).json()["support_count"] == 1
    assert "13812345678" not in str(Support.objects.values())


def test_an_idea_under_evaluation_may_be_supported_an_adopted_one_not(api, make_idea) -> None:
    evaluating = make_idea(Status.EVALUATING)
    adopted = make_idea(Status.ADOPTED)

    ok = api.post(f"{detail_url(evaluating)}support/", {"contact": next_phone()}, format="json")
    closed = api.post(f"{detail_url(adopted)}support/", {"contact": next_phone()}, format="json")

    assert ok.status_code == 201
    assert closed.status_code == 409
    assert closed.json()["detail"]


@pytest.mark.parametrize("state", ["submitted", "not_published", "withdrawn"])
def test_an_idea_that_is_not_public_cannot_be_supported(api, make_idea, state) -> None:
    idea = make_idea(state, client_token=f"token-{state}")

    response = api.post(f"{detail_url(idea)}support/", {"contact": next_phone()}, format="json")

    assert response.status_code == 404
    assert not Support.objects.exists()


@pytest.mark.parametrize("data", [{}, {"contact": ""}, {"contact": "123"}])
def test_a_support_needs_a_valid_contact(api, make_idea, data) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = api.post(f"{detail_url(idea)}support/", data, format="json")

    assert response.status_code == 400
    assert "contact" in response.json()["errors"]
    assert not Support.objects.exists()


def test_supporting_is_a_post(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    assert api.get(f"{detail_url(idea)}support/").status_code == 405


def test_a_blocked_contact_cannot_support(api, make_idea, leader) -> None:
    phone = next_phone()
    services.sender_block(by=leader, idea=make_idea(contact=phone), reason="刷票")
    idea = make_idea(Status.PUBLISHED)

    response = api.post(f"{detail_url(idea)}support/", {"contact": phone}, format="json")

    assert response.status_code == 403
    assert not Support.objects.exists()


# --- reporting -----------------------------------------------------------------------------------


def test_anyone_may_report_a_published_idea_once_per_contact(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)
    url = f"{detail_url(idea)}report/"

    first = api.post(url, {"contact": "13812345678", "reason": "含广告"}, format="json")
    again = api.post(url, {"contact": "13812345678", "reason": "还是广告"}, format="json")

    assert first.status_code == 201
    assert first.json()["id"] == idea.pk
    assert again.status_code == 409
    assert Report.objects.filter(idea=idea).count() == 1


def test_three_reports_hide_the_idea_until_a_moderator_looks(api, make_idea, leader) -> None:
    idea = make_idea(Status.PUBLISHED)
    url = f"{detail_url(idea)}report/"

    for n in range(3):
        response = api.post(url, {"contact": next_phone(), "reason": f"不当内容{n}"}, format="json")
        assert response.status_code == 201

    idea.refresh_from_db()
    assert idea.hidden
    assert idea.open_reports == 3
    assert api.get(detail_url(idea)).status_code == 404
    assert idea.pk not in ids(api.get(URL))
    fourth = api.post(url, {"contact": next_phone(), "reason": "再举报"}, format="json")
    assert fourth.status_code == 404
    staff = as_(api, leader).get(detail_url(idea)).json()
    assert staff["hidden"] is True
    assert staff["open_reports"] == 3


def test_two_reports_do_not_hide_the_idea(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED)

    for _ in range(2):
        api.post(f"{detail_url(idea)}report/", {"contact": next_phone(), "reason": "不当"})

    assert api.get(detail_url(idea)).status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"contact": "13812345678", "reason": ""}, "reason"),
        ({"contact": "13812345678", "reason": "长" * 201}, "reason"),
        ({"contact": "x", "reason": "广告"}, "contact"),
    ],
)
def test_a_report_needs_a_reason_and_a_contact(api, make_idea, data, field) -> None:
    idea = make_idea(Status.PUBLISHED)

    response = api.post(f"{detail_url(idea)}report/", data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Report.objects.exists()


def test_an_idea_that_is_not_public_cannot_be_reported(api, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED)

    response = api.post(
        f"{detail_url(idea)}report/", {"contact": next_phone(), "reason": "广告"}, format="json"
    )

    assert response.status_code == 404


# --- the tracking code ---------------------------------------------------------------------------


def test_the_tracking_code_shows_the_author_their_idea(api, make_idea, leader) -> None:
    leader.full_name = "赵区长"
    leader.save()
    idea = make_idea(Status.ADOPTED, client_token="tok-1")
    code = services.tracking_code_for("tok-1")

    response = api.get(f"{URL}track/{code}/")

    body = response.json()
    assert response.status_code == 200
    assert body["id"] == idea.pk
    assert body["status"] == "adopted"
    assert body["status_label"]
    assert body["answer"]["text"] == "年内完成选址"
    assert body["adoption_plan"] == "年内完成选址"
    assert body["can_withdraw"] is False
    assert [e["action"] for e in body["timeline"]] == ["submit", "publish", "assign", "adopt"]
    assert all(e["action_label"] for e in body["timeline"])
    assert "赵区长" not in response.content.decode()
    assert "leader" not in response.content.decode()
    assert "actor" not in body["timeline"][0]
    assert "contact" not in body


def test_the_code_may_be_typed_in_lower_case_without_the_dash(api, make_idea) -> None:
    idea = make_idea(Status.SUBMITTED, client_token="tok-2")
    code = services.tracking_code_for("tok-2").replace("-", "").lower()

    response = api.get(f"{URL}track/{code}/")

    assert response.json()["id"] == idea.pk
    assert response.json()["can_withdraw"] is True


def test_the_author_reads_why_the_idea_was_not_published(api, make_idea) -> None:
    make_idea(Status.NOT_PUBLISHED, client_token="tok-3")

    body = api.get(f"{URL}track/{services.tracking_code_for('tok-3')}/").json()

    assert body["status"] == "not_published"
    assert body["rejection_reason"] == "含有个人信息"
    assert body["timeline"][-1]["note"] == "含有个人信息"


def test_the_author_does_not_see_the_draft_answer(api, make_idea) -> None:
    make_idea("answered", client_token="tok-4")

    response = api.get(f"{URL}track/{services.tracking_code_for('tok-4')}/")

    assert response.json()["answer"] is None
    assert "经研究" not in response.content.decode()
    assert "answer" not in [e["action"] for e in response.json()["timeline"]]


def test_an_unknown_tracking_code_is_404(api, org) -> None:
    assert api.get(f"{URL}track/ABCDE-FGHJK/").status_code == 404


def test_the_author_withdraws_the_idea_with_the_code(api, make_idea) -> None:
    idea = make_idea(Status.PUBLISHED, client_token="tok-5")
    url = f"{URL}track/{services.tracking_code_for('tok-5')}/withdraw/"

    response = api.post(url)
    again = api.post(url)

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["can_withdraw"] is False
    idea.refresh_from_db()
    assert idea.status == Status.WITHDRAWN
    assert again.status_code == 409
    assert api.get(detail_url(idea)).status_code == 404


def test_an_adopted_idea_cannot_be_withdrawn(api, make_idea) -> None:
    idea = make_idea(Status.ADOPTED, client_token="tok-6")

    response = api.post(f"{URL}track/{services.tracking_code_for('tok-6')}/withdraw/")

    assert response.status_code == 409
    idea.refresh_from_db()
    assert idea.status == Status.ADOPTED


def test_withdrawing_with_an_unknown_code_is_404_and_needs_a_post(api, make_idea) -> None:
    make_idea(Status.PUBLISHED, client_token="tok-7")

    assert api.post(f"{URL}track/ABCDE-FGHJK/withdraw/").status_code == 404
    code = services.tracking_code_for("tok-7")
    assert api.get(f"{URL}track/{code}/withdraw/").status_code == 405


# --- statistics and similar ideas ----------------------------------------------------------------


def test_the_public_statistics_count_the_published_ideas_only(api, make_idea) -> None:
    make_idea(Status.ADOPTED, zone="east")
    make_idea(Status.DECLINED)
    make_idea(Status.PUBLISHED)
    make_idea(Status.SUBMITTED)
    make_idea(Status.NOT_PUBLISHED)

    body = api.get(f"{URL}stats/").json()

    assert body["total"] == 3
    assert body["adopted"] == 1
    assert body["adoption_rate"] == 50.0
    assert body["answered"] == 2
    assert {row["key"]: row["total"] for row in body["by_status"]}["published"] == 1
    east = next(row for row in body["by_zone"] if row["name"] == "东部")
    assert east["total"] == 1
    assert "submitted" not in {row["key"] for row in body["by_status"]}


def test_staff_statistics_count_their_scope_in_every_state(api, make_idea, leader) -> None:
    make_idea(Status.ADOPTED)
    make_idea(Status.SUBMITTED)

    body = as_(api, leader).get(f"{URL}stats/").json()

    assert body["total"] == 2


def test_a_bad_since_date_is_400(api, org) -> None:
    assert api.get(f"{URL}stats/", {"since": "yesterday"}).status_code == 400


def test_similar_published_ideas_are_shown_while_writing(api, make_idea) -> None:
    similar = make_idea(Status.PUBLISHED, title="建设科技企业孵化器", contact="13812345678")
    make_idea(Status.PUBLISHED, title="社区食堂", body="老年人吃饭难，建议建社区食堂。")
    make_idea(Status.SUBMITTED, title="建设科技企业孵化器")

    response = api.get(f"{URL}similar/", {"text": "科技企业孵化器"})

    assert response.status_code == 200
    found = [row["id"] for row in response.json()]
    assert found[0] == similar.pk
    assert len(found) <= 5
    assert "13812345678" not in response.content.decode()
    assert api.get(f"{URL}similar/", {"text": "孵化"}).json() == []
    assert api.get(f"{URL}similar/").json() == []


def test_a_blocked_sender_record_never_shows_in_a_public_answer(api, make_idea, leader) -> None:
    phone = next_phone()
    idea = make_idea(Status.PUBLISHED, contact=phone)
    services.sender_block(by=leader, idea=idea, reason="广告")

    text = api.get(URL).content.decode() + api.get(detail_url(idea)).content.decode()

    assert phone not in text
    assert BlockedSender.objects.count() == 1
