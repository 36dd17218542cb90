"""Investment projects (项目全程跟踪) from first negotiation to production, and the key projects'
supervision (项目建设): monthly inspections, quarterly scheduling meetings, tasks, the timetable
and the archive.

Design decisions:

- The stage is one field on `Project`; every change (including the first) is a `StageEvent` row
  (from, to, date, note, reason, actor), which is the stage history. The allowed changes are the
  `TRANSITIONS` table of `services.py`.
- The dates of signing (intent, contract, land lease) and of the approvals (project approval or
  record, environmental assessment, planning permit, land, construction permit) are rows of one
  table, `ProjectDate`, keyed by `kind` (one row per kind per project), rather than eight date
  columns: the kinds can grow without a migration of `Project`, each recorded date is one audited
  change, and "which approvals are still missing" is one query.
- The start of construction and the date of production are kept on `Project` (`actual_start`,
  `production_date`) next to `expected_start`, because lists compare them.
- `investment_completed` (cumulative, 万元) is a copy of the latest monthly inspection's
  cumulative figure, kept by `services.inspection_submit` so that lists and the board need no
  subquery; the inspections remain the record.
- Internal notes (`Project.internal_note`, `StageEvent.note`, `Obstacle.internal_note`,
  documents marked internal) are for officials only; the selectors hide them from enterprise
  users.
- Money is in 万元, `DecimalField(max_digits=14, decimal_places=2)`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qifu.enterprises.validators import validate_industry_code

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    APPROVAL = "approval", pgettext_lazy("project stage", "Approval")
    CONSTRUCTION = "construction", _("Under construction")
    PRODUCTION = "production", _("In production")
    PAUSED = "paused", _("Paused")
    TERMINATED = "terminated", _("Terminated")


# The main line, in order: 洽谈 → 签约 → 审批 → 在建 → 投产
STAGE_ORDER: tuple[str, ...] = (
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.APPROVAL,
    Stage.CONSTRUCTION,
    Stage.PRODUCTION,
)
STARTED_STAGES: tuple[str, ...] = (Stage.CONSTRUCTION, Stage.PRODUCTION)


class DateKind(models.TextChoices):
    # signing (签约): any of them marks the project signed
    INTENT = "intent", _("Investment intent signed")
    CONTRACT = "contract", _("Formal contract signed")
    LAND_LEASE = "land_lease", _("Land lease signed")
    # approvals (审批)
    PROJECT_APPROVAL = "project_approval", _("Project approval or record")
    ENVIRONMENT = "environment", _("Environmental assessment")
    PLANNING = "planning", _("Planning permit")
    LAND = "land", _("Land")
    CONSTRUCTION_PERMIT = "construction_permit", _("Construction permit")


SIGNING_KINDS: tuple[str, ...] = (DateKind.INTENT, DateKind.CONTRACT, DateKind.LAND_LEASE)
APPROVAL_KINDS: tuple[str, ...] = (
    DateKind.PROJECT_APPROVAL,
    DateKind.ENVIRONMENT,
    DateKind.PLANNING,
    DateKind.LAND,
    DateKind.CONSTRUCTION_PERMIT,
)


class KeyList(models.Model):
    """A list of key projects of a district, e.g. 2026年十大二产项目."""

    district = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="key_project_lists",
        limit_choices_to={"level": "district"},
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("key project list")
        verbose_name_plural = _("key project lists")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="keylist_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    name = models.CharField(_("name"), max_length=200)
    investor = models.CharField(_("investor"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("linked enterprise"),
    )
    industry_code = models.CharField(
        _("industry code"), max_length=4, blank=True, validators=[validate_industry_code]
    )
    street = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": "street"},
        verbose_name=_("street"),
    )
    total_investment = models.DecimalField(
        _("total investment (10k yuan)"), validators=NOT_NEGATIVE, **MONEY
    )
    investment_completed = models.DecimalField(
        _("investment completed to date (10k yuan)"),
        default=Decimal("0"),
        editable=False,
        **MONEY,
    )
    # where the project came from (招商): the lead it was opened from, and the channel
    source_lead = models.ForeignKey(
        "investment.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("source lead"),
        editable=False,
    )
    source_channel = models.ForeignKey(
        "investment.Channel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("source channel"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        limit_choices_to={"role": "district_leader"},
        verbose_name=pgettext_lazy("project", "responsible leader"),
    )
    liaison_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="liaison_projects",
        verbose_name=_("liaison leader"),
    )
    lead_department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("lead department"),
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=Stage.choices,
        default=Stage.NEGOTIATING,
        db_index=True,
        editable=False,
    )
    stage_date = models.DateField(_("stage reached on"), editable=False)
    # the stage a paused project resumes to
    paused_from = models.CharField(
        _("paused from"), max_length=12, choices=Stage.choices, blank=True, editable=False
    )
    stop_reason = models.TextField(_("reason for pausing or termination"), blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    actual_start = models.DateField(_("construction started"), null=True, blank=True)
    production_date = models.DateField(_("production started"), null=True, blank=True)
    is_key = models.BooleanField(_("key project"), default=False)
    key_list = models.ForeignKey(
        KeyList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("key project list"),
    )
    plan_approved_at = models.DateTimeField(_("timetable approved"), null=True, blank=True)
    plan_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    internal_note = models.TextField(_("internal note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["street", "stage"], name="project_street_stage")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(key_list__isnull=True) | models.Q(is_key=True),
                name="project_key_list_only_for_key_projects",
            ),
            models.CheckConstraint(
                condition=models.Q(total_investment__gte=0), name="project_total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.key_list_id is not None and not self.is_key:
            raise ValidationError(
                {"key_list": _("Only a key project belongs to a key project list.")}
            )

    @property
    def completion_ratio(self) -> Decimal | None:
        """Cumulative completed over total investment (None when the total is 0)."""
        if not self.total_investment:
            return None
        return self.investment_completed / self.total_investment

    @property
    def start_slip_days(self) -> int | None:
        """Calendar days the real start came after the expected one (negative: earlier)."""
        if self.expected_start is None or self.actual_start is None:
            return None
        return (self.actual_start - self.expected_start).days


class StageEvent(models.Model):
    """One stage change: the project's stage history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_events")
    from_stage = models.CharField(
        pgettext_lazy("stage", "from"), max_length=12, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(pgettext_lazy("stage", "to"), max_length=12, choices=Stage.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)  # internal
    reason = models.TextField(_("reason"), blank=True)  # pausing and termination
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.from_stage}→{self.to_stage}"


class ProjectDate(models.Model):
    """The date of one signing or approval step (one row per kind per project)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dates")
    kind = models.CharField(_("kind"), max_length=20, choices=DateKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("project date")
        verbose_name_plural = _("project dates")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="projectdate_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.date}"


class ObstacleType(models.TextChoices):
    LAND = "land", _("Land")
    APPROVAL = "approval", _("Approval procedures")
    PLANNING = "planning", _("Planning")
    FUNDING = "funding", _("Funding")
    UTILITIES = "utilities", _("Utilities and infrastructure")
    ENVIRONMENT = "environment", _("Environment and safety")
    DEMOLITION = "demolition", _("Demolition and relocation")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class ObstacleStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("obstacle status", "Open")
    IN_PROGRESS = "in_progress", _("Being solved")
    RESOLVED = "resolved", pgettext_lazy("obstacle status", "Resolved")


class Obstacle(models.Model):
    """A constraint on the project (制约因素), at any stage."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="obstacles")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, editable=False)
    description = models.TextField(_("description"), max_length=2000)
    type = models.CharField(_("type"), max_length=12, choices=ObstacleType.choices)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_obstacles",
        verbose_name=_("department responsible"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ObstacleStatus.choices,
        default=ObstacleStatus.OPEN,
        db_index=True,
        editable=False,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True, editable=False)
    internal_note = models.TextField(_("internal note"), blank=True)
    # raised as an appeal on behalf of the project's enterprise: appeal.project_obstacle back
    appeal = models.OneToOneField(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_obstacle",
        verbose_name=_("appeal"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description[:40]


def validate_month(value: str) -> None:
    """A month as YYYYMM (the periods of `qifu.stats.periods`)."""
    from qifu.stats.periods import Period

    Period.parse(value)


class Inspection(models.Model):
    """The monthly inspection report (月督查) of a key project, by its lead department."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    month = models.CharField(
        _("month"), max_length=6, validators=[validate_month], help_text=_("YYYYMM")
    )
    month_investment = models.DecimalField(
        _("investment this month (10k yuan)"), validators=NOT_NEGATIVE, **MONEY
    )
    cumulative_investment = models.DecimalField(
        _("cumulative investment (10k yuan)"), validators=NOT_NEGATIVE, **MONEY
    )
    progress = models.TextField(_("physical progress"), max_length=2000)
    progress_percent = models.PositiveSmallIntegerField(
        _("physical progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    problems = models.TextField(_("problems"), blank=True, max_length=2000)
    next_plan = models.TextField(_("next month's plan"), blank=True, max_length=2000)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("monthly inspection")
        verbose_name_plural = _("monthly inspections")
        ordering = ["project_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="inspection_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.month}"


class SchedulingMeeting(models.Model):
    """A quarterly scheduling meeting (季调度) of a key project list."""

    key_list = models.ForeignKey(
        KeyList, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("list")
    )
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=200)
    date = models.DateField(_("date"))
    attendees = models.TextField(_("attendees"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduling meeting")
        verbose_name_plural = _("scheduling meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("task status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Task(models.Model):
    """An entry of the task list (任务单); a meeting's decision on a project is one task."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    meeting = models.ForeignKey(
        SchedulingMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("decided at"),
    )
    what = models.TextField(_("task"), max_length=2000)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        related_name="project_tasks",
        verbose_name=_("owner department"),
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
        editable=False,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due", "id"]
        constraints = [
            # one decision per project discussed at a meeting
            models.UniqueConstraint(
                fields=["meeting", "project"],
                condition=models.Q(meeting__isnull=False),
                name="task_one_decision_per_project_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:40]


class Milestone(models.Model):
    """A line of the timetable (时间表): planned (fixed when the plan is approved), forecast,
    actual."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # the milestone that completes the project (e.g. 竣工投产): "ahead of plan" compares it
    is_completion = models.BooleanField(_("completes the project"), default=False)
    planned = models.DateField(_("planned"), null=True, blank=True)
    forecast = models.DateField(_("forecast"), null=True, blank=True)
    actual = models.DateField(_("actual"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_completion=True),
                name="milestone_one_completion_per_project",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentCategory(models.TextChoices):
    APPROVAL = "approval", _("Approvals")
    CONTRACT = "contract", _("Contracts")
    MINUTES = "minutes", _("Meeting minutes")
    PHOTO = "photo", _("Photos")
    INSPECTION = "inspection", _("Inspection reports")
    OTHER = "other", _("Other")


class Document(models.Model):
    """A file of the project's archive (一项目一档案)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    category = models.CharField(_("category"), max_length=12, choices=DocumentCategory.choices)
    file = models.FileField(_("file"), upload_to="projects/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # internal documents (e.g. meeting minutes) are not shown to the enterprise
    is_internal = models.BooleanField(_("internal"), default=False)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    meeting = models.ForeignKey(
        SchedulingMeeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["category", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
