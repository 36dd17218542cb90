"""The pages of monthly data under /stats/: the enterprise's form (draft, submit, audit rules,
entry on behalf), the street's review, the district's approval board and reopening,
completeness with reminders, the analysis with its Excel and Word downloads, the Excel form,
and the monthly section of the enterprise file. Scope: 404 outside it, 403 for the wrong role."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from qifu.core.models import OrgUnit
from qifu.core.tests.helpers import is_chinese, zh
from qifu.notices.models import Notification
from qifu.stats.models import Approval, Reopening, Submission, SubmissionStatus
from qifu.stats.tests import conftest
from qifu.stats.tests.conftest import (
    VALID,
    approve_other_streets,
    count_queries,
    enterprise,
    form,
    grow,
    list_on,
    not_a_period,
    status_of,
)

pytestmark = pytest.mark.django_db

PERIOD = str(conftest.PERIOD)  # 202603: entry is open (from 2026-03-20) on the clock's 2026-03-25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- fixtures and builders --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _today(clock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' default period reads the services' clock (2026-03-25) too."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> dt.date:
        return clock.today if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def posted(action: str = "save", **changes: tuple[Any, Any]) -> dict[str, str]:
    """The POST of the monthly form with every valid figure; `sales=(950, 2000)` changes one."""
    data = {"action": action}
    for code, (month, ytd) in {**VALID, **changes}.items():
        data[f"{code}-month"] = str(month)
        data[f"{code}-ytd"] = str(ytd)
    return data


def form_url(period: str = PERIOD, enterprise: Any = None) -> str:
    return f"/stats/form/{period}/" + (f"?enterprise={enterprise.pk}" if enterprise else "")


def html(response) -> str:
    return response.content.decode()


def workbook_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    cells = (c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
    return " ".join(str(c) for c in cells if c is not None)


# --- who may open the pages -------------------------------------------------------------------

GET_PAGES = [
    "/stats/",
    f"/stats/form/{PERIOD}/",
    f"/stats/review/?period={PERIOD}",
    f"/stats/approvals/?period={PERIOD}",
    f"/stats/completeness/?period={PERIOD}",
    f"/stats/analysis/?period={PERIOD}",
    f"/stats/analysis/rollup.xlsx?period={PERIOD}",
    f"/stats/analysis/brief.docx?period={PERIOD}",
    f"/stats/sheet/form.xlsx?period={PERIOD}",
    "/stats/sheet/import/",
]
POST_PAGES = [
    f"/stats/form/{PERIOD}/",
    "/stats/review/accept-all/",
    "/stats/reopen/",
    "/stats/completeness/remind/",
    "/stats/sheet/import/",
]


def test_anonymous_is_sent_to_the_login_page(client, listed, dataset, tianlu) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    urls = [*GET_PAGES, f"/stats/submissions/{submission.pk}/"]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/stats/"), url
    for url in [*POST_PAGES, f"/stats/submissions/{submission.pk}/accept/"]:
        response = client.post(url, {"period": PERIOD})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert status_of(submission) == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("who", ["no_role_user", "auditor"])
def test_a_user_without_a_role_and_the_auditor_are_refused(
    client, request, who, listed, dataset, tianlu, district, licun
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(request.getfixturevalue(who))

    for url in [*GET_PAGES, f"/stats/submissions/{submission.pk}/"]:
        assert client.get(url).status_code == 403, url
    for url in [
        *POST_PAGES,
        f"/stats/submissions/{submission.pk}/accept/",
        f"/stats/approvals/{licun.pk}/",
    ]:
        data = {"period": PERIOD, "org_unit": licun.pk, "action": "approve"}
        assert client.post(url, data).status_code == 403, url
    assert status_of(submission) == SubmissionStatus.SUBMITTED
    assert not Approval.objects.exists()


def test_the_leader_of_another_district_sees_nothing_of_licang(
    client, outsider, listed, dataset, tianlu, district, licun
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    zone = licun.zone
    client.force_login(outsider)

    for url in [
        f"/stats/submissions/{submission.pk}/",
        form_url(enterprise=tianlu),
        f"/stats/review/?period={PERIOD}&org_unit={licun.pk}",
        f"/stats/completeness/?period={PERIOD}&org_unit={district.pk}",
        f"/stats/completeness/?period={PERIOD}&zone={zone.pk}",
        f"/stats/analysis/?period={PERIOD}&org_unit={district.pk}",
        f"/stats/analysis/?period={PERIOD}&zone={zone.pk}",
        f"/stats/analysis/rollup.xlsx?period={PERIOD}&org_unit={licun.pk}",
        f"/stats/analysis/brief.docx?period={PERIOD}&org_unit={district.pk}",
        f"/stats/sheet/form.xlsx?period={PERIOD}&org_unit={licun.pk}",
    ]:
        assert client.get(url).status_code == 404, url
    unit = {"period": PERIOD, "org_unit": licun.pk}
    assert client.post(f"/stats/submissions/{submission.pk}/accept/").status_code == 404
    assert client.post(f"/stats/submissions/{submission.pk}/return/").status_code == 404
    approve = {**unit, "action": "approve"}
    assert client.post(f"/stats/approvals/{licun.pk}/", approve).status_code == 404
    reopen = {**unit, "until": "2026-03-30", "reason": "补报"}
    assert client.post("/stats/reopen/", reopen).status_code == 404
    assert client.post("/stats/completeness/remind/", unit).status_code == 404
    assert client.post(form_url(), {**posted(), "enterprise": tianlu.pk}).status_code == 404
    assert status_of(submission) == SubmissionStatus.SUBMITTED
    assert not Approval.objects.exists()
    assert not Reopening.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("who", "target"),
    [
        ("enterprise_user", f"/stats/form/{PERIOD}/"),
        ("licun_clerk", "/stats/review/"),
        ("tjj", "/stats/approvals/"),
        ("leader", "/stats/analysis/"),
        ("jxj_clerk", "/stats/analysis/"),
    ],
)
def test_the_index_sends_each_role_to_its_page(client, request, who, target, dataset) -> None:
    client.force_login(request.getfixturevalue(who))

    response = client.get("/stats/")

    assert response.status_code == 302
    assert response["Location"] == target


# --- the monthly form -------------------------------------------------------------------------


def test_the_enterprise_opens_its_form_of_the_month(client, enterprise_user, listed) -> None:
    client.force_login(enterprise_user)

    response = client.get(form_url())

    page = html(response)
    assert response.status_code == 200
    assert "天路集团" in page
    assert 'data-testid="monthly-form"' in page
    assert 'name="output-month"' in page
    assert 'data-testid="submit-form"' in page
    assert 'name="enterprise"' not in page  # not on behalf


def test_an_enterprise_off_the_reporting_list_is_told_so_and_has_no_buttons(
    client, enterprise_user, dataset
) -> None:
    client.force_login(enterprise_user)

    response = client.get(form_url())

    page = html(response)
    assert response.status_code == 200
    assert 'data-testid="entry-problem"' in page
    assert "天路集团不在2026年3月的调查单位名录中" in page
    assert 'data-testid="submit-form"' not in page


def test_the_enterprise_saves_a_draft(client, enterprise_user, listed, dataset, tianlu) -> None:
    client.force_login(enterprise_user)

    response = client.post(form_url(), posted("save"))

    assert response.status_code == 302
    assert response["Location"] == form_url()
    submission = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert submission.status == SubmissionStatus.DRAFT
    output = submission.values.get(indicator__code="output")
    assert (output.month, output.ytd) == (Decimal("1000.00"), Decimal("3000.00"))
    page = html(client.get(form_url()))
    assert 'value="3000.00"' in page


def test_the_enterprise_submits_and_the_street_is_told(
    client, enterprise_user, licun_clerk, listed, tianlu
) -> None:
    client.force_login(enterprise_user)

    response = client.post(form_url(), posted("submit"))

    assert response.status_code == 302
    submission = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == enterprise_user
    assert Notification.objects.filter(user=licun_clerk).count() == 1
    page = html(client.get(form_url()))
    assert 'data-testid="submit-form"' not in page  # no longer editable


def test_a_hard_violation_blocks_submission_with_the_rule_instruction(
    client, enterprise_user, listed, tianlu
) -> None:
    client.force_login(enterprise_user)

    response = client.post(form_url(), posted("submit", export=(100, 5000)))

    page = html(response)
    assert response.status_code == 400
    assert "出口交货值是工业销售产值的一部分，不能大于它。" in page
    assert 'data-testid="hard-violations"' in page
    submission = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.submitted_at is None


def test_a_soft_violation_needs_an_explanation(client, enterprise_user, listed, tianlu) -> None:
    client.force_login(enterprise_user)
    low_sales = posted("submit", sales=(950, 2000))

    unexplained = client.post(form_url(), low_sales)
    explained = client.post(
        form_url(), {**low_sales, "explain-sales-ratio-low": "库存增加，下月集中发货"}
    )

    page = html(unexplained)
    assert unexplained.status_code == 400
    assert 'name="explain-sales-ratio-low"' in page
    assert "工业销售产值与工业总产值之比低于80%，请说明原因。" in page
    assert explained.status_code == 302
    submission = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.explanations == {"sales-ratio-low": "库存增加，下月集中发货"}


def test_a_bad_number_is_shown_by_its_field_and_nothing_is_saved(
    client, enterprise_user, listed
) -> None:
    client.force_login(enterprise_user)

    response = client.post(form_url(), posted("save", profit=("一百", 150)))

    assert response.status_code == 400
    assert 'data-testid="violations-profit"' in html(response)
    assert "一百" in html(response)
    assert not Submission.objects.exists()


def test_the_street_clerk_enters_a_paper_form_on_behalf(
    client, licun_clerk, listed, tianlu
) -> None:
    client.force_login(licun_clerk)

    page = client.get(form_url(enterprise=tianlu))
    saved = client.post(form_url(), {**posted("submit"), "enterprise": tianlu.pk})
    without = client.get(form_url())

    assert page.status_code == 200
    assert "天路集团" in html(page)
    assert f'name="enterprise" value="{tianlu.pk}"' in html(page)
    assert saved.status_code == 302
    assert saved["Location"] == form_url(enterprise=tianlu)
    submission = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_by == licun_clerk
    assert without.status_code == 403


def test_the_clerk_of_another_street_cannot_open_the_form(
    client, loushan_clerk, listed, tianlu
) -> None:
    client.force_login(loushan_clerk)

    assert client.get(form_url(enterprise=tianlu)).status_code == 404
    assert client.post(form_url(), {**posted(), "enterprise": tianlu.pk}).status_code == 404
    assert not Submission.objects.exists()


def test_the_leader_reads_a_form_but_cannot_enter_it(client, leader, listed, tianlu) -> None:
    client.force_login(leader)

    page = client.get(form_url(enterprise=tianlu))
    post = client.post(form_url(), {**posted(), "enterprise": tianlu.pk})

    assert page.status_code == 200
    assert 'data-testid="submit-form"' not in html(page)
    assert post.status_code == 403
    assert not Submission.objects.exists()


def test_another_enterprise_only_ever_gets_its_own_form(
    client, ruifeng_user, listed, dataset, tianlu, ruifeng
) -> None:
    form(dataset, tianlu, status=SubmissionStatus.DRAFT)
    client.force_login(ruifeng_user)

    page = client.get(form_url(enterprise=tianlu))
    saved = client.post(form_url(), {**posted(), "enterprise": tianlu.pk})

    assert page.status_code == 200
    assert "瑞丰气体" in html(page)
    assert "天路集团" not in html(page)
    assert saved.status_code == 302
    assert Submission.objects.filter(enterprise=ruifeng, period=PERIOD).exists()
    tianlu_form = Submission.objects.get(enterprise=tianlu, period=PERIOD)
    assert tianlu_form.values.get(indicator__code="output").ytd == Decimal("3000")
    assert tianlu_form.status == SubmissionStatus.DRAFT


@pytest.mark.parametrize("period", ["2026-13", "202613", "abc"])
def test_a_bad_period_is_a_400_with_a_chinese_message(
    client, enterprise_user, listed, period
) -> None:
    client.force_login(enterprise_user)

    response = client.get(f"/stats/form/{period}/")

    assert response.status_code == 400
    message = response.context["message"]
    assert message == not_a_period(period)
    assert message in html(response)


def test_entry_before_the_window_opens_is_refused_with_the_reason(
    client, enterprise_user, listed
) -> None:
    client.force_login(enterprise_user)

    page = client.get(form_url("202604"))
    post = client.post(form_url("202604"), posted("save"))

    assert page.status_code == 200
    assert 'data-testid="entry-problem"' in html(page)
    assert 'data-testid="submit-form"' not in html(page)
    assert post.status_code == 409
    assert "2026-04-20" in html(post)
    assert not Submission.objects.exists()


# --- one submission and its review ------------------------------------------------------------


def test_the_street_clerk_reads_a_submitted_form_with_its_actions(
    client, licun_clerk, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(licun_clerk)

    response = client.get(f"/stats/submissions/{submission.pk}/")

    page = html(response)
    assert response.status_code == 200
    assert "天路集团" in page
    assert 'data-testid="submission-values"' in page
    assert "3,000.00" in page
    assert 'data-testid="accept"' in page
    assert 'data-testid="return"' in page


def test_the_leader_reads_a_form_without_review_actions(
    client, leader, enterprise_user, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)

    for user in (leader, enterprise_user):
        client.force_login(user)
        response = client.get(f"/stats/submissions/{submission.pk}/")
        assert response.status_code == 200
        assert 'data-testid="review-actions"' not in html(response)


def test_the_street_clerk_accepts_and_returns_a_form(
    client, licun_clerk, enterprise_user, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(licun_clerk)
    base = f"/stats/submissions/{submission.pk}/"

    accepted = client.post(f"{base}accept/")
    status_after_accept = status_of(submission)
    again = client.post(f"{base}accept/")
    no_reason = client.post(f"{base}return/", {"reason": "  "})
    returned = client.post(f"{base}return/", {"reason": "用电量与产值不匹配，请核实"})

    assert accepted.status_code == 302
    assert accepted["Location"] == base
    assert status_after_accept == SubmissionStatus.ACCEPTED
    assert again.status_code == 409
    assert again.context["error"]
    assert 'data-testid="action-error"' in html(again)
    assert no_reason.status_code == 400
    assert no_reason.context["error"] == zh("Say why the form is returned.")
    assert 'data-testid="action-error"' in html(no_reason)
    assert returned.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.return_reason == "用电量与产值不匹配，请核实"
    note = Notification.objects.get(user=enterprise_user)
    assert note.url == base


@pytest.mark.parametrize("who", ["loushan_clerk", "outsider", "ruifeng_user"])
def test_a_form_of_another_street_is_not_found(
    client, request, who, listed, dataset, tianlu
) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/stats/submissions/{submission.pk}/").status_code == 404
    assert client.post(f"/stats/submissions/{submission.pk}/accept/").status_code == 404
    assert status_of(submission) == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("who", ["enterprise_user", "leader"])
def test_only_the_street_clerk_accepts(client, request, who, listed, dataset, tianlu) -> None:
    submission = form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(request.getfixturevalue(who))

    assert client.post(f"/stats/submissions/{submission.pk}/accept/").status_code == 403
    returned = client.post(f"/stats/submissions/{submission.pk}/return/", {"reason": "x"})
    assert returned.status_code == 403
    assert status_of(submission) == SubmissionStatus.SUBMITTED


# --- the street's review list -----------------------------------------------------------------


@pytest.fixture
def licun_forms(dataset, listed, tianlu, licun):
    """李村街道: 天路集团 and one more submitted, one accepted, one draft, one not started."""
    others = [enterprise(licun, name=f"李村测试{n}") for n in range(4)]
    list_on(dataset, *others)
    return {
        "submitted": [
            form(dataset, tianlu, status=SubmissionStatus.SUBMITTED),
            form(dataset, others[0], status=SubmissionStatus.SUBMITTED),
        ],
        "accepted": form(dataset, others[1], status=SubmissionStatus.ACCEPTED),
        "draft": form(dataset, others[2], status=SubmissionStatus.DRAFT),
        "missing": others[3],
    }


def test_the_street_clerk_sees_the_counts_and_the_list(client, licun_clerk, licun_forms) -> None:
    client.force_login(licun_clerk)

    response = client.get(f"/stats/review/?period={PERIOD}")
    missing = client.get(f"/stats/review/?period={PERIOD}&status=missing")

    page = html(response)
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts == {
        "expected": 5,
        "missing": 1,
        "draft": 1,
        "submitted": 2,
        "accepted": 1,
        "returned": 0,
    }
    assert page.count("<tr data-enterprise=") == 5
    assert "瑞丰气体" not in page  # another street
    assert 'data-testid="accept-all"' in page
    assert [row["enterprise"].name for row in missing.context["rows"]] == ["李村测试3"]


def test_accept_all_accepts_every_waiting_form_of_the_street(
    client, licun_clerk, licun_forms, dataset, ruifeng
) -> None:
    elsewhere = form(dataset, ruifeng, status=SubmissionStatus.SUBMITTED)
    client.force_login(licun_clerk)

    response = client.post("/stats/review/accept-all/", {"period": PERIOD}, follow=True)

    assert response.status_code == 200
    for submission in licun_forms["submitted"]:
        assert status_of(submission) == SubmissionStatus.ACCEPTED
    assert status_of(licun_forms["draft"]) == SubmissionStatus.DRAFT
    assert status_of(elsewhere) == SubmissionStatus.SUBMITTED
    assert response.context["counts"]["accepted"] == 3


def test_the_review_list_needs_a_street(
    client, leader, licun_clerk, enterprise_user, licun_forms, licun, district
) -> None:
    client.force_login(leader)
    no_street = client.get(f"/stats/review/?period={PERIOD}")
    a_street = client.get(f"/stats/review/?period={PERIOD}&org_unit={licun.pk}")
    the_district = client.get(f"/stats/review/?period={PERIOD}&org_unit={district.pk}")
    accept_all = client.post("/stats/review/accept-all/", {"period": PERIOD})
    client.force_login(enterprise_user)
    enterprise = client.get(f"/stats/review/?period={PERIOD}")

    assert no_street.status_code == 403
    assert a_street.status_code == 200
    assert 'data-testid="accept-all"' not in html(a_street)
    assert the_district.status_code == 403
    assert accept_all.status_code == 403
    assert enterprise.status_code == 403


def test_the_review_list_has_a_bad_period_refused(client, licun_clerk, licun_forms) -> None:
    client.force_login(licun_clerk)

    response = client.get("/stats/review/?period=2026-13")

    assert response.status_code == 400
    assert response.context["message"] == not_a_period("2026-13")


# --- approval by the district's statistics staff ---------------------------------------------


def approve_url(unit: OrgUnit) -> str:
    return f"/stats/approvals/{unit.pk}/"


def test_statistics_staff_approve_the_street_then_the_district_and_undo_top_down(
    client, tjj, listed, dataset, tianlu, ruifeng, district, licun, loushan
) -> None:
    form(dataset, tianlu)
    form(dataset, ruifeng)
    approve_other_streets(dataset, district, tjj, but=licun)
    client.force_login(tjj)

    board = client.get(f"/stats/approvals/?period={PERIOD}")
    street = client.post(approve_url(licun), {"period": PERIOD, "action": "approve"})
    whole = client.post(approve_url(district), {"period": PERIOD, "action": "approve"})
    undo_street = client.post(approve_url(licun), {"period": PERIOD, "action": "unapprove"})
    undo_district = client.post(approve_url(district), {"period": PERIOD, "action": "unapprove"})
    undo_street_now = client.post(approve_url(licun), {"period": PERIOD, "action": "unapprove"})

    assert board.status_code == 200
    assert f'data-testid="approve-{licun.code}"' in html(board)
    assert street.status_code == whole.status_code == 302
    assert street["Location"] == f"/stats/approvals/?period={PERIOD}"
    assert undo_street.status_code == 409
    assert 'data-testid="approval-error"' in html(undo_street)
    assert "李沧区" in undo_street.context["error"]
    assert undo_district.status_code == undo_street_now.status_code == 302
    assert not Approval.objects.filter(org_unit__in=[licun, district]).exists()


def test_a_street_is_not_approved_before_every_form_is_accepted(
    client, tjj, listed, dataset, tianlu, licun, district
) -> None:
    form(dataset, tianlu, status=SubmissionStatus.SUBMITTED)
    client.force_login(tjj)

    street = client.post(approve_url(licun), {"period": PERIOD, "action": "approve"})
    whole = client.post(approve_url(district), {"period": PERIOD, "action": "approve"})

    assert street.status_code == 409
    message = street.context["error"]
    assert "李村街道" in message
    assert "0" in message and "1" in message  # 0 of 1 forms accepted
    assert message in html(street)
    assert whole.status_code == 409
    assert "李村街道" in whole.context["error"]  # waiting for the streets
    assert not Approval.objects.exists()


def test_an_approved_street_locks_its_forms(
    client, tjj, licun_clerk, enterprise_user, listed, dataset, tianlu, licun
) -> None:
    submission = form(dataset, tianlu)
    client.force_login(tjj)
    client.post(approve_url(licun), {"period": PERIOD, "action": "approve"})
    client.force_login(licun_clerk)

    returned = client.post(f"/stats/submissions/{submission.pk}/return/", {"reason": "重填"})
    review = client.get(f"/stats/review/?period={PERIOD}")

    assert returned.status_code == 409
    assert 'data-testid="street-approved"' in html(review)
    assert status_of(submission) == SubmissionStatus.ACCEPTED


def test_street_staff_and_leaders_do_not_approve(
    client, licun_clerk, leader, listed, dataset, tianlu, licun
) -> None:
    form(dataset, tianlu)
    client.force_login(licun_clerk)
    clerk_board = client.get(f"/stats/approvals/?period={PERIOD}")
    clerk_post = client.post(approve_url(licun), {"period": PERIOD, "action": "approve"})
    client.force_login(leader)
    leader_board = client.get(f"/stats/approvals/?period={PERIOD}")
    leader_post = client.post(approve_url(licun), {"period": PERIOD, "action": "approve"})

    assert clerk_board.status_code == 403
    assert clerk_post.status_code == 403
    assert leader_board.status_code == 200
    assert 'data-testid="approve-' not in html(leader_board)
    assert leader_post.status_code == 403
    assert not Approval.objects.exists()


# --- reopening entry after the lock -----------------------------------------------------------


def test_statistics_staff_reopen_a_locked_period_for_a_street(
    client, tjj, enterprise_user, listed, licun
) -> None:
    client.force_login(enterprise_user)
    locked = client.get(form_url("202601"))
    client.force_login(tjj)

    response = client.post(
        "/stats/reopen/",
        {"period": "202601", "org_unit": licun.pk, "until": "2026-03-31", "reason": "企业补报"},
    )
    client.force_login(enterprise_user)
    reopened = client.get(form_url("202601"))

    assert 'data-testid="entry-problem"' in html(locked)
    assert response.status_code == 302
    assert response["Location"] == "/stats/approvals/?period=202601"
    reopening = Reopening.objects.get()
    assert (reopening.org_unit, reopening.until) == (licun, dt.date(2026, 3, 31))
    assert 'data-testid="entry-problem"' not in html(reopened)
    assert 'data-testid="submit-form"' in html(reopened)


def test_reopening_needs_a_reason_and_a_date_and_statistics_staff(
    client, tjj, licun_clerk, licun
) -> None:
    client.force_login(tjj)
    unit = {"period": "202601", "org_unit": licun.pk}

    no_reason = client.post("/stats/reopen/", {**unit, "until": "2026-03-31", "reason": ""})
    bad_date = client.post("/stats/reopen/", {**unit, "until": "31/03/2026", "reason": "补报"})
    client.force_login(licun_clerk)
    clerk = client.post("/stats/reopen/", {**unit, "until": "2026-03-31", "reason": "补报"})

    assert no_reason.status_code == 400
    assert no_reason.context["error"] == zh("Say why entry is reopened.")
    assert bad_date.status_code == 400
    assert bad_date.context["message"] == zh("Enter the date as YYYY-MM-DD.")
    assert clerk.status_code == 403
    assert not Reopening.objects.exists()


# --- completeness and reminders ---------------------------------------------------------------


def test_completeness_shows_the_figures_and_who_is_missing(
    client, leader, licun_forms, dataset, ruifeng, district
) -> None:
    client.force_login(leader)

    response = client.get(f"/stats/completeness/?period={PERIOD}")

    page = html(response)
    figures = response.context["figures"]
    assert response.status_code == 200
    assert (figures.expected, figures.submitted, figures.accepted) == (6, 3, 1)
    assert figures.missing == 3
    by_name = {row.name: row for row in figures.children}
    assert (by_name["李村街道"].expected, by_name["李村街道"].submitted) == (5, 3)
    assert (by_name["楼山街道"].expected, by_name["楼山街道"].submitted) == (1, 0)
    assert 'data-testid="completeness-table"' in page
    missing = [e.name for e in response.context["missing"]]
    assert sorted(missing) == sorted(["瑞丰气体", "李村测试2", "李村测试3"])
    assert "瑞丰气体" in page
    assert 'data-testid="remind"' not in page  # the leader does not send reminders


def test_completeness_of_a_street_and_of_a_zone(client, leader, licun_forms, licun) -> None:
    client.force_login(leader)

    street = client.get(f"/stats/completeness/?period={PERIOD}&org_unit={licun.pk}")
    zone = client.get(f"/stats/completeness/?period={PERIOD}&zone={licun.zone_id}")

    assert street.status_code == zone.status_code == 200
    assert street.context["figures"].expected == 5
    assert "瑞丰气体" not in html(street)
    assert zone.context["is_zone"] is True
    assert zone.context["figures"].expected >= 5


def test_the_street_clerk_reminds_the_missing_enterprises(
    client, licun_clerk, enterprise_user, ruifeng_user, listed, licun
) -> None:
    client.force_login(licun_clerk)

    page = client.get(f"/stats/completeness/?period={PERIOD}")
    response = client.post("/stats/completeness/remind/", {"period": PERIOD, "org_unit": licun.pk})

    assert 'data-testid="remind"' in html(page)
    assert response.status_code == 302
    assert response["Location"] == f"/stats/completeness/?period={PERIOD}&org_unit={licun.pk}"
    note = Notification.objects.get(user=enterprise_user)
    assert note.url == f"/stats/form/{PERIOD}/"
    assert "2026-03" in note.title or "2026年3月" in note.title
    assert not Notification.objects.filter(user=ruifeng_user).exists()  # another street


def test_reminders_are_not_sent_by_a_leader_nor_to_another_street(
    client, leader, licun_clerk, enterprise_user, listed, loushan, district
) -> None:
    client.force_login(leader)
    by_leader = client.post(
        "/stats/completeness/remind/", {"period": PERIOD, "org_unit": district.pk}
    )
    client.force_login(licun_clerk)
    other_street = client.post(
        "/stats/completeness/remind/", {"period": PERIOD, "org_unit": loushan.pk}
    )

    assert by_leader.status_code == 403
    assert other_street.status_code == 404
    assert not Notification.objects.exists()


def test_an_enterprise_has_no_completeness_nor_analysis(client, enterprise_user, dataset) -> None:
    client.force_login(enterprise_user)

    for url in [
        f"/stats/completeness/?period={PERIOD}",
        f"/stats/analysis/?period={PERIOD}",
        f"/stats/analysis/rollup.xlsx?period={PERIOD}",
        f"/stats/analysis/brief.docx?period={PERIOD}",
        f"/stats/sheet/form.xlsx?period={PERIOD}",
        "/stats/sheet/import/",
        f"/stats/approvals/?period={PERIOD}",
    ]:
        assert client.get(url).status_code == 403, url


# --- analysis ---------------------------------------------------------------------------------


@pytest.fixture
def figures(dataset, tianlu, ruifeng, listed):
    """Accepted output, 1–March: 天路集团 (李村) 110 against 100, 瑞丰气体 (楼山) 900 against
    1000; the district's comparable growth is (110 + 900) / (100 + 1000) − 1 = −8.18%."""
    form(
        dataset,
        tianlu,
        PERIOD,
        {"output": (40, 110, 30, 100), "profit": (-5, -10, 2, 8), "sales": (40, 100, 30, 90)},
    )
    form(
        dataset,
        ruifeng,
        PERIOD,
        {"output": (300, 900, 320, 1000), "profit": (10, 30, 8, 20), "sales": (300, 880)},
    )


def test_the_analysis_shows_the_district_figures_and_its_streets(
    client, leader, figures, district
) -> None:
    client.force_login(leader)

    response = client.get(f"/stats/analysis/?period={PERIOD}&org_unit={district.pk}")

    page = html(response)
    result = response.context["result"]
    assert response.status_code == 200
    assert "李沧区 · 工业总产值" in page
    assert result["ytd"] == Decimal("1010")
    assert str(result["ytd_yoy"]).startswith("-8.18")
    assert "-8.18%" in page
    assert 'data-testid="children-table"' in page
    assert 'data-unit="李村街道"' in page
    assert 'data-unit="楼山街道"' in page
    names = [e["name"] for e in response.context["movers"]]
    assert names == ["瑞丰气体", "天路集团"]  # the biggest contribution first
    assert 'id="stats-chart-data"' in page


def test_the_analysis_of_a_zone_and_of_another_indicator(client, leader, figures, licun) -> None:
    client.force_login(leader)

    zone = client.get(f"/stats/analysis/?period={PERIOD}&zone={licun.zone_id}")
    profit = client.get(f"/stats/analysis/?period={PERIOD}&indicator=profit")

    assert zone.status_code == 200
    assert zone.context["is_zone"] is True
    assert licun.zone.name in html(zone)
    assert zone.context["result"]["ytd"] == Decimal("110")
    assert profit.status_code == 200
    assert profit.context["indicator"].code == "profit"
    assert "利润总额" in html(profit)
    assert profit.context["result"]["ytd"] == Decimal("20")


def test_a_street_clerk_analyses_its_own_street_only(
    client, licun_clerk, figures, district
) -> None:
    client.force_login(licun_clerk)

    own = client.get(f"/stats/analysis/?period={PERIOD}")
    above = client.get(f"/stats/analysis/?period={PERIOD}&org_unit={district.pk}")

    assert own.status_code == 200
    assert own.context["result"]["ytd"] == Decimal("110")
    assert "瑞丰气体" not in html(own)
    assert above.status_code == 404


def not_an_indicator(code: str) -> str:
    return zh("“%(code)s” is not an indicator of this form.") % {"code": code}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("indicator=nosuch", not_an_indicator("nosuch")),
        ("indicator=%E4%BA%A7%E5%80%BC", not_an_indicator("产值")),
        ("period=2026-13", not_a_period("2026-13")),
        ("period=190001", not_a_period("190001")),
    ],
)
def test_a_bad_indicator_or_period_is_a_400_with_a_message(
    client, leader, figures, query, message
) -> None:
    client.force_login(leader)

    response = client.get(f"/stats/analysis/?{query}")

    assert response.status_code == 400
    assert response.context["message"] == message
    assert message in html(response)


def test_the_rollup_downloads_as_excel(client, leader, figures, district) -> None:
    client.force_login(leader)

    response = client.get(
        f"/stats/analysis/rollup.xlsx?period={PERIOD}&org_unit={district.pk}&indicator=output"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    text = workbook_text(response.content)
    assert "李村街道" in text
    assert "楼山街道" in text


def test_the_monthly_brief_downloads_as_word(client, leader, figures, district) -> None:
    from docx import Document

    client.force_login(leader)

    response = client.get(f"/stats/analysis/brief.docx?period={PERIOD}&org_unit={district.pk}")

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "李沧区" in text


# --- the Excel form ---------------------------------------------------------------------------


def test_the_street_clerk_downloads_the_excel_form(client, licun_clerk, listed, tianlu) -> None:
    client.force_login(licun_clerk)

    response = client.get(f"/stats/sheet/form.xlsx?period={PERIOD}")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    text = workbook_text(response.content)
    assert tianlu.credit_code in text
    assert "瑞丰气体" not in text  # another street


def test_the_import_page_refuses_a_missing_or_broken_file(client, licun_clerk, listed) -> None:
    client.force_login(licun_clerk)

    page = client.get(f"/stats/sheet/import/?period={PERIOD}")
    no_file = client.post("/stats/sheet/import/", {"period": PERIOD})
    broken = client.post(
        "/stats/sheet/import/",
        {"period": PERIOD, "file": io.BytesIO(b"this is not a workbook")},
    )

    assert page.status_code == 200
    assert 'data-testid="import-form"' in html(page)
    assert no_file.status_code == 400
    assert 'data-testid="import-errors"' in html(no_file)
    assert broken.status_code == 400
    assert 'data-testid="import-errors"' in html(broken)
    ((_row, message),) = broken.context["errors"]
    assert is_chinese(message)
    assert not Submission.objects.exists()


def test_only_street_staff_import(client, leader, tjj, listed) -> None:
    for user in (leader, tjj):
        client.force_login(user)
        assert client.get("/stats/sheet/import/").status_code == 403
        assert client.post("/stats/sheet/import/", {"period": PERIOD}).status_code == 403


# --- the enterprise file ----------------------------------------------------------------------


def test_the_enterprise_file_shows_the_monthly_figures(
    client, leader, enterprise_user, listed, dataset, tianlu
) -> None:
    form(dataset, tianlu, figures={"output": (1000, 3000, 900, 2500)})
    form(dataset, tianlu, "202602", status=SubmissionStatus.DRAFT)

    for user in (leader, enterprise_user):
        client.force_login(user)
        response = client.get(f"/enterprises/{tianlu.pk}/")
        page = html(response)
        assert response.status_code == 200
        assert 'data-testid="enterprise-monthly"' in page
        assert "2026-03" in page or "2026年3月" in page
        assert "300.00万元" in page  # 3000 千元


def test_the_enterprise_file_without_forms_has_no_monthly_table(
    client, leader, listed, tianlu
) -> None:
    client.force_login(leader)

    response = client.get(f"/enterprises/{tianlu.pk}/")

    assert response.status_code == 200
    assert 'data-testid="enterprise-monthly"' not in html(response)


# --- query budgets ----------------------------------------------------------------------------


# (who, page, budget): session, user, the data set, the page's grouped reads, the bell's count
PAGES = [
    ("licun_clerk", f"/stats/review/?period={PERIOD}", 7),
    ("tjj", f"/stats/approvals/?period={PERIOD}", 9),
    ("leader", f"/stats/completeness/?period={PERIOD}", 11),
    ("leader", f"/stats/analysis/?period={PERIOD}", 21),
]


@pytest.mark.parametrize(("who", "url", "budget"), PAGES)
def test_list_pages_stay_within_their_query_budget(
    client,
    request,
    who,
    url,
    budget,
    dataset,
    licun,
    loushan,
    listed,
    django_assert_max_num_queries,
) -> None:
    grow(dataset, 6, [licun, loushan], sales=(95, 290))
    client.force_login(request.getfixturevalue(who))
    client.get(url)

    with django_assert_max_num_queries(budget):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize(("who", "url", "_budget"), PAGES)
def test_list_pages_read_15_enterprises_with_as_many_queries_as_3(
    client, request, who, url, _budget, dataset, licun, loushan, listed
) -> None:
    client.force_login(request.getfixturevalue(who))
    grow(dataset, 3, [licun, loushan], sales=(95, 290))
    few = count_queries(client, url)
    grow(dataset, 12, [licun, loushan], sales=(95, 290))
    many = count_queries(client, url)

    assert many == few
