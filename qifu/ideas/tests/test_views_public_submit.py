"""Submitting an idea on the public portal: the form, the thanks page with the tracking code, a
double submission, bad input, the honeypot, the CAPTCHA from the third idea of an address, the
rate limit, the block list, and similar ideas while writing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from captcha.models import CaptchaStore

from qifu.ideas import abuse, services
from qifu.ideas.models import Idea, Status
from qifu.ideas.tests.conftest import next_phone

pytestmark = pytest.mark.django_db

CLIENT_IP = "127.0.0.1"  # the test client's REMOTE_ADDR


def html(response: Any) -> str:
    return response.content.decode()


def form_token(client: Any) -> str:
    response = client.get("/ideas/new/")
    assert response.status_code == 200
    found = re.search(r'name="client_token" value="([0-9a-f]{32})"', html(response))
    assert found, "the form carries a fresh client_token"
    return found.group(1)


def post_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "在东部片区建设科技企业孵化器",
        "body": "建议利用老厂房改造为孵化器，吸引青年创业团队入驻，配套人才公寓。",
        "zone": "east",
        "topic": "industry",
        "author_name": "王先生",
        "contact": next_phone(),
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def send(client: Any, **overrides: Any) -> Any:
    overrides.setdefault("client_token", form_token(client))
    return client.post("/ideas/new/", post_data(**overrides))


def tracking_code(response: Any) -> str:
    found = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', html(response))
    assert found, "the thanks page shows the tracking code"
    return found.group(1)


# --- the form -----------------------------------------------------------------------------------


def test_the_form_has_every_field_the_consent_line_and_a_hidden_honeypot(client, district, zones):
    text = html(client.get("/ideas/new/"))
    for name in ("title", "body", "zone", "topic", "author_name", "contact", "consent"):
        assert f'name="{name}"' in text
    for zone in zones.values():
        assert zone.name in text
    assert 'value="all"' in text  # the whole district
    assert 'data-testid="idea-consent-text"' in text
    honeypot = re.search(r"<input[^>]*name=\"website\"[^>]*>", text).group(0)
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert 'aria-hidden="true"' in honeypot
    assert '<div class="visually-hidden" aria-hidden="true">' in text
    assert 'maxlength="60"' in text
    assert 'maxlength="2000"' in text
    assert 'data-testid="body-count"' in text
    assert 'hx-get="/ideas/similar/"' in text
    assert "js/idea-form.js" in text
    assert 'data-testid="idea-captcha"' not in text  # not for a first idea


def test_each_rendering_of_the_form_has_a_new_token(client, district):
    assert form_token(client) != form_token(client)


def test_a_visitor_submits_an_idea_and_gets_a_tracking_code(client, district, zones):
    response = send(client, title="东部片区建孵化器")
    assert response.status_code == 302
    assert response["Location"] == "/ideas/thanks/"
    idea = Idea.objects.get()
    assert idea.title == "东部片区建孵化器"
    assert idea.status == Status.SUBMITTED
    assert idea.zone == zones["east"]
    assert idea.author_name == "王先生"
    thanks = client.get("/ideas/thanks/")
    assert thanks.status_code == 200
    code = tracking_code(thanks)
    assert "东部片区建孵化器" in html(thanks)
    assert idea.tracking_hash == services.tracking_hash(code)
    assert f'href="/ideas/track/?code={code}"' in html(thanks)


def test_an_idea_for_the_whole_district_has_no_zone(client, district):
    assert send(client, zone="all").status_code == 302
    assert Idea.objects.get().zone is None


def test_a_double_submission_makes_one_idea_and_shows_the_same_code(client, district):
    token = form_token(client)
    data = post_data(client_token=token)
    first = client.post("/ideas/new/", data)
    code = tracking_code(client.get(first["Location"]))
    second = client.post("/ideas/new/", data)
    assert second.status_code == 302
    assert tracking_code(client.get(second["Location"])) == code
    assert Idea.objects.count() == 1


def test_a_double_submission_from_another_browser_shows_the_same_code(client, district):
    from django.test import Client

    token = form_token(client)
    data = post_data(client_token=token)
    code = tracking_code(client.get(client.post("/ideas/new/", data)["Location"]))
    other = Client()
    again = other.post("/ideas/new/", data)
    assert tracking_code(other.get(again["Location"])) == code
    assert Idea.objects.count() == 1


def test_the_thanks_page_without_a_submission_leads_to_tracking(client, district):
    response = client.get("/ideas/thanks/")
    assert response.status_code == 302
    assert response["Location"] == "/ideas/track/"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 61}, "title"),
        ({"body": ""}, "body"),
        ({"body": "长" * 2001}, "body"),
        ({"contact": ""}, "contact"),
        ({"contact": "12345"}, "contact"),
        ({"contact": "someone@"}, "contact"),
        ({"consent": None}, "consent"),
        ({"zone": "north"}, "zone"),
        ({"zone": None}, "zone"),
        ({"topic": "sports"}, "topic"),
        ({"author_name": "名" * 31}, "author_name"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    client, district, overrides, field
):
    response = send(client, **overrides)
    assert response.status_code == 400
    text = html(response)
    assert f'data-testid="error-{field}"' in text
    assert 'data-testid="idea-form-errors"' in text
    assert Idea.objects.count() == 0


def test_an_idea_of_exactly_the_limits_is_accepted(client, district):
    assert send(client, title="长" * 60, body="长" * 2000).status_code == 302
    assert len(Idea.objects.get().body) == 2000


def test_line_breaks_count_as_one_character(client, district):
    body = ("长" * 99 + "\r\n") * 20  # 2000 characters as the browser counts them
    assert send(client, body=body).status_code == 302
    assert "\r" not in Idea.objects.get().body


def test_the_form_keeps_what_was_typed_after_an_error(client, district):
    response = send(client, title="", body="保留我写的内容")
    assert "保留我写的内容" in html(response)


def test_a_filled_honeypot_is_refused_and_nothing_is_saved(client, district):
    response = send(client, website="http://spam.example")
    assert response.status_code == 400
    assert 'data-testid="idea-message"' in html(response)
    assert Idea.objects.count() == 0


# --- abuse: CAPTCHA, limits, the block list -----------------------------------------------------


def captcha_answer(response: Any) -> tuple[str, str]:
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html(response)).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def test_the_captcha_appears_from_the_third_idea_of_an_address(client, district):
    assert send(client).status_code == 302
    assert 'data-testid="idea-captcha"' not in html(client.get("/ideas/new/"))
    assert send(client).status_code == 302
    form = client.get("/ideas/new/")
    assert 'data-testid="idea-captcha"' in html(form)
    assert "/captcha/image/" in html(form)


def test_the_captcha_must_be_answered_and_a_wrong_answer_is_refused(client, district):
    for _i in range(abuse.CAPTCHA_AFTER):
        services.idea_submit(
            data=services.IdeaInput(
                title=f"早先的建议{_i}",
                body="内容",
                topic="other",
                contact=next_phone(),
                consent=True,
            ),
            ip=CLIENT_IP,
            district=district,
            captcha_passed=True,
        )
    form = client.get("/ideas/new/")
    token = re.search(r'name="client_token" value="([0-9a-f]{32})"', html(form)).group(1)
    key, answer = captcha_answer(form)

    unanswered = client.post("/ideas/new/", post_data(client_token=token, captcha_0=key))
    assert unanswered.status_code == 400
    assert 'data-testid="error-captcha"' in html(unanswered)

    form = client.get("/ideas/new/")
    key, answer = captcha_answer(form)
    wrong = client.post(
        "/ideas/new/", post_data(client_token=token, captcha_0=key, captcha_1="zzzz")
    )
    assert wrong.status_code == 400
    assert 'data-testid="error-captcha"' in html(wrong)
    assert Idea.objects.count() == abuse.CAPTCHA_AFTER

    key, answer = captcha_answer(wrong)  # the page shows a new picture
    right = client.post(
        "/ideas/new/", post_data(client_token=token, captcha_0=key, captcha_1=answer.upper())
    )
    assert right.status_code == 302
    assert Idea.objects.count() == abuse.CAPTCHA_AFTER + 1


def test_a_post_that_leaves_the_captcha_out_gets_it_from_the_service(client, district):
    for _i in range(abuse.CAPTCHA_AFTER):
        assert send(client).status_code == 302
    response = send(client)  # a form without the CAPTCHA fields
    assert response.status_code == 400
    text = html(response)
    assert 'data-testid="idea-captcha"' in text
    assert 'data-testid="idea-form-error"' in text
    assert "在东部片区建设科技企业孵化器" in text  # what was typed stays
    assert Idea.objects.count() == abuse.CAPTCHA_AFTER
    key, answer = captcha_answer(response)
    token = re.search(r'name="client_token" value="([0-9a-f]{32})"', text).group(1)
    passed = client.post(
        "/ideas/new/", post_data(client_token=token, captcha_0=key, captcha_1=answer)
    )
    assert passed.status_code == 302
    assert Idea.objects.count() == abuse.CAPTCHA_AFTER + 1


def test_the_captcha_follows_the_contact_as_well_as_the_address(client, district):
    phone = next_phone()
    for i in range(abuse.CAPTCHA_AFTER):
        services.idea_submit(
            data=services.IdeaInput(
                title=f"同一联系人{i}", body="内容", topic="other", contact=phone, consent=True
            ),
            ip=f"10.3.3.{i}",
            district=district,
            captcha_passed=True,
        )
    assert 'data-testid="idea-captcha"' not in html(client.get("/ideas/new/"))
    response = send(client, contact=phone)
    assert response.status_code == 400
    assert 'data-testid="idea-captcha"' in html(response)


def test_too_many_ideas_from_one_address_are_refused_with_429(client, district):
    for i in range(abuse.IDEAS_PER_IP_HOUR):
        services.idea_submit(
            data=services.IdeaInput(
                title=f"建议{i}", body="内容", topic="other", contact=next_phone(), consent=True
            ),
            ip=CLIENT_IP,
            district=district,
            captcha_passed=True,
        )
    response = send(client)
    assert response.status_code == 429
    text = html(response)
    assert 'data-testid="idea-form-error"' in text
    assert "在东部片区建设科技企业孵化器" in text  # nothing typed is lost
    assert Idea.objects.count() == abuse.IDEAS_PER_IP_HOUR


def test_a_blocked_sender_is_refused_with_403(client, make_idea, leader):
    idea = make_idea(Status.SUBMITTED, contact="13700002222")
    services.sender_block(by=leader, idea=idea, reason="广告")
    response = send(client, contact="137 0000 2222", title="另一条建议")
    assert response.status_code == 403
    assert 'data-testid="idea-message"' in html(response)
    assert Idea.objects.count() == 1


# --- similar ideas while writing ----------------------------------------------------------------


def test_similar_published_ideas_are_shown_while_writing(client, make_idea):
    like = make_idea(Status.PUBLISHED, title="东部片区建设科技孵化器", body="老厂房改造孵化器")
    make_idea(Status.PUBLISHED, title="西部河道治理", body="清理河道垃圾，建设滨河步道")
    unpublished = make_idea(Status.SUBMITTED, title="东部孵化器（待审核）")
    response = client.get(
        "/ideas/similar/",
        {"title": "建设孵化器", "body": "东部片区的老厂房可以改造"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = html(response)
    assert text.lstrip().startswith('<div id="similar-results"')
    assert like.title in text
    assert f'href="/ideas/{like.pk}/#support"' in text
    assert "西部河道治理" not in text
    assert unpublished.title not in text


def test_the_similar_page_works_without_htmx(client, make_idea):
    like = make_idea(Status.PUBLISHED, title="东部片区建设科技孵化器")
    response = client.get("/ideas/similar/?text=孵化器建设")
    assert response.status_code == 200
    assert like.title in html(response)
    assert 'data-testid="ideas-nav"' in html(response)


def test_a_short_text_finds_nothing_and_says_nothing(client, make_idea):
    make_idea(Status.PUBLISHED)
    text = html(client.get("/ideas/similar/?text=孵", headers={"HX-Request": "true"}))
    assert 'data-testid="similar-idea"' not in text
    assert 'data-testid="similar-none"' not in text


def test_a_very_long_text_is_cut_rather_than_refused(client, make_idea):
    make_idea(Status.PUBLISHED)
    assert client.get("/ideas/similar/", {"text": "孵化器" * 5000}).status_code == 200


def test_a_script_title_is_escaped_on_the_thanks_and_similar_pages(client, make_idea):
    title = "<script>alert(1)</script>孵化器"
    send(client, title=title)
    thanks = html(client.get("/ideas/thanks/"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;孵化器" in thanks
    assert "<script>alert(1)</script>" not in thanks
    make_idea(Status.PUBLISHED, title=title)
    similar = html(client.get("/ideas/similar/?text=孵化器 alert script"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;孵化器" in similar
    assert "<script>alert(1)</script>" not in similar


def test_the_contact_is_not_on_the_thanks_page(client, district):
    send(client, contact="zhao@example.cn")
    text = html(client.get("/ideas/thanks/"))
    assert "zhao@example.cn" not in text
    assert "zhao" not in text
