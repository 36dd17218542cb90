"""The figures of policy work (/policies/figures/, its Excel export and GET
/api/v1/policies/figures/): per programme, category, department and period, the enterprises
eligible, pushed, read, applied, recommended upward, approved and the funds received, each equal
to the count of the data behind it; officials of the district only; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.quarters import Span
from qifu.lib.xlsx import XLSX_MIME
from qifu.policies import selectors, services
from qifu.policies.models import Delivery, PolicyCategory, Programme

pytestmark = pytest.mark.django_db

SPECIAL = {
    "combine": "all",
    "conditions": [{"field": "tags", "op": "has_any", "value": ["专精特新"]}],
}
PAGE = "/policies/figures/"
EXPORT = "/policies/figures/export/"
API = "/api/v1/policies/figures/"


def _through(by: Any, programme: Programme, enterprise: Any, *, upto: str) -> Any:
    application, _created = services.application_apply(
        by=by, programme=programme, enterprise=enterprise
    )
    if upto == "withdrawn":
        return services.application_withdraw(by=by, application=application)
    if upto == "applied":
        return application
    application = services.application_review(
        by=by, application=application, passed=True, materials_checked=programme.materials
    )
    application = services.application_recommend(by=by, application=application)
    if upto == "recommended":
        return application
    if upto == "rejected":
        return services.application_result(
            by=by, application=application, approved=False, note="名额已满"
        )
    application = services.application_result(
        by=by, application=application, approved=True, amount=Decimal("50")
    )
    if upto == "approved":
        return application
    return services.application_funds(
        by=by, application=application, amount=Decimal(upto), on=dt.date(2026, 4, 10)
    )


@pytest.fixture
def scene(jxj_clerk, make_programme, policy) -> dict[str, Any]:
    """Programme A (April 2026, 技术创新): 4 enterprises tagged 专精特新 qualify, all 4 pushed and
    2 read; 4 applications: one funded 30 万元, one approved, one rejected, one withdrawn.
    Programme B (July 2026, 节能): nobody qualifies, one enterprise applied."""
    special = [EnterpriseFactory(name=f"专精特新企业{i}", tags=["专精特新"]) for i in range(4)]
    a = make_programme(title="专精特新奖励", criteria=SPECIAL)
    notice, _created = services.notice_send(
        by=jxj_clerk, title="请申报", body="", target={"eligible": True}, programme=a
    )
    Delivery.objects.filter(notice=notice, enterprise__in=special[:2]).update(
        read_at=timezone.now()
    )
    _through(jxj_clerk, a, special[0], upto="30")
    _through(jxj_clerk, a, special[1], upto="approved")
    _through(jxj_clerk, a, special[2], upto="rejected")
    _through(jxj_clerk, a, special[3], upto="withdrawn")
    energy = services.policy_save(
        by=jxj_clerk,
        values={
            "title": "节能改造扶持办法",
            "level": "district",
            "issuer": "李沧区人民政府",
            "issued_on": dt.date(2026, 2, 1),
            "department": policy.department,
        },
        categories=PolicyCategory.objects.filter(code="energy-saving"),
    )
    b = make_programme(
        title="节能改造补助",
        policy=energy,
        criteria={
            "combine": "all",
            "conditions": [{"field": "tags", "op": "has_any", "value": ["无人拥有的标签"]}],
        },
        window=(dt.date(2026, 4, 10), dt.date(2026, 7, 31)),
    )
    _through(jxj_clerk, b, special[0], upto="applied")
    return {"a": a, "b": b, "special": special}


def _numbers(row: Any) -> dict[str, Any]:
    names = ("eligible", "pushed", "read", "applied", "recommended", "approved", "funds")
    return {name: getattr(row, name) for name in names}


A_FIGURES = {
    "eligible": 4,
    "pushed": 4,
    "read": 2,
    "applied": 3,
    "recommended": 3,
    "approved": 2,
    "funds": Decimal("30"),
}
B_FIGURES = {
    "eligible": 0,
    "pushed": 0,
    "read": 0,
    "applied": 1,
    "recommended": 0,
    "approved": 0,
    "funds": Decimal("0"),
}


def test_each_programme_counts_the_eligible_enterprises(jxj_clerk, scene):
    found = selectors.policy_figures(user=jxj_clerk)
    by_key = {row.key: row for row in found.programmes}
    assert by_key[scene["a"].pk].eligible == 4
    assert by_key[scene["b"].pk].eligible == 0


def test_pushed_and_read_count_the_deliveries_of_the_programmes_pushes(jxj_clerk, scene):
    row = {r.key: r for r in selectors.policy_figures(user=jxj_clerk).programmes}[scene["a"].pk]
    assert (row.pushed, row.read) == (4, 2)


def test_applications_count_by_how_far_they_went_and_withdrawn_ones_do_not(jxj_clerk, scene):
    rows = {r.key: r for r in selectors.policy_figures(user=jxj_clerk).programmes}
    assert _numbers(rows[scene["a"].pk]) == A_FIGURES
    assert _numbers(rows[scene["b"].pk]) == B_FIGURES


def test_categories_and_departments_add_up_their_programmes(jxj_clerk, scene, jxj):
    found = selectors.policy_figures(user=jxj_clerk)
    categories = {row.key: row for row in found.categories}
    assert _numbers(categories["innovation"]) == A_FIGURES
    assert _numbers(categories["energy-saving"]) == B_FIGURES
    assert [row.key for row in found.departments] == [jxj.pk]
    department = found.departments[0]
    assert department.programmes == 2
    assert department.applied == 4 and department.funds == Decimal("30")
    assert _numbers(found.total) == _numbers(department)


def test_a_period_keeps_the_programmes_whose_window_overlaps_it(jxj_clerk, scene):
    def titles(period: str) -> set[str]:
        found = selectors.policy_figures(user=jxj_clerk, period=Span.parse(period))
        return {row.label for row in found.programmes}

    assert titles("2026") == {"专精特新奖励", "节能改造补助"}
    assert titles("2026Q2") == {"专精特新奖励", "节能改造补助"}
    assert titles("2026Q3") == {"节能改造补助"}
    assert titles("2025") == set()


def test_street_staff_count_the_enterprises_of_their_street_only(loushan_clerk, scene):
    rows = {r.key: r for r in selectors.policy_figures(user=loushan_clerk).programmes}
    assert _numbers(rows[scene["a"].pk]) == {
        **dict.fromkeys(A_FIGURES, 0),
        "funds": Decimal(0),
    }


def test_draft_programmes_are_left_out(jxj_clerk, make_programme):
    draft = make_programme(title="草稿项目", publish=False)
    assert draft.pk not in {r.key for r in selectors.policy_figures(user=jxj_clerk).programmes}


# --- the page, the export and the API -----------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_anonymous_users_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, EXPORT, API])
def test_the_figures_answer_only_get(client, jxj_clerk, url):
    client.force_login(jxj_clerk)
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", [PAGE, EXPORT, API])
def test_an_enterprise_user_may_not_see_the_figures(client, enterprise_user, url):
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403


def test_anonymous_api_callers_are_refused(client):
    assert client.get(API).status_code in (401, 403)


def test_an_official_of_another_district_sees_none_of_our_programmes(client, outsider, scene):
    client.force_login(outsider)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert b'data-testid="figures-programme-row"' not in response.content
    assert client.get(API).json()["programmes"] == []
    a = scene["a"].pk
    assert client.get(f"{PAGE}?programme={a}").status_code == 404
    assert client.get(f"{EXPORT}?programme={a}").status_code == 404
    assert client.get(f"{API}?programme={a}").status_code == 404


@pytest.mark.parametrize("url", [PAGE, EXPORT, API])
def test_a_period_that_is_not_a_year_or_a_quarter_is_bad_input(client, jxj_clerk, url):
    client.force_login(jxj_clerk)
    assert client.get(f"{url}?period=2026Q5").status_code == 400


def test_the_page_shows_the_figures_and_is_linked_from_the_tabs(client, jxj_clerk, scene):
    client.force_login(jxj_clerk)
    response = client.get(f"{PAGE}?period=2026Q2")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tab-figures"' in html
    assert html.count('data-testid="figures-programme-row"') == 2
    assert 'data-testid="fig-funds">30.00<' in html
    assert 'data-testid="tab-figures"' in client.get("/policies/programmes/").content.decode()


def test_the_api_answers_the_same_numbers(client, jxj_clerk, scene):
    client.force_login(jxj_clerk)
    body = client.get(f"{API}?period=2026Q2&programme={scene['a'].pk}").json()
    assert body["period"] == "2026Q2"
    [row] = body["programmes"]
    assert row["label"] == "专精特新奖励"
    assert {k: row[k] for k in A_FIGURES if k != "funds"} == {
        k: v for k, v in A_FIGURES.items() if k != "funds"
    }
    assert Decimal(row["funds"]) == Decimal("30")
    assert body["total"]["applied"] == 3


def test_the_export_opens_and_holds_the_same_numbers(client, jxj_clerk, scene):
    client.force_login(jxj_clerk)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]}
    order = ("eligible", "pushed", "read", "applied", "recommended", "approved", "funds")
    assert rows["专精特新奖励"] == (1, *(A_FIGURES[k] for k in order))
    assert rows["节能改造补助"] == (1, *(B_FIGURES[k] for k in order))


def test_the_figures_read_as_many_queries_for_twelve_programmes_as_for_two(
    client, jxj_clerk, make_programme
):
    def build(n: int) -> None:
        for i in range(n):
            programme = make_programme(title=f"项目{Programme.objects.count()}-{i}")
            enterprise = EnterpriseFactory(is_above_scale=True, tags=["高新技术企业"])
            services.application_apply(by=jxj_clerk, programme=programme, enterprise=enterprise)
            services.notice_send(
                by=jxj_clerk, title="推送", body="", target={"eligible": True}, programme=programme
            )

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        return len(queries)

    client.force_login(jxj_clerk)
    build(2)
    few = {url: count(url) for url in (PAGE, EXPORT, API)}
    build(10)
    assert Programme.objects.count() == 12
    for url, budget in few.items():
        assert count(url) <= budget, url
