"""Coverage arithmetic: which enterprises are assigned in a period, which were visited (final
visits in the period only), per official (only the visits they went on) and per street, days since
the last visit, the stale list and the open red flags. The clock stands at 2026-10-20 (2026Q4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.quarters import Span
from qifu.visits import selectors, services
from qifu.visits.models import Visit
from qifu.visits.tests.conftest import D

pytestmark = pytest.mark.django_db


def cov(user: Any, period: str = "2026Q4", **kwargs: Any) -> selectors.Coverage:
    return selectors.coverage(user=user, span=Span.parse(period), **kwargs)


def official_row(figures: selectors.Coverage, official: Any) -> selectors.OfficialRow:
    return next(row for row in figures.officials if row.official.pk == official.pk)


def street_row(figures: selectors.Coverage, street: Any) -> selectors.StreetRow:
    return next(row for row in figures.streets if row.street.pk == street.pk)


def names(rows: list[selectors.EnterpriseRow]) -> list[str]:
    return [row.name for row in rows]


# --- what is assigned -----------------------------------------------------------------------------


def test_a_street_assignment_covers_the_key_enterprises_of_the_street(
    assign, leader, licun_clerk, licun, tianlu, licun_key, licun_small
) -> None:
    assign(licun_clerk, street=licun)
    figures = cov(leader)
    assert sorted(names(figures.enterprises)) == ["天路集团", "海湾化工"]
    assert (figures.assigned, figures.visited, figures.not_visited) == (2, 0, 2)
    assert official_row(figures, licun_clerk).assigned == 2


def test_a_street_assignment_of_all_enterprises_covers_the_others_too(
    assign, leader, licun_clerk, licun, tianlu, licun_key, licun_small
) -> None:
    assign(licun_clerk, street=licun, key_only=False)
    assert cov(leader).assigned == 3


def test_a_closed_enterprise_is_not_assigned(
    assign, leader, licun_clerk, licun, tianlu, licun_key
) -> None:
    type(licun_key).objects.filter(pk=licun_key.pk).update(status="closed")
    assign(licun_clerk, street=licun)
    assert names(cov(leader).enterprises) == ["天路集团"]


def test_a_named_enterprise_is_assigned_to_its_official(
    assign, leader, other_leader, ruifeng, tianlu
) -> None:
    assign(other_leader, enterprise=ruifeng)
    figures = cov(leader)
    assert names(figures.enterprises) == ["瑞丰气体"]
    assert official_row(figures, other_leader).assigned == 1


def test_an_enterprise_assigned_twice_counts_once_in_the_totals(
    assign, leader, licun_clerk, other_leader, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=tianlu)
    figures = cov(leader)
    assert figures.assigned == 1
    assert official_row(figures, licun_clerk).assigned == 1
    assert official_row(figures, other_leader).assigned == 1


def test_an_assignment_that_ended_before_the_quarter_does_not_count(
    assign, leader, licun_clerk, licun, tianlu
) -> None:
    assignment = assign(licun_clerk, street=licun, starts_on=D(2026, 1, 1))
    services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 9, 30))
    assert cov(leader).assigned == 0
    assert cov(leader).officials == []
    assert cov(leader, "2026Q3").assigned == 1


def test_an_assignment_that_ends_during_the_quarter_counts(
    assign, leader, licun_clerk, licun, tianlu
) -> None:
    assignment = assign(licun_clerk, street=licun, starts_on=D(2026, 1, 1))
    services.assignment_end(by=leader, assignment=assignment, ends_on=D(2026, 10, 10))
    assert cov(leader).assigned == 1


def test_an_assignment_that_starts_after_the_quarter_does_not_count(
    assign, leader, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun, starts_on=D(2027, 1, 1))
    assert cov(leader).assigned == 0
    assert cov(leader, "2027Q1").assigned == 1


# --- what is visited ------------------------------------------------------------------------------


def test_a_final_visit_in_the_quarter_makes_the_enterprise_visited(
    assign, record, leader, licun_clerk, licun, tianlu, licun_key
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    figures = cov(leader)
    assert (figures.assigned, figures.visited, figures.not_visited) == (2, 1, 1)
    assert figures.rate == 0.5
    row = official_row(figures, licun_clerk)
    assert (row.assigned, row.visited, row.not_visited, row.visits) == (2, 1, 1, 1)


def test_visits_outside_the_quarter_do_not_count(
    assign, record, leader, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], date=D(2026, 9, 30))
    figures = cov(leader)
    assert figures.visited == 0
    assert official_row(figures, licun_clerk).visits == 0
    # ...but the last visit is known
    assert figures.enterprises[0].last_visit == D(2026, 9, 30)
    assert cov(leader, "2026Q3").visited == 1


def test_draft_visits_do_not_count(assign, record, leader, licun_clerk, licun, tianlu) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], complete=False)
    figures = cov(leader)
    assert figures.visited == 0
    assert figures.enterprises[0].last_visit is None
    row = official_row(figures, licun_clerk)
    assert (row.visited, row.visits, row.last_visit) == (0, 0, None)


def test_an_official_counts_only_the_visits_they_went_on(
    assign, record, leader, licun_clerk, other_leader, licun, tianlu, licun_key
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, street=licun)
    # recorded by the other leader, but only the street clerk went
    record(licun_clerk, [tianlu], by=other_leader, officials=[licun_clerk])
    figures = cov(leader)
    assert figures.visited == 1
    assert official_row(figures, licun_clerk).visited == 1
    other = official_row(figures, other_leader)
    assert (other.assigned, other.visited, other.visits) == (2, 0, 0)


def test_a_visit_of_two_officials_counts_for_both(
    assign, record, leader, licun_clerk, other_leader, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=tianlu)
    record(licun_clerk, [tianlu], officials=[licun_clerk, other_leader])
    figures = cov(leader)
    assert official_row(figures, licun_clerk).visited == 1
    assert official_row(figures, other_leader).visited == 1


def test_an_official_visiting_an_enterprise_not_assigned_to_them_does_not_cover_it(
    assign, record, leader, licun_clerk, other_leader, licun, tianlu, licun_key
) -> None:
    assign(licun_clerk, enterprise=licun_key)
    assign(other_leader, enterprise=tianlu)
    record(licun_clerk, [tianlu])
    figures = cov(leader)
    assert figures.visited == 1  # 天路集团 was visited, by someone
    assert official_row(figures, licun_clerk).visited == 0
    assert official_row(figures, licun_clerk).visits == 1
    assert official_row(figures, other_leader).visited == 0


def test_a_symposium_visits_every_enterprise_met(
    assign, record, leader, licun_clerk, licun, tianlu, licun_key
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu, licun_key], kind="symposium")
    figures = cov(leader)
    assert figures.visited == 2
    assert official_row(figures, licun_clerk).visits == 1


# --- targets --------------------------------------------------------------------------------------


def test_the_quarter_target_is_the_assignments_visits_per_quarter(
    assign, record, leader, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun, visits_per_quarter=2)
    record(licun_clerk, [tianlu], date=D(2026, 10, 2))
    row = cov(leader).enterprises[0]
    assert (row.target, row.visits, row.visited, row.on_target) == (2, 1, True, False)
    record(licun_clerk, [tianlu], date=D(2026, 10, 16))
    row = cov(leader).enterprises[0]
    assert (row.visits, row.on_target) == (2, True)
    assert official_row(cov(leader), licun_clerk).on_target == 1


def test_over_a_year_the_target_is_four_quarters(
    assign, record, leader, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], date=D(2026, 2, 10))
    year = cov(leader, "2026")
    assert (year.enterprises[0].target, year.enterprises[0].visits) == (4, 1)
    assert year.visited == 1
    assert official_row(year, licun_clerk).on_target == 0
    for day in (D(2026, 5, 6), D(2026, 8, 12), D(2026, 10, 9)):
        record(licun_clerk, [tianlu], date=day)
    year = cov(leader, "2026")
    assert year.enterprises[0].visits == 4
    assert official_row(year, licun_clerk).on_target == 1


def test_an_official_is_measured_against_their_own_target(
    assign, record, leader, licun_clerk, other_leader, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)  # once a quarter
    assign(other_leader, enterprise=tianlu, visits_per_quarter=3)
    record(licun_clerk, [tianlu], officials=[licun_clerk, other_leader])
    figures = cov(leader)
    assert figures.enterprises[0].target == 3
    assert official_row(figures, licun_clerk).on_target == 1
    assert official_row(figures, other_leader).on_target == 0


# --- days since the last visit and the stale list -------------------------------------------------


def test_days_since_the_last_visit(
    assign, record, leader, licun_clerk, licun, tianlu, licun_key
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], date=D(2026, 8, 1))
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    figures = cov(leader)
    rows = {row.name: row for row in figures.enterprises}
    assert (rows["天路集团"].last_visit, rows["天路集团"].days_since) == (D(2026, 10, 9), 11)
    assert (rows["海湾化工"].last_visit, rows["海湾化工"].days_since) == (None, None)
    official = official_row(figures, licun_clerk)
    assert (official.last_visit, official.days_since) == (D(2026, 10, 9), 11)


def test_for_a_past_quarter_days_are_counted_to_its_end(
    assign, record, leader, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], date=D(2026, 9, 20))
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))
    row = cov(leader, "2026Q3").enterprises[0]
    assert (row.last_visit, row.days_since) == (D(2026, 9, 20), 10)


def test_the_stale_list_holds_the_enterprises_not_visited_for_more_than_n_days(
    assign, record, leader, licun_clerk, licun, tianlu, licun_key, licun_small
) -> None:
    assign(licun_clerk, street=licun, key_only=False)
    record(licun_clerk, [tianlu], date=D(2026, 10, 9))  # 11 days ago
    record(licun_clerk, [licun_small], date=D(2026, 10, 19))  # yesterday
    assert names(cov(leader).stale) == ["海湾化工"]  # never visited
    assert names(cov(leader, stale_days=10).stale) == ["海湾化工", "天路集团"]
    assert names(cov(leader, stale_days=11).stale) == ["海湾化工"]
    assert names(cov(leader, stale_days=0).stale) == ["海湾化工", "天路集团", "李村小微商贸"]


# --- streets and red flags ------------------------------------------------------------------------


def test_per_street_totals(
    assign, record, leader, licun_clerk, other_leader, licun, loushan, tianlu, licun_key, ruifeng
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=ruifeng)
    record(licun_clerk, [tianlu])
    record(leader, [ruifeng])
    figures = cov(leader)
    assert len(figures.streets) == 11  # every street of the district, visited or not
    licun_row, loushan_row = street_row(figures, licun), street_row(figures, loushan)
    assert (licun_row.assigned, licun_row.visited, licun_row.not_visited) == (2, 1, 1)
    assert (loushan_row.assigned, loushan_row.visited, loushan_row.not_visited) == (1, 1, 0)
    assert sum(row.assigned for row in figures.streets) == figures.assigned == 3
    assert sum(row.visited for row in figures.streets) == figures.visited == 2


def test_open_red_flags_are_counted_per_street(
    assign, record, leader, licun_clerk, licun, loushan, tianlu, licun_key, ruifeng
) -> None:
    assign(licun_clerk, street=licun)
    record(licun_clerk, [tianlu], red_flags=[(tianlu, "layoffs", "二季度放假两周")])
    record(licun_clerk, [licun_key], red_flags=[(licun_key, "land", "扩产缺地")], complete=False)
    resolved = services.red_flag_raise(by=leader, enterprise=ruifeng, kind="financing", note="缺钱")
    services.red_flag_resolve(by=leader, flag=resolved, resolution="已对接银行")
    services.red_flag_raise(by=leader, enterprise=ruifeng, kind="relocation", note="拟外迁")
    figures = cov(leader)
    assert figures.red_flags_open == 2  # the draft's flag is not raised yet; one was resolved
    assert street_row(figures, licun).red_flags_open == 1
    assert street_row(figures, loushan).red_flags_open == 1


# --- scope ----------------------------------------------------------------------------------------


def test_a_street_clerk_sees_the_coverage_of_its_own_street(
    assign, record, leader, licun_clerk, other_leader, licun, loushan, tianlu, ruifeng
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=ruifeng)
    figures = cov(licun_clerk)
    assert figures.org_unit == licun
    assert [row.street for row in figures.streets] == [licun]
    assert names(figures.enterprises) == ["天路集团"]
    with pytest.raises(Http404):
        cov(licun_clerk, org_unit=loushan)


def test_a_leader_narrows_the_coverage_to_a_street(
    assign, leader, licun_clerk, other_leader, licun, loushan, tianlu, ruifeng
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=ruifeng)
    figures = cov(leader, org_unit=loushan)
    assert names(figures.enterprises) == ["瑞丰气体"]
    assert [row.official for row in figures.officials] == [other_leader]


def test_the_coverage_of_one_official(
    assign, leader, licun_clerk, other_leader, licun, tianlu, ruifeng
) -> None:
    assign(licun_clerk, street=licun)
    assign(other_leader, enterprise=ruifeng)
    figures = cov(leader, official=other_leader)
    assert names(figures.enterprises) == ["瑞丰气体"]
    assert [row.official for row in figures.officials] == [other_leader]


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin", "no_role_user"])
def test_others_get_no_coverage(request, who, assign, licun_clerk, licun, tianlu) -> None:
    assign(licun_clerk, street=licun)
    with pytest.raises(Http404):
        cov(request.getfixturevalue(who))


def test_an_outsider_sees_only_the_coverage_of_its_own_district(
    assign, outsider, laoshan, licun_clerk, licun, tianlu
) -> None:
    assign(licun_clerk, street=licun)
    figures = cov(outsider)
    assert figures.org_unit == laoshan
    assert (figures.assigned, figures.officials, figures.red_flags_open) == (0, [], 0)
    assert [row.street.name for row in figures.streets] == ["中韩街道"]


def test_an_outsider_cannot_ask_for_a_street_of_another_district(outsider, licun) -> None:
    with pytest.raises(Http404):
        cov(outsider, org_unit=licun)


# --- query count ----------------------------------------------------------------------------------


def _build(n: int, *, by: Any, official: Any, street: Any) -> None:
    for i in range(n):
        enterprise = EnterpriseFactory(street=street, is_key=True, name=f"重点企业{n}-{i}")
        if i % 2:
            services.visit_save(
                by=by,
                data=services.VisitInput(
                    date=D(2026, 10, 1 + i % 15),
                    enterprises=[enterprise],
                    officials=[official],
                    notes="走访",
                    answers={"output_outlook": "基本持平", "relocation": "no"},
                    red_flags=[(enterprise, "layoffs", "放假")] if i % 3 == 0 else [],
                ),
                complete=True,
            )


def test_the_coverage_takes_the_same_number_of_queries_for_few_and_many(
    django_assert_max_num_queries, assign, leader, licun_clerk, other_leader, licun, loushan
) -> None:
    assign(licun_clerk, street=licun)
    _build(2, by=licun_clerk, official=licun_clerk, street=licun)
    leader.refresh_from_db()
    with django_assert_max_num_queries(8):
        few = cov(leader)
    assert few.assigned == 2
    assign(other_leader, street=loushan)
    _build(12, by=licun_clerk, official=licun_clerk, street=licun)
    _build(12, by=leader, official=other_leader, street=loushan)
    leader.refresh_from_db()
    with django_assert_max_num_queries(8):
        many = cov(leader)
        assert [row.official.username for row in many.officials]
        assert len(many.stale) > 0
    assert many.assigned == 26
    assert Visit.objects.count() == 13
