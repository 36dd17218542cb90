"""Viewset bases: writes go through a service, which validates and writes the audit trail."""

from __future__ import annotations

from typing import Any

from rest_framework import mixins, viewsets


class ServiceWriteMixin:
    """Creates and changes go through one service: `save_service(by=, <instance_kwarg>=, **data)`.

    Set `save_service = staticmethod(services.x_save)` and `instance_kwarg = "x"` on the viewset.
    """

    save_service: Any
    instance_kwarg: str
    request: Any

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = self.save_service(
            by=self.request.user, **dict(serializer.validated_data)
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = self.save_service(
            by=self.request.user,
            **{self.instance_kwarg: serializer.instance},
            **dict(serializer.validated_data),
        )


class ServiceViewSet(
    ServiceWriteMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and change (PATCH) through a service; nothing is deleted."""

    http_method_names = ["get", "post", "patch", "head", "options"]
