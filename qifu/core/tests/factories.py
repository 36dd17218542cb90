"""Factories for the org structure; they save through the services, so objects are always valid."""

from __future__ import annotations

from typing import Any

import factory

from qifu.core import services
from qifu.core.models import Department, Level, OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    """A street (give `parent`, a district); pass `level` and `parent` for other levels."""

    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"9{n:08d}")
    name = factory.Faker("street_name", locale="zh_CN")
    level = Level.STREET
    parent = None
    sort_order = 0

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: Any, **kwargs: Any) -> OrgUnit:
        return services.org_unit_save(by=None, **kwargs)


class DepartmentFactory(factory.django.DjangoModelFactory):
    """A department of `district`."""

    class Meta:
        model = Department

    district = None
    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Faker("company", locale="zh_CN")
    is_active = True
    sort_order = 0

    @classmethod
    def _create(cls, model_class: type[Department], *args: Any, **kwargs: Any) -> Department:
        return services.department_save(by=None, **kwargs)
