"""services.project_create / project_update / key_list_create: who may, what must hold together
(one district for street, enterprise, leaders, department and list), and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.projects import services
from qifu.projects.models import Project
from qifu.projects.tests.conftest import D, department

pytestmark = pytest.mark.django_db


def test_the_investment_clerk_creates_a_project_with_one_audit_record(
    make_project, other_leader, leader, key_list, tcj_clerk
) -> None:
    from qifu.investment import services as investment

    channel = investment.channel_save(by=tcj_clerk, name="青岛温州商会", kind="chamber")
    before = AuditEvent.objects.filter(action="project.create").count()
    project = make_project(
        leader=other_leader,
        liaison_leader=leader,
        is_key=True,
        key_list=key_list,
        expected_start=D(2026, 7, 1),
        source_channel=channel,
        internal_note="投资方希望享受土地优惠",
    )
    project.refresh_from_db()
    assert project.leader == other_leader
    assert project.key_list == key_list
    assert project.investment_completed == Decimal("0")
    assert AuditEvent.objects.filter(action="project.create").count() == before + 1
    audit = AuditEvent.objects.filter(action="project.create").latest("id")
    assert audit.changes["total_investment"] == [None, "10000.00"]


def test_a_district_leader_creates_projects_too(make_project, leader) -> None:
    assert make_project(by=leader).created_by == leader


@pytest.mark.parametrize(
    "who", ["jxj_clerk", "licun_clerk", "enterprise_user", "outsider", "statistician", "sysadmin"]
)
def test_others_may_not_create_projects(who, request, make_project) -> None:
    with pytest.raises(PermissionDenied):
        make_project(by=request.getfixturevalue(who))
    assert not Project.objects.exists()


def test_the_required_fields_are_checked(make_project) -> None:
    with pytest.raises(ValidationError) as error:
        make_project(name="", investor="", total_investment=None)
    assert {"name", "investor", "total_investment"} <= set(error.value.message_dict)


def test_a_project_needs_a_street(make_project) -> None:
    with pytest.raises(ValidationError):
        make_project(street=None)


def test_a_negative_total_is_refused(make_project) -> None:
    with pytest.raises(ValidationError):
        make_project(total_investment=Decimal("-1"))


def test_an_unknown_field_is_a_programming_error(make_project) -> None:
    with pytest.raises(TypeError):
        make_project(stage="production")


def test_a_district_is_not_a_street(make_project, district) -> None:
    with pytest.raises(ValidationError):
        make_project(street=district)


def test_the_responsible_leader_is_a_leader_of_the_district(
    make_project, tcj_clerk, outsider
) -> None:
    for wrong in (tcj_clerk, outsider):
        with pytest.raises(ValidationError) as error:
            make_project(leader=wrong)
        assert "leader" in error.value.message_dict


def test_the_references_must_belong_to_the_district(make_project, laoshan, outsider) -> None:
    from qifu.core.models import Department, OrgUnit

    other_street = OrgUnit.objects.get(code="370212001")
    foreign = EnterpriseFactory(street=other_street)
    with pytest.raises(ValidationError) as error:
        make_project(
            enterprise=foreign,
            liaison_leader=outsider,
            lead_department=Department.objects.get(district=laoshan),
        )
    assert {"enterprise", "liaison_leader", "lead_department"} <= set(error.value.message_dict)


def test_a_key_list_is_only_for_key_projects(make_project, key_list) -> None:
    with pytest.raises(ValidationError) as error:
        make_project(is_key=False, key_list=key_list)
    assert "key_list" in error.value.message_dict


def test_the_update_records_what_changed(project, jxj_clerk) -> None:
    changes = services.project_update(
        by=jxj_clerk, project=project, total_investment=Decimal("12000"), investor="天路集团"
    )
    assert changes == {
        "investor": ["天路集团有限公司", "天路集团"],
        "total_investment": ["10000.00", "12000.00"],
    }
    assert AuditEvent.objects.filter(action="project.update").count() == 1
    assert services.project_update(by=jxj_clerk, project=project, investor="天路集团") == {}
    assert AuditEvent.objects.filter(action="project.update").count() == 1


def test_clearing_the_key_flag_takes_the_project_off_its_list(make_project, key_list, leader):
    project = make_project(is_key=True, key_list=key_list)
    services.project_update(by=leader, project=project, is_key=False)
    project.refresh_from_db()
    assert (project.is_key, project.key_list) == (False, None)


def test_the_stage_is_not_changed_by_an_update(project, tcj_clerk) -> None:
    with pytest.raises(TypeError):
        services.project_update(by=tcj_clerk, project=project, stage="production")


def test_a_project_stays_in_its_district(project, tcj_clerk, laoshan) -> None:
    from qifu.core.models import OrgUnit

    with pytest.raises(ValidationError):
        services.project_update(
            by=tcj_clerk, project=project, street=OrgUnit.objects.get(code="370212001")
        )


def test_moving_to_another_street_of_the_district_is_allowed(project, tcj_clerk, loushan):
    services.project_update(by=tcj_clerk, project=project, street=loushan)
    project.refresh_from_db()
    assert project.street == loushan


@pytest.mark.parametrize("who", ["zrj_clerk", "licun_clerk", "enterprise_user", "outsider"])
def test_others_may_not_update(who, request, project) -> None:
    with pytest.raises(PermissionDenied):
        services.project_update(by=request.getfixturevalue(who), project=project, name="改名")


def test_a_key_list_is_made_by_the_district_and_its_name_is_unique(tcj_clerk, district, key_list):
    with pytest.raises(ValidationError):
        services.key_list_create(by=tcj_clerk, district=district, name=key_list.name, year=2026)


def test_a_key_list_is_not_made_by_others(outsider, jxj_clerk, district) -> None:
    for user in (outsider, jxj_clerk):
        with pytest.raises(PermissionDenied):
            services.key_list_create(by=user, district=district, name="十大项目", year=2026)


def test_the_lead_department_is_the_districts(make_project) -> None:
    assert make_project(lead_department=department("zrj")).lead_department.code == "zrj"
