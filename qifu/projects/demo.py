"""The demo's projects (项目全程跟踪 and 项目建设), as the seed tells them.

- The seed's projects, opened from the investment demo's leads (`services.project_from_lead`):
  鲁抗医药物流中心 (7000万元) and 蒙牛乳业物流中心 (8000万元) with their contracts signed,
  英派尔 MTBE 项目 with its land lease signed, 利客来物流 with the investment intent signed and
  the start expected next July, 青岛城市物流配送基地 (4亿元) and 五金商贸城 (2.5亿元) in
  preliminary work.
- The list 「<year>年十大二产项目」 of 李沧区: ten key secondary-industry projects, each with its
  lead department and responsible leader, a year of monthly inspection reports (two of them still
  missing this month's), a timetable approved with overdue (red), due-soon (yellow) and reached
  (green) milestones, four quarterly scheduling meetings whose decisions are tasks (some done,
  some overdue). On the board of this month: 9 started, 5 past 30% of their total investment,
  4 to complete ahead of plan. 青汽技改 (青岛汽车厂) is the one still to start, next July; two
  of the ten come from leads too.
- A few obstacles, one raised as an appeal of its enterprise, and a few documents (tiny PDFs and
  PNGs made here) in the archives.

Everything goes through the services (the investment clerk `tcj`, the leaders, the lead
departments' staff), so it is checked and audited like real work. Dates are relative to today.
Idempotent: a project that exists (by name, in the district) is left as it is; the meetings are
recorded once per list.
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Role, User
from qifu.core import workdays
from qifu.core.models import Department, OrgUnit
from qifu.enterprises.models import Enterprise
from qifu.projects import services
from qifu.projects.models import (
    DateKind,
    DocumentCategory,
    KeyList,
    ObstacleStatus,
    ObstacleType,
    Project,
    Stage,
)
from qifu.stats.periods import Period

DISTRICT = "370213"
KEY_LIST_SUFFIX = "年十大二产项目"
D = dt.timedelta


def _today() -> dt.date:
    return timezone.localdate()


# --- tiny valid files -----------------------------------------------------------------------------


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF with an ASCII title, its cross-reference table right."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(rgb: tuple[int, int, int] = (70, 130, 180), size: int = 8) -> bytes:
    """A small single-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- the seed's projects, from the investment leads -----------------------------------------------

# lead title, stage reached (signing kind), days ago: opened, signed; extra values
SEED_PROJECTS: list[dict[str, Any]] = [
    {
        "lead": "鲁抗医药物流中心",
        "investor": "鲁抗医药股份有限公司",
        "total": 7000,
        "street": "370213011",
        "opened": 34,
        "signed": (DateKind.CONTRACT, 20),
        "department": "swj",
        "note": "合同已签，待办理用地手续",
    },
    {
        "lead": "蒙牛乳业物流中心",
        "investor": "内蒙古蒙牛乳业（集团）股份有限公司",
        "total": 8000,
        "street": "370213006",
        "opened": 28,
        "signed": (DateKind.CONTRACT, 12),
        "department": "swj",
        "note": "合同已签，冷链库选址楼山物流园地块",
    },
    {
        "lead": "英派尔 MTBE 项目",
        "investor": "英派尔化工有限公司",
        "total": 15000,
        "street": "370213006",
        "opened": 50,
        "signed": (DateKind.LAND_LEASE, 15),
        "department": "jxj",
        "note": "土地出让合同已签，环评待批",
    },
    {
        "lead": "利客来物流",
        "investor": "青岛利客来集团",
        "total": 12000,
        "street": "370213010",
        "opened": 45,
        "signed": (DateKind.INTENT, 14),
        "department": "swj",
        "expected_start": "next_july",
        "note": "投资意向书已签，预计明年7月开工",
    },
    {
        "lead": "青岛城市物流配送基地",
        "investor": "青岛城市物流配送有限公司",
        "total": 40000,
        "street": "370213011",
        "opened": 38,
        "department": "fgj",
        "note": "前期工作：明确用地范围，编制可研",
    },
    {
        "lead": "五金商贸城",
        "investor": "浙江义乌五金城投资有限公司",
        "total": 25000,
        "street": "370213008",
        "opened": 27,
        "department": "swj",
        "note": "前期工作：考察虎山路片区商业用地",
    },
]


# --- the ten key projects (十大二产项目) ----------------------------------------------------------


@dataclass(frozen=True)
class Key:
    name: str
    investor: str
    street: str
    industry: str
    total: int  # 万元
    department: str
    leader: str
    enterprise: str = ""
    lead: str = ""  # the investment lead it is opened from
    started: int | None = None  # days ago construction started; None: not yet
    ratio: str = "0"  # cumulative over total at the latest report
    ahead: bool = False
    production: int | None = None  # days ago production began
    red: bool = False  # a milestone overdue
    yellow: bool = False  # a milestone due within 2 working days
    reports_this_month: bool = True


KEY_PROJECTS: list[Key] = [
    Key(
        "青汽技改项目",
        "青岛汽车厂",
        "370213001",
        "3611",
        26000,
        "jxj",
        "zhang_fqz",
        enterprise="青岛汽车厂",
    ),
    Key(
        "天路集团智能装备产业园项目",
        "天路集团有限公司",
        "370213007",
        "3434",
        30000,
        "jxj",
        "leader",
        enterprise="天路集团",
        started=420,
        ratio="0.62",
        ahead=True,
    ),
    Key(
        "瑞丰气体电子特气扩产项目",
        "瑞丰气体",
        "370213006",
        "2619",
        12000,
        "kjj",
        "li_fqz",
        enterprise="瑞丰气体",
        started=330,
        ratio="0.45",
        ahead=True,
    ),
    Key(
        "崂山电子新型电子元器件生产线",
        "崂山电子",
        "370213008",
        "3982",
        15000,
        "kjj",
        "li_fqz",
        enterprise="崂山电子",
        started=300,
        ratio="0.38",
        red=True,
    ),
    Key(
        "路达实业精密铸造技改项目",
        "路达实业公司",
        "370213006",
        "3391",
        8000,
        "jxj",
        "zhao_fqz",
        enterprise="路达实业公司",
        started=480,
        ratio="0.95",
        ahead=True,
        production=60,
    ),
    Key(
        "玖琦化工新材料项目",
        "玖琦化工",
        "370213006",
        "2614",
        20000,
        "hbj",
        "sun_fqz",
        enterprise="玖琦化工",
        started=270,
        ratio="0.33",
        ahead=True,
    ),
    Key(
        "洁新再生资源循环经济产业园",
        "洁新再生资源有限公司",
        "370213005",
        "4220",
        10000,
        "hbj",
        "zhou_fqz",
        enterprise="洁新再生资源有限公司",
        started=240,
        ratio="0.22",
        red=True,
    ),
    Key(
        "汽车玻璃配套项目",
        "福耀玻璃工业集团",
        "370213001",
        "3670",
        18000,
        "jxj",
        "zhang_fqz",
        lead="汽车玻璃配套项目",
        started=180,
        ratio="0.18",
        yellow=True,
        reports_this_month=False,
    ),
    Key(
        "晓星新材料项目",
        "韩国晓星集团",
        "370213011",
        "2651",
        50000,
        "zjj",
        "zhou_fqz",
        lead="新材料项目",
        started=150,
        ratio="0.12",
    ),
    Key(
        "港机重工智能起重装备基地",
        "青岛港机重工有限公司",
        "370213008",
        "3431",
        22000,
        "zrj",
        "zhao_fqz",
        started=100,
        ratio="0.06",
        reports_this_month=False,
    ),
]


class _Cast:
    def __init__(self, district: OrgUnit, clerk: User, leader: User) -> None:
        self.district, self.clerk, self.leader = district, clerk, leader
        self.departments = {d.code: d for d in Department.objects.filter(district=district)}
        self.staff: dict[str, User] = {}
        for user in User.objects.filter(
            role=Role.DEPARTMENT_STAFF, is_active=True, department__district=district
        ).order_by("pk"):
            self.staff.setdefault(user.department.code, user)
        self.leaders = {
            u.username: u
            for u in User.objects.filter(
                role=Role.DISTRICT_LEADER, is_active=True, org_unit=district
            )
        }

    def department(self, code: str) -> tuple[Department, User | None]:
        """The lead department, or 区经济和信息化局 when the department has no staff to report."""
        if code not in self.staff and "jxj" in self.staff:
            code = "jxj"
        return self.departments[code], self.staff.get(code)

    def enterprise(self, name: str) -> Enterprise | None:
        if not name:
            return None
        return Enterprise.objects.filter(name=name, street__parent=self.district).first()


def _months_between(a: Period, b: Period) -> int:
    return (b.year * 12 + b.month) - (a.year * 12 + a.month)


def _plain(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def _next_july(today: dt.date) -> dt.date:
    return dt.date(today.year + 1, 7, 1)


def _open(
    cast: _Cast, *, lead_title: str, opened: dt.date, values: dict[str, Any]
) -> tuple[Project, bool]:
    """A project from its lead when the lead is still open, else directly (`values` carry the
    investor, total investment and street either way)."""
    from qifu.investment.models import OPEN_LEAD_STATUSES, Lead

    lead = (
        Lead.objects.filter(district=cast.district, title=lead_title)
        .select_related("preferred_street", "channel")
        .first()
        if lead_title
        else None
    )
    if lead is not None and lead.status in OPEN_LEAD_STATUSES:
        return services.project_from_lead(by=cast.clerk, lead=lead, date=opened, **values), True
    values = {"name": lead_title, **values}
    return services.project_create(by=cast.clerk, date=opened, **values), False


def _walk(cast: _Cast, project: Project, steps: list[tuple[Any, dt.date]], signing: Any) -> Project:
    for stage, day in steps:
        project = services.stage_change(
            by=cast.clerk,
            project=project,
            stage=stage,
            date=day,
            signing={signing: day} if stage == Stage.SIGNED else None,
        )
    return project


def _seed_projects(cast: _Cast, today: dt.date, made: dict[str, int]) -> None:
    for row in SEED_PROJECTS:
        title = row["lead"]
        if Project.objects.filter(street__parent=cast.district, name=title).exists():
            continue
        department, _staff = cast.department(row["department"])
        values: dict[str, Any] = {
            "investor": row["investor"],
            "total_investment": Decimal(row["total"]),
            "street": OrgUnit.objects.get(code=row["street"]),
            "lead_department": department,
            "internal_note": row["note"],
            "leader": cast.leader,
        }
        if row.get("expected_start") == "next_july":
            values["expected_start"] = _next_july(today)
        project, converted = _open(
            cast, lead_title=title, opened=today - D(days=row["opened"]), values=values
        )
        made["projects"] += 1
        made["from_leads"] += converted
        if "signed" in row:
            kind, days = row["signed"]
            _walk(cast, project, [(Stage.SIGNED, today - D(days=days))], kind)


def _milestones(
    cast: _Cast, project: Project, key: Key, today: dt.date, start: dt.date | None
) -> None:
    by = cast.clerk
    add = services.milestone_add
    if start is None:  # not started: the plan runs from the expected start
        expected = project.expected_start or _next_july(today)
        add(by=by, project=project, name="开工建设", planned=expected)
        add(by=by, project=project, name="主体结构封顶", planned=expected + D(days=240))
        add(
            by=by,
            project=project,
            name="竣工投产",
            planned=expected + D(days=540),
            is_completion=True,
        )
        services.milestone_plan_approve(by=by, project=project)
        return
    structure = start + (today - start) / 2
    plan: list[tuple[str, dt.date, dt.date | None]]
    completion: tuple[dt.date, dt.date | None, dt.date | None]
    if key.production is not None:
        produced = today - D(days=key.production)
        plan = [
            ("开工建设", start, start),
            ("主体结构封顶", start + D(days=180), start + D(days=170)),
            ("设备安装调试", produced - D(days=40), produced - D(days=50)),
        ]
        completion = (today + D(days=30), None, produced)
    else:
        plan = [
            ("开工建设", start, start),
            (
                "主体结构封顶",
                today - D(days=20) if key.red else structure,
                None if key.red else structure,
            ),
            (
                "设备安装调试",
                _plain(workdays.add_working_days(today, 1)) if key.yellow else today + D(days=60),
                None,
            ),
        ]
        completion = (today + D(days=200), today + D(days=140) if key.ahead else None, None)
    milestones = []
    for name, planned, _actual in plan:
        milestones.append(add(by=by, project=project, name=name, planned=planned))
    planned, forecast, actual = completion
    final = add(
        by=by,
        project=project,
        name="竣工投产",
        planned=planned,
        forecast=forecast,
        is_completion=True,
    )
    services.milestone_plan_approve(by=by, project=project)
    for milestone, (_name, _planned, reached) in zip(milestones, plan, strict=True):
        if reached is not None:
            services.milestone_actual(by=by, milestone=milestone, actual=reached)
    if actual is not None:
        services.milestone_actual(by=by, milestone=final, actual=actual)


PROGRESS = [
    "土建施工有序推进",
    "主体结构施工，完成进度符合计划",
    "设备采购招标完成，部分设备到场",
    "厂房钢结构安装",
    "配套道路及管网施工",
    "设备安装调试",
]


def _inspections(cast: _Cast, project: Project, key: Key, reporter: User, today: dt.date) -> int:
    this = Period.of(today)
    first = this.shift(-11)
    start = Period.of(today - D(days=key.started)) if key.started is not None else None
    last = this if key.reports_this_month else this.shift(-1)
    if key.production is not None:
        last = Period.of(today - D(days=key.production))
    if start is not None and _months_between(first, start) > 0:
        first = start
    total = Decimal(key.total)
    count = 0
    period = first
    while _months_between(period, last) >= 0:
        if start is None:  # preliminary costs of a project still to start
            n = _months_between(first, period) + 1
            cumulative, previous = Decimal(15 * n), Decimal(15 * (n - 1))
            progress, percent = "办理前期手续，完成可研及环评编制", None
        else:
            share = total * Decimal(key.ratio) / (_months_between(start, last) + 1)
            elapsed = _months_between(start, period) + 1
            cumulative = (share * elapsed).quantize(Decimal("0.01"))
            previous = (share * (elapsed - 1)).quantize(Decimal("0.01"))
            progress = PROGRESS[elapsed % len(PROGRESS)]
            months = _months_between(start, last) + 1
            percent = min(100, int(Decimal(key.ratio) * 100 * elapsed / months))
        services.inspection_submit(
            by=reporter,
            project=project,
            month=str(period),
            month_investment=cumulative - previous,
            cumulative_investment=cumulative,
            progress=progress,
            progress_percent=percent,
            problems="用地手续尚未完全办结" if key.red and period == last else "",
            next_plan="加快施工进度，确保按时间表推进",
        )
        count += 1
        period = period.shift(1)
    return count


def _key_projects(
    cast: _Cast, key_list: KeyList, today: dt.date, made: dict[str, int]
) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    for key in KEY_PROJECTS:
        found = Project.objects.filter(street__parent=cast.district, name=key.name).first()
        if found is not None:
            projects[key.name] = found
            continue
        department, reporter = cast.department(key.department)
        start = today - D(days=key.started) if key.started is not None else None
        anchor = start or today - D(days=60)
        opened = anchor - D(days=150)
        values: dict[str, Any] = {
            "name": key.name,
            "investor": key.investor,
            "street": OrgUnit.objects.get(code=key.street),
            "industry_code": key.industry,
            "total_investment": Decimal(key.total),
            "enterprise": cast.enterprise(key.enterprise),
            "leader": cast.leaders.get(key.leader, cast.leader),
            "liaison_leader": cast.clerk,
            "lead_department": department,
            "is_key": True,
            "key_list": key_list,
            "expected_start": start - D(days=15) if start else _next_july(today),
        }
        if key.lead:
            project, converted = _open(cast, lead_title=key.lead, opened=opened, values=values)
            made["from_leads"] += converted
        else:
            project = services.project_create(by=cast.clerk, date=opened, **values)
        made["projects"] += 1
        made["key_projects"] += 1
        steps: list[tuple[Any, dt.date]] = [
            (Stage.SIGNED, opened + D(days=30)),
            (Stage.APPROVAL, opened + D(days=60)),
        ]
        if start is not None:
            steps.append((Stage.CONSTRUCTION, start))
        if key.production is not None:
            steps.append((Stage.PRODUCTION, today - D(days=key.production)))
        signing = DateKind.INTENT if start is None else DateKind.CONTRACT
        project = _walk(cast, project, steps, signing)
        approvals = [(DateKind.PROJECT_APPROVAL, opened + D(days=70))]
        if start is not None:
            approvals += [
                (DateKind.ENVIRONMENT, opened + D(days=90)),
                (DateKind.PLANNING, opened + D(days=110)),
                (DateKind.CONSTRUCTION_PERMIT, start - D(days=5)),
            ]
        for kind, day in approvals:
            services.project_date_record(by=cast.clerk, project=project, kind=kind, date=day)
        _milestones(cast, project, key, today, start)
        if reporter is not None:
            made["inspections"] += _inspections(cast, project, key, reporter, today)
        projects[key.name] = project
    return projects


# --- meetings, tasks, obstacles and documents -----------------------------------------------------

# days ago; decisions: (project index in KEY_PROJECTS, what, department, due in days from the
# meeting, done: days after the meeting it was done, or None)
MEETINGS: list[tuple[int, list[tuple[int, str, str, int, int | None]]]] = [
    (
        290,
        [
            (1, "协调办理二期厂房施工许可", "spj", 30, 25),
            (4, "落实技改设备进口免税手续", "sw", 30, 20),
            (2, "协调电子特气项目供气管网接入", "jxj", 45, 40),
        ],
    ),
    (
        200,
        [
            (3, "协调元器件生产线厂房规划调整", "zrj", 30, 28),
            (5, "完成新材料项目安全评价", "hbj", 40, None),  # overdue
            (6, "落实循环经济产业园二期用地征收", "zrj", 45, 44),
        ],
    ),
    (
        110,
        [
            (7, "协调供电公司完成项目电力增容", "jxj", 30, 27),
            (8, "完成晓星新材料项目环评审批", "hbj", 60, None),  # overdue
            (0, "督促青汽技改项目完成可研编制", "fgj", 50, 45),
        ],
    ),
    (
        20,
        [
            (9, "协调港机重工项目施工用水用电", "zjj", 30, None),
            (0, "推进青汽技改项目立项及环评", "fgj", 45, None),
            (3, "解决元器件生产线主体封顶滞后问题", "kjj", 15, None),
        ],
    ),
]


def _meetings(cast: _Cast, key_list: KeyList, projects: dict[str, Project], today: dt.date) -> int:
    if key_list.meetings.exists() or len(projects) < len(KEY_PROJECTS):
        return 0
    count = 0
    for number, (days, decisions) in enumerate(MEETINGS, start=1):
        date = today - D(days=days)
        quarter = (date.month - 1) // 3 + 1
        title = f"{key_list.name}{date.year}年第{quarter}季度调度会"
        minutes = (
            _file(f"调度会纪要{number}.pdf", tiny_pdf(f"Scheduling meeting {date:%Y-%m-%d}"))
            if number == len(MEETINGS)
            else None
        )
        meeting = services.meeting_record(
            by=cast.leader,
            key_list=key_list,
            title=title,
            date=date,
            attendees="王区长、张副区长，区发改局、区经信局、区投资促进局、区自然资源局及各项目单位",
            place="区政府第一会议室",
            decisions=[
                {
                    "project": projects[KEY_PROJECTS[index].name],
                    "what": what,
                    "department": cast.departments[code],
                    "due": date + D(days=due),
                }
                for index, what, code, due, _done in decisions
            ],
            minutes=minutes,
        )
        tasks = {t.project_id: t for t in meeting.tasks.all()}
        for index, _what, _code, _due, done in decisions:
            task = tasks[projects[KEY_PROJECTS[index].name].pk]
            if done is not None:
                services.task_complete(by=cast.leader, task=task, done_on=date + D(days=done))
            elif number == len(MEETINGS) and index == 9:
                services.task_update(by=cast.leader, task=task, status="in_progress")
        count += 1
    return count


def _obstacles(
    cast: _Cast, projects: dict[str, Project], today: dt.date, made: dict[str, int]
) -> None:
    def project(name: str) -> Project | None:
        return (
            projects.get(name)
            or Project.objects.filter(street__parent=cast.district, name=name).first()
        )

    by = cast.clerk
    rows = [
        (
            "洁新再生资源循环经济产业园",
            "项目二期用地尚未完成征收，影响主体结构施工",
            ObstacleType.LAND,
            "zrj",
            -10,
            "需区领导协调征收补偿",
            "appeal",
        ),
        (
            "汽车玻璃配套项目",
            "厂区电力增容方案待供电公司批复",
            ObstacleType.UTILITIES,
            "jxj",
            20,
            "",
            "in_progress",
        ),
        (
            "青汽技改项目",
            "技改项目环评需报市生态环境局审批，周期较长",
            ObstacleType.ENVIRONMENT,
            "hbj",
            60,
            "",
            "",
        ),
        (
            "英派尔 MTBE 项目",
            "MTBE 装置安全条件审查尚未通过",
            ObstacleType.ENVIRONMENT,
            "hbj",
            45,
            "化工项目，审慎推进",
            "",
        ),
        (
            "崂山电子新型电子元器件生产线",
            "设备采购资金缺口约2000万元",
            ObstacleType.FUNDING,
            "czj",
            -40,
            "",
            "resolved",
        ),
    ]
    for name, text, kind, code, deadline, note, then in rows:
        target = project(name)
        if target is None or target.obstacles.exists():
            continue
        obstacle = services.obstacle_add(
            by=by,
            project=target,
            description=text,
            type=kind,
            department=cast.departments.get(code),
            deadline=today + D(days=deadline),
            internal_note=note,
        )
        made["obstacles"] += 1
        if then == "appeal" and target.enterprise_id is not None:
            services.obstacle_raise_appeal(by=by, obstacle=obstacle)
            made["appeals"] += 1
        elif then == "in_progress":
            services.obstacle_update(by=by, obstacle=obstacle, status=ObstacleStatus.IN_PROGRESS)
        elif then == "resolved":
            services.obstacle_resolve(
                by=by,
                obstacle=obstacle,
                resolution="协调区属银行发放技改贷款2000万元",
                date=today - D(days=30),
            )


DOCUMENTS = [
    ("鲁抗医药物流中心", "投资合同.pdf", DocumentCategory.CONTRACT, "正式投资合同", False),
    ("蒙牛乳业物流中心", "投资合同.pdf", DocumentCategory.CONTRACT, "正式投资合同", False),
    ("英派尔 MTBE 项目", "土地出让合同.pdf", DocumentCategory.CONTRACT, "土地出让合同", False),
    ("天路集团智能装备产业园项目", "建设工程规划许可证.pdf", DocumentCategory.APPROVAL, "", False),
    ("天路集团智能装备产业园项目", "施工现场.png", DocumentCategory.PHOTO, "主体施工现场", False),
    ("青汽技改项目", "技改方案内部论证意见.pdf", DocumentCategory.OTHER, "内部论证", True),
]


def _documents(cast: _Cast, projects: dict[str, Project], made: dict[str, int]) -> None:
    for name, filename, category, description, internal in DOCUMENTS:
        target = (
            projects.get(name)
            or Project.objects.filter(street__parent=cast.district, name=name).first()
        )
        if target is None or target.documents.filter(category=category).exists():
            continue
        content = tiny_png() if filename.endswith(".png") else tiny_pdf(f"{target.pk} {category}")
        services.document_upload(
            by=cast.clerk,
            project=target,
            upload=_file(f"{name}{filename}", content),
            category=category,
            description=description,
            is_internal=internal,
        )
        made["documents"] += 1


# --- build ----------------------------------------------------------------------------------------


@transaction.atomic
def build() -> dict[str, int]:
    """The demo's projects; nothing twice. Needs the district's accounts (tcj, leader); the
    enterprises, the other leaders, the departments' staff and the investment leads are used
    when they are there."""
    made = {
        "projects": 0,
        "key_projects": 0,
        "from_leads": 0,
        "inspections": 0,
        "meetings": 0,
        "obstacles": 0,
        "appeals": 0,
        "documents": 0,
    }
    district = OrgUnit.objects.filter(code=DISTRICT).first()
    clerk = User.objects.filter(
        username="tcj", is_active=True, role=Role.INVESTMENT_STAFF, org_unit=district
    ).first()
    leader = User.objects.filter(
        username="leader", is_active=True, role=Role.DISTRICT_LEADER, org_unit=district
    ).first()
    if district is None or clerk is None or leader is None:
        return made
    today = _today()
    cast = _Cast(district, clerk, leader)
    _seed_projects(cast, today, made)
    key_list = (
        KeyList.objects.filter(district=district, name__endswith=KEY_LIST_SUFFIX)
        .order_by("-year")
        .first()
    )
    if key_list is None:
        key_list = services.key_list_create(
            by=clerk, district=district, name=f"{today.year}{KEY_LIST_SUFFIX}", year=today.year
        )
    projects = _key_projects(cast, key_list, today, made)
    made["meetings"] = _meetings(cast, key_list, projects, today)
    _obstacles(cast, projects, today, made)
    _documents(cast, projects, made)
    return made
