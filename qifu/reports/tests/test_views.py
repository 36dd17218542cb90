"""The report pages: anonymous users go to the login page, enterprise users get 403, officials of
another district 404; every page renders for the district leader; the drafting form writes a
draft and opens it for editing; a state the service refuses is 409, bad input 400; the body is
shown escaped; the list takes the same queries for few and many reports."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from qifu.lib.xlsx import XLSX_MIME
from qifu.reports import services
from qifu.reports.models import Report, ReportAttachment, ReportStatus
from qifu.reports.tests.conftest import EXE, PDF, upload

pytestmark = pytest.mark.django_db

LISTS = ["/reports/", "/reports/export/", "/reports/new/", "/reports/draft/"]


def pages(report: Report) -> list[str]:
    return [f"/reports/{report.pk}/", f"/reports/{report.pk}/edit/", f"/reports/{report.pk}/word/"]


@pytest.fixture
def report(make_report, leader):
    report = make_report(body="# 一、基本情况\n\n| 类别 | 数量 |\n| --- | ---: |\n| 土地 | 3 |\n")
    services.report_attach(by=leader, report=report, uploads=[upload("调研提纲.pdf", PDF)])
    return report


# --- who gets in ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, report) -> None:
    for url in [*LISTS, *pages(report)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_enterprise_users_are_refused(client, report, enterprise_user) -> None:
    client.force_login(enterprise_user)
    for url in [*LISTS, *pages(report)]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/reports/{report.pk}/finalise/").status_code == 403


def test_an_outsider_gets_404_on_a_report(client, report, outsider) -> None:
    client.force_login(outsider)
    attachment = ReportAttachment.objects.get()
    for url in [*pages(report), f"/reports/{report.pk}/attachments/{attachment.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/reports/{report.pk}/finalise/").status_code == 404
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_wrong_methods_are_refused(client, report, leader) -> None:
    client.force_login(leader)
    assert client.post("/reports/").status_code == 405
    assert client.get(f"/reports/{report.pk}/finalise/").status_code == 405
    assert client.post(f"/reports/{report.pk}/word/").status_code == 405
    assert client.post(f"/reports/{report.pk}/nonsense/").status_code == 404


def test_every_page_renders_for_the_leader(client, report, leader) -> None:
    client.force_login(leader)
    for url in [*LISTS, *pages(report)]:
        assert client.get(url).status_code == 200, url


def test_the_navigation_shows_research_reports_to_officials_only(
    client, leader, enterprise_user
) -> None:
    client.force_login(leader)
    assert 'href="/reports/"' in client.get("/").content.decode()
    client.force_login(enterprise_user)
    assert 'href="/reports/"' not in client.get("/").content.decode()


# --- the list ------------------------------------------------------------------------------------


def test_the_list_filters_and_pages(client, make_report, leader, licun) -> None:
    make_report(title="李村街道走访情况", org_unit=licun)
    make_report(title="全区报告")
    client.force_login(leader)

    response = client.get("/reports/", {"org_unit": licun.code, "status": "draft"})

    assert response.status_code == 200
    assert response.content.decode().count('data-testid="report-row"') == 1
    assert "李村街道走访情况" in response.content.decode()


def test_a_bad_filter_is_400(client, leader) -> None:
    client.force_login(leader)
    for query in ({"period": "2026Q9"}, {"status": "lost"}, {"org_unit": "370212"}):
        assert client.get("/reports/", query).status_code == 400, query


def test_htmx_gets_the_results_only(client, report, leader) -> None:
    client.force_login(leader)
    response = client.get("/reports/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert 'id="report-results"' in response.content.decode()


def test_the_export_is_an_excel_list(client, report, leader) -> None:
    client.force_login(leader)
    response = client.get("/reports/export/")

    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=3, column=2).value == report.title


def _list_queries(client, django_assert_max_num_queries, budget: int) -> None:
    with django_assert_max_num_queries(budget):
        assert client.get("/reports/").status_code == 200


def test_the_list_takes_the_same_queries_for_few_and_many_reports(
    client, make_report, leader, licun_clerk, django_assert_max_num_queries
) -> None:
    for i in range(2):
        make_report(title=f"报告{i}", authors=[leader, licun_clerk])
    client.force_login(leader)
    budget = 8
    _list_queries(client, django_assert_max_num_queries, budget)
    for i in range(12):
        make_report(title=f"更多报告{i}", authors=[leader, licun_clerk])
    _list_queries(client, django_assert_max_num_queries, budget)
    with django_assert_max_num_queries(budget):
        assert client.get("/reports/export/").status_code == 200


# --- writing -------------------------------------------------------------------------------------


def test_a_blank_report_is_created_from_the_form(client, leader, district) -> None:
    client.force_login(leader)
    response = client.post(
        "/reports/new/",
        {
            "title": "李沧区商贸流通业发展现状及对策",
            "kind": "thematic",
            "org_unit": district.code,
            "period": "2026",
            "authors": [leader.pk],
            "body": "",
            "client_token": "form-1",
        },
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/"
    assert report.status == ReportStatus.DRAFT and report.period == "2026"


def test_a_bad_form_is_400(client, leader, district) -> None:
    client.force_login(leader)
    response = client.post(
        "/reports/new/",
        {"title": "", "kind": "thematic", "org_unit": district.code, "period": "明年"},
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_drafting_form_writes_a_draft_and_opens_it_for_editing(
    client, world, leader, district
) -> None:
    client.force_login(leader)
    response = client.post(
        "/reports/draft/",
        {"period": "2026Q4", "org_unit": district.code, "kind": "problems", "client_token": "d1"},
    )

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    assert report.appeals.count() == 6 and report.visits.count() == 4
    edit = client.get(response["Location"])
    assert edit.status_code == 200
    assert "表1" in edit.content.decode()


def test_a_street_clerk_drafting_for_the_district_gets_404(
    client, world, licun_clerk, district, licun
) -> None:
    client.force_login(licun_clerk)
    response = client.post(
        "/reports/draft/", {"period": "2026Q4", "org_unit": district.code, "kind": "problems"}
    )
    assert response.status_code == 404
    ok = client.post(
        "/reports/draft/", {"period": "2026Q4", "org_unit": licun.code, "kind": "problems"}
    )
    assert ok.status_code == 302


def test_the_drafting_form_refuses_a_bad_period_or_kind(client, leader, district) -> None:
    client.force_login(leader)
    for data in (
        {"period": "2026Q0", "org_unit": district.code, "kind": "problems"},
        {"period": "2026Q4", "org_unit": district.code, "kind": "thematic"},
        {"period": "2026Q4", "org_unit": "999", "kind": "problems"},
    ):
        assert client.post("/reports/draft/", data).status_code == 400, data
    assert not Report.objects.exists()


def test_an_author_edits_the_body(client, report, leader, district) -> None:
    client.force_login(leader)
    response = client.post(
        f"/reports/{report.pk}/edit/",
        {
            "title": report.title,
            "kind": report.kind,
            "org_unit": district.code,
            "period": "2026Q4",
            "authors": [leader.pk],
            "summary": "摘要",
            "body": "# 一、基本情况\n\n改过的正文。\n",
        },
    )

    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).body == "# 一、基本情况\n\n改过的正文。\n"


def test_someone_who_is_not_an_author_cannot_edit(client, report, jxj_clerk) -> None:
    client.force_login(jxj_clerk)
    assert client.get(f"/reports/{report.pk}/").status_code == 200
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 403


def test_finalise_and_reopen_and_a_refused_transition_is_409(client, report, leader) -> None:
    client.force_login(leader)

    assert client.post(f"/reports/{report.pk}/finalise/").status_code == 302
    assert Report.objects.get(pk=report.pk).status == ReportStatus.FINAL
    again = client.post(f"/reports/{report.pk}/finalise/")
    assert again.status_code == 409
    assert 'data-testid="report-error"' in again.content.decode()
    assert client.get(f"/reports/{report.pk}/edit/").status_code == 409

    assert client.post(f"/reports/{report.pk}/reopen/").status_code == 302
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert client.post(f"/reports/{report.pk}/reopen/").status_code == 409


def test_attachments_are_added_and_downloaded(client, report, leader) -> None:
    client.force_login(leader)

    bad = client.post(f"/reports/{report.pk}/attach/", {"files": [upload("病毒.pdf", EXE)]})
    assert bad.status_code == 400
    ok = client.post(f"/reports/{report.pk}/attach/", {"files": [upload("会议纪要.pdf", PDF)]})
    assert ok.status_code == 302

    attachment = ReportAttachment.objects.get(name="会议纪要.pdf")
    response = client.get(f"/reports/{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- the report page -----------------------------------------------------------------------------


def test_markdown_with_a_script_is_escaped_on_the_page(client, make_report, leader) -> None:
    report = make_report(
        body='# 标题<script>alert("x")</script>\n\n<script>alert(1)</script>\n\n'
        "| a | b |\n| --- | --- |\n| <b>粗</b> | [链接](javascript:alert(1)) |\n"
    )
    client.force_login(leader)

    html = client.get(f"/reports/{report.pk}/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>粗</b>" not in html
    assert 'href="javascript' not in html
    assert '<table class="table' in html


def test_the_page_links_the_appeals_and_visits_drawn_on(client, world, leader, district) -> None:
    report, _ = services.report_draft(
        by=leader, period="2026Q4", org_unit=district, kind="problems"
    )
    client.force_login(leader)

    html = client.get(f"/reports/{report.pk}/").content.decode()

    for appeal in world.q4_appeals:
        assert f'href="/appeals/{appeal.pk}/"' in html
    for visit in world.q4_visits:
        assert f'href="/visits/{visit.pk}/"' in html
    assert f'href="/visits/{world.draft_visit.pk}/"' not in html
    assert html.count("</li>") >= 10
    assert "<h1>一、基本情况</h1>" in html


def test_a_reader_sees_only_the_appeals_in_their_scope(
    client, world, leader, district, licun_clerk
) -> None:
    report, _ = services.report_draft(
        by=leader, period="2026Q4", org_unit=district, kind="problems"
    )
    services.report_finalise(by=leader, report=report)
    client.force_login(licun_clerk)

    html = client.get(f"/reports/{report.pk}/").content.decode()

    ruifeng_appeal = next(a for a in world.q4_appeals if a.enterprise_id == world.ruifeng.pk)
    assert f'href="/appeals/{ruifeng_appeal.pk}/"' not in html
    tianlu_appeal = next(a for a in world.q4_appeals if a.enterprise_id == world.tianlu.pk)
    assert f'href="/appeals/{tianlu_appeal.pk}/"' in html


def test_the_word_export_is_named_in_chinese(client, report, leader) -> None:
    client.force_login(leader)
    response = client.get(f"/reports/{report.pk}/word/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert "%E6%88%91%E5%8C%BA" in response["Content-Disposition"]  # 我区
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == report.title
    assert document.tables[0].cell(1, 1).text == "3"
