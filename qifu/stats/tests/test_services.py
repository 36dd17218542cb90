"""The life of a monthly form: entry, the rules, review by the street, approval, the entry window,
and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.accounts.models import Role
from qifu.accounts.tests.factories import UserFactory
from qifu.audit.models import AuditEvent
from qifu.core.models import Level, OrgUnit
from qifu.enterprises.models import Enterprise
from qifu.notices.models import Notification
from qifu.stats import periods, services
from qifu.stats.models import Approval, Reopening, Submission, ValidationRule, Value
from qifu.stats.services import TransitionError
from qifu.stats.tests.conftest import (
    PERIOD,
    TODAY,
    VALID,
    approve,
    enterprise,
    entries,
    form,
    list_on,
    valid_figures,
)

pytestmark = pytest.mark.django_db

LAST_YEAR = PERIOD.last_year


@pytest.fixture
def listed(dataset, tianlu, clock):
    list_on(dataset, tianlu)
    return dataset


def save(by, dataset, one, values, period=PERIOD):
    return services.submission_save(
        by=by, dataset=dataset, enterprise=one, period=period, values=values
    )


def submitted(by, dataset, one, values=None, explanations=None, period=PERIOD):
    submission = save(by, dataset, one, entries() if values is None else values, period)
    return services.submission_submit(by=by, submission=submission, explanations=explanations)


def column(submission, code, name):
    return getattr(Value.objects.get(submission=submission, indicator__code=code), name)


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def rules_broken(submission):
    return {(v["rule"], v["indicator"]) for v in services.evaluate_rules(submission)}


# --- saving a draft ----------------------------------------------------------------------------


def test_a_draft_has_a_value_for_every_indicator_of_the_form(listed, enterprise_user, tianlu):
    submission = save(
        enterprise_user, listed, tianlu, [{"indicator": "output", "month": "1000", "ytd": "3000"}]
    )

    assert submission.status == "draft"
    assert submission.period == "202603"
    assert submission.values.count() == listed.indicators.count() == 9
    assert column(submission, "output", "month") == Decimal("1000.00")
    assert column(submission, "sales", "month") is None
    assert actions()[-1] == "stats.submission_create"


def test_a_draft_is_saved_again_as_an_update(listed, enterprise_user, tianlu):
    first = save(enterprise_user, listed, tianlu, entries())
    again = save(enterprise_user, listed, tianlu, entries(output={"month": "1001"}))

    assert again.pk == first.pk
    assert Submission.objects.count() == 1
    assert column(again, "output", "month") == Decimal("1001.00")
    event = AuditEvent.objects.filter(action="stats.submission_update").get()
    assert event.changes == {"output.month": ["1000.00", "1001.00"]}
    assert event.actor == enterprise_user


def test_the_street_clerk_enters_a_paper_form_on_behalf_of_the_enterprise(
    listed, licun_clerk, tianlu
):
    submission = save(licun_clerk, listed, tianlu, entries())

    assert submission.values.count() == 9


@pytest.mark.parametrize("who", ["ruifeng_user", "loushan_clerk", "leader", "tjj"])
def test_others_may_not_enter_figures(request, listed, tianlu, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        save(user, listed, tianlu, entries())
    assert not Submission.objects.exists()


def test_an_enterprise_not_on_the_list_cannot_report(dataset, clock, ruifeng, ruifeng_user):
    with pytest.raises(ValidationError) as caught:
        save(ruifeng_user, dataset, ruifeng, entries())

    assert "enterprise" in caught.value.message_dict
    assert not Submission.objects.exists()


def test_an_enterprise_that_left_the_list_cannot_report_later_periods(
    dataset, clock, tianlu, enterprise_user
):
    list_on(dataset, tianlu, since="202401", until="202602")

    with pytest.raises(ValidationError):
        save(enterprise_user, dataset, tianlu, entries())


def test_numbers_are_read_with_thousands_separators_and_blanks_as_empty(
    listed, enterprise_user, tianlu
):
    submission = save(
        enterprise_user,
        listed,
        tianlu,
        [{"indicator": "output", "month": "1,234.5", "ytd": " ", "base_month": 7}],
    )

    assert column(submission, "output", "month") == Decimal("1234.50")
    assert column(submission, "output", "ytd") is None
    assert column(submission, "output", "base_month") == Decimal("7.00")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("abc", "not a number"),
        ("12,3a", "not a number"),
        ("1.234", "two decimal places"),
        ("0.001", "two decimal places"),
        ("10000000000000", "too large"),
        ("-1e13", "too large"),
        ("NaN", "number"),
        ("Infinity", "number"),
        (True, "number"),
    ],
)
def test_a_bad_number_is_refused_and_nothing_is_saved(
    listed, enterprise_user, tianlu, english, raw, words
):
    with pytest.raises(ValidationError) as caught:
        save(enterprise_user, listed, tianlu, entries(sales={"ytd": raw}))

    errors = caught.value.message_dict
    assert list(errors) == ["sales.ytd"]
    assert words in errors["sales.ytd"][0]
    assert not Submission.objects.exists()
    assert not Value.objects.exists()


def test_a_bad_number_leaves_an_existing_draft_as_it_was(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries())

    with pytest.raises(ValidationError):
        save(enterprise_user, listed, tianlu, entries(output={"month": "999"}, sales={"ytd": "x"}))

    assert column(draft, "output", "month") == Decimal("1000.00")
    assert actions().count("stats.submission_update") == 0


def test_an_unknown_indicator_is_refused(listed, enterprise_user, tianlu):
    with pytest.raises(ValidationError) as caught:
        save(enterprise_user, listed, tianlu, [*entries(), {"indicator": "gdp", "month": "1"}])

    assert list(caught.value.message_dict) == ["values[9].indicator"]
    assert "gdp" in caught.value.message_dict["values[9].indicator"][0]
    assert not Submission.objects.exists()


def test_an_indicator_given_twice_is_refused(listed, enterprise_user, tianlu):
    values = [
        {"indicator": "output", "month": "1", "ytd": "1"},
        {"indicator": "output", "month": "2", "ytd": "2"},
    ]

    with pytest.raises(ValidationError) as caught:
        save(enterprise_user, listed, tianlu, values)

    assert list(caught.value.message_dict) == ["values[1].indicator"]
    assert "工业总产值" in caught.value.message_dict["values[1].indicator"][0]
    assert not Submission.objects.exists()


# --- last year's figures -----------------------------------------------------------------------


@pytest.fixture
def approved_last_year(listed, tianlu, licun, tjj):
    """Last year's March form of 天路集团, accepted and approved with its street."""
    figures = {code: (m * 9 / 10, y * 9 / 10) for code, (m, y) in VALID.items()}
    form(listed, tianlu, LAST_YEAR, figures)
    approve(listed, LAST_YEAR, licun, tjj)
    return figures


def test_last_year_is_filled_from_the_approved_accepted_form(
    approved_last_year, listed, enterprise_user, tianlu
):
    submission = save(enterprise_user, listed, tianlu, entries())

    for code, (month, ytd) in approved_last_year.items():
        assert column(submission, code, "base_month") == Decimal(str(month))
        assert column(submission, code, "base_ytd") == Decimal(str(ytd))
        assert column(submission, code, "base_reason") == ""


def test_last_year_is_filled_also_for_indicators_left_out_of_the_entry(
    approved_last_year, listed, enterprise_user, tianlu
):
    submission = save(enterprise_user, listed, tianlu, [{"indicator": "output", "month": "1"}])

    assert column(submission, "electricity", "base_ytd") == Decimal("81.00")


def test_last_year_follows_an_enterprise_that_moved_street_once_the_district_approved(
    listed, enterprise_user, tianlu, licun, loushan, district, tjj
):
    figures = {code: (m * 9 / 10, y * 9 / 10) for code, (m, y) in VALID.items()}
    form(listed, tianlu, LAST_YEAR, figures)
    approve(listed, LAST_YEAR, licun, tjj)
    approve(listed, LAST_YEAR, district, tjj)
    Enterprise.objects.filter(pk=tianlu.pk).update(street=loushan)  # moved after last year
    tianlu.refresh_from_db()

    assert services.last_year_basis(listed, tianlu, PERIOD)["output"] == (
        Decimal("900.00"),
        Decimal("2700.00"),
    )


def test_last_year_from_a_form_accepted_but_not_approved_is_not_used(
    listed, enterprise_user, tianlu
):
    form(listed, tianlu, LAST_YEAR, valid_figures())

    submission = save(enterprise_user, listed, tianlu, entries())

    assert column(submission, "output", "base_ytd") is None


def test_last_year_from_a_form_not_accepted_is_not_used(
    listed, enterprise_user, tianlu, licun, tjj
):
    form(listed, tianlu, LAST_YEAR, valid_figures(), status="returned")
    approve(listed, LAST_YEAR, licun, tjj)

    submission = save(enterprise_user, listed, tianlu, entries())

    assert column(submission, "output", "base_ytd") is None


def test_a_revised_last_year_figure_needs_a_reason(
    approved_last_year, listed, enterprise_user, tianlu
):
    with pytest.raises(ValidationError) as caught:
        save(enterprise_user, listed, tianlu, entries(output={"base_ytd": "2800"}))

    assert list(caught.value.message_dict) == ["output.base_reason"]
    assert "工业总产值" in caught.value.message_dict["output.base_reason"][0]
    assert not Submission.objects.filter(period="202603").exists()


def test_a_revised_last_year_figure_is_kept_with_its_reason(
    approved_last_year, listed, enterprise_user, tianlu
):
    submission = save(
        enterprise_user,
        listed,
        tianlu,
        entries(output={"base_ytd": "2800", "base_reason": "上年数据经统计局核定调整"}),
    )

    assert column(submission, "output", "base_ytd") == Decimal("2800.00")
    assert column(submission, "output", "base_month") == Decimal("900.00")
    assert column(submission, "output", "base_reason") == "上年数据经统计局核定调整"


def test_last_year_equal_to_the_approved_figure_needs_no_reason(
    approved_last_year, listed, enterprise_user, tianlu
):
    submission = save(
        enterprise_user, listed, tianlu, entries(output={"base_ytd": "2700", "base_reason": "x"})
    )

    assert column(submission, "output", "base_ytd") == Decimal("2700.00")
    assert column(submission, "output", "base_reason") == ""


def test_without_approved_figures_last_year_is_entered_freely(listed, enterprise_user, tianlu):
    submission = save(enterprise_user, listed, tianlu, entries(output={"base_ytd": "2600"}))

    assert column(submission, "output", "base_ytd") == Decimal("2600.00")


# --- submitting --------------------------------------------------------------------------------


def test_a_complete_form_is_submitted_and_the_street_is_told(
    listed, enterprise_user, tianlu, licun_clerk, loushan_clerk
):
    submission = submitted(enterprise_user, listed, tianlu)

    assert submission.status == "submitted"
    assert submission.submitted_by == enterprise_user
    assert submission.first_submitted_at == submission.submitted_at is not None
    assert submission.violations == []
    assert (submission.hard_violations, submission.soft_violations) == (0, 0)
    assert actions()[-2:] == ["stats.submission_create", "stats.submission_submit"]
    note = Notification.objects.get(user=licun_clerk)
    assert "天路集团" in note.title
    assert note.url.endswith(f"/submissions/{submission.pk}/")
    assert not Notification.objects.filter(user=loushan_clerk).exists()


def test_a_form_with_missing_values_is_not_submitted(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(electricity={"month": ""}))

    with pytest.raises(ValidationError) as caught:
        services.submission_submit(by=enterprise_user, submission=draft)

    assert "用电量" in caught.value.message_dict["values"][0]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_hard_violation_blocks_with_the_rules_instruction(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(export={"ytd": "2900"}))

    with pytest.raises(ValidationError) as caught:
        services.submission_submit(by=enterprise_user, submission=draft)

    rule = ValidationRule.objects.get(code="export-within-sales")
    assert any(rule.instruction in m for m in caught.value.message_dict["values"])
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_hard_violation_is_not_excused_by_an_explanation(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(export={"ytd": "2900"}))

    with pytest.raises(ValidationError):
        services.submission_submit(
            by=enterprise_user, submission=draft, explanations={"export-within-sales": "确实如此"}
        )


def test_a_soft_violation_needs_an_explanation_keyed_by_rule(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "2000"}))

    with pytest.raises(ValidationError) as caught:
        services.submission_submit(by=enterprise_user, submission=draft)
    assert list(caught.value.message_dict) == ["explanations.sales-ratio-low"]

    with pytest.raises(ValidationError):
        services.submission_submit(
            by=enterprise_user, submission=draft, explanations={"sales-ratio-low": " "}
        )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_explanation_is_stored_with_the_form(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "2000"}))

    done = services.submission_submit(
        by=enterprise_user,
        submission=draft,
        explanations={"sales-ratio-low": "  库存增加，销售滞后  ", "no-negative": "无关"},
    )

    done.refresh_from_db()
    assert done.status == "submitted"
    assert done.explanations == {"sales-ratio-low": "库存增加，销售滞后"}
    assert done.soft_violations == 1
    assert done.violations[0]["rule"] == "sales-ratio-low"
    event = AuditEvent.objects.get(action="stats.submission_submit")
    assert event.changes == {"explanations": {"sales-ratio-low": "库存增加，销售滞后"}}


def test_a_form_cannot_be_submitted_twice(listed, enterprise_user, tianlu):
    done = submitted(enterprise_user, listed, tianlu)

    with pytest.raises(TransitionError):
        services.submission_submit(by=enterprise_user, submission=done)


def test_a_submitted_form_cannot_be_changed(listed, enterprise_user, tianlu):
    done = submitted(enterprise_user, listed, tianlu)

    with pytest.raises(TransitionError):
        save(enterprise_user, listed, tianlu, entries(output={"month": "5"}))

    assert column(done, "output", "month") == Decimal("1000.00")


def test_another_enterprise_cannot_submit_the_form(listed, enterprise_user, ruifeng_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries())

    with pytest.raises(PermissionDenied):
        services.submission_submit(by=ruifeng_user, submission=draft)


# --- review by the street ----------------------------------------------------------------------


def test_the_street_clerk_accepts(listed, enterprise_user, licun_clerk, tianlu):
    done = submitted(enterprise_user, listed, tianlu)

    accepted = services.submission_accept(by=licun_clerk, submission=done)

    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert accepted.reviewed_by == licun_clerk
    assert accepted.reviewed_at is not None
    assert actions()[-1] == "stats.submission_accept"


@pytest.mark.parametrize("who", ["loushan_clerk", "enterprise_user", "tjj", "leader", "outsider"])
def test_only_the_clerk_of_the_street_reviews(request, listed, enterprise_user, tianlu, who):
    done = submitted(enterprise_user, listed, tianlu)
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.submission_accept(by=user, submission=done)
    with pytest.raises(PermissionDenied):
        services.submission_return(by=user, submission=done, reason="数据有误")

    done.refresh_from_db()
    assert done.status == "submitted"


def test_a_draft_cannot_be_accepted_or_returned(listed, enterprise_user, licun_clerk, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries())

    with pytest.raises(TransitionError):
        services.submission_accept(by=licun_clerk, submission=draft)
    with pytest.raises(TransitionError):
        services.submission_return(by=licun_clerk, submission=draft, reason="数据有误")


def test_a_form_cannot_be_accepted_twice(listed, enterprise_user, licun_clerk, tianlu):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)

    with pytest.raises(TransitionError):
        services.submission_accept(by=licun_clerk, submission=done)


def test_a_return_needs_a_reason(listed, enterprise_user, licun_clerk, tianlu):
    done = submitted(enterprise_user, listed, tianlu)

    with pytest.raises(ValidationError) as caught:
        services.submission_return(by=licun_clerk, submission=done, reason="  ")

    assert "reason" in caught.value.message_dict
    done.refresh_from_db()
    assert done.status == "submitted"


def test_a_returned_form_tells_the_enterprise_why(listed, enterprise_user, licun_clerk, tianlu):
    done = submitted(enterprise_user, listed, tianlu)

    returned = services.submission_return(by=licun_clerk, submission=done, reason="用电量偏低")

    returned.refresh_from_db()
    assert returned.status == "returned"
    assert returned.return_reason == "用电量偏低"
    note = Notification.objects.get(user=enterprise_user)
    assert note.body == "用电量偏低"
    event = AuditEvent.objects.get(action="stats.submission_return")
    assert event.changes == {"reason": "用电量偏低"}


def test_an_accepted_form_can_still_be_returned(listed, enterprise_user, licun_clerk, tianlu):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)

    returned = services.submission_return(by=licun_clerk, submission=done, reason="复核有误")

    assert returned.status == "returned"


def test_a_returned_form_is_corrected_and_submitted_again(
    listed, enterprise_user, licun_clerk, tianlu
):
    done = submitted(enterprise_user, listed, tianlu)
    first_time = done.first_submitted_at
    services.submission_return(by=licun_clerk, submission=done, reason="本月产值有误")

    save(enterprise_user, listed, tianlu, entries(output={"month": "1100", "ytd": "3100"}))
    again = services.submission_submit(by=enterprise_user, submission=done)

    again.refresh_from_db()
    assert again.status == "submitted"
    assert again.return_reason == ""
    assert again.first_submitted_at == first_time
    assert again.submitted_at >= first_time
    assert column(again, "output", "month") == Decimal("1100.00")


def test_every_change_after_submission_keeps_the_old_value_in_the_audit_trail(
    approved_last_year, listed, enterprise_user, licun_clerk, tianlu
):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)
    services.submission_return(by=licun_clerk, submission=done, reason="核对")

    save(
        enterprise_user,
        listed,
        tianlu,
        entries(
            output={"month": "1100", "ytd": "3100"},
            profit={"base_month": "40", "base_reason": "上年利润经审计调整"},
        ),
    )

    event = AuditEvent.objects.filter(action="stats.submission_update").get()
    assert event.changes == {
        "output.month": ["1000.00", "1100.00"],
        "output.ytd": ["3000.00", "3100.00"],
        "profit.base_month": ["45.00", "40.00"],
        "profit.base_reason": ["", "上年利润经审计调整"],
    }
    assert event.object_id == str(done.pk)
    assert event.actor == enterprise_user


def test_accept_all_accepts_the_submitted_forms_of_the_street(
    listed, enterprise_user, licun, licun_clerk, tianlu
):
    other = enterprise(licun)
    list_on(listed, other)
    submitted(enterprise_user, listed, tianlu)
    draft = save(licun_clerk, listed, other, entries())

    count = services.accept_all(by=licun_clerk, dataset=listed, period="202603", street=licun)

    assert count == 1
    assert Submission.objects.get(enterprise=tianlu).status == "accepted"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_accept_all_is_refused_to_the_clerk_of_another_street(
    listed, enterprise_user, licun, loushan_clerk, tianlu
):
    submitted(enterprise_user, listed, tianlu)

    with pytest.raises(PermissionDenied):
        services.accept_all(by=loushan_clerk, dataset=listed, period=PERIOD, street=licun)
    assert Submission.objects.get(enterprise=tianlu).status == "submitted"


# --- the rules, one by one ---------------------------------------------------------------------


@pytest.fixture
def rule_off():
    def switch(code):
        ValidationRule.objects.filter(code=code).update(is_active=False)

    return switch


def test_a_valid_form_breaks_no_rule(listed, enterprise_user, tianlu):
    assert rules_broken(save(enterprise_user, listed, tianlu, entries())) == set()


def test_ytd_continuity_with_last_months_form(listed, enterprise_user, tianlu, rule_off):
    previous = {code: (month, ytd - month) for code, (month, ytd) in VALID.items()}
    form(listed, tianlu, PERIOD.previous, previous, status="draft")
    assert rules_broken(save(enterprise_user, listed, tianlu, entries())) == set()

    broken = save(enterprise_user, listed, tianlu, entries(output={"ytd": "3100"}))

    assert rules_broken(broken) == {("ytd-continuity", "output")}
    rule_off("ytd-continuity")
    assert rules_broken(broken) == set()


def test_ytd_continuity_is_not_checked_without_last_months_form(listed, enterprise_user, tianlu):
    assert rules_broken(save(enterprise_user, listed, tianlu, entries(output={"ytd": "3100"}))) == (
        set()
    )


def test_ytd_continuity_in_january_wants_the_month_to_equal_the_ytd(
    dataset, tianlu, enterprise_user, clock, rule_off
):
    list_on(dataset, tianlu)
    clock.set(dt.date(2026, 1, 25))
    january = {code: {"ytd": str(month)} for code, (month, _ytd) in VALID.items()}
    # December's 1–12 month figures do not count: a new year starts
    form(dataset, tianlu, "202512", {"output": (1000, 12000)})
    assert rules_broken(save(enterprise_user, dataset, tianlu, entries(**january), "202601")) == (
        set()
    )

    january["sales"] = {"ytd": "951"}
    broken = save(enterprise_user, dataset, tianlu, entries(**january), "202601")

    assert rules_broken(broken) == {("ytd-continuity", "sales")}
    rule_off("ytd-continuity")
    assert rules_broken(broken) == set()


def test_ytd_not_below_month(listed, enterprise_user, tianlu, rule_off):
    broken = save(enterprise_user, listed, tianlu, entries(cost={"month": "2800"}))

    assert rules_broken(broken) == {("ytd-not-below-month", "cost")}
    with pytest.raises(ValidationError):
        services.submission_submit(by=enterprise_user, submission=broken)
    rule_off("ytd-not-below-month")
    assert rules_broken(broken) == set()


def test_ytd_below_month_is_allowed_for_profit(listed, enterprise_user, tianlu):
    # a loss this month after profits earlier, or the reverse: profit may do anything
    submission = save(enterprise_user, listed, tianlu, entries(profit={"month": "200"}))

    assert rules_broken(submission) == set()


def test_export_within_sales(listed, enterprise_user, tianlu, rule_off):
    broken = save(enterprise_user, listed, tianlu, entries(export={"ytd": "2851"}))

    assert rules_broken(broken) == {("export-within-sales", "")}
    assert save(enterprise_user, listed, tianlu, entries(export={"ytd": "2850"})).violations == []
    broken = save(enterprise_user, listed, tianlu, entries(export={"ytd": "2851"}))
    rule_off("export-within-sales")
    assert rules_broken(broken) == set()


def test_no_negative(listed, enterprise_user, tianlu, rule_off):
    broken = save(
        enterprise_user, listed, tianlu, entries(output={"month": "-10"}, employees={"month": "-1"})
    )

    assert rules_broken(broken) == {("no-negative", "output"), ("no-negative", "employees")}
    assert broken.hard_violations == 2
    rule_off("no-negative")
    assert rules_broken(broken) == set()


def test_profit_and_vat_may_be_negative(listed, enterprise_user, tianlu):
    submission = save(
        enterprise_user,
        listed,
        tianlu,
        entries(profit={"month": "-50", "ytd": "-150"}, vat={"month": "-20", "ytd": "-60"}),
    )

    assert rules_broken(submission) == set()


def test_sales_ratio_low(listed, enterprise_user, tianlu, rule_off):
    broken = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "2399"}))

    assert rules_broken(broken) == {("sales-ratio-low", "")}
    assert (broken.hard_violations, broken.soft_violations) == (0, 1)
    assert rules_broken(save(enterprise_user, listed, tianlu, entries(sales={"ytd": "2400"}))) == (
        set()
    )
    broken = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "2399"}))
    rule_off("sales-ratio-low")
    assert rules_broken(broken) == set()


def test_sales_ratio_high(listed, enterprise_user, tianlu, rule_off):
    broken = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "3601"}))

    assert rules_broken(broken) == {("sales-ratio-high", "")}
    assert broken.soft_violations == 1
    assert rules_broken(save(enterprise_user, listed, tianlu, entries(sales={"ytd": "3600"}))) == (
        set()
    )
    broken = save(enterprise_user, listed, tianlu, entries(sales={"ytd": "3601"}))
    rule_off("sales-ratio-high")
    assert rules_broken(broken) == set()


def test_yoy_within_30_percent(listed, enterprise_user, tianlu, rule_off):
    broken = save(
        enterprise_user,
        listed,
        tianlu,
        entries(
            output={"base_ytd": "2300"},  # +30.4 %
            revenue={"base_ytd": "5000"},  # −34 %
            cost={"base_ytd": "2077"},  # +30.0 %: within
            profit={"base_ytd": "50"},  # profit may swing: not checked
            vat={"base_ytd": "10"},
            export={"base_ytd": "0"},  # no base: not checked
        ),
    )

    assert rules_broken(broken) == {("yoy-within-30", "output"), ("yoy-within-30", "revenue")}
    assert broken.soft_violations == 2
    rule_off("yoy-within-30")
    assert rules_broken(broken) == set()


def test_electricity_with_output(listed, enterprise_user, tianlu, rule_off):
    broken = save(enterprise_user, listed, tianlu, entries(electricity={"month": "0"}))

    assert rules_broken(broken) == {("electricity-with-output", "")}
    idle = entries(output={"month": "0"}, sales={"month": "0"}, electricity={"month": "0"})
    assert rules_broken(save(enterprise_user, listed, tianlu, idle)) == set()
    broken = save(enterprise_user, listed, tianlu, entries(electricity={"month": "0"}))
    rule_off("electricity-with-output")
    assert rules_broken(broken) == set()


def test_violations_are_stored_on_the_draft(listed, enterprise_user, tianlu):
    draft = save(enterprise_user, listed, tianlu, entries(export={"ytd": "2900"}))

    draft.refresh_from_db()
    assert draft.hard_violations == 1
    found = draft.violations[0]
    assert found["rule"] == "export-within-sales"
    assert found["importance"] == "hard"
    assert found["left"] == "2900.0000"
    assert found["right"] == "2850.0000"


# --- approvals ---------------------------------------------------------------------------------


@pytest.fixture
def streets(district):
    return list(OrgUnit.objects.filter(parent=district, level=Level.STREET).order_by("code"))


def test_the_demo_district_has_eleven_streets(streets):
    assert len(streets) == 11


def test_a_street_is_approved_once_every_listed_form_is_accepted(
    listed, enterprise_user, licun, licun_clerk, tianlu, tjj
):
    other = enterprise(licun)
    list_on(listed, other)
    submission = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=submission)

    with pytest.raises(TransitionError) as caught:
        services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)
    assert "1" in str(caught.value) and "2" in str(caught.value)

    other_form = submitted(licun_clerk, listed, other)
    with pytest.raises(TransitionError):
        services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)

    services.submission_accept(by=licun_clerk, submission=other_form)
    approval = services.approval_create(by=tjj, dataset=listed, period="202603", org_unit=licun)

    assert approval.approved_by == tjj
    assert approval.period == "202603"
    assert actions()[-1] == "stats.approval_create"


def test_a_form_of_an_enterprise_not_listed_does_not_hold_up_the_street(
    listed, licun, licun_clerk, tianlu, tjj
):
    form(listed, tianlu, PERIOD, valid_figures())
    form(listed, enterprise(licun), PERIOD, valid_figures(), status="draft")

    services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)

    assert Approval.objects.filter(org_unit=licun).exists()


def test_a_street_cannot_be_approved_twice(dataset, clock, licun, tjj):
    services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=licun)

    with pytest.raises(TransitionError):
        services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=licun)


def test_an_approval_locks_the_forms_of_the_street(
    listed, enterprise_user, licun, licun_clerk, tianlu, tjj
):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)
    services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)

    with pytest.raises(TransitionError):
        save(enterprise_user, listed, tianlu, entries())
    with pytest.raises(TransitionError):
        services.submission_return(by=licun_clerk, submission=done, reason="再核对")
    done.refresh_from_db()
    assert done.status == "accepted"


def test_an_approval_refuses_accepting_a_late_form(
    listed, enterprise_user, licun, licun_clerk, tianlu, tjj
):
    done = submitted(enterprise_user, listed, tianlu)
    # the list changed: 天路集团 is no longer expected, the street is approved without it
    listed.listings.update(until="202602")
    services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)

    with pytest.raises(TransitionError):
        services.submission_accept(by=licun_clerk, submission=done)


def test_the_district_is_approved_once_every_street_is(
    listed, enterprise_user, district, licun, licun_clerk, tianlu, tjj, streets
):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)
    for street in streets[:-1]:
        services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=street)

    with pytest.raises(TransitionError) as caught:
        services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=district)
    assert streets[-1].name in str(caught.value)
    assert streets[0].name not in str(caught.value)

    services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=streets[-1])
    approval = services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=district)

    assert approval.org_unit == district
    assert Approval.objects.filter(period="202603").count() == 12


def test_approvals_of_another_period_do_not_count(dataset, clock, district, tjj, streets):
    for street in streets:
        approve(dataset, "202602", street, tjj)

    with pytest.raises(TransitionError):
        services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=district)


def test_approvals_are_undone_from_the_top(
    listed, enterprise_user, district, licun, licun_clerk, tianlu, tjj, streets
):
    done = submitted(enterprise_user, listed, tianlu)
    services.submission_accept(by=licun_clerk, submission=done)
    for street in streets:
        services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=street)
    services.approval_create(by=tjj, dataset=listed, period=PERIOD, org_unit=district)

    with pytest.raises(TransitionError):
        services.approval_delete(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)
    assert Approval.objects.filter(org_unit=licun).exists()

    services.approval_delete(by=tjj, dataset=listed, period=PERIOD, org_unit=district)
    services.approval_delete(by=tjj, dataset=listed, period="202603", org_unit=licun)

    assert not Approval.objects.filter(org_unit__in=[district, licun]).exists()
    assert actions()[-2:] == ["stats.approval_delete", "stats.approval_delete"]
    # the street's forms can be reviewed again
    services.submission_return(by=licun_clerk, submission=done, reason="更正")
    with pytest.raises(TransitionError):
        services.approval_delete(by=tjj, dataset=listed, period=PERIOD, org_unit=licun)


@pytest.mark.parametrize(
    "who", ["outsider", "leader", "licun_clerk", "enterprise_user", "jxj_clerk"]
)
def test_only_the_districts_statistics_staff_approve(request, dataset, clock, district, licun, who):
    user = request.getfixturevalue(who)

    for unit in (licun, district):
        with pytest.raises(PermissionDenied):
            services.approval_create(by=user, dataset=dataset, period=PERIOD, org_unit=unit)
    assert not Approval.objects.exists()


def test_statistics_staff_of_another_district_do_not_approve(dataset, clock, laoshan, licun, tjj):
    stranger = UserFactory(role=Role.STATISTICS_STAFF, org_unit=laoshan)
    approve(dataset, PERIOD, licun, tjj)

    with pytest.raises(PermissionDenied):
        services.approval_create(by=stranger, dataset=dataset, period=PERIOD, org_unit=licun)
    with pytest.raises(PermissionDenied):
        services.approval_delete(by=stranger, dataset=dataset, period=PERIOD, org_unit=licun)
    assert Approval.objects.filter(org_unit=licun).exists()


def test_statistics_staff_of_a_street_do_not_approve(dataset, clock, licun):
    clerk = UserFactory(role=Role.STATISTICS_STAFF, org_unit=licun)

    with pytest.raises(PermissionDenied):
        services.approval_create(by=clerk, dataset=dataset, period=PERIOD, org_unit=licun)


def test_the_city_is_not_approved_by_the_district(dataset, clock, tjj):
    city = OrgUnit.objects.get(code="370200")

    with pytest.raises(PermissionDenied):
        services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=city)


# --- the entry window --------------------------------------------------------------------------


def test_entry_is_refused_before_the_opening_day(listed, clock, enterprise_user, tianlu, english):
    clock.set(dt.date(2026, 3, 19))

    with pytest.raises(TransitionError) as caught:
        save(enterprise_user, listed, tianlu, entries())
    assert "2026-03-20" in str(caught.value)

    clock.set(dt.date(2026, 3, 20))
    assert save(enterprise_user, listed, tianlu, entries()).status == "draft"


def test_entry_is_refused_from_the_lock_date(listed, clock, enterprise_user, tianlu):
    lock = periods.lock_date(listed, PERIOD)
    clock.set(lock - dt.timedelta(days=1))
    draft = save(enterprise_user, listed, tianlu, entries())

    clock.set(lock)
    with pytest.raises(TransitionError) as caught:
        save(enterprise_user, listed, tianlu, entries())
    assert lock.isoformat() in str(caught.value)
    with pytest.raises(TransitionError):
        services.submission_submit(by=enterprise_user, submission=draft)


def test_reopened_entry_is_allowed_until_the_date(
    listed, clock, enterprise_user, licun, tianlu, tjj
):
    lock = periods.lock_date(listed, PERIOD)
    clock.set(lock + dt.timedelta(days=2))
    until = lock + dt.timedelta(days=5)

    reopening = services.reopen(
        by=tjj, dataset=listed, period=PERIOD, org_unit=licun, until=until, reason="企业补报"
    )

    assert reopening.opened_by == tjj
    assert submitted(enterprise_user, listed, tianlu).status == "submitted"
    event = AuditEvent.objects.get(action="stats.reopen")
    assert event.changes == {"until": until.isoformat(), "reason": "企业补报"}
    clock.set(until + dt.timedelta(days=1))
    with pytest.raises(TransitionError):
        save(enterprise_user, listed, tianlu, entries())


def test_reopening_the_district_reopens_its_streets(
    listed, clock, enterprise_user, district, tianlu, tjj
):
    lock = periods.lock_date(listed, PERIOD)
    clock.set(lock)
    services.reopen(
        by=tjj, dataset=listed, period=PERIOD, org_unit=district, until=lock, reason="统一补报"
    )

    assert save(enterprise_user, listed, tianlu, entries()).status == "draft"


def test_reopening_another_street_or_period_does_not_help(
    listed, clock, enterprise_user, loushan, licun, tianlu, tjj
):
    lock = periods.lock_date(listed, PERIOD)
    clock.set(lock)
    until = lock + dt.timedelta(days=3)
    services.reopen(
        by=tjj, dataset=listed, period=PERIOD, org_unit=loushan, until=until, reason="补"
    )
    services.reopen(
        by=tjj, dataset=listed, period=PERIOD.previous, org_unit=licun, until=until, reason="补"
    )

    with pytest.raises(TransitionError):
        save(enterprise_user, listed, tianlu, entries())


def test_reopening_needs_a_reason_and_a_date_not_in_the_past(listed, clock, licun, tjj):
    with pytest.raises(ValidationError) as caught:
        services.reopen(
            by=tjj, dataset=listed, period=PERIOD, org_unit=licun, until=TODAY, reason=" "
        )
    assert "reason" in caught.value.message_dict

    with pytest.raises(ValidationError) as caught:
        services.reopen(
            by=tjj,
            dataset=listed,
            period=PERIOD,
            org_unit=licun,
            until=TODAY - dt.timedelta(days=1),
            reason="补报",
        )
    assert "until" in caught.value.message_dict

    with pytest.raises(ValidationError):
        services.reopen(
            by=tjj,
            dataset=listed,
            period=PERIOD,
            org_unit=licun,
            until=TODAY + dt.timedelta(days=61),
            reason="补报",
        )
    assert not Reopening.objects.exists()


@pytest.mark.parametrize("who", ["licun_clerk", "leader", "outsider"])
def test_only_statistics_staff_reopen(request, listed, clock, licun, who):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.reopen(
            by=user, dataset=listed, period=PERIOD, org_unit=licun, until=TODAY, reason="补报"
        )


# --- the audit trail ---------------------------------------------------------------------------


def test_every_service_writes_a_stats_audit_event(
    dataset, clock, district, licun, enterprise_user, licun_clerk, tianlu, tjj, streets
):
    start = AuditEvent.objects.count()
    services.listing_sync(dataset=dataset, period=PERIOD, by=tjj)
    draft = save(enterprise_user, dataset, tianlu, entries())
    save(enterprise_user, dataset, tianlu, entries(output={"month": "1001", "ytd": "3001"}))
    services.remind(by=licun_clerk, dataset=dataset, period=PERIOD, org_unit=licun)
    save(enterprise_user, dataset, tianlu, entries())
    services.submission_submit(by=enterprise_user, submission=draft)
    services.submission_return(by=licun_clerk, submission=draft, reason="核对")
    services.submission_submit(by=enterprise_user, submission=draft)
    services.submission_accept(by=licun_clerk, submission=draft)
    for street in streets:
        services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=street)
    services.approval_create(by=tjj, dataset=dataset, period=PERIOD, org_unit=district)
    services.approval_delete(by=tjj, dataset=dataset, period=PERIOD, org_unit=district)
    services.reopen(
        by=tjj, dataset=dataset, period=PERIOD, org_unit=licun, until=TODAY, reason="补报"
    )

    events = list(AuditEvent.objects.order_by("id")[start:])
    assert {e.action for e in events} == {
        "stats.listing_sync",
        "stats.submission_create",
        "stats.submission_update",
        "stats.remind",
        "stats.submission_submit",
        "stats.submission_return",
        "stats.submission_accept",
        "stats.approval_create",
        "stats.approval_delete",
        "stats.reopen",
    }
    assert len([e for e in events if e.action == "stats.approval_create"]) == 12
    assert all(e.actor is not None for e in events)
    updates = [e.changes for e in events if e.action == "stats.submission_update"]
    assert updates == [
        {"output.month": ["1000.00", "1001.00"], "output.ytd": ["3000.00", "3001.00"]},
        {"output.month": ["1001.00", "1000.00"], "output.ytd": ["3001.00", "3000.00"]},
    ]
