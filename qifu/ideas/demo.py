"""The demo's golden ideas (征集金点子), as the seed's 走进基层 asks for them: ideas of the public
about the district's overall positioning and the functions and industries of its three zones.

- 东部 (九水, the hills, 十梅庵 and the 世园会 park, 枯桃花卉市场): eco-tourism, hiking trails,
  the expo park's halls, flowers sold online, village sewage plants.
- 中部 (李村商圈, 李村大集, 李村河): parking, a night market, the market's toilets, old housing
  estates with lifts, the metro.
- 西部 (楼山, the 沧口 old industrial area, 青岛北站): the old factories, city logistics, the old
  street, the 楼山河 greenway.
- 全区: the business environment (one window for companies, 免申即享, loans), young graduates'
  housing, opening hours of public services.

Forty ideas in every state: two waiting for review (one submitted today, for `leader`'s review
queue), published ones with supports, three not published with the reason sent (an advert, whose
sender is blocked, a neighbour's noise, another district's matter), seven under evaluation (one
with 经信局 and no answer yet, for `jxj`; one moved from 住建局 to 商务局; two answers waiting for
`leader`'s approval; one answer returned to 生态环境分局 to redraft; one with a published
reply while the evaluation goes on), twelve adopted with plans, due dates and progress (some
done), five not adopted with their reasons, two duplicates, two withdrawn by their authors, two
hidden after three reports from the public and one restored after review. One idea had its
author's phone number removed from the text by a moderator before it was published.

Everything is done through the services: the public submits (a made-up contact and network address
each, the CAPTCHA taken as passed), supports (0 to 40 per idea, each from its own contact) and
reports; `leader` publishes, assigns, approves or returns answers, adopts, declines and marks
duplicates; the department's demo account drafts the answers and records progress (`jxj`, `zrj`
of the core demo; `zjj_ks`, `swj_ks` … made by the appeals demo). So the timeline, the audit trail,
the bell notifications and the outbox are the services' own.

Dates. The services stamp the time themselves. Each step is taken while `django.utils.timezone.now`
is replaced by a clock set to the step's moment (as in the policies and visits demos), so the
ideas' dates, their events, supports, reports, answers, progress, audit events, notifications and
outbox messages fall on that moment, and the services' own date checks (a due date not in the past,
progress not in the future) see that day. The ideas come in over the last ten months; officials act
on working days; an answer takes 5 to 40 days. No step is later than now.

Messages. The texts and e-mails to the authors are the outbox's; the demo's contacts are made up
(the e-mail addresses are at example.com), so the messages it writes are recorded as sent at the
moment they were written: none waits for (or reaches) a real gateway. Bell notifications more than
a week old are marked read, as in the appeals demo.

Idempotent: each demo idea carries `client_token="demo-idea-NN"`; an idea that exists is left as it
is (its whole story is skipped), so a second build writes nothing. An idea whose department has no
demo account yet is left for a later build. Deterministic: a fixed seed; only the dates move with
today. The tracking code (查询码) of a demo idea is `services.tracking_code_for("demo-idea-NN")`
(it depends on SECRET_KEY); `build_demo` prints the newest one.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation

from qifu.accounts.models import User
from qifu.core import democlock
from qifu.core.models import Department, OrgUnit
from qifu.ideas import services
from qifu.ideas.models import AnswerStatus, Idea, Outcome, Status
from qifu.notices.models import Notification, OutboxMessage, OutboxStatus

SEED = 2009
PREFIX = "demo-idea-"
DISTRICT = "370213"
LEADER = "leader"
# the department's demo account that drafts answers and records progress: `jxj` and `zrj` come
# from the core demo, the others from the appeals demo (qifu.appeals.demo.STAFF)
CLERKS = {
    "jxj": "jxj",
    "zrj": "zrj",
    "zjj": "zjj_ks",
    "swj": "swj_ks",
    "czj": "czj_ks",
    "rsj": "rsj_ks",
    "spj": "spj_ks",
    "kjj": "kjj_ks",
    "hbj": "hbj_ks",
    "sw": "sw_ks",
}
# the time of day of each step (minutes); officials act on working days
MINUTE = {
    "edit": 9 * 60 + 20,
    "publish": 9 * 60 + 40,
    "reject": 9 * 60 + 50,
    "block": 10 * 60,
    "duplicate": 10 * 60 + 10,
    "assign": 10 * 60 + 30,
    "answer": 15 * 60 + 20,
    "return": 16 * 60 + 10,
    "approve": 17 * 60,
    "adopt": 16 * 60 + 30,
    "decline": 16 * 60 + 40,
    "progress": 14 * 60 + 30,
    "restore": 9 * 60 + 10,
    "withdraw": 20 * 60 + 15,
    "report": 21 * 60,
}
PUBLIC_ACTIONS = frozenset({"withdraw", "report"})
# after these the idea takes no more supports (a report: supports stop before the first one)
CLOSING = frozenset({"adopt", "decline", "duplicate", "withdraw", "report"})
STEP_GAP = dt.timedelta(minutes=7)


@dataclass(frozen=True)
class _Step:
    day: int  # days after the submission
    action: str
    args: dict[str, Any] = field(default_factory=dict)


def _s(day: int, action: str, **args: Any) -> _Step:
    return _Step(day, action, args)


@dataclass(frozen=True)
class _Spec:
    n: int
    zone: str  # a zone's code; empty: the whole district
    topic: str
    title: str
    body: str
    age: int  # days since it was submitted
    steps: tuple[_Step, ...] = ()
    name: str = ""
    email: str = ""  # the author's e-mail address; a mobile number otherwise
    supports: int = 0

    @property
    def token(self) -> str:
        return f"{PREFIX}{self.n:02d}"


IDEAS: list[_Spec] = [
    # --- adopted, with plans, due dates and progress ---------------------------------------
    _Spec(
        1,
        "west",
        "industry",
        "盘活沧口老工业区闲置厂房，引进科技和设计企业",
        "沧口一带的纺织、机械、化工老厂搬迁后，留下不少闲置厂房，有的常年空着。建议摸清底数、"
        "统一规划，把结构完好的厂房改造成科技企业孵化器和工业设计中心，保留烟囱、锯齿形屋顶这些"
        "老工业元素，既留住城市记忆，又能吸引年轻人来创业。",
        285,
        (
            _s(2, "publish"),
            _s(3, "assign", department="jxj"),
            _s(
                21,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。盘活老工业区存量厂房是我区西部产业转型升级的重点工作。"
                "区经信局将会同区自然资源局、区住建局对闲置厂房逐一摸底，分批推进改造利用。",
                plan="对沧口老工业区闲置厂房开展摸底，编制老厂房改造利用方案，年内启动首批2处"
                "厂房改造，引进科技型中小企业和工业设计机构入驻。",
                due=330,
            ),
            _s(24, "approve"),
            _s(
                60,
                "progress",
                text="完成沧口老工业区闲置厂房摸底，梳理可改造利用厂房12处、建筑面积约8.6万平方米。",
            ),
            _s(
                150,
                "progress",
                text="首批2处厂房改造方案通过专家评审，3家工业设计企业签订入驻意向。",
            ),
            _s(262, "progress", text="首处厂房改造完工，5家科技型企业已入驻。"),
        ),
        name="刘师傅",
        supports=38,
    ),
    _Spec(
        2,
        "central",
        "urban",
        "李村商圈停车难，建议建设立体停车楼",
        "周末到李村商圈购物，周边道路停满了车，找车位要转好几圈，还经常造成拥堵。建议利用商圈"
        "周边的边角地和老旧停车场建设立体停车楼，并在路口设置车位引导屏，实时显示空余车位。",
        250,
        (
            _s(1, "publish"),
            _s(2, "assign", department="zjj"),
            _s(
                14,
                "answer",
                outcome=Outcome.ADOPT,
                text="拟采纳，建设立体停车楼。",
                plan="建设立体停车楼。",
                due=365,
            ),
            _s(16, "return", note="请补充选址和资金来源，并明确完成时间和泊位数量。"),
            _s(
                22,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。经与李村街道和商圈企业共同研究，决定利用商圈周边3处边角地"
                "建设立体停车楼，资金采取政府和社会资本合作方式筹集。",
                plan="在李村商圈周边分期建设3座立体停车楼，新增泊位约700个；同步建设停车诱导系统，"
                "在主要路口设置车位引导屏。",
                due=240,
            ),
            _s(24, "approve"),
            _s(70, "progress", text="完成商圈周边3处停车楼选址论证。"),
            _s(150, "progress", text="首座立体停车楼开工建设，设计泊位260个。"),
            _s(
                235,
                "progress",
                text="首座立体停车楼建成投用，商圈周边6个路口的车位引导屏上线。",
                done=True,
            ),
        ),
        name="李女士",
        supports=40,
    ),
    _Spec(
        3,
        "east",
        "ecology",
        "东部山区串联登山步道，设置指示牌和补水点",
        "九水、十梅庵一带山路很多，但大多是野路，没有指示牌，周末爬山的人多，容易迷路，也有安全"
        "隐患。建议把现有山路串联成环线步道，设置指示牌、里程桩和补水点，同时做好森林防火宣传。",
        230,
        (
            _s(2, "publish"),
            _s(3, "assign", department="zrj"),
            _s(
                25,
                "answer",
                outcome=Outcome.ADOPT,
                text="您的建议与东部生态旅游发展方向一致，予以采纳。步道建设坚持利用现有山路、"
                "不新开山体，兼顾森林防火。",
                plan="依托东部山区现有山路，规划建设环线登山步道，设置导向标识、里程桩、应急救援点"
                "和防火宣传牌。",
                due=200,
            ),
            _s(27, "approve"),
            _s(90, "progress", text="完成步道线路勘察，确定3条环线，全长约18公里。"),
            _s(180, "progress", text="步道标识、里程桩和2处补水点安装完成，步道开放。", done=True),
        ),
        name="山友小陈",
        email="hiking.licang@example.com",
        supports=27,
    ),
    _Spec(
        4,
        "",
        "business",
        "企业开办和变更实行“一窗通办”，材料只交一次",
        "我们公司去年变更经营范围和地址，先后跑了市场监管、税务、社保好几个窗口，同样的材料交了"
        "好几遍。建议在区政务服务大厅设立综合窗口，一次提交、内部流转，办结后统一取件或邮寄。",
        210,
        (
            _s(1, "publish"),
            _s(2, "assign", department="spj"),
            _s(
                9,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。我局将推行企业开办和变更“一窗通办”，让企业少跑腿。",
                plan="在区政务服务大厅设立企业开办和变更综合窗口，推行“一表申请、一窗受理、"
                "并联办理”，证照免费邮寄。",
                due=120,
            ),
            _s(11, "approve"),
            _s(
                45,
                "progress",
                text="综合窗口已设立，企业开办实现一个环节、半个工作日办结。",
                done=True,
            ),
        ),
        name="王先生",
        supports=19,
    ),
    _Spec(
        5,
        "west",
        "industry",
        "依托青岛北站和铁路货场发展城市配送物流",
        "青岛北站和西部的铁路货场交通条件好，但周边物流企业小而散，仓库简陋，货车乱停。建议规划"
        "建设城市配送物流园，引导小物流企业集中入园，发展冷链和共同配送，减少货车进城。",
        195,
        (
            _s(3, "publish"),
            _s(4, "assign", department="swj"),
            _s(
                30,
                "answer",
                outcome=Outcome.ADOPT,
                text="您的建议符合我区西部发展现代物流的定位，予以采纳。",
                plan="编制西部物流产业发展规划，推进城市物流配送基地建设，引导零散物流企业集聚发展，"
                "支持冷链物流和共同配送。",
                due=365,
            ),
            _s(33, "approve"),
            _s(100, "progress", text="城市物流配送基地完成规划选址，进入前期手续办理。"),
            _s(180, "progress", text="已有8家小型物流企业与配送基地签订入驻意向。"),
        ),
        supports=15,
    ),
    _Spec(
        6,
        "central",
        "services",
        "李村大集周边增设公共卫生间和休息座椅",
        "李村大集逢二、七赶集，人特别多，很多是上了年纪的老人，可附近公共卫生间少，也没地方坐下"
        "歇歇脚。建议在大集周边增设几处公共卫生间和休息座椅，再多放几个垃圾桶。",
        175,
        (
            _s(1, "publish"),
            _s(
                6,
                "adopt",
                text="您的建议很实在，区里决定直接采纳，由区住建局会同李村街道实施。",
                plan="在李村大集周边新建2处公共卫生间，设置休息座椅20组，增设分类垃圾桶。",
                due=90,
            ),
            _s(40, "progress", text="2处公共卫生间完成选址，开工建设。"),
            _s(85, "progress", text="公共卫生间建成开放，休息座椅和垃圾桶安装到位。", done=True),
        ),
        name="张大爷",
        supports=23,
    ),
    _Spec(
        7,
        "east",
        "industry",
        "世园会园区闲置场馆用于会展和研学活动",
        "世园会结束后，园区里的一些场馆平时利用率不高。建议引进会展、研学和亲子教育机构，举办"
        "花卉展、科普研学、周末市集，让场馆常年有活动，也能带动东部的餐饮和民宿。",
        150,
        (
            _s(2, "publish"),
            _s(5, "assign", department="swj"),
            _s(
                28,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。盘活世园会园区场馆是东部文旅发展的重要抓手，予以采纳。",
                plan="制定世园会园区场馆运营提升方案，引进会展和研学运营机构，全年策划举办花卉展、"
                "科普研学等活动不少于20场。",
                due=300,
            ),
            _s(31, "approve"),
            _s(80, "progress", text="引进1家研学运营机构，开设“植物科学”研学课程。"),
            _s(140, "progress", text="举办春季花卉展和周末市集，接待游客约5万人次。"),
        ),
        name="赵女士",
        supports=31,
    ),
    _Spec(
        8,
        "",
        "services",
        "为来李沧就业的大学生提供人才公寓和租房指南",
        "我刚毕业来李沧工作，很难租到合适的房子，也不清楚有哪些补贴政策。建议为新就业的大学生"
        "提供人才公寓，并把租房补贴、生活补贴的申请条件和流程做成一页纸的指南，放在网上。",
        130,
        (
            _s(1, "publish"),
            _s(2, "assign", department="rsj"),
            _s(
                16,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您选择来李沧工作。您的建议予以采纳。",
                plan="筹集人才公寓房源200套；编印《青年人才来李沧安居指南》，在区政府网站和政务服务"
                "大厅发布。",
                due=180,
            ),
            _s(18, "approve"),
            _s(50, "progress", text="《青年人才来李沧安居指南》已编印发布。"),
            _s(110, "progress", text="首批人才公寓86套投入使用。"),
        ),
        name="应届毕业生小孙",
        email="xiaosun.grad@example.com",
        supports=12,
    ),
    _Spec(
        9,
        "west",
        "ecology",
        "楼山河沿岸建设滨河绿道",
        "楼山河经过治理后水清了不少，但两岸还有不少地方是土路和杂草，晚上也没有路灯。建议沿河"
        "建设滨河绿道，种树、铺步道、装路灯，给西部居民多一处散步健身的地方。",
        105,
        (
            _s(2, "publish"),
            _s(3, "assign", department="hbj"),
            _s(
                35,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。楼山河沿岸绿道建设予以采纳，由我局会同区住建局实施。",
                plan="编制楼山河沿岸绿道建设方案，分两期建设滨河步道、绿化和照明设施。",
                due=400,
            ),
            _s(38, "approve"),
            _s(90, "progress", text="楼山河绿道一期设计方案已完成公示。"),
        ),
        name="楼山居民",
        supports=9,
    ),
    _Spec(
        38,
        "",
        "business",
        "小微企业贷款贴息网上一站式申请",
        "小微企业申请贷款贴息要准备很多纸质材料，来回跑。建议开通网上一站式申请，银行数据直接"
        "共享，减少企业提交的材料。",
        120,
        (
            _s(1, "publish"),
            _s(5, "report", reason="广告"),
            _s(5, "report", reason="内容不实"),
            _s(6, "report", reason="广告推销"),
            _s(8, "restore", note="经核查，内容属正常建议，举报不成立，恢复显示。"),
            _s(9, "assign", department="jxj"),
            _s(
                24,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议，予以采纳。",
                plan="上线小微企业贷款贴息网上申请系统，与合作银行共享贷款数据，申请材料由8项减至3项。",
                due=150,
            ),
            _s(26, "approve"),
            _s(100, "progress", text="网上申请系统上线试运行，3家合作银行完成数据对接。"),
        ),
        name="小微企业主",
        supports=18,
    ),
    _Spec(
        39,
        "",
        "business",
        "惠企政策“免申即享”，符合条件的直接兑现",
        "很多惠企政策企业不知道、不会申，就错过了。建议利用部门已有的数据，对符合条件的企业直接"
        "兑现，不用企业再申请。",
        160,
        (
            _s(1, "publish"),
            _s(2, "assign", department="czj"),
            _s(
                12,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议，予以采纳。",
                plan="梳理可“免申即享”的惠企政策清单，利用税务、市场监管等部门数据自动比对，"
                "符合条件的企业直接拨付资金。",
                due=150,
            ),
            _s(14, "approve"),
            _s(60, "progress", text="首批6项惠企政策实现“免申即享”。"),
            _s(130, "progress", text="累计向320家企业直接兑现资金1860万元。", done=True),
        ),
        name="财务人员",
        supports=22,
    ),
    _Spec(
        40,
        "east",
        "industry",
        "支持枯桃花卉市场发展电商直播",
        "枯桃花卉市场花卉品种多、价格实惠，但主要靠线下批发。建议建设直播基地，培训花农和商户"
        "做电商直播，把东部的花卉卖到全国。",
        90,
        (
            _s(2, "publish"),
            _s(3, "assign", department="swj"),
            _s(
                21,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议，予以采纳。",
                plan="在枯桃花卉市场建设电商直播基地，联合电商平台开展花农和商户直播培训不少于10期。",
                due=240,
            ),
            _s(23, "approve"),
            _s(70, "progress", text="直播基地建成，完成直播培训4期、培训商户160人次。"),
        ),
        name="花农老于",
        supports=10,
    ),
    # --- not adopted, with the reason --------------------------------------------------------
    _Spec(
        10,
        "central",
        "urban",
        "李村河河道上加盖建设商业街",
        "李村河中段河道很宽，平时水不多。建议在河道上方加盖板，建一条商业步行街，增加商业面积，"
        "带动李村商圈发展。",
        225,
        (
            _s(2, "publish"),
            _s(3, "assign", department="zrj"),
            _s(
                20,
                "answer",
                outcome=Outcome.DECLINE,
                text="感谢您关心李村商圈的发展。李村河是城区主要行洪河道，在河道上方加盖建设商业"
                "设施会影响行洪安全，不符合防洪和河道管理的规定，也与李村河生态廊道的规划定位不符，"
                "因此不予采纳。商圈发展将通过盘活周边存量楼宇等方式推进。",
            ),
            _s(22, "approve"),
        ),
        name="陈先生",
        supports=4,
    ),
    _Spec(
        11,
        "east",
        "industry",
        "在东部山区建设大型主题游乐场",
        "东部山多地多，建议引进大型主题游乐场项目，带动旅游和就业。",
        185,
        (
            _s(1, "publish"),
            _s(
                12,
                "decline",
                reason="东部山区大部分位于生态保护红线和水源涵养区内，不宜建设大型游乐设施。"
                "我区将发展生态旅游、研学和康养等与生态保护相协调的项目。",
            ),
        ),
        supports=6,
    ),
    _Spec(
        12,
        "",
        "business",
        "对区内所有企业免征三年房产税和城镇土地使用税",
        "这两年生意不好做，建议对区内所有企业免征三年房产税和城镇土地使用税，减轻企业负担。",
        165,
        (
            _s(1, "publish"),
            _s(2, "assign", department="sw"),
            _s(
                15,
                "answer",
                outcome=Outcome.DECLINE,
                text="税收的减免须依据法律和国务院的规定，区里无权对企业普遍免征。目前符合条件的"
                "小型微利企业和个体工商户可以享受房产税、城镇土地使用税减半征收等优惠，纳税确有困难"
                "的企业可以依法申请减免。我局将通过“一对一”辅导，帮助企业应享尽享。",
            ),
            _s(18, "approve"),
        ),
        name="个体户老马",
        supports=14,
    ),
    _Spec(
        13,
        "west",
        "urban",
        "把西部老工业区全部改为住宅开发",
        "西部老厂区都搬走了，建议全部改成住宅小区，卖地的收入还能用于城市建设。",
        140,
        (
            _s(3, "publish"),
            _s(4, "assign", department="zrj"),
            _s(
                24,
                "answer",
                outcome=Outcome.DECLINE,
                text="西部老工业区是我区发展先进制造业、现代物流和科技服务业的重要空间，规划明确"
                "要保留一定比例的产业用地。老工业区将坚持产城融合，住宅用地只在规划确定的范围内适度"
                "安排，因此不采纳全部改为住宅的建议。",
            ),
            _s(27, "approve"),
        ),
        supports=2,
    ),
    _Spec(
        14,
        "central",
        "services",
        "地铁李村站增设出入口，方便换乘公交",
        "早晚高峰李村站人很多，出入口离公交站较远，换乘要绕一大圈。建议增设一个靠近公交枢纽的"
        "出入口。",
        95,
        (
            _s(1, "publish"),
            _s(3, "assign", department="zjj"),
            _s(
                17,
                "answer",
                outcome=Outcome.DECLINE,
                text="地铁车站出入口由市地铁建设运营单位负责设置，涉及结构安全和地下管线，车站运营"
                "后新增出入口的条件暂不具备。我局已将您的建议转交市有关部门，并将优化车站周边的公交"
                "站点和步行引导标识。",
            ),
            _s(20, "approve"),
        ),
        name="通勤族",
        supports=8,
    ),
    # --- under evaluation -------------------------------------------------------------------
    _Spec(
        15,
        "",
        "industry",
        "设立中小企业数字化改造服务券",
        "很多中小制造企业想上ERP、MES系统，但不知道找谁，也担心花冤枉钱。建议区里发放数字化改造"
        "服务券，企业用券购买经过评审的服务商提供的诊断和改造服务，政府按比例补贴。",
        12,
        (_s(2, "publish"), _s(9, "assign", department="jxj")),
        name="周经理",
        supports=17,
    ),
    _Spec(
        16,
        "central",
        "urban",
        "老旧小区加装电梯简化审批、加快补贴发放",
        "我们小区是九十年代的老楼，六层没有电梯，老人上下楼很困难。居民愿意出钱加装电梯，但审批"
        "环节多、要跑好几个部门，补贴也要等很久。建议简化审批流程，一窗受理，补贴及时发放。",
        33,
        (
            _s(1, "publish"),
            _s(3, "assign", department="zjj"),
            _s(
                30,
                "answer",
                outcome=Outcome.ADOPT,
                text="感谢您的建议。我局拟采纳，进一步简化既有住宅加装电梯的审批。",
                plan="推行既有住宅加装电梯“一窗受理、联合审查”，审批时限压缩至15个工作日，补贴在"
                "竣工验收后30日内拨付。",
                due=120,
            ),
        ),
        name="老旧小区居民",
        supports=29,
    ),
    _Spec(
        17,
        "west",
        "business",
        "在楼山片区建设跨境电商保税仓",
        "西部物流企业多，建议在楼山片区建一个跨境电商保税仓，吸引跨境电商企业落户。",
        26,
        (
            _s(2, "publish"),
            _s(4, "assign", department="swj"),
            _s(
                22,
                "answer",
                outcome=Outcome.DECLINE,
                text="保税仓须设在海关特殊监管区域或经海关批准的保税场所内，我区目前不具备设立条件。"
                "我局将引导有需要的企业利用青岛现有综合保税区开展业务，并在西部物流园区发展跨境电商"
                "配套服务。",
            ),
        ),
        name="物流从业者",
        supports=5,
    ),
    _Spec(
        18,
        "east",
        "ecology",
        "九水片区村庄生活污水处理设施要有人管",
        "村里前几年建了污水处理设施，但平时没人维护，有的已经不转了，夏天有异味。建议明确运维"
        "单位和经费，定期检查，让设施真正用起来。",
        45,
        (
            _s(1, "publish"),
            _s(2, "assign", department="hbj"),
            _s(20, "answer", outcome=Outcome.REPLY, text="已安排人员检查。"),
            _s(23, "return", note="答复过于简单，请说明检查发现的问题、运维责任单位和整改时限。"),
        ),
        name="九水村民",
        supports=13,
    ),
    _Spec(
        19,
        "",
        "services",
        "政务服务大厅午间和周末提供服务",
        "上班族工作日很难请假去办事。建议政务服务大厅实行午间不间断服务和周六上午服务，并公开"
        "可以预约的事项。",
        60,
        (
            _s(1, "publish"),
            _s(2, "assign", department="spj"),
            _s(
                14,
                "answer",
                outcome=Outcome.REPLY,
                text="区政务服务大厅已于本月起实行午间不间断服务，周六上午开放综合窗口试运行，"
                "可预约事项清单将在试运行结束后公布。周末服务的范围正在评估，结果将另行答复。",
            ),
            _s(16, "approve"),
        ),
        name="刘女士",
        supports=16,
    ),
    _Spec(
        20,
        "central",
        "industry",
        "李村商圈发展夜间经济，打造特色夜市街区",
        "李村商圈晚上八点以后就冷清了。建议选一条街打造特色夜市，引入本地小吃和老字号，延长商场"
        "营业时间，配套夜间公交和停车优惠，把人气留住。",
        25,
        (
            _s(1, "publish"),
            _s(3, "assign", department="zjj", note="请研究夜市街区的选址和市政配套。"),
            _s(6, "assign", department="swj", note="夜间经济属商贸促进，改由区商务局牵头研究。"),
        ),
        name="夜跑爱好者",
        supports=33,
    ),
    _Spec(
        21,
        "west",
        "urban",
        "保护沧口老街历史风貌，修缮老建筑",
        "沧口老街有不少上世纪初的老建筑和老字号，有的年久失修。建议对老建筑挂牌保护、修缮外立面，"
        "把老街打造成展示沧口历史的街区。",
        20,
        (_s(2, "publish"), _s(8, "assign", department="zrj")),
        name="老沧口",
        supports=11,
    ),
    # --- published, open for supports ---------------------------------------------------------
    _Spec(
        22,
        "east",
        "other",
        "举办十梅庵梅花节摄影大赛",
        "每年春天十梅庵的梅花开得很好，来拍照的人很多。建议办一个梅花节摄影大赛，优秀作品在地铁站"
        "和商场展出，宣传李沧东部的风景。",
        9,
        (_s(2, "publish"),),
        name="摄影爱好者",
        email="plum.photo@example.com",
        supports=7,
    ),
    _Spec(
        23,
        "central",
        "services",
        "社区食堂为周边独居老人提供助餐送餐",
        "湘潭路附近有不少独居老人，做饭不方便。建议社区食堂给老人优惠，并组织志愿者给行动不便的"
        "老人送餐。",
        6,
        (_s(1, "publish"),),
        name="社区志愿者",
        supports=21,
    ),
    _Spec(
        24,
        "west",
        "other",
        "建设沧口工业记忆博物馆",
        "沧口是青岛近代工业的发源地之一，纱厂、铁路、码头都有很多故事。建议利用一处老厂房建设工业"
        "记忆博物馆，收集老物件、老照片，讲好沧口工业的故事。",
        15,
        (_s(2, "publish"), _s(12, "report", reason="与其他建议重复")),
        supports=26,
    ),
    _Spec(
        25,
        "",
        "ecology",
        "推广垃圾分类积分兑换",
        "建议在小区推广垃圾分类积分，居民分类投放可以积分，积分能在社区超市兑换日用品，提高大家"
        "分类的积极性。",
        4,
        (_s(1, "publish"),),
        supports=3,
    ),
    _Spec(
        26,
        "east",
        "urban",
        "加密九水路公交早晚高峰班次",
        "早高峰九水路的公交车半小时一班，经常挤不上。建议加密早晚高峰班次。我的电话是13500001234，"
        "欢迎联系。",
        3,
        (
            _s(
                1,
                "edit",
                title="加密九水路公交早晚高峰班次",
                body="早高峰九水路的公交车半小时一班，经常挤不上。建议加密早晚高峰班次。",
                note="删除正文中的个人电话号码",
            ),
            _s(1, "publish"),
        ),
        name="上班族",
    ),
    # --- waiting for review ---------------------------------------------------------------------
    _Spec(
        27,
        "central",
        "business",
        "公开商圈停车场收费标准和空余车位",
        "李村商圈各停车场收费标准不一样，有的入口没有公示。建议统一公示收费标准，并在地图软件上"
        "公开空余车位数。",
        0,
        name="车主",
    ),
    _Spec(
        28,
        "",
        "other",
        "编写李沧地名故事读本",
        "李沧很多地名都有来历，比如沧口、李村、楼山。建议编写一本地名故事读本，进学校、进社区，"
        "让孩子们了解家乡。",
        1,
        name="退休教师",
        email="teacher.wang@example.com",
    ),
    # --- not published, with the reason --------------------------------------------------------
    _Spec(
        29,
        "",
        "other",
        "专业代办营业执照、代理记账，价格优惠",
        "本公司专业代办营业执照、代理记账、商标注册，价格优惠，欢迎咨询。",
        70,
        (
            _s(1, "reject", reason="内容为商业广告，不属于意见建议。"),
            _s(1, "block", reason="发布商业广告", until=365),
        ),
    ),
    _Spec(
        30,
        "central",
        "other",
        "楼上邻居装修噪音太大",
        "楼上邻居天天装修，晚上九点还在敲，找物业也没用。",
        50,
        (
            _s(
                1,
                "reject",
                reason="您反映的是个人具体诉求，不属于意见建议征集的范围。请拨打12345政务服务便民"
                "热线或联系所在社区，我们会尽快处理。",
            ),
        ),
    ),
    _Spec(
        31,
        "",
        "ecology",
        "希望崂山区多建几个公园",
        "崂山区的公园太少了，建议多建几个。",
        40,
        (
            _s(
                2,
                "reject",
                reason="您的建议涉及其他区的事务，已转交崂山区有关部门。本栏目征集对李沧区发展的"
                "意见建议。",
            ),
        ),
    ),
    # --- duplicates -----------------------------------------------------------------------------
    _Spec(
        32,
        "central",
        "urban",
        "李村商圈周边多建停车楼",
        "李村商圈停车太难了，希望多建几个停车楼。",
        100,
        (_s(2, "duplicate", target=2, note="与已采纳的建议重复，请关注原建议的进展。"),),
        name="周先生",
    ),
    _Spec(
        33,
        "east",
        "ecology",
        "东部山上多修几条步道",
        "周末去东部爬山的人越来越多，希望多修几条步道，装上指示牌。",
        60,
        (_s(1, "publish"), _s(5, "duplicate", target=3)),
        supports=2,
    ),
    # --- withdrawn by the author ------------------------------------------------------------------
    _Spec(
        34,
        "west",
        "industry",
        "楼山片区多建新能源汽车充电站",
        "西部物流车和网约车多，充电不方便。建议在楼山片区多建几座充电站。",
        80,
        (_s(1, "withdraw"),),
    ),
    _Spec(
        35,
        "",
        "services",
        "延长区图书馆开放时间",
        "区图书馆下午五点就关门了，上班族根本去不了。建议延长到晚上九点。",
        55,
        (_s(1, "publish"), _s(7, "withdraw")),
        name="读者",
        supports=3,
    ),
    # --- hidden after three reports, waiting for review --------------------------------------
    _Spec(
        36,
        "central",
        "business",
        "取缔李村大集周边所有流动摊贩",
        "大集周边流动摊贩太多，又脏又乱，那些摊贩素质低下，必须全部赶走。",
        8,
        (
            _s(1, "publish"),
            _s(6, "report", reason="言语侮辱他人"),
            _s(6, "report", reason="歧视性言论"),
            _s(7, "report", reason="人身攻击"),
        ),
        supports=4,
    ),
    _Spec(
        37,
        "west",
        "other",
        "沧口某海鲜饭店卫生太差，大家别去",
        "沧口那家海鲜饭店卫生太差，老板还宰客，大家千万别去！",
        5,
        (
            _s(1, "publish"),
            _s(3, "report", reason="对商户未经证实的指责"),
            _s(4, "report", reason="捏造事实"),
            _s(4, "report", reason="恶意诋毁"),
        ),
        supports=1,
    ),
]


def _closes(steps: list[tuple[dt.datetime, str, dict[str, Any]]], index: int) -> bool:
    """Whether the step ends the time for supports: a decision, or the approval of an answer
    that proposed one (a reply keeps the idea open)."""
    action = steps[index][1]
    if action in CLOSING:
        return True
    if action == "approve":
        drafts = [k["outcome"] for _m, a, k in steps[:index] if a == "answer"]
        return bool(drafts) and drafts[-1] != Outcome.REPLY
    return False


class _Story:
    def __init__(
        self, users: dict[str, User], district: OrgUnit, clock: democlock.DemoClock
    ) -> None:
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not security)
        self.users = users
        self.leader = users[LEADER]
        self.district = district
        self.clock = clock
        self.today = timezone.localdate(clock.real)
        self.departments = {d.code: d for d in Department.objects.filter(district=district)}
        self.ideas: dict[int, Idea] = {
            int(i.client_token.removeprefix(PREFIX)): i
            for i in Idea.objects.filter(client_token__startswith=PREFIX)
        }
        self.made = {"ideas": 0, "supports": 0}

    # --- planning ------------------------------------------------------------------------

    def ready(self, spec: _Spec) -> bool:
        """Whether every department of the story has its demo account (and a duplicate's target
        exists)."""
        for step in spec.steps:
            code = step.args.get("department")
            if code is not None and (
                code not in self.departments or CLERKS[code] not in self.users
            ):
                return False
            if step.action == "duplicate" and step.args["target"] not in self.ideas:
                return False
        return True

    def schedule(self, spec: _Spec) -> list[tuple[dt.datetime, str, dict[str, Any]]]:
        """The moments of the story's steps (never later than now) and of its supports."""
        start = self.today - dt.timedelta(days=spec.age)
        submit = democlock.moment(start, self.rng.randrange(7 * 60, 22 * 60))
        planned: list[tuple[dt.datetime, str, dict[str, Any]]] = [(submit, "submit", {})]
        for step in spec.steps:
            day = start + dt.timedelta(days=step.day)
            if step.action not in PUBLIC_ACTIONS:
                day = democlock.workday(day)
            minute = MINUTE[step.action] + self.rng.randrange(0, 40)
            planned.append((democlock.moment(day, minute), step.action, step.args))
        # in the story's order, a few minutes apart at least, and none later than now
        moments = [m for m, _a, _k in planned]
        for i in range(1, len(moments)):
            moments[i] = max(moments[i], moments[i - 1] + STEP_GAP)
        limit = self.clock.real - dt.timedelta(minutes=5)
        for i in reversed(range(len(moments))):
            moments[i] = min(moments[i], limit)
            limit = moments[i] - STEP_GAP
        steps = [(m, a, k) for m, (_m, a, k) in zip(moments, planned, strict=True)]
        return sorted(steps + self.supports(spec, steps), key=lambda s: s[0])

    def supports(
        self, spec: _Spec, steps: list[tuple[dt.datetime, str, dict[str, Any]]]
    ) -> list[tuple[dt.datetime, str, dict[str, Any]]]:
        if not spec.supports:
            return []
        opened = next((m for m, a, _k in steps if a == "publish"), None)
        if opened is None:
            raise ValueError(f"{spec.token}: supports on an idea that is never published")
        closing = [m for i, (m, _a, _k) in enumerate(steps) if m > opened and _closes(steps, i)]
        closed = closing[0] if closing else self.clock.real - dt.timedelta(minutes=10)
        first, last = opened + dt.timedelta(minutes=20), closed - dt.timedelta(minutes=20)
        if last <= first:
            raise ValueError(f"{spec.token}: no time for its supports")
        span = (last - first).total_seconds()
        return [
            (first + dt.timedelta(seconds=self.rng.random() * span), "support", {"n": n})
            for n in range(1, spec.supports + 1)
        ]

    # --- running ---------------------------------------------------------------------------

    def run(self, spec: _Spec) -> None:
        idea: Idea | None = None
        reports = 0
        for when, action, args in self.schedule(spec):
            self.clock.at = when
            if action == "submit":
                idea = self.submit(spec)
                continue
            assert idea is not None  # noqa: S101  (the story starts with the submission)
            idea = Idea.objects.get(pk=idea.pk)
            if action == "support":
                services.idea_support(
                    idea=idea,
                    contact=f"1370{spec.n:03d}{args['n']:04d}",
                    ip=f"10.{100 + spec.n}.{args['n'] // 200}.{args['n'] % 200 + 1}",
                )
                self.made["supports"] += 1
            elif action == "report":
                reports += 1
                services.idea_report(
                    idea=idea,
                    contact=f"1360{spec.n:03d}{reports:04d}",
                    reason=args["reason"],
                    ip=f"10.99.{spec.n}.{reports}",
                )
            else:
                self.staff_step(spec, idea, action, args)
        if idea is not None:
            self.ideas[spec.n] = idea
            self.made["ideas"] += 1

    def submit(self, spec: _Spec) -> Idea:
        data = services.IdeaInput(
            title=spec.title,
            body=spec.body,
            topic=spec.topic,
            contact=spec.email or f"1580532{spec.n:04d}",
            consent=True,
            zone=spec.zone,
            author_name=spec.name,
            client_token=spec.token,
        )
        return services.idea_submit(
            data=data, ip=f"10.50.{spec.n}.1", district=self.district, captcha_passed=True
        ).idea

    def clerk(self, idea: Idea) -> User:
        codes = {d.pk: code for code, d in self.departments.items()}
        return self.users[CLERKS[codes[idea.department_id]]]

    def due(self, days: int) -> dt.date:
        return timezone.localdate(self.clock.at) + dt.timedelta(days=days)

    def staff_step(self, spec: _Spec, idea: Idea, action: str, args: dict[str, Any]) -> None:
        leader = self.leader
        if action == "publish":
            services.idea_publish(idea=idea, by=leader)
        elif action == "reject":
            services.idea_reject(idea=idea, by=leader, reason=args["reason"])
        elif action == "block":
            until = self.due(args["until"]) if args.get("until") else None
            services.sender_block(by=leader, idea=idea, reason=args["reason"], until=until)
        elif action == "edit":
            services.idea_edit(
                idea=idea, by=leader, title=args["title"], body=args["body"], note=args["note"]
            )
        elif action == "assign":
            services.idea_assign(
                idea=idea,
                by=leader,
                department=self.departments[args["department"]],
                note=args.get("note", ""),
            )
        elif action == "answer":
            due = args.get("due")
            services.idea_answer(
                idea=idea,
                by=self.clerk(idea),
                text=args["text"],
                outcome=args["outcome"],
                plan=args.get("plan", ""),
                due_on=self.due(due) if due else None,
            )
        elif action == "return":
            services.idea_return_answer(idea=idea, by=leader, note=args["note"])
        elif action == "approve":
            services.idea_approve_answer(idea=idea, by=leader)
        elif action == "adopt":
            services.idea_adopt(
                idea=idea,
                by=leader,
                plan=args["plan"],
                due_on=self.due(args["due"]),
                text=args.get("text", ""),
            )
        elif action == "decline":
            services.idea_decline(idea=idea, by=leader, reason=args["reason"])
        elif action == "duplicate":
            target = Idea.objects.get(pk=self.ideas[args["target"]].pk)
            services.idea_mark_duplicate(
                idea=idea, by=leader, target=target, note=args.get("note", "")
            )
        elif action == "withdraw":
            services.idea_withdraw(idea=idea, code=services.tracking_code_for(spec.token))
        elif action == "restore":
            services.idea_restore(idea=idea, by=leader, note=args.get("note", ""))
        elif action == "progress":
            by = self.clerk(idea) if idea.department_id else leader
            services.idea_progress(
                idea=idea, by=by, text=args["text"], done=args.get("done", False)
            )
        else:
            raise ValueError(f"{spec.token}: unknown step {action}")


def _users() -> dict[str, User] | None:
    """The district leader and the departments' demo accounts; None without the leader."""
    wanted = {LEADER, *CLERKS.values()}
    users = {u.username: u for u in User.objects.filter(username__in=wanted, is_active=True)}
    return users if LEADER in users else None


def _summary(made: dict[str, int]) -> dict[str, Any]:
    demo = Idea.objects.filter(client_token__startswith=PREFIX)
    newest = demo.filter(status=Status.SUBMITTED).order_by("-submitted_at", "-id").first()
    return {
        **made,
        "total": demo.count(),
        "adopted": demo.filter(status=Status.ADOPTED).count(),
        "to_approve": demo.filter(answers__status=AnswerStatus.PENDING).distinct().count(),
        "code": services.tracking_code_for(newest.client_token) if newest else "",
    }


@transaction.atomic
def build() -> dict[str, Any]:
    """The demo ideas, each with its whole story; those that exist are left as they are."""
    users = _users()
    district = OrgUnit.objects.filter(code=DISTRICT).first()
    if users is None or district is None:
        return _summary({"ideas": 0, "supports": 0})
    clock = democlock.DemoClock()
    story = _Story(users, district, clock)
    first_message = OutboxMessage.objects.aggregate(m=Max("id"))["m"] or 0
    first_notification = Notification.objects.aggregate(m=Max("id"))["m"] or 0
    # what the services write (messages, notification titles) is in the district's language
    with (
        mock.patch.object(timezone, "now", clock),
        translation.override(settings.LANGUAGE_CODE),
    ):
        for spec in sorted(IDEAS, key=lambda s: s.n):
            if spec.n in story.ideas or not story.ready(spec):
                continue
            story.run(spec)
    # the demo's authors are made up: their messages are recorded as sent when they were written
    OutboxMessage.objects.filter(pk__gt=first_message, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, attempts=1, sent_at=F("created_at")
    )
    # what happened more than a week ago has been read
    Notification.objects.filter(
        pk__gt=first_notification,
        read_at__isnull=True,
        created_at__lt=clock.real - dt.timedelta(days=7),
    ).update(read_at=F("created_at") + dt.timedelta(hours=2))
    return _summary(story.made)
