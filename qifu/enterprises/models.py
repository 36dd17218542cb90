"""The enterprise registry: one row per enterprise, its contacts, tags and park."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qifu.enterprises.validators import validate_credit_code, validate_industry_code


class Kind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    FINANCIAL = "financial", _("Financial institution")


class Status(models.TextChoices):
    OPERATING = "operating", _("Operating")
    RELOCATED = "relocated", _("Relocated")
    CLOSED = "closed", _("Closed")


class Park(models.Model):
    """An industrial or business park (园区)."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A label such as 高新技术企业 or 专精特新, used by filters and policy matching."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(models.Model):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("An enterprise with this credit code already exists.")},
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    street = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": "street"},
        verbose_name=_("street"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    industry_code = models.CharField(
        _("industry code"), max_length=4, validators=[validate_industry_code]
    )
    # derived from industry_code by the services, kept for filtering
    industry_section = models.CharField(_("industry section"), max_length=1, editable=False)
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ENTERPRISE)
    is_above_scale = models.BooleanField(_("above scale"), default=False)
    is_key = models.BooleanField(_("key enterprise"), default=False)
    park = models.ForeignKey(
        Park,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("park"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="enterprises", verbose_name=_("tags")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPERATING
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        limit_choices_to={"role": "district_leader"},
        verbose_name=_("responsible leader"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["street", "status"], name="enterprise_street_status"),
            models.Index(fields=["industry_section"], name="enterprise_section"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_capital__gte=0) | models.Q(registered_capital=None),
                name="enterprise_capital_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self):
        return self.street.zone


class Contact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise")
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["enterprise_id", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.title}".strip()
