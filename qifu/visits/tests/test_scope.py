"""Who sees which visits: final visits to an enterprise in the user's scope, and the user's own;
a draft only by its officials. A street clerk sees its street's visits only; an outsider and an
enterprise user see none. The list's filters narrow what is seen, never widen it."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from qifu.visits import selectors, services
from qifu.visits.tests.conftest import D

pytestmark = pytest.mark.django_db


def seen(user: Any, **filters: Any) -> list[Any]:
    return list(selectors.visit_list_for_user(user=user, filters=selectors.VisitFilters(**filters)))


@pytest.fixture
def visits(record, leader, licun_clerk, loushan_clerk, tianlu, ruifeng) -> dict[str, Any]:
    """A final visit to 天路集团 (李村) by the street clerk, a final visit to 瑞丰气体 (楼山) by the
    leader, a draft of the leader to 天路集团 and a draft of the 楼山 clerk to 瑞丰气体."""
    return {
        "licun": record(licun_clerk, [tianlu], date=D(2026, 10, 9)),
        "loushan": record(leader, [ruifeng], date=D(2026, 10, 12)),
        "leader_draft": record(leader, [tianlu], complete=False),
        "loushan_draft": record(loushan_clerk, [ruifeng], complete=False),
    }


def test_a_street_clerk_sees_its_streets_visits_only(visits, licun_clerk) -> None:
    assert seen(licun_clerk) == [visits["licun"]]


def test_a_final_visit_to_another_streets_enterprise_is_invisible_to_a_street_clerk(
    visits, licun_clerk
) -> None:
    with pytest.raises(Http404):
        selectors.visit_get_for_user(user=licun_clerk, pk=visits["loushan"].pk)


def test_the_drafts_of_others_are_invisible(visits, licun_clerk, other_leader) -> None:
    with pytest.raises(Http404):
        selectors.visit_get_for_user(user=licun_clerk, pk=visits["leader_draft"].pk)
    assert seen(other_leader) == [visits["loushan"], visits["licun"]]


def test_a_leader_sees_every_final_visit_of_the_district_and_its_own_drafts(visits, leader) -> None:
    assert set(seen(leader)) == {visits["licun"], visits["loushan"], visits["leader_draft"]}


def test_an_official_on_a_draft_sees_it(record, leader, licun_clerk, tianlu) -> None:
    draft = record(leader, [tianlu], officials=[leader, licun_clerk], complete=False)
    assert selectors.visit_get_for_user(user=licun_clerk, pk=draft.pk) == draft


def test_a_department_clerk_sees_the_districts_final_visits(visits, jxj_clerk) -> None:
    assert set(seen(jxj_clerk)) == {visits["licun"], visits["loushan"]}


@pytest.mark.parametrize("who", ["outsider", "enterprise_user", "ruifeng_user", "sysadmin"])
def test_others_see_no_visit(request, visits, who) -> None:
    user = request.getfixturevalue(who)
    assert seen(user) == []
    with pytest.raises(Http404):
        selectors.visit_get_for_user(user=user, pk=visits["licun"].pk)


def test_a_symposium_across_two_streets_is_seen_by_both(
    record, leader, licun_clerk, loushan_clerk, tianlu, ruifeng
) -> None:
    visit = record(leader, [tianlu, ruifeng], kind="symposium")
    assert seen(licun_clerk) == [visit]
    assert seen(loushan_clerk) == [visit]


def test_a_bad_id_is_404(licun_clerk) -> None:
    for pk in ("abc", None, 10**9):
        with pytest.raises(Http404):
            selectors.visit_get_for_user(user=licun_clerk, pk=pk)


def test_red_flags_are_seen_in_scope(
    record, leader, licun_clerk, outsider, tianlu, ruifeng
) -> None:
    record(licun_clerk, [tianlu], red_flags=[(tianlu, "layoffs", "放假")])
    services.red_flag_raise(by=leader, enterprise=ruifeng, kind="land", note="缺地")
    assert [f.enterprise for f in selectors.red_flags_for_user(user=licun_clerk)] == [tianlu]
    assert selectors.red_flags_for_user(user=leader).count() == 2
    assert selectors.red_flags_for_user(user=outsider).count() == 0


def test_plans_are_seen_in_scope(leader, licun_clerk, loushan_clerk, outsider, ruifeng) -> None:
    plan = services.plan_create(
        by=leader, date=D(2026, 10, 30), purpose="走访", enterprises=[ruifeng], officials=[leader]
    )
    assert list(selectors.plans_for_user(user=loushan_clerk)) == [plan]
    assert list(selectors.plans_for_user(user=licun_clerk)) == []
    with pytest.raises(Http404):
        selectors.plan_get_for_user(user=outsider, pk=plan.pk)


# --- filters --------------------------------------------------------------------------------------


def test_the_list_filters(
    record, visits, leader, licun_clerk, other_leader, licun, loushan, tianlu, ruifeng
) -> None:
    phone = record(leader, [tianlu], kind="phone", date=D(2026, 7, 3), purpose="了解订单")
    flagged = record(
        other_leader, [ruifeng], date=D(2026, 10, 15), red_flags=[(ruifeng, "land", "缺地")]
    )
    assert seen(leader, kind="phone") == [phone]
    assert seen(leader, status="draft") == [visits["leader_draft"]]
    assert set(seen(leader, street=licun)) == {visits["licun"], visits["leader_draft"], phone}
    assert set(seen(leader, enterprise=ruifeng)) == {visits["loushan"], flagged}
    assert seen(leader, date_from=D(2026, 10, 13), date_to=D(2026, 10, 31)) == [flagged]
    assert seen(leader, date_to=D(2026, 9, 30)) == [phone]
    assert seen(leader, q="订单") == [phone]
    assert set(seen(leader, q="瑞丰")) == {visits["loushan"], flagged}
    assert seen(leader, official=other_leader) == [flagged]
    assert seen(leader, with_flags=True) == [flagged]
    assert set(seen(leader, mine=True)) == {visits["loushan"], visits["leader_draft"], phone}
    # a filter never widens: the street clerk asking for another street sees nothing
    assert seen(licun_clerk, street=loushan) == []
