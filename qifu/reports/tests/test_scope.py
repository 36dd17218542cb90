"""Who sees which report: an official the reports of their own org unit and below (drafts
included), the district's final reports, and those they write; officials of another district
none; enterprise users and administrators none."""

from __future__ import annotations

import pytest
from django.http import Http404

from qifu.reports import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(make_report, leader, licun_clerk, loushan_clerk, licun, loushan):
    district_draft = make_report(title="区草稿")
    district_final = services.report_finalise(by=leader, report=make_report(title="区定稿"))
    licun_draft = make_report(by=licun_clerk, org_unit=licun, title="李村草稿")
    loushan_final = services.report_finalise(
        by=loushan_clerk,
        report=make_report(by=loushan_clerk, org_unit=loushan, title="楼山定稿"),
    )
    shared = make_report(title="区草稿（李村参与执笔）", authors=[leader, licun_clerk])
    return {
        "district_draft": district_draft,
        "district_final": district_final,
        "licun_draft": licun_draft,
        "loushan_final": loushan_final,
        "shared": shared,
    }


def titles(user) -> set[str]:
    return set(selectors.reports_for_user(user=user).values_list("title", flat=True))


def test_a_district_official_sees_every_report_of_the_district(reports, leader, jxj_clerk):
    everything = {r.title for r in reports.values()}
    assert titles(leader) == everything
    assert titles(jxj_clerk) == everything


def test_a_street_clerk_sees_its_street_the_district_final_reports_and_its_own(
    reports, licun_clerk
):
    assert titles(licun_clerk) == {"李村草稿", "区定稿", "区草稿（李村参与执笔）"}


def test_another_street_does_not_see_the_first_streets_reports(reports, loushan_clerk):
    assert titles(loushan_clerk) == {"楼山定稿", "区定稿"}


def test_outsiders_enterprise_users_and_admins_see_none(
    reports, outsider, enterprise_user, sysadmin, auditor
):
    for user in (outsider, enterprise_user, sysadmin, auditor):
        assert titles(user) == set()


def test_getting_a_report_outside_the_scope_is_404(reports, loushan_clerk, outsider):
    with pytest.raises(Http404):
        selectors.report_get_for_user(user=loushan_clerk, pk=reports["licun_draft"].pk)
    with pytest.raises(Http404):
        selectors.report_get_for_user(user=outsider, pk=reports["district_final"].pk)
    with pytest.raises(Http404):
        selectors.report_get_for_user(user=loushan_clerk, pk="x")


def test_the_list_filters(reports, leader, licun, district):
    from qifu.lib.quarters import Span

    def listed(**filters) -> set[str]:
        f = selectors.ReportFilters(**filters)
        return {r.title for r in selectors.report_list_for_user(user=leader, filters=f)}

    assert listed(status="final") == {"区定稿", "楼山定稿"}
    assert listed(org_unit=licun) == {"李村草稿"}
    assert listed(q="李村") == {"李村草稿", "区草稿（李村参与执笔）"}
    assert listed(period=Span(2026)) == {r.title for r in reports.values()}
    assert listed(period=Span(2026, 3)) == set()
    assert listed(kind="visits") == set()


def test_the_units_a_report_may_be_about(licun_clerk, leader, district, licun):
    assert list(selectors.units_for_user(user=licun_clerk)) == [licun]
    units = list(selectors.units_for_user(user=leader))
    assert units[0] == district and licun in units and len(units) == 12
