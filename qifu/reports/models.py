"""Research reports (调研报告): written by officials, drafted from the visits and appeals.

The body is Markdown (headings, paragraphs, quotes, lists and pipe tables, no HTML): the drafting
tool writes it, the authors edit it in a plain text box, the page shows it escaped and the Word
export turns the same structure into headings, paragraphs and tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", pgettext_lazy("report status", "Final")


class ReportKind(models.TextChoices):
    PROBLEMS = "problems", _("Problems of enterprises and countermeasures")
    VISITS = "visits", _("Visiting work")
    THEMATIC = "thematic", _("Thematic research")


class Report(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ReportKind.choices, default=ReportKind.THEMATIC
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("scope"),
    )
    period = models.CharField(
        _("period"), max_length=10, help_text=_("A quarter like 2026Q4, or a year like 2026.")
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="reports", verbose_name=_("authors")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), max_length=100000, blank=True)
    appeals = models.ManyToManyField(
        "appeals.Appeal", blank=True, related_name="reports", verbose_name=_("appeals drawn on")
    )
    visits = models.ManyToManyField(
        "visits.Visit", blank=True, related_name="reports", verbose_name=_("visits drawn on")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    client_token = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("research report")
        verbose_name_plural = _("research reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_token"],
                condition=~models.Q(client_token=""),
                name="report_client_token_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", max_length=255)
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
