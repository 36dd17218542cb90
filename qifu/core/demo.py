"""The demo district of the seed (see README): org units, zones, departments and accounts.

`build_demo` runs `build()`; it is idempotent, and later modules add their part here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from qifu.accounts import services as account_services
from qifu.accounts.models import Role, User
from qifu.core import services
from qifu.core.models import Department, Level, OrgUnit, Zone

CITY = ("370200", "青岛市")
DISTRICT = ("370213", "李沧区")
ZONES = [("west", "西部"), ("central", "中部"), ("east", "东部")]
STREETS = [
    ("370213001", "振华路街道", "west"),
    ("370213002", "永清路街道", "west"),
    ("370213003", "永安路街道", "west"),
    ("370213004", "兴华路街道", "west"),
    ("370213005", "兴城路街道", "west"),
    ("370213006", "楼山街道", "west"),
    ("370213007", "李村街道", "central"),
    ("370213008", "虎山路街道", "central"),
    ("370213009", "浮山路街道", "central"),
    ("370213010", "湘潭路街道", "central"),
    ("370213011", "九水街道", "east"),
]
SERVICE_CENTRE = "jxj"
DEPARTMENTS = [
    ("fgj", "区发展和改革局"),
    ("jxj", "区经济和信息化局"),
    ("swj", "区商务局"),
    ("tcj", "区投资促进局"),
    ("czj", "区财政局"),
    ("sw", "国家税务总局青岛市李沧区税务局"),
    ("zrj", "区自然资源局"),
    ("zjj", "区住房和城乡建设局"),
    ("hbj", "区生态环境分局"),
    ("rsj", "区人力资源和社会保障局"),
    ("kjj", "区科学技术局"),
    ("scj", "区市场监督管理局"),
    ("tjj", "区统计局"),
    ("spj", "区行政审批服务局"),
]
# username, full name, role, org unit code (for enterprise users: the enterprise), department code
ACCOUNTS = [
    ("admin", "信息中心 周工", Role.SYSTEM_ADMIN, None, None),
    ("secadmin", "信息中心 吴工", Role.SECURITY_ADMIN, None, None),
    ("auditor", "审计室 郑工", Role.AUDIT_ADMIN, None, None),
    ("leader", "王区长", Role.DISTRICT_LEADER, "370213", None),
    ("jxj", "经信局 张科长", Role.DEPARTMENT_STAFF, "370213", "jxj"),
    ("zrj", "自然资源局 李科长", Role.DEPARTMENT_STAFF, "370213", "zrj"),
    ("tcj", "投资促进局 赵科长", Role.INVESTMENT_STAFF, "370213", None),
    ("tjj", "统计局 刘科长", Role.STATISTICS_STAFF, "370213", None),
    ("licun", "李村街道 陈主任", Role.STREET_STAFF, "370213007", None),
    ("loushan", "楼山街道 孙主任", Role.STREET_STAFF, "370213006", None),
    ("tianlu", "天路集团 办公室", Role.ENTERPRISE_USER, "天路集团", None),
    ("ruifeng", "瑞丰气体 办公室", Role.ENTERPRISE_USER, "瑞丰气体", None),
]
DEMO_USERNAMES = [row[0] for row in ACCOUNTS]


def _unit(code: str, name: str, level: str, parent: OrgUnit | None, **extra: Any) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    return services.org_unit_save(
        by=None, unit=unit, code=code, name=name, level=level, parent=parent, **extra
    )


@transaction.atomic
def build_org() -> dict[str, int]:
    city = _unit(*CITY, Level.CITY, None)
    district = _unit(*DISTRICT, Level.DISTRICT, city)
    zones: dict[str, Zone] = {}
    for order, (code, name) in enumerate(ZONES):
        zone = Zone.objects.filter(district=district, code=code).first()
        zones[code] = services.zone_save(
            by=None, zone=zone, district=district, code=code, name=name, sort_order=order
        )
    for order, (code, name, zone_code) in enumerate(STREETS):
        _unit(code, name, Level.STREET, district, zone=zones[zone_code], sort_order=order)
    for order, (code, name) in enumerate(DEPARTMENTS):
        department = Department.objects.filter(district=district, code=code).first()
        services.department_save(
            by=None,
            department=department,
            district=district,
            code=code,
            name=name,
            sort_order=order,
            # 区经济和信息化局 runs the 工业企业运行指挥部 and dispatches appeals
            is_service_centre=code == SERVICE_CENTRE,
        )
    return {"org_units": 2 + len(STREETS), "zones": len(ZONES), "departments": len(DEPARTMENTS)}


def demo_password() -> str:
    return settings.QIFU_DEMO_PASSWORD


@transaction.atomic
def build_accounts(password: str | None = None) -> int:
    """The demo accounts; an enterprise user is made once its enterprise exists."""
    from qifu.enterprises.models import Enterprise

    password = password or demo_password()
    district = OrgUnit.objects.get(code=DISTRICT[0])
    made = 0
    for username, full_name, role, unit, department_code in ACCOUNTS:
        if role == Role.ENTERPRISE_USER:
            enterprise = Enterprise.objects.filter(name=unit).select_related("street").first()
            if enterprise is None:
                continue
            scope: dict[str, Any] = {"org_unit": enterprise.street, "enterprise": enterprise}
        else:
            scope = {"org_unit": OrgUnit.objects.get(code=unit) if unit else None}
        if department_code:
            scope["department"] = Department.objects.get(district=district, code=department_code)
        user = User.objects.filter(username=username).first()
        account_services.user_save(
            by=None,
            user=user,
            password=password if user is None or not user.check_password(password) else None,
            username=username,
            full_name=full_name,
            role=role,
            is_active=True,
            **scope,
        )
        made += 1
    return made


def build(*, stdout: Any = None) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    calendar = services.calendar_sync(by=None)
    say(f"calendar: {calendar['years']} new years, {calendar['days']} days")
    org = build_org()
    say(
        f"org: {org['org_units']} org units, {org['zones']} zones, {org['departments']} departments"
    )
    from qifu.enterprises import demo as enterprise_demo

    enterprises = enterprise_demo.build()
    say(f"enterprises: {enterprises['created']} new, {enterprises['total']} in all")
    say(f"accounts: {build_accounts()}")
    from qifu.appeals import demo as appeal_demo

    appeals = appeal_demo.build()
    say(
        f"appeals: {appeals['created']} new, {appeals['total']} in all; "
        f"{appeals['solved']} solved in {appeals['solved_categories']} categories, "
        f"{appeals['staff']} department staff and "
        f"{appeals['enterprise_accounts']} enterprise portal accounts added"
    )
    from qifu.stats import demo as stats_demo

    stats = stats_demo.build()
    say(
        f"monthly figures: {stats['created']} new forms, {stats['submissions']} in all over "
        f"{stats['periods']} periods, {stats['listed']} enterprises listed, "
        f"{stats['approvals']} approvals"
    )
    from qifu.investment import demo as investment_demo

    investment = investment_demo.build()
    say(
        f"investment: {investment['channels']} new channels, {investment['leads']} new leads, "
        f"{investment['resources']} new resources"
    )
    from qifu.projects import demo as projects_demo

    projects = projects_demo.build()
    say(
        f"projects: {projects['projects']} new ({projects['key_projects']} key, "
        f"{projects['from_leads']} from leads), {projects['inspections']} monthly inspections, "
        f"{projects['meetings']} scheduling meetings, {projects['obstacles']} obstacles"
    )
    from qifu.visits import demo as visits_demo

    visits = visits_demo.build()
    say(
        f"visits: {visits['assignments']} new assignments, {visits['visits']} new visits "
        f"({visits['linked']} appeals linked, {visits['red_flags']} red flags, "
        f"{visits['resolved']} resolved), {visits['drafts']} drafts, {visits['plans']} plans"
    )
    from qifu.reports import demo as reports_demo

    reports = reports_demo.build()
    say(
        f"research reports: {reports['reports']} new ({reports['final']} final, "
        f"{reports['drafts']} in draft)"
    )
    from qifu.policies import demo as policies_demo

    policies = policies_demo.build()
    say(
        f"policies: {policies['policies']} new policies, {policies['programmes']} new programmes, "
        f"{policies['applications']} new applications, {policies['notices']} notices "
        f"({policies['deliveries']} deliveries, {policies['read']} read)"
    )
    from qifu.ideas import demo as ideas_demo

    ideas = ideas_demo.build()
    say(
        f"golden ideas: {ideas['ideas']} new ({ideas['supports']} supports), {ideas['total']} in "
        f"all, {ideas['adopted']} adopted, {ideas['to_approve']} answers to approve; tracking "
        f"code of the newest: {ideas['code'] or '-'}"
    )
