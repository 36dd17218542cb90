"""Rating (评价): a satisfied rating closes the appeal; the first dissatisfied one reopens it (重办)
with a new deadline; the second closes it unresolved and flags it to the district leader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import selectors, services
from qifu.appeals.models import Satisfaction, Status
from qifu.appeals.tests.conftest import frozen
from qifu.core.tests.helpers import zh
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db


def rate(flow, appeal, satisfaction: str, comment: str = ""):
    return services.appeal_rate(
        by=flow.enterprise_user, appeal=appeal, satisfaction=satisfaction, comment=comment
    )


@pytest.mark.parametrize("level", ["very_satisfied", "satisfied", "basically_satisfied"])
def test_a_satisfied_rating_closes_the_appeal_as_resolved(flow, level) -> None:
    appeal = rate(flow, flow.replied(), level, "办得很快")

    assert appeal.status == Status.CLOSED
    assert appeal.resolved is True
    assert appeal.closed_at is not None
    assert (appeal.satisfaction, appeal.rating_comment) == (level, "办得很快")
    assert appeal.auto_rated is False
    assert appeal.flagged is False


def test_a_rating_outside_the_five_levels_is_refused(flow) -> None:
    with pytest.raises(ValidationError):
        rate(flow, flow.replied(), "meh")


def test_only_the_enterprise_that_wrote_rates(flow, ruifeng_user) -> None:
    appeal = flow.in_progress()
    services.appeal_join(by=ruifeng_user, appeal=appeal, note="同样问题")
    appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已办", cause="x")

    with pytest.raises(PermissionDenied):
        services.appeal_rate(by=ruifeng_user, appeal=appeal, satisfaction="satisfied")


@pytest.mark.parametrize("level", ["dissatisfied", "very_dissatisfied"])
def test_the_first_dissatisfied_rating_reopens_with_a_new_deadline(flow, level) -> None:
    appeal = flow.replied()

    with frozen("2026-03-02 10:00"):  # a Monday; 天路集团 is on the green channel: 10 days
        appeal = rate(flow, appeal, level, "土地证还是没拿到")

    assert appeal.status == Status.REOPENED
    assert appeal.reopen_count == 1
    assert appeal.deadline == dt.date(2026, 3, 16)
    assert appeal.deadline_provisional is False
    assert appeal.overdue is False
    assert appeal.closed_at is None
    assert appeal.events.order_by("-id").first().action == "reopen"
    told = Notification.objects.filter(user=flow.lead, body="土地证还是没拿到")
    assert told.exists()  # the lead department is told to handle it again


def test_a_reopened_appeal_is_handled_and_replied_again(flow) -> None:
    appeal = flow.reopened()

    appeal = services.appeal_progress(by=flow.lead, appeal=appeal, note="重新核查")
    appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已重新办理")
    appeal = rate(flow, appeal, Satisfaction.SATISFIED)

    assert (appeal.status, appeal.resolved, appeal.reopen_count) == (Status.CLOSED, True, 1)


def test_the_second_dissatisfied_rating_closes_unresolved_and_flags_the_leader(flow) -> None:
    appeal = flow.reopened()
    appeal = services.appeal_reply(by=flow.lead, appeal=appeal, reply="已重新办理")

    appeal = rate(flow, appeal, Satisfaction.VERY_DISSATISFIED, "仍未解决")

    assert appeal.status == Status.CLOSED
    assert appeal.resolved is False
    assert appeal.flagged is True
    assert appeal.reopen_count == 1
    assert appeal.events.order_by("-id").first().action == "close_unresolved"
    expected = f"{appeal.number} {zh('closed unresolved: dissatisfied twice')}"
    assert Notification.objects.filter(user=flow.leader, title=expected).exists()
    # and it waits in the leader's inbox
    boxes = {b["key"]: list(b["appeals"]) for b in selectors.inbox_for_user(user=flow.leader)}
    assert boxes["flagged"] == [appeal]


def test_the_page_shows_the_rating_and_its_comment(client, flow) -> None:
    appeal = rate(flow, flow.replied(), "basically_satisfied", "基本解决")
    client.force_login(flow.leader)

    html = client.get(f"/appeals/{appeal.pk}/").content.decode()

    assert zh("Basically satisfied") in html
    assert "基本解决" in html
