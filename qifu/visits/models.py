"""Visiting enterprises by assigned area (走进企业, 分片包干).

Design decisions:

- Responsibility (`Assignment`) is one row per official and street, or per official and named
  enterprise, with a visiting target per quarter. A street assignment covers the street's key
  enterprises by default (`key_only`), or all of its operating enterprises. Assignments are ended,
  not deleted (`ends_on`), so that the coverage of a past quarter is computed from the assignments
  that were in force then.
- A visit is one `Visit` row with its officials and enterprises (several at a symposium). It starts
  as a draft (saved as it is typed, even half-written, and from the phone's own storage when the
  connection drops) and becomes final when the official completes it; only final visits count in
  the coverage. `client_token` makes a repeated first save, or a double submit, the same visit.
- The questionnaire is versioned: `Questionnaire` → `QuestionnaireVersion` → `Question`. A
  published version is never edited; a change is a new version, and each visit keeps the version
  it was answered on, so that old answers keep their meaning. Answers are a JSON object keyed by
  the question's code.
- Red flags (风险信号) are rows of their own, per enterprise, raised by an official or derived from
  the answers (a question may carry the flag it raises and the answers that raise it), and are
  resolved by an official; the open ones are the leader's list.
- Problems heard on a visit become appeals through the appeals module's intake; `Visit.appeals`
  links both ways (`appeal.visits`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Assignment(models.Model):
    """An official's responsibility (包干) for a street or for a named enterprise."""

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visit_assignments",
        verbose_name=_("official"),
    )
    street = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_assignments",
        limit_choices_to={"level": "street"},
        verbose_name=_("street"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_assignments",
        verbose_name=_("enterprise"),
    )
    key_only = models.BooleanField(
        _("key enterprises only"),
        default=True,
        help_text=_("For a street: only its key enterprises, or all of its enterprises."),
    )
    visits_per_quarter = models.PositiveSmallIntegerField(
        _("visits per quarter"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(13)],
        help_text=_("How many times each enterprise should be visited per quarter."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("responsibility assignment")
        verbose_name_plural = _("responsibility assignments")
        ordering = ["official__username", "street__code", "enterprise__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(street__isnull=False, enterprise__isnull=True)
                    | models.Q(street__isnull=True, enterprise__isnull=False)
                ),
                name="assignment_street_or_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        target = self.street or self.enterprise
        return f"{self.official} · {target}"


class QuestionKind(models.TextChoices):
    TEXT = "text", pgettext_lazy("question kind", "Text")
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("Choice")
    NUMBER = "number", pgettext_lazy("question kind", "Number")


class RedFlagKind(models.TextChoices):
    RELOCATION = "relocation", _("Relocation or closure intent")
    LAYOFFS = "layoffs", _("Layoffs")
    SALES_DROP = "sales_drop", _("Big drop in sales")
    FINANCING = "financing", _("Financing trouble")
    LAND_FOR_EXPANSION = "land", _("Expansion needing land")
    OTHER = "other", _("Other risk")


class Questionnaire(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("visit questionnaire")
        verbose_name_plural = _("visit questionnaires")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Published versions are never changed."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.name} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(_("code"), max_length=30)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For a choice question: the options.")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    required = models.BooleanField(_("required"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # an answer that raises a red flag: for yes/no "yes", for a choice one of `flag_values`,
    # for a number anything below `flag_below`
    flag = models.CharField(
        _("raises the red flag"), max_length=12, choices=RedFlagKind.choices, blank=True
    )
    flag_values = models.JSONField(_("answers that raise it"), default=list, blank=True)
    flag_below = models.DecimalField(
        _("numbers below which it is raised"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.kind == QuestionKind.CHOICE and not self.choices:
            raise ValidationError({"choices": _("A choice question needs its options.")})
        if self.flag and self.kind == QuestionKind.TEXT:
            raise ValidationError({"flag": _("A text answer cannot raise a red flag.")})
        if self.flag and self.kind == QuestionKind.NUMBER and self.flag_below is None:
            raise ValidationError({"flag_below": _("Say below which number the flag is raised.")})
        if self.flag and self.kind == QuestionKind.CHOICE:
            unknown = [v for v in self.flag_values if v not in self.choices]
            if not self.flag_values or unknown:
                raise ValidationError(
                    {"flag_values": _("Pick the options that raise the flag from the choices.")}
                )


class VisitKind(models.TextChoices):
    ONSITE = "onsite", _("On-site visit")
    SYMPOSIUM = "symposium", _("Symposium")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", pgettext_lazy("visit status", "Final")


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class VisitPlan(models.Model):
    """A planned visit: when, whom, who goes and why."""

    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.ONSITE
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", related_name="visit_plans", verbose_name=_("enterprises")
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visit_plans", verbose_name=_("officials")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.purpose}"


class Visit(models.Model):
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.ONSITE
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VisitStatus.choices,
        default=VisitStatus.DRAFT,
        db_index=True,
    )
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    notes = models.TextField(_("what was discussed"), max_length=10000, blank=True)
    follow_up = models.TextField(_("follow-ups"), max_length=5000, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("officials")
    )
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", related_name="visits", verbose_name=_("enterprises met")
    )
    questionnaire = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("questionnaire"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    appeals = models.ManyToManyField(
        "appeals.Appeal", blank=True, related_name="visits", verbose_name=_("appeals raised")
    )
    plan = models.ForeignKey(
        VisitPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_token"],
                condition=~models.Q(client_token=""),
                name="visit_client_token_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class VisitAttachment(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="visits/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.content_type.startswith("image/")


class RedFlagSource(models.TextChoices):
    OFFICIAL = "official", _("Set by the official")
    QUESTIONNAIRE = "questionnaire", _("From the questionnaire")


class RedFlag(models.Model):
    """A risk signal (风险信号) about one enterprise, heard on a visit."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="red_flags",
        verbose_name=_("enterprise"),
    )
    visit = models.ForeignKey(
        Visit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="red_flags",
        verbose_name=_("visit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RedFlagKind.choices)
    source = models.CharField(
        _("source"), max_length=14, choices=RedFlagSource.choices, default=RedFlagSource.OFFICIAL
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(_("how it was resolved"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "enterprise", "kind"], name="red_flag_once_per_visit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
