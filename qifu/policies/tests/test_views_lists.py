"""The notices list and the applications export: the same number of queries for many rows as for
few, and the export holds exactly the applications of the list (its filters applied)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.xlsx import XLSX_MIME
from qifu.policies import services
from qifu.policies.models import Notice, Programme

pytestmark = pytest.mark.django_db


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_the_notices_page_reads_as_many_queries_for_twelve_notices_as_for_two(
    client, jxj_clerk, programme
):
    def build(n: int) -> None:
        for i in range(n):
            EnterpriseFactory(is_key=True)
            services.notice_send(
                by=jxj_clerk,
                title=f"通知{Notice.objects.count()}-{i}",
                body="请关注。",
                target={"key": True},
            )
            services.notice_send(
                by=jxj_clerk,
                title=f"推送{Notice.objects.count()}-{i}",
                body="",
                target={"eligible": True},
                programme=programme,
            )

    client.force_login(jxj_clerk)
    build(1)
    few = count_queries(client, "/policies/notices/")
    build(6)
    assert Notice.objects.count() == 14
    assert count_queries(client, "/policies/notices/") <= few


def test_the_enterprise_inbox_reads_as_many_queries_for_many_deliveries_as_for_few(
    client, jxj_clerk, enterprise_user, tianlu
):
    def build(n: int) -> None:
        for i in range(n):
            services.notice_send(
                by=jxj_clerk, title=f"通知{i}", body="请关注。", target={"key": True}
            )

    client.force_login(enterprise_user)
    build(2)
    few = count_queries(client, "/policies/notices/")
    build(10)
    assert count_queries(client, "/policies/notices/") <= few


def _apply_many(by: Any, make_programme: Any, n: int) -> list[Any]:
    made = []
    for i in range(n):
        programme = make_programme(title=f"项目{Programme.objects.count()}-{i}")
        enterprise = EnterpriseFactory(
            name=f"申报企业{Programme.objects.count()}-{i}",
            is_above_scale=True,
            tags=["高新技术企业"],
        )
        application, _created = services.application_apply(
            by=by, programme=programme, enterprise=enterprise
        )
        made.append(application)
    return made


def _sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [r for r in sheet.iter_rows(min_row=3, values_only=True) if r and r[0]]


def test_the_applications_export_holds_the_applications_of_the_list(
    client, jxj_clerk, make_programme
):
    made = _apply_many(jxj_clerk, make_programme, 3)
    withdrawn = services.application_withdraw(by=jxj_clerk, application=made[2])
    client.force_login(jxj_clerk)
    rows = _sheet_rows(client.get("/policies/applications/export/"))
    assert sorted((r[0], r[2]) for r in rows) == sorted(
        (a.enterprise.name, a.programme.title) for a in made
    )
    live = _sheet_rows(client.get("/policies/applications/export/?status=applied"))
    assert {r[0] for r in live} == {a.enterprise.name for a in made[:2]}
    assert withdrawn.enterprise.name not in {r[0] for r in live}
    first = next(r for r in rows if r[0] == made[0].enterprise.name)
    assert first[1] == made[0].enterprise.street.name
    assert first[3] == made[0].programme.policy.title


def test_street_staff_export_only_the_applications_of_their_street(
    client, loushan_clerk, jxj_clerk, make_programme
):
    _apply_many(jxj_clerk, make_programme, 2)  # enterprises of 李村街道
    client.force_login(loushan_clerk)
    assert _sheet_rows(client.get("/policies/applications/export/")) == []


def test_the_applications_export_reads_as_many_queries_for_twelve_rows_as_for_two(
    client, jxj_clerk, make_programme
):
    client.force_login(jxj_clerk)
    _apply_many(jxj_clerk, make_programme, 2)
    few = count_queries(client, "/policies/applications/export/")
    _apply_many(jxj_clerk, make_programme, 10)
    assert len(_sheet_rows(client.get("/policies/applications/export/"))) == 12
    assert count_queries(client, "/policies/applications/export/") <= few
