"""REST: /api/v1/appeals/ — intake, the workflow's actions, categories and figures."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from qifu.appeals import permissions as appeal_permissions
from qifu.appeals import selectors, services
from qifu.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    Channel,
    Fulfilment,
    Kind,
    Satisfaction,
    Status,
)
from qifu.core import selectors as core_selectors
from qifu.core.rest import Conflict, query_bool
from qifu.enterprises import selectors as enterprise_selectors


class CategorySerializer(serializers.ModelSerializer):
    default_department = serializers.CharField(source="default_department.code", default=None)

    class Meta:
        model = Category
        fields = ["code", "name", "description", "default_department"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    department = serializers.CharField(source="department.code", default=None)

    class Meta:
        model = AppealEvent
        fields = ["at", "actor", "department", "action", "from_status", "to_status", "note"]


class AppealSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none()
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", queryset=selectors.categories())
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False, default=Channel.PORTAL
    )
    lead_department = serializers.CharField(
        source="lead_department.code", read_only=True, default=None
    )
    co_departments = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    deadline_colour = serializers.SerializerMethodField()
    client_token = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=64
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "kind",
            "category",
            "title",
            "description",
            "channel",
            "green_channel",
            "status",
            "submitted_at",
            "accept_deadline",
            "deadline",
            "deadline_provisional",
            "deadline_colour",
            "overdue",
            "lead_department",
            "co_departments",
            "reply",
            "cause",
            "fulfilment",
            "met",
            "satisfaction",
            "rating_comment",
            "auto_rated",
            "reopen_count",
            "supervised",
            "client_token",
        ]
        read_only_fields = [
            "number",
            "green_channel",
            "status",
            "submitted_at",
            "accept_deadline",
            "deadline",
            "deadline_provisional",
            "reply",
            "cause",
            "fulfilment",
            "met",
            "satisfaction",
            "rating_comment",
            "auto_rated",
            "reopen_count",
            "supervised",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=request.user
            )

    def get_deadline_colour(self, appeal: Appeal) -> str:
        return selectors.deadline_state(appeal)


class AppealDetailSerializer(AppealSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "events"]


class NoteIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField()


class AssignIn(serializers.Serializer):
    department = serializers.CharField(help_text=_("department code"))
    co_departments = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReplyIn(serializers.Serializer):
    reply = serializers.CharField()
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    fulfilment = serializers.ChoiceField(
        choices=Fulfilment.choices, required=False, allow_blank=True, default=""
    )
    met = serializers.BooleanField(required=False, allow_null=True, default=None)


class ExtendIn(serializers.Serializer):
    working_days = serializers.IntegerField(required=False, min_value=1, max_value=30)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    approve = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RateIn(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DuplicateIn(serializers.Serializer):
    target = serializers.CharField(help_text=_("number of the appeal it duplicates"))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CommonIn(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    appeals = serializers.ListField(
        child=serializers.CharField(), help_text=_("numbers of the other appeals"), min_length=1
    )


class CanOpenAppeals(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", "") == "create":
            return appeal_permissions.can_submit(request.user)
        return appeal_permissions.can_open(request.user)


_list_params = [
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter("category", str, description="category code"),
    OpenApiParameter("department", str, description="department code (lead or co-handling)"),
    OpenApiParameter("enterprise", int),
    OpenApiParameter("overdue", bool),
    OpenApiParameter("kind", str, enum=Kind.values),
]


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The twelve categories and their default handling departments."""

    serializer_class = CategorySerializer
    permission_classes = [CanOpenAppeals]
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.categories()


class AppealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Appeals in the caller's scope. Actions answer 409 when the appeal's state does not allow
    them, 403 when the caller's role does not."""

    permission_classes = [CanOpenAppeals]

    def get_serializer_class(self) -> Any:
        return AppealDetailSerializer if self.action == "retrieve" else AppealSerializer

    @extend_schema(parameters=_list_params)
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        p = self.request.query_params
        filters = {
            k: p.get(k, "") for k in ("status", "category", "department", "enterprise", "kind")
        }
        filters["overdue"] = query_bool(p.get("overdue"))
        qs = selectors.appeal_list_for_user(user=self.request.user, filters=filters)
        if self.action == "retrieve":
            qs = qs.prefetch_related("events__actor", "events__department")
        return qs

    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        data = AppealSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = data.validated_data
        token = v.get("client_token") or request.headers.get("Idempotency-Key", "")[:64]
        appeal, created = services.appeal_submit(
            by=request.user,
            enterprise=v["enterprise"],
            kind=v["kind"],
            category=v["category"],
            title=v["title"],
            description=v["description"],
            channel=v.get("channel") or "portal",
            client_token=token,
        )
        body = AppealDetailSerializer(
            selectors.appeal_get_for_user(user=request.user, pk=appeal.pk),
            context={"request": request},
        ).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _act(self, request: Any, pk: Any, run: Any) -> Response:
        appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
        try:
            run(appeal)
        except services.TransitionError as error:
            raise Conflict(str(error)) from error
        except services.PermissionDenied as error:
            raise ApiPermissionDenied(str(error) or None) from error
        try:
            fresh = selectors.appeal_get_for_user(user=request.user, pk=pk)
        except Http404:  # a dispute hands the appeal back: the department no longer sees it
            appeal.refresh_from_db()
            fresh = appeal
        return Response(AppealDetailSerializer(fresh, context={"request": request}).data)

    def _data(self, serializer: type[serializers.Serializer], request: Any) -> dict[str, Any]:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=NoteIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Any, pk: Any = None) -> Response:
        d = self._data(NoteIn, request)
        return self._act(
            request, pk, lambda a: services.appeal_accept(by=request.user, appeal=a, note=d["note"])
        )

    @extend_schema(request=ReasonIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Any, pk: Any = None) -> Response:
        d = self._data(ReasonIn, request)
        return self._act(
            request,
            pk,
            lambda a: services.appeal_return(by=request.user, appeal=a, reason=d["reason"]),
        )

    @extend_schema(request=AssignIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Any, pk: Any = None) -> Response:
        d = self._data(AssignIn, request)
        departments = {
            x.code: x for x in core_selectors.department_list_for_user(user=request.user)
        }
        unknown = [c for c in [d["department"], *d["co_departments"]] if c not in departments]
        if unknown:
            raise serializers.ValidationError(
                {"department": [_("Unknown department: %(codes)s") % {"codes": "、".join(unknown)}]}
            )
        return self._act(
            request,
            pk,
            lambda a: services.appeal_assign(
                by=request.user,
                appeal=a,
                department=departments[d["department"]],
                co_departments=[departments[c] for c in d["co_departments"]],
                note=d["note"],
            ),
        )

    @extend_schema(request=ReasonIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def dispute(self, request: Any, pk: Any = None) -> Response:
        d = self._data(ReasonIn, request)
        return self._act(
            request,
            pk,
            lambda a: services.appeal_dispute(by=request.user, appeal=a, reason=d["reason"]),
        )

    @extend_schema(request=NoteIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request: Any, pk: Any = None) -> Response:
        d = self._data(NoteIn, request)
        return self._act(
            request,
            pk,
            lambda a: services.appeal_progress(by=request.user, appeal=a, note=d["note"]),
        )

    @extend_schema(request=NoteIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def contribute(self, request: Any, pk: Any = None) -> Response:
        d = self._data(NoteIn, request)
        return self._act(
            request,
            pk,
            lambda a: services.appeal_contribute(by=request.user, appeal=a, text=d["note"]),
        )

    @extend_schema(request=ReplyIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request: Any, pk: Any = None) -> Response:
        d = self._data(ReplyIn, request)
        return self._act(
            request, pk, lambda a: services.appeal_reply(by=request.user, appeal=a, **d)
        )

    @extend_schema(
        request=ExtendIn,
        responses=AppealDetailSerializer,
        description="From the lead department: `working_days` and `reason` ask for an "
        "extension. From a dispatcher: `approve` true or false decides.",
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Any, pk: Any = None) -> Response:
        d = self._data(ExtendIn, request)
        if d["approve"] is not None:
            return self._act(
                request,
                pk,
                lambda a: services.appeal_extend_decide(
                    by=request.user, appeal=a, approve=d["approve"], note=d["note"]
                ),
            )
        if not d.get("working_days"):
            raise serializers.ValidationError({"working_days": [_("Say how many working days.")]})
        return self._act(
            request,
            pk,
            lambda a: services.appeal_extend_request(
                by=request.user, appeal=a, working_days=d["working_days"], reason=d["reason"]
            ),
        )

    @extend_schema(request=RateIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Any, pk: Any = None) -> Response:
        d = self._data(RateIn, request)
        return self._act(
            request, pk, lambda a: services.appeal_rate(by=request.user, appeal=a, **d)
        )

    @extend_schema(request=NoteIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request: Any, pk: Any = None) -> Response:
        d = self._data(NoteIn, request)
        return self._act(
            request,
            pk,
            lambda a: services.appeal_supervise(by=request.user, appeal=a, note=d["note"]),
        )

    @extend_schema(request=DuplicateIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"], url_path="mark-duplicate")
    def mark_duplicate(self, request: Any, pk: Any = None) -> Response:
        d = self._data(DuplicateIn, request)
        target = (
            selectors.appeals_for_user(user=request.user)
            .filter(number=d["target"].strip().upper())
            .first()
        )
        return self._act(
            request,
            pk,
            lambda a: services.appeal_mark_duplicate(
                by=request.user, appeal=a, target=target, note=d["note"]
            ),
        )

    @extend_schema(request=CommonIn, responses=AppealDetailSerializer)
    @action(detail=True, methods=["post"], url_path="mark-common")
    def mark_common(self, request: Any, pk: Any = None) -> Response:
        d = self._data(CommonIn, request)
        numbers = [n.strip().upper() for n in d["appeals"]]
        others = list(
            selectors.appeals_for_user(user=request.user).filter(number__in=numbers).exclude(pk=pk)
        )
        missing = sorted(set(numbers) - {a.number for a in others})
        if missing:
            found = {"numbers": "、".join(missing)}
            raise serializers.ValidationError(
                {"appeals": [_("Not found in your scope: %(numbers)s") % found]}
            )
        return self._act(
            request,
            pk,
            lambda a: services.appeal_mark_common(
                by=request.user, appeals=[a, *others], title=d["title"]
            ),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("group", str, enum=[*selectors.GROUPINGS]),
            OpenApiParameter("date_from", str),
            OpenApiParameter("date_to", str),
            OpenApiParameter("kind", str, enum=Kind.values),
        ],
        responses=inline_serializer(
            "AppealFigures",
            {
                "rows": serializers.ListField(child=serializers.DictField()),
                "total": serializers.DictField(),
                "solved_categories": serializers.IntegerField(),
                "solved": serializers.IntegerField(),
                "headline": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def stats(self, request: Any) -> Response:
        from qifu.appeals.forms import StatsFilterForm

        form = StatsFilterForm(request.query_params)
        filters = form.filters()
        figures = selectors.appeal_stats(
            user=request.user, group=filters.get("group") or "category", filters=filters
        )
        figures["total"] = dict(figures["total"])
        figures["headline"] = (
            f"为企业解决实际问题 {figures['solved_categories']} 类、{figures['solved']} 项"
        )
        return Response(figures)
