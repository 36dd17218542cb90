"""The public portal's reading pages: the list with its filters, an idea, "you said, we did", the
statistics; support and report from the public; what the public must never see (contacts, ideas
that are not public, HTML from an author); and the query budgets of the lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qifu.ideas import services
from qifu.ideas.models import Idea, Status, Support
from qifu.ideas.tests.conftest import next_phone

pytestmark = pytest.mark.django_db

PAGES = ["/ideas/", "/ideas/new/", "/ideas/adopted/", "/ideas/stats/", "/ideas/track/"]
SCRIPT = "<script>alert(1)</script>拆掉围墙"


def html(response: Any) -> str:
    return response.content.decode()


# --- every page, anonymous ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, "/ideas/similar/?text=孵化器"])
def test_every_public_page_opens_for_an_anonymous_visitor(client, district, url):
    response = client.get(url)
    assert response.status_code == 200
    text = html(response)
    assert 'data-testid="ideas-nav"' in text
    assert 'data-testid="user-menu"' not in text  # the navbar without the module items


@pytest.mark.parametrize("url", PAGES)
def test_the_public_pages_also_open_for_a_signed_in_official(client, leader, url):
    client.force_login(leader)
    assert client.get(url).status_code == 200


def test_an_idea_opens_for_an_anonymous_visitor(client, make_idea):
    idea = make_idea(Status.PUBLISHED, author_name="王先生")
    response = client.get(f"/ideas/{idea.pk}/")
    assert response.status_code == 200
    text = html(response)
    assert idea.title in text
    assert "王先生" in text
    assert 'data-testid="support-form"' in text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/ideas/"),
        ("post", "/ideas/adopted/"),
        ("post", "/ideas/stats/"),
        ("post", "/ideas/track/"),
        ("post", "/ideas/similar/"),
        ("post", "/ideas/thanks/"),
        ("put", "/ideas/new/"),
        ("delete", "/ideas/new/"),
        ("get", "/ideas/track/withdraw/"),
    ],
)
def test_the_wrong_method_is_refused(client, district, method, url):
    assert getattr(client, method)(url).status_code == 405


def test_the_wrong_method_is_refused_on_an_idea(client, make_idea):
    idea = make_idea(Status.PUBLISHED)
    assert client.post(f"/ideas/{idea.pk}/").status_code == 405
    assert client.get(f"/ideas/{idea.pk}/support/").status_code == 405
    assert client.get(f"/ideas/{idea.pk}/report/").status_code == 405


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_published_ideas_with_their_zone_topic_supports_and_answer(
    client, make_idea, zones, leader
):
    east = make_idea(Status.PUBLISHED, title="东部建孵化器", zone="east")
    whole = make_idea(Status.DECLINED, title="全区统一停车平台", topic="urban")
    services.idea_support(idea=east, contact=next_phone(), ip="10.1.1.1")
    text = html(client.get("/ideas/"))
    assert "东部建孵化器" in text
    assert "全区统一停车平台" in text
    assert zones["east"].name in text
    rows = text.split('data-testid="idea-row"')[1:]
    east_row = next(r for r in rows if "东部建孵化器" in r)
    whole_row = next(r for r in rows if "全区统一停车平台" in r)
    assert 'data-testid="idea-answered"' in whole_row  # declined: the reason is the answer
    assert 'data-testid="idea-answered"' not in east_row
    assert 'data-status="published"' in east_row
    assert 'data-status="declined"' in whole_row
    assert "1" in east_row.split('data-testid="idea-supports"')[1][:120]
    assert f'href="/ideas/{whole.pk}/"' in whole_row


def test_the_list_links_to_submit_adopted_stats_and_tracking(client, district):
    text = html(client.get("/ideas/"))
    for url in ("/ideas/new/", "/ideas/adopted/", "/ideas/stats/", "/ideas/track/"):
        assert f'href="{url}"' in text


def test_the_list_leaves_out_ideas_that_are_not_public(client, make_idea, leader):
    hidden = make_idea(Status.PUBLISHED, title="被隐藏的建议")
    services.idea_hide(idea=hidden, by=leader, reason="含有广告")
    make_idea(Status.SUBMITTED, title="待审核的建议")
    make_idea(Status.NOT_PUBLISHED, title="不予公开的建议")
    make_idea(Status.WITHDRAWN, title="撤回的建议", client_token="t-withdrawn")
    make_idea(Status.PUBLISHED, title="公开的建议")
    text = html(client.get("/ideas/"))
    assert "公开的建议" in text
    for title in ("被隐藏的建议", "待审核的建议", "不予公开的建议", "撤回的建议"):
        assert title not in text


def test_the_list_filters_by_zone_topic_status_and_words(client, make_idea):
    make_idea(Status.PUBLISHED, title="东部产业园", zone="east", topic="industry")
    make_idea(Status.PUBLISHED, title="西部公园", zone="west", topic="ecology")
    make_idea(Status.ADOPTED, title="全区营商窗口", topic="business")

    def titles(query: str) -> set[str]:
        response = client.get(f"/ideas/?{query}")
        assert response.status_code == 200
        found = {"东部产业园", "西部公园", "全区营商窗口"}
        return {t for t in found if t in html(response).split('data-testid="idea-list"')[1]}

    assert titles("zone=east") == {"东部产业园"}
    assert titles("zone=all") == {"全区营商窗口"}
    assert titles("topic=ecology") == {"西部公园"}
    assert titles("status=adopted") == {"全区营商窗口"}
    assert titles("q=公园") == {"西部公园"}
    assert titles("zone=west&topic=industry") == set()


def test_the_list_answers_htmx_with_the_results_only(client, make_idea):
    make_idea(Status.PUBLISHED, title="东部产业园", zone="east")
    response = client.get("/ideas/?zone=east", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = html(response)
    assert text.lstrip().startswith('<div id="idea-results">')
    assert "东部产业园" in text
    assert 'data-testid="ideas-nav"' not in text  # no page frame
    assert "<html" not in text


@pytest.mark.parametrize(
    "query",
    ["zone=north", "topic=sports", "status=submitted", "status=withdrawn", "q=" + "长" * 200],
)
def test_a_bad_filter_is_answered_400_with_a_message(client, district, query):
    response = client.get(f"/ideas/?{query}")
    assert response.status_code == 400
    assert 'class="display-4' in html(response)  # the 400 page, with the message


def test_a_page_out_of_range_shows_the_last_page_rather_than_an_error(client, make_idea):
    make_idea(Status.PUBLISHED, title="唯一的建议")
    for page in ("99", "0", "abc"):
        response = client.get(f"/ideas/?page={page}")
        assert response.status_code == 200
        assert "唯一的建议" in html(response)


def test_the_list_pages_by_twenty(client, make_idea, leader):
    for i in range(21):
        make_idea(Status.PUBLISHED, title=f"建议{i:02d}")
    first = html(client.get("/ideas/"))
    second = html(client.get("/ideas/?page=2"))
    assert first.count('data-testid="idea-row"') == 20
    assert second.count('data-testid="idea-row"') == 1


# --- an idea ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.NOT_PUBLISHED, Status.WITHDRAWN, "hidden"]
)
def test_an_idea_that_is_not_public_is_not_found(client, make_idea, leader, status):
    if status == "hidden":
        idea = make_idea(Status.PUBLISHED)
        services.idea_hide(idea=idea, by=leader, reason="含有广告")
    else:
        idea = make_idea(status, client_token=f"t-{status}")
    assert client.get(f"/ideas/{idea.pk}/").status_code == 404
    assert (
        client.post(f"/ideas/{idea.pk}/support/", {"support-contact": next_phone()}).status_code
        == 404
    )
    assert (
        client.post(
            f"/ideas/{idea.pk}/report/", {"report-contact": next_phone(), "report-reason": "广告"}
        ).status_code
        == 404
    )


def test_an_idea_of_another_district_is_not_found(client, laoshan, outsider, district):
    other = services.idea_submit(
        data=services.IdeaInput(
            title="崂山区的建议", body="内容", topic="other", contact=next_phone(), consent=True
        ),
        ip="10.7.7.7",
        district=laoshan,
        captcha_passed=True,
    ).idea
    services.idea_publish(idea=other, by=outsider)
    assert client.get(f"/ideas/{other.pk}/").status_code == 404
    assert "崂山区的建议" not in html(client.get("/ideas/"))


def test_an_unknown_idea_is_not_found(client, district):
    assert client.get("/ideas/999999/").status_code == 404


def test_an_idea_under_evaluation_names_the_department(client, make_idea, jxj):
    idea = make_idea(Status.EVALUATING)
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert 'data-testid="idea-department"' in text
    assert jxj.name in text


def test_a_pending_answer_is_not_public_until_approved(client, make_idea, leader):
    idea = make_idea("answered")
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert "经研究，拟采纳。" not in text
    services.idea_approve_answer(idea=idea, by=leader)
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert "经研究，拟采纳。" in text
    assert 'data-testid="idea-answer"' in text
    assert 'data-testid="idea-plan"' in text  # approved as adopted


def test_an_adopted_idea_shows_the_plan_the_date_and_the_progress(client, make_idea, leader):
    idea = make_idea(Status.ADOPTED)
    services.idea_progress(idea=idea, by=leader, text="完成选址论证", done=False)
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert "年内完成选址" in text
    assert idea.adoption_due.strftime("%Y-%m-%d") in text
    assert "完成选址论证" in text
    assert 'data-testid="support-form"' not in text  # adopted ideas are no longer supported


def test_a_duplicate_links_to_the_idea_it_repeats(client, make_idea):
    idea = make_idea(Status.DUPLICATE)
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert 'data-testid="idea-duplicate"' in text
    assert f'href="/ideas/{idea.duplicate_of_id}/"' in text


def test_an_anonymous_author_is_shown_as_anonymous(client, make_idea):
    idea = make_idea(Status.PUBLISHED, author_name="")
    text = html(client.get(f"/ideas/{idea.pk}/"))
    assert "bi-person" in text
    assert "王先生" not in text


# --- support and report -------------------------------------------------------------------------


def test_a_visitor_supports_an_idea_once_per_contact(client, make_idea):
    idea = make_idea(Status.PUBLISHED)
    phone = next_phone()
    response = client.post(f"/ideas/{idea.pk}/support/", {"support-contact": phone})
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{idea.pk}/"
    idea.refresh_from_db()
    assert idea.support_count == 1
    again = client.post(f"/ideas/{idea.pk}/support/", {"support-contact": f"+86 {phone}"})
    assert again.status_code == 409
    assert 'data-testid="idea-error"' in html(again)
    idea.refresh_from_db()
    assert idea.support_count == 1
    assert Support.objects.filter(idea=idea).count() == 1


def test_a_support_with_a_bad_contact_is_refused_with_a_message(client, make_idea):
    idea = make_idea(Status.PUBLISHED)
    for bad in ("", "12345", "not-an-address@"):
        response = client.post(f"/ideas/{idea.pk}/support/", {"support-contact": bad})
        assert response.status_code == 400
        assert 'data-testid="error-contact"' in html(response)
    assert Support.objects.filter(idea=idea).count() == 0


def test_a_decided_idea_cannot_be_supported(client, make_idea):
    idea = make_idea(Status.DECLINED)
    response = client.post(f"/ideas/{idea.pk}/support/", {"support-contact": next_phone()})
    assert response.status_code == 409
    assert Support.objects.filter(idea=idea).count() == 0


def test_supports_from_one_address_are_limited(client, make_idea, monkeypatch):
    from qifu.ideas import abuse

    monkeypatch.setattr(abuse, "SUPPORTS_PER_IP_HOUR", 2)
    ideas = [make_idea(Status.PUBLISHED, title=f"建议{i}") for i in range(3)]
    for idea in ideas[:2]:
        assert (
            client.post(f"/ideas/{idea.pk}/support/", {"support-contact": next_phone()}).status_code
            == 302
        )
    response = client.post(f"/ideas/{ideas[2].pk}/support/", {"support-contact": next_phone()})
    assert response.status_code == 429
    assert 'data-testid="idea-error"' in html(response)


def test_a_blocked_sender_cannot_support(client, make_idea, leader):
    mine = make_idea(Status.PUBLISHED, contact="13700001111")
    services.sender_block(by=leader, idea=mine, reason="刷票")
    other = make_idea(Status.PUBLISHED)
    response = client.post(f"/ideas/{other.pk}/support/", {"support-contact": "13700001111"})
    assert response.status_code == 403


def test_three_reports_from_three_contacts_hide_an_idea(client, make_idea):
    idea = make_idea(Status.PUBLISHED, title="被举报的建议")
    for i in range(3):
        response = client.post(
            f"/ideas/{idea.pk}/report/",
            {"report-contact": next_phone(), "report-reason": f"广告{i}"},
        )
        assert response.status_code == 302
    assert response["Location"] == "/ideas/"
    idea.refresh_from_db()
    assert idea.hidden
    assert client.get(f"/ideas/{idea.pk}/").status_code == 404
    assert "被举报的建议" not in html(client.get("/ideas/"))


def test_one_contact_reports_an_idea_once(client, make_idea):
    idea = make_idea(Status.PUBLISHED)
    phone = next_phone()
    data = {"report-contact": phone, "report-reason": "广告"}
    assert client.post(f"/ideas/{idea.pk}/report/", data).status_code == 302
    assert client.post(f"/ideas/{idea.pk}/report/", data).status_code == 409
    idea.refresh_from_db()
    assert idea.open_reports == 1


def test_a_report_without_a_reason_is_refused_and_the_form_stays_open(client, make_idea):
    idea = make_idea(Status.PUBLISHED)
    response = client.post(
        f"/ideas/{idea.pk}/report/", {"report-contact": next_phone(), "report-reason": "  "}
    )
    assert response.status_code == 400
    text = html(response)
    assert 'data-testid="error-reason"' in text
    assert "open" in text.split('data-testid="idea-report"')[0].rsplit("<details", 1)[1]
    idea.refresh_from_db()
    assert idea.open_reports == 0


# --- you said, we did; statistics ---------------------------------------------------------------


def test_the_adopted_page_shows_plans_dates_progress_and_whether_done(client, make_idea, leader):
    going = make_idea(Status.ADOPTED, title="进行中的建议")
    done = make_idea(Status.ADOPTED, title="已完成的建议")
    make_idea(Status.PUBLISHED, title="未采纳的建议")
    services.idea_progress(idea=going, by=leader, text="开展调研")
    services.idea_progress(idea=done, by=leader, text="全部建成", done=True)
    text = html(client.get("/ideas/adopted/"))
    assert "未采纳的建议" not in text
    cards = {
        c.split('data-testid="idea-title">')[1].split("<")[0]: c
        for c in text.split('data-testid="adopted-idea"')[1:]
    }
    assert 'data-testid="adopted-ongoing"' in cards["进行中的建议"]
    assert "开展调研" in cards["进行中的建议"]
    assert 'data-testid="adopted-done"' in cards["已完成的建议"]
    assert "全部建成" in cards["已完成的建议"]
    assert "年内完成选址" in cards["已完成的建议"]
    assert going.adoption_due.strftime("%Y-%m-%d") in cards["进行中的建议"]


def test_the_adopted_page_filters_and_refuses_a_bad_filter(client, make_idea):
    make_idea(Status.ADOPTED, title="东部采纳", zone="east")
    make_idea(Status.ADOPTED, title="西部采纳", zone="west")
    text = html(client.get("/ideas/adopted/?zone=east"))
    assert "东部采纳" in text
    assert "西部采纳" not in text
    assert client.get("/ideas/adopted/?zone=nowhere").status_code == 400
    partial = client.get("/ideas/adopted/?zone=west", headers={"HX-Request": "true"})
    assert html(partial).lstrip().startswith('<div id="adopted-results">')


def test_the_statistics_count_public_ideas_by_zone_topic_and_status(client, make_idea, zones):
    make_idea(Status.ADOPTED, zone="east", topic="industry")
    make_idea(Status.DECLINED, zone="east", topic="industry")
    make_idea(Status.PUBLISHED, zone="west", topic="ecology")
    make_idea(Status.SUBMITTED, zone="west", topic="ecology")  # not public: not counted
    response = client.get("/ideas/stats/")
    assert response.status_code == 200
    text = html(response)
    assert '<div class="display-6" data-testid="stats-total">3</div>' in text
    assert '<div class="display-6" data-testid="stats-adopted">1</div>' in text
    assert 'data-testid="stats-rate">50.0%' in text
    zone_table = text.split('data-testid="stats-zone"')[1].split("</table>")[0]
    east_row = zone_table.split(zones["east"].name)[1].split("</tr>")[0]
    assert '<td class="text-end">2</td>' in east_row
    assert "50.0%" in east_row
    assert 'data-testid="stats-topic"' in text
    assert 'data-status="adopted"' in text.split('data-testid="stats-status"')[1]


# --- what the public never sees -----------------------------------------------------------------


def test_a_contact_never_appears_in_a_public_page(client, make_idea, leader):
    phone = "13912345678"
    email = "zhang.san@example.cn"
    by_phone = make_idea(Status.ADOPTED, contact=phone, client_token="t-phone")
    by_mail = make_idea(Status.PUBLISHED, contact=email, title="邮件作者的建议")
    services.idea_progress(idea=by_phone, by=leader, text="已启动")
    code = services.tracking_code_for("t-phone")
    urls = [
        "/ideas/",
        "/ideas/adopted/",
        "/ideas/stats/",
        f"/ideas/{by_phone.pk}/",
        f"/ideas/{by_mail.pk}/",
        f"/ideas/track/?code={code}",
        "/ideas/similar/?text=在东部片区建设科技企业孵化器",
        "/ideas/new/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = html(response)
        assert phone not in text, url
        assert email not in text, url
        assert "zhang.san" not in text, url


@pytest.mark.parametrize("page", ["list", "detail", "adopted", "similar"])
def test_a_script_in_a_title_is_shown_escaped(client, make_idea, page):
    idea = make_idea(Status.ADOPTED, title=SCRIPT, body=f"正文{SCRIPT}")
    url = {
        "list": "/ideas/",
        "detail": f"/ideas/{idea.pk}/",
        "adopted": "/ideas/adopted/",
        "similar": "/ideas/similar/?text=拆掉围墙 alert",
    }[page]
    text = html(client.get(url))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;拆掉围墙" in text
    assert "<script>alert(1)</script>" not in text


# --- query budgets ------------------------------------------------------------------------------


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _many(make_idea: Any, leader: Any, n: int) -> None:
    for i in range(n):
        idea = make_idea(
            Status.ADOPTED,
            title=f"批量建议{Idea.objects.count()}-{i}",
            zone=("east", "central", "west", "")[i % 4],
        )
        services.idea_progress(idea=idea, by=leader, text="推进中", on=timezone.localdate())


@pytest.mark.parametrize("url", ["/ideas/", "/ideas/adopted/", "/ideas/stats/"])
def test_the_lists_take_as_many_queries_for_thirty_ideas_as_for_three(
    client, make_idea, leader, url, django_assert_max_num_queries
):
    _many(make_idea, leader, 3)
    budget = _queries(client, url)
    _many(make_idea, leader, 27)
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert budget <= 8, budget


def test_the_login_page_links_to_the_public_portal(client, district):
    text = html(client.get("/accounts/login/"))
    assert 'data-testid="login-ideas-link"' in text
    assert 'href="/ideas/"' in text
