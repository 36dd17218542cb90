"""Each role's home (/): what waits for it, counted through the modules' selectors, each count a
link to the list it counts (which shows the same number), nothing outside the user's scope, and a
fixed number of queries whatever the number of rows.

The cast comes from qifu/conftest.py: `leader` (区领导 of 李沧区, a dispatcher of appeals and the
moderator of ideas), `jxj_clerk` (经信局, the service centre: dispatches too), `zrj_clerk`
(自然资源局), `licun_clerk` / `loushan_clerk` (two streets), `enterprise_user` (天路集团 in 李村),
`outsider` (区领导 of 崂山区). Here also `tjj` (统计局) and `tcj` (投资促进局).
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.accounts.models import Role, User
from qifu.accounts.tests.factories import UserFactory
from qifu.appeals import services as appeal_services
from qifu.appeals.models import Appeal
from qifu.appeals.tests.factories import AppealFactory
from qifu.core.models import Department
from qifu.core.tests.helpers import zh
from qifu.dashboard import homes
from qifu.enterprises.models import Enterprise
from qifu.enterprises.tests.factories import EnterpriseFactory
from qifu.ideas import services as idea_services
from qifu.investment import services as investment_services
from qifu.policies import services as policy_services
from qifu.policies.models import PolicyCategory, Programme
from qifu.projects import services as project_services
from qifu.projects.models import Project
from qifu.stats import periods
from qifu.stats.models import DataSet, Listing, Submission, SubmissionStatus
from qifu.visits import services as visit_services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date
# the tests' "now": Tuesday 2026-10-20, 10:00 Beijing time: 2026Q4, entry for 202610 open
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
HIGH_TECH = {
    "combine": "all",
    "conditions": [{"field": "tags", "op": "has_any", "value": ["高新技术企业"]}],
}
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def clock() -> Iterator[dt.datetime]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def department(code: str) -> Department:
    return Department.objects.get(district__code="370213", code=code)


@pytest.fixture
def tjj(district) -> User:
    # 统计局 staff of 李沧区: approves the streets' monthly data
    return UserFactory(username="tjj", role=Role.STATISTICS_STAFF, org_unit=district)


@pytest.fixture
def tcj(district) -> User:
    # 投资促进局 staff of 李沧区: runs the leads and the project pipeline
    return UserFactory(username="tcj", role=Role.INVESTMENT_STAFF, org_unit=district)


# --- reading the pages ----------------------------------------------------------------------------

FIGURE = re.compile(r'href="([^"]*)" data-testid="home-figure-([^"]+)" data-value="([^"]*)"')


def home_page(client: Any, user: Any) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def figures_of(html: str) -> dict[str, tuple[int, str]]:
    """The home's figures: key → (value, url)."""
    return {key: (int(value), htmllib.unescape(url)) for url, key, value in FIGURE.findall(html)}


def _first_int(fragment: str) -> int:
    found = re.search(r"\d+", re.sub(r"<[^>]+>", " ", fragment))
    assert found is not None, fragment
    return int(found.group())


def list_count(client: Any, key: str, url: str) -> int:
    """The count the linked page shows: its `result-count`, or its own visible total."""
    response = client.get(url)
    assert response.status_code == 200, (key, url)
    html = response.content.decode()
    special = {
        "visits.due": lambda: _first_int(html.split('data-testid="coverage-not-visited"')[1]),
        "stats.accepted": lambda: _first_int(html.split('data-testid="accepted"')[1]),
        "stats.submitted": lambda: _first_int(html.split('data-testid="submitted"')[1]),
        "stats.to_review": lambda: html.count("<tr data-enterprise="),
        "stats.approvals": lambda: len(
            re.findall(r'data-testid="approve-[^"]+"(?! disabled)', html)
        ),
        "policies.matches": lambda: html.count('data-testid="enterprise-match-now"'),
    }
    if key in special:
        return special[key]()
    found = re.search(r'data-testid="result-count"[^>]*>\s*(\d+)', html)
    if found:
        return int(found.group(1))
    found = re.search(r'data-testid="[a-z]+-count"[^>]*>(.*?)</', html, re.S)
    if found:
        return _first_int(found.group(1))
    return response.context["page"].paginator.count


def assert_figures_match_their_lists(client: Any, user: Any) -> dict[str, tuple[int, str]]:
    found = figures_of(home_page(client, user))
    for key, (value, url) in found.items():
        if key == "stats.due":  # the monthly form: one form, not a list
            continue
        assert list_count(client, key, url) == value, (user.username, key, url)
    return found


# --- building the data ----------------------------------------------------------------------------


def appeal(enterprise: Enterprise, **values: Any) -> Appeal:
    return AppealFactory(enterprise=enterprise, title=f"用地手续办理难{next(_numbers)}", **values)


def assigned(by: Any, enterprise: Enterprise, code: str, *, overdue: bool = False) -> Appeal:
    found = appeal(enterprise)
    appeal_services.appeal_accept(by=by, appeal=found)
    found = appeal_services.appeal_assign(by=by, appeal=found, department=department(code))
    if overdue:
        Appeal.objects.filter(pk=found.pk).update(overdue=True)
    return found


def project(by: Any, street: Any, **values: Any) -> Project:
    return project_services.project_create(
        by=by,
        date=D(2026, 1, 5),
        **{
            "name": f"智能装备产业园{next(_numbers)}期",
            "investor": "天路集团有限公司",
            "street": street,
            "total_investment": Decimal("10000.00"),
            "industry_code": "3434",
            "lead_department": department("jxj"),
            **values,
        },
    )


def programme(by: Any) -> Programme:
    policy = policy_services.policy_save(
        by=by,
        values={
            "title": f"关于支持企业技术创新的若干政策{next(_numbers)}",
            "level": "district",
            "issuer": "李沧区人民政府",
            "issued_on": D(2026, 1, 10),
            "valid_until": D(2027, 12, 31),
            "department": department("jxj"),
        },
        categories=PolicyCategory.objects.filter(code="innovation"),
    )
    made = policy_services.programme_save(
        by=by,
        values={
            "policy": policy,
            "title": f"2026年度技术创新项目{next(_numbers)}",
            "window_opens": D(2026, 10, 1),
            "window_closes": D(2026, 11, 30),
            "support_amount": Decimal("50"),
            "materials": ["申报书"],
            "criteria": HIGH_TECH,
            "department": department("jxj"),
        },
    )
    return policy_services.programme_publish(by=by, programme=made)


def idea(leader: Any, district: Any, code: str) -> Any:
    n = next(_numbers)
    made = idea_services.idea_submit(
        data=idea_services.IdeaInput(
            title=f"在东部片区建设科技企业孵化器{n}",
            body="建议利用老厂房改造为孵化器，吸引青年创业团队入驻，配套人才公寓。",
            topic="industry",
            contact=str(13900000000 + n),
            consent=True,
            zone="",
            author_name="王先生",
            client_token="",
        ),
        ip=f"10.9.{n % 250}.{n // 250 + 1}",
        district=district,
        captcha_passed=True,
    ).idea
    if code:
        made = idea_services.idea_publish(idea=made, by=leader)
        made = idea_services.idea_assign(idea=made, by=leader, department=department(code))
    return made


def monthly(enterprise: Enterprise, status: str | None) -> None:
    """`enterprise` on the reporting list, with this month's form in `status` (None: none)."""
    dataset = DataSet.objects.get(code="industry-monthly")
    Listing.objects.create(dataset=dataset, enterprise=enterprise, since="202401")
    if status is not None:
        Submission.objects.create(
            dataset=dataset,
            enterprise=enterprise,
            period=str(periods.current(dataset, TODAY)),
            status=status,
            first_submitted_at=NOW if status != SubmissionStatus.DRAFT else None,
        )


@dataclass
class World:
    tianlu: Enterprise
    ruifeng: Enterprise
    licun_more: list[Enterprise]


def build_world(
    *,
    leader: Any,
    jxj_clerk: Any,
    zrj_clerk: Any,
    licun_clerk: Any,
    enterprise_user: Any,
    tcj: Any,
    tianlu: Enterprise,
    ruifeng: Enterprise,
    licun: Any,
    loushan: Any,
    district: Any,
    rounds: int = 1,
) -> World:
    """Rows of every module, `rounds` times over (the counts of one round are in the tests)."""
    more: list[Enterprise] = []
    if not licun_clerk.visit_assignments.exists():
        visit_services.assignment_create(
            by=leader, official=licun_clerk, street=licun, key_only=False, starts_on=D(2026, 1, 1)
        )
    for _round in range(rounds):
        # appeals: two for 经信局 to handle (one overdue), one for 自然资源局, one to accept, one
        # to assign, one replied to 天路集团 (waiting for its rating), one supervised
        assigned(leader, tianlu, "jxj")
        assigned(leader, ruifeng, "jxj", overdue=True)
        assigned(leader, ruifeng, "zrj")
        appeal(tianlu)
        appeal_services.appeal_accept(by=leader, appeal=appeal(ruifeng))
        replied = assigned(leader, tianlu, "jxj")
        appeal_services.appeal_reply(
            by=jxj_clerk, appeal=replied, reply="已协调办理", cause="手续不全"
        )
        supervised = assigned(leader, ruifeng, "zrj")
        appeal_services.appeal_supervise(by=leader, appeal=supervised, note="请加快办理")

        # projects: an obstacle for 经信局 and one for 自然资源局, a task for 经信局
        first = project(tcj, licun)
        project_services.obstacle_add(
            by=tcj,
            project=first,
            description="土地指标未落实",
            type="land",
            department=department("jxj"),
            deadline=D(2026, 10, 1),
        )
        second = project(tcj, loushan)
        project_services.obstacle_add(
            by=tcj,
            project=second,
            description="规划许可待批",
            type="planning",
            department=department("zrj"),
        )
        project_services.task_add(
            by=tcj,
            project=second,
            what="协调电力增容",
            department=department("jxj"),
            due=D(2026, 11, 1),
        )

        # policies: 天路集团 applies (to review), 瑞丰气体's application returned; a notice
        made = programme(jxj_clerk)
        policy_services.application_apply(by=enterprise_user, programme=made, enterprise=tianlu)
        returned, _created = policy_services.application_recommend_by_department(
            by=jxj_clerk, programme=made, enterprise=ruifeng
        )
        policy_services.application_review(
            by=jxj_clerk, application=returned, passed=False, note="材料不全"
        )
        policy_services.notice_send(
            by=jxj_clerk,
            title="关于申报技术创新项目的通知",
            body="请符合条件的企业申报。",
            target={"key": True},
        )

        # ideas: one to review, one with 经信局, one with 自然资源局
        idea(leader, district, "")
        idea(leader, district, "jxj")
        idea(leader, district, "zrj")

        # leads: one new, one followed up; a project negotiated (above)
        investment_services.lead_save(
            by=tcj,
            investor="温州正泰集团",
            title="智能电气生产基地",
            origin="浙江温州",
            industry="电气机械",
            amount=Decimal("30000"),
        )
        followed = investment_services.lead_save(
            by=tcj,
            investor="宁波舜宇",
            title="光学元件基地",
            origin="浙江宁波",
            industry="光学仪器",
            amount=Decimal("20000"),
        )
        investment_services.lead_follow_up(
            by=tcj, lead=followed, date=D(2026, 10, 12), method="visit", note="实地考察"
        )

        # 李村街道: two more enterprises, one accepted form, one waiting for review
        accepted = EnterpriseFactory(street=licun, is_above_scale=True)
        waiting = EnterpriseFactory(street=licun, is_above_scale=True)
        monthly(accepted, SubmissionStatus.ACCEPTED)
        monthly(waiting, SubmissionStatus.SUBMITTED)
        more += [accepted, waiting]
    return World(tianlu=tianlu, ruifeng=ruifeng, licun_more=more)


@pytest.fixture
def world(
    leader,
    jxj_clerk,
    zrj_clerk,
    licun_clerk,
    enterprise_user,
    tcj,
    tianlu,
    ruifeng,
    licun,
    loushan,
    district,
) -> World:
    made = build_world(
        leader=leader,
        jxj_clerk=jxj_clerk,
        zrj_clerk=zrj_clerk,
        licun_clerk=licun_clerk,
        enterprise_user=enterprise_user,
        tcj=tcj,
        tianlu=tianlu,
        ruifeng=ruifeng,
        licun=licun,
        loushan=loushan,
        district=district,
    )
    monthly(tianlu, None)  # 天路集团 must report this month and has not started
    return made


def values(html: str) -> dict[str, int]:
    return {key: value for key, (value, _url) in figures_of(html).items()}


# --- what each role sees --------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(client, org) -> None:
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_leader_gets_a_summary_the_command_centre_and_what_waits_for_them(
    client, leader, world
) -> None:
    html = home_page(client, leader)

    assert 'data-testid="home-command-centre"' in html
    assert 'href="/dashboard/"' in html
    found = values(html)
    assert found["appeals.open"] == 6
    assert found["appeals.overdue"] == 1
    assert (
        found["enterprises.operating"]
        == Enterprise.objects.filter(street__parent__code="370213", status="operating").count()
    )
    assert found["appeals.to_accept"] == 1
    assert found["appeals.to_assign"] == 1
    assert found["appeals.supervised"] == 1
    assert found["ideas.review"] == 1
    assert found["ideas.approval"] == 0


def test_a_department_sees_its_inbox(client, jxj_clerk, world) -> None:
    html = home_page(client, jxj_clerk)

    assert values(html) == {
        "appeals.to_handle": 2,
        "appeals.overdue": 1,
        "appeals.to_accept": 1,  # 经信局 is the service centre: it dispatches
        "appeals.to_assign": 1,
        "projects.obstacles": 1,
        "projects.tasks": 1,
        "policies.to_review": 1,
        "ideas.evaluating": 1,
    }
    assert "土地指标未落实" in html  # its obstacle
    assert "协调电力增容" in html  # its task
    assert "规划许可待批" not in html  # 自然资源局's obstacle
    assert 'data-testid="home-command-centre"' not in html


def test_another_department_sees_only_its_own(client, zrj_clerk, world) -> None:
    html = home_page(client, zrj_clerk)

    assert values(html) == {
        "appeals.to_handle": 2,
        "appeals.overdue": 0,
        "projects.obstacles": 1,
        "projects.tasks": 0,
        "policies.to_review": 0,
        "ideas.evaluating": 1,
    }
    assert "规划许可待批" in html
    assert "土地指标未落实" not in html


def test_a_street_sees_its_enterprises_visits_data_and_appeals(client, licun_clerk, world) -> None:
    html = home_page(client, licun_clerk)

    assert values(html) == {
        "enterprises.operating": 3,
        "visits.due": 3,
        "visits.planned": 0,
        "stats.accepted": 1,
        "stats.to_review": 1,
        "appeals.open": 2,
        "appeals.overdue": 0,
    }
    assert "天路集团" in html  # due for a visit
    assert "瑞丰气体" not in html


def test_a_visit_this_quarter_takes_the_enterprise_off_the_visits_due(
    client, licun_clerk, world
) -> None:
    visit_services.visit_save(
        by=licun_clerk,
        data=visit_services.VisitInput(
            date=D(2026, 10, 9),
            officials=[licun_clerk],
            enterprises=[world.tianlu],
            notes="了解生产经营情况",
            answers={
                "output_outlook": "基本持平",
                "sales_change": 3,
                "relocation": "no",
                "financing": "基本满足",
                "employees": 320,
            },
        ),
        complete=True,
    )

    assert values(home_page(client, licun_clerk))["visits.due"] == 2


def test_another_street_sees_only_its_own(client, loushan_clerk, world) -> None:
    html = home_page(client, loushan_clerk)

    found = values(html)
    assert found["enterprises.operating"] == 1
    assert found["appeals.open"] == 4
    assert found["appeals.overdue"] == 1
    assert found["visits.due"] == 0
    assert "天路集团" not in html
    assert "李村街道" not in html


def test_the_enterprise_portal_shows_its_appeals_form_programmes_and_notices(
    client, enterprise_user, world
) -> None:
    html = home_page(client, enterprise_user)

    assert values(html) == {
        "appeals.open": 2,
        "appeals.to_rate": 1,
        "stats.due": 1,
        "policies.matches": 1,
        "policies.returned": 0,
        "policies.unread": 1,
    }
    assert 'data-testid="home-form-due"' in html
    assert 'data-testid="my-enterprise"' in html
    assert "瑞丰气体" not in html


def test_a_handed_in_form_is_no_longer_due(client, enterprise_user, world, tianlu) -> None:
    Submission.objects.create(
        dataset=DataSet.objects.get(code="industry-monthly"),
        enterprise=tianlu,
        period=str(periods.current(DataSet.objects.get(code="industry-monthly"), TODAY)),
        status=SubmissionStatus.SUBMITTED,
        first_submitted_at=NOW,
    )

    html = home_page(client, enterprise_user)

    assert values(html)["stats.due"] == 0
    assert 'data-testid="home-form-done"' in html


def test_the_statistics_staff_see_completeness_by_street_and_the_approvals_waiting(
    client, tjj, world
) -> None:
    html = home_page(client, tjj)

    found = values(html)
    assert found["stats.submitted"] == 2
    assert found["stats.accepted"] == 1
    # every street but 李村街道 (one of three forms accepted) may be approved: nothing is expected
    assert found["stats.approvals"] == 10
    assert html.count('data-testid="home-completeness-row"') == 11


def test_the_investment_staff_see_their_leads_and_the_projects_negotiated(
    client, tcj, world
) -> None:
    assert values(home_page(client, tcj)) == {
        "leads.new": 1,
        "leads.following": 1,
        "projects.negotiating": 2,
    }


@pytest.mark.parametrize(
    "who",
    [
        "leader",
        "jxj_clerk",
        "zrj_clerk",
        "licun_clerk",
        "loushan_clerk",
        "enterprise_user",
        "tjj",
        "tcj",
    ],
)
def test_every_count_equals_the_list_it_links_to(client, request, world, who) -> None:
    user = request.getfixturevalue(who)

    found = assert_figures_match_their_lists(client, user)

    assert found, who
    assert any(value for value, _url in found.values()), who


def test_the_outsider_sees_nothing_of_licang(client, outsider, world) -> None:
    html = home_page(client, outsider)

    assert "崂山区" in html
    for name in ("李沧区", "李村街道", "天路集团", "瑞丰气体", "土地指标未落实", "用地手续办理难"):
        assert name not in html
    found = values(html)
    assert found
    assert set(found.values()) == {0}


def test_an_empty_inbox_says_so_kindly(client, zjj_clerk, org) -> None:
    html = home_page(client, zjj_clerk)

    assert zh("No appeal waits for your department.") in html
    assert zh("No application waits for your review.") in html
    assert 'data-testid="home-item"' not in html


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditor", "no_role_user"])
def test_the_administrators_keep_their_own_links_and_no_business_counts(
    client, request, world, who
) -> None:
    html = home_page(client, request.getfixturevalue(who))

    assert "home-figure-" not in html
    assert "天路集团" not in html
    assert homes.home_for_user(user=request.getfixturevalue(who)) is None


# --- query counts ---------------------------------------------------------------------------------

ROLES = ["leader", "jxj_clerk", "zrj_clerk", "licun_clerk", "enterprise_user", "tjj", "tcj"]
BUDGET = 40


def _queries(client: Any, user: Any) -> int:
    client.force_login(user)
    client.get("/")  # the calendar years are cached after the first page
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


def test_each_home_takes_as_many_queries_for_many_rows_as_for_few(
    client,
    request,
    leader,
    jxj_clerk,
    zrj_clerk,
    licun_clerk,
    enterprise_user,
    tcj,
    tianlu,
    ruifeng,
    licun,
    loushan,
    district,
    tjj,
    django_assert_max_num_queries,
) -> None:
    cast = {name: request.getfixturevalue(name) for name in ROLES}
    build = {
        "leader": leader,
        "jxj_clerk": jxj_clerk,
        "zrj_clerk": zrj_clerk,
        "licun_clerk": licun_clerk,
        "enterprise_user": enterprise_user,
        "tcj": tcj,
        "tianlu": tianlu,
        "ruifeng": ruifeng,
        "licun": licun,
        "loushan": loushan,
        "district": district,
    }
    build_world(**build)
    monthly(tianlu, None)
    few = {name: _queries(client, user) for name, user in cast.items()}
    build_world(**build, rounds=4)
    many = {name: _queries(client, user) for name, user in cast.items()}

    assert many == few
    for user in cast.values():
        client.force_login(user)
        with django_assert_max_num_queries(BUDGET):
            client.get("/")


def test_a_dispatcher_with_nothing_to_handle_sees_the_appeals_to_accept(
    client, jxj_clerk, tianlu
) -> None:
    waiting = appeal(tianlu)

    html = home_page(client, jxj_clerk)

    assert values(html)["appeals.to_handle"] == 0
    assert values(html)["appeals.to_accept"] == 1
    assert waiting.title in html


def test_an_appeal_waiting_for_the_rating_says_by_when(client, enterprise_user, world) -> None:
    replied = Appeal.objects.get(enterprise=world.tianlu, status="replied")

    html = home_page(client, enterprise_user)

    assert replied.title in html
    assert zh("rate by %(day)s") % {"day": replied.rate_deadline.isoformat()} in html
