"""The demo's investment promotion (招商): the channels of the seed — 市发改委, 市经贸委, 市经合办
and five chambers of commerce in Qingdao, among them 温州商会 and 泉州商会 — with contacts and
contacts made; leads in every state with their follow-ups; and the resource database of 李沧区:
land parcels in its streets, vacant plants and building floors, some reserved for leads.

The seed's projects (鲁抗医药物流中心, 蒙牛乳业物流中心, 英派尔 MTBE, 利客来物流, …) are here as
leads being followed up: the projects module converts them into projects (`lead_convert`).

Everything is written through the services by the investment clerk `tcj` (and `leader`), so it
is audited like real work. Idempotent: a channel, lead or resource that exists (by name) is left
as it is. Dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.models import OrgUnit
from qifu.investment import services
from qifu.investment.models import Channel, Lead, Resource

DISTRICT = "370213"

# name, kind, address, contacts [(name, title, phone)], logs [(days ago, contact index, summary)]
CHANNELS: list[tuple[str, str, str, list[tuple[str, str, str]], list[tuple[int, int, str]]]] = [
    (
        "市发改委",
        "upper",
        "青岛市市南区香港中路",
        [("王建国", "重点项目处处长", "0532-85911234")],
        [(40, 0, "对接全市重点项目库，推荐物流类项目落地李沧")],
    ),
    (
        "市经贸委",
        "upper",
        "青岛市市南区",
        [("刘海燕", "投资促进处副处长", "0532-85912345")],
        [(25, 0, "汇报我区招商资源库情况，争取市级项目分配")],
    ),
    (
        "市经合办",
        "upper",
        "青岛市市南区",
        [("赵明", "联络处科长", "0532-85913456")],
        [(18, 0, "参加全市经济合作项目推介会筹备会")],
    ),
    (
        "青岛温州商会",
        "chamber",
        "青岛市市北区",
        [("陈志强", "会长", "13906391234"), ("林晓东", "秘书长", "13805321234")],
        [(60, 0, "拜访商会，介绍李沧区投资环境"), (12, 1, "商会组织会员企业考察九水片区")],
    ),
    (
        "青岛泉州商会",
        "chamber",
        "青岛市崂山区",
        [("黄文华", "会长", "13953261234"), ("许丽", "秘书长", "13792851234")],
        [(45, 0, "座谈：泉州鞋服企业北方仓储需求"), (8, 1, "推送楼山街道闲置厂房信息")],
    ),
    (
        "青岛福建商会",
        "chamber",
        "青岛市市南区",
        [("吴振华", "常务副会长", "13606391234")],
        [(30, 0, "走访商会，了解会员企业投资意向")],
    ),
    (
        "青岛浙江商会",
        "chamber",
        "青岛市市北区",
        [("沈国平", "会长", "13589231234")],
        [(20, 0, "商会年会上推介李沧区商贸流通业项目")],
    ),
    (
        "青岛江苏商会",
        "chamber",
        "青岛市黄岛区",
        [("周海", "秘书长", "13698761234")],
        [(15, 0, "电话沟通会员企业技改扩产需求")],
    ),
    (
        "青岛仲量联行",
        "intermediary",
        "青岛市市南区",
        [("郑伟", "工业地产部经理", "13310981234")],
        [(10, 0, "委托推介虎山路片区工业用地")],
    ),
    (
        "中国（青岛）国际投资贸易洽谈会",
        "expo",
        "青岛国际博览中心",
        [("孙倩", "组委会联络员", "0532-83891234")],
        [(90, 0, "报名参展，布置李沧区招商展位")],
    ),
]

# investor, title, origin, industry, amount 万元, land 亩, floor m², use, street code, channel,
# status, follow-ups [(days ago, method, note)], drop reason
LEADS: list[dict[str, Any]] = [
    {
        "investor": "鲁抗医药股份有限公司",
        "title": "鲁抗医药物流中心",
        "origin": "山东济宁",
        "industry": "医药物流",
        "amount": "7000",
        "land": "60",
        "use": "logistics",
        "street": "370213011",
        "channel": "市发改委",
        "follow": [
            (80, "visit", "赴济宁拜访企业，介绍九水片区物流用地"),
            (35, "meeting", "洽谈合同条款，基本达成一致"),
        ],
    },
    {
        "investor": "内蒙古蒙牛乳业（集团）股份有限公司",
        "title": "蒙牛乳业物流中心",
        "origin": "内蒙古呼和浩特",
        "industry": "冷链物流",
        "amount": "8000",
        "land": "70",
        "use": "logistics",
        "street": "370213006",
        "channel": "市经贸委",
        "follow": [(70, "site", "企业来李沧考察楼山地块"), (30, "meeting", "签约前最后一轮谈判")],
    },
    {
        "investor": "英派尔化工有限公司",
        "title": "英派尔 MTBE 项目",
        "origin": "山东淄博",
        "industry": "化工",
        "amount": "15000",
        "land": "80",
        "use": "industrial",
        "street": "370213006",
        "channel": "市经合办",
        "follow": [(60, "meeting", "商谈土地出让条件"), (20, "phone", "确认环评进度")],
    },
    {
        "investor": "青岛利客来集团",
        "title": "利客来物流",
        "origin": "山东青岛",
        "industry": "商贸物流",
        "amount": "12000",
        "land": "50",
        "use": "logistics",
        "street": "370213010",
        "channel": "市经贸委",
        "follow": [
            (50, "visit", "上门洽谈，企业有意向在湘潭路片区建设物流中心"),
            (14, "meeting", "签订投资意向书，预计明年7月开工"),
        ],
    },
    {
        "investor": "青岛城市物流配送有限公司",
        "title": "青岛城市物流配送基地",
        "origin": "山东青岛",
        "industry": "城市配送",
        "amount": "40000",
        "land": "150",
        "use": "logistics",
        "street": "370213011",
        "channel": "市发改委",
        "follow": [(40, "meeting", "前期工作协调会，明确用地范围")],
    },
    {
        "investor": "浙江义乌五金城投资有限公司",
        "title": "五金商贸城",
        "origin": "浙江金华",
        "industry": "商贸",
        "amount": "25000",
        "land": "90",
        "use": "commercial",
        "street": "370213008",
        "channel": "青岛浙江商会",
        "follow": [(28, "visit", "考察虎山路片区商业用地，推进前期工作")],
    },
    {
        "investor": "正泰电气股份有限公司",
        "title": "智能电气北方生产基地",
        "origin": "浙江温州",
        "industry": "电气机械",
        "amount": "30000",
        "land": "45",
        "use": "industrial",
        "street": "370213011",
        "channel": "青岛温州商会",
        "follow": [(12, "site", "随商会考察九水片区工业地块")],
    },
    {
        "investor": "温州奥康鞋业",
        "title": "华北仓储分拨中心",
        "origin": "浙江温州",
        "industry": "仓储",
        "floor": "8000",
        "amount": "5000",
        "use": "logistics",
        "channel": "青岛温州商会",
        "follow": [(22, "phone", "了解仓储面积和租金需求")],
    },
    {
        "investor": "安踏体育用品有限公司",
        "title": "北方物流仓",
        "origin": "福建泉州",
        "industry": "仓储物流",
        "amount": "6000",
        "floor": "10000",
        "use": "logistics",
        "street": "370213006",
        "channel": "青岛泉州商会",
        "follow": [(40, "meeting", "商会座谈后对接"), (8, "site", "看楼山闲置厂房")],
    },
    {
        "investor": "泉州恒安集团",
        "title": "生活用纸华北工厂",
        "origin": "福建泉州",
        "industry": "造纸",
        "amount": "20000",
        "land": "40",
        "use": "industrial",
        "channel": "青岛泉州商会",
        "status": "dropped",
        "follow": [(100, "visit", "初步接触")],
        "drop": "企业决定在胶州建厂，本区无合适用地",
    },
    {
        "investor": "福耀玻璃工业集团",
        "title": "汽车玻璃配套项目",
        "origin": "福建福州",
        "industry": "汽车零部件",
        "amount": "18000",
        "land": "35",
        "use": "industrial",
        "channel": "青岛福建商会",
        "follow": [(30, "phone", "提供青汽配套需求资料")],
    },
    {
        "investor": "苏宁易购华北区域公司",
        "title": "区域电商运营中心",
        "origin": "江苏南京",
        "industry": "电子商务",
        "amount": "3000",
        "floor": "2500",
        "use": "office",
        "street": "370213007",
        "channel": "青岛江苏商会",
    },
    {
        "investor": "江苏恒瑞医药",
        "title": "华北研发中心",
        "origin": "江苏连云港",
        "industry": "医药研发",
        "amount": "10000",
        "floor": "4000",
        "use": "office",
        "channel": "青岛江苏商会",
        "status": "dropped",
        "follow": [(75, "meeting", "洽谈研发楼宇")],
        "drop": "企业研发中心选址上海，暂不考虑",
    },
    {
        "investor": "仲量联行推荐：某精密制造企业",
        "title": "精密零部件生产线",
        "origin": "广东深圳",
        "industry": "通用设备",
        "amount": "8000",
        "floor": "6000",
        "use": "industrial",
        "street": "370213006",
        "channel": "青岛仲量联行",
    },
    {
        "investor": "韩国晓星集团",
        "title": "新材料项目",
        "origin": "韩国首尔",
        "industry": "新材料",
        "amount": "50000",
        "land": "100",
        "use": "industrial",
        "channel": "中国（青岛）国际投资贸易洽谈会",
        "follow": [(85, "meeting", "投洽会现场洽谈"), (45, "phone", "跟进投资意向")],
    },
    {
        "investor": "日本永旺商业",
        "title": "购物中心",
        "origin": "日本东京",
        "industry": "零售",
        "amount": "35000",
        "land": "60",
        "use": "commercial",
        "channel": "中国（青岛）国际投资贸易洽谈会",
        "status": "dropped",
        "follow": [(88, "meeting", "投洽会洽谈")],
        "drop": "区位与企业布局规划不符",
    },
    {
        "investor": "海尔智家",
        "title": "智能家电体验中心",
        "origin": "山东青岛",
        "industry": "零售",
        "amount": "4000",
        "floor": "3000",
        "use": "commercial",
        "street": "370213007",
        "channel": "市经合办",
    },
    {
        "investor": "青岛啤酒股份有限公司",
        "title": "物流配送中转库",
        "origin": "山东青岛",
        "industry": "仓储物流",
        "amount": "2500",
        "floor": "5000",
        "use": "logistics",
        "street": "370213005",
        "follow": [(5, "phone", "初步了解需求")],
    },
    {
        "investor": "青岛英派斯健康科技",
        "title": "健身器材研发楼",
        "origin": "山东青岛",
        "industry": "体育用品",
        "amount": "6000",
        "floor": "2000",
        "use": "office",
        "channel": "市经贸委",
    },
    {
        "investor": "晋江七匹狼实业",
        "title": "服装北方电商仓",
        "origin": "福建泉州",
        "industry": "服装",
        "amount": "3500",
        "floor": "6000",
        "use": "logistics",
        "channel": "青岛泉州商会",
        "follow": [(3, "visit", "商会引荐，上门拜访")],
    },
]

# kind, name, street code, location, use, area (亩 or m²), price 万元/亩 or rent 元/m²·月,
# building / floor, owner, reserved for the lead titled …
RESOURCES: list[dict[str, Any]] = [
    {
        "kind": "land",
        "name": "九水东路北侧工业地块",
        "street": "370213011",
        "location": "九水东路与海尔路交汇处东北",
        "use": "industrial",
        "area": "48",
        "price": "42",
        "owner": "李沧区土地储备中心",
    },
    {
        "kind": "land",
        "name": "九水片区物流用地A",
        "street": "370213011",
        "location": "九水东路南侧",
        "use": "logistics",
        "area": "65",
        "price": "40",
        "owner": "李沧区土地储备中心",
        "reserve": "鲁抗医药物流中心",
    },
    {
        "kind": "land",
        "name": "九水片区物流用地B",
        "street": "370213011",
        "location": "青银高速以东",
        "use": "logistics",
        "area": "160",
        "price": "38",
        "owner": "李沧区土地储备中心",
    },
    {
        "kind": "land",
        "name": "楼山后工业地块",
        "street": "370213006",
        "location": "楼山后路以北",
        "use": "industrial",
        "area": "85",
        "price": "45",
        "owner": "李沧区土地储备中心",
        "reserve": "英派尔 MTBE 项目",
    },
    {
        "kind": "land",
        "name": "楼山物流园地块",
        "street": "370213006",
        "location": "四流北路以东",
        "use": "logistics",
        "area": "72",
        "price": "41",
        "owner": "李沧区土地储备中心",
        "reserve": "蒙牛乳业物流中心",
    },
    {
        "kind": "land",
        "name": "湘潭路物流地块",
        "street": "370213010",
        "location": "湘潭路与唐山路交汇处",
        "use": "logistics",
        "area": "52",
        "price": "46",
        "owner": "李沧区土地储备中心",
    },
    {
        "kind": "land",
        "name": "虎山路商业地块",
        "street": "370213008",
        "location": "虎山路与金水路交汇处",
        "use": "commercial",
        "area": "95",
        "price": "120",
        "owner": "李沧区土地储备中心",
    },
    {
        "kind": "land",
        "name": "兴城路综合地块",
        "street": "370213005",
        "location": "兴城路东段",
        "use": "mixed",
        "area": "30",
        "price": "90",
        "owner": "李沧区土地储备中心",
    },
    {
        "kind": "land",
        "name": "永清路工业用地",
        "street": "370213002",
        "location": "永清路北段",
        "use": "industrial",
        "area": "25",
        "price": "48",
        "owner": "李沧区土地储备中心",
        "taken": True,
    },
    {
        "kind": "plant",
        "name": "楼山街道闲置厂房（原纺织厂）",
        "street": "370213006",
        "location": "楼山路18号",
        "use": "industrial",
        "area": "12000",
        "rent": "12",
        "owner": "青岛纺织集团",
    },
    {
        "kind": "plant",
        "name": "四流北路标准厂房",
        "street": "370213006",
        "location": "四流北路66号",
        "use": "logistics",
        "area": "10500",
        "rent": "15",
        "owner": "李沧区国有资产运营公司",
    },
    {
        "kind": "plant",
        "name": "兴华路闲置仓库",
        "street": "370213004",
        "location": "兴华路102号",
        "use": "logistics",
        "area": "6500",
        "rent": "13",
        "owner": "青岛某物流公司",
    },
    {
        "kind": "plant",
        "name": "振华路机械厂闲置车间",
        "street": "370213001",
        "location": "振华路55号",
        "use": "industrial",
        "area": "7000",
        "rent": "14",
        "owner": "青岛振华机械厂",
    },
    {
        "kind": "plant",
        "name": "兴城路冷库",
        "street": "370213005",
        "location": "兴城路210号",
        "use": "logistics",
        "area": "5200",
        "rent": "25",
        "owner": "青岛兴城冷链",
    },
    {
        "kind": "building",
        "name": "万达广场写字楼 18层",
        "street": "370213007",
        "location": "巨峰路178号",
        "use": "office",
        "area": "2600",
        "rent": "55",
        "building": "万达广场写字楼",
        "floor": "18F",
        "owner": "万达商业管理",
    },
    {
        "kind": "building",
        "name": "万达广场写字楼 21层",
        "street": "370213007",
        "location": "巨峰路178号",
        "use": "office",
        "area": "2400",
        "rent": "55",
        "building": "万达广场写字楼",
        "floor": "21F",
        "owner": "万达商业管理",
        "reserve": "区域电商运营中心",
    },
    {
        "kind": "building",
        "name": "李村商圈商业综合体 2层",
        "street": "370213007",
        "location": "京口路28号",
        "use": "commercial",
        "area": "3200",
        "rent": "90",
        "building": "李村商业综合体",
        "floor": "2F",
        "owner": "李村商圈管理公司",
    },
    {
        "kind": "building",
        "name": "浮山路科技大厦 9-10层",
        "street": "370213009",
        "location": "浮山路88号",
        "use": "office",
        "area": "4200",
        "rent": "45",
        "building": "浮山路科技大厦",
        "floor": "9-10F",
        "owner": "李沧区国有资产运营公司",
    },
    {
        "kind": "building",
        "name": "虎山路创业大厦 5层",
        "street": "370213008",
        "location": "虎山路20号",
        "use": "office",
        "area": "1800",
        "rent": "38",
        "building": "虎山路创业大厦",
        "floor": "5F",
        "owner": "李沧区科技创业服务中心",
    },
    {
        "kind": "building",
        "name": "永安路商务楼 3层",
        "street": "370213003",
        "location": "永安路46号",
        "use": "mixed",
        "area": "1500",
        "rent": "40",
        "building": "永安路商务楼",
        "floor": "3F",
        "owner": "青岛永安置业",
        "taken": True,
    },
]


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def build() -> dict[str, int]:
    """Channels, leads and resources of the demo district; nothing twice."""
    made = {"channels": 0, "leads": 0, "resources": 0}
    district = OrgUnit.objects.filter(code=DISTRICT).first()
    clerk = User.objects.filter(username="tcj", is_active=True).first()
    leader = User.objects.filter(username="leader", is_active=True).first() or clerk
    if district is None or clerk is None:
        return made
    today = _today()

    channels: dict[str, Channel] = {}
    for name, kind, address, contacts, logs in CHANNELS:
        channel = Channel.objects.filter(district=district, name=name).first()
        if channel is None:
            channel = services.channel_save(
                by=clerk, district=district, name=name, kind=kind, address=address
            )
            people = [
                services.channel_contact_save(
                    by=clerk, channel=channel, name=person, title=title, phone=phone
                )
                for person, title, phone in contacts
            ]
            for days, who, summary in logs:
                services.channel_contact_log(
                    by=clerk,
                    channel=channel,
                    date=today - dt.timedelta(days=days),
                    summary=summary,
                    contact=people[who],
                )
            made["channels"] += 1
        channels[name] = channel

    leads: dict[str, Lead] = {}
    for i, row in enumerate(LEADS):
        lead = Lead.objects.filter(
            district=district, investor=row["investor"], title=row["title"]
        ).first()
        if lead is None:
            owner = leader if i % 4 == 0 else clerk
            lead = services.lead_save(
                by=clerk,
                investor=row["investor"],
                title=row["title"],
                origin=row.get("origin", ""),
                industry=row.get("industry", ""),
                amount=Decimal(row["amount"]),
                land_area_mu=Decimal(row["land"]) if row.get("land") else None,
                floor_area_m2=Decimal(row["floor"]) if row.get("floor") else None,
                land_use=row.get("use", ""),
                preferred_street=(
                    OrgUnit.objects.get(code=row["street"]) if row.get("street") else None
                ),
                channel=channels.get(row.get("channel", "")),
                owner=owner,
            )
            for days, method, note in row.get("follow", []):
                services.lead_follow_up(
                    by=owner,
                    lead=lead,
                    date=today - dt.timedelta(days=days),
                    method=method,
                    note=note,
                )
            if row.get("status") == "dropped":
                services.lead_drop(by=owner, lead=lead, reason=row["drop"])
            made["leads"] += 1
        leads[row["title"]] = lead

    for j, row in enumerate(RESOURCES):
        street = OrgUnit.objects.get(code=row["street"])
        if Resource.objects.filter(street=street, name=row["name"]).exists():
            continue
        land = row["kind"] == "land"
        resource = services.resource_save(
            by=clerk,
            kind=row["kind"],
            name=row["name"],
            street=street,
            location=row.get("location", ""),
            land_use=row["use"],
            area_mu=Decimal(row["area"]) if land else None,
            area_m2=None if land else Decimal(row["area"]),
            price=Decimal(row["price"]) if row.get("price") else None,
            rent=Decimal(row["rent"]) if row.get("rent") else None,
            building=row.get("building", ""),
            floor=row.get("floor", ""),
            owner_name=row.get("owner", ""),
        )
        lead = leads.get(row.get("reserve", ""))
        if lead is not None and lead.status in ("new", "following"):
            services.resource_reserve(
                by=clerk,
                resource=resource,
                lead=lead,
                until=today + dt.timedelta(days=60 + 10 * j),
                note="意向锁定",
            )
        elif row.get("taken"):
            services.resource_take(by=clerk, resource=resource, note="已出让/出租")
        made["resources"] += 1
    return made
