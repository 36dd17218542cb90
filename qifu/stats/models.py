"""Monthly economic data of above-scale industry (帮助企业"算"): indicators, the monthly form,
submissions with their last-year basis, validation rules as data, and approvals by level.

Money is stored in 千元 as the statistical forms have it, and shown in 万元 and 亿元.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    FLOW = "flow", _("Flow (this month and 1–this month)")
    STOCK = "stock", _("Stock (value at month end)")
    AVERAGE = "average", _("Average")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    is_money = models.BooleanField(_("money (stored in 千元)"), default=False)
    may_be_negative = models.BooleanField(_("may be negative"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DataSet(models.Model):
    """A monthly form: its indicators, who must report, the deadline and the lock."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    indicators = models.ManyToManyField(
        Indicator, related_name="datasets", verbose_name=_("indicators")
    )
    industry_sections = models.CharField(
        _("industry sections that report"),
        max_length=20,
        default="BCD",
        help_text=_("GB/T 4754 sections, e.g. BCD: mining, manufacturing, utilities."),
    )
    opens_day = models.PositiveSmallIntegerField(
        _("entry opens (day of the reporting month)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Month-end flash figures may be entered from this day of the month."),
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline (day of the following month)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Moved to the next working day when it falls on a day off."),
    )
    lock_after_days = models.PositiveSmallIntegerField(
        _("entry locked this many working days after the deadline"),
        default=10,
        validators=[MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted by the street")
    RETURNED = "returned", _("Returned")


class Submission(models.Model):
    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="submissions")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="submissions"
    )
    period = models.CharField(_("period (YYYYMM)"), max_length=6, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    explanations = models.JSONField(_("explanations of soft rules"), default=dict, blank=True)
    violations = models.JSONField(_("rule violations"), default=list, blank=True)
    hard_violations = models.PositiveSmallIntegerField(_("hard violations"), default=0)
    soft_violations = models.PositiveSmallIntegerField(_("soft violations"), default=0)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-period", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "enterprise", "period"], name="submission_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period}"


class Listing(models.Model):
    """An enterprise on the reporting list (名录) of a data set, from one period until another.

    The list changes when enterprises grow into or fall out of "above scale", or stop operating:
    the periods an enterprise was expected to report stay on record.
    """

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="listings")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="stat_listings"
    )
    since = models.CharField(_("first period (YYYYMM)"), max_length=6)
    until = models.CharField(_("last period (YYYYMM)"), max_length=6, blank=True)

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("reporting list")
        ordering = ["dataset_id", "enterprise_id", "since"]
        indexes = [models.Index(fields=["dataset", "since", "until"], name="listing_periods")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.since}–{self.until}"


class Value(models.Model):
    """One indicator of a submission: this month, 1–this month, and the same period last year
    (filled from last year's approved data, revisable with a reason to keep a comparable basis)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    month = models.DecimalField(_("this month"), max_digits=16, decimal_places=2, null=True)
    ytd = models.DecimalField(_("1–this month"), max_digits=16, decimal_places=2, null=True)
    base_month = models.DecimalField(
        _("same month last year"), max_digits=16, decimal_places=2, null=True
    )
    base_ytd = models.DecimalField(
        _("1–this month last year"), max_digits=16, decimal_places=2, null=True
    )
    base_reason = models.CharField(_("reason for revising last year"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="value_one_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.indicator_id}"


class Importance(models.TextChoices):
    HARD = "hard", _("Hard: blocks submission")
    SOFT = "soft", _("Soft: needs a written explanation")


class MissingValues(models.TextChoices):
    SKIP_IF_ANY = "skip_if_any", _("Skip the rule if any value is missing")
    SKIP_IF_ALL = "skip_if_all", _("Skip the rule if all values are missing")
    NEVER_SKIP = "never_skip", _("Never skip (missing counts as 0)")


class ValidationRule(models.Model):
    """A rule as data, in the DHIS2 manner: left expression, operator, right expression.

    Expressions use `#{indicator.column}` with columns month, ytd, base_month, base_ytd and
    prev_ytd (last month's 1–month of the same enterprise), numbers, + − × ÷ ( ) and abs().
    `#{*.column}` with `for_each` repeats the rule for each indicator of that kind. A rule with a
    `condition` is checked only where the condition holds.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    left = models.CharField(_("left side"), max_length=300)
    operator = models.CharField(
        _("operator"),
        max_length=8,
        choices=[("==", "="), ("!=", "≠"), ("<", "<"), ("<=", "≤"), (">", ">"), (">=", "≥")],
    )
    right = models.CharField(_("right side"), max_length=300)
    importance = models.CharField(_("importance"), max_length=4, choices=Importance.choices)
    missing_values = models.CharField(
        _("missing values"),
        max_length=12,
        choices=MissingValues.choices,
        default=MissingValues.SKIP_IF_ANY,
    )
    for_each = models.CharField(
        _("for each"),
        max_length=20,
        blank=True,
        choices=[
            ("", _("—")),
            ("flow", _("flow indicator")),
            ("non_negative", _("indicator that may not be negative")),
            ("flow_non_negative", _("flow indicator that may not be negative")),
        ],
    )
    condition = models.CharField(_("only where"), max_length=300, blank=True)
    instruction = models.CharField(_("instruction shown to the user"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse a rule that cannot be evaluated, with the reason."""
        from qifu.lib import expressions

        try:
            expressions.validate_rule(
                self, indicator_codes=Indicator.objects.values_list("code", flat=True)
            )
        except expressions.ExpressionError as error:
            raise ValidationError(
                _("The rule cannot be evaluated: %(error)s") % {"error": error}
            ) from None


class Approval(models.Model):
    """A level's approval of a period: a street's (all its submissions accepted) or the district's
    (all its streets approved). Undone top-down only."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="approvals")
    period = models.CharField(_("period (YYYYMM)"), max_length=6)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "period", "org_unit"], name="approval_one_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.period} {self.org_unit_id}"


class Reopening(models.Model):
    """Entry reopened after the lock date for the enterprises of an org unit, until a date."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="reopenings")
    period = models.CharField(_("period (YYYYMM)"), max_length=6)
    org_unit = models.ForeignKey("core.OrgUnit", on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("open until"))
    reason = models.CharField(_("reason"), max_length=300)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("reopened"), auto_now_add=True)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.period} {self.org_unit_id} → {self.until}"


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before", _("Before the deadline (enterprise)")
    AFTER_DEADLINE = "after", _("After the deadline (street)")
    MANUAL = "manual", _("Sent by hand")


class Reminder(models.Model):
    """A reminder sent about a period, so that the periodic job sends each one once a day."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period (YYYYMM)"), max_length=6)
    kind = models.CharField(_("kind"), max_length=6, choices=ReminderKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, null=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "period", "kind", "enterprise", "org_unit", "sent_on"],
                name="reminder_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.kind} {self.sent_on}"
