"""Users, their role and their scope (an org unit, plus a department for department staff)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_LEADER = "district_leader", _("District leader")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    STREET_STAFF = "street_staff", _("Street staff")
    STATISTICS_STAFF = "statistics_staff", _("Statistics staff")
    INVESTMENT_STAFF = "investment_staff", _("Investment staff")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    SYSTEM_ADMIN = "system_admin", _("System admin")
    SECURITY_ADMIN = "security_admin", _("Security admin")
    AUDIT_ADMIN = "audit_admin", _("Audit admin")


# Roles whose work is inside the government and whose scope is an org unit.
OFFICIAL_ROLES = frozenset(
    {
        Role.DISTRICT_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.STREET_STAFF,
        Role.STATISTICS_STAFF,
        Role.INVESTMENT_STAFF,
    }
)
# The three separated administrators (三员分立): each sees only their own part.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("org unit"),
    )
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("enterprise"),
        help_text=_("For enterprise users: the one enterprise they act for."),
    )
    sees_personal_data = models.BooleanField(
        _("may see personal data in full"),
        default=False,
        help_text=_("Phone numbers of contacts are shown unmasked to this user."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="department_staff") | models.Q(department__isnull=False),
                name="user_department_staff_has_department",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        role = self.role
        if role in ADMIN_ROLES or not role:
            return
        if self.org_unit_id is None:
            raise ValidationError({"org_unit": _("This role needs an org unit.")})
        if role == Role.STREET_STAFF and self.org_unit.level != "street":
            raise ValidationError({"org_unit": _("Street staff belong to a street.")})
        if role == Role.DEPARTMENT_STAFF:
            if self.department_id is None:
                raise ValidationError({"department": _("Department staff need a department.")})
            if self.department.district_id != self.org_unit_id:
                raise ValidationError(
                    {"department": _("The department must belong to the user's district.")}
                )
        elif self.department_id is not None:
            raise ValidationError({"department": _("Only department staff have a department.")})
        if role == Role.ENTERPRISE_USER:
            if self.enterprise_id is None:
                raise ValidationError({"enterprise": _("Enterprise users need an enterprise.")})
            if self.enterprise.street_id != self.org_unit_id:
                raise ValidationError(
                    {"org_unit": _("An enterprise user's org unit is the enterprise's street.")}
                )
        elif self.enterprise_id is not None:
            raise ValidationError({"enterprise": _("Only enterprise users have an enterprise.")})
