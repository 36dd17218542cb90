"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "report.create": _("Research report created"),
        "report.update": _("Research report changed"),
        "report.finalise": _("Research report finalised"),
        "report.reopen": _("Research report reopened as a draft"),
        "report_attachment.create": _("Research report attachment added"),
    }
)
