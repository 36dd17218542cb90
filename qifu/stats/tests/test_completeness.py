"""Who has reported: expected, handed in, accepted and on time by street, district and city; the
missing enterprises and the reminders sent to them; the reporting list kept in line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.audit.models import AuditEvent
from qifu.core import workdays
from qifu.core.models import OrgUnit, Zone
from qifu.enterprises.models import Enterprise, Status
from qifu.notices.models import Notification
from qifu.stats import periods, selectors, services
from qifu.stats.models import Listing, Reminder
from qifu.stats.periods import Period
from qifu.stats.tests.conftest import PERIOD, approve, enterprise, form, list_on, valid_figures

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def scene(dataset, clock, licun, loushan, tianlu, ruifeng):
    """李村: 天路 accepted on time, one submitted late, one draft, one returned;
    楼山: 瑞丰 submitted on time, one silent; and enterprises that are not expected."""
    due = periods.deadline(dataset, PERIOD)
    on_time, late = at(due, 23), at(due + dt.timedelta(days=1), 8)
    people = {
        "late": enterprise(licun, name="迟报公司"),
        "draft": enterprise(licun, name="草稿公司"),
        "back": enterprise(licun, name="退回公司"),
        "silent": enterprise(loushan, name="未报公司"),
    }
    list_on(dataset, tianlu, ruifeng, *people.values())
    figures = valid_figures()
    form(dataset, tianlu, PERIOD, figures, first_submitted_at=on_time)
    form(dataset, people["late"], PERIOD, figures, "submitted", first_submitted_at=late)
    form(dataset, people["draft"], PERIOD, figures, "draft")
    form(dataset, people["back"], PERIOD, figures, "returned", first_submitted_at=on_time)
    form(dataset, ruifeng, PERIOD, figures, "submitted", first_submitted_at=on_time)
    # not expected this period: never listed, left the list, joins later
    form(dataset, enterprise(licun), PERIOD, figures, first_submitted_at=on_time)
    gone, coming = enterprise(licun), enterprise(loushan)
    list_on(dataset, gone, until="202602")
    list_on(dataset, coming, since="202604")
    form(dataset, gone, PERIOD, figures, first_submitted_at=on_time)
    return people


def figures(row):
    return (row.expected, row.submitted, row.accepted, row.on_time)


def test_completeness_by_street(dataset, scene, licun, loushan):
    street = selectors.completeness(dataset=dataset, period=PERIOD, unit=licun)

    assert figures(street) == (4, 2, 1, 1)
    assert street.missing == 2
    assert street.rate == Decimal("50.0")
    assert street.on_time_rate == Decimal("25.0")
    assert street.children == []
    assert figures(selectors.completeness(dataset=dataset, period=PERIOD, unit=loushan)) == (
        2,
        1,
        0,
        1,
    )


def test_completeness_of_the_district_has_a_row_per_street(
    dataset, scene, district, licun, loushan, tjj
):
    approve(dataset, PERIOD, loushan, tjj)

    found = selectors.completeness(dataset=dataset, period=PERIOD, unit=district)

    assert figures(found) == (6, 3, 1, 2)
    assert found.missing == 3
    assert found.rate == Decimal("50.0")
    assert len(found.children) == 11
    rows = {row.unit.code: row for row in found.children}
    assert figures(rows["370213007"]) == (4, 2, 1, 1)
    assert figures(rows["370213006"]) == (2, 1, 0, 1)
    assert rows["370213006"].approved and not rows["370213007"].approved
    assert figures(rows["370213011"]) == (0, 0, 0, 0)
    assert rows["370213011"].rate is None
    assert not found.approved


def test_completeness_of_the_city_has_a_row_per_district(dataset, scene, district, laoshan):
    city = OrgUnit.objects.get(code="370200")
    other = enterprise(OrgUnit.objects.get(code="370212001"))
    list_on(dataset, other)

    found = selectors.completeness(dataset=dataset, period=PERIOD, unit=city)

    assert figures(found) == (7, 3, 1, 2)
    rows = {row.unit.code: row for row in found.children}
    assert set(rows) == {"370212", "370213"}
    assert figures(rows["370213"]) == (6, 3, 1, 2)
    assert figures(rows["370212"]) == (1, 0, 0, 0)


def test_completeness_of_a_zone(dataset, scene):
    central = Zone.objects.get(code="central")

    found = selectors.completeness(dataset=dataset, period=PERIOD, unit=central)

    assert figures(found) == (4, 2, 1, 1)
    assert [row.unit.code for row in found.children] == [
        "370213007",
        "370213008",
        "370213009",
        "370213010",
    ]


def test_completeness_counts_match_the_rows(dataset, scene, district, licun):
    assert selectors.completeness_counts(dataset=dataset, period=PERIOD, unit=district) == {
        "expected": 6,
        "submitted": 3,
        "accepted": 1,
        "on_time": 2,
    }
    assert (
        selectors.completeness_counts(dataset=dataset, period=PERIOD, unit=licun)["expected"] == 4
    )


def test_an_enterprise_listed_twice_is_expected_once(dataset, clock, licun, tianlu):
    list_on(dataset, tianlu, since="202401", until="202412")
    list_on(dataset, tianlu, since="202501")
    form(dataset, tianlu, PERIOD, valid_figures())

    found = selectors.completeness(dataset=dataset, period=PERIOD, unit=licun)

    assert figures(found)[:3] == (1, 1, 1)


def test_the_missing_enterprises_are_the_expected_ones_not_handed_in(
    dataset, scene, district, licun
):
    missing = list(selectors.missing_enterprises(dataset=dataset, period=PERIOD, unit=district))

    assert missing[0] == scene["silent"]  # 楼山 (…006) comes before 李村 (…007)
    assert set(missing) == {scene["silent"], scene["draft"], scene["back"]}
    in_licun = selectors.missing_enterprises(dataset=dataset, period=PERIOD, unit=licun)
    assert set(in_licun) == {scene["draft"], scene["back"]}
    expected = selectors.expected_enterprises(dataset=dataset, period=PERIOD, unit=None)
    assert expected.count() == 6


# --- reminders by hand -------------------------------------------------------------------------


def test_remind_notifies_the_users_of_the_missing_enterprises(
    dataset, scene, licun, licun_clerk, enterprise_user
):
    draft_user = UserFactory(role=Role.ENTERPRISE_USER, org_unit=licun, enterprise=scene["draft"])
    back_user = UserFactory(role=Role.ENTERPRISE_USER, org_unit=licun, enterprise=scene["back"])
    silent_user = UserFactory(
        role=Role.ENTERPRISE_USER, org_unit=scene["silent"].street, enterprise=scene["silent"]
    )

    sent = services.remind(by=licun_clerk, dataset=dataset, period=PERIOD, org_unit=licun)

    assert sent == 2
    assert Notification.objects.filter(user=draft_user).count() == 1
    assert Notification.objects.filter(user=back_user).count() == 1
    assert not Notification.objects.filter(user__in=[enterprise_user, silent_user]).exists()
    note = Notification.objects.get(user=draft_user)
    assert "2026-04-08" in note.title
    assert note.url.endswith("/form/202603/")
    event = AuditEvent.objects.get(action="stats.remind")
    assert sorted(event.changes["enterprises"]) == sorted([scene["draft"].pk, scene["back"].pk])


def test_a_reminder_by_hand_can_be_sent_again_the_same_day(dataset, scene, licun, licun_clerk):
    user = UserFactory(role=Role.ENTERPRISE_USER, org_unit=licun, enterprise=scene["draft"])

    services.remind(by=licun_clerk, dataset=dataset, period=PERIOD, org_unit=licun)
    services.remind(by=licun_clerk, dataset=dataset, period=PERIOD, org_unit=licun)

    assert Notification.objects.filter(user=user).count() == 2


def test_the_statistics_staff_remind_the_whole_district(dataset, scene, district, tjj):
    assert services.remind(by=tjj, dataset=dataset, period=PERIOD, org_unit=district) == 3


@pytest.mark.parametrize("who", ["loushan_clerk", "enterprise_user", "leader", "outsider"])
def test_others_may_not_remind_a_street(request, dataset, scene, licun, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.remind(by=user, dataset=dataset, period=PERIOD, org_unit=licun)
    assert not Notification.objects.exists()


# --- the daily job -----------------------------------------------------------------------------


@pytest.fixture
def cast(dataset, clock, enterprise_user, ruifeng_user, licun_clerk, loushan_clerk):
    return {
        "enterprises": [enterprise_user, ruifeng_user],
        "streets": [licun_clerk, loushan_clerk],
    }


def notes(users):
    return Notification.objects.filter(user__in=users).count()


def run(clock, today):
    clock.set(today)
    return services.tick(today=today)


def test_tick_lists_the_enterprises_that_qualify(dataset, cast, clock, tianlu, ruifeng):
    result = run(clock, dt.date(2026, 3, 25))

    assert result["joined"] == 2
    assert set(Listing.objects.values_list("enterprise__name", "since")) == {
        ("天路集团", "202603"),
        ("瑞丰气体", "202603"),
    }


def test_tick_reminds_enterprises_in_the_three_working_days_before_the_deadline(
    dataset, cast, clock
):
    due = periods.deadline(dataset, PERIOD)
    first = workdays.add_working_days(due, -3)
    assert (due, first) == (dt.date(2026, 4, 8), dt.date(2026, 4, 2))  # 清明: 4–6 April

    assert run(clock, first - dt.timedelta(days=1))["enterprises"] == 0
    assert notes(cast["enterprises"]) == 0

    assert run(clock, first)["enterprises"] == 2
    assert notes(cast["enterprises"]) == 2
    assert notes(cast["streets"]) == 0

    # once a day
    assert run(clock, first)["enterprises"] == 0
    assert notes(cast["enterprises"]) == 2

    assert run(clock, due)["enterprises"] == 2
    assert notes(cast["enterprises"]) == 4
    assert Reminder.objects.filter(kind="before").count() == 4


def test_tick_does_not_remind_an_enterprise_that_submitted(
    dataset, cast, clock, tianlu, enterprise_user, ruifeng_user
):
    run(clock, dt.date(2026, 3, 25))
    form(dataset, tianlu, PERIOD, valid_figures(), "submitted")

    assert run(clock, dt.date(2026, 4, 7))["enterprises"] == 1
    assert notes([enterprise_user]) == 0
    assert notes([ruifeng_user]) == 1


def test_tick_reminds_the_streets_after_the_deadline_once_a_day(
    dataset, cast, clock, tianlu, licun_clerk, loushan_clerk
):
    run(clock, dt.date(2026, 3, 25))
    form(dataset, tianlu, PERIOD, valid_figures(), "submitted")
    after = dt.date(2026, 4, 9)

    result = run(clock, after)

    assert result == {"enterprises": 0, "streets": 1, "joined": 0, "left": 0}
    assert notes([licun_clerk]) == 0
    note = Notification.objects.get(user=loushan_clerk)
    assert "瑞丰气体" in note.body
    assert note.url.endswith("?period=202603")
    assert notes(cast["enterprises"]) == 0

    assert run(clock, after)["streets"] == 0
    assert run(clock, after + dt.timedelta(days=1))["streets"] == 1
    assert notes([loushan_clerk]) == 2


def test_tick_keeps_reminding_the_streets_until_the_lock(dataset, cast, clock, loushan_clerk):
    run(clock, dt.date(2026, 3, 25))
    lock = periods.lock_date(dataset, PERIOD)
    # entry for April has opened, but March is still missing until its lock
    assert lock > dt.date(2026, 4, 20)

    assert run(clock, lock - dt.timedelta(days=1))["streets"] == 2
    assert notes(cast["streets"]) == 2
    assert run(clock, lock)["streets"] == 0


def test_tick_sends_nothing_on_quiet_days(dataset, cast, clock):
    for today in (dt.date(2026, 3, 25), dt.date(2026, 3, 31), dt.date(2026, 4, 1)):
        result = run(clock, today)
        assert (result["enterprises"], result["streets"]) == (0, 0)
    assert not Notification.objects.exists()


def test_tick_counts_once_a_day_by_the_day_it_is_given(dataset, enterprise_user, tianlu):
    # the job run for two days in a row (without the services' clock being set)
    services.tick(today=dt.date(2026, 4, 7))
    services.tick(today=dt.date(2026, 4, 8))

    assert notes([enterprise_user]) == 2
    assert set(Reminder.objects.values_list("sent_on", flat=True)) == {
        dt.date(2026, 4, 7),
        dt.date(2026, 4, 8),
    }


# --- the reporting list ------------------------------------------------------------------------


def test_listing_sync_adds_the_enterprises_that_qualify(dataset, licun, tianlu, ruifeng):
    small = enterprise(licun, is_above_scale=False)
    shop = enterprise(licun, industry_code="5212")
    power = enterprise(licun, industry_code="4411")
    mine = enterprise(licun, industry_code="0610")
    Enterprise.objects.filter(pk=enterprise(licun).pk).update(status=Status.CLOSED)

    result = services.listing_sync(dataset=dataset, period=PERIOD)

    assert result == {"joined": 4, "left": 0}
    joined = set(Listing.objects.values_list("enterprise_id", flat=True))
    assert joined == {tianlu.pk, ruifeng.pk, power.pk, mine.pk}
    assert small.pk not in joined and shop.pk not in joined
    assert set(Listing.objects.values_list("since", "until")) == {("202603", "")}
    event = AuditEvent.objects.get(action="stats.listing_sync")
    assert sorted(event.changes["joined"]) == sorted(joined)
    assert services.listing_sync(dataset=dataset, period=PERIOD) == {"joined": 0, "left": 0}
    assert AuditEvent.objects.filter(action="stats.listing_sync").count() == 1


def test_listing_sync_ends_the_listing_of_an_enterprise_that_no_longer_qualifies(
    dataset, tianlu, ruifeng
):
    services.listing_sync(dataset=dataset, period=Period(2026, 1))
    Enterprise.objects.filter(pk=tianlu.pk).update(is_above_scale=False)
    Enterprise.objects.filter(pk=ruifeng.pk).update(status=Status.RELOCATED)

    result = services.listing_sync(dataset=dataset, period=PERIOD)

    assert result == {"joined": 0, "left": 2}
    assert set(Listing.objects.values_list("since", "until")) == {("202601", "202602")}
    assert services.is_listed(dataset, tianlu, Period(2026, 2))
    assert not services.is_listed(dataset, tianlu, PERIOD)
    assert not selectors.expected_enterprises(dataset=dataset, period=PERIOD, unit=None).exists()


def test_listing_sync_forgets_a_listing_that_never_had_a_period(dataset, tianlu):
    services.listing_sync(dataset=dataset, period=PERIOD)
    Enterprise.objects.filter(pk=tianlu.pk).update(is_above_scale=False)

    assert services.listing_sync(dataset=dataset, period=PERIOD) == {"joined": 0, "left": 1}
    assert not Listing.objects.exists()


def test_an_enterprise_back_above_scale_is_listed_again(dataset, tianlu):
    services.listing_sync(dataset=dataset, period=Period(2025, 6))
    Enterprise.objects.filter(pk=tianlu.pk).update(is_above_scale=False)
    services.listing_sync(dataset=dataset, period=Period(2025, 9))
    Enterprise.objects.filter(pk=tianlu.pk).update(is_above_scale=True)

    services.listing_sync(dataset=dataset, period=PERIOD)

    assert sorted(Listing.objects.values_list("since", "until")) == [
        ("202506", "202508"),
        ("202603", ""),
    ]
    assert services.is_listed(dataset, tianlu, Period(2025, 7))
    assert not services.is_listed(dataset, tianlu, Period(2025, 12))
    assert services.is_listed(dataset, tianlu, PERIOD)
