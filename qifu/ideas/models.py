"""Golden ideas from the public (征集金点子): an idea, its official answers, supports, reports,
progress after adoption, its timeline, and the block list of senders.

The public state of an idea (`status`) and the department's draft answer (`IdeaAnswer` pending)
are kept apart: the public sees an answer only once a district leader has approved it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TITLE_MAX = 60
BODY_MAX = 2000


class Topic(models.TextChoices):
    INDUSTRY = "industry", _("Industrial development")
    URBAN = "urban", _("Urban construction")
    BUSINESS = "business", _("Business environment")
    SERVICES = "services", _("Public services")
    ECOLOGY = "ecology", _("Ecology and environment")
    OTHER = "other", pgettext_lazy("idea topic", "Other")


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("idea status", "Awaiting review")
    PUBLISHED = "published", pgettext_lazy("idea status", "Published")
    NOT_PUBLISHED = "not_published", pgettext_lazy("idea status", "Not published")
    EVALUATING = "evaluating", pgettext_lazy("idea status", "Under evaluation")
    ADOPTED = "adopted", pgettext_lazy("idea status", "Adopted")
    DECLINED = "declined", pgettext_lazy("idea status", "Not adopted")
    DUPLICATE = "duplicate", pgettext_lazy("idea status", "Duplicate")
    WITHDRAWN = "withdrawn", pgettext_lazy("idea status", "Withdrawn")


# What the public may see (unless hidden by moderation).
PUBLIC_STATUSES = frozenset(
    {Status.PUBLISHED, Status.EVALUATING, Status.ADOPTED, Status.DECLINED, Status.DUPLICATE}
)
# Ideas that may still be supported.
OPEN_STATUSES = frozenset({Status.PUBLISHED, Status.EVALUATING})


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Mobile phone")
    EMAIL = "email", _("E-mail")


class Idea(models.Model):
    district = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="ideas", verbose_name=_("district")
    )
    zone = models.ForeignKey(
        "core.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("zone"),
        help_text=_("Empty: the whole district."),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(pgettext_lazy("idea", "title"), max_length=TITLE_MAX)
    body = models.TextField(_("idea"), max_length=BODY_MAX)
    author_name = models.CharField(pgettext_lazy("person", "name"), max_length=30, blank=True)
    # never published; masked to officials who may not see it in full
    contact = models.CharField(_("contact"), max_length=254)
    contact_kind = models.CharField(_("contact kind"), max_length=10, choices=ContactKind.choices)
    contact_key = models.CharField(max_length=64, db_index=True, editable=False)
    ip_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    consent_at = models.DateTimeField(_("consent given"))
    tracking_hash = models.CharField(max_length=64, unique=True, editable=False)
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("reason for not publishing"), blank=True)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("department evaluating"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    # the official answer as published (approved by a district leader)
    answer_text = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer approved by"),
    )
    adoption_plan = models.TextField(_("what will be done"), blank=True)
    adoption_due = models.DateField(_("to be done by"), null=True, blank=True)

    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    open_reports = models.PositiveSmallIntegerField(_("reports to review"), default=0)

    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("golden idea")
        verbose_name_plural = _("golden ideas")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["district", "status"], name="idea_district_status"),
            models.Index(fields=["status", "hidden"], name="idea_public"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="idea_duplicate_has_target",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of__isnull=True) | ~Q(duplicate_of=models.F("pk")),
                name="idea_not_duplicate_of_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES and not self.hidden


class Outcome(models.TextChoices):
    REPLY = "reply", _("Reply only (evaluation goes on)")
    ADOPT = "adopt", _("Adopt")
    DECLINE = "decline", _("Do not adopt")


class AnswerStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved and published")
    RETURNED = "returned", _("Returned for redrafting")


class IdeaAnswer(models.Model):
    """An answer drafted by the evaluating department; public only once a leader approves it."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="answers", verbose_name=_("idea")
    )
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    text = models.TextField(_("answer"), max_length=BODY_MAX)
    outcome = models.CharField(_("proposed outcome"), max_length=10, choices=Outcome.choices)
    plan = models.TextField(_("what will be done"), blank=True, max_length=BODY_MAX)
    due_on = models.DateField(_("to be done by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.PENDING
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    drafted_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("idea answer")
        verbose_name_plural = _("idea answers")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea"],
                condition=Q(status="pending"),
                name="idea_one_pending_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.get_outcome_display()}"


class Support(models.Model):
    """附议: one per contact per idea. The contact itself is not kept, only its key."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="supports", verbose_name=_("idea")
    )
    contact_key = models.CharField(max_length=64)
    ip_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("idea", "support")
        verbose_name_plural = pgettext_lazy("idea", "supports")
        constraints = [
            models.UniqueConstraint(fields=["idea", "contact_key"], name="support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id}"


class Report(models.Model):
    """A report of inappropriate content from the public: one per contact per idea."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="reports", verbose_name=_("idea")
    )
    reason = models.CharField(_("reason"), max_length=200)
    contact_key = models.CharField(max_length=64)
    ip_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("idea", "report")
        verbose_name_plural = pgettext_lazy("idea", "reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "contact_key"], name="report_once"),
        ]

    def __str__(self) -> str:
        return self.reason


class Progress(models.Model):
    """What has been done since an idea was adopted ("you said, we did")."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="progress", verbose_name=_("idea")
    )
    on = models.DateField(_("date"))
    text = models.TextField(_("what was done"), max_length=BODY_MAX)
    done = models.BooleanField(_("completed"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class IdeaEvent(models.Model):
    """The idea's timeline. Moderation events keep the text before and after in `data`."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="events", verbose_name=_("idea")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("idea event")
        verbose_name_plural = _("idea events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.action}"


class BlockKind(models.TextChoices):
    CONTACT = "contact", _("Phone or e-mail")
    IP = "ip", _("Network address")


class BlockedSender(models.Model):
    """A sender whose ideas, supports and reports are refused. Kept as a key, never in clear."""

    district = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BlockKind.choices)
    key = models.CharField(max_length=64)
    label = models.CharField(_("sender"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    until = models.DateField(_("blocked until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked sender")
        verbose_name_plural = _("blocked senders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "kind", "key"], name="block_once"),
        ]

    def __str__(self) -> str:
        return self.label
