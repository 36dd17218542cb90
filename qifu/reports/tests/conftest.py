"""Fixtures of the report tests: a fixed clock in 2026Q4, a REST client, and `world`, visits and
appeals of 李沧区 in two quarters (2026Q3 and 2026Q4) built through the services, whose figures
the drafting tool must find.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区), `licun_clerk` (李村街道),
`loushan_clerk` (楼山街道), `zrj_clerk` (区自然资源局, handles the appeals), `jxj_clerk` (a
department of the district), `enterprise_user` (天路集团), `ruifeng_user` (瑞丰气体), `outsider`
(区领导 of 崂山区).

What `world` holds, in 2026Q4 (the report's period):

    visits (final)   onsite     天路集团                              李村   licun_clerk
                     symposium  天路集团, 海湾化工, 李村小微商贸       李村   licun_clerk
                     phone      瑞丰气体                              楼山   loushan_clerk
                     video      楼山重工                              楼山   leader
    a draft visit to 海湾化工 (not counted) and a final visit in 2026Q3 (not in this quarter)

    appeals          land     天路集团   visit        solved (a problem: cause and reply)
                     land     海湾化工   visit        assigned (in progress)
                     land     瑞丰气体   portal       returned
                     land     天路集团   visit        duplicate of the first (not counted)
                     finance  天路集团   portal       solved (a demand met by financing)
                     finance  楼山重工   raised from the video visit   submitted
                     labour   李村小微商贸 association                submitted
    2026Q3           land 天路集团; finance 天路集团, 瑞丰气体, 瑞丰气体

    red flags        financing 天路集团 (Q4), layoffs 瑞丰气体 (Q4), relocation 天路集团 (Q3),
                     all open; a resolved "other" flag on 瑞丰气体 (not counted)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from qifu.accounts.models import User
from qifu.appeals import services as appeals
from qifu.appeals.models import Appeal, Category
from qifu.core.models import Department
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.lib.quarters import Span
from qifu.reports import services
from qifu.reports.models import Report, ReportKind
from qifu.visits import services as visits
from qifu.visits.models import RedFlag, Visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
# the tests' "now": Friday 2026-11-20, 10:00 Beijing time, in 2026Q4
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
Q4, Q3 = Span(2026, 4), Span(2026, 3)

# complete answers to the seeded questionnaire that raise no red flag
CALM_ANSWERS: dict[str, Any] = {"output_outlook": "基本持平", "relocation": "no"}

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 32


def upload(name: str, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@contextmanager
def at(when: str) -> Iterator[None]:
    """The clock at `when` (ISO, Beijing time) for what is done inside."""
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture(autouse=True)
def clock() -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Attachments go to a throwaway folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_(api: APIClient, user: Any) -> APIClient:
    api.force_authenticate(user)
    return api


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(district__code="370213", code=code)


def record_visit(
    by: User,
    *,
    day: dt.date,
    kind: str,
    enterprises: list[Enterprise],
    officials: list[User] | None = None,
    flags: list[tuple[Enterprise, str]] = (),  # type: ignore[assignment]
    complete: bool = True,
) -> Visit:
    data = visits.VisitInput(
        date=day,
        kind=kind,
        purpose="走进企业",
        notes="了解企业生产经营情况和困难问题",
        officials=officials or [by],
        enterprises=enterprises,
        answers=dict(CALM_ANSWERS),
        red_flags=[(e, k, "走访中了解") for e, k in flags],
    )
    visit, _created = visits.visit_save(by=by, data=data, complete=complete)
    return visit


def submit(
    by: User,
    enterprise: Enterprise,
    code: str,
    *,
    channel: str = "visit",
    kind: str = "problem",
    title: str = "",
    description: str = "",
) -> Appeal:
    appeal, _created = appeals.appeal_submit(
        by=by,
        enterprise=enterprise,
        kind=kind,
        category=category(code),
        title=title or f"{enterprise.name}的{code}问题",
        description=description or "企业反映的问题需要协调解决。",
        channel=channel,
    )
    return appeal


@dataclass
class World:
    tianlu: Enterprise
    haiwan: Enterprise
    licun_small: Enterprise
    ruifeng: Enterprise
    loushan_heavy: Enterprise
    q4_visits: list[Visit]
    draft_visit: Visit
    q3_visit: Visit
    q4_appeals: list[Appeal]
    duplicate: Appeal
    q3_appeals: list[Appeal]
    flags: list[RedFlag] = field(default_factory=list)


def close_solved(appeal: Appeal, *, leader: User, handler: User, rater: User) -> Appeal:
    appeal = appeals.appeal_accept(by=leader, appeal=appeal)
    appeal = appeals.appeal_assign(by=leader, appeal=appeal, department=handler.department)
    if appeal.kind == "demand":
        appeal = appeals.appeal_reply(
            by=handler, appeal=appeal, reply="已对接银行授信", fulfilment="financing", met=True
        )
    else:
        appeal = appeals.appeal_reply(
            by=handler, appeal=appeal, reply="已补办土地手续", cause="历史遗留，未办理出让手续"
        )
    return appeals.appeal_rate(by=rater, appeal=appeal, satisfaction="satisfied")


@pytest.fixture
def world(
    tianlu, ruifeng, licun, loushan, leader, licun_clerk, loushan_clerk, zrj_clerk,
    enterprise_user, ruifeng_user,
) -> World:  # fmt: skip
    haiwan = EnterpriseFactory(name="海湾化工", street=licun, is_key=True)
    licun_small = EnterpriseFactory(name="李村小微商贸", street=licun, is_key=False)
    loushan_heavy = EnterpriseFactory(name="楼山重工", street=loushan, is_key=True)

    # 2026Q3
    with at("2026-08-01T09:00"):
        q3_visit = record_visit(
            licun_clerk,
            day=D(2026, 8, 1),
            kind="onsite",
            enterprises=[tianlu],
            flags=[(tianlu, "relocation")],
        )
    with at("2026-08-10T09:00"):
        q3_appeals = [
            submit(licun_clerk, tianlu, "land"),
            submit(licun_clerk, tianlu, "finance"),
            submit(loushan_clerk, ruifeng, "finance"),
            submit(loushan_clerk, ruifeng, "finance", channel="phone"),
        ]

    # 2026Q4
    with at("2026-10-10T09:00"):
        onsite = record_visit(
            licun_clerk,
            day=D(2026, 10, 10),
            kind="onsite",
            enterprises=[tianlu],
            flags=[(tianlu, "financing")],
        )
        land_tianlu = submit(
            licun_clerk,
            tianlu,
            "land",
            title="厂房土地证一直办不下来",
            description="我公司2015年建成的厂房至今没有土地证和房产证，影响银行贷款。"
            "希望协调自然资源部门尽快补办手续。",
        )
    with at("2026-10-15T09:00"):
        symposium = record_visit(
            licun_clerk,
            day=D(2026, 10, 15),
            kind="symposium",
            enterprises=[tianlu, haiwan, licun_small],
        )
        land_haiwan = submit(licun_clerk, haiwan, "land", title="新建仓库用地手续慢")
        labour = submit(
            licun_clerk, licun_small, "labour", channel="association", title="招工难<script>"
        )
    with at("2026-11-02T09:00"):
        phone = record_visit(
            loushan_clerk,
            day=D(2026, 11, 2),
            kind="phone",
            enterprises=[ruifeng],
            flags=[(ruifeng, "layoffs"), (ruifeng, "other")],
        )
        land_ruifeng, _created = appeals.appeal_submit(
            by=ruifeng_user,
            enterprise=ruifeng,
            kind="problem",
            category=category("land"),
            title="厂区道路产权不清",
            description="厂区道路产权不清，影响扩建。",
        )
        finance_tianlu, _created = appeals.appeal_submit(
            by=enterprise_user,
            enterprise=tianlu,
            kind="demand",
            category=category("finance"),
            title="需要流动资金贷款",
            description="订单增加，需要流动资金贷款2000万元。",
        )
    with at("2026-11-05T09:00"):
        video = record_visit(leader, day=D(2026, 11, 5), kind="video", enterprises=[loushan_heavy])
        finance_heavy = visits.visit_raise_appeal(
            by=leader,
            visit=video,
            enterprise=loushan_heavy,
            category=category("finance"),
            title="技改项目融资难",
            description="技改项目缺少抵押物，贷款难。",
        )
    with at("2026-11-10T09:00"):
        draft_visit = record_visit(
            licun_clerk, day=D(2026, 11, 10), kind="onsite", enterprises=[haiwan], complete=False
        )
        duplicate = submit(licun_clerk, tianlu, "land", title="土地证（重复）")
        duplicate = appeals.appeal_mark_duplicate(by=leader, appeal=duplicate, target=land_tianlu)
        close_solved(land_tianlu, leader=leader, handler=zrj_clerk, rater=enterprise_user)
        close_solved(finance_tianlu, leader=leader, handler=zrj_clerk, rater=enterprise_user)
        appeals.appeal_accept(by=leader, appeal=land_haiwan)
        appeals.appeal_assign(by=leader, appeal=land_haiwan, department=department("zrj"))
        appeals.appeal_return(by=leader, appeal=land_ruifeng, reason="属于民事纠纷")
        other = RedFlag.objects.get(enterprise=ruifeng, kind="other")
        visits.red_flag_resolve(by=leader, flag=other, resolution="已核实，无风险")

    q4 = [land_tianlu, land_haiwan, land_ruifeng, finance_tianlu, finance_heavy, labour]
    return World(
        tianlu=tianlu,
        haiwan=haiwan,
        licun_small=licun_small,
        ruifeng=ruifeng,
        loushan_heavy=loushan_heavy,
        q4_visits=[onsite, symposium, phone, video],
        draft_visit=draft_visit,
        q3_visit=q3_visit,
        q4_appeals=[Appeal.objects.get(pk=a.pk) for a in q4],
        duplicate=duplicate,
        q3_appeals=q3_appeals,
        flags=list(RedFlag.objects.all()),
    )


@pytest.fixture
def make_report(leader, district):
    """A report through the service: a draft of the leader on the district by default."""

    def make(by: User | None = None, **values: Any) -> Report:
        values = {
            "title": "我区企业当前面临的主要问题及对策",
            "kind": ReportKind.PROBLEMS,
            "org_unit": district,
            "period": "2026Q4",
            "body": "# 一、基本情况\n\n正文。\n",
            **values,
        }
        report, _created = services.report_create(by=by or leader, **values)
        return report

    return make


def captioned_tables(body: str) -> dict[str, list[list[str]]]:
    """The body's tables by caption (such as "走访企业情况（按走访方式）", without "表1　"),
    each as its rows of cell texts, the header row first."""
    from qifu.reports.markdown import blocks

    found: dict[str, list[list[str]]] = {}
    caption = ""
    for block in blocks(body):
        if block.kind == "paragraph" and block.text.startswith("表"):
            caption = block.text.split("\u3000", 1)[-1]
        elif block.kind == "table" and caption:
            cells = [block.header, *block.rows]
            found[caption] = [["".join(r.text for r in cell) for cell in row] for row in cells]
            caption = ""
        else:
            caption = ""
    return found
