from __future__ import annotations

from typing import Any

from rest_framework import mixins, serializers, viewsets

from qifu.accounts.permissions import CanReadAudit
from qifu.audit import selectors
from qifu.audit.forms import AuditFilterForm
from qifu.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor_username",
            "actor_role",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "ip",
            "success",
        ]


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The audit log (audit admin only); filters as on the page: actor, action, object_type, …"""

    serializer_class = AuditEventSerializer
    permission_classes = [CanReadAudit]

    def get_queryset(self) -> Any:
        form = AuditFilterForm(self.request.query_params)
        return selectors.audit_event_list_for_user(user=self.request.user, filters=form.filters())
