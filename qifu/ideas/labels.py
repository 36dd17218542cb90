"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "idea.submit": _("Idea submitted"),
        "idea.support": _("Idea supported"),
        "idea.report": _("Idea reported"),
        "idea.hidden_by_reports": _("Idea hidden after reports"),
        "idea.withdraw": _("Idea withdrawn"),
        "idea.publish": _("Idea published"),
        "idea.reject": _("Idea not published"),
        "idea.assign": _("Idea assigned to a department"),
        "idea.answer": _("Idea answer drafted"),
        "idea.approve_answer": _("Idea answer approved"),
        "idea.return_answer": _("Idea answer returned"),
        "idea.adopt": _("Idea adopted"),
        "idea.decline": _("Idea not adopted"),
        "idea.mark_duplicate": _("Idea marked as a duplicate"),
        "idea.hide": _("Idea hidden"),
        "idea.restore": _("Idea restored"),
        "idea.edit": _("Idea edited by a moderator"),
        "idea.progress": _("Progress on an adopted idea"),
        "idea_block.create": _("Sender blocked"),
        "idea_block.update": _("Sender block changed"),
        "idea_block.delete": _("Sender unblocked"),
    }
)
