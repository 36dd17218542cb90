"""Quarterly scheduling meetings (季调度): one decision per project discussed, each a task of the
task list (任务单), which its owner department moves on and completes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.audit.models import AuditEvent
from qifu.projects import selectors, services
from qifu.projects.models import Document, DocumentCategory, Task, TaskStatus
from qifu.projects.tests.conftest import EXE, PDF, TODAY, D, department, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_project, key_list):
    return (
        make_project(name="鲁抗医药物流中心", is_key=True, key_list=key_list),
        make_project(name="蒙牛乳业物流中心", is_key=True, key_list=key_list),
    )


def decisions(a, b):
    return [
        {
            "project": a,
            "what": "10月底前完成供地",
            "department": department("zrj"),
            "due": D(2026, 10, 31),
        },
        {
            "project": b,
            "what": "协调电力增容",
            "department": department("jxj"),
            "due": D(2026, 10, 16),
        },
    ]


def record(by, key_list, items, **kwargs):
    kwargs.setdefault("date", D(2026, 10, 9))
    kwargs.setdefault("attendees", "区长、分管副区长、发改局、自然资源局、经信局")
    return services.meeting_record(
        by=by, key_list=key_list, title="2026年第三季度重点项目调度会", decisions=items, **kwargs
    )


def test_each_decision_becomes_a_task(two, key_list, leader) -> None:
    meeting = record(leader, key_list, decisions(*two), place="区政府第一会议室")
    tasks = list(Task.objects.filter(meeting=meeting).order_by("project__name"))
    assert [(t.project, t.department.code, t.due, t.status) for t in tasks] == [
        (two[1], "jxj", D(2026, 10, 16), TaskStatus.OPEN),
        (two[0], "zrj", D(2026, 10, 31), TaskStatus.OPEN),
    ]
    audit = AuditEvent.objects.get(action="project_meeting.create")
    assert sorted(audit.changes["projects"][1]) == sorted(p.pk for p in two)


def test_one_decision_per_project(two, key_list, leader) -> None:
    items = decisions(two[0], two[0])
    with pytest.raises(ValidationError, match="2"):
        record(leader, key_list, items)
    assert not Task.objects.exists()


def test_a_project_off_the_list_is_refused(two, make_project, key_list, leader) -> None:
    items = decisions(two[0], make_project(name="非重点"))
    with pytest.raises(ValidationError):
        record(leader, key_list, items)


def test_the_meeting_needs_its_decisions_attendees_and_a_past_date(two, key_list, leader):
    with pytest.raises(ValidationError):
        record(leader, key_list, [])
    with pytest.raises(ValidationError):
        record(leader, key_list, decisions(*two), date=D(2026, 10, 21))
    with pytest.raises(ValidationError):
        record(leader, key_list, decisions(*two), date=D(2026, 10, 20), attendees=" ")
    with pytest.raises(ValidationError):
        items = decisions(*two)
        items[0]["due"] = D(2026, 10, 1)  # before the meeting
        record(leader, key_list, items)


def test_the_minutes_go_to_each_projects_archive_as_internal(two, key_list, tcj_clerk) -> None:
    meeting = record(tcj_clerk, key_list, decisions(*two), minutes=upload("会议纪要.pdf", PDF))
    documents = Document.objects.filter(meeting=meeting)
    assert {d.project for d in documents} == set(two)
    assert {(d.category, d.is_internal, d.name) for d in documents} == {
        (DocumentCategory.MINUTES, True, "会议纪要.pdf")
    }
    for d in documents:
        assert d.file.read() == PDF


def test_bad_minutes_refuse_the_whole_record(two, key_list, tcj_clerk) -> None:
    with pytest.raises(ValidationError):
        record(tcj_clerk, key_list, decisions(*two), minutes=upload("纪要.pdf", EXE))
    assert not Task.objects.exists()


@pytest.mark.parametrize("who", ["jxj_clerk", "licun_clerk", "enterprise_user", "outsider"])
def test_others_do_not_record_meetings(who, request, two, key_list) -> None:
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), key_list, decisions(*two))


# --- the task list -----------------------------------------------------------------------------


@pytest.fixture
def tasks(two, key_list, leader):
    record(leader, key_list, decisions(*two))
    return {t.department.code: t for t in Task.objects.all()}


def test_the_owner_department_moves_its_task_on_and_completes_it(tasks, zrj_clerk) -> None:
    task = tasks["zrj"]
    changes = services.task_update(
        by=zrj_clerk, task=task, status=TaskStatus.IN_PROGRESS, note="已报市政府审批"
    )
    assert changes["status"] == ["open", "in_progress"]
    done = services.task_complete(by=zrj_clerk, task=task, done_on=D(2026, 10, 19))
    assert (done.status, done.done_on) == (TaskStatus.DONE, D(2026, 10, 19))
    with pytest.raises(services.TransitionError):
        services.task_complete(by=zrj_clerk, task=task)
    with pytest.raises(services.TransitionError):
        services.task_update(by=zrj_clerk, task=task, note="x")


def test_completion_is_dated_today_by_default_and_never_in_the_future(tasks, jxj_clerk):
    with pytest.raises(ValidationError):
        services.task_complete(by=jxj_clerk, task=tasks["jxj"], done_on=D(2026, 10, 21))
    assert services.task_complete(by=jxj_clerk, task=tasks["jxj"]).done_on == TODAY


def test_done_is_set_by_completing(tasks, zrj_clerk) -> None:
    with pytest.raises(ValidationError):
        services.task_update(by=zrj_clerk, task=tasks["zrj"], status=TaskStatus.DONE)


def test_another_department_may_not_touch_the_task(tasks, zjj_clerk, licun_clerk) -> None:
    for user in (zjj_clerk, licun_clerk):
        with pytest.raises(PermissionDenied):
            services.task_complete(by=user, task=tasks["zrj"])


def test_a_task_may_be_added_outside_a_meeting(two, tcj_clerk, laoshan) -> None:
    from qifu.core.models import Department

    task = services.task_add(
        by=tcj_clerk,
        project=two[0],
        what="组织银企对接",
        department=department("czj"),
        due=D(2026, 11, 6),
    )
    assert task.meeting is None
    with pytest.raises(ValidationError):
        services.task_add(
            by=tcj_clerk,
            project=two[0],
            what="x",
            department=Department.objects.get(district=laoshan),
            due=D(2026, 11, 6),
        )


def test_overdue_tasks(tasks, tcj_clerk, jxj_clerk, zrj_clerk) -> None:
    # today 10-20: 经信局's task was due 10-16
    assert [t.department.code for t in selectors.overdue_tasks(user=tcj_clerk)] == ["jxj"]
    assert [t.department.code for t in selectors.overdue_tasks(user=zrj_clerk)] == []
    services.task_complete(by=jxj_clerk, task=tasks["jxj"])
    assert not selectors.overdue_tasks(user=tcj_clerk).exists()
    later = selectors.overdue_tasks(user=tcj_clerk, today=D(2026, 11, 2))
    assert [t.department.code for t in later] == ["zrj"]


def test_the_task_list_filters(tasks, tcj_clerk, two) -> None:
    def listed(**filters):
        return {
            t.department.code for t in selectors.tasks_for_user(user=tcj_clerk, filters=filters)
        }

    assert listed(department="zrj") == {"zrj"}
    assert listed(project=two[1].pk) == {"jxj"}
    assert listed(open=True) == {"zrj", "jxj"}
    assert listed(status=TaskStatus.DONE) == set()
