"""REST: /api/v1/policies/ — the policy library, programmes (申报项目) with their eligibility
criteria, matching, the policy calculator and applications through to funds received;
/api/v1/notices/ — pushes and notices (通知公告) and their read receipts;
/api/v1/enterprises/{id}/matched-programmes/ — what an enterprise qualifies for now and soon.

The same services and scope as the pages: every write goes through `qifu.policies.services`,
every read through `qifu.policies.selectors`. Officials of a district and enterprise users use it
(an enterprise user sees the published programmes of its district and its own applications);
others get 403. An object outside the caller's scope is 404; a change the caller's role does not
allow, 403; a change the state does not allow (outside the window, a duplicate application, a
closed programme), 409 with the reason; bad input and bad query parameters, 400 with the message
by field. Criteria are JSON: {"combine": "all"|"any", "conditions": [{"field", "op", "value"}]}.
Amounts are in 万元, as decimals.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from qifu.core.models import Department
from qifu.core.rest import Conflict
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib import eligibility, industry
from qifu.lib.quarters import Span, SpanError
from qifu.policies import permissions, selectors, services
from qifu.policies.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Delivery,
    Level,
    Notice,
    Origin,
    Policy,
    PolicyCategory,
    Programme,
    ProgrammeStatus,
)


class CanUsePolicies(BasePermission):
    """Officials of a district and enterprise users; administrators and the public: 403."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return permissions.is_official(user) or permissions.is_enterprise_user(user)


class IsOfficial(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.is_official(request.user)


def _run(run: Any) -> Any:
    try:
        return run()
    except services.TransitionError as error:
        raise Conflict(str(error)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error


def _user(serializer: serializers.Field) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def _departments(user: Any) -> Any:
    district_id = permissions.district_id(user)
    if district_id is None:
        return Department.objects.none()
    return Department.objects.filter(district_id=district_id)


def _names(context: dict[str, Any], district_id: int) -> dict[str, dict[str, str]]:
    """The code names of a district's criteria, looked up once per request."""
    cache = context.setdefault("code_names", {})
    if district_id not in cache:
        cache[district_id] = selectors.code_names(district_id=district_id)
    return cache[district_id]


# --- criteria ------------------------------------------------------------------------------------

ALL_OPS = ["in", "is", *eligibility.TAG_OPS, *eligibility.NUMBER_OPS]


class CriteriaConditionSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=list(eligibility.FIELDS),
        help_text="industry (GB/T 4754 section letter or code prefix), street (street codes), "
        "zone (zone codes): op `in` with a list; above_scale, key: op `is` with true/false; "
        "tags: op `has_any` or `has_all` with a list of tag names; registered_capital (万元), "
        "years_established, revenue_last_year (万元), employees, growth (%): op >=, >, <= or < "
        "with a number",
    )
    op = serializers.ChoiceField(choices=ALL_OPS)
    value = serializers.JSONField(help_text="a list of codes or names, true/false, or a number")


class CriteriaSerializer(serializers.Serializer):
    combine = serializers.ChoiceField(
        choices=list(eligibility.COMBINE), help_text="all: every condition; any: one of them"
    )
    conditions = CriteriaConditionSerializer(
        many=True, help_text="at most 30; none: everyone qualifies"
    )


CRITERIA_EXAMPLE = {
    "combine": "all",
    "conditions": [
        {"field": "tags", "op": "has_any", "value": ["高新技术企业"]},
        {"field": "above_scale", "op": "is", "value": True},
        {"field": "industry", "op": "in", "value": ["C"]},
        {"field": "revenue_last_year", "op": ">=", "value": 2000},
    ],
}


@extend_schema_field(CriteriaSerializer)
class CriteriaField(serializers.JSONField):
    """Eligibility criteria as data, checked by `qifu.lib.eligibility.parse`."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        try:
            eligibility.parse(value)
        except eligibility.CriteriaError as error:
            raise serializers.ValidationError(str(error)) from None
        return value or {}


class PolicyMatchSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise.pk", allow_null=True, default=None)
    enterprise_name = serializers.CharField(source="enterprise.name", default=None)
    programme = serializers.IntegerField(source="programme.pk", allow_null=True, default=None)
    programme_title = serializers.CharField(source="programme.title", default=None)
    support_amount = serializers.DecimalField(
        source="programme.support_amount",
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        default=None,
    )
    support_text = serializers.CharField(source="programme.support_text", default=None)
    window_opens = serializers.DateField(source="programme.window_opens", default=None)
    window_closes = serializers.DateField(source="programme.window_closes", default=None)
    met = serializers.ListField(child=serializers.CharField(), help_text="conditions met, in words")
    missed = serializers.ListField(
        child=serializers.CharField(), help_text="conditions missed, in words"
    )


# --- applications: output ------------------------------------------------------------------------


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = ApplicationEvent
        fields = ["action", "status_from", "status_to", "note", "actor", "at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    programme_title = serializers.CharField(source="programme.title", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    street = serializers.CharField(source="enterprise.street.name", read_only=True)
    recommended_by = serializers.CharField(
        source="recommended_by.name", read_only=True, default=None
    )
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)
    materials_checked = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "programme",
            "programme_title",
            "enterprise",
            "enterprise_name",
            "street",
            "origin",
            "recommended_by",
            "status",
            "statement",
            "materials_checked",
            "review_note",
            "result_note",
            "amount_approved",
            "funds_amount",
            "funds_on",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "events"]
        read_only_fields = fields


# --- policies ------------------------------------------------------------------------------------


class PolicySerializer(serializers.ModelSerializer):
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    department_name = serializers.CharField(source="department.name", read_only=True)
    is_expired = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "level",
            "issuer",
            "document_number",
            "issued_on",
            "valid_from",
            "valid_until",
            "is_expired",
            "summary",
            "full_text",
            "categories",
            "department",
            "department_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PolicyIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=Level.choices)
    issuer = serializers.CharField(max_length=100)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    issued_on = serializers.DateField()
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    full_text = serializers.CharField(max_length=100000, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(), help_text="id of a department of the district"
    )
    categories = serializers.SlugRelatedField(
        many=True,
        slug_field="code",
        queryset=PolicyCategory.objects.all(),
        required=False,
        help_text="category codes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["department"].queryset = _departments(user)


class PolicyListParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_blank=True, default=""
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PolicyCategory.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    department = serializers.IntegerField(required=False, allow_null=True, default=None)
    valid = serializers.BooleanField(required=False, allow_null=True, default=None)


class PolicyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The policy library of the caller's district (an enterprise user: the policies behind the
    published programmes), newest first; expired policies are kept and marked `is_expired`."""

    permission_classes = [CanUsePolicies]
    serializer_class = PolicySerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        filters = None
        if self.action == "list":
            params = PolicyListParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            d = params.validated_data
            validity = {True: "valid", False: "expired", None: ""}[d["valid"]]
            filters = selectors.PolicyFilters(
                q=d["q"],
                level=d["level"],
                category=d["category"].code if d["category"] else "",
                department=d["department"],
                validity=validity,
            )
        return selectors.policy_list_for_user(user=self.request.user, filters=filters)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        policy = selectors.policy_get_for_user(user=self.request.user, pk=pk)
        return Response(PolicySerializer(policy).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="a substring of the title, summary or 文号"),
            OpenApiParameter("level", str, enum=Level.values),
            OpenApiParameter("category", str, description="category code"),
            OpenApiParameter("department", int, description="id of the responsible department"),
            OpenApiParameter("valid", bool, description="true: in force; false: expired"),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(request=PolicyIn, responses={201: PolicySerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not permissions.can_manage(request.user):
            raise ApiPermissionDenied
        values = PolicyIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        chosen = d.pop("categories", None)
        policy = _run(lambda: services.policy_save(by=request.user, values=d, categories=chosen))
        return self._detail(policy.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PolicyIn, responses=PolicySerializer)
    def partial_update(self, request: Any, pk: Any = None) -> Response:
        policy = selectors.policy_get_for_user(user=request.user, pk=pk, for_write=True)
        values = PolicyIn(data=request.data, context={"request": request}, partial=True)
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        chosen = d.pop("categories", None)
        _run(
            lambda: services.policy_save(
                by=request.user, policy=policy, values=d, categories=chosen
            )
        )
        return self._detail(pk)


# --- programmes ----------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    policy_title = serializers.CharField(source="policy.title", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    criteria = CriteriaField(read_only=True)
    criteria_heading = serializers.SerializerMethodField()
    criteria_words = serializers.SerializerMethodField()
    materials = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "policy",
            "policy_title",
            "title",
            "window_opens",
            "window_closes",
            "support_amount",
            "support_text",
            "materials",
            "no_application",
            "criteria",
            "criteria_heading",
            "criteria_words",
            "department",
            "department_name",
            "status",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields

    def _criteria(self, programme: Programme) -> eligibility.Criteria:
        return eligibility.parse(programme.criteria)

    def get_criteria_heading(self, programme: Programme) -> str:
        return self._criteria(programme).heading

    def get_criteria_words(self, programme: Programme) -> list[str]:
        names = _names(self.context, programme.department.district_id)
        return self._criteria(programme).words(names)


class ProgrammeIn(serializers.Serializer):
    policy = serializers.PrimaryKeyRelatedField(
        queryset=Policy.objects.none(), help_text="id of a policy of the district"
    )
    title = serializers.CharField(max_length=200)
    window_opens = serializers.DateField()
    window_closes = serializers.DateField()
    support_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=Decimal(0)
    )
    support_text = serializers.CharField(max_length=500, required=False, allow_blank=True)
    materials = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=30
    )
    no_application = serializers.BooleanField(required=False)
    criteria = CriteriaField(required=False)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(), help_text="id of the responsible department"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["policy"].queryset = selectors.policies_for_user(user=user)
            self.fields["department"].queryset = _departments(user)


class ProgrammeListParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=ProgrammeStatus.choices, required=False, allow_blank=True, default=""
    )
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PolicyCategory.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    department = serializers.IntegerField(required=False, allow_null=True, default=None)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


class ProgrammeConfirmIn(serializers.Serializer):
    enterprises = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=enterprise_selectors.enterprises_none(),
        help_text="ids of the eligible enterprises to confirm",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields[
                "enterprises"
            ].child_relation.queryset = enterprise_selectors.enterprises_for_user(user=user)


class ProgrammeMatchesSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    heading = serializers.CharField(help_text="how the conditions combine, in words")
    conditions = serializers.ListField(child=serializers.CharField())
    eligible = PolicyMatchSerializer(many=True)
    near = PolicyMatchSerializer(many=True, help_text="enterprises missing exactly one condition")


class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Programmes of the caller's district (an enterprise user: the published ones), the latest
    window first."""

    permission_classes = [CanUsePolicies]
    serializer_class = ProgrammeSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        filters = None
        if self.action == "list":
            params = ProgrammeListParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            d = params.validated_data
            filters = selectors.ProgrammeFilters(
                q=d["q"],
                status=d["status"],
                category=d["category"].code if d["category"] else "",
                department=d["department"],
                open_on=timezone.localdate() if d["open"] else None,
            )
        return selectors.programme_list_for_user(user=self.request.user, filters=filters)

    def _programme(self, pk: Any) -> Programme:
        return selectors.programme_get_for_user(user=self.request.user, pk=pk)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        body = ProgrammeSerializer(self._programme(pk), context=self.get_serializer_context()).data
        return Response(body, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="a substring of its title or its policy's"),
            OpenApiParameter("status", str, enum=ProgrammeStatus.values),
            OpenApiParameter("category", str, description="category code of the policy"),
            OpenApiParameter("department", int, description="id of the responsible department"),
            OpenApiParameter("open", bool, description="true: the window is open today"),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(
        request=ProgrammeIn,
        responses={201: ProgrammeSerializer},
        description="Create a programme (a draft) under a policy of the district. `criteria` "
        "must parse: a bad condition is 400 with the reason.",
        examples=[
            OpenApiExample(
                "A programme for above-scale high-tech manufacturers",
                request_only=True,
                value={
                    "policy": 1,
                    "title": "2026年度技术创新项目",
                    "window_opens": "2026-04-01",
                    "window_closes": "2026-04-30",
                    "support_amount": "50.00",
                    "materials": ["申报书", "营业执照"],
                    "criteria": CRITERIA_EXAMPLE,
                    "department": 1,
                },
            )
        ],
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not permissions.can_manage(request.user):
            raise ApiPermissionDenied
        values = ProgrammeIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        programme = _run(lambda: services.programme_save(by=request.user, values=d))
        return self._detail(programme.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProgrammeIn,
        responses=ProgrammeSerializer,
        description="Change a programme; a closed one is 409.",
    )
    def partial_update(self, request: Any, pk: Any = None) -> Response:
        programme = selectors.programme_get_for_user(user=request.user, pk=pk, for_write=True)
        values = ProgrammeIn(data=request.data, context={"request": request}, partial=True)
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        _run(lambda: services.programme_save(by=request.user, programme=programme, values=d))
        return self._detail(pk)

    @extend_schema(request=None, responses=ProgrammeSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Any, pk: Any = None) -> Response:
        """Publish a draft; 409 if it is not a draft."""
        programme = self._programme(pk)
        _run(lambda: services.programme_publish(by=request.user, programme=programme))
        return self._detail(pk)

    @extend_schema(request=None, responses=ProgrammeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Any, pk: Any = None) -> Response:
        """Close a published programme; 409 if it is not published."""
        programme = self._programme(pk)
        _run(lambda: services.programme_close(by=request.user, programme=programme))
        return self._detail(pk)

    @extend_schema(
        request=ProgrammeConfirmIn,
        responses={200: ApplicationSerializer(many=True)},
        description="免申即享: confirm the eligible enterprises chosen; each gets a confirmed "
        "application (those confirmed already are skipped). An enterprise that does not qualify "
        "is 400; a programme that needs an application, or is not published, 409.",
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def confirm(self, request: Any, pk: Any = None) -> Response:
        programme = self._programme(pk)
        values = ProgrammeConfirmIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        chosen = list(values.validated_data["enterprises"])
        _run(
            lambda: services.programme_confirm_list(
                by=request.user, programme=programme, enterprises=chosen
            )
        )
        rows = selectors.application_list_for_user(
            user=request.user,
            filters=selectors.ApplicationFilters(programme=programme.pk),
        ).filter(enterprise__in=chosen, status=ApplicationStatus.CONFIRMED)
        return Response(ApplicationSerializer(rows.select_related("submitted_by"), many=True).data)

    @extend_schema(
        responses=ProgrammeMatchesSerializer,
        description="The enterprises in the caller's scope that qualify (with the conditions "
        "each meets, in words) and those that miss by exactly one condition (and which).",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def matches(self, request: Any, pk: Any = None) -> Response:
        if not permissions.is_official(request.user):
            raise ApiPermissionDenied
        programme = self._programme(pk)
        found = selectors.programme_matches(user=request.user, programme=programme)
        return Response(ProgrammeMatchesSerializer(found).data)


# --- matched programmes of an enterprise ---------------------------------------------------------


class EnterpriseMatchesSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise.pk")
    now = PolicyMatchSerializer(many=True, help_text="qualifies, window open today")
    soon = PolicyMatchSerializer(many=True, help_text="qualifies, window not yet open")


class EnterpriseMatchedProgrammesView(APIView):
    """GET /api/v1/enterprises/{id}/matched-programmes/: the published programmes the enterprise
    qualifies for now (window open) and soon. An enterprise user for its own enterprise,
    officials within their scope; any other enterprise is 404."""

    @extend_schema(responses=EnterpriseMatchesSerializer, operation_id="enterprise_matched")
    def get(self, request: Any, pk: int) -> Response:
        enterprise = enterprise_selectors.enterprise_get_for_user(user=request.user, pk=pk)
        found = selectors.enterprise_matches(user=request.user, enterprise=enterprise)
        return Response(EnterpriseMatchesSerializer(found).data)


# --- the calculator ------------------------------------------------------------------------------


class PolicyCalculatorIn(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of an enterprise: its own attributes and figures are used",
    )
    industry_code = serializers.CharField(
        max_length=4, required=False, allow_blank=True, default="", help_text="GB/T 4754 code"
    )
    street = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="street code"
    )
    zone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="zone code"
    )
    above_scale = serializers.BooleanField(required=False, default=False)
    key = serializers.BooleanField(required=False, default=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list
    )
    registered_capital = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    established_on = serializers.DateField(required=False, allow_null=True, default=None)
    revenue_last_year = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="万元",
    )
    employees = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    growth = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="% of revenue, year on year",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )

    def facts(self, today: dt.date) -> eligibility.Facts:
        d = self.validated_data
        if d["enterprise"] is not None:
            return selectors.facts_for([d["enterprise"]], today=today)[d["enterprise"].pk]
        code = d["industry_code"].strip()
        found = industry.lookup(code) if code else None
        employees = d["employees"]
        return eligibility.Facts(
            industry_code=code,
            industry_section=found.section if found else "",
            street=d["street"].strip(),
            zone=d["zone"].strip(),
            above_scale=d["above_scale"],
            key=d["key"],
            tags=frozenset(t.strip() for t in d["tags"] if t.strip()),
            registered_capital=d["registered_capital"],
            established_on=d["established_on"],
            revenue_last_year=d["revenue_last_year"],
            employees=None if employees is None else Decimal(employees),
            growth=d["growth"],
            today=today,
        )


class PolicyCalculationSerializer(serializers.Serializer):
    eligible = PolicyMatchSerializer(many=True, help_text="programmes it qualifies for")
    near = PolicyMatchSerializer(many=True, help_text="programmes it misses by one condition")
    support_total = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text="万元: the sum of the amounts of the programmes it qualifies for",
    )


class CalculatorView(APIView):
    """POST /api/v1/policies/calculator/: a policy calculator over the published programmes of the
    caller's district whose window has not closed."""

    permission_classes = [CanUsePolicies]

    @extend_schema(
        request=PolicyCalculatorIn,
        responses=PolicyCalculationSerializer,
        operation_id="policies_calculator",
        description="Send either `enterprise` (an id in your scope) or the attributes; answers "
        "the programmes qualified for, the near misses (with the missing condition) and the "
        "support it could get.",
    )
    def post(self, request: Any) -> Response:
        values = PolicyCalculatorIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        today = timezone.localdate()
        programmes = selectors.calculator_programmes(user=request.user)
        names = (
            selectors.code_names(district_id=programmes[0].department.district_id)
            if programmes
            else {}
        )
        found = selectors.calculator(values.facts(today), programmes, names=names)
        return Response(PolicyCalculationSerializer(found).data)


# --- figures -------------------------------------------------------------------------------------


class FigureRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="the programme's id, the category's code or the department's id"
    )
    label = serializers.CharField()
    programmes = serializers.IntegerField()
    eligible = serializers.IntegerField(help_text="enterprises in scope that qualify now")
    pushed = serializers.IntegerField(help_text="deliveries of the programme's pushes")
    read = serializers.IntegerField(help_text="of which read")
    applied = serializers.IntegerField(help_text="live applications, whatever their origin")
    recommended = serializers.IntegerField(help_text="recommended upward (and on to a result)")
    approved = serializers.IntegerField(help_text="approved (and funded)")
    funds = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="万元 received")


class FiguresSerializer(serializers.Serializer):
    period = serializers.CharField(allow_null=True, help_text="2026 or 2026Q2; null: all")
    programmes = FigureRowSerializer(many=True)
    categories = FigureRowSerializer(many=True)
    departments = FigureRowSerializer(many=True)
    total = FigureRowSerializer()


class FiguresParams(serializers.Serializer):
    period = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    programme = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_period(self, value: str) -> Span | None:
        if not value.strip():
            return None
        try:
            return Span.parse(value)
        except SpanError:
            raise serializers.ValidationError(
                _("Enter a year (2026) or a quarter (2026Q2).")
            ) from None


class FiguresView(APIView):
    """GET /api/v1/policies/figures/: per programme, category and department, the enterprises
    eligible, pushed, read, applied, recommended upward, approved and the funds received (万元).
    Officials of a district; enterprise users and others 403; a programme outside scope 404."""

    permission_classes = [IsOfficial]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="a year (2026) or a quarter (2026Q2)"),
            OpenApiParameter("programme", int, description="id of a programme"),
        ],
        responses=FiguresSerializer,
        operation_id="policies_figures",
    )
    def get(self, request: Any) -> Response:
        params = FiguresParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        period = params.validated_data["period"]
        programme = None
        if params.validated_data["programme"] is not None:
            programme = selectors.programme_get_for_user(
                user=request.user, pk=params.validated_data["programme"]
            )
        found = _run(
            lambda: selectors.policy_figures(user=request.user, period=period, programme=programme)
        )
        found.total.label = str(_("Total"))
        return Response(FiguresSerializer(found).data)


# --- applications --------------------------------------------------------------------------------


class ApplicationIn(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of the enterprise (an enterprise user: its own, may be left out)",
    )
    recommend = serializers.BooleanField(
        required=False,
        default=False,
        help_text="an official: true nominates the enterprise (推荐), false applies on its behalf",
    )
    statement = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    materials_checked = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        max_length=100,
        help_text="the materials of the programme's checklist the enterprise has ready",
    )
    client_token = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="sent again with the same token, the same application (200)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["programme"].queryset = selectors.programmes_for_user(user=user)
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )


class ApplicationReviewIn(serializers.Serializer):
    passed = serializers.BooleanField(help_text="true: reviewed; false: returned for completion")
    materials_checked = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplicationNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplicationResultIn(serializers.Serializer):
    approved = serializers.BooleanField()
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="万元 approved",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplicationFundsIn(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="万元 received")
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplicationResubmitIn(serializers.Serializer):
    statement = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ApplicationListParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=ApplicationStatus.choices, required=False, allow_blank=True, default=""
    )
    origin = serializers.ChoiceField(
        choices=Origin.choices, required=False, allow_blank=True, default=""
    )
    programme = serializers.IntegerField(required=False, allow_null=True, default=None)
    enterprise = serializers.IntegerField(required=False, allow_null=True, default=None)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications in the caller's scope (an enterprise user: its own), the latest first."""

    permission_classes = [CanUsePolicies]
    serializer_class = ApplicationSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        filters = None
        if self.action == "list":
            params = ApplicationListParams(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            filters = selectors.ApplicationFilters(**params.validated_data)
        return selectors.application_list_for_user(
            user=self.request.user, filters=filters
        ).select_related("submitted_by")

    def _application(self, pk: Any) -> Application:
        return selectors.application_get_for_user(user=self.request.user, pk=pk)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(ApplicationDetailSerializer(self._application(pk)).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="a substring of the enterprise's name"),
            OpenApiParameter("status", str, enum=ApplicationStatus.values),
            OpenApiParameter("origin", str, enum=Origin.values),
            OpenApiParameter("programme", int, description="id of a programme"),
            OpenApiParameter("enterprise", int, description="id of an enterprise"),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ApplicationDetailSerializer)
    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(
        request=ApplicationIn,
        responses={201: ApplicationDetailSerializer, 200: ApplicationDetailSerializer},
        description="Apply (an enterprise user for its enterprise, or an official on its behalf) "
        "or nominate (`recommend: true`, an official) within the window. Outside the window, a "
        "programme that is not published or needs no application, and a second live "
        "application of the enterprise: 409 with the reason. The same `client_token` (or "
        "`Idempotency-Key` header) again is the same application, answered 200.",
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        values = ApplicationIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = values.validated_data
        enterprise = d["enterprise"]
        if enterprise is None:
            if not permissions.is_enterprise_user(request.user):
                raise serializers.ValidationError({"enterprise": [_("This field is required.")]})
            enterprise = enterprise_selectors.enterprise_get_for_user(
                user=request.user, pk=request.user.enterprise_id
            )
        token = (d["client_token"] or request.headers.get("Idempotency-Key", "")).strip()[:64]
        service = (
            services.application_recommend_by_department
            if d["recommend"]
            else services.application_apply
        )
        application, created = _run(
            lambda: service(
                by=request.user,
                programme=d["programme"],
                enterprise=enterprise,
                statement=d["statement"],
                materials_checked=d["materials_checked"],
                client_token=token,
            )
        )
        return self._detail(
            application.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=ApplicationReviewIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Any, pk: Any = None) -> Response:
        """The district's review against the materials checklist: passed (every item checked)
        or returned for completion (with a note)."""
        application = self._application(pk)
        values = ApplicationReviewIn(data=request.data)
        values.is_valid(raise_exception=True)
        d = values.validated_data
        _run(
            lambda: services.application_review(
                by=request.user,
                application=application,
                passed=d["passed"],
                materials_checked=d["materials_checked"],
                note=d["note"],
            )
        )
        return self._detail(pk)

    @extend_schema(request=ApplicationNoteIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def recommend(self, request: Any, pk: Any = None) -> Response:
        """Recommend a reviewed application upward (推荐上报)."""
        application = self._application(pk)
        values = ApplicationNoteIn(data=request.data)
        values.is_valid(raise_exception=True)
        note = values.validated_data["note"]
        _run(
            lambda: services.application_recommend(
                by=request.user, application=application, note=note
            )
        )
        return self._detail(pk)

    @extend_schema(request=ApplicationResultIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def result(self, request: Any, pk: Any = None) -> Response:
        """The upper level's result: approved (with the amount, 万元) or rejected."""
        application = self._application(pk)
        values = ApplicationResultIn(data=request.data)
        values.is_valid(raise_exception=True)
        d = values.validated_data
        _run(
            lambda: services.application_result(
                by=request.user,
                application=application,
                approved=d["approved"],
                amount=d["amount"],
                note=d["note"],
            )
        )
        return self._detail(pk)

    @extend_schema(request=ApplicationFundsIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def funds(self, request: Any, pk: Any = None) -> Response:
        """The funds arrived (资金到位): amount (万元) and date."""
        application = self._application(pk)
        values = ApplicationFundsIn(data=request.data)
        values.is_valid(raise_exception=True)
        d = values.validated_data
        _run(
            lambda: services.application_funds(
                by=request.user,
                application=application,
                amount=d["amount"],
                on=d["on"],
                note=d["note"],
            )
        )
        return self._detail(pk)

    @extend_schema(request=ApplicationNoteIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Any, pk: Any = None) -> Response:
        """The enterprise withdraws its application before the review."""
        application = self._application(pk)
        values = ApplicationNoteIn(data=request.data)
        values.is_valid(raise_exception=True)
        note = values.validated_data["note"]
        _run(
            lambda: services.application_withdraw(
                by=request.user, application=application, note=note
            )
        )
        return self._detail(pk)

    @extend_schema(request=ApplicationResubmitIn, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Any, pk: Any = None) -> Response:
        """Resubmit an application returned for completion."""
        application = self._application(pk)
        values = ApplicationResubmitIn(data=request.data)
        values.is_valid(raise_exception=True)
        statement = values.validated_data["statement"]
        _run(
            lambda: services.application_resubmit(
                by=request.user, application=application, statement=statement
            )
        )
        return self._detail(pk)


# --- notices and deliveries ----------------------------------------------------------------------


class NoticeTargetSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(
        required=False, help_text="a programme's eligible enterprises"
    )
    not_applied = serializers.BooleanField(
        required=False, help_text="with a programme: those that have not applied"
    )
    streets = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="street codes"
    )
    industries = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="industry section letters or code prefixes",
    )
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    key = serializers.BooleanField(required=False, help_text="key enterprises only")
    above_scale = serializers.BooleanField(required=False, help_text="above-scale only")


@extend_schema_field(NoticeTargetSerializer)
class TargetField(serializers.JSONField):
    """Who receives a notice; checked by the service."""


class NoticeSerializer(serializers.ModelSerializer):
    programme_title = serializers.CharField(source="programme.title", default=None)
    target = TargetField(read_only=True)
    delivered = serializers.IntegerField(read_only=True, default=0)
    read = serializers.IntegerField(read_only=True, default=0)
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "body",
            "programme",
            "programme_title",
            "target",
            "sms",
            "reminder_on",
            "created_by",
            "sent_at",
            "delivered",
            "read",
        ]
        read_only_fields = fields


class NoticeIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, default="", help_text="the text"
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of a published programme to push",
    )
    target = TargetField(help_text='e.g. {"eligible": true} or {"streets": ["370213007"]}')
    sms = serializers.BooleanField(required=False, default=False)
    client_token = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["programme"].queryset = selectors.programmes_for_user(user=user)


def _notices(user: Any) -> Any:
    """The notices sent in the caller's district (those that reached someone), with counts."""
    sent = selectors.deliveries_for_user(user=user).values("notice_id")
    return selectors.notice_list_for_user(user=user).filter(pk__in=sent)


class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Notices and pushes sent in the caller's district, with how many were delivered and read
    (officials)."""

    permission_classes = [IsOfficial]
    serializer_class = NoticeSerializer

    def get_queryset(self) -> Any:
        return _notices(self.request.user)

    @extend_schema(
        request=NoticeIn,
        responses={201: NoticeSerializer, 200: NoticeSerializer},
        description="Send a notice, or push a published programme, to a target: "
        '{"eligible": true} for the programme\'s eligible list, or streets / industries / tags '
        "/ key / above_scale (all given must hold). The same `client_token` again is the same "
        "notice (200).",
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not permissions.can_manage(request.user):
            raise ApiPermissionDenied
        values = NoticeIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = values.validated_data
        token = (d["client_token"] or request.headers.get("Idempotency-Key", "")).strip()[:64]
        notice, created = _run(
            lambda: services.notice_send(
                by=request.user,
                title=d["title"],
                body=d["body"],
                target=d["target"],
                programme=d["programme"],
                sms=d["sms"],
                client_token=token,
            )
        )
        found = selectors.notice_list_for_user(user=request.user).get(pk=notice.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(NoticeSerializer(found).data, status=code)


class DeliverySerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="notice.title")
    body = serializers.CharField(source="notice.body")
    programme = serializers.IntegerField(source="notice.programme_id", allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name")
    read = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "notice",
            "title",
            "body",
            "programme",
            "enterprise",
            "enterprise_name",
            "delivered_at",
            "read",
            "read_at",
        ]
        read_only_fields = fields

    def get_read(self, delivery: Delivery) -> bool:
        return delivery.read_at is not None


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The copies of notices: an enterprise user's own, or those sent in an official's district."""

    permission_classes = [CanUsePolicies]
    serializer_class = DeliverySerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        return selectors.deliveries_for_user(user=self.request.user)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        delivery = selectors.delivery_get_for_user(user=request.user, pk=pk)
        return Response(DeliverySerializer(delivery).data)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Any, pk: Any = None) -> Response:
        """The enterprise's user has read it (the first reading is recorded)."""
        delivery = selectors.delivery_get_for_user(user=request.user, pk=pk)
        _run(lambda: services.delivery_read(by=request.user, delivery=delivery))
        return self.retrieve(request, pk=pk)
