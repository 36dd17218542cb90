"""Readable names of audit actions; each module adds its own."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "auth.token": _("API token issued"),
    "user.create": _("Account created"),
    "user.update": _("Account changed"),
    "org_unit.create": _("Org unit created"),
    "org_unit.update": _("Org unit changed"),
    "zone.create": _("Zone created"),
    "zone.update": _("Zone changed"),
    "department.create": _("Department created"),
    "department.update": _("Department changed"),
    "holiday.create": _("Calendar day added"),
    "holiday.update": _("Calendar day changed"),
    "holiday.delete": _("Calendar day removed"),
    "holiday.sync": _("Calendar years added from the official schedule"),
    "enterprise.create": _("Enterprise registered"),
    "enterprise.update": _("Enterprise data changed"),
    "enterprise.contact_add": _("Contact added"),
    "enterprise.contact_update": _("Contact changed"),
    "enterprise.contact_remove": _("Contact removed"),
    "enterprise.import": _("Enterprises imported from Excel"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def role_label(role: str) -> str:
    from qifu.accounts.models import Role

    return str(Role(role).label) if role in Role.values else role
