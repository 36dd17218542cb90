"""Pages of monthly data: the enterprise's form, the street's review, the district's approval
board, completeness and the analysis with its Excel and Word downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.models import Role
from qifu.audit.labels import action_label
from qifu.audit.models import AuditEvent
from qifu.core.badinput import BadInput, answers_bad_input, bad_request
from qifu.core.downloads import xlsx_response
from qifu.core.models import Level, OrgUnit, Zone
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib import rollup as arithmetic
from qifu.stats import brief as briefs
from qifu.stats import periods, permissions, selectors, services, sheets
from qifu.stats.models import DataSet, Indicator, Submission, SubmissionStatus
from qifu.stats.periods import Period

S: Any = SubmissionStatus
TEN = Decimal(10)


# --- helpers -----------------------------------------------------------------------------------


def _require_open(request: HttpRequest) -> None:
    if not permissions.can_open(request.user):
        raise PermissionDenied


def _require_official(request: HttpRequest) -> None:
    """The pages of reviewers and readers of figures: not the enterprise's own portal."""
    _require_open(request)
    if request.user.role == Role.ENTERPRISE_USER:
        raise PermissionDenied


def _dataset(request: HttpRequest) -> DataSet:
    code = request.GET.get("dataset") or request.POST.get("dataset")
    if code:
        return selectors.dataset_get(code)
    dataset = selectors.default_dataset()
    if dataset is None:
        raise BadInput(_("No monthly form is configured."))
    return dataset


def _period(request: HttpRequest, default: Period, source: Any = None) -> Period:
    raw = (source if source is not None else request.GET).get("period")
    if not raw:
        return default
    try:
        return Period.parse(raw)
    except ValidationError as error:
        raise BadInput(error.messages[0]) from None


def _current(request: HttpRequest, source: Any = None) -> tuple[DataSet, Period]:
    """The data set and period asked for (default: the period now open for entry)."""
    dataset = _dataset(request)
    return dataset, _period(request, periods.current(dataset, timezone.localdate()), source)


def _unit(request: HttpRequest, source: Any = None) -> OrgUnit | Zone:
    """?org_unit= (in scope), ?zone= (of the user's district), or the user's own unit."""
    params = source if source is not None else request.GET
    if params.get("zone"):
        return selectors.zone_get_for_user(user=request.user, pk=params["zone"])
    if params.get("org_unit"):
        return selectors.unit_get_for_user(user=request.user, pk=params["org_unit"])
    unit = selectors.home_unit(user=request.user)
    if unit is None:
        raise PermissionDenied
    return unit


def _tabs(request: HttpRequest, active: str, period: Period | None = None) -> dict[str, Any]:
    user = request.user
    role = getattr(user, "role", "")
    tabs = []
    if role in (Role.ENTERPRISE_USER,):
        tabs.append(("form", _("Monthly form"), reverse("stats:index")))
    if role == Role.STREET_STAFF:
        tabs.append(("review", _("Review"), reverse("stats:review")))
        tabs.append(("import", _("Excel form"), reverse("stats:sheet-import")))
    if permissions.is_statistics(user):
        tabs.append(("approvals", _("Approval"), reverse("stats:approvals")))
    if role != Role.ENTERPRISE_USER:
        tabs.append(("completeness", _("Completeness"), reverse("stats:completeness")))
        tabs.append(("analysis", _("Analysis"), reverse("stats:analysis")))
    suffix = f"?period={period}" if period else ""
    return {
        "tabs": [
            {"key": k, "label": label, "url": url + suffix, "active": k == active}
            for k, label, url in tabs
        ]
    }


def _window(dataset: DataSet, period: Period) -> dict[str, Any]:
    return {
        "opens_on": periods.opens_on(dataset, period),
        "deadline": periods.deadline(dataset, period),
        "lock_date": periods.lock_date(dataset, period),
    }


def _named(response: HttpResponse, filename: str) -> HttpResponse:
    """A download named in Chinese (RFC 6266 filename*), which a plain header cannot carry."""
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _recent(dataset: DataSet) -> list[Period]:
    return periods.recent(dataset, timezone.localdate(), 13)


@require_GET
@login_required
@answers_bad_input
def index(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    user = request.user
    if user.role == Role.ENTERPRISE_USER:
        dataset = selectors.default_dataset()
        if dataset is None:
            return bad_request(request, _("No monthly form is configured."))
        return redirect("stats:form", period=str(periods.current(dataset, timezone.localdate())))
    if user.role == Role.STREET_STAFF:
        return redirect("stats:review")
    if permissions.is_statistics(user):
        return redirect("stats:approvals")
    return redirect("stats:analysis")


# --- the monthly form --------------------------------------------------------------------------


def _form_enterprise(request: HttpRequest) -> Any:
    user = request.user
    if user.role == Role.ENTERPRISE_USER:
        return user.enterprise
    pk = request.GET.get("enterprise") or request.POST.get("enterprise")
    if not pk:
        raise PermissionDenied
    return enterprise_selectors.enterprise_get_for_user(user=user, pk=pk)


def _posted_values(request: HttpRequest, indicators: list[Indicator]) -> list[dict[str, Any]]:
    rows = []
    for indicator in indicators:
        code = indicator.code
        rows.append(
            {
                "indicator": code,
                **{
                    column: request.POST.get(f"{code}-{column}", "")
                    for column in ("month", "ytd", "base_month", "base_ytd", "base_reason")
                },
            }
        )
    return rows


def _form_rows(
    *,
    indicators: list[Indicator],
    submission: Submission | None,
    previous: Submission | None,
    basis: dict[str, tuple[Any, Any]],
    posted: list[dict[str, Any]] | None,
    errors: dict[str, list[str]],
) -> list[dict[str, Any]]:
    stored = {v.indicator.code: v for v in submission.values.all()} if submission else {}
    before = {v.indicator.code: v for v in previous.values.all()} if previous else {}
    given = {row["indicator"]: row for row in posted or []}
    violations = submission.violations if submission else []
    rows = []
    for indicator in indicators:
        code = indicator.code
        value = stored.get(code)
        if code in given:
            entered = given[code]
        else:
            entered = {
                column: ("" if getattr(value, column, None) is None else getattr(value, column))
                for column in ("month", "ytd", "base_month", "base_ytd")
            }
            entered["base_reason"] = getattr(value, "base_reason", "") if value else ""
            if value is None and code in basis:
                entered["base_month"], entered["base_ytd"] = (
                    "" if x is None else x for x in basis[code]
                )
        rows.append(
            {
                "indicator": indicator,
                "entered": entered,
                "previous": before.get(code),
                "basis": basis.get(code),
                "errors": [m for k, ms in errors.items() if k.startswith(f"{code}.") for m in ms],
                "violations": [
                    v for v in violations if code in v.get("indicators", [v["indicator"]])
                ],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@login_required
@answers_bad_input
def form(request: HttpRequest, period: str) -> HttpResponse:
    _require_open(request)
    try:
        dataset = _dataset(request)
        the_period = Period.parse(period)
    except (BadInput, ValidationError) as error:
        return bad_request(request, str(getattr(error, "messages", [error])[0]))
    enterprise = _form_enterprise(request)
    if not permissions.can_enter(request.user, enterprise) and request.method == "POST":
        raise PermissionDenied

    def stored(period: Period) -> Submission | None:
        return selectors.form_for_user(
            user=request.user, dataset=dataset, enterprise=enterprise, period=period
        )

    submission = stored(the_period)
    indicators = selectors.indicators(dataset)
    errors: dict[str, list[str]] = {}
    error_text = ""
    posted = None
    status = 200
    explanations = dict(submission.explanations) if submission else {}
    if request.method == "POST":
        posted = _posted_values(request, indicators)
        explanations = {
            key.removeprefix("explain-"): value
            for key, value in request.POST.items()
            if key.startswith("explain-")
        }
        action = request.POST.get("action", "save")
        try:
            submission = services.submission_save(
                by=request.user,
                dataset=dataset,
                enterprise=enterprise,
                period=the_period,
                values=posted,
            )
            if action == "submit":
                services.submission_submit(
                    by=request.user, submission=submission, explanations=explanations
                )
                messages.success(request, _("The form is submitted to the street."))
            else:
                messages.success(request, _("The draft is saved."))
            target = reverse("stats:form", args=[str(the_period)])
            if request.user.role != Role.ENTERPRISE_USER:
                target += f"?enterprise={enterprise.pk}"
            return redirect(target)
        except ValidationError as error:
            errors = getattr(error, "message_dict", {"": error.messages})
            error_text = "；".join(
                m
                for k, ms in errors.items()
                if "." not in k or k.startswith("explanations")
                for m in ms
            )
            status = 400
        except services.TransitionError as error:
            error_text = str(error)
            status = 409
        submission = stored(the_period)
    previous = stored(the_period.previous)
    basis = services.last_year_basis(dataset, enterprise, the_period)
    problem = services.entry_problem(dataset, the_period, enterprise.street)
    if not services.is_listed(dataset, enterprise, the_period):
        problem = _("%(name)s is not on the reporting list for %(period)s.") % {
            "name": enterprise.name,
            "period": the_period.label,
        }
    editable = (submission is None or submission.status in services.EDITABLE) and not problem
    soft_rules: dict[str, dict[str, Any]] = {}
    for v in submission.violations if submission else []:
        if v["importance"] == "soft":
            soft_rules.setdefault(v["rule"], {"rule": v["rule"], "name": v["name"], "items": []})
            soft_rules[v["rule"]]["items"].append(v)
    for rule in soft_rules.values():
        rule["explanation"] = explanations.get(rule["rule"], "")
        rule["errors"] = errors.get(f"explanations.{rule['rule']}", [])
    my_forms = {
        s.period: s
        for s in selectors.forms_for_user(
            user=request.user, dataset=dataset, period=_recent(dataset), enterprises=[enterprise]
        )
    }
    context = {
        "dataset": dataset,
        "period": the_period,
        "enterprise": enterprise,
        "submission": submission,
        "rows": _form_rows(
            indicators=indicators,
            submission=submission,
            previous=previous,
            basis=basis,
            posted=posted,
            errors=errors,
        ),
        "soft_rules": list(soft_rules.values()),
        "hard": [
            v for v in (submission.violations if submission else []) if v["importance"] == "hard"
        ],
        "editable": editable and permissions.can_enter(request.user, enterprise),
        "entry_problem": problem,
        "error_text": error_text,
        "recent": [(p, my_forms.get(str(p))) for p in _recent(dataset)],
        "on_behalf": request.user.role != Role.ENTERPRISE_USER,
        **_window(dataset, the_period),
        **_tabs(request, "form" if request.user.role == Role.ENTERPRISE_USER else "review"),
    }
    return render(request, "stats/form.html", context, status=status)


# --- review ------------------------------------------------------------------------------------


def _history(submission: Submission) -> list[AuditEvent]:
    events = list(
        AuditEvent.objects.filter(object_type="stats.submission", object_id=str(submission.pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")[:50]
    )
    for event in events:
        event.action_label = action_label(event.action)  # type: ignore[attr-defined]
    return events


def _detail(
    request: HttpRequest, submission: Submission, *, status: int = 200, error: str = ""
) -> HttpResponse:
    values = list(submission.values.select_related("indicator").order_by("indicator__sort_order"))
    for value in values:
        value.growth = (  # type: ignore[attr-defined]
            arithmetic.growth(value.ytd, value.base_ytd)
            if value.ytd is not None and value.base_ytd is not None
            else None
        )
    context = {
        "submission": submission,
        "period": Period.parse(submission.period),
        "values": values,
        "history": _history(submission),
        "can_review": permissions.can_review(request.user, submission.enterprise),
        "error": error,
        **_tabs(request, "review"),
    }
    return render(request, "stats/submission.html", context, status=status)


@require_GET
@login_required
@answers_bad_input
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_open(request)
    return _detail(request, selectors.submission_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
@answers_bad_input
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _require_open(request)
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    try:
        if action == "accept":
            services.submission_accept(by=request.user, submission=submission)
            messages.success(request, _("The form is accepted."))
        elif action == "return":
            services.submission_return(
                by=request.user, submission=submission, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The form is returned to the enterprise."))
        else:
            return bad_request(request, _("Unknown action."))
    except services.TransitionError as error:
        return _detail(
            request,
            selectors.submission_get_for_user(user=request.user, pk=pk),
            status=409,
            error=str(error),
        )
    except ValidationError as error:
        return _detail(
            request,
            selectors.submission_get_for_user(user=request.user, pk=pk),
            status=400,
            error="；".join(error.messages),
        )
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("stats:submission", pk=submission.pk)


def _street_for_review(request: HttpRequest) -> OrgUnit:
    user = request.user
    if user.role == Role.STREET_STAFF:
        return user.org_unit
    pk = request.GET.get("org_unit")
    if not pk:
        raise PermissionDenied
    unit = selectors.unit_get_for_user(user=user, pk=pk)
    if unit.level != Level.STREET:
        raise PermissionDenied
    return unit


@require_GET
@login_required
@answers_bad_input
def review(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period = _current(request)
    street = _street_for_review(request)
    expected = list(
        selectors.expected_enterprises(dataset=dataset, period=period, unit=street).order_by("name")
    )
    forms = {
        s.enterprise_id: s
        for s in selectors.forms_for_user(
            user=request.user, dataset=dataset, period=period, enterprises=expected
        )
    }
    status_filter = request.GET.get("status", "")
    rows = []
    for enterprise in expected:
        submission = forms.get(enterprise.pk)
        state = submission.status if submission else "missing"
        if status_filter and state != status_filter:
            continue
        rows.append({"enterprise": enterprise, "submission": submission, "state": state})
    counts = {
        "expected": len(expected),
        "missing": sum(1 for e in expected if e.pk not in forms),
        **{
            key: sum(1 for s in forms.values() if s.status == key)
            for key in ("draft", "submitted", "accepted", "returned")
        },
    }
    context = {
        "dataset": dataset,
        "period": period,
        "street": street,
        "rows": rows,
        "counts": counts,
        "status_filter": status_filter,
        "statuses": [("missing", _("Not started")), *SubmissionStatus.choices],
        "recent": _recent(dataset),
        "approved": services._street_approved(dataset, period, street.pk),
        "can_review": request.user.role == Role.STREET_STAFF,
        "deadline_end": selectors._deadline_end(dataset, period),
        **_window(dataset, period),
        **_tabs(request, "review", period),
    }
    return render(request, "stats/review.html", context)


@require_POST
@login_required
@answers_bad_input
def accept_all(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    if request.user.role != Role.STREET_STAFF:
        raise PermissionDenied
    dataset, period = _current(request, request.POST)
    try:
        count = services.accept_all(
            by=request.user, dataset=dataset, period=period, street=request.user.org_unit
        )
    except services.TransitionError as error:
        messages.error(request, str(error))
        return redirect(reverse("stats:review") + f"?period={period}")
    messages.success(request, _("%(count)d forms accepted.") % {"count": count})
    return redirect(reverse("stats:review") + f"?period={period}")


# --- approval ----------------------------------------------------------------------------------


def _district(request: HttpRequest) -> OrgUnit:
    unit = selectors.home_unit(user=request.user)
    district = selectors.district_of(unit) if unit else None
    if district is None:
        raise PermissionDenied
    return district


def _board(
    request: HttpRequest, dataset: DataSet, period: Period, *, status: int = 200, error: str = ""
) -> HttpResponse:
    district = _district(request)
    figures = selectors.completeness(dataset=dataset, period=period, unit=district)
    approvals = selectors.approvals(dataset=dataset, period=period)
    for row in figures.children:
        row.approval = approvals.get(row.unit.pk)  # type: ignore[attr-defined]
    context = {
        "dataset": dataset,
        "period": period,
        "district": district,
        "figures": figures,
        "district_approval": approvals.get(district.pk),
        "all_streets_approved": all(approvals.get(r.unit.pk) for r in figures.children),
        "can_approve": permissions.can_approve(request.user, district),
        "recent": _recent(dataset),
        "reopen_default": timezone.localdate() + dt.timedelta(days=7),
        "error": error,
        **_window(dataset, period),
        **_tabs(request, "approvals", period),
    }
    return render(request, "stats/approvals.html", context, status=status)


@require_GET
@login_required
@answers_bad_input
def approval_board(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    if request.user.role in (Role.ENTERPRISE_USER, Role.STREET_STAFF):
        raise PermissionDenied
    dataset, period = _current(request)
    return _board(request, dataset, period)


@require_POST
@login_required
@answers_bad_input
def approval_action(request: HttpRequest, unit: int) -> HttpResponse:
    _require_open(request)
    org_unit = selectors.unit_get_for_user(user=request.user, pk=unit)
    dataset, period = _current(request, request.POST)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approval_create(
                by=request.user, dataset=dataset, period=period, org_unit=org_unit
            )
            messages.success(request, _("%(unit)s approved.") % {"unit": org_unit.name})
        elif action == "unapprove":
            services.approval_delete(
                by=request.user, dataset=dataset, period=period, org_unit=org_unit
            )
            messages.success(request, _("Approval of %(unit)s undone.") % {"unit": org_unit.name})
        else:
            return bad_request(request, _("Unknown action."))
    except services.TransitionError as error:
        return _board(request, dataset, period, status=409, error=str(error))
    return redirect(reverse("stats:approvals") + f"?period={period}")


@require_POST
@login_required
@answers_bad_input
def reopen(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    dataset, period = _current(request, request.POST)
    org_unit = _unit(request, request.POST)
    if isinstance(org_unit, Zone):
        raise BadInput(_("Reopen entry for a street or the district."))
    try:
        until = dt.date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        return bad_request(request, _("Enter the date as YYYY-MM-DD."))
    try:
        services.reopen(
            by=request.user,
            dataset=dataset,
            period=period,
            org_unit=org_unit,
            until=until,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        return _board(request, dataset, period, status=400, error="；".join(error.messages))
    messages.success(
        request,
        _("Entry for %(period)s reopened for %(unit)s until %(day)s.")
        % {"period": period.label, "unit": org_unit.name, "day": until.isoformat()},
    )
    return redirect(reverse("stats:approvals") + f"?period={period}")


# --- completeness ------------------------------------------------------------------------------

COMPLETENESS_ROWS = 300  # rows of a completeness list shown; the count is of them all


@require_GET
@login_required
@answers_bad_input
def completeness(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period = _current(request)
    unit = _unit(request)
    which = request.GET.get("list") or "missing"
    if which not in selectors.COMPLETENESS_LISTS:
        raise BadInput(_("Choose the list: not yet submitted, expected, submitted or accepted."))
    figures = selectors.completeness(dataset=dataset, period=period, unit=unit)
    listed = selectors.completeness_enterprises(
        dataset=dataset, period=period, unit=unit, which=which
    )
    shown = list(listed[:COMPLETENESS_ROWS])
    context = {
        "dataset": dataset,
        "period": period,
        "unit": unit,
        "is_zone": isinstance(unit, Zone),
        "figures": figures,
        "which": which,
        "lists": [
            ("missing", _("Not yet submitted")),
            ("expected", _("Expected")),
            ("submitted", pgettext("stats", "Submitted")),
            ("accepted", pgettext("stats", "Accepted")),
        ],
        "listed_count": len(shown) if len(shown) < COMPLETENESS_ROWS else listed.count(),
        "missing": shown if which == "missing" else [],
        "shown": shown,
        "unit_query": _unit_query(unit),
        "recent": _recent(dataset),
        "can_remind": permissions.can_remind(request.user) and not isinstance(unit, Zone),
        "zones": enterprise_selectors.zones_for_user(user=request.user),
        "zone_keep": [("zone", unit.pk)] if isinstance(unit, Zone) else None,
        "parent": None
        if isinstance(unit, Zone) or unit.parent_id is None
        else selectors.units_for_user(user=request.user).filter(pk=unit.parent_id).first(),
        **_window(dataset, period),
        **_tabs(request, "completeness", period),
    }
    return render(request, "stats/completeness.html", context)


@require_POST
@login_required
@answers_bad_input
def remind(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    dataset, period = _current(request, request.POST)
    unit = _unit(request, request.POST)
    if isinstance(unit, Zone):
        return bad_request(request, _("Send reminders for a street or the district."))
    sent = services.remind(by=request.user, dataset=dataset, period=period, org_unit=unit)
    messages.success(request, _("Reminders sent to %(count)d enterprises.") % {"count": sent})
    return redirect(reverse("stats:completeness") + f"?period={period}&org_unit={unit.pk}")


# --- analysis ----------------------------------------------------------------------------------


def _analysis_params(request: HttpRequest) -> tuple[DataSet, Period, OrgUnit | Zone, Indicator]:
    dataset = _dataset(request)
    unit = _unit(request)
    latest = selectors.default_analysis_period(dataset=dataset, unit=unit) or periods.current(
        dataset, timezone.localdate()
    )
    period = _period(request, latest)
    code = request.GET.get("indicator") or "output"
    indicator = dataset.indicators.filter(code=code).first()
    if indicator is None:
        raise BadInput(_("“%(code)s” is not an indicator of this form.") % {"code": code[:30]})
    return dataset, period, unit, indicator


def _chart_number(value: Decimal | None, indicator: Indicator) -> float | None:
    if value is None:
        return None
    shown = value / TEN / 10000 if indicator.is_money else value  # 千元 → 亿元
    return float(round(shown, 4))


def _chart_rate(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))


def _unit_query(unit: OrgUnit | Zone) -> str:
    return f"zone={unit.pk}" if isinstance(unit, Zone) else f"org_unit={unit.pk}"


@require_GET
@login_required
@answers_bad_input
def analysis(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period, unit, indicator = _analysis_params(request)
    result = selectors.rollup(
        dataset=dataset, period=period, unit=unit, indicator=indicator, with_enterprises=True
    )
    series = selectors.trend(dataset=dataset, end=period, unit=unit, indicator=indicator)
    movers = [e for e in result["by_enterprise"] if e["contribution"] is not None][:15]
    children = result["children"]
    ranked = sorted((c for c in children if c["ytd_yoy"] is not None), key=lambda c: c["ytd_yoy"])
    chart = {
        "unit": _("100 million yuan") if indicator.is_money else indicator.unit,
        "periods": [s["label"] for s in series],
        "month": [_chart_number(s["month"], indicator) for s in series],
        "ytd": [_chart_number(s["ytd"], indicator) for s in series],
        "month_yoy": [_chart_rate(s["month_yoy"]) for s in series],
        "ytd_yoy": [_chart_rate(s["ytd_yoy"]) for s in series],
        "ranking": {
            "names": [c["name"] for c in ranked],
            "values": [_chart_rate(c["ytd_yoy"]) for c in ranked],
        },
        "contribution": {
            "names": [c["name"] for c in children if c["contribution"] is not None],
            "values": [
                float(round(c["contribution"], 2))
                for c in children
                if c["contribution"] is not None
            ],
        },
        "labels": {
            "month": _("This month"),
            "ytd": _("Year to date"),
            "month_yoy": _("Month year-on-year (%)"),
            "ytd_yoy": _("Year-to-date year-on-year (%)"),
            "contribution": _("Contribution (percentage points)"),
        },
    }
    context = {
        "approved": selectors.is_approved(dataset=dataset, period=period, unit=unit),
        "progress": selectors.completeness_counts(dataset=dataset, period=period, unit=unit),
        "big_unit": _("100 million yuan") if indicator.is_money else indicator.unit,
        "small_unit": _("10 thousand yuan") if indicator.is_money else indicator.unit,
        "dataset": dataset,
        "period": period,
        "unit": unit,
        "indicator": indicator,
        "indicators": selectors.indicators(dataset),
        "result": result,
        "children": children,
        "movers": movers,
        "chart_data": chart,
        "unit_query": _unit_query(unit),
        "zones": enterprise_selectors.zones_for_user(user=request.user),
        "units": selectors.units_for_user(user=request.user).order_by("path"),
        "recent": _recent(dataset),
        "is_zone": isinstance(unit, Zone),
        **_tabs(request, "analysis", period),
    }
    return render(request, "stats/analysis.html", context)


@require_GET
@login_required
@answers_bad_input
def rollup_export(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period, unit, indicator = _analysis_params(request)
    result = selectors.rollup(
        dataset=dataset, period=period, unit=unit, indicator=indicator, with_enterprises=True
    )
    content = sheets.rollup_workbook(
        title=unit.name,
        result=result,
        indicator=indicator,
        period=period,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{unit.name}-{indicator.name}-{period}-{stamp}.xlsx"
    return _named(xlsx_response(content, ""), name)


@require_GET
@login_required
@answers_bad_input
def brief(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period, unit, _indicator = _analysis_params(request)
    content = briefs.brief_document(dataset=dataset, period=period, unit=unit)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    from urllib.parse import quote

    name = quote(f"{unit.name}-经济运行简报-{period}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


# --- Excel form --------------------------------------------------------------------------------


@require_GET
@login_required
@answers_bad_input
def sheet_download(request: HttpRequest) -> HttpResponse:
    _require_official(request)
    dataset, period = _current(request)
    unit = _unit(request)
    enterprises = list(
        selectors.expected_enterprises(dataset=dataset, period=period, unit=unit)
        .select_related("street")
        .order_by("street__code", "name")
    )
    content = sheets.form_workbook(dataset=dataset, period=period, enterprises=enterprises)
    return _named(
        xlsx_response(content, "", stamped=False), f"{unit.name}-{dataset.name}-{period}.xlsx"
    )


@require_http_methods(["GET", "POST"])
@login_required
@answers_bad_input
def sheet_import(request: HttpRequest) -> HttpResponse:
    _require_open(request)
    if not permissions.can_import(request.user):
        raise PermissionDenied
    dataset, period = _current(request, request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {
        "dataset": dataset,
        "period": period,
        "recent": _recent(dataset),
        "street": request.user.org_unit,
        **_window(dataset, period),
        **_tabs(request, "import", period),
    }
    if request.method == "GET":
        return render(request, "stats/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["errors"] = [(0, _("Choose the Excel file to import."))]
        return render(request, "stats/import.html", context, status=400)
    try:
        result = sheets.import_workbook(
            by=request.user, dataset=dataset, period=period, data=upload.read()
        )
    except sheets.SheetError as error:
        context["errors"] = [(0, str(error))]
        return render(request, "stats/import.html", context, status=400)
    if result.errors:
        context["errors"] = result.errors
        return render(request, "stats/import.html", context, status=400)
    messages.success(
        request,
        _(
            "Imported: %(created)d new, %(updated)d updated, %(submitted)d submitted, "
            "%(skipped)d unchanged."
        )
        % {
            "created": result.created,
            "updated": result.updated,
            "submitted": result.submitted,
            "skipped": result.skipped,
        },
    )
    return redirect(reverse("stats:review") + f"?period={period}")
