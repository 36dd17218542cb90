"""services.appeal_dispute: a lead department says 非本部门职责 within 1 working day of the
assignment; the appeal goes back to the dispatcher, who reassigns it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from qifu.appeals import selectors, services
from qifu.appeals.models import Appeal, Status
from qifu.appeals.tests.conftest import SHANGHAI, department, frozen
from qifu.core.tests.helpers import is_chinese
from qifu.notices.models import Notification

pytestmark = pytest.mark.django_db


def assigned_on(appeal: Appeal, when: str) -> Appeal:
    """The assignment moved back in time (a queryset update: no clock to freeze)."""
    at = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    Appeal.objects.filter(pk=appeal.pk).update(assigned_at=at)
    appeal.refresh_from_db()
    return appeal


def dispute(flow, appeal: Appeal) -> Appeal:
    return services.appeal_dispute(
        by=flow.lead, appeal=appeal, reason="非本部门职责，应由住建局办理"
    )


@pytest.mark.parametrize(
    ("assigned", "today"),
    [
        ("2026-03-03 09:00", "2026-03-03 17:00"),  # the same day
        ("2026-03-02 15:00", "2026-03-03 10:00"),  # the next working day
        ("2026-03-06 16:00", "2026-03-09 09:00"),  # Friday, then Monday: 1 working day
        ("2026-02-14 11:00", "2026-02-24 09:00"),  # the worked Saturday, then after the festival
    ],
)
def test_a_dispute_within_1_working_day_goes_back_to_the_dispatcher(flow, assigned, today) -> None:
    appeal = assigned_on(flow.assigned(), assigned)

    with frozen(today):
        appeal = dispute(flow, appeal)

    assert appeal.status == Status.ACCEPTED
    assert appeal.lead_department is None
    assert appeal.assigned_at is None
    assert not appeal.co_departments.exists()
    event = appeal.events.order_by("-id").first()
    assert (event.action, event.note) == ("dispute", "非本部门职责，应由住建局办理")


@pytest.mark.parametrize(
    ("assigned", "today"),
    [
        ("2026-03-02 09:00", "2026-03-04 09:00"),  # two working days later
        ("2026-03-05 16:00", "2026-03-09 09:00"),  # Thursday, then Monday
        ("2026-02-13 16:00", "2026-02-24 09:00"),  # Friday, the worked Saturday, then Tuesday
    ],
)
def test_a_dispute_after_1_working_day_is_refused(flow, assigned, today) -> None:
    appeal = assigned_on(flow.assigned(), assigned)

    with frozen(today), pytest.raises(services.TransitionError) as refused:
        dispute(flow, appeal)

    assert is_chinese(str(refused.value))
    appeal.refresh_from_db()
    assert (appeal.status, appeal.lead_department.code) == (Status.ASSIGNED, "zrj")


def test_a_late_dispute_on_the_page_answers_409(client, flow) -> None:
    appeal = assigned_on(flow.assigned(), "2026-03-02 09:00")
    client.force_login(flow.lead)

    response = client.post(f"/appeals/{appeal.pk}/dispute/", {"reason": "非本部门职责"})

    assert response.status_code == 409
    assert is_chinese(response.context["error"])


def test_a_dispute_needs_a_reason(flow) -> None:
    appeal = flow.assigned()

    with pytest.raises(ValidationError):
        services.appeal_dispute(by=flow.lead, appeal=appeal, reason=" ")


def test_the_service_centre_is_told_to_reassign(flow, jxj_clerk) -> None:
    appeal = dispute(flow, flow.assigned())

    told = Notification.objects.filter(title__startswith=appeal.number, body__contains="非本部门")
    assert set(told.values_list("user", flat=True)) == {jxj_clerk.pk}


def test_the_dispatcher_reassigns_and_the_new_department_takes_it_over(flow, jxj_clerk) -> None:
    appeal = dispute(flow, flow.assigned())

    appeal = services.appeal_assign(by=jxj_clerk, appeal=appeal, department=department("zjj"))

    assert appeal.status == Status.ASSIGNED
    assert appeal.lead_department.code == "zjj"
    assert not selectors.appeals_for_user(user=flow.lead).filter(pk=appeal.pk).exists()
    assert selectors.appeals_for_user(user=flow.co).filter(pk=appeal.pk).exists()
    assert [e.action for e in appeal.events.order_by("id")][-3:] == ["assign", "dispute", "assign"]
    # the new lead may reply
    services.appeal_reply(by=flow.co, appeal=appeal, reply="已办理", cause="规划手续")


def test_after_a_dispute_the_page_sends_the_department_on_without_an_error(client, flow) -> None:
    appeal = flow.assigned()
    client.force_login(flow.lead)

    response = client.post(
        f"/appeals/{appeal.pk}/dispute/", {"reason": "非本部门职责"}, follow=True
    )

    assert response.status_code == 200
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
