"""REST: /api/v1/enterprises/ — the registry with the same scope and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from qifu.core.rest import query_bool
from qifu.enterprises import permissions as enterprise_permissions
from qifu.enterprises import selectors, services
from qifu.enterprises.models import Enterprise, Kind, Status
from qifu.enterprises.validators import validate_credit_code, validate_industry_code
from qifu.lib import credit_code, industry
from qifu.lib.masking import mask_phone


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    title = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        r"^[0-9+\-() ]{5,30}$", max_length=30, required=False, allow_blank=True, default=""
    )

    def to_representation(self, contact: Any) -> dict[str, Any]:
        user = self.context["request"].user
        full = enterprise_permissions.sees_full_phone(user, contact.enterprise)
        return {
            "name": contact.name,
            "title": contact.title,
            "phone": contact.phone if full else mask_phone(contact.phone),
        }


class EnterpriseSerializer(serializers.ModelSerializer):
    street = serializers.SlugRelatedField(slug_field="code", queryset=selectors.streets_none())
    zone = serializers.CharField(source="street.zone.code", read_only=True, default=None)
    industry_section = serializers.CharField(read_only=True)
    industry_name = serializers.SerializerMethodField()
    registered_capital = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("In 10k yuan (万元)."),
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, source="tag_names"
    )
    contacts = ContactSerializer(many=True, required=False)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.ENTERPRISE)
    status = serializers.ChoiceField(choices=Status.choices, default=Status.OPERATING)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_representative",
            "street",
            "zone",
            "industry_code",
            "industry_section",
            "industry_name",
            "is_above_scale",
            "is_key",
            "kind",
            "status",
            "address",
            "registered_capital",
            "established_on",
            "tags",
            "contacts",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        # as typed (spaces, dashes) like the form accepts it; validate_credit_code normalises it
        extra_kwargs = {"credit_code": {"validators": [], "max_length": 30}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["street"].queryset = selectors.streets_for_user(user=request.user)

    def get_industry_name(self, enterprise: Enterprise) -> str | None:
        found = industry.lookup(enterprise.industry_code)
        return found.name if found else None

    def validate_credit_code(self, value: str) -> str:
        code = credit_code.normalise(value)
        try:
            validate_credit_code(code)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return code

    def validate_industry_code(self, value: str) -> str:
        try:
            validate_industry_code(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value

    def to_representation(self, enterprise: Enterprise) -> dict[str, Any]:
        enterprise.tag_names = [t.name for t in enterprise.tags.all()]
        return super().to_representation(enterprise)


class CanEditEnterprises(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if not enterprise_permissions.can_open_registry(request.user):
            return False
        if request.method == "POST":
            return enterprise_permissions.can_create(request.user)
        if request.method == "PATCH":
            return enterprise_permissions.can_edit(request.user)
        return True


_filters = [
    OpenApiParameter("search", str, description="name or credit code (substring)"),
    OpenApiParameter("street", str, description="street org-unit code"),
    OpenApiParameter("zone", str, description="zone code: west, central, east"),
    OpenApiParameter("section", str, description="industry section letter A–T"),
    OpenApiParameter("is_above_scale", bool),
    OpenApiParameter("is_key", bool),
    OpenApiParameter("kind", str, enum=Kind.values),
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter(
        "ordering", str, description="name, credit_code, street, capital, …; - for descending"
    ),
]


class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprises in the caller's scope; officials who keep the registry create and change them."""

    serializer_class = EnterpriseSerializer
    permission_classes = [CanEditEnterprises]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(parameters=_filters)
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters = {
            key: params.get(key, "")
            for key in ("search", "street", "zone", "section", "kind", "status")
        }
        filters |= {key: query_bool(params.get(key)) for key in ("is_above_scale", "is_key")}
        return selectors.enterprise_list_for_user(
            user=self.request.user, filters=filters, ordering=params.get("ordering", "name")
        )

    @staticmethod
    def _split(data: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
        data = dict(data)
        tags = data.pop("tag_names", None)
        contacts = data.pop("contacts", None)
        return data, tags, contacts

    @transaction.atomic
    def perform_create(self, serializer: Any) -> None:
        values, tags, contacts = self._split(serializer.validated_data)
        enterprise = services.enterprise_create(by=self.request.user, tags=tags or (), **values)
        if contacts:
            services.contacts_replace(
                by=self.request.user, enterprise=enterprise, contacts=contacts
            )
        serializer.instance = selectors.enterprise_get_for_user(
            user=self.request.user, pk=enterprise.pk
        )

    @transaction.atomic
    def perform_update(self, serializer: Any) -> None:
        enterprise = serializer.instance
        if not enterprise_permissions.can_edit(self.request.user, enterprise):
            raise PermissionDenied
        values, tags, contacts = self._split(serializer.validated_data)
        services.enterprise_update(by=self.request.user, enterprise=enterprise, tags=tags, **values)
        if contacts is not None:
            services.contacts_replace(
                by=self.request.user, enterprise=enterprise, contacts=contacts
            )
        serializer.instance = selectors.enterprise_get_for_user(
            user=self.request.user, pk=enterprise.pk
        )
