"""What waits for each role on its home page (/): one reader per role.

Each reader gathers, through the modules' own selectors and within the user's scope, the few
counts that say what waits for the user, each a `Figure` whose `url` is the module's list filtered
so that it shows the same count, and the first few of the things waiting (`Item`). A reader issues
a fixed number of queries, whatever the number of rows. The district leaders' home is a short
summary and the way into the command centre; the administrators keep their own links (the page
shows those, no reader is needed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qifu.accounts.models import Role
from qifu.accounts.scope import scope_for
from qifu.dashboard.figures import Figure
from qifu.lib.quarters import Span

FEW = 5  # items shown under a block's counts


@dataclass(frozen=True)
class Item:
    """One thing waiting: what it is, where to open it, a short note and a deadline colour."""

    text: str
    url: str
    note: str = ""
    colour: str = ""  # "red" overdue, "yellow" due soon, "green" on time, "" none


@dataclass
class Block:
    """A card of the home: its counts, the first few items, a friendly line when nothing waits."""

    key: str  # "appeals", "projects", … (data-testid="home-block-<key>")
    title: str
    figures: list[Figure] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    empty: str = ""
    link: str = ""  # the module's own page, for more
    link_label: str = ""
    template: str = ""  # a partial of its own (core/home/<name>.html); "" the common card
    data: dict[str, Any] = field(default_factory=dict)  # what such a partial shows

    @property
    def waiting(self) -> bool:
        return bool(self.items) or any(f.value for f in self.figures if f.counts_list)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


@dataclass
class Home:
    role: str
    blocks: list[Block] = field(default_factory=list)
    summary: list[Figure] = field(default_factory=list)  # the leaders' short summary
    command_centre: str = ""  # the command centre's URL, for those who may open it

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)

    @property
    def figures(self) -> list[Figure]:
        return [*self.summary, *(f for b in self.blocks for f in b.figures)]


def _url(name: str, *args: Any, **params: Any) -> str:
    url = reverse(name, args=args)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


def _today() -> dt.date:
    return timezone.localdate()


def _due_note(text: str, due: dt.date | None) -> str:
    if due is None:
        return text
    return f"{text} · " + _("due %(day)s") % {"day": due.isoformat()}


# --- appeals --------------------------------------------------------------------------------------


def _appeal_items(appeals: Any, today: dt.date) -> list[Item]:
    from qifu.appeals import selectors

    items = []
    for appeal in appeals:
        if appeal.status == "replied":
            note = appeal.enterprise.name
            if appeal.rate_deadline:
                note += " · " + _("rate by %(day)s") % {"day": appeal.rate_deadline.isoformat()}
        else:
            note = _due_note(appeal.enterprise.name, selectors.due_date(appeal))
        items.append(
            Item(
                text=f"{appeal.number} {appeal.title}",
                url=reverse("appeals:detail", args=[appeal.pk]),
                note=note,
                colour=selectors.deadline_state(appeal, today),
            )
        )
    return items


def _appeal_figure(user: Any, key: str, label: str, params: dict[str, str]) -> Figure:
    """The count of the appeals list filtered by `params` (its own query-string names)."""
    from qifu.appeals import selectors

    filters: dict[str, Any] = {k: v for k, v in params.items() if k != "overdue"}
    if "overdue" in params:
        filters["overdue"] = params["overdue"] == "true"
    value = selectors.appeal_list_for_user(user=user, filters=filters).count()
    return Figure(
        key=f"appeals.{key}", label=label, value=value, url=_url("appeals:list", **params)
    )


def _appeals_block(
    user: Any, figures: list[tuple[str, str, dict[str, str]]], items_from: str, empty: str
) -> Block:
    """Appeal counts, and the first few appeals of the figure `items_from` (or, when it counts
    none, of the first figure that counts some), soonest due first."""
    from qifu.appeals import selectors

    made = [_appeal_figure(user, key, label, params) for key, label, params in figures]
    if not made[[k for k, _label, _p in figures].index(items_from)].value:
        items_from = next((f.key.split(".")[1] for f in made if f.value), items_from)
    params = next(p for k, _label, p in figures if k == items_from)
    filters: dict[str, Any] = {k: v for k, v in params.items() if k != "overdue"}
    if "overdue" in params:
        filters["overdue"] = params["overdue"] == "true"
    first = selectors.appeal_list_for_user(user=user, filters=filters).order_by(
        "deadline", "submitted_at", "id"
    )[:FEW]
    return Block(
        key="appeals",
        title=_("Appeals"),
        figures=made,
        items=_appeal_items(first, _today()),
        empty=empty,
        link=reverse("appeals:inbox"),
        link_label=_("Open the appeals inbox"),
    )


# --- district leaders -----------------------------------------------------------------------------


def leader_home(*, user: Any) -> Home:
    """A short summary of the district, the command centre, and what waits for the leader: appeals
    to accept and to assign (a leader dispatches), the appeals under supervision, and the ideas
    to review and answers to approve."""
    from qifu.appeals import permissions as appeal_permissions
    from qifu.dashboard import permissions as dashboard_permissions
    from qifu.enterprises import selectors as enterprise_selectors
    from qifu.ideas import permissions as idea_permissions
    from qifu.ideas import selectors as idea_selectors

    home = Home(role=user.role)
    if dashboard_permissions.can_open(user):
        home.command_centre = reverse("dashboard:index")
    home.summary = [
        Figure(
            key="enterprises.operating",
            label=_("Operating enterprises"),
            value=enterprise_selectors.enterprise_list_for_user(
                user=user, filters={"status": "operating"}
            ).count(),
            url=_url("enterprises:list", status="operating"),
        ),
        _appeal_figure(user, "open", _("Open appeals"), {"open": "1"}),
        _appeal_figure(user, "overdue", _("Overdue appeals"), {"open": "1", "overdue": "true"}),
    ]
    if appeal_permissions.is_dispatcher(user):
        home.blocks.append(
            _appeals_block(
                user,
                [
                    ("to_accept", _("To accept"), {"status": "submitted"}),
                    ("to_assign", _("To assign"), {"status": "accepted"}),
                    ("supervised", _("Under supervision"), {"supervised": "1", "open": "1"}),
                ],
                items_from="to_accept",
                empty=_("No appeal waits for you to dispatch."),
            )
        )
    if idea_permissions.is_moderator(user):
        counts = idea_selectors.queue_counts(user=user)
        home.blocks.append(
            Block(
                key="ideas",
                title=_("Golden ideas"),
                figures=[
                    Figure(
                        key="ideas.review",
                        label=_("To review"),
                        value=counts["review"],
                        url=_url("ideas:manage", queue="review"),
                    ),
                    Figure(
                        key="ideas.approval",
                        label=_("Answers to approve"),
                        value=counts["approval"],
                        url=_url("ideas:manage", queue="approval"),
                    ),
                ],
                empty=_("No idea waits for you."),
                link=reverse("ideas:manage"),
                link_label=_("Open the ideas"),
            )
        )
    return home


# --- department staff -----------------------------------------------------------------------------


def department_home(*, user: Any) -> Home:
    """The department's inbox: the appeals it handles (lead or co-handling) and the overdue ones,
    the projects whose obstacles (制约因素) or tasks (任务单) it owns, the applications to its
    programmes to review, and the ideas given to it to evaluate."""
    from qifu.appeals import permissions as appeal_permissions
    from qifu.ideas import permissions as idea_permissions
    from qifu.ideas import selectors as idea_selectors
    from qifu.policies import permissions as policy_permissions
    from qifu.policies import selectors as policy_selectors
    from qifu.projects import permissions as project_permissions
    from qifu.projects import selectors as project_selectors

    home = Home(role=user.role)
    department = user.department
    if department is None:
        return home
    code = department.code
    if appeal_permissions.can_open(user):
        figures = [
            ("to_handle", _("To handle"), {"department": code, "open": "1"}),
            ("overdue", _("Overdue"), {"department": code, "open": "1", "overdue": "true"}),
        ]
        if appeal_permissions.is_dispatcher(user):
            figures += [
                ("to_accept", _("To accept"), {"status": "submitted"}),
                ("to_assign", _("To assign"), {"status": "accepted"}),
            ]
        home.blocks.append(
            _appeals_block(
                user,
                figures,
                items_from="to_handle",
                empty=_("No appeal waits for your department."),
            )
        )
    if project_permissions.can_open_board(user):
        obstacles = project_selectors.project_list_for_user(
            user=user, filters={"obstacle_department": code}
        ).count()
        tasks = project_selectors.project_list_for_user(
            user=user, filters={"task_department": code}
        ).count()
        obstacles_first = project_selectors.obstacles_waiting_for(user=user, department=department)
        items = [
            Item(
                text=o.description,
                url=reverse("projects:detail", args=[o.project_id]),
                note=_due_note(o.project.name, o.deadline),
                colour="red" if o.deadline and o.deadline < _today() else "",
            )
            for o in obstacles_first[:FEW]
        ]
        items += [
            Item(
                text=t.what,
                url=reverse("projects:detail", args=[t.project_id]),
                note=_due_note(t.project.name, t.due),
                colour="red" if t.due < _today() else "",
            )
            for t in project_selectors.tasks_for_user(
                user=user, filters={"department": code, "open": True}
            )[:FEW]
        ]
        home.blocks.append(
            Block(
                key="projects",
                title=_("Projects"),
                figures=[
                    Figure(
                        key="projects.obstacles",
                        label=_("Projects with obstacles for you"),
                        value=obstacles,
                        url=_url("projects:index", obstacle_department=code),
                    ),
                    Figure(
                        key="projects.tasks",
                        label=_("Projects with tasks for you"),
                        value=tasks,
                        url=_url("projects:index", task_department=code),
                    ),
                ],
                items=items,
                empty=_("No project obstacle or task waits for your department."),
                link=reverse("projects:index"),
                link_label=_("Open the projects"),
            )
        )
    if policy_permissions.can_manage(user):
        applications = policy_selectors.application_list_for_user(
            user=user,
            filters=policy_selectors.ApplicationFilters(status="applied", department=department.pk),
        )
        home.blocks.append(
            Block(
                key="policies",
                title=_("Policy support"),
                figures=[
                    Figure(
                        key="policies.to_review",
                        label=_("Applications to review"),
                        value=applications.count(),
                        url=_url(
                            "policies:applications", status="applied", department=department.pk
                        ),
                    )
                ],
                items=[
                    Item(
                        text=a.enterprise.name,
                        url=reverse("policies:application", args=[a.pk]),
                        note=a.programme.title,
                    )
                    for a in applications[:FEW]
                ],
                empty=_("No application waits for your review."),
                link=reverse("policies:applications"),
                link_label=_("Open the applications"),
            )
        )
    if idea_permissions.is_department_staff(user):
        counts = idea_selectors.queue_counts(user=user)
        home.blocks.append(
            Block(
                key="ideas",
                title=_("Golden ideas"),
                figures=[
                    Figure(
                        key="ideas.evaluating",
                        label=_("To evaluate and answer"),
                        value=counts["evaluating"],
                        url=_url("ideas:manage", queue="evaluating"),
                    )
                ],
                empty=_("No idea waits for your department."),
                link=reverse("ideas:manage"),
                link_label=_("Open the ideas"),
            )
        )
    return home


# --- street staff ---------------------------------------------------------------------------------


def _monthly(user: Any) -> tuple[Any, Any] | None:
    """The monthly data set and the period open for entry now (None: no data set)."""
    from qifu.stats import periods
    from qifu.stats import selectors as stats_selectors

    dataset = stats_selectors.default_dataset()
    if dataset is None:
        return None
    return dataset, periods.current(dataset, _today())


def street_home(*, user: Any) -> Home:
    """The street's home: its enterprises, the visits due this quarter (assigned enterprises not
    visited yet) and the visits planned, the completeness of this month's data and the forms
    waiting for its review, and its appeals (open, overdue)."""
    from qifu.enterprises import selectors as enterprise_selectors
    from qifu.stats import selectors as stats_selectors
    from qifu.visits import selectors as visit_selectors

    home = Home(role=user.role)
    street = user.org_unit
    if street is None:
        return home
    today = _today()
    home.blocks.append(
        Block(
            key="enterprises",
            title=_("Enterprises"),
            figures=[
                Figure(
                    key="enterprises.operating",
                    label=_("Operating enterprises"),
                    value=enterprise_selectors.enterprise_list_for_user(
                        user=user, filters={"status": "operating"}
                    ).count(),
                    url=_url("enterprises:list", status="operating"),
                )
            ],
            empty=_("No enterprise is registered in your street yet."),
            link=reverse("enterprises:list"),
            link_label=_("Open the enterprises"),
        )
    )

    quarter = Span.quarter_of(today)
    coverage = visit_selectors.coverage(user=user, span=quarter, org_unit=street, today=today)
    plans = visit_selectors.plans_for_user(user=user)
    home.blocks.append(
        Block(
            key="visits",
            title=_("Visits"),
            figures=[
                Figure(
                    key="visits.due",
                    label=_("Due this quarter"),
                    value=coverage.not_visited,
                    url=_url("visits:coverage", period=str(quarter)),
                    note=_("of %(n)d assigned") % {"n": coverage.assigned},
                ),
                Figure(
                    key="visits.planned",
                    label=_("Visits planned"),
                    value=plans.count(),
                    url=reverse("visits:plans"),
                ),
            ],
            items=[
                Item(
                    text=row.name,
                    url=reverse("enterprises:detail", args=[row.enterprise_id]),
                    note=_("last visit %(day)s") % {"day": row.last_visit.isoformat()}
                    if row.last_visit
                    else _("never visited"),
                )
                for row in coverage.enterprises
                if not row.visited
            ][:FEW],
            empty=_("Every assigned enterprise has been visited this quarter."),
            link=reverse("visits:mine"),
            link_label=_("My visits"),
        )
    )

    monthly = _monthly(user)
    if monthly is not None:
        dataset, period = monthly
        counts = stats_selectors.completeness_counts(dataset=dataset, period=period, unit=street)
        expected = stats_selectors.expected_enterprises(dataset=dataset, period=period, unit=street)
        to_review = (
            stats_selectors.forms_for_user(
                user=user, dataset=dataset, period=period, enterprises=expected
            )
            .filter(status="submitted")
            .count()
        )
        home.blocks.append(
            Block(
                key="stats",
                title=_("Monthly data of %(period)s") % {"period": period.label},
                figures=[
                    Figure(
                        key="stats.accepted",
                        label=_("Forms accepted"),
                        value=counts["accepted"],
                        url=_url("stats:completeness", period=str(period)),
                        note=_("of %(n)d expected") % {"n": counts["expected"]},
                    ),
                    Figure(
                        key="stats.to_review",
                        label=_("Waiting for your review"),
                        value=to_review,
                        url=_url("stats:review", period=str(period), status="submitted"),
                    ),
                ],
                empty=_("No form waits for your review."),
                link=_url("stats:review", period=str(period)),
                link_label=_("Review the forms"),
            )
        )

    home.blocks.append(
        _appeals_block(
            user,
            [
                ("open", _("In progress"), {"open": "1"}),
                ("overdue", _("Overdue"), {"open": "1", "overdue": "true"}),
            ],
            items_from="overdue",
            empty=_("No appeal of your street is overdue."),
        )
    )
    return home


# --- enterprise users -----------------------------------------------------------------------------


def enterprise_home(*, user: Any) -> Home:
    """The enterprise portal: its appeals (open, waiting for its rating), this month's data form
    (when it is on the reporting list), the programmes it qualifies for now, its applications
    returned for completion, and the notices it has not read."""
    from qifu.appeals import selectors as appeal_selectors
    from qifu.policies import selectors as policy_selectors
    from qifu.stats import periods
    from qifu.stats import selectors as stats_selectors

    home = Home(role=user.role)
    enterprise = user.enterprise
    if enterprise is None:
        return home

    rate = appeal_selectors.appeal_list_for_user(user=user, filters={"status": "replied"})
    to_rate = list(rate.order_by("rate_deadline", "id")[:FEW])
    block = _appeals_block(
        user,
        [
            ("open", _("In progress"), {"open": "1"}),
            ("to_rate", _("Waiting for your rating"), {"status": "replied"}),
        ],
        items_from="open",
        empty=_("You have no appeal in progress."),
    )
    rated = _appeal_items(to_rate, _today())
    shown = {item.url for item in rated}
    block.items = (rated + [item for item in block.items if item.url not in shown])[:FEW]
    block.link, block.link_label = reverse("appeals:new"), _("Submit an appeal")
    home.blocks.append(block)

    monthly = _monthly(user)
    if monthly is not None:
        dataset, period = monthly
        listed = (
            stats_selectors.expected_enterprises(dataset=dataset, period=period, unit=None)
            .filter(pk=enterprise.pk)
            .exists()
        )
        form = (
            stats_selectors.forms_for_user(
                user=user, dataset=dataset, period=period, enterprises=[enterprise]
            ).first()
            if listed
            else None
        )
        status = form.status if form is not None else ""
        due = listed and status in ("", "draft", "returned")
        home.blocks.append(
            Block(
                key="stats",
                title=_("Monthly data"),
                figures=[
                    Figure(
                        key="stats.due",
                        label=_("Forms due"),
                        value=int(due),
                        url=reverse("stats:form", args=[str(period)]),
                        counts_list=False,
                    )
                ],
                empty=_("You have no monthly form to hand in.")
                if not listed
                else _("This month's form is handed in. Thank you."),
                template="core/home/monthly_form.html",
                data={
                    "listed": listed,
                    "due": due,
                    "period": period,
                    "form": form,
                    "deadline": periods.deadline(dataset, period) if listed else None,
                },
            )
        )

    matches = policy_selectors.enterprise_matches(user=user, enterprise=enterprise)
    returned = policy_selectors.application_list_for_user(
        user=user, filters=policy_selectors.ApplicationFilters(status="returned")
    ).count()
    unread = policy_selectors.deliveries_for_user(user=user, unread_only=True)
    home.blocks.append(
        Block(
            key="policies",
            title=_("Policy support"),
            figures=[
                Figure(
                    key="policies.matches",
                    label=_("Programmes you qualify for, open now"),
                    value=len(matches.now),
                    url=reverse("enterprises:detail", args=[enterprise.pk]) + "#policies",
                ),
                Figure(
                    key="policies.returned",
                    label=_("Applications to complete"),
                    value=returned,
                    url=_url("policies:applications", status="returned"),
                ),
                Figure(
                    key="policies.unread",
                    label=_("Unread notices"),
                    value=unread.count(),
                    url=_url("policies:notices", unread="1"),
                ),
            ],
            items=[
                Item(
                    text=m.programme.title,
                    url=reverse("policies:programme", args=[m.programme.pk]),
                    note=_("applications close %(day)s")
                    % {"day": m.programme.window_closes.isoformat()},
                )
                for m in matches.now[:FEW]
                if m.programme is not None
            ],
            empty=_("No open programme matches your enterprise right now."),
            link=reverse("policies:calculator"),
            link_label=_("Policy calculator"),
        )
    )
    return home


# --- statistics staff -----------------------------------------------------------------------------


def statistics_home(*, user: Any) -> Home:
    """The statistics staff's home: the completeness of this month's data by street, and the
    approvals waiting (streets whose forms are all accepted, then the district)."""
    from qifu.stats import permissions as stats_permissions
    from qifu.stats import selectors as stats_selectors

    home = Home(role=user.role)
    district = scope_for(user).district
    monthly = _monthly(user)
    if district is None or monthly is None:
        return home
    dataset, period = monthly
    figures = stats_selectors.completeness(dataset=dataset, period=period, unit=district)
    ready = [r for r in figures.children if not r.approved and r.accepted >= r.expected]
    streets_done = all(r.approved for r in figures.children)
    waiting = len(ready) + int(streets_done and not figures.approved)
    may_approve = stats_permissions.can_approve(user, district)
    blocks = [
        Block(
            key="stats",
            title=_("Monthly data of %(period)s") % {"period": period.label},
            figures=[
                Figure(
                    key="stats.submitted",
                    label=_("Forms handed in"),
                    value=figures.submitted,
                    url=_url("stats:completeness", period=str(period)),
                    note=_("of %(n)d expected") % {"n": figures.expected},
                ),
                Figure(
                    key="stats.accepted",
                    label=_("Forms accepted"),
                    value=figures.accepted,
                    url=_url("stats:completeness", period=str(period)),
                ),
            ],
            empty=_("No enterprise is on the reporting list yet."),
            template="core/home/completeness.html",
            data={"figures": figures, "period": period},
            link=_url("stats:completeness", period=str(period)),
            link_label=_("Completeness"),
        )
    ]
    if may_approve:
        blocks.append(
            Block(
                key="approvals",
                title=_("Approval"),
                figures=[
                    Figure(
                        key="stats.approvals",
                        label=_("Waiting for your approval"),
                        value=waiting,
                        url=_url("stats:approvals", period=str(period)),
                    )
                ],
                items=[
                    Item(
                        text=r.name,
                        url=_url("stats:review", period=str(period), org_unit=r.unit.pk),
                        note=_("%(n)d forms accepted") % {"n": r.accepted},
                    )
                    for r in ready[:FEW]
                ],
                empty=_("Nothing waits for your approval."),
                link=_url("stats:approvals", period=str(period)),
                link_label=_("Open the approvals"),
            )
        )
    home.blocks = blocks
    return home


# --- investment staff -----------------------------------------------------------------------------


def investment_home(*, user: Any) -> Home:
    """The investment staff's home: the leads new and being followed, and the projects still
    being negotiated."""
    from qifu.investment import permissions as investment_permissions
    from qifu.investment import selectors as investment_selectors
    from qifu.projects import selectors as project_selectors

    home = Home(role=user.role)
    if investment_permissions.can_manage(user):
        new = investment_selectors.lead_list_for_user(user=user, filters={"status": "new"})
        home.blocks.append(
            Block(
                key="leads",
                title=_("Investment leads"),
                figures=[
                    Figure(
                        key="leads.new",
                        label=_("New leads"),
                        value=new.count(),
                        url=_url("investment:leads", status="new"),
                    ),
                    Figure(
                        key="leads.following",
                        label=_("Being followed up"),
                        value=investment_selectors.lead_list_for_user(
                            user=user, filters={"status": "following"}
                        ).count(),
                        url=_url("investment:leads", status="following"),
                    ),
                ],
                items=[
                    Item(
                        text=lead.investor,
                        url=reverse("investment:lead", args=[lead.pk]),
                        note=lead.title,
                    )
                    for lead in new[:FEW]
                ],
                empty=_("No new lead waits for you."),
                link=reverse("investment:index"),
                link_label=_("Open investment"),
            )
        )
    home.blocks.append(
        Block(
            key="projects",
            title=_("Projects"),
            figures=[
                Figure(
                    key="projects.negotiating",
                    label=_("Being negotiated"),
                    value=project_selectors.project_list_for_user(
                        user=user, filters={"stage": "negotiating"}
                    ).count(),
                    url=_url("projects:index", stage="negotiating"),
                )
            ],
            empty=_("No project is being negotiated."),
            link=reverse("projects:index"),
            link_label=_("Open the projects"),
        )
    )
    return home


READERS: dict[Any, Callable[..., Home]] = {
    Role.DISTRICT_LEADER: leader_home,
    Role.DEPARTMENT_STAFF: department_home,
    Role.STREET_STAFF: street_home,
    Role.ENTERPRISE_USER: enterprise_home,
    Role.STATISTICS_STAFF: statistics_home,
    Role.INVESTMENT_STAFF: investment_home,
}


def home_for_user(*, user: Any) -> Home | None:
    """What waits for the user, by role; None for the administrators and users without a role
    (their home shows their own links), or an official outside any district."""
    reader = READERS.get(getattr(user, "role", ""))
    if reader is None:
        return None
    if user.role != Role.ENTERPRISE_USER and scope_for(user).district is None:
        return None
    return reader(user=user)
