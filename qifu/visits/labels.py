"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "visit_assignment.create": _("Responsibility assigned"),
        "visit_assignment.end": _("Responsibility ended"),
        "visit.draft": _("Visit draft saved"),
        "visit.complete": _("Visit recorded"),
        "visit.update": _("Visit record corrected"),
        "visit.delete": _("Visit draft discarded"),
        "visit.raise_appeal": _("Appeal raised from a visit"),
        "visit.link_appeal": _("Appeal linked to a visit"),
        "visit_attachment.create": _("Visit attachment added"),
        "visit_plan.create": _("Visit planned"),
        "visit_plan.cancel": _("Visit plan cancelled"),
        "red_flag.create": _("Red flag raised"),
        "red_flag.resolve": _("Red flag resolved"),
        "questionnaire_version.create": _("Questionnaire version drafted"),
        "questionnaire_version.publish": _("Questionnaire version published"),
    }
)
