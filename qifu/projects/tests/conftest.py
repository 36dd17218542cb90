"""Fixtures of the project tests: a fixed clock, the investment clerk, a key project list and
builders that make projects through the services and walk them through the stages.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区), `jxj_clerk` (区经济和信息化局,
the lead department of the projects built here), `zrj_clerk` (区自然资源局, responsible for land
obstacles), `licun_clerk` and `loushan_clerk` (streets), `enterprise_user` (天路集团, linked to the
default project), `ruifeng_user` (another enterprise), `outsider` (崂山区).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.core.models import Department
from qifu.projects import services
from qifu.projects.models import DateKind, KeyList, Project, Stage

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
# the tests' "now": Tuesday 2026-10-20, 10:00 Beijing time (after the National Day holiday)
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 32


def upload(name: str, content: bytes) -> Any:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def office_file(part: str) -> bytes:
    """A minimal Office Open XML package holding `part` (word/document.xml, xl/workbook.xml)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<document/>")
    return buffer.getvalue()


def department(code: str) -> Department:
    return Department.objects.get(district__code="370213", code=code)


@pytest.fixture(autouse=True)
def clock() -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Archive files go to a throwaway folder, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tcj_clerk(district) -> User:
    # 投促局 investment clerk of 李沧区: runs the project pipeline of the district
    return UserFactory(username="tcj_clerk", role=Role.INVESTMENT_STAFF, org_unit=district)


@pytest.fixture
def other_leader(district) -> User:
    # another district leader of 李沧区 (张副区长), responsible leader (挂钩) of projects
    return UserFactory(username="zhang_fqz", role=Role.DISTRICT_LEADER, org_unit=district)


@pytest.fixture
def statistician(district) -> User:
    # 统计局 staff: an official of the district whose role does not follow projects
    return UserFactory(username="tjj_clerk", role=Role.STATISTICS_STAFF, org_unit=district)


@pytest.fixture
def key_list(tcj_clerk, district) -> KeyList:
    # 2026年十大二产项目 of 李沧区
    return services.key_list_create(
        by=tcj_clerk, district=district, name="2026年十大二产项目", year=2026
    )


@pytest.fixture
def make_project(tcj_clerk, licun, tianlu) -> Callable[..., Project]:
    """A project of 天路集团 in 李村街道, 10000万元, led by 区经济和信息化局, negotiating since
    2026-01-05; pass fields to change any of that."""
    counter = iter(range(1, 1000))

    def make(**values: Any) -> Project:
        values = {
            "name": f"天路集团智能装备产业园{next(counter)}期",
            "investor": "天路集团有限公司",
            "enterprise": tianlu,
            "street": licun,
            "total_investment": Decimal("10000.00"),
            "industry_code": "3434",
            "lead_department": department("jxj"),
            **values,
        }
        by = values.pop("by", tcj_clerk)
        date = values.pop("date", D(2026, 1, 5))
        return services.project_create(by=by, date=date, **values)

    return make


@pytest.fixture
def project(make_project) -> Project:
    return make_project()


# The dates on which `walk` reaches each stage
STAGE_DATES = {
    Stage.SIGNED: D(2026, 2, 2),
    Stage.APPROVAL: D(2026, 3, 2),
    Stage.CONSTRUCTION: D(2026, 5, 6),
    Stage.PRODUCTION: D(2026, 9, 1),
}


@pytest.fixture
def walk(tcj_clerk) -> Callable[[Project, str], Project]:
    """Move a project along the main line up to `stage`, one step at a time, by the services."""

    def walk_to(project: Project, stage: str) -> Project:
        for step in (Stage.SIGNED, Stage.APPROVAL, Stage.CONSTRUCTION, Stage.PRODUCTION):
            project.refresh_from_db()
            if project.stage == stage:
                break
            signing = {DateKind.CONTRACT: STAGE_DATES[step]} if step == Stage.SIGNED else None
            project = services.stage_change(
                by=tcj_clerk,
                project=project,
                stage=step,
                date=STAGE_DATES[step],
                signing=signing,
            )
            if step == stage:
                break
        return project

    return walk_to
