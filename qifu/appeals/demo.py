"""The demo's appeals (诉求): what the seed says happened, built through the real workflow.

The seed: the district's leaders visited 60-odd key enterprises and recorded 67 problems; 72
problems were solved, in 12 categories. So: 67 appeals come in through visits (submitted by the
enterprise's responsible leader), exactly 72 appeals end closed and resolved, covering all twelve
categories, and the others show every state of the workflow (waiting to be accepted, some of them
past the limit; accepted; assigned; in progress; replied and waiting for the rating; reopened after
a dissatisfied rating; closed unresolved; returned; marked duplicate), with co-handling and a
contribution, extensions (one approved, one pending), a disputed assignment, supervision orders
(督办) and a common problem (共性问题) of land and property certificates.

Dates. The services stamp `timezone.now()` themselves. To place the appeals over the last ten
months, every step of every appeal is run in date order through the services while
`qifu.appeals.services.timezone` is replaced by a clock set to the step's moment, and
`appeals_tick` runs once a day at 00:05 of the simulated calendar. So deadlines are the services'
own (working days from the back-dated submission and acceptance), appeals answered late went
overdue on the day they did, reminders and ratings by default happen when they would have, and the
numbers (SQ-YYYYMM-NNNN) follow the months. After each step the rows that the database stamps
itself (`auto_now_add`: AppealEvent.at, Notification.created_at, Contribution.at,
Extension.requested_at, Supervision.at, CommonProblem.created_at) are moved to the step's moment
with a queryset `update()`, and the demo's old notifications are marked read. The audit trail is
append-only and is never updated: its events keep their real build time (demo only). At the end
`appeals_tick` runs once more on the real clock.

Enterprises rate their own appeals. Besides 天路集团 (`tianlu`) and 瑞丰气体 (`ruifeng`), each
enterprise whose demo appeal is rated gets a portal account (username: its credit code; no usable
password, so it cannot sign in). The handling departments get one staff account each (`czj_ks` …),
with the demo password; they are not listed on the login page.

Idempotent: each demo appeal carries `client_token="demo-NNN"` and is skipped when it exists; the
categories' departments and the accounts are only written when missing or different.
Deterministic: a fixed seed; only the dates move with today.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from qifu.accounts import services as account_services
from qifu.accounts.models import Role, User
from qifu.appeals import services
from qifu.appeals.categories import CATEGORIES
from qifu.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    Channel,
    CommonProblem,
    Contribution,
    Extension,
    Fulfilment,
    Kind,
    Satisfaction,
    Status,
    Supervision,
    TimeLimits,
)
from qifu.core import democlock
from qifu.core.models import Department, OrgUnit
from qifu.core.workdays import add_working_days
from qifu.enterprises.models import Enterprise
from qifu.enterprises.models import Kind as EnterpriseKind
from qifu.notices.models import Notification

SEED = 2009
DEMO_PREFIX = "demo-"  # each demo appeal's client_token: demo-001 …
DISTRICT = "370213"
VISITS = 67  # problems recorded on the leaders' visits
SOLVED = 72  # problems solved …
SPAN = 205  # … over the last ten months or so (working days)
DISPATCHER = "jxj"  # 区经济和信息化局, the service centre
COMMON_PROBLEM = "工业园区及改制企业土地证、房产证办理难（集中办理）"

# category → default handling department
CATEGORY_DEPARTMENTS = {
    "land": "zrj",
    "finance": "czj",
    "labour": "rsj",
    "policy": "czj",
    "approval": "spj",
    "utilities": "zjj",
    "planning": "zrj",
    "market": "swj",
    "innovation": "kjj",
    "environment": "hbj",
    "tax": "sw",
    "other": "jxj",
}
# one staff account for each handling department that has none in the core demo
STAFF = [
    ("czj_ks", "财政局 钱科员", "czj"),
    ("rsj_ks", "人社局 冯科员", "rsj"),
    ("spj_ks", "审批局 陈科员", "spj"),
    ("zjj_ks", "住建局 褚科员", "zjj"),
    ("swj_ks", "商务局 卫科员", "swj"),
    ("kjj_ks", "科技局 蒋科员", "kjj"),
    ("hbj_ks", "生态环境分局 沈科员", "hbj"),
    ("sw_ks", "税务局 韩科员", "sw"),
]
STAFF_USERNAMES = [row[0] for row in STAFF]
# department staff in the core demo
DEPARTMENT_USERS = {"jxj": "jxj", "zrj": "zrj"} | {code: name for name, _n, code in STAFF}

# the 72 solved problems by category
SOLVED_BY_CATEGORY = {
    "land": 12,
    "finance": 9,
    "policy": 9,
    "approval": 7,
    "utilities": 6,
    "labour": 6,
    "innovation": 6,
    "market": 5,
    "planning": 4,
    "environment": 4,
    "tax": 3,
    "other": 1,
}
# a co-handling department that fits, by category
CO_DEPARTMENTS = {
    "land": "zjj",
    "finance": "jxj",
    "policy": "jxj",
    "approval": "hbj",
    "utilities": "zrj",
    "planning": "zjj",
    "labour": "jxj",
    "innovation": "jxj",
    "market": "jxj",
    "environment": "spj",
    "tax": "czj",
    "other": "zjj",
}
CONTRIBUTIONS = {
    "zjj": "区住建局意见：相关建筑已通过质量安全鉴定，同意作为办理依据，鉴定材料已转牵头部门。",
    "jxj": "区经信局意见：企业属于重点扶持对象，已将企业情况纳入工业企业运行指挥部调度，"
    "可配合开展对接。",
    "hbj": "区生态环境分局意见：已提前介入环评技术审查，报告已报市局审批。",
    "zrj": "区自然资源局意见：项目用地权属清楚，管线走向与规划无冲突，同意施工。",
    "spj": "区行政审批服务局意见：相关许可可并联办理，已开通绿色通道。",
    "czj": "区财政局意见：可按现行政策给予补助，资金在年度预算内安排。",
}
PROGRESS_NOTES = [
    "已与企业负责人电话沟通，了解了具体情况和诉求。",
    "已赴企业现场核查，正在协调相关单位研究解决办法。",
    "已召开协调会，明确了办理路径和时间安排。",
    "已收齐企业补充材料，正在按程序办理。",
]
SUPERVISION_NOTES = [
    "该问题企业反映强烈，已超过办理时限，请牵头部门三个工作日内拿出解决方案并向企业反馈。",
    "请牵头部门会同相关部门专题研究，限期解决，每周向区政府报告进展。",
    "请加快办理，办结后将结果报区政府。",
]
SATISFIED_COMMENTS = ["", "", "", "办理及时，感谢！", "问题得到解决，服务热情周到。"]
DISSATISFIED_COMMENTS = ["回复只说明了原因，问题没有实际解决。", "承诺的办理时间已过，仍未落实。"]
PREFIX = {
    Channel.VISIT: "{leader}走访企业时，{e}反映：",
    Channel.PHONE: "{e}来电反映：",
    Channel.ASSOCIATION: "经区中小企业协会转来，{e}反映：",
    Channel.HOTLINE: "12345热线转办：{e}反映：",
    Channel.SYMPOSIUM: "在重点企业座谈会上，{e}提出：",
    Channel.PORTAL: "",
}


def _problem(key: str, title: str, description: str, cause: str, reply: str, **extra: Any) -> Any:
    return key, {
        "kind": Kind.PROBLEM,
        "title": title,
        "description": description,
        "cause": cause,
        "reply": reply,
        **extra,
    }


def _demand(
    key: str, title: str, description: str, fulfilment: str, reply: str, **extra: Any
) -> Any:
    return key, {
        "kind": Kind.DEMAND,
        "title": title,
        "description": description,
        "fulfilment": fulfilment,
        "met": True,
        "reply": reply,
        **extra,
    }


# What enterprises asked, by category, in the seed's terms. {e} is the enterprise; the numbers
# are filled in per appeal. `named` ones are used only for the enterprises the seed names.
TEXTS: dict[str, dict[str, dict[str, Any]]] = {
    "land": dict(
        [
            _problem(
                "certificate",
                "厂区土地证多年未能办理",
                "{e}上世纪九十年代通过协议方式取得厂区用地约{mu}亩，因当时用地审批手续不全，"
                "土地证一直未能办理。企业计划以土地抵押申请贷款并扩建厂房，均因无证受阻，请求协助办理。",
                "历史遗留问题：企业取得土地时用地审批和规划手续不完整，与现行不动产登记要求不一致，"
                "需先补办用地手续。",
                "区自然资源局会同区住建局现场核查，按历史遗留用地问题处理办法为企业补办了用地手续，"
                "企业缴清相关费用后已受理不动产登记申请，不动产权证书已发放。",
            ),
            _problem(
                "transfer",
                "企业改制后房产证无法过户",
                "{e}由原集体企业改制设立，厂房房产证仍登记在原主管单位名下。办理过户时被要求提供"
                "原单位的决议文件，而原单位已撤销，手续无法继续。",
                "企业改制时产权交接资料不完整，原产权单位已注销，登记机构缺少转移登记的权属来源证明。",
                "经协调，区国资部门出具了改制产权情况说明，经公告无异议后，"
                "区自然资源局已为企业办理不动产转移登记。",
            ),
            _problem(
                "park",
                "园区自建厂房无法办理房产证，银行不予抵押",
                "{e}在{park}内自建厂房约{sqm}平方米，因园区整体供地手续未办结，厂房无法单独办理"
                "房产证，银行不接受抵押，企业融资受阻。",
                "园区土地整体征收和供地手续尚未办结，单体建筑无法单独确权，属园区层面的共性问题。",
                "已将该园区列入土地证、房产证集中办理范围，区自然资源局分批完善园区供地手续，"
                "企业厂房已完成首次登记，房产证已发放。",
            ),
            _problem(
                "area",
                "土地证记载面积与实际用地不符",
                "{e}土地证记载面积与实际使用面积相差约{mu_small}亩，企业申请扩建规划许可时"
                "因权属面积不一致被退件。",
                "早期地籍测绘精度不足，宗地界址和面积记载有误。",
                "区自然资源局组织重新测绘，确认了宗地界址，已办理不动产变更登记，"
                "企业规划许可申请已重新受理。",
            ),
            _demand(
                "temporary",
                "申请临时用地用于原料堆放",
                "{e}订单增加，现有厂区场地不足，希望在厂区东侧闲置地块办理临时用地，"
                "用于原料和成品堆放。",
                Fulfilment.PREMISES,
                "经区自然资源局审核，该地块符合临时用地条件，已批准企业临时使用两年，"
                "并明确了到期复垦要求。",
            ),
            _problem(
                "occupied",
                "厂区部分用地被周边村庄占用",
                "{e}厂区西侧约{mu_small}亩土地长期被周边村民占用堆放杂物、搭建临时建筑，"
                "企业多次交涉无果。",
                "该地块权属历史上存在争议，村集体对部分土地主张权利。",
                "区自然资源局已调取原始用地档案，确认该地块在企业用地范围内，已协调街道对村民进行劝导。",
                reply2="街道已组织多次协调，村集体仍提出补偿要求，双方未能达成一致，"
                "建议企业通过法律途径解决，区里继续跟踪。",
                named=True,
            ),
        ]
    ),
    "finance": dict(
        [
            _problem(
                "renewal",
                "银行贷款到期续贷困难，流动资金紧张",
                "受国际金融危机影响，{e}订单明显减少，{wan}万元流动资金贷款将于下月到期，"
                "银行收紧授信，续贷存在困难，企业担心资金链断裂。",
                "企业短期经营下滑，银行信贷政策收紧，企业可用抵押物不足。",
                "区财政局协调区中小企业担保中心为企业提供续贷担保，并组织银行开展续贷评审，"
                "贷款已按期续贷。",
            ),
            _demand(
                "project_loan",
                "希望对接银行解决技改项目贷款",
                "{e}技改项目总投资约{wan}万元，自有资金只能满足一半，希望政府帮助对接银行。",
                Fulfilment.FINANCING,
                "区经信局、区财政局组织银企对接会，青岛农商银行李沧支行对项目评审后授信"
                "{wan_half}万元，首笔贷款已发放。",
            ),
            _problem(
                "guarantee",
                "担保费率偏高，中小企业融资成本大",
                "{e}通过担保公司取得银行贷款，担保费率达3%，加上利息，综合融资成本偏高，企业难以承受。",
                "担保费由担保机构市场化定价，小微企业议价能力弱；区级担保费补助政策企业不了解。",
                "已按区中小企业融资担保费补助办法，对企业当年担保费给予50%补助，补助资金已拨付。",
            ),
            _demand(
                "bridge",
                "申请使用中小企业应急转贷资金",
                "{e}一笔{wan}万元贷款即将到期，银行同意续贷但需先还后贷，企业短期筹措资金困难，"
                "申请使用应急转贷资金。",
                Fulfilment.FINANCING,
                "经审核符合条件，区应急转贷资金已为企业提供过桥资金，企业已完成还贷和续贷。",
            ),
            _problem(
                "receivables",
                "应收账款回款慢，资金周转困难",
                "{e}对下游客户的应收账款约{wan}万元逾期未回，企业流动资金紧张，影响正常生产。",
                "下游客户受市场影响付款延迟，企业缺少应收账款融资渠道。",
                "区财政局联系银行为企业办理应收账款质押融资，已获得贷款；区经信局同时协调"
                "下游企业制定了分期付款计划。",
            ),
            _demand(
                "bank",
                "希望搭建银企对接平台，推荐优质中小企业",
                "{e}希望政府定期提供有融资需求的优质中小企业名单，搭建银企对接平台，扩大信贷投放。",
                Fulfilment.PARTNER,
                "区财政局、区经信局建立银企对接月度例会制度，已向银行推送有融资需求的中小企业名单，"
                "首批对接企业12家。",
                named=True,
            ),
        ]
    ),
    "labour": dict(
        [
            _problem(
                "workers",
                "春节后一线工人返岗率低，招工难",
                "春节后{e}一线工人返岗不足七成，生产线开工不足，企业自行招聘效果不好，缺工约{k}人。",
                "外地务工人员流向南方沿海地区，企业薪酬竞争力不足，招聘渠道单一。",
                "区人社局组织专场招聘会，并通过街道劳动保障站发布岗位信息，帮助企业招聘一线工人"
                "{k}名，落实了岗前培训补贴。",
            ),
            _demand(
                "engineers",
                "需要引进机械设计类技术人才",
                "{e}新产品研发需要机械设计和电气自动化方面的技术人才，希望政府帮助对接高校。",
                Fulfilment.RECRUITMENT,
                "区人社局推荐企业参加青岛市高校毕业生专场招聘会，并对接青岛科技大学，"
                "企业已签约技术人员5名。",
            ),
            _problem(
                "social_insurance",
                "企业社保缴费负担重，申请缓缴",
                "{e}经营困难，每月社保缴费约{wan_small}万元，负担较重，希望享受困难企业缓缴社保政策。",
                "企业阶段性经营困难；困难企业缓缴社会保险费政策的申请条件企业不了解。",
                "经区人社局审核，企业符合困难企业缓缴条件，已批准缓缴社会保险费6个月，并落实稳岗补贴。",
            ),
            _demand(
                "training",
                "申请职工技能培训补贴",
                "{e}计划组织{k}名职工参加焊工、电工等技能培训，希望了解并申请职业技能培训补贴。",
                Fulfilment.POLICY,
                "区人社局已将企业培训计划纳入年度补贴性培训，培训结束取得证书后按规定拨付补贴。",
            ),
        ]
    ),
    "policy": dict(
        [
            _problem(
                "upgrade_fund",
                "技术改造扶持资金迟迟未拨付",
                "{e}技术改造项目去年已通过验收并公示，{wan_small}万元区级配套扶持资金至今未到位。",
                "扶持资金需市、区两级审核，区级配套资金预算调整滞后。",
                "区财政局已完成预算调整，{wan_small}万元扶持资金已拨付到企业账户。",
            ),
            _problem(
                "energy_award",
                "节能成果奖励资金申报后无下文",
                "{e}去年完成余热回收节能改造，年节约标准煤约{k}吨，已申报节能成果奖励，至今没有反馈。",
                "申报材料在部门间流转，缺少进度告知，企业无从了解办理情况。",
                "经查，企业申报已通过专家评审，奖励资金已拨付；今后扶持资金申报结果将通过平台告知企业。",
            ),
            _demand(
                "brand",
                "希望了解品牌创建奖励政策并申报",
                "{e}产品去年获评山东名牌，希望了解市、区两级品牌创建奖励政策并申报。",
                Fulfilment.POLICY,
                "区经信局上门讲解品牌创建奖励政策，指导企业完成申报，奖励资金已兑现。",
                lead="jxj",
            ),
            _demand(
                "saving",
                "申报节约型社会建设项目",
                "{e}实施资源综合利用改造，希望申报节约型社会建设项目，争取上级资金支持。",
                Fulfilment.POLICY,
                "区经信局指导企业完善申报材料并推荐上报，项目已列入节约型社会建设项目计划，"
                "获上级补助资金。",
                lead="jxj",
                named=True,
            ),
            _demand(
                "circular",
                "申报青岛市循环经济试点企业",
                "{e}已建成废料回收再利用生产线，希望申报青岛市循环经济试点企业。",
                Fulfilment.POLICY,
                "区经信局组织专家现场指导，已推荐企业申报青岛市循环经济试点企业。",
                lead="jxj",
                named=True,
            ),
        ]
    ),
    "approval": dict(
        [
            _problem(
                "project",
                "技改项目备案和环评审批时间长",
                "{e}新上技改项目已完成可研，但项目备案和环评审批进展缓慢，材料多次补正，"
                "影响设备订购和开工。",
                "项目环评需报市级审批，企业对材料要求不熟悉，多次补正。",
                "区行政审批服务局开通绿色通道，备案、环评并联办理，派专人指导企业一次性补齐材料，"
                "已办结备案和环评批复。",
            ),
            _problem(
                "fire",
                "施工许可证办理卡在消防设计审查",
                "{e}新建车间已取得规划许可，但消防设计审查未通过，施工许可证无法办理，"
                "工期已拖延一个多月。",
                "设计单位对现行消防技术规范理解有偏差，设计文件需修改。",
                "区行政审批服务局组织消防审查专家与设计单位现场会商，设计修改后已通过审查，"
                "施工许可证已核发。",
            ),
            _demand(
                "qiche",
                "技改项目希望并联审批、尽早开工",
                "{e}技改项目计划明年7月开工，涉及立项、规划、环评、施工许可等多项审批，"
                "希望政府协调并联审批。",
                Fulfilment.OTHER,
                "区行政审批服务局建立项目专班，一次告知、并联审批，立项和规划手续已办结，"
                "其余手续按计划推进。",
                named=True,
            ),
            _problem(
                "chemicals",
                "危险化学品经营许可证换证手续复杂",
                "{e}危险化学品经营许可证即将到期，换证需提交的材料多、跑的部门多，企业希望简化。",
                "换证涉及安全评价、消防等多个环节，企业不熟悉办理流程。",
                "区行政审批服务局实行帮办代办，一次性告知所需材料，许可证已在到期前完成换发。",
            ),
        ]
    ),
    "utilities": dict(
        [
            _problem(
                "power",
                "厂区供电容量不足，新生产线无法投运",
                "{e}新生产线设备已安装调试完毕，但厂区变压器容量不足，需增容约{kva}千伏安，"
                "供电部门答复线路负荷已满。",
                "片区变电站和线路负荷已满，需新建配电线路。",
                "区住建局协调供电公司新建10千伏专用线路，已完成增容送电，新生产线已投运。",
            ),
            _problem(
                "road",
                "企业门前道路破损，雨季积水严重",
                "{e}门前道路路面破损多年，雨季积水严重，大货车进出困难，影响原料和产品运输。",
                "该路段排水管网老化、管径偏小，道路未纳入维修计划。",
                "已将该路段纳入市政道路维修计划，完成路面修补和排水管网改造，积水问题已解决。",
            ),
            _problem(
                "gas",
                "天然气管道未接入厂区",
                "{e}生产需要使用天然气，但管道未接入厂区，只能使用瓶装液化气，成本高且存在安全隐患。",
                "厂区周边没有燃气中压管网，燃气公司认为单独铺设投资大。",
                "区住建局协调燃气公司将该片区纳入管网建设计划，管道已铺设到厂区并完成通气。",
            ),
            _problem(
                "heating",
                "冬季供暖温度不达标，影响车间生产",
                "{e}车间冬季室温长期低于规定标准，部分工序无法正常作业。",
                "供热管网末端水力失衡，换热站供热能力不足。",
                "区住建局督促供热企业对管网进行水力平衡调节并更换换热设备，车间温度已达标。",
            ),
            _problem(
                "water",
                "工业用水压力不足，影响生产",
                "{e}用水高峰期水压不足，冷却系统无法正常运行，曾多次被迫停产。",
                "片区供水管网老化、管径偏小。",
                "区住建局协调供水部门对该片区管网进行改造并增设加压设施，水压已恢复正常。",
            ),
            _problem(
                "village_road",
                "厂区周边道路长期未修，大车通行困难",
                "{e}厂区周边道路为村道，路面坑洼、雨天积水，大型货车经常陷车，企业多次反映未解决。",
                "该道路为村集体道路，未移交市政管理，维修资金来源未落实。",
                "已将该路段列入明年市政道路维修计划，近期先行对坑洼处进行临时修补。",
                reply2="经再次协调，因道路权属移交手续未完成，今年无法安排大修，已完成第二次临时修补，"
                "移交完成后优先安排。",
                named=True,
            ),
        ]
    ),
    "planning": dict(
        [
            _problem(
                "zoning",
                "厂区扩建地块规划性质需调整",
                "{e}计划在厂区北侧空地扩建生产车间，但控制性详细规划将该地块规划为居住用地，"
                "扩建无法办理规划许可。",
                "片区控规编制时未充分考虑现状工业企业的发展需要。",
                "区自然资源局结合片区控规修编，将该地块调整为工业用地，已按程序报批，"
                "企业扩建规划许可已受理。",
            ),
            _demand(
                "workshop",
                "希望在园区内租用或新建标准厂房",
                "{e}业务扩张，现有厂房不足，希望在{park}内租用或新建约{sqm}平方米的标准厂房。",
                Fulfilment.PREMISES,
                "区自然资源局会同园区管委会推荐了园区内闲置标准厂房，企业已签订租赁合同。",
            ),
            _problem(
                "warehouse",
                "物流仓库建设规划条件迟迟未出具",
                "{e}拟建设物流仓库，已签订投资协议，但地块规划条件迟迟未出具，项目无法推进。",
                "地块周边道路规划尚未确定，规划条件需与道路规划同步论证。",
                "区自然资源局加快道路规划论证，规划条件已出具，项目已进入土地供应程序。",
            ),
        ]
    ),
    "market": dict(
        [
            _demand(
                "fair",
                "希望参加展会拓展外贸订单",
                "受金融危机影响，{e}出口订单下降约三成，希望政府组织参加广交会等展会，帮助开拓新市场。",
                Fulfilment.PARTNER,
                "区商务局将企业纳入展会补贴计划，组织参加广交会，企业现场签订意向订单。",
            ),
            _demand(
                "retail",
                "希望对接大型商超推广本地产品",
                "{e}产品质量稳定，但进入大型商超门槛高，希望政府帮助对接利客来等本地商超。",
                Fulfilment.PARTNER,
                "区商务局组织产销对接会，企业产品已进入利客来等本地商超销售。",
            ),
            _demand(
                "suppliers",
                "寻找本地上下游配套企业",
                "{e}部分零部件需从外地采购，运输成本高，希望了解区内有无可配套的企业。",
                Fulfilment.PARTNER,
                "区商务局通过企业信息库筛选推荐了3家区内配套企业，企业已与其中2家建立合作。",
            ),
            _demand(
                "chambers",
                "希望通过驻青商会拓展南方市场",
                "{e}希望拓展浙江、福建市场，请求政府帮助联系温州商会、泉州商会等驻青商会。",
                Fulfilment.PARTNER,
                "区商务局联系温州商会、泉州商会，组织企业参加商会交流活动，"
                "企业已与两家南方经销商签约。",
            ),
            _problem(
                "protection",
                "外地招标设置门槛，产品难以进入当地市场",
                "{e}参与外地招标时被要求在当地设立公司，产品进入当地市场受阻。",
                "部分地区招投标中存在地方保护做法。",
                "区商务局已将情况通过市级部门反映给当地，并指导企业依法提出异议，企业已恢复投标资格。",
            ),
        ]
    ),
    "innovation": dict(
        [
            _demand(
                "project",
                "申报技术创新项目",
                "{e}正在研发新一代产品，希望列入市级技术创新项目计划，争取政策和资金支持。",
                Fulfilment.POLICY,
                "区科技局、区经信局指导企业完善项目材料，已推荐列入青岛市技术创新项目计划。",
            ),
            _demand(
                "new_product",
                "申请新产品认定",
                "{e}自主研发的新产品已试产，希望申请青岛市新产品认定，享受相关优惠政策。",
                Fulfilment.POLICY,
                "区科技局组织专家预审，指导企业补充检测报告，产品已通过青岛市新产品认定。",
            ),
            _demand(
                "centre",
                "申请认定市级企业技术中心",
                "{e}研发投入逐年增加，已建成研发中心，希望申请认定青岛市企业技术中心。",
                Fulfilment.POLICY,
                "区科技局指导企业对照认定标准完善材料，企业技术中心已通过市级认定。",
            ),
            _problem(
                "high_tech",
                "高新技术企业认定时研发费用归集不规范",
                "{e}申报高新技术企业认定时，研发费用归集不符合要求被专家提出异议，担心认定失败。",
                "企业财务人员对研发费用辅助账的设置要求不熟悉。",
                "区科技局联系中介机构为企业免费辅导，企业已规范研发费用辅助账，通过高新技术企业认定。",
            ),
            _problem(
                "patents",
                "专利申请资助资金未到位",
                "{e}去年申请发明专利{k_small}件，按政策可享受专利资助，但资助资金至今未到位。",
                "专利资助需待专利授权后集中审核，审核周期较长，企业未及时获知进度。",
                "区科技局已完成审核，专利资助资金已拨付，并告知企业后续申报时间。",
            ),
        ]
    ),
    "environment": dict(
        [
            _demand(
                "cleaner",
                "申报青岛市清洁生产企业",
                "{e}已完成清洁生产审核，单位产品能耗和排放明显下降，希望申报青岛市清洁生产企业。",
                Fulfilment.POLICY,
                "区生态环境分局组织现场评估，已推荐企业申报青岛市清洁生产企业。",
            ),
            _problem(
                "retrofit",
                "环保设施改造资金压力大",
                "{e}按新排放标准需改造废气处理设施，投资约{wan_small}万元，企业资金压力大。",
                "排放标准提高，企业原有治污设施不能稳定达标，改造资金缺口大。",
                "区生态环境分局指导企业申报污染治理专项资金并获补助，改造已完成，稳定达标排放。",
            ),
            _problem(
                "hazardous",
                "危险废物处置渠道不畅，厂内暂存超期",
                "{e}产生的废矿物油、废包装桶等危险废物，处置单位排队时间长，厂内暂存已接近期限。",
                "全市危险废物集中处置能力不足，企业与处置单位未签订长期协议。",
                "区生态环境分局协调处置单位优先接收，企业已签订年度处置协议，"
                "暂存危险废物已全部转移处置。",
            ),
            _problem(
                "safety",
                "安全生产许可证延期需整改隐患",
                "{e}安全生产许可证即将到期，延期审查时发现多项隐患，企业对整改标准不清楚。",
                "企业安全管理制度不健全，对隐患整改标准理解不一致。",
                "区生态环境分局会同应急管理部门组织专家上门指导，隐患已全部整改，许可证已延期。",
            ),
        ]
    ),
    "tax": dict(
        [
            _problem(
                "export_rebate",
                "出口退税办理周期长，资金占用大",
                "{e}出口业务占比较大，出口退税从申报到到账需一个多月，约{wan}万元资金被占用。",
                "企业申报资料不规范导致多次退回，退税审核环节较多。",
                "区税务局开通出口退税绿色通道并辅导企业规范申报，退税款已到账，"
                "平均办理时间缩短至5个工作日。",
            ),
            _problem(
                "rd_deduction",
                "研发费用加计扣除未能享受",
                "{e}去年研发投入约{wan_small}万元，但汇算清缴时研发费用加计扣除未能享受。",
                "企业对研发费用加计扣除的归集范围和备案要求不熟悉。",
                "区税务局上门辅导，企业已补充备案资料并更正申报，享受了加计扣除。",
            ),
            _problem(
                "land_tax",
                "城镇土地使用税负担重，申请困难减免",
                "{e}厂区占地面积大，城镇土地使用税负担较重，今年经营困难，申请困难减免。",
                "企业经营困难，城镇土地使用税按面积计征，负担较重。",
                "经区税务局审核，企业符合困难减免条件，已批准减免当年城镇土地使用税50%。",
            ),
        ]
    ),
    "other": dict(
        [
            _problem(
                "security",
                "厂区周边治安差，夜间原料被盗",
                "{e}厂区地处城乡结合部，近期夜间多次发生原料被盗，企业请求加强周边治安管理。",
                "厂区周边照明和监控不足，巡逻力量薄弱。",
                "区经信局协调公安分局加强夜间巡逻，并在厂区周边增设路灯和监控，近两个月未再发生被盗。",
            ),
            _problem(
                "bus",
                "公交线路未通到厂区，职工通勤困难",
                "{e}有职工约{k}人，厂区附近没有公交站点，职工上下班通勤困难，影响招工。",
                "片区公交线路规划未覆盖新建工业区。",
                "区经信局协调公交公司调整线路，在厂区门口增设站点，已开通运营。",
            ),
            _demand(
                "school",
                "希望解决外地骨干职工子女入学",
                "{e}部分外地引进的技术骨干子女需在李沧区就近入学，希望政府帮助协调。",
                Fulfilment.OTHER,
                "区经信局会同区教体局按引进人才子女入学政策予以安排，已落实就近入学。",
            ),
            _problem(
                "debt",
                "供应商拖欠货款，请求政府帮助追讨",
                "{e}反映其供应商收取预付货款后未按合同供货，经多次催要无果，请求政府帮助追讨。",
                "",
                "",
                reason="该事项为企业之间的合同纠纷，属民事纠纷，不属于政府职责范围，"
                "建议企业通过诉讼或仲裁依法解决。",
                named=True,
            ),
            _problem(
                "lease",
                "与原合作方的厂房租赁纠纷请求协调",
                "{e}与原合作方因厂房租赁合同发生纠纷，对方拒不腾退厂房，请求政府出面协调。",
                "",
                "",
                reason="该纠纷已进入诉讼程序，不属于政府职责范围，请依法通过法院解决。",
                named=True,
            ),
            _problem(
                "shareholders",
                "股东之间经营分歧请求政府调解",
                "{e}股东之间在经营方向上产生分歧，影响企业正常决策，请求政府出面调解。",
                "",
                "",
                reason="企业股东之间的经营分歧属企业内部自治事项，不属于政府职责范围。",
                named=True,
            ),
        ]
    ),
}


@dataclass
class _Step:
    offset: int  # working days after the submission
    minute: int  # minutes after midnight
    action: str
    by: Any  # a User, or "enterprise" for the enterprise's portal account
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    token: str
    enterprise: Enterprise
    submitter: User
    channel: str
    category: str
    text: dict[str, Any]
    lead: str
    co: str | None = None
    steps: list[_Step] = field(default_factory=list)
    age: int = 0  # working days from the submission to the demo's last working day
    at: dt.datetime | None = None  # a fixed submission moment (today's fresh appeal)


class _Chain:
    """Builds one appeal's steps, in working days after its submission."""

    def __init__(self, plan: _Plan, rng: random.Random, people: _People) -> None:
        self.plan, self.rng, self.people = plan, rng, people
        self.offset = 0
        self.minute = rng.randrange(8 * 60 + 40, 11 * 60 + 30)
        self.accepted_at = 0
        self.lead_user = people.staff[plan.lead]
        plan.steps = [_Step(0, self.minute, "submit", plan.submitter)]

    def step(self, action: str, by: Any, after: int = 0, **kwargs: Any) -> None:
        """`after` working days after the previous step (0: later the same day)."""
        if after > 0:
            self.offset += after
            self.minute = self.rng.randrange(8 * 60 + 40, 17 * 60 + 20)
        else:
            self.minute += self.rng.randrange(12, 95)
            if self.minute > 19 * 60:
                self.offset += 1
                self.minute = self.rng.randrange(8 * 60 + 40, 10 * 60)
        self.plan.steps.append(_Step(self.offset, self.minute, action, by, kwargs))

    def until(self, offset: int) -> int:
        """The `after` that reaches `offset` (0 if it is already passed)."""
        return max(offset - self.offset, 0)

    # the workflow's pieces

    def accept(self, after: int = 0) -> None:
        self.step("accept", self.people.dispatcher, after)
        self.accepted_at = self.offset

    def assign(self, after: int = 0, department: str | None = None, co: bool = True) -> None:
        code = department or self.plan.lead
        others = [self.people.departments[self.plan.co]] if co and self.plan.co else []
        self.step(
            "assign",
            self.people.dispatcher,
            after,
            department=self.people.departments[code],
            co_departments=others,
        )

    def progress(self, after: int = 1) -> None:
        self.step("progress", self.lead_user, after, note=self.rng.choice(PROGRESS_NOTES))

    def contribute(self, after: int = 1) -> None:
        assert self.plan.co  # noqa: S101
        self.step(
            "contribute",
            self.people.staff[self.plan.co],
            after,
            text=CONTRIBUTIONS.get(self.plan.co, "本部门意见：同意牵头部门的办理意见，予以配合。"),
        )

    def supervise(self, after: int = 1, by: User | None = None) -> None:
        self.step(
            "supervise",
            by or self.people.leader,
            after,
            note=self.rng.choice(SUPERVISION_NOTES),
        )

    def reply(self, after: int = 0, second: bool = False) -> None:
        text = self.plan.text
        answer = text["reply"]
        if second:
            answer = (
                text.get("reply2") or f"针对企业反映的意见，牵头部门再次赴企业现场协调：{answer}"
            )
        kwargs: dict[str, Any] = {"reply": answer}
        if text["kind"] == Kind.PROBLEM:
            kwargs["cause"] = text["cause"]
        else:
            kwargs["fulfilment"], kwargs["met"] = text["fulfilment"], text["met"]
        self.step("reply", self.lead_user, after, **kwargs)

    def rate(self, satisfaction: str, after: int | None = None) -> None:
        if satisfaction in (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED):
            comment = self.rng.choice(DISSATISFIED_COMMENTS)
        elif satisfaction == Satisfaction.BASICALLY_SATISFIED:
            comment = self.rng.choice(["", "基本解决，希望后续继续跟进。"])
        else:
            comment = self.rng.choice(SATISFIED_COMMENTS)
        self.step(
            "rate",
            "enterprise",
            self.rng.randint(1, 4) if after is None else after,
            satisfaction=satisfaction,
            comment=comment,
        )


@dataclass
class _People:
    dispatcher: User
    leader: User
    staff: dict[str, User]
    departments: dict[str, Department]
    categories: dict[str, Category]
    street_staff: dict[str, User]
    limits: TimeLimits


def _fill(text: dict[str, Any], enterprise: Enterprise, rng: random.Random) -> dict[str, Any]:
    wan = rng.randrange(200, 3000, 50)
    values = {
        "e": enterprise.name,
        "park": enterprise.park.name if enterprise.park_id else "李沧经济开发区",
        "mu": rng.randrange(20, 120),
        "mu_small": rng.randrange(2, 15),
        "sqm": rng.randrange(2000, 20000, 100),
        "wan": wan,
        "wan_half": wan // 2,
        "wan_small": rng.randrange(20, 300, 5),
        "k": rng.randrange(20, 150),
        "k_small": rng.randrange(3, 12),
        "kva": rng.choice([800, 1250, 1600, 2000, 2500, 3150]),
    }
    filled = dict(text)
    for key in ("title", "description", "reply", "reply2"):
        if filled.get(key):
            filled[key] = filled[key].format(**values)
    return filled


def _satisfied(rng: random.Random) -> str:
    return rng.choices(
        [
            Satisfaction.VERY_SATISFIED,
            Satisfaction.SATISFIED,
            Satisfaction.BASICALLY_SATISFIED,
        ],
        weights=[35, 45, 20],
    )[0]


class _Planner:
    def __init__(self, rng: random.Random, people: _People) -> None:
        self.rng, self.people = rng, people
        self.plans: list[_Plan] = []
        self.used: set[tuple[int, str, str]] = set()
        enterprises = list(
            Enterprise.objects.select_related("street", "park", "responsible_leader").order_by(
                "credit_code"
            )
        )
        self.by_name = {e.name: e for e in enterprises}
        self.key = [e for e in enterprises if e.is_key and e.kind != EnterpriseKind.FINANCIAL]
        self.others = [
            e for e in enterprises if not e.is_key and e.kind != EnterpriseKind.FINANCIAL
        ]

    # choosing

    def _text(
        self, category: str, key: str | None = None, problem: bool = False
    ) -> tuple[str, dict[str, Any]]:
        """The text `key`, or one of the category's at random (a problem, if `problem` and the
        category has one)."""
        pool = TEXTS[category]
        if key is None:
            keys = sorted(k for k, t in pool.items() if not t.get("named"))
            problems = [k for k in keys if pool[k]["kind"] == Kind.PROBLEM]
            key = self.rng.choice(problems if problem and problems else keys)
        return key, pool[key]

    def _enterprise(self, pool: list[Enterprise], category: str, key: str) -> Enterprise:
        for _attempt in range(50):
            enterprise = self.rng.choice(pool)
            if (enterprise.pk, category, key) not in self.used:
                return enterprise
        return enterprise

    def _submitter(self, channel: str, enterprise: Enterprise) -> User:
        if channel == Channel.VISIT:
            return enterprise.responsible_leader or self.people.leader
        if channel == Channel.PORTAL:
            return self.people.staff["enterprise:" + enterprise.name]
        if channel == Channel.SYMPOSIUM:
            return self.people.leader
        if channel == Channel.PHONE and enterprise.street.code in self.people.street_staff:
            return self.people.street_staff[enterprise.street.code]
        return self.people.dispatcher

    def plan(
        self,
        category: str,
        channel: str,
        *,
        enterprise: str | Enterprise | None = None,
        key: str | None = None,
        co: bool = False,
    ) -> _Chain:
        # what the leaders recorded on their visits were mostly problems (整理归纳了67个问题)
        key, text = self._text(
            category, key, problem=channel == Channel.VISIT and self.rng.random() < 0.9
        )
        if isinstance(enterprise, str):
            chosen = self.by_name[enterprise]
        elif enterprise is not None:
            chosen = enterprise
        else:
            pool = self.key if channel == Channel.VISIT else self.others + self.key
            if channel == Channel.PHONE and self.rng.random() < 0.5:
                local = [e for e in self.others if e.street.code in self.people.street_staff]
                pool = local or pool
            chosen = self._enterprise(pool, category, key)
        self.used.add((chosen.pk, category, key))
        filled = _fill(text, chosen, self.rng)
        submitter = self._submitter(channel, chosen)
        prefix = PREFIX[channel].format(leader=submitter.full_name, e=chosen.name)
        if prefix:
            filled["description"] = prefix + filled["description"]
        lead = text.get("lead") or CATEGORY_DEPARTMENTS[category]
        plan = _Plan(
            token=f"{DEMO_PREFIX}{len(self.plans) + 1:03d}",
            enterprise=chosen,
            submitter=submitter,
            channel=channel,
            category=category,
            text=filled,
            lead=lead,
            co=CO_DEPARTMENTS[category] if co and CO_DEPARTMENTS[category] != lead else None,
        )
        self.plans.append(plan)
        return _Chain(plan, self.rng, self.people)

    # the story

    def solved(
        self,
        chain: _Chain,
        *,
        reopen: bool = False,
        auto: bool = False,
        supervise: bool = False,
        dispute: str | None = None,
        late: bool | None = None,
        reply_after: int | None = None,
    ) -> None:
        """Accepted, assigned, handled, replied and rated satisfied: closed and resolved."""
        rng = self.rng
        lim = self.people.limits
        green = services._green_channel(chain.plan.enterprise)
        limit = lim.green_resolve_days if green else lim.resolve_days
        chain.accept(rng.choices([0, 1, 2], weights=[70, 25, 5])[0])
        if dispute:
            chain.assign(0, department=dispute, co=False)
            chain.step(
                "dispute",
                self.people.staff[dispute],
                rng.choice([0, 1]),
                reason="该事项属于"
                f"{self.people.departments[chain.plan.lead].name}职责，非本部门职责，请重新交办。",
            )
            chain.assign(0)
        else:
            chain.assign(rng.choice([0, 0, 1]))
        chain.progress(rng.choice([0, 1, 1, 2]))
        if chain.plan.co:
            chain.contribute(rng.choice([1, 2]))
        if supervise:
            chain.supervise(1)
        if late is None:
            late = rng.random() < 0.1
        if reply_after is None:
            reply_after = (
                limit + rng.randint(1, 6) if late else min(int(rng.triangular(2, limit, 5)), limit)
            )
        chain.reply(chain.until(chain.accepted_at + reply_after))
        if reopen:
            chain.rate(Satisfaction.DISSATISFIED)
            chain.progress(rng.choice([1, 2]))
            chain.reply(rng.randint(2, 6), second=True)
            chain.rate(_satisfied(rng))
        elif not auto:
            chain.rate(_satisfied(rng))

    def place(self, chain: _Chain, *, least: int = 0) -> None:
        """Somewhere in the last ten months, late enough that every step has happened."""
        plan = chain.plan
        last = plan.steps[-1].offset
        earliest = last + max(least, 1)
        plan.age = self.rng.randint(min(earliest, SPAN), max(SPAN, earliest))

    def build(self) -> list[_Plan]:
        rng, staff = self.rng, self.people.staff
        leader = self.people.leader

        # --- the others: every state --------------------------------------------------------
        # waiting to be accepted: two of the leaders' visits past the one-day limit, a phone call
        # from a street taken yesterday, and 天路集团's own appeal sent this morning
        for age in (4, 3):
            chain = self.plan(rng.choice(["labour", "finance", "utilities"]), Channel.VISIT)
            chain.plan.age = age
        chain = self.plan("utilities", Channel.PHONE, enterprise=self._street_enterprise())
        chain.plan.age = 0
        chain = self.plan("market", Channel.PORTAL, enterprise="天路集团", key="fair")
        chain.plan.at = timezone.now() - dt.timedelta(minutes=47)

        # accepted, waiting to be assigned; one of them disputed by the department it went to
        chain = self.plan("approval", Channel.VISIT)
        chain.accept(1)
        chain.plan.age = 1
        chain = self.plan("utilities", Channel.VISIT, key="road")
        chain.accept(0)
        chain.assign(0, department="zrj", co=False)
        chain.step(
            "dispute",
            staff["zrj"],
            1,
            reason="道路和排水管网维修属区住房和城乡建设局职责，非本部门职责，请重新交办。",
        )
        chain.plan.age = 2

        # assigned
        chain = self.plan("land", Channel.VISIT, co=True)
        chain.accept(0)
        chain.assign(1)
        chain.plan.age = 2
        chain = self.plan("tax", Channel.PHONE)
        chain.accept(0)
        chain.assign(0)
        chain.plan.age = 1
        chain = self.plan("labour", Channel.ASSOCIATION)
        chain.accept(1)
        chain.assign(0)
        chain.plan.age = 3

        # in progress: 瑞丰气体's own; two past the limit (one supervised); one co-handled with
        # the co-handling department's part in; one extended; one waiting for its extension
        chain = self.plan("utilities", Channel.PORTAL, enterprise="瑞丰气体", key="power")
        chain.accept(0)
        chain.assign(0)
        chain.progress(1)
        chain.plan.age = 6
        chain = self.plan("land", Channel.VISIT, key="park")
        chain.accept(0)
        chain.assign(1)
        chain.progress(2)
        chain.supervise(chain.until(16), by=leader)
        chain.progress(1)
        chain.plan.age = 21
        chain = self.plan("environment", Channel.VISIT, key="hazardous")
        chain.accept(0)
        chain.assign(0)
        chain.progress(2)
        chain.plan.age = 19
        chain = self.plan("approval", Channel.VISIT, key="project", co=True)
        chain.accept(0)
        chain.assign(0)
        chain.progress(1)
        chain.contribute(2)
        chain.plan.age = 7
        chain = self.plan("planning", Channel.VISIT, key="zoning")
        chain.accept(0)
        chain.assign(0)
        chain.progress(1)
        chain.step(
            "extend_request",
            chain.lead_user,
            chain.until(7),
            working_days=10,
            reason="控规调整需报市政府审批并组织专家论证，所需时间较长，申请延期10个工作日。",
        )
        chain.step("extend_decide", self.people.dispatcher, 1, approve=True, note="同意延期。")
        chain.plan.age = 13
        chain = self.plan("utilities", Channel.VISIT, key="gas")
        chain.accept(0)
        chain.assign(0)
        chain.progress(2)
        chain.step(
            "extend_request",
            chain.lead_user,
            chain.until(8),
            working_days=8,
            reason="燃气管道铺设需燃气公司编制方案并办理道路挖掘许可，申请延期8个工作日。",
        )
        chain.plan.age = 9

        # replied, waiting for the enterprise's rating (天路集团's among them)
        for channel, enterprise, category, key, age in (
            (Channel.PORTAL, "天路集团", "finance", "project_loan", 8),
            (Channel.VISIT, None, "policy", None, 10),
            (Channel.VISIT, None, "labour", "workers", 12),
            (Channel.ASSOCIATION, None, "market", None, 6),
        ):
            chain = self.plan(category, channel, enterprise=enterprise, key=key)
            chain.accept(0)
            chain.assign(0)
            chain.progress(1)
            chain.reply(chain.until(age - (1 if enterprise else rng.randint(2, 4))))
            chain.plan.age = age

        # reopened after a dissatisfied rating; the second one past its new limit, supervised
        chain = self.plan("finance", Channel.VISIT, key="receivables")
        chain.accept(0)
        chain.assign(0)
        chain.progress(1)
        chain.reply(3)
        chain.rate(Satisfaction.DISSATISFIED, after=2)
        chain.plan.age = chain.offset + 5
        chain = self.plan("policy", Channel.VISIT, key="upgrade_fund")
        chain.accept(0)
        chain.assign(0)
        chain.progress(1)
        chain.reply(4)
        chain.rate(Satisfaction.DISSATISFIED, after=3)
        chain.supervise(chain.until(chain.offset + 20), by=leader)
        chain.plan.age = chain.offset + 2

        # closed unresolved: dissatisfied twice, flagged to the district leader
        for channel, category, key, age in (
            (Channel.VISIT, "land", "occupied", 80),
            (Channel.PHONE, "utilities", "village_road", 45),
        ):
            chain = self.plan(category, channel, key=key)
            chain.accept(0)
            chain.assign(rng.choice([0, 1]))
            chain.progress(1)
            chain.reply(rng.randint(4, 8))
            chain.rate(Satisfaction.DISSATISFIED)
            chain.progress(1)
            chain.reply(rng.randint(3, 6), second=True)
            chain.rate(rng.choice([Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED]))
            chain.plan.age = age

        # returned: not the government's business
        for channel, key, age, accepted in (
            (Channel.HOTLINE, "debt", 60, False),
            (Channel.PHONE, "lease", 30, False),
            (Channel.ASSOCIATION, "shareholders", 100, True),
        ):
            chain = self.plan("other", channel, key=key, enterprise=rng.choice(self.others))
            if accepted:
                chain.accept(0)
            reason = chain.plan.text["reason"]
            chain.step("return", self.people.dispatcher, rng.choice([0, 1]), reason=reason)
            chain.plan.age = age

        # --- the 72 solved: the seed's named enterprises first ---------------------------------
        left = dict(SOLVED_BY_CATEGORY)

        def solved(chain: _Chain, **kwargs: Any) -> _Chain:
            left[chain.plan.category] -= 1
            self.solved(chain, **kwargs)
            # one rated by default is replied more than five working days ago
            self.place(chain, least=8 if kwargs.get("auto") else 0)
            return chain

        # 天路集团's land certificate, recorded on the visit; the enterprise sends the same
        # problem through the portal a few days later, and it is marked a duplicate
        tianlu_land = solved(
            self.plan("land", Channel.VISIT, enterprise="天路集团", key="certificate", co=True),
            reply_after=9,
            late=False,
        )
        duplicate = self.plan("land", Channel.PORTAL, enterprise="天路集团", key="certificate")
        duplicate.plan.text = dict(tianlu_land.plan.text)
        # in its own words: without the visit's preamble
        description = tianlu_land.plan.text["description"].split("：", 1)[-1]
        duplicate.plan.text["description"] = description
        duplicate.step(
            "mark_duplicate",
            self.people.dispatcher,
            0,
            target=tianlu_land.plan.token,
            note="与区领导走访时记录的诉求相同，合并办理。",
        )
        duplicate.plan.age = tianlu_land.plan.age - 3

        solved(self.plan("innovation", Channel.PORTAL, enterprise="天路集团", key="project"))
        solved(self.plan("innovation", Channel.VISIT, enterprise="路达实业公司", key="project"))
        solved(self.plan("innovation", Channel.PORTAL, enterprise="瑞丰气体", key="new_product"))
        solved(self.plan("innovation", Channel.VISIT, enterprise="崂山电子", key="new_product"))
        solved(self.plan("policy", Channel.VISIT, enterprise="玖琦化工", key="saving"))
        solved(self.plan("policy", Channel.VISIT, enterprise="洁新再生资源有限公司", key="saving"))
        solved(self.plan("approval", Channel.VISIT, enterprise="青岛汽车厂", key="qiche"))
        solved(self.plan("finance", Channel.SYMPOSIUM, enterprise="青岛银行李沧支行", key="bank"))
        for _n in range(2):
            solved(self.plan("environment", Channel.VISIT, key="cleaner"))
            solved(self.plan("policy", Channel.VISIT, key="circular"))

        # the rest, spread over the categories and channels
        categories = [code for code, n in left.items() for _i in range(n)]
        rng.shuffle(categories)
        visits_left = VISITS - sum(1 for p in self.plans if p.channel == Channel.VISIT)
        channels = [Channel.VISIT] * visits_left + rng.choices(
            [Channel.PHONE, Channel.ASSOCIATION, Channel.HOTLINE, Channel.SYMPOSIUM],
            weights=[35, 25, 20, 20],
            k=len(categories) - visits_left,
        )
        rng.shuffle(channels)
        flags: list[dict[str, Any]] = [{} for _c in categories]
        marks = iter(rng.sample(range(len(categories)), 10))
        for option in (
            {"auto": True},
            {"auto": True},
            {"auto": True},
            {"reopen": True},
            {"reopen": True},
            {"supervise": True},
            {"supervise": True},
            {"co": True},
            {"co": True},
            {"dispute": True},
        ):
            flags[next(marks)] = option
        for category, channel, flag in zip(categories, channels, flags, strict=True):
            chain = self.plan(category, channel, co=bool(flag.pop("co", False)))
            if flag.pop("dispute", False):
                wrong = "zjj" if chain.plan.lead != "zjj" else "zrj"
                flag["dispute"] = wrong
            solved(chain, **flag)

        # a common problem: land and property certificates in the parks (集中解决一批土地证、房产证)
        titles = {TEXTS["land"][k]["title"] for k in ("park", "certificate", "transfer")}
        self.common = [
            p
            for p in self.plans
            if p.category == "land" and p.channel == Channel.VISIT and p.text["title"] in titles
        ][:5]
        return self.plans

    def _street_enterprise(self) -> Enterprise:
        local = [e for e in self.others if e.street.code in self.people.street_staff]
        return self.rng.choice(local)


# --- running the story through the services ------------------------------------------------


class _Clock:
    """Stands in for `django.utils.timezone` inside `qifu.appeals.services` during the build."""

    def __init__(self) -> None:
        self.at = timezone.now()

    def now(self) -> dt.datetime:
        return self.at

    def localtime(self, value: dt.datetime | None = None, *args: Any) -> dt.datetime:
        return timezone.localtime(value or self.at, *args)

    def localdate(self, value: dt.datetime | None = None, *args: Any) -> dt.date:
        return timezone.localdate(value or self.at, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(timezone, name)


class _Stamper:
    """Moves the rows the database stamps with the real time to the simulated moment."""

    def __init__(self) -> None:
        self.event = AppealEvent.objects.aggregate(m=Max("id"))["m"] or 0
        self.notification = Notification.objects.aggregate(m=Max("id"))["m"] or 0
        self.first_notification = self.notification

    def stamp(self, when: dt.datetime, result: Any = None) -> None:
        if AppealEvent.objects.filter(id__gt=self.event).update(at=when):
            self.event = AppealEvent.objects.aggregate(m=Max("id"))["m"]
        if Notification.objects.filter(id__gt=self.notification).update(created_at=when):
            self.notification = Notification.objects.aggregate(m=Max("id"))["m"]
        if isinstance(result, Contribution | Supervision):
            type(result).objects.filter(pk=result.pk).update(at=when)
        elif isinstance(result, Extension):
            Extension.objects.filter(pk=result.pk).update(requested_at=when)
        elif isinstance(result, CommonProblem):
            CommonProblem.objects.filter(pk=result.pk).update(created_at=when)


def _people() -> _People:
    district = OrgUnit.objects.get(code=DISTRICT)
    departments = {d.code: d for d in Department.objects.filter(district=district)}
    staff = {
        code: User.objects.get(username=username) for code, username in DEPARTMENT_USERS.items()
    }
    for name in ("天路集团", "瑞丰气体"):
        user = User.objects.filter(
            role=Role.ENTERPRISE_USER, enterprise__name=name, is_active=True
        ).first()
        if user is not None:
            staff["enterprise:" + name] = user
    return _People(
        dispatcher=User.objects.get(username=DISPATCHER),
        leader=User.objects.get(username="leader"),
        staff=staff,
        departments=departments,
        categories={c.code: c for c in Category.objects.all()},
        street_staff={
            u.org_unit.code: u
            for u in User.objects.filter(username__in=["licun", "loushan"]).select_related(
                "org_unit"
            )
        },
        limits=services.limits(),
    )


def build_staff() -> int:
    """A staff account for each handling department without one in the core demo."""
    from qifu.core.demo import demo_password

    district = OrgUnit.objects.get(code=DISTRICT)
    made = 0
    for username, full_name, code in STAFF:
        if User.objects.filter(username=username).exists():
            continue
        account_services.user_save(
            by=None,
            password=demo_password(),
            username=username,
            full_name=full_name,
            role=Role.DEPARTMENT_STAFF,
            org_unit=district,
            department=Department.objects.get(district=district, code=code),
            is_active=True,
        )
        made += 1
    return made


def build_categories() -> None:
    """The twelve categories (a migration seeds them; a flushed test database has lost them),
    each with its default handling department (the core demo made the departments)."""
    departments = {d.code: d for d in Department.objects.filter(district__code=DISTRICT)}
    have = set(Category.objects.values_list("code", flat=True))
    for order, (code, name, description) in enumerate(CATEGORIES):
        if code not in have:
            services.category_save(
                by=None, code=code, name=name, description=description, sort_order=order
            )
    for category in Category.objects.all():
        code = CATEGORY_DEPARTMENTS.get(category.code)
        if code and category.default_department_id != departments[code].pk:
            services.category_save(by=None, category=category, default_department=departments[code])


def _portal_account(enterprise: Enterprise) -> tuple[User, bool]:
    """The enterprise's portal account (a demo one, which cannot sign in, if it has none)."""
    found = User.objects.filter(
        role=Role.ENTERPRISE_USER, enterprise=enterprise, is_active=True
    ).first()
    if found is not None:
        return found, False
    user = account_services.user_save(
        by=None,
        username=enterprise.credit_code,
        full_name=f"{enterprise.name} 办公室",
        role=Role.ENTERPRISE_USER,
        org_unit=enterprise.street,
        enterprise=enterprise,
        is_active=True,
    )
    return user, True


@transaction.atomic
def build() -> dict[str, int]:
    rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
    build_categories()
    staff = build_staff()
    people = _people()
    planner = _Planner(rng, people)
    plans = planner.build()
    existing = set(
        Appeal.objects.filter(client_token__startswith=DEMO_PREFIX).values_list(
            "client_token", flat=True
        )
    )
    todo = [p for p in plans if p.token not in existing]

    now = timezone.now()
    today = timezone.localdate(now)
    last_working_day = add_working_days(today, -1)
    schedule: list[tuple[dt.datetime, int, int, _Plan | None, _Step | None]] = []
    accounts = 0
    for index, plan in enumerate(todo):
        submitted = add_working_days(last_working_day, -plan.age)
        for order, step in enumerate(plan.steps):
            if plan.at is not None:
                when = plan.at
            else:
                when = democlock.moment(add_working_days(submitted, step.offset), step.minute)
            if when >= now:
                raise RuntimeError(f"{plan.token} {step.action} would happen in the future")
            schedule.append((when, index, order, plan, step))
            if step.by == "enterprise":
                user, made = _portal_account(plan.enterprise)
                people.staff["enterprise:" + plan.enterprise.name] = user
                accounts += made
    common = CommonProblem.objects.filter(title=COMMON_PROBLEM).exists()
    if todo and not common and planner.common:
        # the working day after the last of them came in
        last = max(
            democlock.moment(add_working_days(last_working_day, -p.age), p.steps[0].minute)
            for p in planner.common
        )
        when = democlock.moment(add_working_days(timezone.localdate(last), 1), 10 * 60)
        schedule.append((min(when, now - dt.timedelta(minutes=5)), -1, 0, None, None))
    if schedule:
        # the hourly job, once a day at 00:05 of the simulated calendar
        day = timezone.localdate(min(s[0] for s in schedule))
        while day <= today:
            tick = democlock.moment(day, 5)
            if tick < now:
                schedule.append((tick, -2, 0, None, None))
            day += dt.timedelta(days=1)
    schedule.sort(key=lambda s: (s[0], s[1], s[2]))

    appeals: dict[str, Appeal] = {
        a.client_token: a for a in Appeal.objects.filter(client_token__in=existing)
    }
    clock, stamper = _Clock(), _Stamper()
    with mock.patch.object(services, "timezone", clock):
        for when, index, _order, plan, step in schedule:
            clock.at = when
            if index == -2:
                if not any(services.appeals_tick().values()):
                    continue  # a quiet day: nothing to stamp
                result: Any = None
            elif index == -1:
                result = services.appeal_mark_common(
                    by=people.dispatcher,
                    appeals=list(
                        Appeal.objects.filter(pk__in=[appeals[p.token].pk for p in planner.common])
                    ),
                    title=COMMON_PROBLEM,
                )
            else:
                assert plan is not None and step is not None  # noqa: S101
                result = _run(plan, step, appeals, people)
            stamper.stamp(when, result)
    services.appeals_tick()
    # what happened more than a week ago has been read
    Notification.objects.filter(
        id__gt=stamper.first_notification,
        id__lte=stamper.notification,
        read_at__isnull=True,
        created_at__lt=now - dt.timedelta(days=7),
    ).update(read_at=F("created_at") + dt.timedelta(hours=2))

    demo = Appeal.objects.filter(client_token__startswith=DEMO_PREFIX)
    solved = demo.filter(status=Status.CLOSED, resolved=True)
    return {
        "created": len(todo),
        "total": Appeal.objects.count(),
        "solved": solved.count(),
        "solved_categories": solved.values("category").distinct().count(),
        "visits": demo.filter(channel=Channel.VISIT).count(),
        "overdue": demo.filter(overdue=True, status__in=OPEN_STATUSES).count(),
        "auto_rated": demo.filter(auto_rated=True).count(),
        "staff": staff,
        "enterprise_accounts": accounts,
    }


def _run(plan: _Plan, step: _Step, appeals: dict[str, Appeal], people: _People) -> Any:
    by = people.staff["enterprise:" + plan.enterprise.name] if step.by == "enterprise" else step.by
    kwargs = dict(step.kwargs)
    if step.action == "submit":
        appeal, _created = services.appeal_submit(
            by=by,
            enterprise=plan.enterprise,
            kind=plan.text["kind"],
            category=people.categories[plan.category],
            title=plan.text["title"],
            description=plan.text["description"],
            channel=plan.channel,
            client_token=plan.token,
        )
        appeals[plan.token] = appeal
        return appeal
    if "target" in kwargs:
        kwargs["target"] = Appeal.objects.get(pk=appeals[kwargs["target"]].pk)
    function = getattr(services, f"appeal_{step.action}")
    return function(by=by, appeal=appeals[plan.token], **kwargs)
