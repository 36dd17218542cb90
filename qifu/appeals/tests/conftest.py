"""Fixtures of the appeals tests: a REST client, a fixed clock, and `flow`, which walks an appeal
of 天路集团 through the workflow with the cast.

The cast comes from qifu/conftest.py: `leader` and `jxj_clerk` dispatch (区经济和信息化局 is
the demo's enterprise service centre), `zrj_clerk` (区自然资源局) leads, `zjj_clerk`
(区住房和城乡建设局) co-handles, `enterprise_user` writes for 天路集团 and rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from qifu.accounts.models import User
from qifu.appeals import services
from qifu.appeals.models import Appeal, Kind, Satisfaction, Status
from qifu.appeals.tests.factories import category
from qifu.core.models import Department

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def frozen(when: str) -> Iterator[dt.datetime]:
    """The clock stopped at `when` (ISO, Beijing time), for services, selectors and auto_now.

    A session made before is dropped if `when` lies after its expiry: log in inside the block.
    """
    moment = dt.datetime.fromisoformat(when)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def status_label(status: str) -> str:
    """The Chinese name of a status, as pages show it."""
    with translation.override("zh-hans"):
        return str(Status(status).label)


def department(code: str) -> Department:
    return Department.objects.get(district__code="370213", code=code)


def set_status(appeal: Appeal, status: str, **fields: Any) -> Appeal:
    """Put an appeal in a state directly (a queryset update), to test what each state allows."""
    Appeal.objects.filter(pk=appeal.pk).update(status=status, **fields)
    appeal.refresh_from_db()
    return appeal


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Attachments are written to a throwaway folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


class Flow:
    """One appeal of 天路集团 walked to a given state by the cast, through the services."""

    def __init__(self, *, leader: User, lead: User, co: User, enterprise_user: User) -> None:
        self.leader, self.lead, self.co, self.enterprise_user = leader, lead, co, enterprise_user

    def submitted(self, **values: Any) -> Appeal:
        values = {
            "kind": Kind.PROBLEM,
            "category": category("land"),
            "title": "厂房土地证一直办不下来",
            "description": "我公司2015年建成的厂房至今没有土地证和房产证，影响贷款。",
            **values,
        }
        appeal, _created = services.appeal_submit(
            by=self.enterprise_user, enterprise=self.enterprise_user.enterprise, **values
        )
        return appeal

    def returned(self, **values: Any) -> Appeal:
        return services.appeal_return(
            by=self.leader, appeal=self.submitted(**values), reason="不属于政府职责范围"
        )

    def accepted(self, **values: Any) -> Appeal:
        return services.appeal_accept(by=self.leader, appeal=self.submitted(**values))

    def assigned(self, *, co: bool = True, **values: Any) -> Appeal:
        return services.appeal_assign(
            by=self.leader,
            appeal=self.accepted(**values),
            department=self.lead.department,
            co_departments=[self.co.department] if co else [],
        )

    def in_progress(self, **values: Any) -> Appeal:
        return services.appeal_progress(
            by=self.lead, appeal=self.assigned(**values), note="已到现场核实厂房情况"
        )

    def replied(self, **values: Any) -> Appeal:
        appeal = self.in_progress(**values)
        if appeal.kind == Kind.DEMAND:
            return services.appeal_reply(
                by=self.lead, appeal=appeal, reply="已对接银行", fulfilment="financing", met=True
            )
        return services.appeal_reply(
            by=self.lead, appeal=appeal, reply="已补办土地手续", cause="历史遗留，未办理出让手续"
        )

    def closed(self, **values: Any) -> Appeal:
        return services.appeal_rate(
            by=self.enterprise_user, appeal=self.replied(**values), satisfaction="satisfied"
        )

    def reopened(self, **values: Any) -> Appeal:
        return services.appeal_rate(
            by=self.enterprise_user,
            appeal=self.replied(**values),
            satisfaction=Satisfaction.DISSATISFIED,
            comment="还是没有办下来",
        )

    def at(self, status: str, **values: Any) -> Appeal:
        return getattr(self, status)(**values)


@pytest.fixture
def flow(leader, zrj_clerk, zjj_clerk, enterprise_user) -> Flow:
    return Flow(leader=leader, lead=zrj_clerk, co=zjj_clerk, enterprise_user=enterprise_user)
