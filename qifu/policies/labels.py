"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "policy.create": _("Policy added"),
        "policy.update": _("Policy changed"),
        "programme.create": _("Programme added"),
        "programme.update": _("Programme changed"),
        "programme.publish": _("Programme published"),
        "programme.close": _("Programme closed"),
        "programme.confirm_list": _("Eligible list confirmed (no application)"),
        "application.apply": _("Applied for a programme"),
        "application.recommend_by_department": _("Enterprise recommended by a department"),
        "application.confirm": _("Confirmed eligible without application"),
        "application.review": _("Application reviewed"),
        "application.return": _("Application returned for completion"),
        "application.resubmit": _("Application completed and resubmitted"),
        "application.recommend": _("Application recommended upward"),
        "application.approve": _("Application approved"),
        "application.reject": _("Application rejected"),
        "application.funds": _("Funds received"),
        "application.withdraw": _("Application withdrawn"),
        "notice.send": _("Notice sent"),
        "notice.remind": _("Reminder sent before a window closes"),
        "delivery.read": _("Notice read"),
    }
)
