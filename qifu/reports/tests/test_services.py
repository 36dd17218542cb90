"""The report services: create, update (drafts, by their authors), finalise and reopen through
the one transition table, attachments, audit events with the module's actions, and the checks of
the input (period, scope, authors)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.reports import services
from qifu.reports.models import Report, ReportStatus
from qifu.reports.tests.conftest import EXE, PDF, upload

pytestmark = pytest.mark.django_db


def actions(report: Report) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="reports.report", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_transitions_are_one_table() -> None:
    assert services.TRANSITIONS == {
        "draft": {"update": "draft", "attach": "draft", "finalise": "final"},
        "final": {"reopen": "draft"},
    }


def test_a_report_is_created_as_a_draft_with_its_creator_as_author(make_report, leader):
    report = make_report(period="2026q4")

    assert report.status == ReportStatus.DRAFT
    assert report.period == "2026Q4"
    assert list(report.authors.all()) == [leader]
    event = AuditEvent.objects.get(action="report.create")
    assert event.changes["title"] == [None, report.title]


def test_a_repeated_client_token_returns_the_first_report(leader, district):
    first, created = services.report_create(
        by=leader, title="A", org_unit=district, period="2026", client_token="tok"
    )
    again, created_again = services.report_create(
        by=leader, title="A", org_unit=district, period="2026", client_token="tok"
    )

    assert created and not created_again
    assert again.pk == first.pk
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": " "}, "title"),
        ({"period": "2026Q7"}, "period"),
        ({"period": "26"}, "period"),
        ({"kind": "poem"}, "kind"),
        ({"summary": "长" * 501}, "summary"),
    ],
)
def test_bad_input_is_refused_by_field(make_report, values, field) -> None:
    with pytest.raises(ValidationError) as error:
        make_report(**values)

    assert field in error.value.message_dict
    assert not Report.objects.exists()


def test_a_report_is_about_a_unit_in_the_authors_scope(make_report, licun_clerk, district, laoshan):
    with pytest.raises(ValidationError) as error:
        make_report(by=licun_clerk, org_unit=district)
    assert "org_unit" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_report(org_unit=laoshan)


def test_authors_are_officials_of_the_district(make_report, leader, outsider, enterprise_user):
    for stranger in (outsider, enterprise_user):
        with pytest.raises(ValidationError) as error:
            make_report(authors=[leader, stranger])
        assert "authors" in error.value.message_dict


def test_enterprise_users_and_admins_cannot_write_reports(
    make_report, enterprise_user, sysadmin, licun
):
    for user in (enterprise_user, sysadmin):
        with pytest.raises(PermissionDenied):
            make_report(by=user, org_unit=licun)


def test_an_author_updates_a_draft_and_the_change_is_audited(make_report, leader, licun_clerk):
    report = make_report(authors=[leader, licun_clerk])

    services.report_update(by=licun_clerk, report=report, body="# 新的正文\n", title="新标题")

    report.refresh_from_db()
    assert (report.title, report.body) == ("新标题", "# 新的正文\n")
    event = AuditEvent.objects.get(action="report.update")
    assert event.changes["title"] == ["我区企业当前面临的主要问题及对策", "新标题"]
    assert "body_length" in event.changes


def test_an_author_from_a_street_keeps_the_district_report_unit(make_report, leader, licun_clerk):
    report = make_report(authors=[leader, licun_clerk])

    services.report_update(by=licun_clerk, report=report, summary="摘要")

    assert Report.objects.get(pk=report.pk).summary == "摘要"


def test_someone_who_is_not_an_author_cannot_change_it(make_report, jxj_clerk, leader):
    report = make_report()

    with pytest.raises(PermissionDenied):
        services.report_update(by=jxj_clerk, report=report, title="X")


def test_a_final_report_cannot_be_changed_until_reopened(make_report, leader):
    report = services.report_finalise(by=leader, report=make_report())

    with pytest.raises(services.TransitionError):
        services.report_update(by=leader, report=report, title="X")
    with pytest.raises(services.TransitionError):
        services.report_finalise(by=leader, report=report)
    with pytest.raises(services.TransitionError):
        services.report_attach(by=leader, report=report, uploads=[upload("a.pdf", PDF)])

    services.report_reopen(by=leader, report=report, reason="补充数据")
    services.report_update(by=leader, report=report, title="X")

    assert actions(report) == [
        "report.create",
        "report.finalise",
        "report.reopen",
        "report.update",
    ]
    assert Report.objects.get(pk=report.pk).finalised_at is None


def test_finalising_needs_a_body(make_report, leader):
    report = make_report(body="  ")

    with pytest.raises(ValidationError):
        services.report_finalise(by=leader, report=report)


def test_a_district_leader_finalises_and_reopens_a_street_report(
    make_report, licun_clerk, licun, leader
):
    report = make_report(by=licun_clerk, org_unit=licun)

    report = services.report_finalise(by=leader, report=report)
    assert report.status == ReportStatus.FINAL and report.finalised_at is not None

    report = services.report_reopen(by=leader, report=report)
    assert report.status == ReportStatus.DRAFT


def test_only_authors_and_leaders_over_it_reopen_a_report(
    make_report, leader, jxj_clerk, loushan_clerk, outsider
):
    report = services.report_finalise(by=leader, report=make_report())

    for user in (jxj_clerk, loushan_clerk, outsider):
        with pytest.raises(PermissionDenied):
            services.report_reopen(by=user, report=report)


def test_attachments_are_checked_and_audited(make_report, leader):
    report = make_report()

    with pytest.raises(ValidationError):
        services.report_attach(by=leader, report=report, uploads=[upload("x.pdf", EXE)])
    assert not report.attachments.exists()

    saved = services.report_attach(by=leader, report=report, uploads=[upload("附件.pdf", PDF)])

    assert [a.name for a in saved] == ["附件.pdf"]
    assert saved[0].content_type == "application/pdf"
    assert AuditEvent.objects.filter(action="report_attachment.create").count() == 1


def test_at_most_twenty_attachments(make_report, leader):
    report = make_report()
    with pytest.raises(ValidationError):
        services.report_attach(
            by=leader, report=report, uploads=[upload(f"{i}.pdf", PDF) for i in range(21)]
        )
