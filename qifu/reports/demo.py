"""The demo's research reports (调研报告): the seed's seven, two of them with the seed's titles.

- 《我区企业当前面临的主要问题及对策》: drafted by the drafting tool from the district's visits and
  appeals of the year (the leaders' visits that found the seed's 67 problems), its countermeasures
  then written in by the authors (王区长, 张副区长, 经信局), the list of the problems attached as an
  Excel file, and made final.
- 《李沧区商贸流通业发展现状及对策》: a thematic report written by hand after the trade symposium
  (商贸流通企业座谈会), drawing on it; final.
- The district's report on the visiting work of the last quarter, drafted from the data, its next
  steps written in; final.
- 楼山街道's report on the transformation of its industrial enterprises, after its symposium;
  reports on the financial institutions' support (after the bank symposium) and on recruitment;
  final. One on the financing of small enterprises is still a draft.

Every report has a district leader among its authors.

Dates. Each report is written on a clock set a few working days after the end of its period (for
the current period: earlier today), and made final later, so its created and finalised times and
its audit events follow each other and lie in the past.

Idempotent: each report carries `client_token="demo-report-N"` (kept in its creation's audit
event); a build that finds it leaves it. Needs the leaders (the enterprise demo) and the district's
accounts (core demo); without `leader` it makes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.models import OrgUnit
from qifu.core.workdays import add_working_days
from qifu.lib.quarters import Span
from qifu.lib.xlsx import write_table
from qifu.reports import drafting, services
from qifu.reports.models import Report, ReportKind, ReportStatus

PREFIX = "demo-report-"
DISTRICT = "370213"
LOUSHAN = "370213006"
PROBLEMS_TITLE = "我区企业当前面临的主要问题及对策"
TRADE_TITLE = "李沧区商贸流通业发展现状及对策"

COUNTERMEASURES = {
    "土地房产": "对历史遗留的土地、房产证办理问题建立台账，由区自然资源局牵头，"
    "住建、税务等部门配合，一企一策、限时办结；对手续不全但符合规划的厂房，按照“尊重历史、分类处置”的原则集中补办。",
    "融资信贷": "建立政银企对接常态化机制，每季度组织一次银企对接会；发挥应急转贷资金和政策性担保的"
    "作用，扩大知识产权、应收账款质押融资，帮助轻资产的科技型企业拓宽融资渠道。",
    "用工人才": "依托区人社局和各街道劳动保障服务站，建立重点企业用工需求台账，定期举办专场招聘会；"
    "落实高校毕业生就业和技能培训补贴，帮助企业引进和留住技术骨干。",
    "政策兑现": "梳理各级惠企政策，编制政策清单和兑现指南，推行“免申即享”和网上办理，明确兑现时限，"
    "由区经信局按月督办兑现进度。",
    "审批手续": "推行项目审批“帮办代办”，对重点企业技改和扩产项目实行并联审批、容缺受理，"
    "压缩审批时限。",
    "水电气暖与基础设施": "会同供电、供水、燃气、供热单位建立重点企业要素保障联络机制，"
    "对企业反映的配套设施问题列出清单、挂图作战。",
    "规划建设": "对企业扩产涉及的规划调整和用地需求提前介入、统筹安排，保障优质项目落地。",
    "市场开拓": "组织产销对接和展会推介活动，支持企业开拓国内外市场，鼓励区内企业配套协作。",
    "科技创新": "支持企业建设技术中心和研发平台，落实研发费用加计扣除等政策，推动产学研合作。",
    "环保安全": "对企业环保、安全生产方面的困难开展上门指导服务，帮助企业合规经营。",
    "税费": "落实各项减税降费政策，对企业反映的税费问题及时解答和协调，做到应享尽享。",
}
GENERIC_COUNTERMEASURE = "由相关部门牵头，逐项研究解决办法，明确责任单位和完成时限，跟踪督办落实。"
NEXT_STEPS = {
    "未走访企业的走访安排": "对尚未走访的包干企业列出清单，"
    "由包干领导在下一季度第一个月内完成走访。",
    "问题跟踪办理": "对走访中收集的问题实行台账管理，每月调度办理进度，办结一件、销号一件。",
    "风险信号处置": "对有外迁、减产、资金紧张等风险信号的企业逐一明确责任人，加强跟踪服务，"
    "及时协调化解。",
}

TRADE_BODY = """\
为摸清我区商贸流通业发展现状，区政府组织区商务局和有关街道，召开商贸流通企业座谈会，\
走访了批发零售、物流仓储企业和专业市场，听取企业意见。现将调研情况报告如下。

# 一、发展现状

我区商贸流通业保持平稳发展，以李村商圈为中心的商业布局基本形成，专业市场集聚效应逐步显现，\
电子商务等新业态发展较快，成为拉动消费、吸纳就业的重要力量。

| 业态 | 主要载体 | 发展特点 |
| --- | --- | --- |
| 商业综合体 | 李村商圈 | 客流集中，竞争加剧 |
| 专业市场 | 沧口、楼山一带 | 规模较大，转型升级任务重 |
| 物流仓储 | 金水路商贸物流园 | 需求旺盛，用地和冷链设施不足 |

# 二、存在的主要问题

- 线上渠道分流明显，实体门店客流下降。
- 物流企业用地和冷链设施不足，车辆进城通行受限。
- 专业市场设施老化，经营方式传统，转型升级压力较大。

> 有企业在座谈会上说：“线上冲击大，实体店的人工和租金成本一年比一年高。”

# 三、对策建议

## （一）优化商业网点布局

结合东、中、西三个片区的功能定位统筹规划商业网点，补齐东部、西部区域的商业配套。

## （二）推动专业市场和物流业转型升级

引导专业市场改造提升设施，发展展示交易和电子商务；在物流园区统筹安排冷链设施用地。

## （三）组织促消费活动

将促消费活动纳入年度工作方案，对企业参加展会给予补贴。
"""

FINANCE_BODY = """\
结合银企对接座谈会，我们对金融机构支持实体经济的情况进行了专题调研。

# 一、基本情况

区内各合作银行普惠金融产品不断丰富，续贷和无还本续贷政策逐步落实，\
重点企业的流动资金需求基本得到满足。

# 二、存在的问题

- 科技型中小企业缺少有效抵押物，授信额度偏低。
- 贷款期限与技改项目周期不匹配，短贷长用现象较多。
- 银企信息不对称，部分企业不了解政策性金融产品。

# 三、对策建议

## （一）常态化开展银企对接

每季度组织一次银企对接会，建立企业融资需求清单，推送各合作银行逐户对接，按月通报对接结果。

## （二）落实不抽贷、不断贷

对暂时困难的重点企业，协调银行不抽贷、不断贷，用好应急转贷资金。
"""

LABOUR_BODY = """\
# 一、基本情况

走访中，多数重点企业反映一线普工招聘难、流动性大，技术工人和专业人才紧缺，用工成本逐年上升。

# 二、主要问题

- 一线普工招聘难，旺季用工缺口大。
- 技术工人和专业人才紧缺，引不来、留不住。
- 社保等用工成本上升较快。

# 三、对策建议

## （一）建立用工需求台账

依托各街道劳动保障服务站，按季度更新重点企业用工需求，定期举办专场招聘会。

## （二）加强技能培训和人才引进

落实职业技能培训补贴和人才引进政策，支持企业与职业院校合作定向培养技术工人。
"""

LOUSHAN_BODY = """\
为推动楼山片区工业企业转型升级，楼山街道会同区有关部门召开工业企业座谈会，并走访了辖区重点企业。

# 一、基本情况

楼山片区是我区传统工业集中区，企业以化工、机械、建材为主，多数企业厂区建成时间较早。

# 二、企业反映的主要问题

- 老厂区环保治理投入大，技术改造资金压力大。
- 园区道路、供热等配套需要改善。
- 部分企业希望在片区内就近扩建，用地空间不足。

# 三、对策建议

## （一）支持企业技术改造

梳理企业技改需求，争取上级技改资金支持，落实技改项目贴息政策。

## （二）完善园区配套

报请区发改局、经信局统筹园区道路、供热等配套设施建设。

## （三）盘活存量土地

清理片区闲置低效用地，优先保障企业就近扩建。
"""

SME_BODY = """\
# 一、基本情况

（请补充走访和诉求数据）

# 二、主要问题

- 缺少抵押物，贷款难。
- 担保和中介费用推高融资成本。

# 三、对策建议

（请在此撰写对策）
"""


def report_year(today: dt.date) -> Span:
    """The year the problems report covers: this year, or last year in its first quarter."""
    return Span(today.year if today.month > 3 else today.year - 1)


def _users() -> dict[str, User] | None:
    wanted = ["leader", "zhang_fqz", "li_fqz", "zhao_fqz", "sun_fqz", "zhou_fqz"]
    wanted += ["jxj", "tcj", "licun", "loushan", "swj_ks", "czj_ks", "rsj_ks"]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=wanted, is_active=True).select_related(
            "org_unit__parent"
        )
    }
    return users if "leader" in users else None


def _day(value: dt.date) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def _moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _times(span: Span, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When a report on `span` is written and when it is made final: a few working days after
    the period ends, or earlier today for a period still running; always in the past."""
    today = timezone.localdate(now)
    if span.last_day < today:
        written = _moment(min(_day(add_working_days(span.last_day, 3)), today), 9, 30)
        final = _moment(_day(add_working_days(written.date(), 2)), 16)
    else:
        written, final = now - dt.timedelta(hours=3), now - dt.timedelta(hours=1)
    written = min(written, now - dt.timedelta(hours=3))
    final = min(final, now - dt.timedelta(hours=1))
    return written, max(final, written + dt.timedelta(minutes=30))


def _on(moment: dt.datetime, run: Callable[[], Any]) -> Any:
    with mock.patch.object(timezone, "now", lambda: moment):
        return run()


def _fill(body: str, texts: dict[str, str], default: str, placeholder: str) -> str:
    """Each placeholder under a "## （n）…" heading replaced by the text for that heading."""

    def replace(match: re.Match[str]) -> str:
        heading = match.group(1)
        text = next((t for key, t in texts.items() if key in heading), default)
        return f"## {heading}\n\n{text}"

    return re.sub(rf"## ([^\n]+)\n\n{re.escape(placeholder)}", replace, body)


def _authors(users: dict[str, User], *names: str) -> list[User]:
    return [users[n] for n in names if n in users]


def _problems_list(report: Report) -> SimpleUploadedFile:
    """The appeals the report draws on, as the Excel list attached to it."""
    rows = (
        (a.number, a.enterprise.name, a.category.name, a.title, a.get_status_display())
        for a in report.appeals.select_related("enterprise", "category").order_by("number")
    )
    content = write_table(
        title=f"{report.title}：企业反映问题清单",
        headers=["编号", "企业", "类别", "问题", "办理状态"],
        rows=rows,
        sheet="问题清单",
    )
    return SimpleUploadedFile("企业反映问题清单.xlsx", content)


def _drafted(
    *,
    token: str,
    by: User,
    unit: OrgUnit,
    span: Span,
    kind: str,
    now: dt.datetime,
    title: str = "",
    authors: list[User] = (),  # type: ignore[assignment]
    texts: dict[str, str],
    default: str,
    placeholder: str,
    attach: bool = False,
) -> tuple[Report, bool]:
    written, final = _times(span, now)
    report, created = _on(
        written,
        lambda: services.report_draft(
            by=by, period=str(span), org_unit=unit, kind=kind, client_token=token
        ),
    )
    if not created:
        return report, False
    changes: dict[str, Any] = {"body": _fill(report.body, texts, default, placeholder)}
    if title:
        changes["title"] = title
    if authors:
        changes["authors"] = [by, *[a for a in authors if a.pk != by.pk]]
    _on(written, lambda: services.report_update(by=by, report=report, **changes))
    if attach:
        _on(
            written,
            lambda: services.report_attach(by=by, report=report, uploads=[_problems_list(report)]),
        )
    _on(final, lambda: services.report_finalise(by=by, report=report))
    return report, True


def _written(
    *,
    token: str,
    by: User,
    unit: OrgUnit,
    span: Span,
    title: str,
    body: str,
    summary: str,
    now: dt.datetime,
    authors: list[User] = (),  # type: ignore[assignment]
    visits: list[Any] = (),  # type: ignore[assignment]
    appeals: list[Any] = (),  # type: ignore[assignment]
    final: bool = True,
) -> tuple[Report, bool]:
    written, finalised = _times(span, now)
    report, created = _on(
        written,
        lambda: services.report_create(
            by=by,
            title=title,
            kind=ReportKind.THEMATIC,
            org_unit=unit,
            period=str(span),
            summary=summary,
            body=body,
            authors=[by, *[a for a in authors if a.pk != by.pk]],
            visits=visits,
            appeals=appeals,
            client_token=token,
        ),
    )
    if created and final:
        _on(finalised, lambda: services.report_finalise(by=by, report=report))
    return report, created


def _visits(by: User, purpose: str) -> list[Any]:
    from qifu.visits.models import VisitStatus
    from qifu.visits.selectors import visits_for_user

    return list(
        visits_for_user(user=by)
        .filter(status=VisitStatus.FINAL, purpose__startswith=purpose)
        .values_list("pk", flat=True)
    )


def _appeals(by: User, category: str, span: Span) -> list[Any]:
    from qifu.appeals.selectors import appeals_for_user

    return list(
        appeals_for_user(user=by)
        .filter(
            category__code=category,
            submitted_at__date__gte=span.first_day,
            submitted_at__date__lte=span.last_day,
        )
        .values_list("pk", flat=True)
    )


@transaction.atomic
def build() -> dict[str, int]:
    made = {"reports": 0, "final": 0, "drafts": 0}
    users = _users()
    if users is None:
        return made
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[DISTRICT, LOUSHAN])}
    if len(units) < 2:
        return made
    district, loushan = units[DISTRICT], units[LOUSHAN]
    now = timezone.now()
    today = timezone.localdate(now)
    current = Span.quarter_of(today)
    last = current.previous()
    year = report_year(today)
    leader = users["leader"]
    zhang = users.get("zhang_fqz", leader)
    li = users.get("li_fqz", leader)
    zhao = users.get("zhao_fqz", leader)
    sun = users.get("sun_fqz", leader)

    results = [
        _drafted(
            token=f"{PREFIX}1",
            by=leader,
            unit=district,
            span=year,
            kind=ReportKind.PROBLEMS,
            now=now,
            title=PROBLEMS_TITLE,
            authors=_authors(users, "zhang_fqz", "jxj"),
            texts=COUNTERMEASURES,
            default=GENERIC_COUNTERMEASURE,
            placeholder=drafting.PLACEHOLDER,
            attach=True,
        ),
        _written(
            token=f"{PREFIX}2",
            by=zhang,
            unit=district,
            span=last,
            title=TRADE_TITLE,
            body=TRADE_BODY,
            summary="我区商贸流通业平稳发展，但实体门店客流下降、物流用地和冷链设施不足、"
            "专业市场转型压力大，提出三条对策。",
            now=now,
            authors=_authors(users, "swj_ks"),
            visits=_visits(zhang, "商贸流通企业座谈会"),
            appeals=_appeals(zhang, "market", last),
        ),
        _drafted(
            token=f"{PREFIX}3",
            by=leader,
            unit=district,
            span=last,
            kind=ReportKind.VISITS,
            now=now,
            authors=_authors(users, "jxj"),
            texts=NEXT_STEPS,
            default=GENERIC_COUNTERMEASURE,
            placeholder=drafting.NEXT_STEP_PLACEHOLDER,
        ),
        _written(
            token=f"{PREFIX}4",
            by=li,
            unit=district,
            span=current,
            title="关于金融机构支持实体经济情况的调研报告",
            body=FINANCE_BODY,
            summary="银企对接成效初显，科技型中小企业融资仍难，建议常态化对接、落实续贷政策。",
            now=now,
            authors=_authors(users, "czj_ks"),
            visits=_visits(li, "银企对接座谈会"),
            appeals=_appeals(li, "finance", current),
        ),
        _written(
            token=f"{PREFIX}5",
            by=sun,
            unit=district,
            span=year,
            title="关于重点企业用工情况的调研报告",
            body=LABOUR_BODY,
            summary="重点企业普遍反映招工难、留人难，建议建立用工需求台账、加强技能培训。",
            now=now,
            authors=_authors(users, "rsj_ks"),
            appeals=_appeals(sun, "labour", year),
        ),
        _written(
            token=f"{PREFIX}6",
            by=users.get("loushan", zhao),
            unit=loushan,
            span=last,
            title="楼山街道工业企业转型升级调研",
            body=LOUSHAN_BODY,
            summary="楼山片区老工业企业技改和环保压力大、园区配套不足，提出技改、配套、用地三条对策。",
            now=now,
            authors=_authors(users, "zhao_fqz"),
            visits=_visits(zhao, "楼山街道工业企业座谈会"),
        ),
        _written(
            token=f"{PREFIX}7",
            by=zhao,
            unit=district,
            span=current,
            title="关于中小企业融资难问题的调研报告",
            body=SME_BODY,
            summary="",
            now=now,
            authors=_authors(users, "jxj"),
            final=False,
        ),
    ]
    for report, created in results:
        if created:
            made["reports"] += 1
            status = Report.objects.filter(pk=report.pk).values_list("status", flat=True).get()
            made["final" if status == ReportStatus.FINAL else "drafts"] += 1
    return made
