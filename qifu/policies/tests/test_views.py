"""The policy pages: the library and its export, programmes with their matches and the apply form,
applications and their steps, the calculator and notices.

Anonymous users go to the login page, an official of another district gets 404 on anything with
an id, an enterprise user sees its own applications only; a refused state is a 409 page and the
lists read as many queries for many rows as for few."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.xlsx import XLSX_MIME
from qifu.policies import services
from qifu.policies.models import Application, Delivery, Programme
from qifu.policies.tests.conftest import TODAY

pytestmark = pytest.mark.django_db

PAGES = [
    "/policies/",
    "/policies/export/",
    "/policies/programmes/",
    "/policies/applications/",
    "/policies/applications/export/",
    "/policies/calculator/",
    "/policies/notices/",
]


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def tianlu_ready(tianlu) -> Any:
    # 天路集团: above scale and 高新技术企业, so it qualifies for the default programme
    tianlu.is_above_scale = True
    tianlu.save(update_fields=["is_above_scale"])
    return tianlu


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_officials_open_every_page(client, jxj_clerk, policy, url):
    client.force_login(jxj_clerk)
    response = client.get(url)
    assert response.status_code == 200
    if "export" in url:
        assert response["Content-Type"] == XLSX_MIME


def test_a_sysadmin_may_not_open_the_pages(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get("/policies/").status_code == 403


def test_the_library_finds_a_chinese_substring_and_marks_expired_policies(
    client, jxj_clerk, jxj, policy
):
    services.policy_save(
        by=jxj_clerk,
        values={
            "title": "关于节能降耗的旧政策",
            "level": "city",
            "issuer": "青岛市人民政府",
            "issued_on": dt.date(2020, 1, 1),
            "valid_until": dt.date(2022, 12, 31),
            "department": jxj,
        },
    )
    client.force_login(jxj_clerk)
    found = client.get("/policies/", {"q": "技术创新"})
    assert found.content.decode().count('data-testid="policy-row"') == 1
    everything = client.get("/policies/").content.decode()
    assert everything.count('data-testid="policy-expired"') == 1
    expired = client.get("/policies/", {"validity": "expired"}).content.decode()
    assert "关于节能降耗的旧政策" in expired and "技术创新的若干" not in expired


def test_a_bad_filter_is_answered_400(client, jxj_clerk):
    client.force_login(jxj_clerk)
    assert client.get("/policies/", {"level": "galactic"}).status_code == 400
    assert client.get("/policies/applications/", {"programme": "x"}).status_code == 400


def test_an_outsider_gets_404_on_a_policy_programme_and_application(
    client, outsider, enterprise_user, programme, tianlu_ready
):
    application, _ = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu_ready
    )
    client.force_login(outsider)
    assert client.get(f"/policies/{programme.policy_id}/").status_code == 404
    assert client.get(f"/policies/programmes/{programme.pk}/").status_code == 404
    assert client.get(f"/policies/applications/{application.pk}/").status_code == 404


def test_the_programme_page_shows_officials_the_matches_and_near_misses(
    client, jxj_clerk, programme, tianlu_ready
):
    EnterpriseFactory(name="差一点有限公司", is_above_scale=True)
    client.force_login(jxj_clerk)
    page = client.get(f"/policies/programmes/{programme.pk}/").content.decode()
    assert page.count('data-testid="programme-match-row"') == 1
    assert "天路集团" in page
    assert 'data-testid="programme-near-row"' in page and "差一点有限公司" in page


def test_the_open_window_badge_is_translated_in_its_own_context(
    client, monkeypatch, enterprise_user, programme
):
    # "Open" alone is another msgid (of other modules): the badge asks for the window's "Open"
    plain = translation._trans.pgettext
    marked = {"application window": "WINDOW-OPEN"}

    def pgettext(context: str, message: str) -> str:
        return marked.get(context, "") if message == "Open" else plain(context, message)

    monkeypatch.setattr(translation._trans, "pgettext", pgettext)
    client.force_login(enterprise_user)
    for url in (f"/policies/programmes/{programme.pk}/", "/policies/programmes/"):
        page = client.get(url).content.decode()
        assert re.search(r'data-testid="programme-open">WINDOW-OPEN</span>', page), url


def test_an_enterprise_user_applies_once_then_a_duplicate_is_a_409_page(
    client, enterprise_user, programme, tianlu_ready
):
    client.force_login(enterprise_user)
    page = client.get(f"/policies/programmes/{programme.pk}/").content.decode()
    assert 'data-testid="programme-qualifies"' in page
    assert 'data-testid="programme-apply"' in page
    url = f"/policies/programmes/{programme.pk}/apply/"
    response = client.post(url, {"statement": "我们符合条件", "client_token": "a1"})
    application = Application.objects.get(programme=programme, enterprise=tianlu_ready)
    assert response.status_code == 302
    assert response["Location"] == f"/policies/applications/{application.pk}/"
    # the same submit again is the same application
    again = client.post(url, {"statement": "我们符合条件", "client_token": "a1"})
    assert again.status_code == 302
    duplicate = client.post(url, {"statement": "再次申请", "client_token": "a2"})
    assert duplicate.status_code == 409
    assert Application.objects.filter(programme=programme).count() == 1


def test_the_materials_ticked_on_the_apply_form_show_on_the_application_page(
    client, enterprise_user, programme, tianlu_ready
):
    client.force_login(enterprise_user)
    url = f"/policies/programmes/{programme.pk}/apply/"
    body = {"materials": ["营业执照"], "client_token": "m1"}
    assert client.post(url, body).status_code == 302
    application = Application.objects.get(programme=programme, enterprise=tianlu_ready)
    assert application.materials_checked == ["营业执照"]
    page = client.get(f"/policies/applications/{application.pk}/").content.decode()
    assert 'data-testid="application-materials">营业执照<' in page


def choice_rows(page: str, name: str) -> list[str]:
    """The labels of the options of the choice field `name`, each in its own form-check row."""
    pattern = (
        r'<div class="form-check"><input type="(?:checkbox|radio)" name="'
        + re.escape(name)
        + r'"[^>]*class="form-check-input"[^>]*> <label class="form-check-label" for="[^"]+">'
        r"([^<]*)</label></div>"
    )
    return re.findall(pattern, page)


def test_the_apply_and_review_forms_lay_out_each_choice_as_its_own_check_row(
    client, enterprise_user, jxj_clerk, programme, tianlu_ready
):
    client.force_login(enterprise_user)
    page = client.get(f"/policies/programmes/{programme.pk}/").content.decode()
    assert choice_rows(page, "materials") == ["申报书", "营业执照"]
    # the group's wrapper is not itself shrunk to a check box
    assert not re.search(r'<div[^>]*class="form-check-input"', page)
    application, _ = services.application_apply(
        by=enterprise_user,
        programme=programme,
        enterprise=tianlu_ready,
        materials_checked=["营业执照"],
    )
    client.force_login(jxj_clerk)
    page = client.get(f"/policies/applications/{application.pk}/").content.decode()
    assert len(choice_rows(page, "passed")) == 2
    assert choice_rows(page, "materials_checked") == ["申报书", "营业执照"]
    assert not re.search(r'<div[^>]*class="form-check-input"', page)
    # the review starts from the materials the enterprise ticked
    ticked = re.findall(
        r'<input type="checkbox" name="materials_checked" value="([^"]+)"[^>]* checked[ >]', page
    )
    assert ticked == ["营业执照"]


def test_the_history_reads_its_steps_and_statuses_in_words(
    client, enterprise_user, jxj_clerk, programme, tianlu_ready
):
    application, _ = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu_ready
    )
    services.application_review(
        by=jxj_clerk, application=application, passed=True, materials_checked=["申报书", "营业执照"]
    )
    client.force_login(jxj_clerk)
    client.cookies["django_language"] = "en"
    page = client.get(f"/policies/applications/{application.pk}/").content.decode()
    steps = [
        " ".join(re.sub(r"<[^>]+>", " ", html).split())
        for html in re.findall(r'data-testid="application-event">(.*?)</div>', page)
    ]
    assert sorted(steps) == ["Applied → Applied", "Reviewed Applied → Reviewed by the district"]


def test_applying_outside_the_window_is_a_409_page(client, enterprise_user, programme, clock):
    clock.set(dt.date(2026, 5, 6))
    client.force_login(enterprise_user)
    response = client.post(f"/policies/programmes/{programme.pk}/apply/", {"client_token": "b"})
    assert response.status_code == 409
    assert not Application.objects.exists()


def test_apply_needs_post(client, enterprise_user, programme):
    client.force_login(enterprise_user)
    assert client.get(f"/policies/programmes/{programme.pk}/apply/").status_code == 405


def test_an_enterprise_user_sees_only_its_own_applications(
    client, enterprise_user, ruifeng_user, jxj_clerk, programme, tianlu_ready, ruifeng
):
    mine, _ = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu_ready
    )
    client.force_login(ruifeng_user)
    listing = client.get("/policies/applications/").content.decode()
    assert 'data-testid="application-row"' not in listing
    assert client.get(f"/policies/applications/{mine.pk}/").status_code == 404
    client.force_login(enterprise_user)
    listing = client.get("/policies/applications/").content.decode()
    assert listing.count('data-testid="application-row"') == 1


def test_the_department_reviews_recommends_records_the_result_and_the_funds(
    client, enterprise_user, jxj_clerk, programme, tianlu_ready
):
    application, _ = services.application_apply(
        by=enterprise_user, programme=programme, enterprise=tianlu_ready
    )
    base = f"/policies/applications/{application.pk}/"
    client.force_login(enterprise_user)
    assert 'data-testid="application-review"' not in client.get(base).content.decode()
    assert client.post(base + "review/", {"passed": "1"}).status_code == 403
    client.force_login(jxj_clerk)
    assert 'data-testid="application-review"' in client.get(base).content.decode()
    # passing with a material unchecked is a form error, nothing moves
    incomplete = client.post(base + "review/", {"passed": "1", "materials_checked": ["申报书"]})
    assert incomplete.status_code == 400
    application.refresh_from_db()
    assert application.status == "applied"
    checked = {"passed": "1", "materials_checked": ["申报书", "营业执照"]}
    assert client.post(base + "review/", checked).status_code == 302
    assert 'data-testid="application-recommend"' in client.get(base).content.decode()
    assert client.post(base + "recommend/", {"recommend-note": "推荐上报"}).status_code == 302
    assert client.post(base + "result/", {"approved": "1", "amount": "30"}).status_code == 302
    funds = {"amount": "30", "on": TODAY.isoformat()}
    assert client.post(base + "funds/", funds).status_code == 302
    application.refresh_from_db()
    assert application.status == "funded"
    assert application.events.count() == 5
    # recommending again is refused with a 409 page
    assert client.post(base + "recommend/").status_code == 409
    assert client.post(base + "nonsense/").status_code == 400


def test_a_department_recommends_an_enterprise_from_the_programme_page(
    client, licun_clerk, programme, tianlu_ready
):
    client.force_login(licun_clerk)
    response = client.post(
        f"/policies/programmes/{programme.pk}/recommend/", {"enterprise": tianlu_ready.pk}
    )
    assert response.status_code == 302
    assert Application.objects.get().origin == "recommended"


def test_the_programme_form_takes_criteria_rows_and_shows_a_bad_json_message(
    client, jxj_clerk, jxj, policy
):
    client.force_login(jxj_clerk)
    assert client.get("/policies/programmes/new/").status_code == 200
    values = {
        "policy": policy.pk,
        "title": "专精特新奖励",
        "window_opens": "2026-04-01",
        "window_closes": "2026-06-30",
        "department": jxj.pk,
        "materials": "申报书\n营业执照",
        "combine": "all",
        "c0_field": "employees",
        "c0_op": ">=",
        "c0_value": "50",
        "c1_field": "tags",
        "c1_op": "has_any",
        "c1_value": "专精特新、高新技术企业",
    }
    response = client.post("/policies/programmes/new/", values)
    assert response.status_code == 302
    programme = Programme.objects.get(title="专精特新奖励")
    assert programme.criteria["conditions"][1]["value"] == ["专精特新", "高新技术企业"]
    assert programme.materials == ["申报书", "营业执照"]
    bad = client.post(
        "/policies/programmes/new/",
        {**values, "title": "坏条件", "criteria_json": '{"combine": "some"}'},
    )
    assert bad.status_code == 400
    assert "组合方式" in bad.content.decode()
    assert not Programme.objects.filter(title="坏条件").exists()


def test_an_enterprise_user_may_not_open_the_programme_form(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get("/policies/programmes/new/").status_code == 403


def test_a_push_reaches_the_eligible_and_the_inbox_marks_it_read(
    client, jxj_clerk, enterprise_user, programme, tianlu_ready
):
    client.force_login(jxj_clerk)
    response = client.post(f"/policies/programmes/{programme.pk}/push/", {"client_token": "p"})
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.enterprise_id == tianlu_ready.pk
    client.force_login(enterprise_user)
    inbox = client.get("/policies/notices/").content.decode()
    assert 'data-testid="delivery-read"' in inbox
    assert client.post(f"/policies/notices/{delivery.pk}/read/").status_code == 302
    delivery.refresh_from_db()
    assert delivery.read_at is not None
    client.force_login(jxj_clerk)
    sent = client.get("/policies/notices/").content.decode()
    assert 'data-testid="notice-row"' in sent


def test_a_notice_by_street_is_sent_from_the_notices_page(client, jxj_clerk, tianlu, licun):
    client.force_login(jxj_clerk)
    response = client.post(
        "/policies/notices/",
        {"title": "政策宣讲会", "body": "周五下午", "streets": [licun.code], "client_token": "n"},
    )
    assert response.status_code == 302
    assert Delivery.objects.filter(enterprise=tianlu).exists()
    nobody = client.post("/policies/notices/", {"title": "无对象", "body": "x"})
    assert nobody.status_code == 400


def test_the_calculator_shows_what_an_enterprise_qualifies_for(
    client, jxj_clerk, enterprise_user, programme, tianlu_ready
):
    client.force_login(jxj_clerk)
    page = client.get("/policies/calculator/", {"enterprise": tianlu_ready.pk}).content.decode()
    assert page.count('data-testid="calculator-row"') == 1
    typed = client.get(
        "/policies/calculator/", {"above_scale": "on", "tags": "高新技术企业"}
    ).content.decode()
    assert typed.count('data-testid="calculator-row"') == 1
    client.force_login(enterprise_user)
    own = client.get("/policies/calculator/").content.decode()
    assert own.count('data-testid="calculator-row"') == 1
    assert client.get("/policies/calculator/", {"employees": "many"}).status_code == 400


def test_the_enterprise_file_shows_the_policies_section(client, jxj_clerk, programme, tianlu_ready):
    client.force_login(jxj_clerk)
    page = client.get(f"/enterprises/{tianlu_ready.pk}/").content.decode()
    assert 'data-testid="enterprise-policies"' in page
    assert 'data-testid="enterprise-match-now"' in page


def test_the_lists_read_the_same_number_of_queries_for_few_and_many(
    client, jxj_clerk, make_programme, policy
):
    def build(n: int) -> None:
        for i in range(n):
            programme = make_programme(title=f"项目{Programme.objects.count()}-{i}")
            enterprise = EnterpriseFactory(is_above_scale=True, tags=["高新技术企业"])
            services.application_apply(by=jxj_clerk, programme=programme, enterprise=enterprise)

    client.force_login(jxj_clerk)
    build(2)
    urls = ["/policies/", "/policies/programmes/", "/policies/applications/"]
    few = {url: count_queries(client, url) for url in urls}
    build(10)
    for url in urls:
        assert count_queries(client, url) <= few[url], url
