"""Org structure (city → district → street, zones, departments) and the working-day calendar."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")


class Zone(models.Model):
    """A group of streets of one district (东部 / 中部 / 西部)."""

    district = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="zones",
        limit_choices_to={"level": Level.DISTRICT},
        verbose_name=_("district"),
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["district_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="zone_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and self.district.level != Level.DISTRICT:
            raise ValidationError({"district": _("A zone belongs to a district.")})


class OrgUnit(models.Model):
    """A node of the administrative tree; `path` holds the codes from the root (subtree reads)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="streets",
        verbose_name=_("zone"),
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="city") | models.Q(parent__isnull=False),
                name="orgunit_only_city_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_street(self) -> bool:
        return self.level == Level.STREET

    def clean(self) -> None:
        expected = {Level.DISTRICT: Level.CITY, Level.STREET: Level.DISTRICT}.get(self.level)
        if expected is None:
            if self.parent_id is not None:
                raise ValidationError({"parent": _("A city has no parent org unit.")})
        elif self.parent is None or self.parent.level != expected:
            raise ValidationError(
                {
                    "parent": _("The parent of a %(level)s must be a %(parent)s.")
                    % {"level": Level(self.level).label, "parent": expected.label}
                }
            )
        if self.zone_id is not None:
            if self.level != Level.STREET:
                raise ValidationError({"zone": _("Only a street belongs to a zone.")})
            if self.zone.district_id != self.parent_id:
                raise ValidationError({"zone": _("The zone must belong to the street's district.")})


class Department(models.Model):
    """A department of a district government (发改, 经信, 商务, 自然资源, …)."""

    district = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"level": Level.DISTRICT},
        verbose_name=_("district"),
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    is_service_centre = models.BooleanField(
        _("enterprise service centre"),
        default=False,
        help_text=_(
            "Its staff dispatch enterprise appeals with the district leaders (accept, return, "
            "assign, approve extensions)."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["district_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "code"], name="department_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and self.district.level != Level.DISTRICT:
            raise ValidationError({"district": _("A department belongs to a district.")})


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Adjusted workday")


class Holiday(models.Model):
    """A day off the Monday–Friday rule: a public holiday, or a weekend day worked (调休).

    A year is covered by the official calendar when it has at least one row here.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.kind == DayKind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError({"kind": _("An adjusted workday must be a Saturday or Sunday.")})
