"""Who may act on projects. Which projects a user may see is `selectors.projects_for_user`.

- The district's investment staff (招商) and district leaders run the pipeline: create projects,
  change stages, record obstacles, meetings, tasks and the timetable, approve the timetable.
- The lead department's staff do the same for the projects it leads, and submit the monthly
  inspection reports (月督查) of its key projects.
- A department responsible for an obstacle or owning a task updates that obstacle or task.
- An enterprise user reads its own project (without internal notes) and may add documents to
  its archive.
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES, Role


def _role(user: Any) -> str:
    return user.role if getattr(user, "is_authenticated", False) and user.is_active else ""


def _district_id(project: Any) -> int | None:
    return project.street.parent_id


def in_district(user: Any, district_id: int | None) -> bool:
    return district_id is not None and user.org_unit_id == district_id


def is_pipeline_staff(user: Any, district_id: int | None) -> bool:
    """Investment staff and district leaders of the district."""
    return _role(user) in (Role.INVESTMENT_STAFF, Role.DISTRICT_LEADER) and in_district(
        user, district_id
    )


def is_lead_department(user: Any, project: Any) -> bool:
    return (
        _role(user) == Role.DEPARTMENT_STAFF
        and project.lead_department_id is not None
        and user.department_id == project.lead_department_id
    )


def can_create(user: Any, district_id: int | None) -> bool:
    return is_pipeline_staff(user, district_id)


def can_manage(user: Any, project: Any) -> bool:
    """Edit the project, change its stage, record obstacles, tasks and milestones."""
    return is_pipeline_staff(user, _district_id(project)) or is_lead_department(user, project)


def can_approve_plan(user: Any, project: Any) -> bool:
    """The timetable's planned dates are fixed by a district leader or the investment staff."""
    return is_pipeline_staff(user, _district_id(project))


def can_submit_inspection(user: Any, project: Any) -> bool:
    return is_lead_department(user, project)


def can_record_meeting(user: Any, key_list: Any) -> bool:
    return is_pipeline_staff(user, key_list.district_id)


def can_handle_obstacle(user: Any, obstacle: Any) -> bool:
    """Update or resolve: the project's managers, or the department responsible."""
    if can_manage(user, obstacle.project):
        return True
    return (
        _role(user) == Role.DEPARTMENT_STAFF
        and obstacle.department_id is not None
        and user.department_id == obstacle.department_id
    )


def can_handle_task(user: Any, task: Any) -> bool:
    if can_manage(user, task.project):
        return True
    return _role(user) == Role.DEPARTMENT_STAFF and user.department_id == task.department_id


def is_own_enterprise(user: Any, project: Any) -> bool:
    return (
        _role(user) == Role.ENTERPRISE_USER
        and project.enterprise_id is not None
        and user.enterprise_id == project.enterprise_id
    )


def can_upload(user: Any, project: Any) -> bool:
    return can_manage(user, project) or is_own_enterprise(user, project)


def sees_internal(user: Any) -> bool:
    """Internal notes and internal documents are for officials only."""
    return _role(user) in OFFICIAL_ROLES


def can_open(user: Any) -> bool:
    """The module appears in the navigation: the roles that follow projects, and an enterprise
    user (its own projects)."""
    return _role(user) in (
        Role.INVESTMENT_STAFF,
        Role.DISTRICT_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.STREET_STAFF,
        Role.ENTERPRISE_USER,
    )


def can_open_board(user: Any) -> bool:
    """The key-project board, the timeline, the overdue lists and the leaders' projects: the
    officials who follow projects."""
    return _role(user) in (
        Role.INVESTMENT_STAFF,
        Role.DISTRICT_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.STREET_STAFF,
    )
