"""Recording a visit: a half-written draft is saved as it is (and the same `client_token` is the
same visit), completing checks what a record needs, a completed visit never goes back to being a
draft, and only a draft is discarded. Only the officials of the visit change it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.visits import selectors, services
from qifu.visits.models import PlanStatus, RedFlag, Visit, VisitStatus
from qifu.visits.tests.conftest import CALM_ANSWERS, TODAY, D

pytestmark = pytest.mark.django_db


def full(official: Any, enterprises: list[Any], **values: Any) -> services.VisitInput:
    values.setdefault("date", D(2026, 10, 9))
    values.setdefault("notes", "了解企业生产经营情况")
    values.setdefault("answers", dict(CALM_ANSWERS))
    return services.VisitInput(enterprises=enterprises, officials=[official], **values)


# --- drafts ---------------------------------------------------------------------------------------


def test_a_half_written_draft_is_saved_without_complaint(licun_clerk) -> None:
    visit, created = services.visit_save(
        by=licun_clerk,
        data=services.VisitInput(notes="刚到企业，", answers={"relocation": "maybe"}),
    )
    assert created
    assert visit.status == VisitStatus.DRAFT
    assert visit.date == TODAY  # kept until the official changes it
    assert visit.notes == "刚到企业，"
    assert visit.answers == {}  # an answer that is not one yet is not kept
    assert list(visit.enterprises.all()) == []
    assert visit.completed_at is None
    assert AuditEvent.objects.get(action="visit.draft").actor == licun_clerk


def test_a_draft_is_saved_again_and_again(licun_clerk, tianlu) -> None:
    visit, _created = services.visit_save(by=licun_clerk, data=services.VisitInput(notes="一"))
    visit, created = services.visit_save(
        by=licun_clerk,
        visit=visit,
        data=services.VisitInput(notes="一、二", enterprises=[tianlu]),
    )
    assert not created
    visit.refresh_from_db()
    assert visit.notes == "一、二"
    assert list(visit.enterprises.all()) == [tianlu]
    assert Visit.objects.count() == 1


def test_the_same_client_token_twice_is_one_visit(licun_clerk, tianlu) -> None:
    first, created = services.visit_save(
        by=licun_clerk, data=services.VisitInput(notes="草稿"), client_token="t-1"
    )
    assert created
    again, created = services.visit_save(
        by=licun_clerk,
        data=services.VisitInput(notes="草稿，续写", enterprises=[tianlu]),
        client_token="t-1",
    )
    assert not created
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    again.refresh_from_db()
    assert again.notes == "草稿，续写"


def test_a_client_token_belongs_to_its_official(licun_clerk, leader) -> None:
    services.visit_save(by=licun_clerk, data=services.VisitInput(), client_token="t-1")
    services.visit_save(by=leader, data=services.VisitInput(), client_token="t-1")
    assert Visit.objects.count() == 2


def test_a_completed_visit_sent_again_with_its_token_stays_one_visit(licun_clerk, tianlu) -> None:
    data = full(licun_clerk, [tianlu])
    first, _c = services.visit_save(by=licun_clerk, data=data, complete=True, client_token="t-2")
    again, created = services.visit_save(
        by=licun_clerk, data=data, complete=True, client_token="t-2"
    )
    assert (again.pk, created) == (first.pk, False)
    assert Visit.objects.count() == 1


def test_a_draft_of_a_symposium_need_not_meet_two_enterprises_yet(licun_clerk, tianlu) -> None:
    visit, _created = services.visit_save(
        by=licun_clerk, data=services.VisitInput(kind="symposium", enterprises=[tianlu])
    )
    assert visit.kind == "symposium"


# --- completing -----------------------------------------------------------------------------------


def test_completing_makes_the_visit_final(licun_clerk, tianlu) -> None:
    draft, _created = services.visit_save(by=licun_clerk, data=services.VisitInput(notes="草稿"))
    visit, _created = services.visit_save(
        by=licun_clerk, visit=draft, data=full(licun_clerk, [tianlu]), complete=True
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.FINAL
    assert visit.completed_at is not None
    assert visit.answers["relocation"] is False
    assert AuditEvent.objects.filter(action="visit.complete").count() == 1


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ({"date": None}, "date"),
        ({"enterprises": []}, "enterprises"),
        ({"officials": []}, "officials"),
        ({"notes": "  "}, "notes"),
        ({"kind": "symposium"}, "enterprises"),
        ({"kind": "letter"}, "kind"),
    ],
)
def test_completing_needs_what_a_record_needs(licun_clerk, tianlu, missing, field) -> None:
    data = full(licun_clerk, [tianlu])
    for name, value in missing.items():
        setattr(data, name, value)
    with pytest.raises(ValidationError) as error:
        services.visit_save(by=licun_clerk, data=data, complete=True)
    assert field in error.value.message_dict
    assert not Visit.objects.exists()


def test_a_visit_cannot_be_recorded_for_a_future_date(licun_clerk, tianlu) -> None:
    with pytest.raises(ValidationError) as error:
        services.visit_save(by=licun_clerk, data=full(licun_clerk, [tianlu], date=D(2026, 10, 21)))
    assert "date" in error.value.message_dict


def test_a_street_clerk_cannot_record_a_visit_to_another_streets_enterprise(
    licun_clerk, ruifeng
) -> None:
    with pytest.raises(ValidationError) as error:
        services.visit_save(by=licun_clerk, data=full(licun_clerk, [ruifeng]), complete=True)
    assert "enterprises" in error.value.message_dict


def test_the_officials_are_of_the_recorders_district(licun_clerk, outsider, tianlu) -> None:
    data = full(licun_clerk, [tianlu])
    data.officials = [licun_clerk, outsider]
    with pytest.raises(ValidationError) as error:
        services.visit_save(by=licun_clerk, data=data, complete=True)
    assert "officials" in error.value.message_dict


@pytest.mark.parametrize("who", ["enterprise_user", "sysadmin", "no_role_user"])
def test_only_officials_record_visits(request, who) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_save(by=request.getfixturevalue(who), data=services.VisitInput())


def test_a_completed_visit_cannot_go_back_to_being_a_draft(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    with pytest.raises(services.TransitionError):
        services.visit_save(by=licun_clerk, visit=visit, data=full(licun_clerk, [tianlu]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.FINAL


def test_a_completed_visit_is_corrected_by_completing_it_again(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    services.visit_save(
        by=licun_clerk,
        visit=visit,
        data=full(licun_clerk, [tianlu], notes="更正：企业提出用地需求"),
        complete=True,
    )
    visit.refresh_from_db()
    assert (visit.status, visit.notes) == (VisitStatus.FINAL, "更正：企业提出用地需求")
    event = AuditEvent.objects.get(action="visit.update")
    assert event.changes["notes"][1] == "更正：企业提出用地需求"


def test_only_the_officials_of_a_visit_change_it(
    record, licun_clerk, other_leader, leader, tianlu
) -> None:
    visit = record(licun_clerk, [tianlu], officials=[licun_clerk, other_leader])
    services.visit_save(
        by=other_leader, visit=visit, data=full(licun_clerk, [tianlu]), complete=True
    )
    with pytest.raises(PermissionDenied):
        services.visit_save(by=leader, visit=visit, data=full(licun_clerk, [tianlu]), complete=True)


def test_completing_a_planned_visit_marks_the_plan_done(licun_clerk, tianlu) -> None:
    plan = services.plan_create(
        by=licun_clerk,
        date=TODAY,
        purpose="了解扩产用地需求",
        enterprises=[tianlu],
        officials=[licun_clerk],
    )
    draft, _c = services.visit_save(by=licun_clerk, data=services.VisitInput(plan=plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    services.visit_save(
        by=licun_clerk, visit=draft, data=full(licun_clerk, [tianlu], date=TODAY), complete=True
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE


# --- the official's red flags ---------------------------------------------------------------------


def test_a_red_flag_must_concern_an_enterprise_met(leader, tianlu, ruifeng) -> None:
    data = full(leader, [tianlu], red_flags=[(ruifeng, "layoffs", "听说要裁员")])
    with pytest.raises(ValidationError) as error:
        services.visit_save(by=leader, data=data, complete=True)
    assert "red_flags" in error.value.message_dict


def test_a_drafts_red_flags_are_raised_when_it_is_completed(licun_clerk, leader, tianlu) -> None:
    data = full(licun_clerk, [tianlu], red_flags=[(tianlu, "layoffs", "四季度放假")])
    draft, _c = services.visit_save(by=licun_clerk, data=data)
    assert RedFlag.objects.filter(visit=draft).count() == 1
    assert selectors.red_flags_for_user(user=leader).count() == 0
    services.visit_save(by=licun_clerk, visit=draft, data=data, complete=True)
    assert [f.kind for f in selectors.red_flags_for_user(user=leader)] == ["layoffs"]


def test_a_correction_drops_the_flags_taken_back_but_keeps_the_resolved_ones(
    record, licun_clerk, leader, tianlu
) -> None:
    visit = record(
        licun_clerk,
        [tianlu],
        red_flags=[(tianlu, "layoffs", "放假"), (tianlu, "land", "扩产缺地")],
    )
    land = RedFlag.objects.get(visit=visit, kind="land")
    services.red_flag_resolve(by=leader, flag=land, resolution="已协调用地指标")
    services.visit_save(
        by=licun_clerk, visit=visit, data=full(licun_clerk, [tianlu]), complete=True
    )
    assert [f.kind for f in RedFlag.objects.filter(visit=visit)] == ["land"]


# --- discarding -----------------------------------------------------------------------------------


def test_a_draft_is_discarded(licun_clerk, tianlu) -> None:
    draft, _c = services.visit_save(
        by=licun_clerk,
        data=services.VisitInput(enterprises=[tianlu], red_flags=[(tianlu, "other", "待核实")]),
    )
    services.visit_discard(by=licun_clerk, visit=draft)
    assert not Visit.objects.exists()
    assert not RedFlag.objects.exists()
    assert AuditEvent.objects.filter(action="visit.delete").count() == 1


def test_a_completed_visit_cannot_be_discarded(record, licun_clerk, tianlu) -> None:
    visit = record(licun_clerk, [tianlu])
    with pytest.raises(services.TransitionError):
        services.visit_discard(by=licun_clerk, visit=visit)
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_only_its_officials_discard_a_draft(licun_clerk, leader) -> None:
    draft, _c = services.visit_save(by=licun_clerk, data=services.VisitInput())
    with pytest.raises(PermissionDenied):
        services.visit_discard(by=leader, visit=draft)


def test_completing_reports_the_missing_fields_and_answers_together(licun_clerk, tianlu) -> None:
    data = services.VisitInput(
        date=D(2026, 10, 9), enterprises=[tianlu], officials=[licun_clerk], answers={}
    )
    with pytest.raises(ValidationError) as raised:
        services.visit_save(by=licun_clerk, data=data, complete=True)

    errors = raised.value.message_dict
    assert set(errors) == {"notes", "answers"}  # one round trip shows both
    assert len(errors["answers"]) == 2  # the two required questions
    assert Visit.objects.count() == 0
