"""/api/v1/reports/: the same services and scope as the pages. Anonymous callers are 401 or 403,
enterprise users 403, officials of another district 404; bad input 400 with a message by field,
a transition the state does not allow 409; drafting answers 201 with the drafted report."""

from __future__ import annotations

import io

import pytest
from docx import Document

from qifu.reports.models import Report, ReportStatus
from qifu.reports.tests.conftest import PDF, as_, captioned_tables, upload

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/"


def test_anonymous_callers_are_refused(api, make_report) -> None:
    report = make_report()
    for url in (URL, f"{URL}{report.pk}/", f"{URL}{report.pk}/word/"):
        assert api.get(url).status_code in (401, 403)
    assert api.post(f"{URL}draft/", {}, format="json").status_code in (401, 403)


def test_enterprise_users_are_refused(api, make_report, enterprise_user) -> None:
    report = make_report()
    as_(api, enterprise_user)
    assert api.get(URL).status_code == 403
    assert api.get(f"{URL}{report.pk}/").status_code == 403
    response = api.post(f"{URL}draft/", {"period": "2026Q4", "kind": "problems"}, format="json")
    assert response.status_code == 403


def test_an_outsider_gets_404(api, make_report, outsider) -> None:
    report = make_report()
    as_(api, outsider)
    assert api.get(URL).json()["count"] == 0
    for url in (f"{URL}{report.pk}/", f"{URL}{report.pk}/word/"):
        assert api.get(url).status_code == 404
    assert api.post(f"{URL}{report.pk}/finalise/").status_code == 404
    assert api.patch(f"{URL}{report.pk}/", {"title": "X"}, format="json").status_code == 404


def test_wrong_methods_are_refused(api, make_report, leader) -> None:
    report = make_report()
    as_(api, leader)
    assert api.delete(f"{URL}{report.pk}/").status_code == 405
    assert api.put(f"{URL}{report.pk}/", {}, format="json").status_code == 405
    assert api.get(f"{URL}{report.pk}/finalise/").status_code == 405
    assert api.get(f"{URL}draft/").status_code == 405


def test_list_and_read(api, make_report, leader, licun, licun_clerk) -> None:
    make_report(title="区报告")
    street = make_report(by=licun_clerk, title="李村报告", org_unit=licun)
    as_(api, licun_clerk)

    listed = api.get(URL).json()
    assert [r["title"] for r in listed["results"]] == ["李村报告"]
    assert listed["results"][0]["org_unit"] == licun.code
    assert listed["results"][0]["authors"] == ["licun_clerk"]

    detail = api.get(f"{URL}{street.pk}/").json()
    assert detail["body"] == street.body
    assert detail["status"] == "draft"


def test_list_filters_and_bad_filters(api, make_report, leader) -> None:
    make_report(title="甲", period="2026Q3")
    make_report(title="乙", period="2026Q4")
    as_(api, leader)

    assert [r["title"] for r in api.get(URL, {"period": "2026Q3"}).json()["results"]] == ["甲"]
    assert len(api.get(URL, {"period": "2026"}).json()["results"]) == 2
    for query in ({"period": "Q3"}, {"status": "gone"}, {"kind": "x"}, {"org_unit": "000"}):
        response = api.get(URL, query)
        assert response.status_code == 400, query
        assert next(iter(query)) in response.json()["errors"]


def test_create_with_authors_appeals_and_visits(api, world, leader, licun_clerk, district) -> None:
    as_(api, leader)
    appeal = world.q4_appeals[0]
    visit = world.q4_visits[0]

    response = api.post(
        URL,
        {
            "title": "李沧区商贸流通业发展现状及对策",
            "kind": "thematic",
            "org_unit": district.code,
            "period": "2026",
            "authors": ["leader", "licun_clerk"],
            "appeals": [appeal.pk],
            "visits": [visit.pk],
            "body": "# 一、现状\n",
            "client_token": "api-1",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["authors"] == ["leader", "licun_clerk"]
    assert body["appeals"] == [appeal.pk] and body["visits"] == [visit.pk]
    again = api.post(
        URL,
        {"title": "重复", "org_unit": district.code, "period": "2026", "client_token": "api-1"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Report.objects.count() == 1


def test_create_refuses_bad_input_with_messages(api, leader, district, laoshan, outsider) -> None:
    as_(api, leader)
    base = {"title": "A", "org_unit": district.code, "period": "2026"}
    cases = [
        ({**base, "period": "2026Q5"}, "period"),
        ({**base, "org_unit": laoshan.code}, "org_unit"),
        ({**base, "title": ""}, "title"),
        ({**base, "authors": ["outsider"]}, "authors"),
        ({**base, "kind": "poem"}, "kind"),
    ]
    for data, field in cases:
        response = api.post(URL, data, format="json")
        assert response.status_code == 400, data
        assert field in response.json()["errors"], response.json()
    assert not Report.objects.exists()


def test_patch_finalise_reopen_and_409(api, make_report, leader) -> None:
    report = make_report()
    as_(api, leader)

    changed = api.patch(f"{URL}{report.pk}/", {"summary": "摘要"}, format="json")
    assert changed.status_code == 200 and changed.json()["summary"] == "摘要"

    final = api.post(f"{URL}{report.pk}/finalise/")
    assert final.status_code == 200 and final.json()["status"] == "final"
    assert api.post(f"{URL}{report.pk}/finalise/").status_code == 409
    refused = api.patch(f"{URL}{report.pk}/", {"title": "X"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"]

    reopened = api.post(f"{URL}{report.pk}/reopen/", {"reason": "补充"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "draft"
    assert api.post(f"{URL}{report.pk}/reopen/").status_code == 409


def test_someone_who_is_not_an_author_cannot_patch(api, make_report, jxj_clerk) -> None:
    report = make_report()
    as_(api, jxj_clerk)
    assert api.get(f"{URL}{report.pk}/").status_code == 200
    assert api.patch(f"{URL}{report.pk}/", {"title": "X"}, format="json").status_code == 403
    assert api.post(f"{URL}{report.pk}/finalise/").status_code == 403


def test_attachments_through_the_api(api, make_report, leader) -> None:
    report = make_report()
    as_(api, leader)
    response = api.post(
        f"{URL}{report.pk}/attachments/", {"files": [upload("提纲.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()[0]["name"] == "提纲.pdf"
    assert api.get(f"{URL}{report.pk}/").json()["attachments"][0]["size"] == len(PDF)


def test_draft_answers_201_with_the_drafted_report(api, world, leader, district) -> None:
    as_(api, leader)
    response = api.post(
        f"{URL}draft/",
        {"period": "2026Q4", "org_unit": district.code, "kind": "problems"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == ReportStatus.DRAFT
    assert body["title"] == "李沧区企业当前面临的主要问题及对策（2026年第四季度）"
    assert sorted(body["appeals"]) == sorted(a.pk for a in world.q4_appeals)
    tables = captioned_tables(body["body"])
    assert tables["企业反映的问题（按类别）"][-1] == ["合计", "6", "100.0%", "2"]


def test_draft_uses_the_callers_own_unit_by_default(api, world, licun_clerk, licun) -> None:
    as_(api, licun_clerk)
    response = api.post(f"{URL}draft/", {"period": "2026Q4", "kind": "visits"}, format="json")
    assert response.status_code == 201
    assert response.json()["org_unit"] == licun.code


def test_draft_refuses_bad_input(api, world, licun_clerk, district, laoshan) -> None:
    as_(api, licun_clerk)
    bad_period = api.post(f"{URL}draft/", {"period": "2026Q9", "kind": "problems"})
    bad_kind = api.post(f"{URL}draft/", {"period": "2026Q4", "kind": "thematic"})
    unknown_unit = api.post(
        f"{URL}draft/", {"period": "2026Q4", "org_unit": "999", "kind": "problems"}
    )
    assert bad_period.status_code == 400 and "period" in bad_period.json()["errors"]
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["errors"]
    assert unknown_unit.status_code == 400 and "org_unit" in unknown_unit.json()["errors"]
    for unit in (district, laoshan):
        outside = api.post(
            f"{URL}draft/", {"period": "2026Q4", "org_unit": unit.code, "kind": "problems"}
        )
        assert outside.status_code == 404
    assert not Report.objects.exists()


def test_the_word_export_through_the_api(api, make_report, leader) -> None:
    report = make_report(body="| 类别 | 数量 |\n| --- | ---: |\n| 土地 | 3 |\n")
    as_(api, leader)
    response = api.get(f"{URL}{report.pk}/word/")

    assert response.status_code == 200
    assert "filename*=" in response["Content-Disposition"]
    assert Document(io.BytesIO(response.content)).tables[0].cell(1, 1).text == "3"


def test_the_api_list_takes_the_same_queries_for_few_and_many(
    api, make_report, leader, licun_clerk, django_assert_max_num_queries
) -> None:
    as_(api, leader)
    for i in range(2):
        make_report(title=f"报告{i}", authors=[leader, licun_clerk])
    with django_assert_max_num_queries(4):
        assert api.get(URL).status_code == 200
    for i in range(12):
        make_report(title=f"更多{i}", authors=[leader, licun_clerk])
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 14
