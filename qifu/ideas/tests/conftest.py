"""Fixtures of the ideas tests: a REST client, the district's zones and departments, and a
builder that brings an idea to any state through the services.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区: moderates the district's ideas
and sees contacts in full), `jxj_clerk` and `zrj_clerk` (department staff: evaluate the ideas
given to their department, contacts masked), `licun_clerk` (street staff: no staff side at all),
`enterprise_user` (an enterprise account: the public side only), `outsider` (区领导 of 崂山区:
sees nothing of 李沧区's ideas). The public needs no account (`client` / `api` unauthenticated).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from qifu.core.models import Department, OrgUnit, Zone
from qifu.ideas import services
from qifu.ideas.models import Idea, Outcome, Status

_phones = itertools.count(13900000000)


def next_phone() -> str:
    """A fresh, valid mainland mobile number, so that per-contact limits never meet."""
    return str(next(_phones))


@pytest.fixture(autouse=True)
def _no_throttle_history() -> None:
    # DRF's throttles keep their history in the cache
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


@pytest.fixture
def zones(district: OrgUnit) -> dict[str, Zone]:
    # 李沧区's zones: east, central, west (codes as in the demo org)
    return {z.code: z for z in Zone.objects.filter(district=district)}


@pytest.fixture
def jxj(district: OrgUnit) -> Department:
    return Department.objects.get(district=district, code="jxj")


@pytest.fixture
def zrj(district: OrgUnit) -> Department:
    return Department.objects.get(district=district, code="zrj")


def idea_input(**overrides: Any) -> services.IdeaInput:
    values: dict[str, Any] = {
        "title": "在东部片区建设科技企业孵化器",
        "body": "建议利用老厂房改造为孵化器，吸引青年创业团队入驻，配套人才公寓。",
        "topic": "industry",
        "contact": next_phone(),
        "consent": True,
        "zone": "",
        "author_name": "王先生",
        "client_token": "",
    }
    values.update(overrides)
    return services.IdeaInput(**values)


@pytest.fixture
def submit(district: OrgUnit) -> Callable[..., Idea]:
    """Submit an idea as the public would (a fresh contact and address each time)."""
    counter = itertools.count(1)

    def make(**overrides: Any) -> Idea:
        ip = overrides.pop("ip", f"10.9.{next(counter)}.1")
        return services.idea_submit(
            data=idea_input(**overrides), ip=ip, district=district, captcha_passed=True
        ).idea

    return make


@pytest.fixture
def make_idea(submit: Callable[..., Idea], leader: Any, jxj: Department, jxj_clerk: Any) -> Any:
    """An idea brought to `status` through the services: submitted, published, evaluating (with
    经信局), answered (evaluating with a pending answer proposing `outcome`), adopted, declined,
    not_published, duplicate (of a fresh published idea) or withdrawn."""

    def make(status: str = Status.SUBMITTED, outcome: str = Outcome.ADOPT, **kw: Any) -> Idea:
        code_token = kw.pop("client_token", "")
        if status == Status.WITHDRAWN and not code_token:
            # withdrawing needs the tracking code, which only a token makes known in advance
            code_token = f"withdraw-{next(_phones)}"
        idea = submit(client_token=code_token, **kw)
        if status == Status.SUBMITTED:
            return idea
        if status == Status.NOT_PUBLISHED:
            return services.idea_reject(idea=idea, by=leader, reason="含有个人信息")
        if status == Status.WITHDRAWN:
            code = services.tracking_code_for(code_token)
            return services.idea_withdraw(idea=idea, code=code)
        if status == Status.DUPLICATE:
            target = services.idea_publish(idea=submit(title="已有的同类建议"), by=leader)
            return services.idea_mark_duplicate(idea=idea, by=leader, target=target)
        idea = services.idea_publish(idea=idea, by=leader)
        if status == Status.PUBLISHED:
            return idea
        idea = services.idea_assign(idea=idea, by=leader, department=jxj)
        if status == Status.EVALUATING:
            return idea
        due = timezone.localdate() + dt.timedelta(days=90)
        if status == "answered":
            services.idea_answer(
                idea=idea,
                by=jxj_clerk,
                text="经研究，拟采纳。",
                outcome=outcome,
                plan="年内完成选址" if outcome == Outcome.ADOPT else "",
                due_on=due if outcome == Outcome.ADOPT else None,
            )
            return Idea.objects.get(pk=idea.pk)
        if status == Status.ADOPTED:
            return services.idea_adopt(idea=idea, by=leader, plan="年内完成选址", due_on=due)
        if status == Status.DECLINED:
            return services.idea_decline(idea=idea, by=leader, reason="与现有规划不符")
        raise ValueError(status)

    return make
