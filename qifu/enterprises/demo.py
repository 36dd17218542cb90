"""The demo district's enterprises (see README): the seed's named ones and ~300 more."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from qifu.accounts import services as account_services
from qifu.accounts.models import Role, User
from qifu.core.models import OrgUnit
from qifu.enterprises import services
from qifu.enterprises.models import Enterprise, Kind, Park
from qifu.lib.credit_code import with_check_digit

DISTRICT = "370213"
TOTAL = 320
ABOVE_SCALE_INDUSTRIAL = 120
KEY = 64

# The district's leaders (班子成员) who split the district between them (分片包干).
LEADERS = [
    ("leader", "王区长"),
    ("zhang_fqz", "张副区长"),
    ("li_fqz", "李副区长"),
    ("zhao_fqz", "赵副区长"),
    ("sun_fqz", "孙副区长"),
    ("zhou_fqz", "周副区长"),
]
PARKS = ["李沧经济开发区", "楼山工业园", "九水科技创业园", "金水路商贸物流园"]
TAGS = ["高新技术企业", "专精特新", "科技型中小企业", "外资企业", "上市公司", "瞪羚企业"]

# name, street code, industry class, above scale, key, kind, capital (万元), tags, park
NAMED = [
    ("天路集团", "370213007", "3434", True, True, Kind.ENTERPRISE, 12000, ["高新技术企业"], None),
    (
        "路达实业公司",
        "370213006",
        "3311",
        True,
        True,
        Kind.ENTERPRISE,
        8600,
        ["专精特新"],
        "楼山工业园",
    ),
    (
        "瑞丰气体",
        "370213006",
        "2619",
        True,
        True,
        Kind.ENTERPRISE,
        5200,
        ["高新技术企业"],
        "楼山工业园",
    ),
    (
        "崂山电子",
        "370213008",
        "3981",
        True,
        True,
        Kind.ENTERPRISE,
        6800,
        ["高新技术企业", "专精特新"],
        None,
    ),
    ("玖琦化工", "370213006", "2614", True, True, Kind.ENTERPRISE, 4500, [], "楼山工业园"),
    ("洁新再生资源有限公司", "370213005", "4220", True, True, Kind.ENTERPRISE, 3000, [], None),
    ("青岛汽车厂", "370213001", "3611", True, True, Kind.ENTERPRISE, 56000, ["上市公司"], None),
    ("青岛银行李沧支行", "370213007", "6621", False, True, Kind.FINANCIAL, 0, [], None),
    ("青岛农商银行李沧支行", "370213009", "6621", False, True, Kind.FINANCIAL, 0, [], None),
]
# (trade word in the name, GB/T 4754-2017 class)
INDUSTRIAL_TRADES = [
    ("食品", "1431"),
    ("淀粉", "1391"),
    ("印染", "1713"),
    ("包装", "2231"),
    ("化工", "2614"),
    ("精细化工", "2619"),
    ("制药", "2710"),
    ("塑胶", "2929"),
    ("建材", "3021"),
    ("钢材", "3130"),
    ("钢结构", "3311"),
    ("五金", "3399"),
    ("动力机械", "3412"),
    ("输送设备", "3434"),
    ("机械", "3484"),
    ("石油装备", "3512"),
    ("医疗器械", "3589"),
    ("汽车零部件", "3670"),
    ("电机", "3812"),
    ("电缆", "3831"),
    ("电子元件", "3981"),
    ("电路板", "3982"),
    ("自动化", "4011"),
    ("热电", "4411"),
    ("供热", "4430"),
]
OTHER_TRADES = [
    ("纺织品贸易", "5131"),
    ("家电贸易", "5137"),
    ("百货", "5211"),
    ("超市", "5212"),
    ("汽车销售", "5261"),
    ("公交", "5411"),
    ("物流", "5810"),
    ("仓储", "5920"),
    ("酒店", "6110"),
    ("餐饮管理", "6210"),
    ("软件", "6513"),
    ("信息技术", "6531"),
    ("置业", "7010"),
    ("投资管理", "7212"),
    ("园区运营", "7221"),
    ("广告", "7251"),
    ("工程技术", "7320"),
    ("知识产权", "7520"),
    ("家政服务", "8010"),
    ("建筑工程", "4710"),
    ("电气安装", "4910"),
]
WORDS = [
    "海纳",
    "金桥",
    "瑞泰",
    "华盛",
    "鼎鑫",
    "宏远",
    "恒通",
    "汇丰",
    "嘉禾",
    "新源",
    "永盛",
    "立信",
    "博雅",
    "中科",
    "蓝海",
    "晟达",
    "同创",
    "德润",
    "华强",
    "兴业",
    "万和",
    "盛世",
    "世纪",
    "银河",
    "海川",
    "润泽",
    "明珠",
    "泰和",
    "东方",
    "北辰",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
TITLES = ["总经理", "办公室主任", "财务负责人", "行政经理", "董事长"]


def _org_code(rng: random.Random) -> str:
    """A nine-character organisation code with its GB 11714 check character."""
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _credit_code(rng: random.Random) -> str:
    """91 = an enterprise registered by market regulation (branches of banks included)."""
    return with_check_digit(f"91{DISTRICT}{_org_code(rng)}")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN])


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}"


def leaders() -> list[User]:
    from qifu.core.demo import demo_password

    district = OrgUnit.objects.get(code=DISTRICT)
    found = []
    for username, full_name in LEADERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = account_services.user_save(
                by=None,
                password=demo_password(),
                username=username,
                full_name=full_name,
                role=Role.DISTRICT_LEADER,
                org_unit=district,
            )
        found.append(user)
    return found


def _plan(rng: random.Random) -> list[dict[str, Any]]:
    streets = list(
        OrgUnit.objects.filter(level="street", code__startswith=DISTRICT).order_by("code")
    )
    plans: list[dict[str, Any]] = []
    for name, street, code, above, key, kind, capital, tags, park in NAMED:
        plans.append(
            {
                "name": name,
                "street": street,
                "industry_code": code,
                "is_above_scale": above,
                "is_key": key,
                "kind": kind,
                "registered_capital": capital,
                "tags": tags,
                "park": park,
            }
        )
    used = {p["name"] for p in plans}
    above_left = ABOVE_SCALE_INDUSTRIAL - sum(1 for p in plans if p["is_above_scale"])
    key_left = KEY - sum(1 for p in plans if p["is_key"])
    banks = ["建设银行", "工商银行", "农业银行", "中国银行", "交通银行", "招商银行", "邮储银行"]
    for bank in banks:
        plans.append(
            {
                "name": f"{bank}青岛李沧支行",
                "street": rng.choice(streets).code,
                "industry_code": "6621",
                "is_above_scale": False,
                "is_key": key_left > 0,
                "kind": Kind.FINANCIAL,
                "registered_capital": 0,
                "tags": [],
                "park": None,
            }
        )
        key_left -= 1
    while len(plans) < TOTAL:
        industrial = above_left > 0 or rng.random() < 0.25
        trade, code = rng.choice(INDUSTRIAL_TRADES if industrial else OTHER_TRADES)
        name = f"青岛{rng.choice(WORDS)}{trade}有限公司"
        if name in used:
            name = name.replace("青岛", f"青岛{rng.choice(WORDS)}", 1)
        if name in used:
            continue
        used.add(name)
        above = industrial and above_left > 0
        above_left -= int(above)
        key = above and key_left > 0 and rng.random() < 0.6
        key_left -= int(key)
        plans.append(
            {
                "name": name,
                "street": rng.choice(streets).code,
                "industry_code": code,
                "is_above_scale": above,
                "is_key": key,
                "kind": Kind.ENTERPRISE,
                "registered_capital": rng.choice([50, 100, 200, 500, 1000, 2000, 3000, 5000, 8000]),
                "tags": rng.sample(TAGS, k=rng.choice([0, 0, 1, 1, 2])) if industrial else [],
                "park": rng.choice([None, None, *PARKS]) if industrial else None,
            }
        )
    return plans


@transaction.atomic
def build() -> dict[str, int]:
    rng = random.Random(2009)  # noqa: S311  (demo data, not security)
    district_leaders = leaders()
    parks = {}
    for name in PARKS:
        parks[name] = Park.objects.get_or_create(name=name)[0]
    streets = {s.code: s for s in OrgUnit.objects.filter(level="street")}
    existing = {e.name: e for e in Enterprise.objects.prefetch_related("tags", "contacts")}
    created = 0
    for index, plan in enumerate(_plan(rng)):
        code = _credit_code(rng)
        founded = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(0, 13000))
        contact = {"name": _person(rng), "title": rng.choice(TITLES), "phone": _phone(rng)}
        values = {
            "name": plan["name"],
            "street": streets[plan["street"]],
            "industry_code": plan["industry_code"],
            "is_above_scale": plan["is_above_scale"],
            "is_key": plan["is_key"],
            "kind": plan["kind"],
            "registered_capital": Decimal(plan["registered_capital"]) or None,
            "legal_representative": _person(rng),
            "address": f"青岛市李沧区{rng.choice(WORDS)}路{rng.randrange(1, 300)}号",
            "established_on": founded,
            "park": parks.get(plan["park"]) if plan["park"] else None,
            "responsible_leader": district_leaders[index % len(district_leaders)]
            if plan["is_key"]
            else None,
        }
        enterprise = existing.get(plan["name"])
        if enterprise is None:
            enterprise = services.enterprise_create(
                by=None, tags=plan["tags"], credit_code=code, **values
            )
            services.contact_add(by=None, enterprise=enterprise, **contact)
            created += 1
    return {"created": created, "total": Enterprise.objects.count()}
