"""Policy support (帮助企业"争"): the policy library, programmes with eligibility criteria as data,
targeted pushes and notices, and applications from application (or recommendation) to funds.

Design decisions:

- A `Policy` is the document (文件); a `Programme` (申报项目) under it is what enterprises apply
  for, with its window, support, materials and criteria. Criteria are JSON checked by
  `qifu.lib.eligibility.parse` (conditions over an enterprise's attributes, all/any), so that a
  programme's conditions are data an official edits and every condition can be said in words.
- An application's states are one table in `services.py`. 免申即享 programmes (`no_application`)
  skip the application: the department confirms the eligible list, which creates the applications
  already confirmed, then records payment.
- Pushes and notices reach enterprises as `Delivery` rows (one per enterprise), with the in-app
  notification and the SMS/e-mail through the notices outbox; reading is recorded on the row.
- Money in 万元, `Decimal`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", pgettext_lazy("policy level", "City")
    DISTRICT = "district", pgettext_lazy("policy level", "District")


class PolicyCategory(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("policy category")
        verbose_name_plural = _("policy categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Policy(models.Model):
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("issuing level"), max_length=12, choices=Level.choices)
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issued_on = models.DateField(_("date issued"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    full_text = models.TextField(_("full text"), max_length=100000, blank=True)
    attachment = models.FileField(
        _("document file"), upload_to="policies/%Y/", max_length=255, blank=True
    )
    categories = models.ManyToManyField(
        PolicyCategory, related_name="policies", verbose_name=_("categories")
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("responsible department"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="policy_valid_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", pgettext_lazy("programme status", "Closed")


class Programme(models.Model):
    """A programme (申报项目) under a policy: window, support, materials and criteria."""

    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("policy")
    )
    title = models.CharField(_("title"), max_length=200)
    window_opens = models.DateField(_("applications open"))
    window_closes = models.DateField(_("applications close"))
    support_amount = models.DecimalField(
        _("support up to (10k yuan)"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    support_text = models.CharField(_("support"), max_length=500, blank=True)
    materials = models.JSONField(_("materials checklist"), default=list, blank=True)
    no_application = models.BooleanField(
        _("no application needed (免申即享)"),
        default=False,
        help_text=_("The department confirms the eligible enterprises and pays."),
    )
    criteria = models.JSONField(_("eligibility criteria"), default=dict, blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("responsible department"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.DRAFT,
        db_index=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-window_closes", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_closes__gte=models.F("window_opens")),
                name="programme_window_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REVIEWED = "reviewed", _("Reviewed by the district")
    RETURNED = "returned", _("Returned for completion")
    RECOMMENDED = "recommended", _("Recommended upward")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FUNDED = "funded", _("Funds received")
    CONFIRMED = "confirmed", _("Confirmed eligible")  # 免申即享
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Origin(models.TextChoices):
    APPLIED = "applied", _("Applied by the enterprise")
    RECOMMENDED = "recommended", _("Recommended by a department")
    CONFIRMED = "confirmed", _("Confirmed without application")


class Application(models.Model):
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("programme"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="policy_applications",
        verbose_name=_("enterprise"),
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    recommended_by = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, db_index=True
    )
    statement = models.TextField(_("statement"), max_length=5000, blank=True)
    materials_checked = models.JSONField(_("materials checked"), default=list, blank=True)
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)
    result_note = models.TextField(_("result"), max_length=2000, blank=True)
    amount_approved = models.DecimalField(
        _("amount approved (10k yuan)"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    funds_amount = models.DecimalField(
        _("funds received (10k yuan)"), **MONEY, null=True, blank=True, validators=NOT_NEGATIVE
    )
    funds_on = models.DateField(_("funds received on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # one live application per enterprise and programme (a withdrawn one may be redone)
            models.UniqueConstraint(
                fields=["programme", "enterprise"],
                condition=~models.Q(status="withdrawn"),
                name="application_once_per_programme",
            ),
            # a double submit (same token from the same user) is one application
            models.UniqueConstraint(
                fields=["submitted_by", "client_token"],
                condition=~models.Q(client_token=""),
                name="application_client_token_once",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "status"], name="application_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.programme}"


class ApplicationEvent(models.Model):
    """The application's history: one row per step."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    status_from = models.CharField(max_length=12, blank=True)
    status_to = models.CharField(max_length=12)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="policies/applications/%Y/%m/", max_length=255)
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


class Notice(models.Model):
    """A notice (通知公告) to enterprises, or the message of a programme's push."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10000, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pushes",
        verbose_name=_("programme"),
    )
    # the target as sent: {"eligible": true} or {"streets": [...], "industries": [...],
    # "tags": [...], "key": true, "above_scale": true}
    target = models.JSONField(_("target"), default=dict)
    district = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    sms = models.BooleanField(_("also by SMS and e-mail"), default=False)
    # the day of an automatic reminder before the window closes (sent by the system, no sender)
    reminder_on = models.DateField(_("reminder of"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reminder_on"],
                condition=models.Q(reminder_on__isnull=False),
                name="notice_reminder_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["created_by", "client_token"],
                condition=~models.Q(client_token=""),
                name="notice_client_token_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One enterprise's copy of a notice or push, and when it was read."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="policy_deliveries"
    )
    delivered_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "enterprise"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} → {self.enterprise_id}"
