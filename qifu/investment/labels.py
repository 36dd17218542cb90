"""Readable names of this module's audit actions (added to the audit log's table)."""

from django.utils.translation import gettext_lazy as _

from qifu.audit.labels import ACTION_LABELS

ACTION_LABELS.update(
    {
        "investment.channel.create": _("Investment channel added"),
        "investment.channel.update": _("Investment channel changed"),
        "investment.channel_contact.create": _("Channel contact added"),
        "investment.channel_contact.update": _("Channel contact changed"),
        "investment.channel.contact_log": _("Contact with a channel recorded"),
        "investment.lead.create": _("Investment lead recorded"),
        "investment.lead.update": _("Investment lead changed"),
        "investment.lead.follow_up": _("Lead followed up"),
        "investment.lead.drop": _("Lead dropped"),
        "investment.lead.reopen": _("Lead taken up again"),
        "investment.lead.convert": _("Lead converted to a project"),
        "investment.resource.create": _("Investment resource added"),
        "investment.resource.update": _("Investment resource changed"),
        "investment.resource.reserve": _("Resource reserved"),
        "investment.resource.release": _("Resource reservation released"),
        "investment.resource.take": _("Resource taken"),
        "investment.resource.vacate": _("Resource available again"),
    }
)
