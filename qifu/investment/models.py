"""Investment promotion (招商): channels with their contacts, leads with their follow-ups, and the
resource database (land parcels, vacant plants, building floors).

Everything belongs to one district (`district`; a resource through its street), which is what
the selectors scope by. Amounts are in 万元, land in 亩, floor space in m².
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

POSITIVE = [MinValueValidator(0)]


class ChannelKind(models.TextChoices):
    CHAMBER = "chamber", _("Chamber of commerce")
    UPPER = "upper", _("Upper-level department")
    INTERMEDIARY = "intermediary", _("Intermediary")
    EXPO = "expo", _("Expo")
    OTHER = "other", _("Other")


class Channel(models.Model):
    """A source of leads (招商渠道): a chamber of commerce, an upper-level department, …"""

    district = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=ChannelKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("investment channel")
        verbose_name_plural = _("investment channels")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="investment_channel_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelContact(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    title = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("channel contact")
        verbose_name_plural = _("channel contacts")
        ordering = ["channel_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class ContactLog(models.Model):
    """One contact made with a channel (a visit, a call, a meeting)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="logs")
    contact = models.ForeignKey(
        ChannelContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("channel contact log")
        verbose_name_plural = _("channel contact logs")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.date}"


class LandUse(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    LOGISTICS = "logistics", _("Warehousing and logistics")
    COMMERCIAL = "commercial", _("Commercial")
    OFFICE = "office", _("Office")
    MIXED = "mixed", _("Mixed use")


class LeadStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("lead status", "New")
    FOLLOWING = "following", _("Following up")
    CONVERTED = "converted", _("Converted to a project")
    DROPPED = "dropped", _("Dropped")


OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.FOLLOWING)


class Lead(models.Model):
    """A lead (招商线索): an investor's intention, followed until it becomes a project or is
    dropped."""

    district = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    title = models.CharField(_("project intention"), max_length=100)
    investor = models.CharField(_("investor"), max_length=100)
    origin = models.CharField(
        _("origin"), max_length=50, blank=True, help_text=_("Where the investor comes from.")
    )
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    amount = models.DecimalField(
        _("intended investment (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    land_area_mu = models.DecimalField(
        _("land needed (mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    floor_area_m2 = models.DecimalField(
        _("floor space needed (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    land_use = models.CharField(_("use"), max_length=12, choices=LandUse.choices, blank=True)
    preferred_street = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred street"),
    )
    channel = models.ForeignKey(
        Channel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("source channel"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    contact_name = models.CharField(_("investor's contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=LeadStatus.choices,
        default=LeadStatus.NEW,
        db_index=True,
    )
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    # the project it became (qifu/projects opens it and calls services.lead_convert)
    converted_project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("project"),
    )
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("investment lead")
        verbose_name_plural = _("investment leads")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="converted") | models.Q(converted_project__isnull=False),
                name="investment_lead_converted_has_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.investor} · {self.title}"

    def clean(self) -> None:
        street = self.preferred_street
        if street is not None and (
            street.level != "street" or street.parent_id != self.district_id
        ):
            raise ValidationError(
                {"preferred_street": _("Choose a street of the lead's district.")}
            )
        if self.channel is not None and self.channel.district_id != self.district_id:
            raise ValidationError({"channel": _("Choose a channel of the lead's district.")})


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")
    SITE = "site", _("Site inspection")
    OTHER = "other", _("Other")


class FollowUp(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"))
    method = models.CharField(_("method"), max_length=10, choices=FollowUpMethod.choices)
    note = models.TextField(_("what happened"), max_length=2000)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.date}"


class ResourceKind(models.TextChoices):
    LAND = "land", _("Land parcel")
    PLANT = "plant", _("Vacant plant")
    BUILDING = "building", _("Building floor")


class ResourceStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    TAKEN = "taken", _("Taken")


class Resource(models.Model):
    """A land parcel (area in 亩, price in 万元/亩), a vacant plant or a building floor (area in
    m², rent in 元/m²·month), in one street."""

    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=100)
    street = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("street")
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    land_use = models.CharField(_("use"), max_length=12, choices=LandUse.choices)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=10, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=POSITIVE
    )
    price = models.DecimalField(
        _("price (10k yuan per mu)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    rent = models.DecimalField(
        _("rent (yuan per m² a month)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    building = models.CharField(_("building"), max_length=100, blank=True)
    floor = models.CharField(_("floor"), max_length=20, blank=True)
    owner_name = models.CharField(_("owned by"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResourceStatus.choices,
        default=ResourceStatus.AVAILABLE,
        db_index=True,
    )
    # what it is reserved for or taken by: a project of qifu/projects and/or a lead
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_resources",
        verbose_name=_("project"),
    )
    reserved_lead = models.ForeignKey(
        Lead,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reserved_resources",
        verbose_name=_("reserved for lead"),
    )
    reserved_until = models.DateField(_("reserved until"), null=True, blank=True)
    reserved_at = models.DateTimeField(_("reserved"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("investment resource")
        verbose_name_plural = _("investment resources")
        ordering = ["kind", "street__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="investment_resource_name"),
            models.CheckConstraint(
                condition=~models.Q(status="available")
                | (
                    models.Q(project__isnull=True)
                    & models.Q(reserved_lead__isnull=True)
                    & models.Q(reserved_until__isnull=True)
                ),
                name="investment_resource_available_is_free",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area(self) -> object:
        """The area as the resource is measured: 亩 for land, m² otherwise."""
        return self.area_mu if self.kind == ResourceKind.LAND else self.area_m2

    def clean(self) -> None:
        errors = {}
        if self.street_id is not None and self.street.level != "street":
            errors["street"] = _("Choose a street.")
        if self.kind == ResourceKind.LAND and self.area_mu is None:
            errors["area_mu"] = _("Give the land parcel's area in mu.")
        if self.kind in (ResourceKind.PLANT, ResourceKind.BUILDING) and self.area_m2 is None:
            errors["area_m2"] = _("Give the floor area in m².")
        if self.kind == ResourceKind.BUILDING and not self.building:
            errors["building"] = _("Give the building's name.")
        if errors:
            raise ValidationError(errors)
