"""The command centre's filters (`filters_for`: period, street and zone, and what a user may not
use) and its one-minute cache (`dashboard_for_user`, `fresh`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from django.utils import timezone

from qifu.core.models import Zone
from qifu.dashboard import selectors
from qifu.dashboard.selectors import FilterError, dashboard_for_user, filters_for
from qifu.dashboard.tests import fakes
from qifu.lib.quarters import Span

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 20)


@pytest.fixture(autouse=True)
def _today(monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def params(text: str = "") -> QueryDict:
    return QueryDict(text)


# --- the period ------------------------------------------------------------------------------


def test_the_period_is_this_quarter_by_default(leader, district):
    filters = filters_for(user=leader, params=params())
    assert filters.span == Span(2026, 2)
    assert (filters.first_day, filters.last_day) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert filters.district == district
    assert filters.street is None and filters.zone is None


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2025Q4", Span(2025, 4)),
        ("2026q1", Span(2026, 1)),
        ("2025", Span(2025)),
        (" 2026 ", Span(2026)),
    ],
)
def test_the_period_is_a_quarter_or_a_year(leader, text, span):
    assert filters_for(user=leader, params=params(f"period={text}")).span == span


@pytest.mark.parametrize("text", ["2026Q5", "Q2", "26", "1999", "2026-05", "abc"])
def test_a_period_that_is_neither_is_refused_with_a_message(leader, text):
    with pytest.raises(FilterError, match="2026Q4"):
        filters_for(user=leader, params=params(f"period={text}"))


# --- street and zone -------------------------------------------------------------------------


def test_a_leader_filters_by_a_street_of_the_district(leader, licun):
    filters = filters_for(user=leader, params=params(f"street={licun.code}"))
    assert filters.street == licun and filters.zone is None


def test_a_leader_filters_by_a_zone_of_the_district(leader, district):
    zone = Zone.objects.get(district=district, code=Zone.objects.filter(district=district)[0].code)
    filters = filters_for(user=leader, params=params(f"zone={zone.code}"))
    assert filters.zone == zone and filters.street is None


def test_a_street_wins_over_a_zone(leader, licun, loushan):
    filters = filters_for(
        user=leader, params=params(f"street={licun.code}&zone={loushan.zone.code}")
    )
    assert filters.street == licun and filters.zone is None


def test_a_street_or_zone_of_another_district_is_refused(leader, laoshan):
    with pytest.raises(FilterError):
        filters_for(user=leader, params=params("street=370212001"))
    Zone.objects.create(district=laoshan, code="laoshan-east", name="崂山东部")
    with pytest.raises(FilterError):
        filters_for(user=leader, params=params("zone=laoshan-east"))


def test_an_unknown_street_or_zone_is_refused(leader):
    with pytest.raises(FilterError):
        filters_for(user=leader, params=params("street=999999999"))
    with pytest.raises(FilterError):
        filters_for(user=leader, params=params("zone=nowhere"))


def test_the_outsider_cannot_filter_by_a_street_of_licang(outsider, licun, laoshan):
    with pytest.raises(FilterError):
        filters_for(user=outsider, params=params(f"street={licun.code}"))
    assert filters_for(user=outsider, params=params()).district == laoshan
    assert filters_for(user=outsider, params=params("street=370212001")).street.name == "中韩街道"


def test_a_street_clerks_street_is_fixed(licun_clerk, licun, loushan):
    assert filters_for(user=licun_clerk, params=params()).street == licun
    # another street in the query is ignored: the clerk's own street stays
    filters = filters_for(user=licun_clerk, params=params(f"street={loushan.code}"))
    assert filters.street == licun
    filters = filters_for(user=licun_clerk, params=params(f"zone={loushan.zone.code}"))
    assert filters.street == licun and filters.zone is None


def test_the_query_of_a_list_leaves_out_empty_values(leader, licun):
    filters = filters_for(user=leader, params=params(f"street={licun.code}&period=2025"))
    assert filters.query(period=str(filters.span), street=licun.code, zone=None, x="") == (
        f"period=2025&street={licun.code}"
    )


# --- the cache -------------------------------------------------------------------------------


def test_the_dashboard_is_read_once_a_minute_and_fresh_reads_it_again(monkeypatch, leader, tianlu):
    calls = fakes.install(monkeypatch)
    filters = filters_for(user=leader, params=params())
    first = dashboard_for_user(user=leader, filters=filters)
    assert [s.key for s in first.sections] == ["enterprises", "appeals", "stats"]
    assert calls.count("enterprises") == 1

    again = dashboard_for_user(user=leader, filters=filters)
    assert calls.count("enterprises") == 1  # from the cache
    assert again.read_at == first.read_at

    later = first.read_at + dt.timedelta(seconds=30)
    monkeypatch.setattr(selectors.timezone, "now", lambda: later)
    fresh = dashboard_for_user(user=leader, filters=filters, fresh=True)
    assert calls.count("enterprises") == 2
    assert fresh.read_at == later
    # the fresh read replaces the cached one
    assert dashboard_for_user(user=leader, filters=filters).read_at == later


def test_the_cache_keeps_for_a_minute(monkeypatch, leader):
    stored: dict[str, int] = {}
    fakes.install(monkeypatch)
    monkeypatch.setattr(
        selectors.cache, "set", lambda key, value, timeout: stored.update({key: timeout})
    )
    dashboard_for_user(user=leader, filters=filters_for(user=leader, params=params()))
    assert list(stored.values()) == [selectors.CACHE_SECONDS] == [60]


def test_other_filters_and_other_scopes_are_not_served_from_the_cache(
    monkeypatch, leader, licun_clerk, loushan_clerk, licun, tianlu, ruifeng
):
    calls = fakes.install(monkeypatch)
    board = dashboard_for_user(user=leader, filters=filters_for(user=leader, params=params()))
    assert board.section("enterprises").figure("enterprises.total").value == 2

    by_street = dashboard_for_user(
        user=leader, filters=filters_for(user=leader, params=params(f"street={licun.code}"))
    )
    assert by_street.section("enterprises").figure("enterprises.total").value == 1
    by_year = dashboard_for_user(
        user=leader, filters=filters_for(user=leader, params=params("period=2026"))
    )
    assert by_year.filters.span == Span(2026)

    licun_board = dashboard_for_user(
        user=licun_clerk, filters=filters_for(user=licun_clerk, params=params())
    )
    loushan_board = dashboard_for_user(
        user=loushan_clerk, filters=filters_for(user=loushan_clerk, params=params())
    )
    assert calls.count("enterprises") == 5
    assert licun_board.section("stats") is None  # a street clerk's role does not see it
    assert [
        b.section("enterprises").figure("enterprises.total").value
        for b in (licun_board, loushan_board)
    ] == [1, 1]
    assert licun_board.filters.street == licun
    assert loushan_board.filters.street.name == "楼山街道"


def test_two_leaders_of_the_district_share_the_cached_figures(monkeypatch, leader, district):
    from qifu.accounts.models import Role
    from qifu.accounts.tests.factories import UserFactory

    calls = fakes.install(monkeypatch)
    other = UserFactory(username="leader2", role=Role.DISTRICT_LEADER, org_unit=district)
    dashboard_for_user(user=leader, filters=filters_for(user=leader, params=params()))
    dashboard_for_user(user=other, filters=filters_for(user=other, params=params()))
    assert calls.count("enterprises") == 1


def test_the_outsider_gets_its_own_district_never_the_cached_licang_figures(
    monkeypatch, leader, outsider, tianlu, ruifeng
):
    fakes.install(monkeypatch)
    licang = dashboard_for_user(user=leader, filters=filters_for(user=leader, params=params()))
    laoshan = dashboard_for_user(user=outsider, filters=filters_for(user=outsider, params=params()))
    assert licang.section("enterprises").figure("enterprises.total").value == 2
    assert laoshan.section("enterprises").figure("enterprises.total").value == 0
    assert laoshan.filters.district.name == "崂山区"
