"""Account changes: created and edited by the security admin (or the demo builder), audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from qifu.accounts.models import User
from qifu.audit.services import audit_record, diff, snapshot

USER_FIELDS = (
    "username",
    "full_name",
    "phone",
    "email",
    "role",
    "org_unit",
    "department",
    "enterprise",
    "sees_personal_data",
    "is_active",
)


@transaction.atomic
def user_save(
    *, by: Any, user: User | None = None, password: str | None = None, **values: Any
) -> User:
    """Create or change an account; a password given here is hashed (Argon2) and never logged."""
    creating = user is None
    user = user or User()
    before = {} if creating else snapshot(user, USER_FIELDS)
    for key, value in values.items():
        setattr(user, key, value)
    own = not creating and getattr(by, "pk", None) == user.pk
    if own and (before["role"] != user.role or not user.is_active):
        raise ValidationError(
            {"role": _("You cannot change your own role or disable your own account.")}
        )
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    elif creating:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    changes = diff(before, snapshot(user, USER_FIELDS))
    if password is not None and not creating:
        changes["password"] = ["***", "***"]
    if not creating and not changes:
        return user
    user.save()
    if password is not None and not creating:
        Token.objects.filter(user=user).delete()  # a new password ends the old API token
    audit_record(
        actor=by, action="user.create" if creating else "user.update", obj=user, changes=changes
    )
    return user


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The API token of a user who has just proved their password (one per user, reused)."""
    token, created = Token.objects.get_or_create(user=user)
    audit_record(actor=user, action="auth.token", obj=user, changes={"created": [None, created]})
    return token
