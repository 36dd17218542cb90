from __future__ import annotations

from django.db.models import Q, QuerySet

from qifu.accounts.models import User


def user_list_for_admin(*, search: str = "") -> QuerySet[User]:
    """Every account, for the security admin (the only role that manages accounts)."""
    users = User.objects.select_related("org_unit", "department")
    if search:
        users = users.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return users.order_by("username")


def demo_accounts() -> list[User]:
    from qifu.core.demo import DEMO_USERNAMES

    found = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES, is_active=True).select_related(
            "org_unit", "department"
        )
    }
    return [found[name] for name in DEMO_USERNAMES if name in found]
