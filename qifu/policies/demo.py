"""The demo's policy work (帮助企业"争"), as the seed tells it.

- The library: policies of every level (national, provincial, city, district) with their document
  numbers, categories and responsible departments; one provincial policy has expired and is kept.
- The seed's policy work, finished or under way: 30 enterprises (天路集团 and 路达实业公司 among
  them) recommended by 区经济和信息化局 for the province's technology-innovation projects and
  recommended upward; new-product certification won by 瑞丰气体 and 崂山电子 (approved, funds
  received); 2 enterprises recommended as clean-production enterprises; 玖琦化工 and
  洁新再生资源有限公司 winning 节约型社会 projects (approved, funds received; a third applicant
  was not approved); 4 enterprises recommended as circular-economy pilots.
- Current programmes with open windows and real-looking criteria: the district's technical
  renovation subsidy (section C, above scale, established 3 years, last year's revenue ≥ 2000万元,
  50 employees), which 瑞丰气体 qualifies for and has not applied to (`ruifeng` applies to it in
  the browser journey, and `jxj` recommends it); a 免申即享 reward for 高新技术企业 with its list
  confirmed and part of it paid; 专精特新 and talent programmes; a technology-centre programme whose
  window opens next week; and a draft.
- Pushes and notices: the renovation subsidy pushed to its eligible list, two notices by tags and
  scale; some deliveries read by the enterprises' portal users.

Dates. The services stamp the time themselves: each step is taken through its service while
`django.utils.timezone.now` is replaced by a clock set to the step's day, so applications,
their events, audit records, notices and readings fall on that day (and the window checks of the
services see that day). Windows and steps are counted back from today.

Idempotent: policies and programmes are found by title (a programme found keeps its story as it
is), applications carry `client_token="demo-policy-NNN"` and notices
`"demo-policy-notice-NNN"`. Deterministic: a fixed seed; only the dates move with today.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from qifu.accounts.models import Role, User
from qifu.core import democlock
from qifu.core.models import Department, OrgUnit
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Status as EnterpriseStatus
from qifu.policies import seed, selectors, services
from qifu.policies.models import (
    Application,
    Delivery,
    Notice,
    Policy,
    PolicyCategory,
    Programme,
)

SEED = 2031
PREFIX = "demo-policy-"
NOTICE_PREFIX = "demo-policy-notice-"
DISTRICT = "370213"
LEADER = "leader"
# who acts for a department (the appeals demo makes the department staff; without them the
# district leader acts)
OPERATORS = {
    "jxj": "jxj",
    "kjj": "kjj_ks",
    "hbj": "hbj_ks",
    "rsj": "rsj_ks",
    "sw": "sw_ks",
    "czj": "czj_ks",
}
TECH_INNOVATION = 30
TECH_INNOVATION_NAMED = ["天路集团", "路达实业公司"]
NEW_PRODUCT = ["瑞丰气体", "崂山电子"]
CONSERVATION = ["玖琦化工", "洁新再生资源有限公司"]
CLEAN_PRODUCTION = 2
CIRCULAR = 4
CIRCULAR_NAMED = ["洁新再生资源有限公司"]
JOURNEY_ENTERPRISE = "瑞丰气体"  # qualifies for the renovation subsidy and has not applied
SEED_NAMES = {*TECH_INNOVATION_NAMED, *NEW_PRODUCT, *CONSERVATION, JOURNEY_ENTERPRISE}

SECTION_C = {"field": "industry", "op": "in", "value": ["C"]}
ABOVE_SCALE = {"field": "above_scale", "op": "is", "value": True}
THREE_YEARS = {"field": "years_established", "op": ">=", "value": 3}
REVENUE_2000 = {"field": "revenue_last_year", "op": ">=", "value": 2000}
EMPLOYEES_50 = {"field": "employees", "op": ">=", "value": 50}
HIGH_TECH = {"field": "tags", "op": "has_any", "value": ["高新技术企业"]}

# key, title, level, issuer, document number ({year}: the year issued), issued (days ago),
# valid (years; None: open-ended; negative: expired that many days ago), categories, department,
# summary
POLICIES: list[dict[str, Any]] = [
    {
        "key": "rd-deduction",
        "title": "关于进一步完善研发费用税前加计扣除政策的公告",
        "level": "national",
        "issuer": "财政部 税务总局",
        "number": "财政部 税务总局公告2023年第7号",
        "issued": dt.date(2023, 3, 26),
        "valid_from": dt.date(2023, 1, 1),
        "categories": ["tax", "innovation"],
        "department": "sw",
        "summary": "企业开展研发活动中实际发生的研发费用，未形成无形资产计入当期损益的，"
        "在按规定据实扣除的基础上，自2023年1月1日起，再按照实际发生额的100%在税前加计扣除。",
    },
    {
        "key": "high-tech",
        "title": "高新技术企业认定管理办法",
        "level": "national",
        "issuer": "科技部 财政部 国家税务总局",
        "number": "国科发火〔2016〕32号",
        "issued": dt.date(2016, 1, 29),
        "valid_from": dt.date(2016, 1, 1),
        "categories": ["innovation", "tax"],
        "department": "kjj",
        "summary": "规定高新技术企业的认定条件、程序和监督管理；"
        "认定后可按15%的税率缴纳企业所得税。",
    },
    {
        "key": "recycling",
        "title": "国务院办公厅关于加快构建废弃物循环利用体系的意见",
        "level": "national",
        "issuer": "国务院办公厅",
        "number": "国办发〔2024〕7号",
        "issued": dt.date(2024, 2, 6),
        "categories": ["circular-economy", "resource-use"],
        "department": "fgj",
        "summary": "推进废弃物精细管理和有效回收，提高废弃物资源化和再利用水平，"
        "培育壮大资源循环利用产业。",
    },
    {
        "key": "province-innovation",
        "title": "山东省技术创新项目计划管理办法",
        "level": "provincial",
        "issuer": "山东省工业和信息化厅",
        "number": "鲁工信规〔{year}〕3号",
        "issued": 700,
        "valid": 5,
        "categories": ["innovation", "new-product"],
        "department": "jxj",
        "summary": "省技术创新项目计划每年组织一次，由各区（市）工业和信息化主管部门审核推荐，"
        "列入计划的项目享受相关扶持政策。",
    },
    {
        "key": "province-tech-centre",
        "title": "山东省企业技术中心认定管理办法",
        "level": "provincial",
        "issuer": "山东省工业和信息化厅",
        "number": "鲁工信规〔{year}〕5号",
        "issued": 500,
        "valid": 5,
        "categories": ["tech-centre", "innovation"],
        "department": "jxj",
        "summary": "申请认定省级企业技术中心的企业，应具有较强的经济技术实力和较好的经济效益，"
        "研究开发投入和创新能力处于行业领先水平。",
    },
    {
        "key": "province-energy",
        "title": "山东省节能奖励办法",
        "level": "provincial",
        "issuer": "山东省人民政府办公厅",
        "number": "鲁政办字〔{year}〕88号",
        "issued": 1900,
        "valid": -120,
        "categories": ["energy-saving"],
        "department": "fgj",
        "summary": "对节能目标完成突出、节能技术改造成效显著的企业给予奖励。",
    },
    {
        "key": "city-new-product",
        "title": "青岛市新技术新产品认定管理办法",
        "level": "city",
        "issuer": "青岛市工业和信息化局",
        "number": "青工信字〔{year}〕41号",
        "issued": 420,
        "valid": 3,
        "categories": ["new-product", "innovation"],
        "department": "jxj",
        "summary": "对企业自主研发、具有自主知识产权、技术水平领先的新技术新产品进行认定，"
        "认定的新产品给予一次性奖励。",
    },
    {
        "key": "city-conservation",
        "title": "青岛市节约型社会建设专项资金管理办法",
        "level": "city",
        "issuer": "青岛市发展和改革委员会 青岛市财政局",
        "number": "青发改环资〔{year}〕112号",
        "issued": 450,
        "valid": 3,
        "categories": ["conservation", "resource-use", "energy-saving"],
        "department": "fgj",
        "summary": "专项资金支持资源节约、综合利用和节能降耗项目，采取项目补助方式，"
        "单个项目补助不超过200万元。",
    },
    {
        "key": "city-circular",
        "title": "青岛市循环经济示范试点单位管理办法",
        "level": "city",
        "issuer": "青岛市发展和改革委员会",
        "number": "青发改环资〔{year}〕67号",
        "issued": 380,
        "valid": 5,
        "categories": ["circular-economy", "resource-use"],
        "department": "fgj",
        "summary": "在工业、园区和再生资源领域培育循环经济示范试点单位，由各区推荐，"
        "市发展改革委组织评审。",
    },
    {
        "key": "city-clean",
        "title": "青岛市清洁生产审核实施办法",
        "level": "city",
        "issuer": "青岛市生态环境局",
        "number": "青环发〔{year}〕19号",
        "issued": 400,
        "valid": 5,
        "categories": ["clean-production"],
        "department": "hbj",
        "summary": "推动重点行业企业开展清洁生产审核，评选清洁生产先进企业并向社会公布。",
    },
    {
        "key": "city-specialised",
        "title": "青岛市支持专精特新中小企业高质量发展若干措施",
        "level": "city",
        "issuer": "青岛市人民政府办公厅",
        "number": "青政办字〔{year}〕23号",
        "issued": 300,
        "valid": 3,
        "categories": ["innovation", "brand", "financing"],
        "department": "jxj",
        "summary": "对新认定的专精特新中小企业、专精特新“小巨人”企业给予奖励，"
        "支持企业技术改造和品牌建设。",
    },
    {
        "key": "district-industry",
        "title": "李沧区促进工业企业高质量发展若干政策",
        "level": "district",
        "issuer": "李沧区人民政府",
        "number": "李政发〔{year}〕5号",
        "issued": 260,
        "valid": 3,
        "categories": ["innovation", "energy-saving", "brand"],
        "department": "jxj",
        "summary": "支持工业企业技术改造、智能化改造和节能降耗，对设备投资给予补助，"
        "对新获评品牌给予奖励。",
    },
    {
        "key": "district-science",
        "title": "李沧区支持科技创新若干措施",
        "level": "district",
        "issuer": "李沧区人民政府办公室",
        "number": "李政办发〔{year}〕8号",
        "issued": 240,
        "valid": 3,
        "categories": ["innovation", "tax"],
        "department": "kjj",
        "summary": "对首次认定和重新认定的高新技术企业给予奖励，免予申报，由区科技局会同有关部门"
        "核定名单后直接兑付。",
    },
    {
        "key": "district-talent",
        "title": "李沧区人才引进培育若干措施",
        "level": "district",
        "issuer": "中共李沧区委人才工作领导小组",
        "number": "李人才〔{year}〕2号",
        "issued": 200,
        "valid": 3,
        "categories": ["talent"],
        "department": "rsj",
        "summary": "对重点企业和高新技术企业引进的高层次人才给予安家补贴和岗位补贴。",
    },
    {
        "key": "district-finance",
        "title": "李沧区中小企业融资支持办法",
        "level": "district",
        "issuer": "李沧区财政局",
        "number": "李财〔{year}〕14号",
        "issued": 330,
        "valid": 2,
        "categories": ["financing"],
        "department": "czj",
        "summary": "对中小企业贷款给予贴息，对政府性融资担保给予担保费补贴。",
    },
]

MATERIALS_RECOMMEND = ["推荐表", "项目申报书", "营业执照复印件", "上年度财务审计报告"]
MATERIALS_RENOVATION = [
    "项目申报书",
    "营业执照复印件",
    "项目备案文件",
    "设备购置合同及发票",
    "上年度财务审计报告",
]


def _today() -> dt.date:
    return timezone.localdate()


class _Story:
    def __init__(self, users: dict[str, User], today: dt.date) -> None:
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
        self.users = users
        self.today = today
        self.clock = democlock.DemoClock()
        district = OrgUnit.objects.get(code=DISTRICT)
        self.departments = {d.code: d for d in Department.objects.filter(district=district)}
        self.categories = {c.code: c for c in PolicyCategory.objects.all()}
        self.policies: dict[str, Policy] = {}
        enterprises = list(
            Enterprise.objects.filter(
                street__parent=district, status=EnterpriseStatus.OPERATING
            ).order_by("credit_code")
        )
        self.by_name = {e.name: e for e in enterprises}
        self.enterprises = enterprises
        self.made = {
            "policies": 0,
            "programmes": 0,
            "applications": 0,
            "notices": 0,
            "deliveries": 0,
            "read": 0,
        }

    # --- helpers ---------------------------------------------------------------------------

    def operator(self, department: str) -> User:
        return self.users.get(OPERATORS.get(department, ""), self.users[LEADER])

    def days(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def at(self, day: dt.date, minute: int = 10 * 60) -> None:
        self.clock.day(day, minute)

    def industrial(self, exclude: set[str]) -> list[Enterprise]:
        """Above-scale manufacturers (section C), in a stable order."""
        return [
            e
            for e in self.enterprises
            if e.industry_section == "C" and e.is_above_scale and e.name not in exclude
        ]

    # --- the library -----------------------------------------------------------------------

    def build_policies(self) -> None:
        existing = {p.title: p for p in Policy.objects.all()}
        for spec in POLICIES:
            policy = existing.get(spec["title"])
            if policy is None:
                policy = self._policy(spec)
                self.made["policies"] += 1
            self.policies[spec["key"]] = policy

    def _policy(self, spec: dict[str, Any]) -> Policy:
        issued = spec["issued"]
        if isinstance(issued, int):
            issued = self.days(-issued)
        valid_from = spec.get("valid_from", issued)
        valid = spec.get("valid")
        if valid is None:
            valid_until = None
        elif valid < 0:
            valid_until = self.days(valid)
        else:
            valid_until = dt.date(valid_from.year + valid, valid_from.month, 1) - dt.timedelta(
                days=1
            )
        department = spec["department"]
        self.at(max(democlock.workday(issued + dt.timedelta(days=7)), self.days(-400)), 9 * 60 + 30)
        return services.policy_save(
            by=self.operator(department),
            values={
                "title": spec["title"],
                "level": spec["level"],
                "issuer": spec["issuer"],
                "document_number": spec["number"].format(year=issued.year),
                "issued_on": issued,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "summary": spec["summary"],
                "department": self.departments[department],
            },
            categories=[self.categories[c] for c in spec["categories"]],
        )

    # --- programmes ------------------------------------------------------------------------

    def programme(
        self,
        *,
        policy: str,
        title: str,
        window: tuple[dt.date, dt.date],
        department: str,
        criteria: dict[str, Any] | None = None,
        materials: list[str] | None = None,
        support_amount: Decimal | None = None,
        support_text: str = "",
        no_application: bool = False,
        publish: bool = True,
    ) -> Programme | None:
        """A new programme, published the working day before its window opens (None when it is
        there already: its story has been told)."""
        if Programme.objects.filter(title=title).exists():
            return None
        by = self.operator(department)
        opens, closes = window
        self.at(democlock.workday(opens - dt.timedelta(days=6)), 9 * 60)
        programme = services.programme_save(
            by=by,
            values={
                "policy": self.policies[policy],
                "title": title,
                "window_opens": opens,
                "window_closes": closes,
                "support_amount": support_amount,
                "support_text": support_text,
                "materials": materials or MATERIALS_RECOMMEND,
                "no_application": no_application,
                "criteria": criteria or {},
                "department": self.departments[department],
            },
        )
        if publish:
            self.at(democlock.workday(opens - dt.timedelta(days=3)), 15 * 60)
            programme = services.programme_publish(by=by, programme=programme)
        self.made["programmes"] += 1
        return programme

    def close(self, programme: Programme) -> None:
        self.at(democlock.workday(programme.window_closes + dt.timedelta(days=1)), 9 * 60)
        services.programme_close(by=self.operator(programme.department.code), programme=programme)

    def apply(
        self,
        programme: Programme,
        enterprise: Enterprise,
        *,
        number: int,
        day: dt.date,
        by: User | None = None,
        recommend: bool = False,
        statement: str = "",
    ) -> Application:
        by = by or self.operator(programme.department.code)
        self.at(day, 9 * 60 + self.rng.randrange(0, 420))
        service = (
            services.application_recommend_by_department
            if recommend
            else services.application_apply
        )
        application, created = service(
            by=by,
            programme=programme,
            enterprise=enterprise,
            statement=statement,
            client_token=f"{PREFIX}{number:03d}",
        )
        self.made["applications"] += int(created)
        return application

    def review(self, application: Application, day: dt.date, note: str = "") -> Application:
        self.at(day, 10 * 60 + self.rng.randrange(0, 360))
        return services.application_review(
            by=self.operator(application.programme.department.code),
            application=application,
            passed=True,
            materials_checked=list(application.programme.materials),
            note=note,
        )

    def upward(self, application: Application, day: dt.date, note: str) -> Application:
        self.at(day, 14 * 60 + self.rng.randrange(0, 120))
        return services.application_recommend(
            by=self.operator(application.programme.department.code),
            application=application,
            note=note,
        )

    def result(
        self, application: Application, day: dt.date, amount: Decimal | None, note: str
    ) -> Application:
        self.at(day, 11 * 60)
        return services.application_result(
            by=self.operator(application.programme.department.code),
            application=application,
            approved=amount is not None,
            amount=amount,
            note=note,
        )

    def funds(self, application: Application, day: dt.date, amount: Decimal) -> Application:
        self.at(day, 16 * 60)
        return services.application_funds(
            by=self.operator(application.programme.department.code),
            application=application,
            amount=amount,
            on=min(day, timezone.localdate(self.clock.at)),
            note="资金已拨付至企业账户",
        )

    def spread(self, opens: dt.date, closes: dt.date, count: int) -> list[dt.date]:
        """`count` working days spread over the window, in order."""
        span = max((closes - opens).days, 1)
        return sorted(
            min(democlock.workday(opens + dt.timedelta(days=self.rng.randrange(0, span))), closes)
            for _ in range(count)
        )

    # --- the seed's policy work ------------------------------------------------------------

    def tech_innovation(self) -> None:
        """30 enterprises recommended by 经信局 for the province's technology-innovation projects,
        reviewed and recommended upward; the province has not yet announced its plan."""
        opens, closes = democlock.workday(self.days(-80)), democlock.workday(self.days(-50))
        year = closes.year + 1
        programme = self.programme(
            policy="province-innovation",
            title=f"{year}年度山东省技术创新项目计划推荐",
            window=(opens, closes),
            department="jxj",
            criteria={"combine": "all", "conditions": [SECTION_C, ABOVE_SCALE]},
            support_text="列入省技术创新项目计划，享受研发费用加计扣除等相关政策",
        )
        if programme is None:
            return
        named = [self.by_name[n] for n in TECH_INNOVATION_NAMED if n in self.by_name]
        pool = self.industrial(exclude=set(TECH_INNOVATION_NAMED))
        chosen = named + self.rng.sample(pool, TECH_INNOVATION - len(named))
        days = self.spread(opens, closes, len(chosen))
        applications = [
            self.apply(
                programme,
                enterprise,
                number=100 + n,
                day=day,
                recommend=True,
                statement=f"{enterprise.name}技术创新项目，拟开展关键工艺和新产品研发。",
            )
            for n, (enterprise, day) in enumerate(zip(chosen, days, strict=True), start=1)
        ]
        self.close(programme)
        for application in applications:
            self.review(
                application, democlock.workday(closes + dt.timedelta(days=3)), "材料齐全，符合条件"
            )
        upward = democlock.workday(closes + dt.timedelta(days=10))
        for application in applications:
            self.upward(application, upward, "经区经信局审核，推荐列入省技术创新项目计划")

    def new_product(self) -> None:
        """瑞丰气体 and 崂山电子 certified for new products, rewarded, the funds received."""
        opens, closes = democlock.workday(self.days(-215)), democlock.workday(self.days(-185))
        programme = self.programme(
            policy="city-new-product",
            title=f"{closes.year}年青岛市新技术新产品认定（第一批）",
            window=(opens, closes),
            department="jxj",
            criteria={"combine": "all", "conditions": [SECTION_C, THREE_YEARS]},
            materials=["新产品认定申请表", "产品检测报告", "知识产权证明", "用户使用报告"],
            support_amount=Decimal("30"),
            support_text="认定的新技术新产品给予一次性奖励，最高30万元",
        )
        if programme is None:
            return
        amounts = {"瑞丰气体": Decimal("20"), "崂山电子": Decimal("15")}
        products = {"瑞丰气体": "高纯电子特种气体", "崂山电子": "高精度电子元器件"}
        applications = []
        for n, name in enumerate(NEW_PRODUCT, start=1):
            enterprise = self.by_name.get(name)
            if enterprise is None:
                continue
            portal = self.users.get("ruifeng") if name == JOURNEY_ENTERPRISE else None
            applications.append(
                self.apply(
                    programme,
                    enterprise,
                    number=200 + n,
                    day=democlock.workday(opens + dt.timedelta(days=2 + 4 * n)),
                    by=portal,
                    statement=f"申请认定{products[name]}为青岛市新技术新产品。",
                )
            )
        self.close(programme)
        for application in applications:
            self.review(application, democlock.workday(closes + dt.timedelta(days=4)))
            self.upward(
                application,
                democlock.workday(closes + dt.timedelta(days=8)),
                "推荐认定为青岛市新产品",
            )
        for application in applications:
            amount = amounts[application.enterprise.name]
            self.result(
                application,
                democlock.workday(closes + dt.timedelta(days=60)),
                amount,
                "认定为青岛市新技术新产品",
            )
            self.funds(application, democlock.workday(closes + dt.timedelta(days=110)), amount)

    def clean_production(self) -> None:
        """2 enterprises recommended as clean-production enterprises (清洁生产先进企业)."""
        opens, closes = democlock.workday(self.days(-135)), democlock.workday(self.days(-105))
        programme = self.programme(
            policy="city-clean",
            title=f"{closes.year}年度青岛市清洁生产先进企业推荐",
            window=(opens, closes),
            department="hbj",
            criteria={"combine": "all", "conditions": [SECTION_C, THREE_YEARS]},
            materials=["推荐表", "清洁生产审核报告", "审核验收意见", "近三年环保守法证明"],
            support_text="列为清洁生产先进企业，向社会公布",
        )
        if programme is None:
            return
        pool = self.industrial(exclude=SEED_NAMES)
        chosen = self.rng.sample(pool, CLEAN_PRODUCTION)
        days = self.spread(opens, closes, len(chosen))
        applications = [
            self.apply(programme, e, number=300 + n, day=d, recommend=True)
            for n, (e, d) in enumerate(zip(chosen, days, strict=True), start=1)
        ]
        self.close(programme)
        for application in applications:
            self.review(
                application, democlock.workday(closes + dt.timedelta(days=2)), "已完成清洁生产审核"
            )
            self.upward(
                application,
                democlock.workday(closes + dt.timedelta(days=6)),
                "推荐为清洁生产先进企业",
            )

    def conservation(self) -> None:
        """玖琦化工 and 洁新再生资源有限公司 win 节约型社会 projects: approved, funds received; a
        third applicant is not approved."""
        opens, closes = democlock.workday(self.days(-330)), democlock.workday(self.days(-300))
        programme = self.programme(
            policy="city-conservation",
            title=f"{closes.year}年度青岛市节约型社会建设专项资金项目",
            window=(opens, closes),
            department="fgj",
            criteria={"combine": "all", "conditions": [ABOVE_SCALE, THREE_YEARS]},
            materials=[
                "资金申请报告",
                "项目备案文件",
                "节能量（资源综合利用量）测算报告",
                "营业执照复印件",
            ],
            support_amount=Decimal("200"),
            support_text="按项目投资额给予补助，单个项目最高200万元",
        )
        if programme is None:
            return
        winners = {"玖琦化工": Decimal("80"), "洁新再生资源有限公司": Decimal("120")}
        projects = {
            "玖琦化工": "废酸资源化综合利用项目",
            "洁新再生资源有限公司": "废旧物资分拣加工中心节能改造项目",
        }
        enterprises = [self.by_name[n] for n in CONSERVATION if n in self.by_name]
        other = self.rng.choice(self.industrial(exclude=SEED_NAMES))
        projects[other.name] = "余热回收利用项目"
        applications = [
            self.apply(
                programme,
                enterprise,
                number=400 + n,
                day=democlock.workday(opens + dt.timedelta(days=3 * n)),
                statement=f"申报{projects[enterprise.name]}。",
            )
            for n, enterprise in enumerate([*enterprises, other], start=1)
        ]
        self.close(programme)
        for application in applications:
            self.review(application, democlock.workday(closes + dt.timedelta(days=5)))
            self.upward(
                application,
                democlock.workday(closes + dt.timedelta(days=12)),
                "推荐上报市发展改革委",
            )
        for application in applications:
            amount = winners.get(application.enterprise.name)
            note = "列入节约型社会建设专项资金支持项目" if amount else "项目节能量未达到支持标准"
            self.result(
                application, democlock.workday(closes + dt.timedelta(days=70)), amount, note
            )
            if amount:
                self.funds(application, democlock.workday(closes + dt.timedelta(days=130)), amount)

    def circular(self) -> None:
        """4 enterprises recommended as circular-economy pilots."""
        opens, closes = democlock.workday(self.days(-170)), democlock.workday(self.days(-140))
        programme = self.programme(
            policy="city-circular",
            title=f"{closes.year}年度青岛市循环经济示范试点单位推荐",
            window=(opens, closes),
            department="fgj",
            criteria={"combine": "all", "conditions": [ABOVE_SCALE, THREE_YEARS]},
            materials=["推荐表", "循环经济试点实施方案", "营业执照复印件"],
            support_text="列为市级循环经济示范试点单位，优先推荐申报上级资金",
        )
        if programme is None:
            return
        named = [self.by_name[n] for n in CIRCULAR_NAMED if n in self.by_name]
        pool = self.industrial(exclude=SEED_NAMES)
        chosen = named + self.rng.sample(pool, CIRCULAR - len(named))
        days = self.spread(opens, closes, len(chosen))
        applications = [
            self.apply(programme, e, number=500 + n, day=d, recommend=True)
            for n, (e, d) in enumerate(zip(chosen, days, strict=True), start=1)
        ]
        self.close(programme)
        for application in applications:
            self.review(application, democlock.workday(closes + dt.timedelta(days=3)))
            self.upward(
                application,
                democlock.workday(closes + dt.timedelta(days=9)),
                "推荐为循环经济示范试点单位",
            )

    # --- current programmes ----------------------------------------------------------------

    def renovation(self) -> None:
        """The district's renovation subsidy, open now: pushed to its eligible list; 天路集团
        applied and was reviewed, two were recommended by 经信局; 瑞丰气体 qualifies and has
        not applied."""
        opens, closes = self.days(-12), self.days(25)
        programme = self.programme(
            policy="district-industry",
            title=f"{opens.year}年度李沧区工业企业技术改造项目补助",
            window=(opens, closes),
            department="jxj",
            criteria={
                "combine": "all",
                "conditions": [SECTION_C, ABOVE_SCALE, THREE_YEARS, REVENUE_2000, EMPLOYEES_50],
            },
            materials=MATERIALS_RENOVATION,
            support_amount=Decimal("200"),
            support_text="按设备投资额的10%给予补助，单个项目最高200万元",
        )
        if programme is None:
            return
        self.push(
            programme,
            number=1,
            day=democlock.workday(opens),
            title=f"请及时申报：{programme.title}",
            body="贵企业符合本项目申报条件，请于"
            f"{programme.window_closes.isoformat()}前通过平台提交申报材料。",
        )
        tianlu = self.by_name.get("天路集团")
        portal = self.users.get("tianlu")
        if tianlu is not None and portal is not None:
            application = self.apply(
                programme,
                tianlu,
                number=601,
                day=democlock.workday(opens + dt.timedelta(days=2)),
                by=portal,
                statement="智能化生产线升级改造项目，设备投资约1800万元。",
            )
            self.review(application, democlock.workday(opens + dt.timedelta(days=6)), "材料齐全")
        jxj = self.operator("jxj")
        eligible = [
            m.enterprise
            for m in selectors.programme_matches(user=jxj, programme=programme).eligible
            if m.enterprise is not None and m.enterprise.name not in SEED_NAMES
        ]
        for n, enterprise in enumerate(self.rng.sample(eligible, min(2, len(eligible))), 2):
            self.apply(
                programme,
                enterprise,
                number=600 + n,
                day=democlock.workday(opens + dt.timedelta(days=3 + n)),
                recommend=True,
                statement="企业正在实施设备更新改造，建议支持。",
            )

    def high_tech_reward(self) -> None:
        """免申即享: the reward of the district's 高新技术企业; the list confirmed, half paid."""
        opens, closes = self.days(-25), self.days(20)
        programme = self.programme(
            policy="district-science",
            title=f"{opens.year}年度高新技术企业奖励（免申即享）",
            window=(opens, closes),
            department="kjj",
            criteria={"combine": "all", "conditions": [HIGH_TECH, THREE_YEARS]},
            materials=[],
            support_amount=Decimal("10"),
            support_text="对有效期内的高新技术企业给予10万元奖励，无需申报",
            no_application=True,
        )
        if programme is None:
            return
        by = self.operator("kjj")
        eligible = [
            m.enterprise
            for m in selectors.programme_matches(user=by, programme=programme).eligible
            if m.enterprise is not None
        ]
        if not eligible:
            return
        self.at(democlock.workday(opens + dt.timedelta(days=3)), 10 * 60)
        confirmed = services.programme_confirm_list(
            by=by, programme=programme, enterprises=eligible
        )
        self.made["applications"] += len(confirmed)
        paid_on = democlock.workday(opens + dt.timedelta(days=12))
        for application in confirmed[: (len(confirmed) + 1) // 2]:
            self.funds(application, min(paid_on, self.today), Decimal("10"))

    def current(self) -> None:
        """The other current programmes: 专精特新 and talent (open), technology centres (opens
        next week) and a draft."""
        opens = self.days(-6)
        self.programme(
            policy="city-specialised",
            title=f"{opens.year}年度青岛市专精特新中小企业奖励",
            window=(opens, self.days(40)),
            department="jxj",
            criteria={
                "combine": "all",
                "conditions": [
                    {"field": "tags", "op": "has_any", "value": ["专精特新"]},
                    SECTION_C,
                    EMPLOYEES_50,
                    THREE_YEARS,
                ],
            },
            materials=["申报书", "专精特新企业认定文件", "上年度财务审计报告"],
            support_amount=Decimal("50"),
            support_text="新认定的专精特新中小企业奖励20万元，“小巨人”企业奖励50万元",
        )
        self.programme(
            policy="district-talent",
            title=f"{opens.year}年度李沧区重点企业人才引进补贴",
            window=(self.days(-15), self.days(15)),
            department="rsj",
            criteria={
                "combine": "any",
                "conditions": [
                    {"field": "key", "op": "is", "value": True},
                    {
                        "field": "tags",
                        "op": "has_any",
                        "value": ["高新技术企业", "专精特新", "瞪羚企业"],
                    },
                ],
            },
            materials=["人才引进补贴申请表", "劳动合同", "学历学位证书", "社保缴纳证明"],
            support_amount=Decimal("20"),
            support_text="博士每人补贴5万元、硕士每人2万元，每家企业最高20万元",
        )
        soon = self.days(7)
        self.programme(
            policy="province-tech-centre",
            title=f"{soon.year}年度山东省企业技术中心认定推荐",
            window=(soon, self.days(37)),
            department="jxj",
            criteria={
                "combine": "all",
                "conditions": [
                    SECTION_C,
                    ABOVE_SCALE,
                    {"field": "revenue_last_year", "op": ">=", "value": 30000},
                    {"field": "tags", "op": "has_any", "value": ["高新技术企业", "专精特新"]},
                ],
            },
            materials=["企业技术中心认定申请报告", "评价材料", "上年度财务审计报告"],
            support_text="认定为省级企业技术中心，享受科技创新相关扶持政策",
        )
        self.programme(
            policy="district-industry",
            title=f"{self.days(40).year}年度李沧区节能技术改造项目补助",
            window=(self.days(40), self.days(80)),
            department="jxj",
            criteria={"combine": "all", "conditions": [SECTION_C, ABOVE_SCALE, REVENUE_2000]},
            materials=["项目申报书", "节能量审核报告", "营业执照复印件"],
            support_amount=Decimal("100"),
            support_text="按节能量给予补助，单个项目最高100万元",
            publish=False,
        )

    # --- pushes and notices ----------------------------------------------------------------

    def push(
        self,
        programme: Programme | None,
        *,
        number: int,
        day: dt.date,
        title: str,
        body: str,
        target: dict[str, Any] | None = None,
        department: str = "jxj",
        sms: bool = True,
    ) -> None:
        token = f"{NOTICE_PREFIX}{number:03d}"
        if Notice.objects.filter(client_token=token).exists():
            return
        by = self.operator(programme.department.code if programme else department)
        self.at(day, 9 * 60 + 30)
        notice, created = services.notice_send(
            by=by,
            title=title,
            body=body,
            target=target or {"eligible": True},
            programme=programme,
            sms=sms,
            client_token=token,
        )
        if not created:
            return
        self.made["notices"] += 1
        deliveries = list(notice.deliveries.select_related("enterprise").order_by("pk"))
        self.made["deliveries"] += len(deliveries)
        readers = {
            u.enterprise_id: u
            for u in User.objects.filter(
                role=Role.ENTERPRISE_USER,
                is_active=True,
                enterprise_id__in=[d.enterprise_id for d in deliveries],
            ).order_by("pk")
        }
        for delivery in deliveries:
            reader = readers.get(delivery.enterprise_id)
            if reader is None:
                continue
            name = delivery.enterprise.name
            if name == JOURNEY_ENTERPRISE and programme is not None:
                continue  # 瑞丰气体 finds the programme among its matches in the journey
            if name != "天路集团" and self.rng.random() < 0.35:
                continue
            later = dt.timedelta(hours=self.rng.randrange(1, 60))
            self.clock.at = min(notice.sent_at + later, self.clock.real - dt.timedelta(minutes=5))
            services.delivery_read(by=reader, delivery=Delivery.objects.get(pk=delivery.pk))
            self.made["read"] += 1

    def notices(self) -> None:
        self.push(
            None,
            number=2,
            day=democlock.workday(self.days(-9)),
            title="关于开展惠企政策宣讲进企业活动的通知",
            body="区经信局将会同有关部门于近期分片区开展惠企政策宣讲，解读技术改造、技术创新、"
            "专精特新、节能降耗等政策的申报条件和流程，请各规上工业企业安排专人参加。",
            target={"above_scale": True},
            department="jxj",
            sms=False,
        )
        self.push(
            None,
            number=3,
            day=democlock.workday(self.days(-4)),
            title="关于做好研发费用加计扣除政策辅导的通知",
            body="为帮助企业用足用好研发费用税前加计扣除政策，区税务局将开展一对一政策辅导，"
            "请有研发活动的企业指定财务人员对接。",
            target={"tags": ["高新技术企业", "科技型中小企业", "专精特新"]},
            department="sw",
            sms=False,
        )


def _users() -> dict[str, User] | None:
    """The district leader, the department staff who act and the portal users; None without the
    leader (the enterprise demo makes it)."""
    wanted = {LEADER, *OPERATORS.values(), "tianlu", "ruifeng"}
    users = {u.username: u for u in User.objects.filter(username__in=wanted, is_active=True)}
    if LEADER not in users:
        return None
    return users


@transaction.atomic
def build() -> dict[str, int]:
    """The library, the seed's policy work, current programmes, pushes and notices."""
    users = _users()
    if users is None or not OrgUnit.objects.filter(code=DISTRICT).exists():
        return {
            "policies": 0,
            "programmes": 0,
            "applications": 0,
            "notices": 0,
            "deliveries": 0,
            "read": 0,
        }
    seed.install(PolicyCategory)
    story = _Story(users, _today())
    # what the services write into the record (titles of notifications) is in the district's
    # language
    with (
        mock.patch.object(timezone, "now", story.clock),
        translation.override(settings.LANGUAGE_CODE),
    ):
        story.build_policies()
        story.conservation()
        story.new_product()
        story.circular()
        story.clean_production()
        story.tech_innovation()
        story.high_tech_reward()
        story.renovation()
        story.current()
        story.notices()
    return story.made
