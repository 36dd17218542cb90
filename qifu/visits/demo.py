"""The demo's visits (走进企业, 分片包干), as the seed tells them.

- Responsibility: the district's six leaders split the eleven streets between them (each leader
  one or two streets, key enterprises only, one visit a quarter), each of the 60-odd key
  enterprises is assigned by name to its responsible leader, and the street staff of 李村街道
  (`licun`) and 楼山街道 (`loushan`) are responsible for their own street's key enterprises. The
  assignments start on the first day of the quarter three quarters back, so the last four quarters
  (the current one included) have coverage.
- The visits that found the seed's 67 problems: the appeals demo records them as appeals that came
  in through visits, submitted by the enterprise's responsible leader. Each (leader, enterprise,
  day) of them is one on-site visit one to three working days before the submission, recorded by
  that leader, with the questionnaire answered, notes that say what was discussed, and its appeals
  linked to it (`services.visit_link_appeal`).
- Routine visits, phone calls and a few symposiums (座谈会) spread over the last four quarters:
  most key enterprises of each street were visited in each past quarter, 40-70% so far in the
  current one. 天路集团 (李村街道) has no visit in the current quarter: when `licun` records one
  in the browser journey, the coverage of 李村街道 goes up by one.
- Red flags (风险信号): six or seven, derived from the answers (a big drop in sales, financing
  trouble, layoffs, expansion needing land) or set by the official at a symposium (relocation
  intent); two of them resolved.
- Drafts: `licun`, `loushan` and `leader` each have a half-written visit. And a handful of visit
  plans in the next two weeks.

Dates. The services stamp the time themselves. Every visit is recorded through
`services.visit_save` while `django.utils.timezone.now` is replaced by a clock set to the
afternoon of the visit's day, so the visit's created, updated and completed times, its red flags'
dates and its audit events fall on that day; appeals are linked at their submission and red flags
resolved some weeks later, on the same clock. Plans are made on the real clock. The questionnaire's
first version, published when the database was made, is moved back to before the first visit.

Idempotent: the visits are made once (each carries `client_token="demo-visit-NNN"`; a build that
finds them leaves them), assignments exist once per official and street or enterprise, plans once
per purpose. Deterministic: a fixed seed; only the dates move with today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from qifu.accounts.models import Role, User
from qifu.appeals.models import Appeal, Status
from qifu.core import democlock
from qifu.core.models import OrgUnit
from qifu.core.workdays import add_working_days, is_working_day
from qifu.enterprises.models import Enterprise, Kind
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.lib.quarters import Span
from qifu.visits import seed, services
from qifu.visits.models import (
    Assignment,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    RedFlag,
    RedFlagKind,
    Visit,
    VisitKind,
    VisitPlan,
)

SEED = 2027
PREFIX = "demo-visit-"
DISTRICT = "370213"
APPEAL_PREFIX = "demo-"  # the appeals demo's client tokens
JOURNEY_ENTERPRISE = "天路集团"  # no visit in the current quarter (the browser journey adds one)
ASSIGNER = "leader"
# the leaders' streets (分片包干): username → street codes
STREET_LEADERS = {
    "leader": ["370213007", "370213008"],  # 李村街道, 虎山路街道
    "zhang_fqz": ["370213001", "370213002"],  # 振华路街道, 永清路街道
    "li_fqz": ["370213003", "370213004"],  # 永安路街道, 兴华路街道
    "zhao_fqz": ["370213005", "370213006"],  # 兴城路街道, 楼山街道
    "sun_fqz": ["370213009", "370213010"],  # 浮山路街道, 湘潭路街道
    "zhou_fqz": ["370213011"],  # 九水街道
}
STREET_STAFF = {"licun": "370213007", "loushan": "370213006"}
COMPANIONS = ["jxj", "swj_ks", "czj_ks", "rsj_ks"]  # department staff who go along
QUARTERS = 4  # the current quarter and the three before it
SENTENCE_END = "。"

PURPOSES = [
    "了解企业生产经营情况",
    "季度走访，了解企业生产经营和发展计划",
    "宣讲惠企政策，听取企业意见建议",
    "了解企业用工和招工情况",
    "了解企业扩产和技改计划",
    "了解企业融资需求",
]
PHONE_PURPOSES = ["电话了解企业近期生产经营情况", "电话回访诉求办理情况"]
RECRUITMENT = [
    "需招聘数控操作工10人、电工2人",
    "一线普工约30人，技术工人5人",
    "急需焊工、钳工等技术工人8人",
    "招聘研发人员3人、销售人员5人",
    "暂无新增招工需求",
    "需要质检员4人、叉车司机2人",
    "招聘应届大学生10人左右，专业为机械、电气",
]
POLICY_NEEDS = [
    "技术改造项目补助",
    "研发费用加计扣除政策辅导",
    "稳岗补贴和社保缓缴",
    "协助办理土地证、房产证",
    "人才公寓和职工子女入学",
    "融资担保和贷款贴息",
    "参展补贴，帮助开拓市场",
    "高新技术企业认定辅导",
    "专精特新企业培育",
]
SERVICE_PROBLEMS = [
    "审批材料要求多，希望推行告知承诺制",
    "政策兑现流程较长，希望再简化",
    "希望部门检查合并进行，减少对企业的打扰",
    "希望政策信息能主动推送到企业",
]
BANK_POLICY = [
    "希望区里定期推送重点企业融资需求清单",
    "希望区政府性融资担保机构扩大合作范围",
    "希望多组织银企对接活动",
]
CLOSINGS = [
    "企业暂无需要政府协调解决的问题。",
    "对企业提出的政策咨询已当场解答。",
    "已向企业宣讲了今年的惠企政策，并留下了联系方式。",
    "企业对区里的服务表示满意。",
]
BANK_NOTES = [
    "走访{e}，了解今年以来信贷投放和普惠金融工作情况。{e}表示，今年小微企业贷款余额较年初有所增长，"
    "对有订单、有技术的制造业企业可适当提高授信额度。会上介绍了区里重点企业的融资需求，"
    "商定组织一次银企对接活动。",
    "走访{e}，了解对辖区实体企业的支持情况。银行反映部分企业财务报表不规范、抵押物不足，"
    "影响授信审批；双方商定由区里推送企业名单，银行安排客户经理上门对接。",
    "电话联系{e}，了解续贷和无还本续贷政策的落实情况，请银行对暂时困难的重点企业不抽贷、不断贷。",
]
# the symposiums: quarter index (0 = three quarters back … 3 = the current one), who went, what
SYMPOSIUMS: list[dict[str, Any]] = [
    {
        "quarter": 1,
        "officials": ["leader", "jxj"],
        "pick": "industrial",
        "count": 5,
        "purpose": "重点工业企业座谈会",
        "location": "区政府3楼会议室",
        "notes": "区政府召开重点工业企业座谈会，{n}家企业负责人参加。"
        "会上通报了全区工业经济运行情况，听取了企业对优化营商环境的意见建议。企业集中反映了用工成本上升、土地房产证办理难、"
        "融资成本偏高、技改资金拨付慢等问题。{leader}要求各部门对企业反映的问题逐项梳理、限期答复。",
        "follow_up": "区经信局汇总企业意见，形成问题清单交有关部门办理，两周内向企业反馈。",
        "flag": (
            RedFlagKind.RELOCATION,
            "企业负责人会上透露：扩建用地迟迟落实不了，正考虑将新增产能放到外地园区。",
        ),
    },
    {
        "quarter": 2,
        "officials": ["zhang_fqz", "swj_ks"],
        "pick": "trade",
        "count": 5,
        "purpose": "商贸流通企业座谈会",
        "location": "区商务局2楼会议室",
        "notes": "召开商贸流通企业座谈会，{n}家批发零售、物流仓储企业参加。"
        "企业反映：线上渠道分流明显，实体门店客流下降；物流企业用地和冷链设施不足，车辆进城通行受限；希望区里组织促消费活动，"
        "对企业参加展会给予补贴。",
        "follow_up": "区商务局研究商贸流通业支持措施，纳入年度促消费活动方案。",
    },
    {
        "quarter": 2,
        "officials": ["zhao_fqz", "loushan"],
        "pick": "loushan",
        "count": 4,
        "purpose": "楼山街道工业企业座谈会",
        "location": "楼山街道办事处会议室",
        "notes": "在楼山街道召开工业企业座谈会，{n}家企业参加，围绕楼山片区企业转型升级听取意见。"
        "企业反映：老厂区环保治理投入大，技术改造资金压力大；园区道路、供热等配套需要改善；"
        "部分企业希望在片区内就近扩建。",
        "follow_up": "楼山街道梳理企业扩建和技改需求，报区发改局、经信局统筹。",
    },
    {
        "quarter": 3,
        "officials": ["li_fqz", "czj_ks"],
        "pick": "banks",
        "count": 6,
        "purpose": "银企对接座谈会",
        "location": "区财政局会议室",
        "notes": "召开银企对接座谈会，{n}家银行和企业参加。银行介绍了普惠金融产品和续贷政策，"
        "企业提出了流动资金贷款、技改项目贷款等融资需求。会上商定由银行对重点企业逐户上门对接，"
        "对暂时困难的企业不抽贷、不断贷。",
        "follow_up": "区财政局汇总企业融资需求清单，推送各合作银行，一个月后通报对接结果。",
    },
]
PLANS: list[dict[str, Any]] = [
    {
        "by": "leader",
        "days": 2,
        "kind": VisitKind.ONSITE,
        "purpose": "走访重点企业，了解年度目标完成情况和明年投资计划",
        "street": "370213008",
        "count": 2,
        "with": ["jxj"],
    },
    {
        "by": "licun",
        "days": 3,
        "kind": VisitKind.ONSITE,
        "purpose": "走访辖区重点企业，了解本季度生产经营和用工情况",
        "street": "370213007",
        "count": 2,
        "with": [],
    },
    {
        "by": "loushan",
        "days": 5,
        "kind": VisitKind.ONSITE,
        "purpose": "楼山街道重点企业安全生产和用工保障走访",
        "street": "370213006",
        "count": 3,
        "with": [],
    },
    {
        "by": "li_fqz",
        "days": 7,
        "kind": VisitKind.SYMPOSIUM,
        "purpose": "银企对接座谈会（第二期）",
        "street": None,
        "count": 5,
        "with": ["czj_ks"],
    },
    {
        "by": "zhao_fqz",
        "days": 9,
        "kind": VisitKind.PHONE,
        "purpose": "电话回访诉求办理情况",
        "street": "370213005",
        "count": 1,
        "with": [],
    },
]


@dataclass
class _Plan:
    day: dt.date
    minute: int
    kind: str
    officials: list[User]
    enterprises: list[Enterprise]
    purpose: str
    location: str = ""
    notes: str = ""
    follow_up: str = ""
    appeals: list[Appeal] = field(default_factory=list)
    # answer scenarios that raise red flags: sales_drop, layoffs, financing, land
    scenario: set[str] = field(default_factory=set)
    flags: list[tuple[Enterprise, str, str]] = field(default_factory=list)
    resolve: tuple[int, str] | None = None  # working days later, how
    earlier: list[Appeal] = field(default_factory=list)  # a phone call about these appeals
    from_plan: bool = False
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def by(self) -> User:
        return self.officials[0]


def _today() -> dt.date:
    return timezone.localdate()


def _day(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def _name(user: User) -> str:
    """How the notes name an official: 张副区长, 李村街道陈主任, 区经信局张科长."""
    name = user.full_name.replace(" ", "")
    return name if "区" in name or "街道" in name else f"区{name}"


def _contact(enterprise: Enterprise) -> str:
    contacts = list(enterprise.contacts.all())
    if not contacts:
        return "企业负责人"
    first = contacts[0]
    return f"{first.title or '负责人'}{first.name}"


def _first_sentence(appeal: Appeal) -> str:
    text = appeal.description.split("反映：", 1)[-1].split("提出：", 1)[-1]
    return text.split(SENTENCE_END, 1)[0].strip() + SENTENCE_END


# --- who ----------------------------------------------------------------------------------------


def _users() -> dict[str, User] | None:
    """The leaders, the street staff and the department staff who go along; None without the
    leaders (the enterprise demo makes them)."""
    wanted = set(STREET_LEADERS) | set(STREET_STAFF) | set(COMPANIONS)
    users = {
        u.username: u
        for u in User.objects.filter(username__in=wanted, is_active=True).select_related(
            "org_unit__parent"
        )
    }
    if not set(STREET_LEADERS) <= set(users):
        return None
    return users


def ensure_questionnaire() -> QuestionnaireVersion:
    """The seeded questionnaire (a migration installs it; a flushed test database has lost it)."""
    version = services.current_questionnaire()
    if version is None:
        seed.install(Questionnaire, QuestionnaireVersion, Question)
        version = services.current_questionnaire()
    assert version is not None  # noqa: S101
    return version


# --- responsibility -----------------------------------------------------------------------------


def quarters(today: dt.date) -> list[Span]:
    """The last four quarters, the current one last."""
    spans = [Span.quarter_of(today)]
    while len(spans) < QUARTERS:
        spans.insert(0, spans[0].previous())
    return spans


def build_assignments(users: dict[str, User], key: list[Enterprise], starts_on: dt.date) -> int:
    """The leaders over their streets, the key enterprises by name to their responsible leader,
    the street staff over their own street. Skips what exists (ended or not)."""
    assigner = users[ASSIGNER]
    streets = {s.code: s for s in OrgUnit.objects.filter(code__startswith=DISTRICT, level="street")}
    have_streets = set(
        Assignment.objects.filter(street__isnull=False).values_list("official", "street")
    )
    have_named = set(
        Assignment.objects.filter(enterprise__isnull=False).values_list("official", "enterprise")
    )
    made = 0
    pairs = [(u, c) for u, codes in STREET_LEADERS.items() for c in codes]
    pairs += [(u, c) for u, c in STREET_STAFF.items() if u in users]
    for username, code in pairs:
        official, street = users[username], streets.get(code)
        if street is None or (official.pk, street.pk) in have_streets:
            continue
        note = "街道包干" if username in STREET_STAFF else "区领导分片包干"
        services.assignment_create(
            by=assigner, official=official, street=street, starts_on=starts_on, note=note
        )
        made += 1
    for enterprise in key:
        official = enterprise.responsible_leader
        if official is None or (official.pk, enterprise.pk) in have_named:
            continue
        services.assignment_create(
            by=assigner,
            official=official,
            enterprise=enterprise,
            starts_on=starts_on,
            note="重点企业联系领导",
        )
        made += 1
    return made


# --- the plan of the visits ---------------------------------------------------------------------


class _Planner:
    def __init__(self, rng: random.Random, users: dict[str, User], today: dt.date) -> None:
        self.rng, self.users, self.today = rng, users, today
        self.spans = quarters(today)
        self.current = self.spans[-1]
        enterprises = list(
            Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
            .select_related("street", "responsible_leader")
            .prefetch_related("contacts")
            .order_by("credit_code")
        )
        self.key = [e for e in enterprises if e.is_key]
        self.trade = [
            e
            for e in enterprises
            if not e.is_key
            and e.kind == Kind.ENTERPRISE
            and e.industry_code[:2] in ("51", "52", "58", "59")
        ]
        self.street_leader = {c: users[u] for u, codes in STREET_LEADERS.items() for c in codes}
        self.street_staff = {c: users[u] for u, c in STREET_STAFF.items() if u in users}
        self.plans: list[_Plan] = []
        self.employees: dict[int, int] = {}
        self.days: dict[Span, list[dt.date]] = {
            span: self._working_days(span) for span in self.spans
        }

    def _working_days(self, span: Span) -> list[dt.date]:
        last = min(span.last_day, self.today - dt.timedelta(days=1))
        days, day = [], span.first_day
        while day <= last:
            if is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days or [self.today]

    def span_of(self, day: dt.date) -> Span:
        return Span.quarter_of(day)

    def journey_safe(self, plan: _Plan) -> bool:
        """No visit to 天路集团 in the current quarter."""
        return not (
            self.current.contains(plan.day)
            and any(e.name == JOURNEY_ENTERPRISE for e in plan.enterprises)
        )

    # the visits that found the appeals

    def appeal_visits(self) -> list[_Plan]:
        appeals = list(
            Appeal.objects.filter(client_token__startswith=APPEAL_PREFIX, channel="visit")
            .select_related("enterprise__street", "submitted_by__org_unit__parent", "category")
            .select_related("lead_department")
            .order_by("submitted_at", "id")
        )
        groups: dict[tuple[int, int, dt.date], list[Appeal]] = {}
        for appeal in appeals:
            day = timezone.localdate(appeal.submitted_at)
            groups.setdefault((appeal.submitted_by_id, appeal.enterprise_id, day), []).append(
                appeal
            )
        made = []
        key_by_id = {e.pk: e for e in self.key}
        for (_by, enterprise_id, submitted), group in groups.items():
            enterprise = key_by_id.get(enterprise_id) or (
                Enterprise.objects.prefetch_related("contacts")
                .select_related("street", "responsible_leader")
                .get(pk=enterprise_id)
            )
            leader = group[0].submitted_by
            day = _day(add_working_days(submitted, -self.rng.choice([1, 1, 2, 3])))
            officials = [leader]
            staff = self.street_staff.get(enterprise.street.code)
            if staff is not None and self.rng.random() < 0.6:
                officials.append(staff)
            elif self.rng.random() < 0.35:
                companion = self.users.get(self.rng.choice(COMPANIONS))
                if companion is not None:
                    officials.append(companion)
            plan = _Plan(
                day=day,
                minute=self.rng.randint(14 * 60 + 30, 17 * 60 + 30),
                kind=VisitKind.ONSITE,
                officials=officials,
                enterprises=[enterprise],
                purpose="走访重点企业，了解生产经营情况和困难问题",
                location=enterprise.address,
                appeals=group,
            )
            made.append(plan)
        self.plans.extend(made)
        return made

    # symposiums

    def symposiums(self) -> list[_Plan]:
        made = []
        for spec in SYMPOSIUMS:
            span = self.spans[spec["quarter"]]
            officials = [self.users[u] for u in spec["officials"] if u in self.users]
            pool = self._symposium_pool(spec["pick"], span)
            if len(pool) < 2 or not officials:
                continue
            enterprises = self.rng.sample(pool, min(spec["count"], len(pool)))
            day = self.rng.choice(self.days[span])
            plan = _Plan(
                day=day,
                minute=self.rng.randint(11 * 60, 17 * 60),
                kind=VisitKind.SYMPOSIUM,
                officials=officials,
                enterprises=sorted(enterprises, key=lambda e: e.name),
                purpose=spec["purpose"],
                location=spec["location"],
                notes=spec["notes"].format(n=len(enterprises), leader=_name(officials[0])),
                follow_up=spec["follow_up"],
            )
            if "flag" in spec:
                candidates = [
                    e
                    for e in enterprises
                    if e.kind == Kind.ENTERPRISE and e.name != JOURNEY_ENTERPRISE
                ]
                if candidates:
                    kind, note = spec["flag"]
                    plan.flags.append((self.rng.choice(candidates), kind, note))
            made.append(plan)
        self.plans.extend(made)
        return made

    def _symposium_pool(self, pick: str, span: Span) -> list[Enterprise]:
        industrial = [e for e in self.key if e.kind == Kind.ENTERPRISE]
        if span == self.current:
            industrial = [e for e in industrial if e.name != JOURNEY_ENTERPRISE]
        if pick == "industrial":
            return industrial
        if pick == "trade":
            return self.trade
        if pick == "loushan":
            return [e for e in industrial if e.street.code == STREET_STAFF["loushan"]]
        banks = [e for e in self.key if e.kind == Kind.FINANCIAL]
        industrial = self.rng.sample(industrial, min(2, len(industrial)))
        return self.rng.sample(banks, min(4, len(banks))) + industrial

    # routine visits and phone calls, to the coverage each quarter should show

    def routine(self) -> None:
        by_street: dict[str, list[Enterprise]] = {}
        for enterprise in self.key:
            by_street.setdefault(enterprise.street.code, []).append(enterprise)
        for span in self.spans:
            visited = {e.pk for p in self.plans if span.contains(p.day) for e in p.enterprises}
            is_current = span == self.current
            for code in sorted(by_street):
                enterprises = by_street[code]
                rate = self.rng.uniform(0.45, 0.65) if is_current else self.rng.uniform(0.8, 1.0)
                target = round(len(enterprises) * rate)
                if is_current:
                    target = max(1, min(target, len(enterprises) - 1))
                done = [e for e in enterprises if e.pk in visited]
                todo = [
                    e
                    for e in enterprises
                    if e.pk not in visited and not (is_current and e.name == JOURNEY_ENTERPRISE)
                ]
                for enterprise in self.rng.sample(todo, max(0, min(len(todo), target - len(done)))):
                    self.plans.append(self._routine(enterprise, self.rng.choice(self.days[span])))

    def _routine(self, enterprise: Enterprise, day: dt.date) -> _Plan:
        rng = self.rng
        code = enterprise.street.code
        staff = self.street_staff.get(code)
        choices: list[tuple[User | None, int]] = [
            (enterprise.responsible_leader, 30 if staff else 65),
            (self.street_leader.get(code), 20 if staff else 35),
            (staff, 50),
        ]
        people = [(u, w) for u, w in choices if u is not None]
        official = rng.choices([u for u, _w in people], weights=[w for _u, w in people])[0]
        officials = [official]
        if official.role == Role.DISTRICT_LEADER and rng.random() < 0.3:
            companion = staff or self.users.get(rng.choice(COMPANIONS))
            if companion is not None and companion != official:
                officials.append(companion)
        kind = rng.choices(
            [VisitKind.ONSITE, VisitKind.PHONE, VisitKind.VIDEO], weights=[80, 16, 4]
        )[0]
        if kind != VisitKind.ONSITE:
            officials = officials[:1]
        return _Plan(
            day=day,
            minute=rng.randint(9 * 60, 17 * 60 + 30),
            kind=kind,
            officials=officials,
            enterprises=[enterprise],
            purpose=rng.choice(PURPOSES if kind == VisitKind.ONSITE else PHONE_PURPOSES[:1]),
            location=enterprise.address if kind == VisitKind.ONSITE else "",
        )

    def follow_ups(self) -> None:
        """Phone calls a few weeks after an appeal heard on a visit was solved."""
        closed = [
            p
            for p in self.plans
            if p.appeals and all(a.status == Status.CLOSED and a.resolved for a in p.appeals)
        ]
        for source in self.rng.sample(closed, len(closed) // 3):
            last = max(a.closed_at or a.submitted_at for a in source.appeals)
            day = _day(add_working_days(timezone.localdate(last), self.rng.randint(3, 10)))
            if day >= self.today or day < self.spans[0].first_day:
                continue
            plan = _Plan(
                day=day,
                minute=self.rng.randint(9 * 60, 17 * 60),
                kind=VisitKind.PHONE,
                officials=[source.by],
                enterprises=source.enterprises,
                purpose=PHONE_PURPOSES[1],
                earlier=source.appeals,
            )
            if self.journey_safe(plan):
                self.plans.append(plan)

    # red flags

    def red_flags(self) -> None:
        """Choose the visits whose answers raise the red flags, and the two that get resolved."""
        rng = self.rng
        single = [
            p
            for p in self.plans
            if p.kind == VisitKind.ONSITE
            and len(p.enterprises) == 1
            and p.enterprises[0].kind == Kind.ENTERPRISE
            and p.enterprises[0].name != JOURNEY_ENTERPRISE
        ]
        routine = [p for p in single if not p.appeals and not p.earlier]
        used: set[int] = set()

        def take(candidates: list[_Plan]) -> _Plan | None:
            candidates = [p for p in candidates if p.enterprises[0].pk not in used]
            if not candidates:
                return None
            plan = candidates[-1]
            used.add(plan.enterprises[0].pk)
            return plan

        def titled(words: tuple[str, ...]) -> list[_Plan]:
            found = [p for p in single if any(w in a.title for a in p.appeals for w in words)]
            return sorted(found, key=lambda p: p.day)

        # financing trouble heard with the latest appeal about loans or cash flow
        plan = take(titled(("续贷", "资金周转")))
        if plan is not None:
            plan.scenario.add("financing")
        # expansion needing land, heard with an appeal about an extension; resolved later
        plan = take(list(reversed(titled(("扩建",)))))
        if plan is not None:
            plan.scenario.add("land")
            plan.resolve = (
                rng.randint(15, 25),
                "区自然资源局已将企业扩建用地纳入年度供地计划，规划条件已出具，企业正在办理用地手续。",
            )
        current = sorted(
            (p for p in routine if self.current.contains(p.day)), key=lambda p: (p.day, p.minute)
        )
        previous = sorted(
            (p for p in routine if self.spans[-2].contains(p.day)), key=lambda p: (p.day, p.minute)
        )
        # a big drop in sales, and another with layoffs, this quarter
        for scenario in ({"sales_drop"}, {"sales_drop", "layoffs"}):
            plan = take(rng.sample(current, len(current)))
            if plan is not None:
                plan.scenario |= scenario
        # layoffs last quarter, resolved since
        plan = take(rng.sample(previous, len(previous)))
        if plan is not None:
            plan.scenario.add("layoffs")
            plan.resolve = (
                rng.randint(10, 20),
                "企业新接到出口订单，已取消放假计划；区人社局为企业落实了稳岗返还资金。",
            )

    def build(self) -> list[_Plan]:
        self.appeal_visits()
        self.symposiums()
        self.routine()
        self.follow_ups()
        self.plans = [p for p in self.plans if self.journey_safe(p)]
        self.red_flags()
        # a few of this quarter's visits were planned beforehand
        current = [
            p
            for p in self.plans
            if self.current.contains(p.day) and p.kind == VisitKind.ONSITE and not p.appeals
        ]
        for plan in self.rng.sample(current, min(3, len(current))):
            plan.from_plan = True
        self.plans.sort(key=lambda p: (p.day, p.minute))
        for plan in self.plans:
            plan.answers = self.answers(plan)
            if not plan.notes:
                plan.notes = self.notes(plan)
            if plan.appeals and not plan.follow_up:
                plan.follow_up = self.follow_up(plan)
        return self.plans

    # what was answered and said

    def _employees(self, enterprise: Enterprise) -> int:
        if enterprise.pk not in self.employees:
            low, high = (30, 90) if enterprise.kind == Kind.FINANCIAL else (60, 900)
            self.employees[enterprise.pk] = self.rng.randint(low, high)
        return self.employees[enterprise.pk]

    def answers(self, plan: _Plan) -> dict[str, Any]:
        rng, scenario = self.rng, plan.scenario
        enterprise = plan.enterprises[0]
        if plan.kind == VisitKind.SYMPOSIUM:
            return {
                "output_outlook": rng.choice(["基本持平", "小幅下降"]),
                "relocation": False,
                "policy_needs": "；".join(rng.sample(POLICY_NEEDS, 3)),
                "service_problems": rng.choice(SERVICE_PROBLEMS),
            }
        if enterprise.kind == Kind.FINANCIAL:
            return {
                "output_outlook": rng.choice(["明显增长", "基本持平"]),
                "relocation": False,
                "financing": "充足",
                "employees": self._employees(enterprise),
                "policy_needs": rng.choice(BANK_POLICY),
            }
        categories = {a.category.code for a in plan.appeals}
        if "sales_drop" in scenario:
            outlook = "大幅下降"
        elif "layoffs" in scenario:
            outlook = "小幅下降"
        elif "land" in scenario:
            outlook = "明显增长"
        else:
            outlook = rng.choices(["明显增长", "基本持平", "小幅下降"], weights=[30, 45, 25])[0]
        change = {
            "明显增长": rng.randint(8, 26),
            "基本持平": rng.randint(-3, 5),
            "小幅下降": rng.randint(-15, -4),
            "大幅下降": rng.randint(-38, -24),
        }[outlook]
        orders = {
            "明显增长": ["半年以上", "三到六个月"],
            "基本持平": ["三到六个月", "一到三个月"],
            "小幅下降": ["一到三个月", "一到三个月", "三到六个月"],
            "大幅下降": ["不足一个月"],
        }[outlook]
        answers: dict[str, Any] = {
            "output_outlook": outlook,
            "orders_outlook": rng.choice(orders),
            "relocation": False,
            "employees": self._employees(enterprise),
            "layoffs": "layoffs" in scenario,
        }
        if rng.random() < 0.85 or scenario:
            answers["sales_change"] = change
        expansion = "land" in scenario or (
            not scenario and rng.random() < (0.55 if outlook == "明显增长" else 0.12)
        )
        answers["expansion"] = expansion
        if expansion:
            answers["expansion_land"] = "land" in scenario
        if "financing" in scenario:
            answers["financing"] = "非常紧张"
        elif "finance" in categories or "sales_drop" in scenario:
            answers["financing"] = "有缺口"
        else:
            answers["financing"] = rng.choices(
                ["充足", "基本满足", "有缺口"], weights=[25, 55, 20]
            )[0]
        if answers["financing"] in ("有缺口", "非常紧张"):
            answers["financing_need"] = rng.choice([300, 500, 800, 1000, 1500, 2000, 3000])
        if rng.random() < 0.9:
            answers["premises"] = "land" not in categories and rng.random() < 0.9
        if rng.random() < 0.8:
            answers["recruitment"] = (
                "暂无，现有人员已有富余" if "layoffs" in scenario else rng.choice(RECRUITMENT)
            )
        if rng.random() < 0.85 or plan.appeals:
            answers["policy_needs"] = "；".join(rng.sample(POLICY_NEEDS, rng.choice([1, 2])))
        if plan.appeals:
            answers["service_problems"] = "；".join(a.title for a in plan.appeals)
        elif rng.random() < 0.4:
            answers["service_problems"] = rng.choice(SERVICE_PROBLEMS)
        if plan.kind != VisitKind.ONSITE:
            # on the phone fewer questions are asked
            for code in ("premises", "recruitment", "employees"):
                answers.pop(code, None)
        return answers

    def notes(self, plan: _Plan) -> str:
        rng, a = self.rng, plan.answers
        enterprise = plan.enterprises[0]
        who = "、".join(_name(u) for u in plan.officials)
        if enterprise.kind == Kind.FINANCIAL:
            template = BANK_NOTES[2] if plan.kind == VisitKind.PHONE else rng.choice(BANK_NOTES[:2])
            return template.format(e=enterprise.name)
        if plan.kind == VisitKind.PHONE:
            opening = f"电话联系企业{_contact(enterprise)}，了解近期生产经营情况。"
        elif plan.kind == VisitKind.VIDEO:
            opening = f"与企业{_contact(enterprise)}视频连线，了解近期生产经营情况。"
        else:
            opening = f"{who}到企业走访，与企业{_contact(enterprise)}座谈，察看了生产车间。"
        parts = [opening]
        change = a.get("sales_change")
        outlook = a["output_outlook"]
        if outlook == "明显增长":
            growth = f"销售收入同比增长{change}%，" if change is not None else ""
            parts.append(
                f"企业今年生产经营态势良好，{growth}在手订单可排产到{a['orders_outlook']}。"
            )
        elif outlook == "基本持平":
            parts.append("企业生产经营总体平稳，销售收入与上年基本持平。")
        elif outlook == "小幅下降":
            drop = f"，销售收入同比下降{-change}%" if change is not None else ""
            parts.append(f"受市场需求偏弱影响，企业订单有所减少{drop}。")
        else:
            parts.append(
                f"企业主要客户订单大幅减少，销售收入同比下降{-change}%，在手订单不足一个月，"
                "经营压力较大。"
            )
        if a.get("expansion_land"):
            parts.append(
                f"企业计划扩建厂房、新上生产线，需新增用地约{rng.randint(15, 40)}亩，"
                "现有厂区已无扩展空间。"
            )
        elif a.get("expansion"):
            parts.append("企业计划利用现有厂房新上一条生产线，扩大产能。")
        if a.get("financing") == "非常紧张":
            parts.append(
                f"企业资金链非常紧张，{a['financing_need']}万元银行贷款即将到期，续贷存在困难。"
            )
        elif a.get("financing") == "有缺口":
            parts.append(f"企业流动资金存在缺口，融资需求约{a['financing_need']}万元。")
        if a.get("layoffs"):
            parts.append("企业表示如订单持续下滑，将安排部分车间轮岗放假。")
        if plan.appeals:
            if len(plan.appeals) == 1:
                appeal = plan.appeals[0]
                heard = [f"{appeal.title}。{_first_sentence(appeal)}"]
            else:
                heard = [
                    f"{'一二三四五六'[i]}是{appeal.title}，{_first_sentence(appeal)}"
                    for i, appeal in enumerate(plan.appeals[:6])
                ]
            parts.append("企业反映：" + "".join(heard))
            parts.append("对企业反映的问题，已整理为诉求交有关部门办理，并明确了答复时限。")
        elif plan.earlier:
            titles = "、".join(f"“{x.title}”" for x in plan.earlier)
            parts.append(f"回访企业此前反映的{titles}问题，企业表示问题已解决，对办理结果满意。")
        else:
            parts.append(rng.choice(CLOSINGS))
        return "".join(parts)

    def follow_up(self, plan: _Plan) -> str:
        lines = []
        for appeal in plan.appeals:
            department = appeal.lead_department.name if appeal.lead_department else "区企业服务中心"
            lines.append(f"“{appeal.title}”已提交诉求（{appeal.number}），由{department}办理。")
        return "\n".join(lines)


# --- recording ----------------------------------------------------------------------------------


def _record(plan: _Plan, token: str, clock: democlock.DemoClock) -> Visit:
    by = plan.by
    visit_plan = None
    if plan.from_plan:
        clock.set(democlock.moment(_day(add_working_days(plan.day, -5)), 10 * 60))
        visit_plan = services.plan_create(
            by=by,
            date=plan.day,
            purpose=plan.purpose,
            enterprises=plan.enterprises,
            officials=plan.officials,
            kind=plan.kind,
        )
    clock.set(democlock.moment(plan.day, plan.minute))
    visit, _created = services.visit_save(
        by=by,
        data=services.VisitInput(
            date=plan.day,
            kind=plan.kind,
            purpose=plan.purpose,
            notes=plan.notes,
            follow_up=plan.follow_up,
            location=plan.location,
            officials=plan.officials,
            enterprises=plan.enterprises,
            answers=plan.answers,
            red_flags=plan.flags,
            plan=visit_plan,
        ),
        complete=True,
        client_token=token,
    )
    for appeal in plan.appeals:
        clock.set(appeal.submitted_at + dt.timedelta(minutes=2))
        services.visit_link_appeal(by=by, visit=visit, appeal=appeal)
    return visit


def _resolve(
    plan: _Plan, visit: Visit, clock: democlock.DemoClock, today: dt.date, resolver: User
) -> int:
    if plan.resolve is None:
        return 0
    after, resolution = plan.resolve
    day = min(_day(add_working_days(plan.day, after)), today)
    resolved = 0
    for flag in RedFlag.objects.filter(visit=visit, resolved_at__isnull=True):
        clock.set(democlock.moment(day, 16 * 60))
        services.red_flag_resolve(by=resolver, flag=flag, resolution=resolution)
        resolved += 1
    return resolved


def _drafts(
    users: dict[str, User], key: list[Enterprise], clock: democlock.DemoClock, start: int
) -> int:
    """Half-written visits of the demo's sign-in accounts, as their autosave left them."""
    today = _today()
    yesterday = _day(add_working_days(today, -1))
    by_street: dict[str, list[Enterprise]] = {}
    for enterprise in key:
        if enterprise.kind == Kind.ENTERPRISE and enterprise.name != JOURNEY_ENTERPRISE:
            by_street.setdefault(enterprise.street.code, []).append(enterprise)
    drafts = [
        (
            "licun",
            today,
            by_street.get(STREET_STAFF["licun"], []),
            "上午到企业走访，企业反映近期一线用工紧张，",
            {"output_outlook": "基本持平", "orders_outlook": "三到六个月"},
        ),
        (
            "loushan",
            yesterday,
            by_street.get(STREET_STAFF["loushan"], []),
            "企业新厂房已封顶，设备计划下季度进场。待补充：",
            {"output_outlook": "明显增长", "expansion": True},
        ),
        (
            "leader",
            yesterday,
            by_street.get("370213008", []) or key,
            "",
            {"output_outlook": "明显增长"},
        ),
    ]
    made = 0
    for index, (username, day, pool, notes, answers) in enumerate(drafts, start=start):
        user = users.get(username)
        if user is None or not pool:
            continue
        enterprise = pool[-1]
        clock.set(clock.real - dt.timedelta(hours=2 + made))
        services.visit_save(
            by=user,
            data=services.VisitInput(
                date=day,
                kind=VisitKind.ONSITE,
                purpose="了解企业生产经营情况",
                notes=notes,
                officials=[user],
                enterprises=[enterprise],
                answers=answers,
                location=enterprise.address,
            ),
            client_token=f"{PREFIX}{index:03d}",
        )
        made += 1
    return made


def build_plans(users: dict[str, User], key: list[Enterprise]) -> int:
    """A handful of visits planned for the next two weeks (on the real clock)."""
    rng = random.Random(SEED + 1)  # noqa: S311  (demo data, not security)
    today = _today()
    have = set(
        VisitPlan.objects.filter(purpose__in=[p["purpose"] for p in PLANS]).values_list(
            "purpose", flat=True
        )
    )
    made = 0
    for spec in PLANS:
        by = users.get(spec["by"])
        if by is None or spec["purpose"] in have:
            continue
        if spec["street"] is None:
            banks = [e for e in key if e.kind == Kind.FINANCIAL]
            others = [e for e in key if e.kind == Kind.ENTERPRISE and e.name != JOURNEY_ENTERPRISE]
            pool = rng.sample(banks, min(3, len(banks))) + rng.sample(others, min(2, len(others)))
        else:
            pool = [
                e
                for e in key
                if e.street.code == spec["street"]
                and e.kind == Kind.ENTERPRISE
                and e.name != JOURNEY_ENTERPRISE
            ]
            pool = rng.sample(pool, min(spec["count"], len(pool)))
        if not pool or (spec["kind"] == VisitKind.SYMPOSIUM and len(pool) < 2):
            continue
        officials = [by] + [users[u] for u in spec["with"] if u in users]
        services.plan_create(
            by=by,
            date=_day(add_working_days(today, spec["days"])),
            purpose=spec["purpose"],
            enterprises=sorted(pool, key=lambda e: e.name),
            officials=officials,
            kind=spec["kind"],
        )
        made += 1
    return made


@transaction.atomic
def build() -> dict[str, int]:
    made = {"assignments": 0, "visits": 0, "linked": 0, "red_flags": 0, "resolved": 0}
    made |= {"drafts": 0, "plans": 0}
    users = _users()
    if users is None:
        return made
    version = ensure_questionnaire()
    today = _today()
    spans = quarters(today)
    key = list(
        Enterprise.objects.filter(is_key=True, status=EnterpriseStatus.OPERATING)
        .select_related("street", "responsible_leader")
        .order_by("credit_code")
    )
    starts_on = spans[0].first_day
    clock = democlock.DemoClock(margin=dt.timedelta(minutes=3))
    # assigned in the last days before the responsibility starts
    clock.set(democlock.moment(_day(add_working_days(starts_on, -3)), 10 * 60))
    with mock.patch.object(timezone, "now", clock):
        made["assignments"] = build_assignments(users, key, starts_on)
    if not Visit.objects.filter(client_token__startswith=PREFIX).exists():
        made |= _build_visits(users, version, today)
    made["plans"] = build_plans(users, key)
    return made


def _build_visits(
    users: dict[str, User], version: QuestionnaireVersion, today: dt.date
) -> dict[str, int]:
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    planner = _Planner(rng, users, today)
    plans = planner.build()
    made = {"visits": 0, "linked": 0, "red_flags": 0, "resolved": 0, "drafts": 0}
    if plans and version.published_at and version.published_at > democlock.moment(plans[0].day, 0):
        # the questionnaire was in use before the first demo visit
        QuestionnaireVersion.objects.filter(pk=version.pk).update(
            published_at=democlock.moment(planner.spans[0].first_day - dt.timedelta(days=7), 9 * 60)
        )
    clock = democlock.DemoClock(margin=dt.timedelta(minutes=3))
    resolver = users[ASSIGNER]
    # what the services write into the record (a derived red flag's note) is in the district's
    # language
    with mock.patch.object(timezone, "now", clock), translation.override(settings.LANGUAGE_CODE):
        for number, plan in enumerate(plans, start=1):
            visit = _record(plan, f"{PREFIX}{number:03d}", clock)
            made["visits"] += 1
            made["linked"] += len(plan.appeals)
            made["red_flags"] += visit.red_flags.count()
            made["resolved"] += _resolve(plan, visit, clock, today, resolver)
        made["drafts"] = _drafts(users, planner.key, clock, len(plans) + 1)
    return made
