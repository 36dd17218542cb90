"""The visit pages: the list and its export, the phone form (draft, complete, double submit,
photos), its autosave endpoint, the visit page with its red flags and files, discarding a draft
and raising an appeal from the visit.

Anonymous users go to the login page, the enterprise user gets 403, an official of another district
404 on anything with an id; bad input is 400 and saves nothing; the list reads as many queries for
many visits as for few."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qifu.appeals.models import Appeal
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.xlsx import XLSX_MIME
from qifu.visits import services
from qifu.visits.models import RedFlag, Visit, VisitAttachment, VisitPlan, VisitStatus
from qifu.visits.tests.conftest import CALM_ANSWERS, TODAY, D, category

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def visit_post(enterprises: list[Any], officials: list[Any], **values: Any) -> dict[str, Any]:
    """The fields the phone form posts: a visit to be completed, answered calmly."""
    data: dict[str, Any] = {
        "date": "2026-10-19",
        "kind": "onsite",
        "purpose": "了解生产经营情况",
        "location": "企业会议室",
        "enterprises": [e.pk for e in enterprises],
        "officials": [u.pk for u in officials],
        "notes": "企业反映扩产用地紧张",
        "follow_up": "联系自然资源局",
        "client_token": "tok-1",
        "action": "complete",
        **{f"q_{code}": value for code, value in CALM_ANSWERS.items()},
    }
    data.update(values)
    return data


@pytest.fixture
def visit(record, licun_clerk, tianlu) -> Visit:
    """A completed visit of the 李村街道 clerk to 天路集团 with a red flag and a photo."""
    visit = record(
        licun_clerk,
        [tianlu],
        purpose="走访重点企业",
        red_flags=[(tianlu, "land", "扩产需要新增用地约30亩")],
    )
    services.visit_attach(
        by=licun_clerk,
        visit=visit,
        uploads=[
            SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
            SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf"),
        ],
    )
    return visit


@pytest.fixture
def draft(record, licun_clerk, tianlu) -> Visit:
    return record(licun_clerk, [tianlu], complete=False, notes="写了一半")


def pages(visit: Visit) -> list[str]:
    return [f"/visits/{visit.pk}/", f"/visits/{visit.pk}/edit/"]


# --- who may open what ----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, visit) -> None:
    photo = visit.attachments.first()
    for url in [
        "/visits/",
        "/visits/export/",
        "/visits/new/",
        *pages(visit),
        f"/visits/{visit.pk}/attachments/{photo.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    for url in [
        "/visits/autosave/",
        f"/visits/{visit.pk}/appeals/",
        f"/visits/{visit.pk}/discard/",
    ]:
        response = client.post(url, {})
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_the_enterprise_user_may_not_open_the_visit_pages(client, visit, enterprise_user) -> None:
    client.force_login(enterprise_user)
    for url in ["/visits/", "/visits/export/", "/visits/new/"]:
        assert client.get(url).status_code == 403, url
    for url in pages(visit):
        assert client.get(url).status_code in (403, 404), url
    assert client.post("/visits/autosave/", {"notes": "x"}).status_code == 403


def test_an_official_of_another_district_sees_none_of_it(client, visit, outsider, tianlu) -> None:
    client.force_login(outsider)
    photo = visit.attachments.first()

    for url in [*pages(visit), f"/visits/{visit.pk}/attachments/{photo.pk}/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/visits/{visit.pk}/appeals/", {}).status_code == 404
    assert client.post(f"/visits/{visit.pk}/discard/").status_code == 404
    assert client.get(f"/visits/new/?enterprise={tianlu.pk}").status_code == 404
    response = client.get("/visits/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_the_clerk_of_another_street_does_not_see_the_visit(client, visit, loushan_clerk) -> None:
    client.force_login(loushan_clerk)

    assert client.get(f"/visits/{visit.pk}/").status_code == 404
    assert client.get("/visits/").context["page"].paginator.count == 0


def test_the_pages_refuse_the_wrong_method(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)

    assert client.post("/visits/", {}).status_code == 405
    assert client.post("/visits/export/", {}).status_code == 405
    assert client.post(f"/visits/{visit.pk}/", {}).status_code == 405
    assert client.get("/visits/autosave/").status_code == 405
    assert client.get(f"/visits/{visit.pk}/appeals/").status_code == 405
    assert client.get(f"/visits/{visit.pk}/discard/").status_code == 405


# --- the list -------------------------------------------------------------------------------------


def test_the_list_shows_the_visits_with_their_flags_appeals_and_drafts(
    client, visit, draft, licun_clerk, leader
) -> None:
    client.force_login(licun_clerk)
    response = client.get("/visits/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [draft, visit]
    html = response.content.decode()
    assert html.count('data-testid="visit-row"') == 2
    assert html.count('data-testid="draft-badge"') == 1
    assert 'data-testid="red-flag-badge"' in html
    assert "天路集团" in html

    client.force_login(leader)  # another official does not see the clerk's draft
    assert list(client.get("/visits/").context["page"].object_list) == [visit]


def test_the_list_filters_by_every_field(
    client, visit, draft, record, licun_clerk, ruifeng, leader
):
    loushan_visit = record(leader, [ruifeng], kind="phone", notes="电话了解融资需求")
    client.force_login(leader)

    def shown(query: str) -> list[Visit]:
        response = client.get(f"/visits/?{query}")
        assert response.status_code == 200, query
        return list(response.context["page"].object_list)

    assert shown("") == [loushan_visit, visit]
    assert shown("kind=phone") == [loushan_visit]
    assert shown("street=370213007") == [visit]
    assert shown("q=融资") == [loushan_visit]
    assert shown("q=天路") == [visit]
    assert shown("with_flags=true") == [visit]
    assert shown("with_flags=false") == [loushan_visit]
    assert shown("mine=1") == [loushan_visit]
    assert shown("status=final&date_from=2026-10-01&date_to=2026-10-31") == [loushan_visit, visit]
    assert shown("date_to=2026-09-30") == []
    assert shown(f"enterprise={visit.enterprises.first().pk}") == [visit]


def test_the_htmx_filter_returns_only_the_results(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.get("/visits/?kind=onsite", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert 'id="visit-results"' in html
    assert "<html" not in html


@pytest.mark.parametrize(
    "query",
    [
        "kind=walk",
        "status=lost",
        "date_from=2026-13-01",
        "street=999",
        "date_from=2026-10-02&date_to=2026-10-01",
    ],
)
def test_a_bad_filter_is_answered_400(client, licun_clerk, query) -> None:
    client.force_login(licun_clerk)

    assert client.get(f"/visits/?{query}").status_code == 400
    assert client.get(f"/visits/export/?{query}").status_code == 400


def test_the_export_is_an_excel_file_of_the_filtered_visits(client, visit, licun_clerk) -> None:
    appeal = services.visit_raise_appeal(
        by=licun_clerk,
        visit=visit,
        enterprise=visit.enterprises.first(),
        category=category(),
        title="扩产用地指标不足",
        description="需新增用地30亩",
    )
    client.force_login(licun_clerk)
    response = client.get("/visits/export/?kind=onsite")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert "天路集团" in rows[0]
    assert any(appeal.number in str(cell) for cell in rows[0])


def _grow(record, official, enterprises, n: int) -> None:
    size = len(enterprises)
    for i in range(n):
        met = [enterprises[i % size], enterprises[(i + 1) % size]]
        visit = record(
            official,
            met if i % 2 else met[:1],
            kind="symposium" if i % 2 else "onsite",
            answers=dict(CALM_ANSWERS),
            red_flags=[(met[0], "layoffs", f"裁员{i}")],
        )
        services.visit_raise_appeal(
            by=official,
            visit=visit,
            enterprise=enterprises[i % len(enterprises)],
            category=category(),
            title=f"问题{i}",
            description="描述",
        )


def test_the_list_and_its_export_read_as_many_queries_for_many_visits_as_for_few(
    client, record, licun_clerk, licun, django_assert_max_num_queries
) -> None:
    enterprises = [EnterpriseFactory(street=licun, is_key=True) for _i in range(6)]
    client.force_login(licun_clerk)
    _grow(record, licun_clerk, enterprises, 2)
    few = count_queries(client, "/visits/"), count_queries(client, "/visits/export/")
    _grow(record, licun_clerk, enterprises, 12)
    many = count_queries(client, "/visits/"), count_queries(client, "/visits/export/")

    assert few == many
    with django_assert_max_num_queries(12):
        client.get("/visits/")


# --- the form -------------------------------------------------------------------------------------


def test_the_new_form_is_ready_for_the_phone(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    response = client.get(f"/visits/new/?enterprise={tianlu.pk}")

    assert response.status_code == 200
    form = response.context["form"]
    assert form["officials"].value() == [licun_clerk.pk]  # the official going is ticked
    assert form["enterprises"].value() == [tianlu.pk]
    assert form["date"].value() == TODAY
    assert len(form["client_token"].value()) == 32
    html = response.content.decode()
    for testid in ("visit-form", "visit-save-draft", "visit-complete", "autosave-status"):
        assert f'data-testid="{testid}"' in html
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'data-testid="question-relocation"' in html  # the questionnaire, by kind
    assert 'type="number"' in html
    assert "js/visit-form.js" in html
    assert "<script>" not in html  # no inline script: the page stays CSP-safe


def test_the_new_form_takes_a_plan(client, licun_clerk, leader, tianlu) -> None:
    plan = services.plan_create(
        by=licun_clerk,
        date=D(2026, 10, 22),
        purpose="回访用地问题",
        enterprises=[tianlu],
        officials=[licun_clerk, leader],
        kind="onsite",
    )
    client.force_login(licun_clerk)
    form = client.get(f"/visits/new/?plan={plan.pk}").context["form"]

    assert form["plan"].value() == plan.pk
    assert form["purpose"].value() == "回访用地问题"
    assert form["enterprises"].value() == [tianlu.pk]
    assert set(form["officials"].value()) == {licun_clerk.pk, leader.pk}
    assert form["date"].value() == TODAY  # a visit is not recorded for a future day


def test_an_unknown_plan_or_enterprise_is_404(client, licun_clerk, ruifeng) -> None:
    client.force_login(licun_clerk)

    assert client.get("/visits/new/?plan=999999").status_code == 404
    assert client.get("/visits/new/?plan=abc").status_code == 404
    assert client.get(f"/visits/new/?enterprise={ruifeng.pk}").status_code == 404  # other street


def test_completing_a_visit_records_it_with_answers_flags_and_photos(
    client, licun_clerk, leader, tianlu
) -> None:
    client.force_login(licun_clerk)
    data = visit_post(
        [tianlu],
        [licun_clerk, leader],
        q_relocation="yes",
        flag_land="on",
        flag_land_note="扩产需要新增用地",
        photos=SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
    )
    response = client.post("/visits/new/", data)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/"
    assert visit.status == VisitStatus.FINAL
    assert visit.client_token == "tok-1"
    assert set(visit.officials.all()) == {licun_clerk, leader}
    assert visit.answers["relocation"] is True
    assert visit.answers["employees"] == 320
    kinds = {(f.kind, f.source) for f in visit.red_flags.all()}
    assert kinds == {("land", "official"), ("relocation", "questionnaire")}
    assert [a.name for a in visit.attachments.all()] == ["现场.png"]


def test_a_double_submit_is_one_visit(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    data = visit_post([tianlu], [licun_clerk])
    first = client.post("/visits/new/", data)
    second = client.post("/visits/new/", data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Visit.objects.count() == 1


def test_completing_with_missing_fields_is_400_and_saves_nothing(client, licun_clerk) -> None:
    client.force_login(licun_clerk)
    data = visit_post([], [], notes="", q_relocation="", q_output_outlook="")
    response = client.post("/visits/new/", data)

    assert response.status_code == 400
    form = response.context["form"]
    assert {"enterprises", "officials", "notes"} <= set(form.errors)
    assert Visit.objects.count() == 0


def test_a_required_answer_missing_is_shown_at_its_question(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/new/", visit_post([tianlu], [licun_clerk], q_relocation=""))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["q_relocation"]
    assert Visit.objects.count() == 0


def test_a_bad_photo_saves_nothing(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    data = visit_post(
        [tianlu], [licun_clerk], photos=SimpleUploadedFile("现场.png", b"MZ\x90\x00" * 8)
    )
    response = client.post("/visits/new/", data)

    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors
    assert Visit.objects.count() == 0
    assert VisitAttachment.objects.count() == 0


def test_a_future_date_or_an_enterprise_out_of_scope_is_400(
    client, licun_clerk, tianlu, ruifeng
) -> None:
    client.force_login(licun_clerk)

    future = client.post("/visits/new/", visit_post([tianlu], [licun_clerk], date="2026-10-21"))
    assert future.status_code == 400
    assert "date" in future.context["form"].errors
    other = client.post("/visits/new/", visit_post([ruifeng], [licun_clerk], client_token="t2"))
    assert other.status_code == 400
    assert "enterprises" in other.context["form"].errors
    assert Visit.objects.count() == 0


def test_saving_a_draft_keeps_what_is_there(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    data = {
        "enterprises": [tianlu.pk],
        "notes": "写了一半",
        "client_token": "d1",
        "action": "draft",
    }
    response = client.post("/visits/new/", data)

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.status == VisitStatus.DRAFT
    assert visit.notes == "写了一半"


def test_a_red_flag_at_a_symposium_names_its_enterprise(
    client, licun_clerk, tianlu, licun_key
) -> None:
    client.force_login(licun_clerk)
    data = visit_post(
        [tianlu, licun_key],
        [licun_clerk],
        kind="symposium",
        flag_layoffs="on",
        flag_layoffs_note="裁员",
    )
    missing = client.post("/visits/new/", data)
    assert missing.status_code == 400
    assert "flag_layoffs_enterprise" in missing.context["form"].errors

    data["flag_layoffs_enterprise"] = licun_key.pk
    assert client.post("/visits/new/", data).status_code == 302
    flag = RedFlag.objects.get()
    assert (flag.enterprise, flag.kind) == (licun_key, "layoffs")


def test_the_edit_form_shows_the_visit_and_saves_corrections(
    client, visit, licun_clerk, tianlu
) -> None:
    client.force_login(licun_clerk)
    form = client.get(f"/visits/{visit.pk}/edit/").context["form"]
    assert form["notes"].value() == visit.notes
    assert form["flag_land"].value() is True
    assert form["q_relocation"].value() == "no"
    assert form["q_employees"].value() == 320

    data = visit_post(
        [tianlu], [licun_clerk], notes="更正后的记录", client_token=visit.client_token
    )
    response = client.post(f"/visits/{visit.pk}/edit/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "更正后的记录"
    assert visit.status == VisitStatus.FINAL


def test_a_completed_visit_cannot_be_saved_back_as_a_draft(client, visit, licun_clerk, tianlu):
    client.force_login(licun_clerk)
    data = visit_post([tianlu], [licun_clerk], action="draft")
    response = client.post(f"/visits/{visit.pk}/edit/", data)

    assert response.status_code == 409
    assert response.context["error"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.FINAL


def test_only_those_on_the_visit_may_edit_it(client, visit, leader) -> None:
    client.force_login(leader)  # sees the visit, did not go

    assert client.get(f"/visits/{visit.pk}/").status_code == 200
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 403
    assert client.post(f"/visits/{visit.pk}/edit/", {"notes": "x"}).status_code == 403


# --- autosave -------------------------------------------------------------------------------------


def test_autosave_saves_a_half_written_record_as_a_draft(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    response = client.post(
        "/visits/autosave/",
        {
            "client_token": "auto-1",
            "enterprises": [tianlu.pk],
            "notes": "企业反映",
            "q_employees": "",
        },
    )

    assert response.status_code == 200
    body = response.json()
    visit = Visit.objects.get()
    assert body["id"] == visit.pk
    assert body["edit_url"] == f"/visits/{visit.pk}/edit/"
    assert body["saved_at"].startswith("2026-10-20T10:00")
    assert visit.status == VisitStatus.DRAFT
    assert visit.notes == "企业反映"
    assert list(visit.enterprises.all()) == [tianlu]


def test_autosaving_twice_with_the_same_token_is_one_visit(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    first = client.post("/visits/autosave/", {"client_token": "auto-2", "notes": "第一版"})
    second = client.post(
        "/visits/autosave/", {"client_token": "auto-2", "notes": "第二版", "q_relocation": "yes"}
    )

    assert first.json()["id"] == second.json()["id"]
    visit = Visit.objects.get()
    assert visit.notes == "第二版"
    assert visit.answers == {"relocation": True}
    assert not visit.red_flags.exists()  # flags from answers are raised on completion


def test_the_form_completes_the_autosaved_draft(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    client.post("/visits/autosave/", {"client_token": "tok-1", "notes": "草稿"})
    response = client.post("/visits/new/", visit_post([tianlu], [licun_clerk]))

    visit = Visit.objects.get()
    assert response["Location"] == f"/visits/{visit.pk}/"
    assert visit.status == VisitStatus.FINAL


def test_autosave_takes_json_too(client, licun_clerk, tianlu) -> None:
    client.force_login(licun_clerk)
    body = {
        "client_token": "json-1",
        "enterprises": [tianlu.pk],
        "notes": "用JSON保存",
        "flag_financing": True,
        "flag_financing_note": "资金紧张",
        "answers": {"financing": "非常紧张", "employees": 300},
    }
    response = client.post("/visits/autosave/", json.dumps(body), content_type="application/json")

    assert response.status_code == 200
    visit = Visit.objects.get()
    assert visit.answers == {"financing": "非常紧张", "employees": 300}
    assert [(f.kind, f.note) for f in visit.red_flags.all()] == [("financing", "资金紧张")]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        json.dumps({"notes": {"nested": 1}}),
        json.dumps({"answers": [1]}),
    ],
)
def test_autosave_answers_400_to_bad_json(client, licun_clerk, body) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-02-30"},
        {"date": "2026-12-01"},  # the future
        {"kind": "walk"},
        {"enterprises": ["abc"]},
        {"officials": ["999999"]},
        {"answers": "x", "q_unknown": "1", "q_employees": "many"},
    ],
)
def test_autosave_answers_400_to_bad_input(client, licun_clerk, data) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", {"client_token": "bad", **data})

    assert response.status_code == 400
    assert response.json()["errors"]
    assert Visit.objects.count() == 0


def test_autosave_needs_the_forms_token_or_visit(client, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", {"notes": "没有令牌"})

    assert response.status_code == 400
    assert Visit.objects.count() == 0


def test_autosave_refuses_another_streets_enterprise(client, licun_clerk, ruifeng) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", {"client_token": "x", "enterprises": [ruifeng.pk]})

    assert response.status_code == 400
    assert "enterprises" in response.json()["errors"]


def test_autosave_of_a_completed_visit_is_409(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", {"visit": visit.pk, "notes": "改"})

    assert response.status_code == 409
    assert response.json()["detail"]


def test_autosave_of_someone_elses_visit_is_refused(client, visit, draft, leader, outsider) -> None:
    client.force_login(leader)
    assert client.post("/visits/autosave/", {"visit": visit.pk}).status_code == 403
    assert client.post("/visits/autosave/", {"visit": draft.pk}).status_code == 404
    client.force_login(outsider)
    assert client.post("/visits/autosave/", {"visit": visit.pk}).status_code == 404


def test_autosave_updates_the_draft_being_edited(client, draft, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.post("/visits/autosave/", {"visit": draft.pk, "notes": "补充了内容"})

    assert response.json()["id"] == draft.pk
    draft.refresh_from_db()
    assert draft.notes == "补充了内容"


# --- the visit page -------------------------------------------------------------------------------


def test_the_visit_page_shows_everything_recorded(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.get(f"/visits/{visit.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="visit-answers"' in html
    assert 'data-testid="answer-employees"' in html and "320人" in html
    assert html.count('data-testid="visit-red-flag"') == 1
    assert 'data-testid="visit-photos"' in html and 'data-testid="visit-files"' in html
    assert 'data-testid="raise-appeal-form"' in html
    assert 'data-testid="red-flag-resolve-form"' in html  # the clerk raised it
    assert 'data-testid="visit-discard"' not in html  # completed


def test_a_photo_is_shown_inline_and_a_file_downloaded(client, visit, leader) -> None:
    photo, pdf = visit.attachments.order_by("id")
    client.force_login(leader)

    shown = client.get(f"/visits/{visit.pk}/attachments/{photo.pk}/")
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline")
    downloaded = client.get(f"/visits/{visit.pk}/attachments/{pdf.pk}/")
    assert downloaded["Content-Disposition"].startswith("attachment")
    assert b"".join(downloaded.streaming_content).startswith(b"%PDF")


def test_an_attachment_of_another_visit_is_404(client, visit, draft, licun_clerk) -> None:
    photo = visit.attachments.first()
    client.force_login(licun_clerk)

    assert client.get(f"/visits/{draft.pk}/attachments/{photo.pk}/").status_code == 404


def test_a_draft_is_discarded_from_its_page(client, draft, licun_clerk) -> None:
    client.force_login(licun_clerk)
    html = client.get(f"/visits/{draft.pk}/").content.decode()
    assert 'data-testid="visit-discard"' in html

    response = client.post(f"/visits/{draft.pk}/discard/")
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=draft.pk).exists()


def test_a_completed_visit_is_not_discarded(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    response = client.post(f"/visits/{visit.pk}/discard/")

    assert response.status_code == 409
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_someone_not_on_the_visit_may_not_discard_it(client, visit, leader) -> None:
    client.force_login(leader)

    assert client.post(f"/visits/{visit.pk}/discard/").status_code == 403


# --- raising an appeal ----------------------------------------------------------------------------


def appeal_post(visit: Visit, **values: Any) -> dict[str, Any]:
    return {
        "enterprise": visit.enterprises.first().pk,
        "category": "land",
        "kind": "problem",
        "title": "扩产用地指标不足",
        "description": "企业扩产需要新增用地约30亩",
        "client_token": "appeal-1",
        **values,
    }


def test_raising_an_appeal_from_the_visit_links_both_ways(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    form = client.get(f"/visits/{visit.pk}/").context["appeal_form"]
    assert form["description"].value() == visit.notes  # prefilled from what was discussed

    response = client.post(f"/visits/{visit.pk}/appeals/", appeal_post(visit))

    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/#appeals"
    assert list(visit.appeals.all()) == [appeal]
    assert appeal.channel == "visit"
    assert appeal.enterprise == visit.enterprises.first()
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert page.count('data-testid="visit-appeal"') == 1
    assert appeal.number in page
    appeal_page = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert f'href="/visits/{visit.pk}/"' in appeal_page
    assert 'data-testid="appeal-visits"' in appeal_page


def test_raising_the_same_appeal_twice_is_one_appeal(client, visit, licun_clerk) -> None:
    client.force_login(licun_clerk)
    client.post(f"/visits/{visit.pk}/appeals/", appeal_post(visit))
    client.post(f"/visits/{visit.pk}/appeals/", appeal_post(visit))

    assert Appeal.objects.count() == 1


def test_a_bad_appeal_is_400_and_raises_nothing(client, visit, licun_clerk, ruifeng) -> None:
    client.force_login(licun_clerk)

    for bad in ({"title": ""}, {"category": "nope"}, {"enterprise": ruifeng.pk}, {"kind": "x"}):
        response = client.post(f"/visits/{visit.pk}/appeals/", appeal_post(visit, **bad))
        assert response.status_code == 400, bad
        assert 'data-testid="raise-appeal-form"' in response.content.decode()
    assert Appeal.objects.count() == 0


def test_someone_not_on_the_visit_does_not_raise_appeals_from_it(client, visit, leader) -> None:
    client.force_login(leader)

    assert client.get(f"/visits/{visit.pk}/").context["appeal_form"] is None
    assert client.post(f"/visits/{visit.pk}/appeals/", appeal_post(visit)).status_code == 403
    assert Appeal.objects.count() == 0


def test_the_appeal_page_does_not_link_visits_for_the_enterprise_user(
    client, visit, licun_clerk, enterprise_user
) -> None:
    appeal = services.visit_raise_appeal(
        by=licun_clerk,
        visit=visit,
        enterprise=visit.enterprises.first(),
        category=category(),
        title="扩产用地指标不足",
        description="需新增用地",
    )
    client.force_login(enterprise_user)
    response = client.get(f"/appeals/{appeal.pk}/")

    assert response.status_code == 200
    assert "/visits/" not in response.content.decode()


def test_a_plan_recorded_through_the_form_is_done(client, licun_clerk, tianlu) -> None:
    plan = services.plan_create(
        by=licun_clerk,
        date=TODAY,
        purpose="回访",
        enterprises=[tianlu],
        officials=[licun_clerk],
    )
    client.force_login(licun_clerk)
    client.post("/visits/new/", visit_post([tianlu], [licun_clerk], plan=plan.pk))

    plan.refresh_from_db()
    assert plan.status == "done"
    assert Visit.objects.get().plan == plan
    assert VisitPlan.objects.count() == 1
