"""The staff pages of the ideas portal: who may open them, what each one shows, the list's queues
and filters, the export, contacts in full or masked, escaping, and the query budgets.

The district's leader (`leader`) sees every idea of 李沧区 and the contacts in full; the clerk of
经信局 (`jxj_clerk`) sees only the ideas given to his department, with contacts masked; the leader
of 崂山区 (`outsider`) sees nothing of 李沧区; street staff and enterprise users have no staff side.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from qifu.ideas import services
from qifu.ideas.models import BlockKind, Idea, Status
from qifu.ideas.tests.conftest import next_phone
from qifu.lib.masking import mask_contact
from qifu.lib.xlsx import XLSX_MIME

pytestmark = pytest.mark.django_db

LIST = reverse("ideas:manage")
EXPORT = reverse("ideas:manage-export")
STATS = reverse("ideas:manage-stats")
BLOCKS = reverse("ideas:blocks")


def detail_url(idea: Idea) -> str:
    return reverse("ideas:manage-detail", args=[idea.pk])


def action_url(idea: Idea, action: str) -> str:
    return reverse("ideas:manage-action", args=[idea.pk, action])


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]]


def export_headers(response: Any) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [c.value for c in sheet[2]]


@pytest.fixture
def evaluating(make_idea: Any) -> Idea:
    # an idea published by the leader and given to 经信局
    return make_idea(Status.EVALUATING, title="建设科技企业孵化器", contact="13811112222")


@pytest.fixture
def with_zrj(make_idea: Any, leader: Any, zrj: Any) -> Idea:
    # an idea given to 自然资源局: not 经信局's business
    idea = make_idea(Status.PUBLISHED, title="盘活闲置工业用地")
    return services.idea_assign(idea=idea, by=leader, department=zrj)


# --- who may open the pages ---------------------------------------------------------------------


def page_urls(idea: Idea) -> list[str]:
    return [LIST, EXPORT, STATS, BLOCKS, detail_url(idea)]


def test_anonymous_users_go_to_the_login_page(client, evaluating):
    for url in page_urls(evaluating):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response["Location"]
    for url in (action_url(evaluating, "publish"), reverse("ideas:unblock", args=[1])):
        response = client.post(url)
        assert response.status_code == 302, url
        assert "/login" in response["Location"]
    assert Idea.objects.get(pk=evaluating.pk).status == Status.EVALUATING


def test_the_pages_refuse_the_wrong_method(client, leader, evaluating):
    client.force_login(leader)
    for url in page_urls(evaluating):
        assert client.post(url).status_code == 405, url
    assert client.get(action_url(evaluating, "publish")).status_code == 405
    assert client.get(reverse("ideas:unblock", args=[1])).status_code == 405


@pytest.mark.parametrize("who", ["licun_clerk", "enterprise_user"])
def test_street_staff_and_enterprise_users_have_no_staff_side(client, request, who, evaluating):
    client.force_login(request.getfixturevalue(who))
    for url in page_urls(evaluating):
        assert client.get(url).status_code == 403, url
    assert client.post(action_url(evaluating, "hide"), {"reason": "x"}).status_code == 403
    assert not Idea.objects.get(pk=evaluating.pk).hidden


def test_the_leader_of_another_district_sees_nothing_of_this_one(client, outsider, evaluating):
    client.force_login(outsider)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert evaluating.title not in response.content.decode()
    assert sheet_rows(client.get(EXPORT)) == []
    assert client.get(STATS).context["figures"]["total"] == 0
    assert client.get(detail_url(evaluating)).status_code == 404
    assert client.post(action_url(evaluating, "hide"), {"reason": "x"}).status_code == 404
    assert not Idea.objects.get(pk=evaluating.pk).hidden


def test_the_leader_and_the_department_clerk_open_the_pages(client, leader, jxj_clerk, evaluating):
    client.force_login(leader)
    for url in page_urls(evaluating):
        assert client.get(url).status_code == 200, url
    client.force_login(jxj_clerk)
    for url in (LIST, EXPORT, STATS, detail_url(evaluating)):
        assert client.get(url).status_code == 200, url


def test_only_moderators_open_the_block_list(client, jxj_clerk, leader):
    client.force_login(jxj_clerk)
    assert client.get(BLOCKS).status_code == 403
    assert client.post(reverse("ideas:unblock", args=[1])).status_code == 403
    client.force_login(leader)
    assert client.get(BLOCKS).status_code == 200


def test_a_department_clerk_sees_only_the_ideas_given_to_his_department(
    client, jxj_clerk, evaluating, with_zrj, make_idea
):
    waiting = make_idea(Status.SUBMITTED, title="尚未审核的建议")
    client.force_login(jxj_clerk)
    html = client.get(LIST).content.decode()
    assert evaluating.title in html
    assert with_zrj.title not in html
    assert waiting.title not in html
    assert client.get(detail_url(with_zrj)).status_code == 404
    assert client.get(detail_url(waiting)).status_code == 404
    exported = {r[1] for r in sheet_rows(client.get(EXPORT))}
    assert exported == {evaluating.title}


def test_the_navigation_shows_golden_ideas_to_staff_only(client, leader, jxj_clerk, licun_clerk):
    for user, shown in ((leader, True), (jxj_clerk, True), (licun_clerk, False)):
        client.force_login(user)
        assert (f'href="{LIST}"' in client.get("/").content.decode()) is shown, user


# --- the list -----------------------------------------------------------------------------------


def test_the_queues_show_their_counts_and_their_ideas(client, leader, make_idea):
    waiting = make_idea(Status.SUBMITTED, title="待审核的建议")
    answered = make_idea("answered", title="答复待审批的建议")
    evaluating = make_idea(Status.EVALUATING, title="评估中的建议")
    reported = make_idea(Status.PUBLISHED, title="被举报的建议")
    services.idea_report(idea=reported, contact=next_phone(), reason="广告", ip="10.1.1.1")
    client.force_login(leader)

    response = client.get(LIST)
    tabs = {q["key"]: q for q in response.context["queues"]}
    assert [tabs[k]["count"] for k in ("review", "reports", "approval", "evaluating")] == [
        1,
        1,
        1,
        1,
    ]
    for queue, idea in (
        ("review", waiting),
        ("reports", reported),
        ("approval", answered),
        ("evaluating", evaluating),
    ):
        page = client.get(LIST, {"queue": queue}).context["page"]
        assert [i.pk for i in page.object_list] == [idea.pk], queue
    html = client.get(LIST).content.decode()
    assert 'data-testid="idea-pending-answer"' in html
    assert 'data-testid="idea-reports"' in html


def test_a_department_clerk_sees_only_the_queues_he_acts_on(client, jxj_clerk, evaluating):
    client.force_login(jxj_clerk)
    keys = [q["key"] for q in client.get(LIST).context["queues"]]
    assert keys == ["approval", "evaluating", "all"]


def test_the_list_filters_by_status_zone_topic_department_and_text(
    client, leader, make_idea, zones, zrj
):
    east = next(iter(zones))
    a = make_idea(Status.EVALUATING, title="东部产业园区配套", zone=east, topic="industry")
    b = make_idea(Status.PUBLISHED, title="全区垃圾分类宣传", topic="ecology")
    c = services.idea_assign(
        idea=make_idea(Status.PUBLISHED, title="盘活闲置土地"), by=leader, department=zrj
    )
    client.force_login(leader)

    def found(**query: Any) -> set[int]:
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {i.pk for i in response.context["page"].object_list}

    assert found(zone=east) == {a.pk}
    assert found(zone="all") == {b.pk, c.pk}
    assert found(topic="ecology") == {b.pk}
    assert found(status="published") == {b.pk}
    assert found(department=zrj.pk) == {c.pk}
    assert found(q="垃圾") == {b.pk}


@pytest.mark.parametrize(
    "query", [{"status": "nonsense"}, {"zone": "north"}, {"department": "abc"}, {"q": "x" * 101}]
)
def test_a_filter_that_is_not_valid_is_a_400(client, leader, query):
    client.force_login(leader)
    assert client.get(LIST, query).status_code == 400
    assert client.get(EXPORT, query).status_code == 400


def test_the_list_is_paged_by_thirty(client, leader, submit):
    for i in range(31):
        submit(title=f"建议第{i}号")
    client.force_login(leader)
    first = client.get(LIST).context["page"]
    assert len(first.object_list) == 30
    assert first.paginator.num_pages == 2
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 1


def test_htmx_gets_the_results_only_and_the_export_link_keeps_the_filters(
    client, leader, evaluating
):
    client.force_login(leader)
    partial = client.get(LIST, {"status": "evaluating"}, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert partial.status_code == 200
    assert html.lstrip().startswith('<div id="idea-results">')
    assert "<html" not in html
    assert f"{EXPORT}?status=evaluating" in html
    assert evaluating.title in html
    full = client.get(LIST, {"status": "evaluating"}).content.decode()
    assert "<html" in full
    assert 'data-testid="idea-filters"' in full


# --- the export ---------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_list(client, leader, make_idea):
    evaluating = make_idea(Status.EVALUATING, title="评估中的建议")
    make_idea(Status.SUBMITTED, title="待审核的建议")
    client.force_login(leader)
    rows = sheet_rows(client.get(EXPORT, {"status": "evaluating"}))
    assert [(r[0], r[1]) for r in rows] == [(evaluating.pk, "评估中的建议")]
    assert len(sheet_rows(client.get(EXPORT))) == 2


def test_the_leader_exports_contacts_in_full_and_the_clerk_masked(
    client, leader, jxj_clerk, evaluating
):
    client.force_login(leader)
    response = client.get(EXPORT)
    with translation.override("zh-hans"):
        column = export_headers(response).index(gettext("Phone or e-mail"))
    assert [r[column] for r in sheet_rows(response)] == ["13811112222"]

    client.force_login(jxj_clerk)
    response = client.get(EXPORT)
    assert [r[column] for r in sheet_rows(response)] == [mask_contact("13811112222")]
    assert b"13811112222" not in response.content
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert not any("13811112222" in c for c in cells)


def test_the_export_neutralises_formulas_and_keeps_markup_as_text(client, leader, submit):
    submit(title="=1+2", body="+SUM(A1:A3) 的说明")
    submit(title="-2+3", body="@cmd 的说明")
    submit(title="<script>alert(1)</script>")
    client.force_login(leader)
    rows = sheet_rows(client.get(EXPORT))
    titles = {r[1] for r in rows}
    assert titles == {"'=1+2", "'-2+3", "<script>alert(1)</script>"}
    bodies = {r[2] for r in rows}
    assert "'+SUM(A1:A3) 的说明" in bodies
    assert "'@cmd 的说明" in bodies
    sheet = load_workbook(io.BytesIO(client.get(EXPORT).content)).active
    for row in sheet.iter_rows(min_row=3):
        assert row[1].data_type == "s"


# --- the detail page ----------------------------------------------------------------------------


def test_the_leader_sees_the_contact_in_full(client, leader, evaluating):
    client.force_login(leader)
    response = client.get(detail_url(evaluating))
    assert response.context["contact"] == "13811112222"
    assert "13811112222" in response.content.decode()


def test_a_department_clerk_sees_the_contact_masked(client, jxj_clerk, evaluating):
    client.force_login(jxj_clerk)
    html = client.get(detail_url(evaluating)).content.decode()
    assert "13811112222" not in html
    assert mask_contact("13811112222") in html


def test_the_detail_shows_what_staff_need(client, leader, make_idea, jxj_clerk, jxj):
    idea = make_idea("answered", title="老厂房改造孵化器", author_name="李女士")
    services.idea_return_answer(idea=idea, by=leader, note="请补充选址")
    services.idea_answer(idea=idea, by=jxj_clerk, text="第二稿答复", outcome="reply")
    client.force_login(leader)
    response = client.get(detail_url(idea))
    html = response.content.decode()
    assert "老厂房改造孵化器" in html
    assert "李女士" in html
    assert jxj.name in html
    assert "请补充选址" in html  # the return note in the answers' history
    assert "第二稿答复" in html  # the pending draft, shown for approval
    assert len(response.context["answers"]) == 2
    assert response.context["pending"].text == "第二稿答复"
    assert [e.action for e in response.context["events"]][:3] == ["submit", "publish", "assign"]
    assert response.context["can"]["approve_answer"]
    assert not response.context["can"]["publish"]


def test_the_detail_shows_open_reports_with_their_reasons(client, leader, make_idea):
    idea = make_idea(Status.PUBLISHED)
    for reason in ("广告内容", "含有电话号码", "重复刷屏"):
        services.idea_report(idea=idea, contact=next_phone(), reason=reason, ip=None)
    client.force_login(leader)
    response = client.get(detail_url(idea))
    html = response.content.decode()
    assert [r.reason for r in response.context["reports"]] == [
        "广告内容",
        "含有电话号码",
        "重复刷屏",
    ]
    assert 'data-testid="idea-hidden"' in html
    assert "moderation-event" in html
    assert response.context["can"]["restore"]


def test_the_detail_offers_only_the_actions_allowed(client, leader, jxj_clerk, make_idea):
    submitted = make_idea(Status.SUBMITTED)
    evaluating = make_idea(Status.EVALUATING)
    client.force_login(leader)
    forms = client.get(detail_url(submitted)).context["forms"]
    assert {"publish", "reject", "mark_duplicate", "edit", "block"} <= set(forms)
    assert "answer" not in forms and "adopt" not in forms and "hide" not in forms
    client.force_login(jxj_clerk)
    forms = client.get(detail_url(evaluating)).context["forms"]
    assert set(forms) == {"answer"}
    html = client.get(detail_url(evaluating)).content.decode()
    assert 'data-testid="form-answer"' in html
    assert 'data-testid="form-block"' not in html


def test_the_duplicate_form_lists_published_candidates(client, leader, make_idea):
    target = make_idea(Status.PUBLISHED, title="在东部片区建设孵化器")
    idea = make_idea(Status.SUBMITTED, title="东部片区建设孵化器的建议")
    client.force_login(leader)
    response = client.get(detail_url(idea))
    candidates = [c.pk for c in response.context["candidates"]]
    assert target.pk in candidates
    assert idea.pk not in candidates


# --- escaping -----------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_a_script_title_is_escaped_on_every_staff_page(client, leader, make_idea):
    idea = make_idea(Status.PUBLISHED, title=SCRIPT, body=f"正文{SCRIPT}", author_name="<b>x</b>")
    services.idea_support(idea=idea, contact=next_phone(), ip=None)
    client.force_login(leader)
    for url in (LIST, detail_url(idea), STATS):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    assert "<b>x</b>" not in client.get(detail_url(idea)).content.decode()


# --- statistics ---------------------------------------------------------------------------------


def test_the_statistics_count_every_state_within_the_scope(
    client, leader, jxj_clerk, make_idea, with_zrj
):
    make_idea(Status.SUBMITTED)
    make_idea(Status.ADOPTED)
    make_idea(Status.DECLINED)
    make_idea(Status.NOT_PUBLISHED)
    client.force_login(leader)
    figures = client.get(STATS).context["figures"]
    counts = {row["key"]: row["total"] for row in figures["all_statuses"]}
    assert len(counts) == len(Status.choices)
    assert counts["submitted"] == 1
    assert counts["not_published"] == 1
    assert counts["adopted"] == 1
    assert counts["evaluating"] == 1
    assert figures["adoption_rate"] == 50.0

    client.force_login(jxj_clerk)
    figures = client.get(STATS).context["figures"]
    assert figures["total"] == 2  # the adopted and the declined ones were 经信局's


def test_the_statistics_take_a_period(client, leader, make_idea):
    make_idea(Status.SUBMITTED)
    client.force_login(leader)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert client.get(STATS, {"since": tomorrow}).context["figures"]["total"] == 0
    assert client.get(STATS, {"since": "2000-01-01"}).context["figures"]["total"] == 1
    assert client.get(STATS, {"since": "not a date"}).status_code == 400


# --- the block list -----------------------------------------------------------------------------


def test_the_block_list_shows_each_block_and_unblocks(client, leader, make_idea):
    idea = make_idea(Status.SUBMITTED, contact="13822223333")
    blocks = services.sender_block(by=leader, idea=idea, reason="恶意刷屏", network=True)
    assert {b.kind for b in blocks} == {BlockKind.CONTACT, BlockKind.IP}
    client.force_login(leader)
    html = client.get(BLOCKS).content.decode()
    assert "恶意刷屏" in html
    assert mask_contact("13822223333") in html
    assert "13822223333" not in html
    assert html.count('data-testid="block-row"') == 2

    response = client.post(reverse("ideas:unblock", args=[blocks[0].pk]), follow=True)
    assert response.redirect_chain[-1][0] == BLOCKS
    assert response.context["page"].paginator.count == 1
    assert client.post(reverse("ideas:unblock", args=[blocks[0].pk])).status_code == 404


def test_the_leader_of_another_district_cannot_unblock(client, leader, outsider, make_idea):
    idea = make_idea(Status.SUBMITTED)
    (block,) = services.sender_block(by=leader, idea=idea, reason="刷屏")
    client.force_login(outsider)
    assert client.get(BLOCKS).context["page"].paginator.count == 0
    assert client.post(reverse("ideas:unblock", args=[block.pk])).status_code == 404
    assert type(block).objects.filter(pk=block.pk).exists()


# --- query budgets ------------------------------------------------------------------------------


def _make_many(make_idea: Any, n: int) -> None:
    states = [Status.SUBMITTED, Status.EVALUATING, "answered", Status.PUBLISHED, Status.ADOPTED]
    for i in range(n):
        make_idea(states[i % len(states)], title=f"建议{Idea.objects.count()}号")


@pytest.mark.parametrize("url", [LIST, EXPORT, f"{LIST}?queue=approval", STATS])
def test_the_pages_read_as_many_queries_for_thirty_ideas_as_for_three(
    client, leader, make_idea, django_assert_max_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(leader)
    _make_many(make_idea, 3)
    client.get(url)  # warm the session and the calendar
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_many(make_idea, 27)
    assert Idea.objects.count() >= 30
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_the_clerks_list_and_export_keep_their_budget(
    client, jxj_clerk, make_idea, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(jxj_clerk)
    _make_many(make_idea, 3)
    budgets = {}
    for url in (LIST, EXPORT):
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        budgets[url] = len(few)
    _make_many(make_idea, 27)
    for url in (LIST, EXPORT):
        with django_assert_max_num_queries(budgets[url]):
            assert client.get(url).status_code == 200
