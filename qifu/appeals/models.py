"""Enterprise appeals (诉求): one pool of problems and demands, routed to departments, answered
within working-day time limits and rated by the enterprise."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    DEMAND = "demand", _("Demand")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Enterprise portal")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    ASSOCIATION = "association", _("Association")
    HOTLINE = "hotline", _("12345 hotline referral")
    SYMPOSIUM = "symposium", _("Symposium")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", pgettext_lazy("appeal status", "Closed")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REOPENED,
)


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    VERY_DISSATISFIED = "very_dissatisfied", _("Very dissatisfied")


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


class Fulfilment(models.TextChoices):
    POLICY = "policy", _("Policy")
    FINANCING = "financing", _("Financing referral")
    PREMISES = "premises", _("Land or premises")
    RECRUITMENT = "recruitment", _("Recruitment")
    PARTNER = "partner", _("Introduction to a partner")
    OTHER = "other", _("Other")


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    default_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default handling department"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("appeal category")
        verbose_name_plural = _("appeal categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class TimeLimits(models.Model):
    """The time limits in working days, one row, editable by the system admin."""

    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("first reply within"), default=3)
    resolve_days = models.PositiveSmallIntegerField(_("resolve within"), default=15)
    green_resolve_days = models.PositiveSmallIntegerField(
        _("resolve within (green channel)"), default=10
    )
    dispute_days = models.PositiveSmallIntegerField(_("dispute an assignment within"), default=1)
    rate_days = models.PositiveSmallIntegerField(_("rate within"), default=5)
    max_extension_days = models.PositiveSmallIntegerField(_("extensions up to"), default=30)

    class Meta:
        verbose_name = _("time limits")
        verbose_name_plural = _("time limits")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Appeal(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("enterprise"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.PORTAL
    )
    green_channel = models.BooleanField(_("green channel"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    accept_deadline = models.DateField(_("accept by"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    lead_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_appeals",
        verbose_name=_("lead department"),
    )
    co_departments = models.ManyToManyField(
        "core.Department", blank=True, related_name="co_appeals", verbose_name=_("co-handling")
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    reply_deadline = models.DateField(_("first reply by"), null=True, blank=True)
    deadline = models.DateField(_("resolve by"), null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField(_("deadline provisional"), default=False)
    extension_days = models.PositiveSmallIntegerField(_("extended by (working days)"), default=0)
    first_reply_at = models.DateTimeField(_("first reply"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    # every reply so far came by the deadline then in force (a reopening sets a new deadline)
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    cause = models.TextField(_("cause analysis"), blank=True)
    fulfilment = models.CharField(
        _("how it was met"), max_length=12, choices=Fulfilment.choices, blank=True
    )
    met = models.BooleanField(_("demand met"), null=True, blank=True)
    rate_deadline = models.DateField(_("rate by"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    auto_rated = models.BooleanField(_("rated by default"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    flagged = models.BooleanField(_("flagged to the district leader"), default=False)
    overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    supervised = models.BooleanField(_("under supervision"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    common_problem = models.ForeignKey(
        "CommonProblem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("common problem"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "client_token"],
                condition=~models.Q(client_token=""),
                name="appeal_one_per_client_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CommonProblem(models.Model):
    """A problem shared by several enterprises (共性问题), linking their appeals."""

    title = models.CharField(_("title"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("common problem")
        verbose_name_plural = _("common problems")

    def __str__(self) -> str:
        return self.title


class AppealEvent(models.Model):
    """One transition of the workflow: who, when, from, to, and the note. The appeal's timeline."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("from"), max_length=12, blank=True, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=12, blank=True, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action}"


class Contribution(models.Model):
    """A co-handling department's part, sent to the lead department."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="contributions")
    department = models.ForeignKey("core.Department", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.department_id}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Extension(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    working_days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal"], name="appeal_one_extension_request"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} +{self.working_days}"


class Supervision(models.Model):
    """A district leader's supervision order (督办)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="supervisions")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.note[:30]}"


class Attachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class NumberCounter(models.Model):
    """The last public number used in a month (SQ-YYYYMM-NNNN)."""

    month = models.CharField(max_length=6, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.month} {self.last}"


class JoinedCase(models.Model):
    """Another enterprise adding its case to an existing appeal instead of writing a new one."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="joined_cases")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="joined_appeals"
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appeal", "enterprise"], name="appeal_joined_once"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.enterprise_id}"
