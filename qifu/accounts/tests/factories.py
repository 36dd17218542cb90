"""Factories that build valid accounts through the service, audited like real ones."""

from __future__ import annotations

from typing import Any

import factory

from qifu.accounts import services
from qifu.accounts.models import User

TEST_PASSWORD = "Qifu-test-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """An active account without a role; pass `role`, `org_unit` and `department` for a scope."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n:03d}")
    full_name = factory.Faker("name", locale="zh_CN")
    phone = factory.Faker("phone_number", locale="zh_CN")
    email = factory.Faker("email", locale="zh_CN")
    role = ""
    org_unit = None
    department = None
    is_active = True

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", TEST_PASSWORD)
        return services.user_save(by=None, password=password, **kwargs)
