"""Factories for the audit trail."""

from __future__ import annotations

from typing import Any

import factory

from qifu.audit.models import AuditEvent
from qifu.audit.services import audit_record


class AuditEventFactory(factory.Factory):
    """An audit event written through the one function that writes them."""

    class Meta:
        model = AuditEvent

    actor = None
    action = "test.event"
    object_type = "core.orgunit"
    object_id = factory.Sequence(str)
    object_repr = factory.Faker("company", locale="zh_CN")
    changes = factory.LazyFunction(lambda: {"name": ["旧", "新"]})
    success = True

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> AuditEvent:
        return audit_record(**kwargs)
