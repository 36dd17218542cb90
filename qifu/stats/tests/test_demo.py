"""stats.demo.build: 26 approved months of the demo's above-scale industry and the current month
part-way, consistent with every hard rule, built once."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from qifu.audit.models import AuditEvent
from qifu.core import demo as core_demo
from qifu.core.models import OrgUnit
from qifu.enterprises import demo as enterprise_demo
from qifu.enterprises.models import Enterprise
from qifu.stats import demo, periods, selectors, services
from qifu.stats.models import Approval, DataSet, Indicator, Listing, Submission, Value
from qifu.stats.periods import Period

pytestmark = pytest.mark.django_db

NON_NEGATIVE_FLOWS = ("output", "sales", "export", "revenue", "cost", "electricity")
FLOWS = (*NON_NEGATIVE_FLOWS, "profit", "vat")


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The enterprise demo, the accounts and the monthly figures, built once for the module and
    rolled back after it."""
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        enterprise_demo.build()
        core_demo.build_accounts()
        result = demo.build()
        dataset = DataSet.objects.get(code=demo.DATASET)
        yield {
            "result": result,
            "dataset": dataset,
            "current": periods.current(dataset, timezone.localdate()),
            "district": OrgUnit.objects.get(code="370213"),
        }
        transaction.set_rollback(True)


def test_26_approved_months_come_before_the_current_one(built: dict[str, Any]) -> None:
    dataset, current, district = built["dataset"], built["current"], built["district"]
    history = [current.shift(-n) for n in range(demo.HISTORY, 0, -1)]

    found = set(Submission.objects.values_list("period", flat=True))
    assert found == {str(p) for p in [*history, current]}
    assert built["result"]["periods"] == demo.HISTORY + 1
    assert not Submission.objects.filter(period__lt=str(current)).exclude(status="accepted")
    streets = OrgUnit.objects.filter(parent=district).count()
    approvals = Counter(Approval.objects.values_list("period", flat=True))
    assert approvals == {str(p): streets + 1 for p in history}
    on_time = expected = 0
    for period in history:
        figures = selectors.completeness_counts(dataset=dataset, period=period, unit=district)
        assert figures["accepted"] == figures["expected"] > 100
        on_time += figures["on_time"]
        expected += figures["expected"]
    assert 0.9 < on_time / expected < 1  # most on time, a few late


def test_every_form_keeps_the_hard_rules(built: dict[str, Any]) -> None:
    assert not Submission.objects.filter(hard_violations__gt=0).exists()
    rows = {
        (enterprise, period, code): (month, ytd)
        for enterprise, period, code, month, ytd in Value.objects.values_list(
            "submission__enterprise_id", "submission__period", "indicator__code", "month", "ytd"
        )
    }
    assert len(rows) == built["result"]["values"] == 9 * built["result"]["submissions"]
    for (enterprise, period, code), (month, ytd) in rows.items():
        assert month is not None and ytd is not None
        here = Period.parse(period)
        if code in FLOWS:
            before = rows.get((enterprise, str(here.previous), code))
            if here.month == 1:
                assert ytd == month
            elif before is not None:
                assert ytd == before[1] + month, (enterprise, period, code)
        if code in (*NON_NEGATIVE_FLOWS, "employees"):
            assert month >= 0
        if code in NON_NEGATIVE_FLOWS:
            assert ytd >= month
        if code == "export":
            assert ytd <= rows[(enterprise, period, "sales")][1]


def test_the_stored_violations_are_what_the_rules_find(built: dict[str, Any]) -> None:
    forms = Submission.objects.select_related("dataset", "enterprise").order_by("pk")
    sample = [
        form
        for index, form in enumerate(forms)
        if index % 40 == 0 or form.violations or form.period == str(built["current"])
    ]
    assert len(sample) > 150
    for form in sample:
        found = services.evaluate_rules(form)
        assert form.violations == found, (form.enterprise.name, form.period)
        hard = sum(1 for v in found if v["importance"] == "hard")
        assert (form.hard_violations, form.soft_violations) == (hard, len(found) - hard)


def test_a_few_forms_break_soft_rules_and_explain_why(built: dict[str, Any]) -> None:
    unusual = Submission.objects.filter(soft_violations__gt=0)

    assert 5 <= unusual.count() <= 10
    assert unusual.count() == built["result"]["with_soft_violations"]
    rules = Counter(v["rule"] for form in unusual for v in form.violations)
    assert {"yoy-within-30", "sales-ratio-low", "sales-ratio-high"} <= set(rules)
    assert "electricity-with-output" in rules
    for form in unusual.exclude(status="draft"):
        codes = {v["rule"] for v in form.violations}
        assert set(form.explanations) == codes
        assert all(len(text) > 10 for text in form.explanations.values())
        # each event is explained in its own words, not by a generic sentence
        assert not set(form.explanations.values()) & set(demo.DEFAULT_EXPLANATIONS.values())


def test_last_year_is_filled_from_last_year_and_revised_with_a_reason(
    built: dict[str, Any],
) -> None:
    values = {
        (enterprise, period, indicator): rest
        for enterprise, period, indicator, *rest in Value.objects.values_list(
            "submission__enterprise_id",
            "submission__period",
            "indicator_id",
            "month",
            "ytd",
            "base_month",
            "base_ytd",
            "base_reason",
        )
    }
    revised = set()
    for (enterprise, period, indicator), (_m, _y, base_month, base_ytd, reason) in values.items():
        source = values.get((enterprise, str(Period.parse(period).last_year), indicator))
        if source is None:
            assert base_month is None and base_ytd is None
        elif reason:
            revised.add((enterprise, period))
            assert "兼并重组" in reason
            assert (base_month, base_ytd) != (source[0], source[1])
        else:
            assert (base_month, base_ytd) == (source[0], source[1])
    assert 2 <= len(revised) <= 3
    assert len({enterprise for enterprise, _period in revised}) == 1


def test_the_list_changes_so_comparable_and_naive_growth_differ(built: dict[str, Any]) -> None:
    dataset, current, district = built["dataset"], built["current"], built["district"]
    first = current.shift(-demo.HISTORY)

    entrants = Listing.objects.filter(until="").exclude(since=str(first))
    assert 3 <= entrants.count() <= 5
    assert all(current.shift(-14) <= Period.parse(row.since) < current for row in entrants)
    leavers = Listing.objects.exclude(until="")
    assert 2 <= leavers.count() <= 3
    assert all(
        current.shift(-10) <= Period.parse(row.until) <= current.shift(-3) for row in leavers
    )
    # the registry agrees with the list: syncing it changes nothing
    assert services.listing_sync(dataset=dataset, period=current) == {"joined": 0, "left": 0}

    latest = selectors.latest_approved_period(dataset=dataset, district=district)
    assert latest is not None and latest == current.previous
    output = Indicator.objects.get(code="output")
    figures = selectors.rollup(dataset=dataset, period=latest, unit=district, indicator=output)
    assert figures["ytd_yoy"] is not None and figures["naive_ytd_yoy"] is not None
    assert figures["ytd_yoy"] != figures["naive_ytd_yoy"]
    assert Decimal(-15) < figures["ytd_yoy"] < Decimal(15)


def test_the_figures_look_like_a_district_of_industry(built: dict[str, Any]) -> None:
    months: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for period, code, total in _totals(built["dataset"]):
        months[period][code] = total
    for period, sums in months.items():
        assert Decimal("0.85") < sums["sales"] / sums["output"] < Decimal("1.05")
        assert sums["export"] < sums["sales"]
        assert sums["cost"] < sums["revenue"]
        january = months.get(str(Period.parse(period).previous))
        if Period.parse(period).month == 2 and january:  # the Spring Festival
            assert sums["output"] < january["output"]
    outputs = Value.objects.filter(indicator__code="output")
    assert outputs.filter(month__lt=1000).count() <= 1  # a stoppage month at most
    assert outputs.filter(month__gt=300_000).exists()
    assert Value.objects.filter(indicator__code="profit", month__lt=0).exists()
    assert Value.objects.filter(indicator__code="export", ytd=0).exists()


def _totals(dataset: DataSet) -> list[tuple[str, str, Decimal]]:
    rows = (
        Value.objects.filter(submission__dataset=dataset, submission__status="accepted")
        .values_list("submission__period", "indicator__code")
        .annotate(total=Sum("month"))
    )
    return [(period, code, total) for period, code, total in rows]


def test_the_current_period_has_gaps_and_licun_waits_only_for_tianlu(
    built: dict[str, Any],
) -> None:
    dataset, current, district = built["dataset"], built["current"], built["district"]
    licun = OrgUnit.objects.get(code=demo.JOURNEY_STREET)
    tianlu = Enterprise.objects.get(name=demo.JOURNEY_ENTERPRISE)

    figures = selectors.completeness_counts(dataset=dataset, period=current, unit=district)
    assert figures["accepted"] < figures["submitted"] < figures["expected"]
    assert figures["submitted"] / figures["expected"] > Decimal("0.6")
    statuses = Counter(
        Submission.objects.filter(period=str(current)).values_list("status", flat=True)
    )
    assert set(statuses) == {"draft", "submitted", "accepted", "returned"}
    returned = Submission.objects.filter(period=str(current), status="returned")
    assert all(form.return_reason for form in returned)
    assert not Approval.objects.filter(period=str(current)).exists()

    street = selectors.completeness_counts(dataset=dataset, period=current, unit=licun)
    assert street["accepted"] == street["expected"] - 1
    assert not Submission.objects.filter(enterprise=tianlu, period=str(current)).exists()
    # the form of 天路集团 starts from last year's approved figures
    assert services.last_year_basis(dataset, tianlu, current)["output"][0] is not None


def test_a_second_build_adds_nothing(built: dict[str, Any]) -> None:
    events = AuditEvent.objects.count()

    again = demo.build()

    assert again == {**built["result"], "created": 0}
    assert built["result"]["created"] == built["result"]["submissions"] > 3000
    assert AuditEvent.objects.count() == events
