"""A problem heard on a visit becomes an appeal in one step: through the appeals intake, with the
channel following the kind of visit, linked both ways, once per `client_token`, and only for an
enterprise met on the visit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals.models import Appeal, Status
from qifu.audit.models import AuditEvent
from qifu.visits import services
from qifu.visits.tests.conftest import category

pytestmark = pytest.mark.django_db


def raise_appeal(by: Any, visit: Any, enterprise: Any, **values: Any) -> Appeal:
    values.setdefault("category", category("land"))
    values.setdefault("title", "厂房产权证办理")
    values.setdefault("description", "企业反映新建厂房至今未办理产权证，影响融资抵押。")
    return services.visit_raise_appeal(by=by, visit=visit, enterprise=enterprise, **values)


def test_an_appeal_raised_from_a_visit_is_linked_both_ways(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    appeal = raise_appeal(licun_clerk, visit, tianlu)
    assert appeal.status == Status.SUBMITTED
    assert (appeal.enterprise, appeal.category.code, appeal.kind) == (tianlu, "land", "problem")
    assert appeal.submitted_by == licun_clerk
    assert list(visit.appeals.all()) == [appeal]
    assert list(appeal.visits.all()) == [visit]
    event = AuditEvent.objects.get(action="visit.raise_appeal")
    assert event.changes["appeal"] == [None, appeal.number]


@pytest.mark.parametrize(
    ("kind", "channel"),
    [("onsite", "visit"), ("phone", "phone"), ("video", "visit"), ("symposium", "symposium")],
)
def test_the_channel_follows_the_kind_of_visit(
    record, licun_clerk, tianlu, licun_key, kind, channel
) -> None:
    enterprises = [tianlu, licun_key] if kind == "symposium" else [tianlu]
    visit = record(licun_clerk, enterprises, kind=kind)
    assert raise_appeal(licun_clerk, visit, tianlu).channel == channel


def test_the_same_client_token_raises_one_appeal(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    first = raise_appeal(licun_clerk, visit, tianlu, client_token="a-1")
    again = raise_appeal(licun_clerk, visit, tianlu, client_token="a-1")
    assert again.pk == first.pk
    assert Appeal.objects.count() == 1
    assert visit.appeals.count() == 1
    assert AuditEvent.objects.filter(action="visit.raise_appeal").count() == 1


def test_several_problems_of_a_visit_become_several_appeals(
    record, licun_clerk, tianlu, licun_key
) -> None:
    visit = record(licun_clerk, [tianlu, licun_key], kind="symposium")
    raise_appeal(licun_clerk, visit, tianlu)
    raise_appeal(licun_clerk, visit, licun_key, category=category("finance"), title="流动资金贷款")
    assert sorted(a.enterprise.name for a in visit.appeals.all()) == ["天路集团", "海湾化工"]


def test_an_enterprise_not_met_on_the_visit_is_refused(
    record, licun_clerk, tianlu, licun_key
) -> None:
    visit = record(licun_clerk, [tianlu])
    with pytest.raises(ValidationError) as error:
        raise_appeal(licun_clerk, visit, licun_key)
    assert "enterprise" in error.value.message_dict
    assert not Appeal.objects.exists()


def test_an_appeal_needs_a_title_and_a_description(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    with pytest.raises(ValidationError):
        raise_appeal(licun_clerk, visit, tianlu, title=" ")
    with pytest.raises(ValidationError):
        raise_appeal(licun_clerk, visit, tianlu, description="")
    assert not Appeal.objects.exists()


def test_only_the_officials_of_the_visit_raise_appeals_from_it(
    record, licun_clerk, leader, tianlu
) -> None:
    visit = record(licun_clerk, [tianlu])
    with pytest.raises(PermissionDenied):
        raise_appeal(leader, visit, tianlu)


def test_a_draft_with_appeals_is_completed_not_discarded(licun_clerk, tianlu) -> None:
    draft, _c = services.visit_save(
        by=licun_clerk, data=services.VisitInput(enterprises=[tianlu], notes="现场记录")
    )
    raise_appeal(licun_clerk, draft, tianlu)
    with pytest.raises(services.TransitionError):
        services.visit_discard(by=licun_clerk, visit=draft)
