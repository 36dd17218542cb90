"""Time limits in working days on the official calendar: accept within 1, first reply within 3,
resolve within 15 (green channel 10); across the 2026 Spring Festival and into 2027 (whose
holidays are not published: provisional); and the deadline's colour."""

from __future__ import annotations

import datetime as dt

import pytest

from qifu.appeals import selectors, services
from qifu.appeals.models import Appeal, TimeLimits
from qifu.appeals.tests.conftest import frozen
from qifu.appeals.tests.factories import AppealFactory
from qifu.core import workdays
from qifu.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def plain(licun):
    # a retailer of 李村街道: no green channel, 15 working days to resolve
    return EnterpriseFactory(name="李村超市", street=licun, industry_code="5212")


def accept_on(leader, appeal: Appeal, when: str) -> Appeal:
    with frozen(when):
        return services.appeal_accept(by=leader, appeal=appeal)


# --- The Spring Festival of 2026 ------------------------------------------------------------


def test_the_calendar_has_the_2026_spring_festival() -> None:
    # 02-14 (Sat) and 02-28 (Sat) are worked; 02-15..02-23 are off
    assert workdays.is_working_day(D(2026, 2, 14))
    assert workdays.is_working_day(D(2026, 2, 28))
    assert not any(workdays.is_working_day(D(2026, 2, d)) for d in range(15, 24))


def test_submitted_on_the_friday_before_the_festival_it_is_accepted_by_the_worked_saturday(
    plain,
) -> None:
    with frozen("2026-02-13 15:00"):
        appeal = AppealFactory(enterprise=plain)

    assert appeal.accept_deadline == D(2026, 2, 14)
    assert appeal.deadline_provisional is False


def test_accepted_on_2026_02_13_the_deadline_skips_the_festival(leader, plain) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-02-13 10:00")

    # reply: 02-14, 02-24, 02-25; resolve: 02-14, 02-24..02-28 (Sat, worked), 03-02..03-06,
    # 03-09..03-12
    assert appeal.reply_deadline == D(2026, 2, 25)
    assert appeal.deadline == D(2026, 3, 12)
    assert appeal.deadline == workdays.add_working_days(D(2026, 2, 13), 15)
    assert appeal.deadline_provisional is False
    counted = [
        D(2026, 2, 13) + dt.timedelta(days=n)
        for n in range(1, (appeal.deadline - D(2026, 2, 13)).days + 1)
        if workdays.is_working_day(D(2026, 2, 13) + dt.timedelta(days=n))
    ]
    assert len(counted) == 15
    assert D(2026, 2, 14) in counted and D(2026, 2, 28) in counted
    assert not any(D(2026, 2, d) in counted for d in range(15, 24))


def test_on_the_green_channel_the_festival_is_skipped_too(leader, tianlu) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=tianlu), "2026-02-13 10:00")

    assert appeal.green_channel is True
    assert appeal.deadline == D(2026, 3, 5)


def test_accepted_on_the_worked_saturday_the_count_starts_after_the_festival(leader, plain) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-02-14 10:00")

    assert appeal.reply_deadline == D(2026, 2, 26)
    assert appeal.deadline == D(2026, 3, 13)


def test_a_time_limit_changed_by_the_admin_applies_to_the_next_acceptance(leader, plain) -> None:
    TimeLimits.objects.update(resolve_days=20, reply_days=5)

    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-03-02 09:00")

    assert appeal.reply_deadline == D(2026, 3, 9)
    assert appeal.deadline == D(2026, 3, 30)


# --- Into 2027 ------------------------------------------------------------------------------


def test_a_deadline_counted_into_2027_is_provisional(leader, plain) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-12-21 10:00")

    assert appeal.deadline.year == 2027
    assert appeal.deadline == workdays.add_working_days(D(2026, 12, 21), 15)
    assert appeal.deadline_provisional is True


def test_a_deadline_that_stays_in_2026_is_not_provisional(leader, plain) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-12-01 10:00")

    assert appeal.deadline == D(2026, 12, 22)
    assert appeal.deadline_provisional is False


def test_an_appeal_submitted_on_new_years_eve_is_accepted_by_a_provisional_date(plain) -> None:
    with frozen("2026-12-31 16:00"):
        appeal = AppealFactory(enterprise=plain)

    assert appeal.accept_deadline.year == 2027
    assert appeal.deadline_provisional is True


def test_the_page_and_the_api_say_the_deadline_is_provisional(client, api, leader, plain) -> None:
    appeal = accept_on(leader, AppealFactory(enterprise=plain), "2026-12-21 10:00")
    client.force_login(leader)
    api.force_authenticate(leader)

    html = client.get(f"/appeals/{appeal.pk}/").content.decode()
    body = api.get(f"/api/v1/appeals/{appeal.pk}/").json()

    assert f"{appeal.deadline:%Y-%m-%d}*" in html
    assert body["deadline_provisional"] is True
    assert body["deadline"] == appeal.deadline.isoformat()


def test_a_reopened_appeals_new_deadline_into_2027_is_provisional(flow) -> None:
    appeal = flow.replied()

    with frozen("2026-12-28 10:00"):
        appeal = services.appeal_rate(
            by=flow.enterprise_user, appeal=appeal, satisfaction="dissatisfied"
        )

    assert appeal.deadline.year == 2027
    assert appeal.deadline_provisional is True


# --- Colours --------------------------------------------------------------------------------


def running(appeal: Appeal, deadline: dt.date) -> Appeal:
    Appeal.objects.filter(pk=appeal.pk).update(deadline=deadline)
    appeal.refresh_from_db()
    return appeal


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (D(2026, 2, 12), "green"),  # 02-13, 02-14, 02-24: 3 working days left
        (D(2026, 2, 13), "green"),  # 02-14 and 02-24: 2 left
        (D(2026, 2, 14), "yellow"),  # only 02-24 left, though 10 calendar days away
        (D(2026, 2, 20), "yellow"),  # in the middle of the festival
        (D(2026, 2, 24), "yellow"),  # the day itself
        (D(2026, 2, 25), "red"),  # overdue
    ],
)
def test_the_colour_counts_working_days_left_across_the_festival(flow, today, colour) -> None:
    appeal = running(flow.in_progress(), D(2026, 2, 24))

    assert selectors.deadline_state(appeal, today) == colour


@pytest.mark.parametrize(
    ("today", "colour"),
    [
        (D(2026, 3, 4), "green"),  # Wednesday; due Monday: 3 left
        (D(2026, 3, 6), "yellow"),  # Friday; the weekend does not count: 1 left
        (D(2026, 3, 7), "yellow"),  # Saturday
        (D(2026, 3, 10), "red"),
    ],
)
def test_the_colour_skips_an_ordinary_weekend(flow, today, colour) -> None:
    appeal = running(flow.assigned(), D(2026, 3, 9))

    assert selectors.deadline_state(appeal, today) == colour


def test_a_submitted_appeal_is_coloured_by_its_acceptance_limit(flow) -> None:
    appeal = flow.submitted()
    Appeal.objects.filter(pk=appeal.pk).update(accept_deadline=D(2026, 3, 9))
    appeal.refresh_from_db()

    assert selectors.deadline_state(appeal, D(2026, 3, 10)) == "red"
    assert selectors.due_date(appeal) == D(2026, 3, 9)


@pytest.mark.parametrize("state", ["replied", "closed", "returned"])
def test_an_appeal_no_longer_running_has_no_colour(flow, state) -> None:
    appeal = flow.at(state)

    assert selectors.deadline_state(appeal, D(2030, 1, 1)) == ""


def test_the_list_shows_the_colour_of_each_deadline(client, flow) -> None:
    appeal = running(flow.in_progress(), D(2026, 2, 24))

    with frozen("2026-02-20 10:00"):
        client.force_login(flow.leader)
        html = client.get("/appeals/").content.decode()

    assert "deadline-yellow" in html
    assert "2026-02-24" in html
    assert appeal.number in html
