"""The drafting tool: a research report's first draft, built from the visits and appeals.

For a period (a quarter or a year), an org unit (the district or a street inside the user's
scope) and a kind, it reads the data through the visits and appeals modules' selectors, so that
the user's scope is respected, and writes the body in the shape of the seed's report
《我区企业当前面临的主要问题及对策》:

一、基本情况        enterprises visited by kind of visit and by street (final visits of the
                    period that met an enterprise of the unit); problems heard and their channels
二、主要问题        problems by category with counts and shares; the categories that grew against
                    the period before
三、典型问题        cases quoted from the appeals of the biggest categories
四、问题解决情况    solved, in progress and the rest; how they were solved
五、风险信号        the open red flags by kind
六、对策建议        one headed section per main category, for the authors to write

"Problems heard" are the appeals submitted in the period about an enterprise of the unit, except
those merged into another appeal as duplicates; "solved" are those closed as resolved. The
visiting-work kind (`visits`) counts the problems heard on visits only (channel visit or
symposium, or raised from a visit) and adds the coverage of the assigned enterprises.

Nothing is written here: `services.report_draft` saves the result as an editable draft. The
number of queries does not depend on the number of visits or appeals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from qifu.core.models import Level, OrgUnit
from qifu.lib.quarters import Span
from qifu.reports.markdown import escape
from qifu.reports.models import ReportKind

DRAFTABLE = (ReportKind.PROBLEMS, ReportKind.VISITS)
TYPICAL_CATEGORIES = 3  # typical cases are quoted from this many of the biggest categories
CASES_PER_CATEGORY = 2
MAIN_CATEGORIES = 5  # countermeasure sections
QUOTE_LENGTH = 80
PLACEHOLDER = "（请在此撰写对策）"
NEXT_STEP_PLACEHOLDER = "（请在此撰写）"
NUMERALS = "一二三四五六七八九十"

# The report is a Chinese document: its words are its content, not the interface's.
VISIT_KINDS = {
    "onsite": "实地走访",
    "symposium": "座谈会",
    "phone": "电话走访",
    "video": "视频走访",
}
CHANNELS = {
    "portal": "企业网上平台",
    "visit": "走访",
    "symposium": "座谈会",
    "phone": "电话",
    "association": "商会协会",
    "hotline": "12345热线转办",
    "other": "其他",
}
FLAG_KINDS = {
    "relocation": "外迁或关停意向",
    "layoffs": "裁员",
    "sales_drop": "销售收入大幅下降",
    "financing": "资金紧张",
    "land": "扩产需新增用地",
    "other": "其他风险",
}
FULFILMENTS = {
    "policy": "兑现政策",
    "financing": "对接融资",
    "premises": "协调土地厂房",
    "recruitment": "帮助招工",
    "partner": "对接合作伙伴",
    "other": "其他方式",
}
VISIT_CHANNELS = ("visit", "symposium")


class DraftingError(ValueError):
    """A kind of report the tool cannot draft."""


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    numeric_from: int = 1  # columns from this one on are figures, aligned right

    def markdown(self) -> str:
        align = ["---" if i < self.numeric_from else "---:" for i in range(len(self.headers))]
        lines = [
            escape(self.caption),
            "",
            "| " + " | ".join(escape(h) for h in self.headers) + " |",
            "| " + " | ".join(align) + " |",
        ]
        lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass
class Draft:
    kind: str
    span: Span
    org_unit: OrgUnit
    title: str
    summary: str
    body: str
    appeal_ids: list[int] = field(default_factory=list)
    visit_ids: list[int] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


def share(part: int, total: int) -> str:
    """A share in per cent with one decimal, rounded half up: 3 of 8 → "37.5%"."""
    if not total:
        return "—"
    value = (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{value}%"


def growth(before: int, now: int) -> str:
    if before == 0:
        return "上期为零"
    return share(now - before, before)


def quote(text: str, limit: int = QUOTE_LENGTH) -> str:
    """The start of a description, cut after a sentence where one ends within `limit`."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(mark) for mark in "。！？；")
    if cut >= limit // 3:
        return head[: cut + 1] + "……"
    return head + "……"


def _and(items: list[str]) -> str:
    """ "甲、乙和丙"."""
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + "和" + items[-1]


def _numeral(n: int) -> str:
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(t for t in texts if t)


# --- reading the data ---------------------------------------------------------------------------


def _visits(*, user: Any, span: Span, unit: OrgUnit) -> dict[str, Any]:
    """Final visits of the period to enterprises of the unit: by kind, by street, totals."""
    from qifu.visits.models import Visit, VisitStatus
    from qifu.visits.selectors import visits_for_user

    visits = visits_for_user(user=user).filter(
        status=VisitStatus.FINAL, date__gte=span.first_day, date__lte=span.last_day
    )
    met = Visit.enterprises.through.objects.filter(
        visit_id__in=visits.values("pk"), enterprise__street__path__startswith=unit.path
    ).order_by()
    counts = {
        "visits": Count("visit_id", distinct=True),
        "enterprises": Count("enterprise_id", distinct=True),
        "key": Count("enterprise_id", distinct=True, filter=Q(enterprise__is_key=True)),
    }
    totals = met.aggregate(**counts)
    by_kind = {row["visit__kind"]: row for row in met.values("visit__kind").annotate(**counts)}
    by_street = {
        row["enterprise__street_id"]: row
        for row in met.values("enterprise__street_id").annotate(**counts)
    }
    streets = list(
        OrgUnit.objects.filter(level=Level.STREET, path__startswith=unit.path).order_by(
            "sort_order", "code"
        )
    )
    ids = sorted(set(met.values_list("visit_id", flat=True)))
    return {
        "totals": totals,
        "by_kind": by_kind,
        "by_street": by_street,
        "streets": streets,
        "ids": ids,
    }


def _from_visit_q() -> Q:
    from qifu.visits.models import Visit

    return Q(channel__in=VISIT_CHANNELS) | Q(
        pk__in=Visit.appeals.through.objects.values("appeal_id")
    )


def _appeals_of(*, user: Any, span: Span, unit: OrgUnit, kind: str) -> QuerySet[Any]:
    from qifu.appeals.selectors import appeals_for_user

    qs = (
        appeals_for_user(user=user)
        .filter(
            enterprise__street__path__startswith=unit.path,
            submitted_at__gte=_moment(span.first_day),
            submitted_at__lt=_moment(span.last_day + dt.timedelta(days=1)),
            duplicate_of__isnull=True,
        )
        .order_by()
    )
    if kind == ReportKind.VISITS:
        qs = qs.filter(_from_visit_q())
    return qs


def _appeals(*, user: Any, span: Span, unit: OrgUnit, kind: str) -> dict[str, Any]:
    from qifu.appeals.models import Channel, Kind, Status

    appeals = _appeals_of(user=user, span=span, unit=unit, kind=kind)
    from_visit = _from_visit_q()
    totals = appeals.aggregate(
        total=Count("id"),
        problems=Count("id", filter=Q(kind=Kind.PROBLEM)),
        demands=Count("id", filter=Q(kind=Kind.DEMAND)),
        from_visits=Count("id", filter=from_visit),
        from_portal=Count("id", filter=Q(channel=Channel.PORTAL) & ~from_visit),
        solved=Count("id", filter=Q(status=Status.CLOSED, resolved=True)),
        unresolved=Count("id", filter=Q(status=Status.CLOSED) & ~Q(resolved=True)),
        replied=Count("id", filter=Q(status=Status.REPLIED)),
        in_progress=Count(
            "id", filter=Q(status__in=[Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED])
        ),
        waiting=Count("id", filter=Q(status__in=[Status.SUBMITTED, Status.ACCEPTED])),
        returned=Count("id", filter=Q(status=Status.RETURNED)),
    )
    channels = list(
        appeals.values("channel").annotate(n=Count("id")).order_by("-n", "channel"),
    )
    categories = list(
        appeals.values("category_id", "category__name", "category__sort_order")
        .annotate(
            n=Count("id"),
            solved=Count("id", filter=Q(status=Status.CLOSED, resolved=True)),
        )
        .order_by("-n", "category__sort_order", "category_id")
    )
    previous = dict(
        _appeals_of(user=user, span=span.previous(), unit=unit, kind=kind)
        .values_list("category_id")
        .annotate(n=Count("id"))
    )
    ways = list(
        appeals.filter(status=Status.CLOSED, resolved=True)
        .values("kind", "fulfilment")
        .annotate(n=Count("id"))
        .order_by("-n", "kind", "fulfilment")
    )
    cases: dict[int, list[dict[str, Any]]] = {}
    top = [row["category_id"] for row in categories[:TYPICAL_CATEGORIES]]
    if top:
        latest = (
            appeals.filter(category_id__in=top)
            .exclude(status=Status.RETURNED)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("category_id")],
                    order_by=[F("submitted_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=CASES_PER_CATEGORY)
            .order_by("category_id", "rank")
            .values("pk", "title", "description", "enterprise__name", "category_id")
        )
        for row in latest:
            cases.setdefault(row["category_id"], []).append(row)
    ids = sorted(appeals.values_list("pk", flat=True))
    return {
        "totals": totals,
        "channels": channels,
        "categories": categories,
        "previous": previous,
        "ways": ways,
        "cases": cases,
        "ids": ids,
    }


def _flags(*, user: Any, span: Span, unit: OrgUnit) -> dict[str, Any]:
    """Red flags still open, raised up to the end of the period on enterprises of the unit."""
    from qifu.visits.selectors import red_flags_for_user

    flags = (
        red_flags_for_user(user=user, open_only=True)
        .filter(enterprise__street__path__startswith=unit.path, raised_on__lte=span.last_day)
        .order_by()
    )
    counts = {"n": Count("id"), "enterprises": Count("enterprise_id", distinct=True)}
    return {
        "totals": flags.aggregate(**counts),
        "by_kind": list(flags.values("kind").annotate(**counts).order_by("-n", "kind")),
    }


def _coverage(*, user: Any, span: Span, unit: OrgUnit) -> Any:
    from qifu.visits.selectors import coverage

    return coverage(user=user, span=span, org_unit=unit)


# --- writing it ---------------------------------------------------------------------------------


def _visit_tables(unit: OrgUnit, v: dict[str, Any], numbers: list[int]) -> list[str]:
    totals = v["totals"]
    rows = []
    for code, name in VISIT_KINDS.items():
        row = v["by_kind"].get(code, {})
        rows.append([name, row.get("visits", 0), row.get("enterprises", 0)])
    rows.append(["合计", totals["visits"], totals["enterprises"]])
    numbers[0] += 1
    parts = [
        Table(
            f"表{numbers[0]}　走访企业情况（按走访方式）",
            ["走访方式", "走访次数", "走访企业（家）"],
            rows,
        ).markdown(),
        "注：同一家企业可能以多种方式被走访，合计为去重后的企业数。",
    ]
    if unit.level != Level.STREET:
        rows = []
        for street in v["streets"]:
            row = v["by_street"].get(street.pk, {})
            rows.append(
                [street.name, row.get("visits", 0), row.get("enterprises", 0), row.get("key", 0)]
            )
        rows.append(["合计", totals["visits"], totals["enterprises"], totals["key"]])
        numbers[0] += 1
        parts.append(
            Table(
                f"表{numbers[0]}　走访企业情况（按街道）",
                ["街道", "走访次数", "走访企业（家）", "其中重点企业（家）"],
                rows,
            ).markdown()
        )
    return parts


def _coverage_table(unit: OrgUnit, cov: Any, numbers: list[int]) -> list[str]:
    rows = [
        [s.street.name, s.assigned, s.visited, s.not_visited, share(s.visited, s.assigned)]
        for s in cov.streets
    ]
    if unit.level != Level.STREET:
        rows.append(
            ["合计", cov.assigned, cov.visited, cov.not_visited, share(cov.visited, cov.assigned)]
        )
    if not cov.assigned:
        return [f"{escape(unit.name)}本期没有分片包干的走访任务。"]
    numbers[0] += 1
    text = (
        f"按分片包干安排，{unit.name}包干走访的企业共{cov.assigned}家，本期已走访{cov.visited}家，"
        f"覆盖率{share(cov.visited, cov.assigned)}；尚未走访{cov.not_visited}家。"
    )
    return [
        escape(text),
        Table(
            f"表{numbers[0]}　包干企业走访覆盖情况",
            ["街道", "包干企业（家）", "已走访（家）", "未走访（家）", "覆盖率"],
            rows,
        ).markdown(),
    ]


def _channel_table(a: dict[str, Any], numbers: list[int]) -> str:
    total = a["totals"]["total"]
    rows = [
        [CHANNELS.get(row["channel"], row["channel"]), row["n"], share(row["n"], total)]
        for row in a["channels"]
    ]
    rows.append(["合计", total, share(total, total)])
    numbers[0] += 1
    return Table(
        f"表{numbers[0]}　问题来源（按渠道）", ["渠道", "问题数（个）", "占比"], rows
    ).markdown()


def _category_section(a: dict[str, Any], span: Span, numbers: list[int]) -> list[str]:
    total = a["totals"]["total"]
    categories = a["categories"]
    if not total:
        return ["本期未收集到企业反映的问题。"]
    top = categories[:3]
    named = _and([f"{c['category__name']}（{c['n']}个，占{share(c['n'], total)}）" for c in top])
    top_n = sum(c["n"] for c in top)
    lead = f"从问题类别看，企业反映的问题主要集中在{named}"
    if len(categories) > len(top):
        lead += f"，{len(top)}类合计占{share(top_n, total)}"
    rows = [[c["category__name"], c["n"], share(c["n"], total), c["solved"]] for c in categories]
    rows.append(["合计", total, share(total, total), a["totals"]["solved"]])
    numbers[0] += 1
    parts = [
        escape(lead + "。"),
        Table(
            f"表{numbers[0]}　企业反映的问题（按类别）",
            ["问题类别", "问题数（个）", "占比", "已解决（个）"],
            rows,
        ).markdown(),
    ]
    previous: dict[int, int] = a["previous"]
    if not any(previous.values()):
        # nothing was recorded the period before: every category would "grow from zero"
        before = span.previous().label
        parts.append(escape(f"{before}没有问题记录，暂不作增减比较。"))
        return parts
    grew = [
        (c["category__name"], previous.get(c["category_id"], 0), c["n"])
        for c in categories
        if c["n"] > previous.get(c["category_id"], 0)
    ]
    grew.sort(key=lambda g: (-(g[2] - g[1]), g[0]))
    before = span.previous().label
    if not grew:
        parts.append(escape(f"与{before}相比，各类问题均未增加。"))
        return parts
    words = "；".join(f"{name}问题由{p}个增至{n}个" for name, p, n in grew)
    parts.append(escape(f"与{before}相比，有{len(grew)}类问题有所增加：{words}。"))
    numbers[0] += 1
    parts.append(
        Table(
            f"表{numbers[0]}　比上期增加的问题类别",
            ["问题类别", "上期（个）", "本期（个）", "增加（个）", "增长"],
            [[name, p, n, n - p, growth(p, n)] for name, p, n in grew],
        ).markdown()
    )
    return parts


def _cases_section(a: dict[str, Any]) -> list[str]:
    parts: list[str] = []
    number = 0
    for category in a["categories"][:TYPICAL_CATEGORIES]:
        cases = a["cases"].get(category["category_id"], [])
        if not cases:
            continue
        number += 1
        parts.append(f"## （{_numeral(number)}）{escape(category['category__name'])}问题")
        for case in cases:
            parts.append(f"{escape(case['enterprise__name'])}反映“{escape(case['title'])}”：")
            parts.append(f"> {escape(quote(case['description']))}")
    return parts or ["本期没有可引用的典型问题。"]


def _resolution_section(a: dict[str, Any], numbers: list[int]) -> list[str]:
    t = a["totals"]
    total = t["total"]
    if not total:
        return ["本期没有需要办理的问题。"]
    clauses = [f"截至目前，{total}个问题中已解决{t['solved']}个，解决率{share(t['solved'], total)}"]
    for key, words in (
        ("replied", "已答复、待企业评价"),
        ("in_progress", "正在办理"),
        ("waiting", "待受理、待交办"),
        ("unresolved", "已办结但企业认为未解决"),
        ("returned", "不属于政府职责范围、已退回"),
    ):
        if t[key]:
            clauses.append(f"{words}{t[key]}个")
    text = "；".join(clauses)
    rows = [
        ["已解决", t["solved"]],
        ["已办结未解决", t["unresolved"]],
        ["已答复待评价", t["replied"]],
        ["正在办理", t["in_progress"]],
        ["待受理、待交办", t["waiting"]],
        ["已退回", t["returned"]],
        ["合计", total],
    ]
    rows = [[name, n, share(n, total)] for name, n in rows]
    numbers[0] += 1
    parts = [
        escape(text + "。"),
        Table(
            f"表{numbers[0]}　问题办理情况", ["办理情况", "问题数（个）", "占比"], rows
        ).markdown(),
    ]
    if a["ways"]:
        ways: dict[str, int] = {}
        for row in a["ways"]:
            if row["kind"] == "demand":
                name = FULFILMENTS.get(row["fulfilment"], "其他方式")
            else:
                name = "查明原因、答复解决"
            ways[name] = ways.get(name, 0) + row["n"]
        ordered = sorted(ways.items(), key=lambda w: (-w[1], w[0]))
        words = "，".join(f"{name}{n}个" for name, n in ordered)
        parts.append(escape(f"从解决方式看，已解决的{t['solved']}个问题中，{words}。"))
        numbers[0] += 1
        parts.append(
            Table(
                f"表{numbers[0]}　问题解决方式",
                ["解决方式", "问题数（个）"],
                [[name, n] for name, n in ordered],
            ).markdown()
        )
    return parts


def _flags_section(f: dict[str, Any], numbers: list[int]) -> list[str]:
    t = f["totals"]
    if not t["n"]:
        return ["目前没有未解除的风险信号。"]
    rows = [
        [FLAG_KINDS.get(row["kind"], row["kind"]), row["n"], row["enterprises"]]
        for row in f["by_kind"]
    ]
    named = "、".join(f"{r[0]}{r[1]}条" for r in rows[:3])
    rows.append(["合计", t["n"], t["enterprises"]])
    numbers[0] += 1
    return [
        escape(
            f"走访中发现、目前仍未解除的风险信号{t['n']}条，涉及企业{t['enterprises']}家，"
            f"主要是{named}，需持续跟踪、及时化解。"
        ),
        Table(
            f"表{numbers[0]}　未解除的风险信号",
            ["风险类型", "信号数（条）", "涉及企业（家）"],
            rows,
        ).markdown(),
    ]


def _countermeasures(a: dict[str, Any]) -> list[str]:
    main = [c for c in a["categories"] if c["n"]][:MAIN_CATEGORIES]
    parts = ["针对企业反映的主要问题，提出如下对策建议："]
    if not main:
        return [*parts, "## （一）对策建议", PLACEHOLDER]
    for number, category in enumerate(main, start=1):
        parts.append(f"## （{_numeral(number)}）关于{escape(category['category__name'])}问题")
        parts.append(PLACEHOLDER)
    return parts


def _next_steps() -> list[str]:
    parts = []
    for number, heading in enumerate(
        ["未走访企业的走访安排", "问题跟踪办理", "风险信号处置"], start=1
    ):
        parts.append(f"## （{_numeral(number)}）{heading}")
        parts.append(NEXT_STEP_PLACEHOLDER)
    return parts


def build_draft(*, user: Any, span: Span, org_unit: OrgUnit, kind: str) -> Draft:
    """The draft of a report of `kind` on `org_unit` for `span`, from what `user` may see.

    The org unit must already be checked against the user's scope
    (`selectors.unit_for_drafting`).
    """
    if kind not in DRAFTABLE:
        raise DraftingError(kind)
    unit = org_unit
    v = _visits(user=user, span=span, unit=unit)
    a = _appeals(user=user, span=span, unit=unit, kind=kind)
    f = _flags(user=user, span=span, unit=unit)
    vt, at = v["totals"], a["totals"]
    numbers = [0]
    sections: list[tuple[str, list[str]]] = []
    others = at["total"] - at["from_visits"] - at["from_portal"]
    if kind == ReportKind.PROBLEMS:
        title = f"{unit.name}企业当前面临的主要问题及对策（{span.label}）"
        who = "区领导班子成员和机关干部" if unit.level == Level.DISTRICT else "街道干部"
        intro = (
            f"{span.label}，{who}按照分片包干的安排走进企业，走访调研企业{vt['enterprises']}家，"
            f"收集整理企业反映的问题和诉求{at['total']}个。现将企业当前面临的主要问题及对策建议"
            "报告如下。"
        )
        basic = (
            f"{span.label}，共走访企业{vt['enterprises']}家（其中重点企业{vt['key']}家），"
            f"开展走访{vt['visits']}次。共收集企业反映的问题和诉求{at['total']}个"
            f"（问题{at['problems']}个、需求{at['demands']}个），其中走访、座谈中了解到"
            f"{at['from_visits']}个，企业通过网上平台反映{at['from_portal']}个，"
            f"通过其他渠道反映{others}个。"
        )
        sections.append(
            (
                "基本情况",
                [
                    escape(basic),
                    *_visit_tables(unit, v, numbers),
                    _channel_table(a, numbers) if at["total"] else "",
                ],
            )
        )
        sections.append(("企业反映的主要问题", _category_section(a, span, numbers)))
        sections.append(("典型问题", _cases_section(a)))
        sections.append(("问题解决情况", _resolution_section(a, numbers)))
        sections.append(("风险信号", _flags_section(f, numbers)))
        sections.append(("对策建议", _countermeasures(a)))
    else:
        cov = _coverage(user=user, span=span, unit=unit)
        title = f"{unit.name}{span.label}走进企业工作情况报告"
        intro = (
            f"{span.label}，{unit.name}按照分片包干的安排，组织干部走进企业，"
            f"走访企业{vt['enterprises']}家、{vt['visits']}次，在走访中收集企业反映的问题和诉求"
            f"{at['total']}个。现将走访工作情况报告如下。"
        )
        basic = (
            f"{span.label}，共开展走访{vt['visits']}次，走访企业{vt['enterprises']}家，"
            f"其中重点企业{vt['key']}家。"
        )
        sections.append(
            (
                "走访基本情况",
                [
                    escape(basic),
                    *_visit_tables(unit, v, numbers),
                    *_coverage_table(unit, cov, numbers),
                ],
            )
        )
        sections.append(("走访发现的问题", _category_section(a, span, numbers)))
        sections.append(("典型问题", _cases_section(a)))
        sections.append(("问题办理情况", _resolution_section(a, numbers)))
        sections.append(("风险信号", _flags_section(f, numbers)))
        sections.append(("下一步工作", _next_steps()))
    body = [escape(intro)]
    for number, (heading, parts) in enumerate(sections, start=1):
        body.append(f"# {_numeral(number)}、{heading}")
        body.extend(p for p in parts if p)
    summary = (
        f"{span.label}走访企业{vt['enterprises']}家，收集问题{at['total']}个，"
        f"已解决{at['solved']}个。"
    )
    return Draft(
        kind=kind,
        span=span,
        org_unit=unit,
        title=title[:200],
        summary=summary,
        body="\n\n".join(body) + "\n",
        appeal_ids=a["ids"],
        visit_ids=v["ids"],
        figures={"visits": vt, "appeals": at, "red_flags": f["totals"]},
    )
