"""REST: /api/v1/investment/ — leads, resources and channels, with the same services and scope as
the pages. A change the state does not allow answers 409; a role that may not act, 403; a row
outside the caller's scope, 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from qifu.accounts.models import User
from qifu.core.models import OrgUnit
from qifu.core.rest import Conflict
from qifu.investment import forms, permissions, selectors, services
from qifu.investment.models import (
    Channel,
    ChannelContact,
    ChannelKind,
    ContactLog,
    FollowUp,
    FollowUpMethod,
    LandUse,
    Lead,
    LeadStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
)

# --- serializers ---------------------------------------------------------------------------------


class InvestmentChannelContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChannelContact
        fields = ["id", "name", "title", "phone", "email", "note"]


class InvestmentContactLogSerializer(serializers.ModelSerializer):
    contact = serializers.CharField(source="contact.name", default=None, read_only=True)
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = ContactLog
        fields = ["id", "date", "contact", "summary", "by"]


class InvestmentChannelSerializer(serializers.ModelSerializer):
    contacts = InvestmentChannelContactSerializer(many=True, read_only=True)
    lead_count = serializers.IntegerField(read_only=True, default=0)
    last_contact = serializers.DateField(read_only=True, default=None)

    class Meta:
        model = Channel
        fields = [
            "id",
            "name",
            "kind",
            "address",
            "description",
            "is_active",
            "contacts",
            "lead_count",
            "last_contact",
        ]


class InvestmentChannelDetailSerializer(InvestmentChannelSerializer):
    logs = InvestmentContactLogSerializer(many=True, read_only=True)

    class Meta(InvestmentChannelSerializer.Meta):
        fields = [*InvestmentChannelSerializer.Meta.fields, "logs"]


class InvestmentFollowUpSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", default=None, read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "date", "method", "note", "next_step", "by"]


class _ScopedFields:
    """Relations whose choices are the caller's scope (set from the request)."""

    def scope_fields(self: Any) -> None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, queryset in self.scoped(user).items():
            if name in self.fields:
                self.fields[name].queryset = queryset


class InvestmentLeadSerializer(_ScopedFields, serializers.ModelSerializer):
    preferred_street = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.none(),
        required=False,
        allow_null=True,
        help_text="street code",
    )
    channel = serializers.PrimaryKeyRelatedField(
        queryset=Channel.objects.none(), required=False, allow_null=True
    )
    channel_name = serializers.CharField(source="channel.name", read_only=True, default=None)
    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text="username (default: the caller)",
    )
    follow_up_count = serializers.IntegerField(read_only=True, default=0)
    last_follow_up = serializers.DateField(read_only=True, default=None)

    class Meta:
        model = Lead
        fields = [
            "id",
            "investor",
            "title",
            "origin",
            "industry",
            "amount",
            "land_area_mu",
            "floor_area_m2",
            "land_use",
            "preferred_street",
            "channel",
            "channel_name",
            "owner",
            "contact_name",
            "contact_phone",
            "description",
            "status",
            "drop_reason",
            "converted_project",
            "converted_at",
            "follow_up_count",
            "last_follow_up",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "drop_reason",
            "converted_project",
            "converted_at",
            "created_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()

    @staticmethod
    def scoped(user: Any) -> dict[str, Any]:
        return {
            "preferred_street": selectors.streets_for_user(user=user),
            "channel": selectors.channels_for_user(user=user),
            "owner": selectors.owners_for_user(user=user),
        }


class InvestmentLeadDetailSerializer(InvestmentLeadSerializer):
    follow_ups = InvestmentFollowUpSerializer(many=True, read_only=True)

    class Meta(InvestmentLeadSerializer.Meta):
        fields = [*InvestmentLeadSerializer.Meta.fields, "follow_ups"]


class InvestmentResourceSerializer(_ScopedFields, serializers.ModelSerializer):
    street = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.none(), help_text="street code"
    )
    street_name = serializers.CharField(source="street.name", read_only=True)

    class Meta:
        model = Resource
        fields = [
            "id",
            "kind",
            "name",
            "street",
            "street_name",
            "location",
            "land_use",
            "area_mu",
            "area_m2",
            "price",
            "rent",
            "building",
            "floor",
            "owner_name",
            "contact_name",
            "contact_phone",
            "note",
            "status",
            "project",
            "reserved_lead",
            "reserved_until",
        ]
        read_only_fields = ["status", "project", "reserved_lead", "reserved_until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()

    @staticmethod
    def scoped(user: Any) -> dict[str, Any]:
        return {"street": selectors.streets_for_user(user=user)}


class LeadFollowUpIn(serializers.Serializer):
    date = serializers.DateField()
    method = serializers.ChoiceField(choices=FollowUpMethod.choices)
    note = serializers.CharField(max_length=2000)
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LeadDropIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class LeadReopenIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LeadConvertIn(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, help_text="id of the project")


class ResourceReserveIn(serializers.Serializer):
    project_ref = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="id of the project"
    )
    lead = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="id of an open lead"
    )
    until = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ResourceTakeIn(serializers.Serializer):
    project_ref = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ResourceNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ChannelContactLogIn(serializers.Serializer):
    date = serializers.DateField()
    contact = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="id of a contact"
    )
    summary = serializers.CharField(max_length=2000)


# --- permissions and helpers ---------------------------------------------------------------------


class ManagesInvestment(BasePermission):
    """Investment staff and district leaders; for resources, other officials may read."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(view, "readable_by_officials", False) and request.method in ("GET", "HEAD"):
            return permissions.can_read_resources(request.user)
        return permissions.can_manage(request.user)


def _data(serializer: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _run(run: Any) -> Any:
    try:
        return run()
    except services.TransitionError as error:
        raise Conflict(str(error)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error


def _filter_params(form_class: Any, request: Any, **kwargs: Any) -> dict[str, Any]:
    form = form_class(request.query_params, **kwargs)
    if not form.is_valid():
        raise serializers.ValidationError(dict(form.errors.items()))
    return dict(form.filters())


# --- viewsets ------------------------------------------------------------------------------------


class LeadViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Investment leads of the caller's district (investment staff and district leaders)."""

    permission_classes = [ManagesInvestment]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return InvestmentLeadSerializer
        return InvestmentLeadDetailSerializer

    def get_queryset(self) -> Any:
        filters = {}
        if self.action == "list":
            filters = _filter_params(forms.LeadFilterForm, self.request, user=self.request.user)
        qs = selectors.lead_list_for_user(user=self.request.user, filters=filters)
        if self.action != "list":
            qs = qs.prefetch_related("follow_ups__by")
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=LeadStatus.values),
            OpenApiParameter("channel", int),
            OpenApiParameter("owner", int, description="user id"),
            OpenApiParameter("land_use", str, enum=LandUse.values),
            OpenApiParameter("search", str),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def _detail(self, request: Any, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        lead = self.get_queryset().get(pk=pk)
        return Response(
            InvestmentLeadDetailSerializer(lead, context={"request": request}).data, status=code
        )

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        data = InvestmentLeadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        lead = _run(lambda: services.lead_save(by=request.user, **data.validated_data))
        return self._detail(request, lead.pk, status.HTTP_201_CREATED)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        lead = selectors.lead_get_for_user(user=request.user, pk=kwargs["pk"])
        data = InvestmentLeadSerializer(
            lead, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        _run(lambda: services.lead_save(by=request.user, lead=lead, **data.validated_data))
        return self._detail(request, lead.pk)

    def _act(self, request: Any, pk: Any, run: Any) -> Response:
        lead = selectors.lead_get_for_user(user=request.user, pk=pk)
        _run(lambda: run(lead))
        return self._detail(request, pk)

    @extend_schema(request=LeadFollowUpIn, responses=InvestmentLeadDetailSerializer)
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_up(self, request: Any, pk: Any = None) -> Response:
        d = _data(LeadFollowUpIn, request)
        return self._act(
            request, pk, lambda lead: services.lead_follow_up(by=request.user, lead=lead, **d)
        )

    @extend_schema(request=LeadDropIn, responses=InvestmentLeadDetailSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: Any, pk: Any = None) -> Response:
        d = _data(LeadDropIn, request)
        return self._act(
            request, pk, lambda lead: services.lead_drop(by=request.user, lead=lead, **d)
        )

    @extend_schema(request=LeadReopenIn, responses=InvestmentLeadDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Any, pk: Any = None) -> Response:
        d = _data(LeadReopenIn, request)
        return self._act(
            request, pk, lambda lead: services.lead_reopen(by=request.user, lead=lead, **d)
        )

    @extend_schema(request=LeadConvertIn, responses=InvestmentLeadDetailSerializer)
    @action(detail=True, methods=["post"])
    def convert(self, request: Any, pk: Any = None) -> Response:
        d = _data(LeadConvertIn, request)
        return self._act(
            request, pk, lambda lead: services.lead_convert(by=request.user, lead=lead, **d)
        )

    @extend_schema(responses=InvestmentResourceSerializer(many=True))
    @action(detail=True, methods=["get"])
    def matches(self, request: Any, pk: Any = None) -> Response:
        """Available resources that meet the lead's needs, best first."""
        lead = selectors.lead_get_for_user(user=request.user, pk=pk)
        found = selectors.lead_matches(user=request.user, lead=lead)
        body = InvestmentResourceSerializer(
            [m.resource for m in found], many=True, context={"request": request}
        ).data
        for row, match in zip(body, found, strict=True):
            row["score"] = match.score
            row["reasons"] = match.reasons
        return Response(body)


class ResourceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The resource database: land parcels, vacant plants, building floors. Officials of the
    district read it; investment staff and district leaders change it."""

    permission_classes = [ManagesInvestment]
    readable_by_officials = True
    serializer_class = InvestmentResourceSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        filters = {}
        if self.action == "list":
            filters = _filter_params(forms.ResourceFilterForm, self.request, user=self.request.user)
        return selectors.resource_list_for_user(user=self.request.user, filters=filters)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=ResourceKind.values),
            OpenApiParameter("status", str, enum=ResourceStatus.values),
            OpenApiParameter("street", int, description="org unit id of a street"),
            OpenApiParameter("land_use", str, enum=LandUse.values),
            OpenApiParameter("min_area", float, description="亩 for land, m² otherwise"),
            OpenApiParameter("max_area", float),
            OpenApiParameter("search", str),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def _detail(self, request: Any, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        resource = selectors.resource_get_for_user(user=request.user, pk=pk)
        return Response(
            InvestmentResourceSerializer(resource, context={"request": request}).data, status=code
        )

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        data = InvestmentResourceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        resource = _run(lambda: services.resource_save(by=request.user, **data.validated_data))
        return self._detail(request, resource.pk, status.HTTP_201_CREATED)

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        resource = selectors.resource_get_for_user(user=request.user, pk=kwargs["pk"])
        data = InvestmentResourceSerializer(
            resource, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        _run(
            lambda: services.resource_save(
                by=request.user, resource=resource, **data.validated_data
            )
        )
        return self._detail(request, resource.pk)

    def _act(self, request: Any, pk: Any, run: Any) -> Response:
        resource = selectors.resource_get_for_user(user=request.user, pk=pk)
        _run(lambda: run(resource))
        return self._detail(request, pk)

    @extend_schema(request=ResourceReserveIn, responses=InvestmentResourceSerializer)
    @action(detail=True, methods=["post"])
    def reserve(self, request: Any, pk: Any = None) -> Response:
        d = _data(ResourceReserveIn, request)
        lead, lead_id = None, d.pop("lead")
        if lead_id is not None:
            lead = selectors.open_leads_for_user(user=request.user).filter(pk=lead_id).first()
            if lead is None:
                raise serializers.ValidationError(
                    {"lead": [_("No open lead with this id in your district.")]}
                )
        return self._act(
            request,
            pk,
            lambda r: services.resource_reserve(by=request.user, resource=r, lead=lead, **d),
        )

    @extend_schema(request=ResourceNoteIn, responses=InvestmentResourceSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request: Any, pk: Any = None) -> Response:
        d = _data(ResourceNoteIn, request)
        return self._act(
            request, pk, lambda r: services.resource_release(by=request.user, resource=r, **d)
        )

    @extend_schema(request=ResourceTakeIn, responses=InvestmentResourceSerializer)
    @action(detail=True, methods=["post"])
    def take(self, request: Any, pk: Any = None) -> Response:
        d = _data(ResourceTakeIn, request)
        return self._act(
            request, pk, lambda r: services.resource_take(by=request.user, resource=r, **d)
        )

    @extend_schema(request=ResourceNoteIn, responses=InvestmentResourceSerializer)
    @action(detail=True, methods=["post"])
    def vacate(self, request: Any, pk: Any = None) -> Response:
        d = _data(ResourceNoteIn, request)
        return self._act(
            request, pk, lambda r: services.resource_vacate(by=request.user, resource=r, **d)
        )


class ChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Channels of the caller's district (chambers of commerce, upper-level departments, …)
    with their contacts and the log of contacts made."""

    permission_classes = [ManagesInvestment]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return InvestmentChannelSerializer
        return InvestmentChannelDetailSerializer

    def get_queryset(self) -> Any:
        filters = {}
        if self.action == "list":
            filters = _filter_params(forms.ChannelFilterForm, self.request)
        qs = selectors.channel_list_for_user(user=self.request.user, filters=filters)
        if self.action != "list":
            qs = qs.prefetch_related("logs__contact", "logs__by")
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=ChannelKind.values),
            OpenApiParameter("search", str),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def _detail(self, request: Any, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        channel = self.get_queryset().get(pk=pk)
        return Response(
            InvestmentChannelDetailSerializer(channel, context={"request": request}).data,
            status=code,
        )

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        data = InvestmentChannelSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        channel = _run(lambda: services.channel_save(by=request.user, **data.validated_data))
        return self._detail(request, channel.pk, status.HTTP_201_CREATED)

    @extend_schema(request=InvestmentChannelSerializer, responses=InvestmentChannelDetailSerializer)
    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        channel = selectors.channel_get_for_user(user=request.user, pk=kwargs["pk"])
        data = InvestmentChannelSerializer(
            channel, data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        _run(lambda: services.channel_save(by=request.user, channel=channel, **data.validated_data))
        return self._detail(request, channel.pk)

    @extend_schema(
        request=InvestmentChannelContactSerializer, responses=InvestmentChannelDetailSerializer
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"contacts/(?P<contact_id>[0-9]+)",
        url_name="contact-change",
    )
    def contact_change(self, request: Any, pk: Any = None, contact_id: Any = None) -> Response:
        """Change a contact person of the channel."""
        channel = selectors.channel_get_for_user(user=request.user, pk=pk)
        contact = next((c for c in channel.contacts.all() if str(c.pk) == str(contact_id)), None)
        if contact is None:
            raise Http404
        data = InvestmentChannelContactSerializer(contact, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        _run(
            lambda: services.channel_contact_save(
                by=request.user, channel=channel, contact=contact, **data.validated_data
            )
        )
        return self._detail(request, pk)

    @extend_schema(
        request=InvestmentChannelContactSerializer, responses=InvestmentChannelDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def contacts(self, request: Any, pk: Any = None) -> Response:
        channel = selectors.channel_get_for_user(user=request.user, pk=pk)
        d = _data(InvestmentChannelContactSerializer, request)
        _run(lambda: services.channel_contact_save(by=request.user, channel=channel, **d))
        return self._detail(request, pk)

    @extend_schema(request=ChannelContactLogIn, responses=InvestmentChannelDetailSerializer)
    @action(detail=True, methods=["post"], url_path="contact-logs")
    def contact_logs(self, request: Any, pk: Any = None) -> Response:
        channel = selectors.channel_get_for_user(user=request.user, pk=pk)
        d = _data(ChannelContactLogIn, request)
        contact, contact_id = None, d.pop("contact")
        if contact_id is not None:
            contact = next((c for c in channel.contacts.all() if c.pk == contact_id), None)
            if contact is None:
                raise serializers.ValidationError(
                    {"contact": [_("This person is not a contact of the channel.")]}
                )
        _run(
            lambda: services.channel_contact_log(
                by=request.user, channel=channel, contact=contact, **d
            )
        )
        return self._detail(request, pk)
