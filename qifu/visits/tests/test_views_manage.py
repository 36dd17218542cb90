"""The pages that keep the visiting going: responsibility assignments, red flags, plans and the
questionnaire (for the system admin).

Each page: anonymous → login, the enterprise user → 403, an outsider → 404 on anything with an id,
the happy path through the service, a refused state → 409, bad input → 400; lists export to Excel
and read the same number of queries for few and many rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.xlsx import XLSX_MIME
from qifu.visits import services
from qifu.visits.models import Assignment, PlanStatus, QuestionnaireVersion, RedFlag, VisitPlan
from qifu.visits.tests.conftest import TODAY, D

pytestmark = pytest.mark.django_db

LISTS = [
    "/visits/assignments/",
    "/visits/assignments/export/",
    "/visits/red-flags/",
    "/visits/red-flags/export/",
    "/visits/plans/",
]


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def flag(record, licun_clerk, tianlu) -> RedFlag:
    visit = record(licun_clerk, [tianlu], red_flags=[(tianlu, "relocation", "考虑外迁")])
    return visit.red_flags.get()


@pytest.fixture
def plan(licun_clerk, tianlu) -> VisitPlan:
    return services.plan_create(
        by=licun_clerk,
        date=D(2026, 10, 23),
        purpose="回访用地问题",
        enterprises=[tianlu],
        officials=[licun_clerk],
    )


@pytest.fixture
def assignment(assign, licun_clerk, licun) -> Assignment:
    return assign(licun_clerk, street=licun)


# --- who may open what ----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, flag, plan, assignment) -> None:
    for url in [*LISTS, "/visits/questionnaire/", f"/visits/red-flags/{flag.pk}/resolve/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    for url in [
        f"/visits/assignments/{assignment.pk}/end/",
        f"/visits/plans/{plan.pk}/cancel/",
        "/visits/questionnaire/1/publish/",
    ]:
        assert client.post(url).status_code == 302, url


def test_the_enterprise_user_gets_403(client, flag, plan, assignment, enterprise_user) -> None:
    client.force_login(enterprise_user)

    for url in [*LISTS, "/visits/questionnaire/", f"/visits/red-flags/{flag.pk}/resolve/"]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/visits/plans/{plan.pk}/cancel/").status_code == 403
    assert client.post(f"/visits/assignments/{assignment.pk}/end/").status_code == 403


def test_an_outsider_gets_404_on_our_rows(client, flag, plan, assignment, outsider) -> None:
    client.force_login(outsider)

    assert client.get(f"/visits/red-flags/{flag.pk}/resolve/").status_code == 404
    assert (
        client.post(f"/visits/red-flags/{flag.pk}/resolve/", {"resolution": "x"}).status_code == 404
    )
    assert client.post(f"/visits/plans/{plan.pk}/cancel/").status_code == 404
    assert client.post(f"/visits/assignments/{assignment.pk}/end/").status_code == 404
    for url in LISTS:
        assert client.get(url).status_code == 200, url
    assert client.get("/visits/red-flags/").context["page"].paginator.count == 0
    assert client.get("/visits/plans/").context["page"].paginator.count == 0
    assert client.get("/visits/assignments/").context["page"].paginator.count == 0


def test_every_list_renders_and_exports_for_the_leader(client, flag, plan, assignment, leader):
    client.force_login(leader)

    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200, url
        if "export" in url:
            assert response["Content-Type"] == XLSX_MIME
        else:
            assert 'data-testid="visits-tabs"' in response.content.decode()


def test_the_lists_read_as_many_queries_for_many_rows_as_for_few(
    client, record, assign, licun_clerk, leader, licun, django_assert_max_num_queries
) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            enterprise = EnterpriseFactory(street=licun, is_key=True)
            record(licun_clerk, [enterprise], red_flags=[(enterprise, "layoffs", f"裁员{i}")])
            assign(leader, enterprise=enterprise)
            services.plan_create(
                by=licun_clerk,
                date=D(2026, 11, 1),
                purpose=f"计划{i}",
                enterprises=[enterprise],
                officials=[licun_clerk, leader],
            )

    client.force_login(leader)
    grow(2)
    few = [count_queries(client, url) for url in LISTS]
    grow(12)
    many = [count_queries(client, url) for url in LISTS]

    assert few == many
    for url in LISTS:
        with django_assert_max_num_queries(12):
            client.get(url)


# --- assignments ----------------------------------------------------------------------------------


def test_the_leader_assigns_a_street(client, leader, licun_clerk, licun) -> None:
    client.force_login(leader)
    response = client.post(
        "/visits/assignments/",
        {
            "official": licun_clerk.pk,
            "street": licun.pk,
            "key_only": "on",
            "visits_per_quarter": 2,
            "starts_on": "2026-10-01",
            "note": "李村街道重点企业",
        },
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.official, assignment.street, assignment.visits_per_quarter) == (
        licun_clerk,
        licun,
        2,
    )
    assert assignment.key_only is True


def test_the_leader_assigns_an_enterprise(client, leader, jxj_clerk, tianlu) -> None:
    client.force_login(leader)
    response = client.post(
        "/visits/assignments/",
        {"official": jxj_clerk.pk, "enterprise": tianlu.pk, "visits_per_quarter": 1},
    )

    assert response.status_code == 302
    assert Assignment.objects.get().starts_on == TODAY


@pytest.mark.parametrize(
    "data",
    [
        {"visits_per_quarter": 1},  # neither a street nor an enterprise
        {"street": "STREET", "enterprise": "TIANLU", "visits_per_quarter": 1},  # both
        {"street": "STREET", "visits_per_quarter": 0},
        {"street": "STREET", "visits_per_quarter": 1, "starts_on": "2026-02-30"},
        {"street": "STREET", "visits_per_quarter": 1, "official": 999999},
    ],
)
def test_a_bad_assignment_is_400(client, leader, licun_clerk, licun, tianlu, data) -> None:
    client.force_login(leader)
    values = {"official": licun_clerk.pk, **data}
    values = {
        k: {"STREET": licun.pk, "TIANLU": tianlu.pk}.get(v, v) if isinstance(v, str) else v
        for k, v in values.items()
    }
    response = client.post("/visits/assignments/", values)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert Assignment.objects.count() == 0


def test_assigning_the_same_twice_is_400(client, assignment, leader, licun_clerk, licun) -> None:
    client.force_login(leader)
    response = client.post(
        "/visits/assignments/",
        {"official": licun_clerk.pk, "street": licun.pk, "visits_per_quarter": 1},
    )

    assert response.status_code == 400
    assert Assignment.objects.count() == 1


def test_a_department_clerk_sees_assignments_but_may_not_assign(client, assignment, jxj_clerk):
    client.force_login(jxj_clerk)
    response = client.get("/visits/assignments/")

    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'data-testid="assignment-end"' not in response.content.decode()
    assert client.post("/visits/assignments/", {}).status_code == 403
    assert client.post(f"/visits/assignments/{assignment.pk}/end/").status_code == 403


def test_the_street_clerk_assigns_within_the_street_only(client, licun_clerk, loushan) -> None:
    client.force_login(licun_clerk)
    response = client.post(
        "/visits/assignments/",
        {"official": licun_clerk.pk, "street": loushan.pk, "visits_per_quarter": 1},
    )

    assert response.status_code == 400  # 楼山街道 is not among the choices
    assert Assignment.objects.count() == 0


def test_ending_an_assignment(client, assignment, leader) -> None:
    client.force_login(leader)
    response = client.post(f"/visits/assignments/{assignment.pk}/end/", {"ends_on": "2026-10-31"})

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == D(2026, 10, 31)


def test_ending_an_ended_assignment_is_409(client, assignment, leader) -> None:
    services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 10, 1))
    client.force_login(leader)
    response = client.post(f"/visits/assignments/{assignment.pk}/end/")

    assert response.status_code == 409
    assert response.context["error"]


def test_ending_before_the_start_is_400(client, assignment, leader) -> None:
    client.force_login(leader)

    response = client.post(f"/visits/assignments/{assignment.pk}/end/", {"ends_on": "2025-01-01"})
    assert response.status_code == 400
    bad = client.post(f"/visits/assignments/{assignment.pk}/end/", {"ends_on": "someday"})
    assert bad.status_code == 400
    assignment.refresh_from_db()
    assert assignment.ends_on is None


def test_ended_assignments_are_listed_on_asking(client, assignment, leader) -> None:
    services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 10, 1))
    client.force_login(leader)

    assert client.get("/visits/assignments/").context["page"].paginator.count == 0
    assert client.get("/visits/assignments/?ended=1").context["page"].paginator.count == 1


# --- red flags ------------------------------------------------------------------------------------


def test_the_red_flags_list_shows_the_open_ones_and_the_resolved_on_asking(
    client, flag, leader, record, licun_clerk, licun_key
) -> None:
    other = record(licun_clerk, [licun_key], red_flags=[(licun_key, "layoffs", "裁员")])
    services.red_flag_resolve(by=leader, flag=other.red_flags.get(), resolution="已稳岗")
    client.force_login(leader)

    assert list(client.get("/visits/red-flags/").context["page"].object_list) == [flag]
    assert client.get("/visits/red-flags/?state=all").context["page"].paginator.count == 2
    assert client.get("/visits/red-flags/?kind=layoffs").context["page"].paginator.count == 0
    assert client.get("/visits/red-flags/?kind=nope").status_code == 400
    assert client.get("/visits/red-flags/?state=nope").status_code == 400


def test_the_red_flag_export_is_excel(client, flag, leader) -> None:
    client.force_login(leader)
    response = client.get("/visits/red-flags/export/")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["天路集团"]
    assert "考虑外迁" in rows[0]


def test_the_leader_resolves_a_red_flag_and_returns_to_the_list(client, flag, leader) -> None:
    client.force_login(leader)
    assert (
        'data-testid="red-flag-resolve-form"' in client.get("/visits/red-flags/").content.decode()
    )
    response = client.post(
        f"/visits/red-flags/{flag.pk}/resolve/",
        {"resolution": "企业已打消外迁念头", "next": "/visits/red-flags/?state=all"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/visits/red-flags/?state=all"
    flag.refresh_from_db()
    assert flag.resolved_by == leader
    assert flag.resolution == "企业已打消外迁念头"


def test_the_resolve_page_works_as_a_page_and_ignores_a_foreign_next(client, flag, leader):
    client.force_login(leader)
    assert client.get(f"/visits/red-flags/{flag.pk}/resolve/").status_code == 200

    response = client.post(
        f"/visits/red-flags/{flag.pk}/resolve/",
        {"resolution": "已解决", "next": "https://example.com/"},
    )
    assert response["Location"] == "/visits/red-flags/"


def test_resolving_without_saying_how_is_400(client, flag, leader) -> None:
    client.force_login(leader)
    response = client.post(f"/visits/red-flags/{flag.pk}/resolve/", {"resolution": "  "})

    assert response.status_code == 400
    flag.refresh_from_db()
    assert flag.is_open


def test_resolving_twice_is_409(client, flag, leader) -> None:
    services.red_flag_resolve(by=leader, flag=flag, resolution="已解决")
    client.force_login(leader)
    response = client.post(f"/visits/red-flags/{flag.pk}/resolve/", {"resolution": "再次"})

    assert response.status_code == 409


def test_an_official_who_did_not_raise_the_flag_may_not_resolve_it(client, flag, jxj_clerk):
    client.force_login(jxj_clerk)

    assert client.get(f"/visits/red-flags/{flag.pk}/resolve/").status_code == 403
    response = client.post(f"/visits/red-flags/{flag.pk}/resolve/", {"resolution": "x"})
    assert response.status_code == 403


def test_the_red_flag_of_a_draft_is_not_listed(client, record, licun_clerk, tianlu, leader):
    record(licun_clerk, [tianlu], complete=False, red_flags=[(tianlu, "layoffs", "裁员")])
    client.force_login(leader)

    assert client.get("/visits/red-flags/").context["page"].paginator.count == 0


# --- plans ----------------------------------------------------------------------------------------


def test_planning_a_visit(client, licun_clerk, leader, tianlu) -> None:
    client.force_login(licun_clerk)
    response = client.post(
        "/visits/plans/",
        {
            "date": "2026-10-28",
            "kind": "onsite",
            "purpose": "了解扩产用地",
            "enterprises": [tianlu.pk],
            "officials": [licun_clerk.pk, leader.pk],
        },
    )

    assert response.status_code == 302
    plan = VisitPlan.objects.get()
    assert set(plan.officials.all()) == {licun_clerk, leader}
    page = client.get("/visits/plans/").content.decode()
    assert f'href="/visits/new/?plan={plan.pk}"' in page


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-10-01"},  # the past
        {"date": "x"},
        {"purpose": ""},
        {"enterprises": []},
        {"kind": "walk"},
    ],
)
def test_a_bad_plan_is_400(client, licun_clerk, tianlu, data) -> None:
    client.force_login(licun_clerk)
    values = {
        "date": "2026-10-28",
        "kind": "onsite",
        "purpose": "回访",
        "enterprises": [tianlu.pk],
        "officials": [licun_clerk.pk],
        **data,
    }
    response = client.post("/visits/plans/", values)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert VisitPlan.objects.count() == 0


def test_cancelling_a_plan(client, plan, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.post(f"/visits/plans/{plan.pk}/cancel/")

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED
    assert client.post(f"/visits/plans/{plan.pk}/cancel/").status_code == 409


def test_someone_else_may_not_cancel_the_plan(client, plan, leader) -> None:
    client.force_login(leader)

    assert 'data-testid="plan-cancel"' not in client.get("/visits/plans/").content.decode()
    assert client.post(f"/visits/plans/{plan.pk}/cancel/").status_code == 403


def test_the_plan_pages_refuse_the_wrong_method(client, plan, licun_clerk) -> None:
    client.force_login(licun_clerk)

    assert client.get(f"/visits/plans/{plan.pk}/cancel/").status_code == 405
    assert client.put("/visits/plans/").status_code == 405


# --- the questionnaire ----------------------------------------------------------------------------


def test_only_the_system_admin_keeps_the_questionnaire(client, leader, sysadmin) -> None:
    client.force_login(leader)
    assert client.get("/visits/questionnaire/").status_code == 403
    assert client.post("/visits/questionnaire/", {}).status_code == 403

    client.force_login(sysadmin)
    response = client.get("/visits/questionnaire/")
    assert response.status_code == 200
    lines = response.context["form"]["questions"].value().splitlines()
    assert lines[0] == " | ".join(
        [
            "output_outlook",
            "choice",
            "今年产值（营业收入）预计比上年",
            "明显增长;基本持平;小幅下降;大幅下降",
            "",
            "yes",
            "sales_drop",
            "大幅下降",
        ]
    )
    assert (
        " | ".join(
            [
                "sales_change",
                "number",
                "前三季度销售收入同比增减",
                "",
                "%",
                "",
                "sales_drop",
                "below -20",
            ]
        )
        in lines
    )
    assert 'href="/visits/questionnaire/"' in client.get("/").content.decode()


def test_the_admin_makes_and_publishes_a_new_version(client, sysadmin) -> None:
    client.force_login(sysadmin)
    lines = client.get("/visits/questionnaire/").context["form"]["questions"].value()
    lines += "\ndigital | yes_no | 有无数字化改造需求 | | | | |"
    response = client.post("/visits/questionnaire/", {"note": "增加数字化改造", "questions": lines})

    assert response.status_code == 302
    version = QuestionnaireVersion.objects.get(number=2)
    assert not version.is_published
    assert version.questions.count() == 15
    assert version.questions.get(code="sales_change").flag_below == -20
    assert version.questions.get(code="output_outlook").flag_values == ["大幅下降"]
    again = client.post("/visits/questionnaire/", {"note": "再改", "questions": lines})
    assert again.status_code == 409  # publish the pending version first

    published = client.post(f"/visits/questionnaire/{version.pk}/publish/")
    assert published.status_code == 302
    version.refresh_from_db()
    assert version.is_published
    assert client.post(f"/visits/questionnaire/{version.pk}/publish/").status_code == 409
    assert services.current_questionnaire() == version


@pytest.mark.parametrize(
    "questions",
    [
        "",
        "# only a comment",
        "x | essay | 问题",
        "x | choice | 问题 | | | | relocation",  # a choice without options
        "x | number | 问题 | | | | sales_drop | below many",
        "x | yes_no | 问题 | | | maybe",
        "x | yes_no | 问题 | | | | storm",
        "x | text | 问题\nx | text | 又一个",  # a code used twice
        "bad code | text | 问题",
        "a|b|c|d|e|f|g|h|i",
    ],
)
def test_a_bad_questionnaire_is_400_and_saves_nothing(client, sysadmin, questions) -> None:
    client.force_login(sysadmin)
    response = client.post("/visits/questionnaire/", {"note": "改", "questions": questions})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert QuestionnaireVersion.objects.count() == 1


def test_publishing_an_unknown_version_is_404(client, sysadmin) -> None:
    client.force_login(sysadmin)

    assert client.post("/visits/questionnaire/999999/publish/").status_code == 404
    assert client.get("/visits/questionnaire/1/publish/").status_code == 405
