"""Who opens the command centre: the officials of a district (leaders, departments, streets,
statistics and investment staff), each with the figures of their own scope. Enterprise users and
the administrators have their own homes instead."""

from __future__ import annotations

from typing import Any

from qifu.accounts.models import OFFICIAL_ROLES
from qifu.accounts.scope import scope_for


def can_open(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in OFFICIAL_ROLES and scope_for(user).district is not None
