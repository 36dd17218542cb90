"""REST: /api/v1/stats/ — indicators, forms, submissions and their review, approvals,
completeness and rollups. Scope as on the pages; every change goes through `services`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from qifu.core.models import Zone
from qifu.core.rest import Conflict
from qifu.enterprises import selectors as enterprise_selectors
from qifu.stats import periods, selectors, services
from qifu.stats import permissions as stats_permissions
from qifu.stats.models import DataSet, Indicator, Submission, Value
from qifu.stats.periods import Period


class CanOpenStats(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return stats_permissions.can_open(request.user)


# --- serializers -------------------------------------------------------------------------------


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "kind", "is_money", "may_be_negative"]


class DataSetSerializer(serializers.ModelSerializer):
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = DataSet
        fields = [
            "code",
            "name",
            "indicators",
            "industry_sections",
            "opens_day",
            "deadline_day",
            "lock_after_days",
        ]


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")

    class Meta:
        model = Value
        fields = ["indicator", "month", "ytd", "base_month", "base_ytd", "base_reason"]


class SubmissionSerializer(serializers.ModelSerializer):
    dataset = serializers.CharField(source="dataset.code")
    enterprise_name = serializers.CharField(source="enterprise.name")
    street = serializers.CharField(source="enterprise.street.name")

    class Meta:
        model = Submission
        fields = [
            "id",
            "dataset",
            "enterprise",
            "enterprise_name",
            "street",
            "period",
            "status",
            "hard_violations",
            "soft_violations",
            "first_submitted_at",
            "submitted_at",
            "reviewed_at",
        ]


class ViolationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    name = serializers.CharField()
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    importance = serializers.CharField()
    instruction = serializers.CharField()
    left = serializers.CharField()
    right = serializers.CharField()


class SubmissionDetailSerializer(SubmissionSerializer):
    values = ValueSerializer(many=True, read_only=True)
    violations = ViolationSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "values",
            "violations",
            "explanations",
            "return_reason",
        ]


class ValueIn(serializers.Serializer):
    indicator = serializers.CharField(max_length=30)
    month = serializers.DecimalField(16, 2, required=False, allow_null=True)
    ytd = serializers.DecimalField(16, 2, required=False, allow_null=True)
    base_month = serializers.DecimalField(16, 2, required=False, allow_null=True)
    base_ytd = serializers.DecimalField(16, 2, required=False, allow_null=True)
    base_reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SubmissionIn(serializers.Serializer):
    dataset = serializers.CharField(max_length=30)
    enterprise = serializers.IntegerField()
    period = serializers.CharField(max_length=6)
    values = ValueIn(many=True, allow_empty=False, max_length=200)


class SubmitIn(serializers.Serializer):
    explanations = serializers.DictField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False
    )


class ReturnIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ApprovalIn(serializers.Serializer):
    dataset = serializers.CharField(max_length=30)
    period = serializers.CharField(max_length=6)
    org_unit = serializers.IntegerField()


def _period(value: Any) -> Period:
    try:
        return Period.parse(value)
    except ValidationError as error:
        raise ApiValidationError({"period": error.messages}) from None


def _dataset(value: Any) -> DataSet:
    if not value:
        found = selectors.default_dataset()
        if found is None:
            raise ApiValidationError({"dataset": [_("No monthly form is configured.")]})
        return found
    try:
        return selectors.dataset_get(value)
    except Exception:  # Http404 from the selector: answer as a field error
        raise ApiValidationError(
            {"dataset": [_("“%(code)s” is not a monthly form.") % {"code": str(value)[:30]}]}
        ) from None


def _run(call: Any) -> Any:
    try:
        return call()
    except services.TransitionError as error:
        raise Conflict(str(error)) from error
    except DjangoPermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error


# --- viewsets ----------------------------------------------------------------------------------


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The indicators of the monthly forms (money in 千元)."""

    permission_classes = [CanOpenStats]
    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.order_by("sort_order", "code")
    lookup_field = "code"


class DataSetViewSet(viewsets.ReadOnlyModelViewSet):
    """The monthly forms, their indicators, deadline and lock."""

    permission_classes = [CanOpenStats]
    serializer_class = DataSetSerializer
    queryset = DataSet.objects.prefetch_related("indicators").order_by("code")
    lookup_field = "code"


@extend_schema(
    parameters=[
        OpenApiParameter("dataset", str),
        OpenApiParameter("period", str, description="YYYYMM"),
        OpenApiParameter("status", str),
        OpenApiParameter("enterprise", int),
        OpenApiParameter("street", int),
    ]
)
class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly forms in the user's scope; POST creates or updates a draft."""

    permission_classes = [CanOpenStats]

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return SubmissionDetailSerializer
        if self.action == "create":
            return SubmissionIn
        return SubmissionSerializer

    def get_queryset(self) -> Any:
        queryset = selectors.submissions_for_user(user=self.request.user).select_related(
            "dataset", "enterprise__street"
        )
        if self.action == "retrieve":
            return queryset.prefetch_related("values__indicator")
        params = self.request.query_params
        if params.get("dataset"):
            queryset = queryset.filter(dataset__code=params["dataset"])
        if params.get("period"):
            queryset = queryset.filter(period=str(_period(params["period"])))
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        for name, field in (("enterprise", "enterprise_id"), ("street", "enterprise__street_id")):
            if params.get(name):
                if not params[name].isdigit():
                    raise ApiValidationError({name: [_("Enter a whole number.")]})
                queryset = queryset.filter(**{field: int(params[name])})
        return queryset.order_by("-period", "enterprise__name")

    def _detail(self, request: Any, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        submission = selectors.submission_get_for_user(user=request.user, pk=pk, values=True)
        return Response(SubmissionDetailSerializer(submission).data, status=code)

    @extend_schema(request=SubmissionIn, responses=SubmissionDetailSerializer)
    def create(self, request: Any) -> Response:
        data = SubmissionIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        dataset = _dataset(v["dataset"])
        period = _period(v["period"])
        enterprise = (
            enterprise_selectors.enterprises_for_user(user=request.user)
            .select_related("street")
            .filter(pk=v["enterprise"])
            .first()
        )
        if enterprise is None:
            raise ApiValidationError({"enterprise": [_("No such enterprise in your scope.")]})
        existed = (
            selectors.form_for_user(
                user=request.user, dataset=dataset, enterprise=enterprise, period=period
            )
            is not None
        )
        submission = _run(
            lambda: services.submission_save(
                by=request.user,
                dataset=dataset,
                enterprise=enterprise,
                period=period,
                values=[dict(row) for row in v["values"]],
            )
        )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return self._detail(request, submission.pk, code)

    @extend_schema(request=SubmitIn, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: Any = None) -> Response:
        submission = selectors.submission_get_for_user(user=request.user, pk=pk)
        data = SubmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            lambda: services.submission_submit(
                by=request.user,
                submission=submission,
                explanations=data.validated_data.get("explanations") or {},
            )
        )
        return self._detail(request, pk)

    @extend_schema(request=None, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Any, pk: Any = None) -> Response:
        submission = selectors.submission_get_for_user(user=request.user, pk=pk)
        _run(lambda: services.submission_accept(by=request.user, submission=submission))
        return self._detail(request, pk)

    @extend_schema(request=ReturnIn, responses=SubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Any, pk: Any = None) -> Response:
        submission = selectors.submission_get_for_user(user=request.user, pk=pk)
        data = ReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        _run(
            lambda: services.submission_return(
                by=request.user, submission=submission, reason=data.validated_data["reason"]
            )
        )
        return self._detail(request, pk)


_APPROVAL_OUT = inline_serializer(
    "ApprovalOut",
    {
        "dataset": serializers.CharField(),
        "period": serializers.CharField(),
        "org_unit": serializers.IntegerField(),
        "approved_by": serializers.CharField(),
        "approved_at": serializers.DateTimeField(),
    },
)


class ApprovalView(APIView):
    """Approve a street (every expected form accepted) or the district (every street approved);
    DELETE undoes an approval, from the top down."""

    permission_classes = [CanOpenStats]

    def _input(self, request: Any) -> tuple[DataSet, Period, Any]:
        source = request.data if request.data else request.query_params
        data = ApprovalIn(data=source)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        unit = selectors.unit_get_for_user(user=request.user, pk=v["org_unit"])
        return _dataset(v["dataset"]), _period(v["period"]), unit

    @extend_schema(request=ApprovalIn, responses={201: _APPROVAL_OUT})
    def post(self, request: Any) -> Response:
        dataset, period, unit = self._input(request)
        approval = _run(
            lambda: services.approval_create(
                by=request.user, dataset=dataset, period=period, org_unit=unit
            )
        )
        return Response(
            {
                "dataset": dataset.code,
                "period": approval.period,
                "org_unit": unit.pk,
                "approved_by": request.user.username,
                "approved_at": approval.approved_at,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=ApprovalIn,
        parameters=[
            OpenApiParameter("dataset", str),
            OpenApiParameter("period", str),
            OpenApiParameter("org_unit", int),
        ],
        responses={204: None},
    )
    def delete(self, request: Any) -> Response:
        dataset, period, unit = self._input(request)
        _run(
            lambda: services.approval_delete(
                by=request.user, dataset=dataset, period=period, org_unit=unit
            )
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


def _unit_param(request: Any) -> Any:
    params = request.query_params
    if params.get("zone"):
        return selectors.zone_get_for_user(user=request.user, pk=params["zone"])
    if params.get("org_unit"):
        return selectors.unit_get_for_user(user=request.user, pk=params["org_unit"])
    unit = selectors.home_unit(user=request.user)
    if unit is None:
        raise ApiPermissionDenied()
    return unit


def _figures_params(request: Any, *, analysis: bool) -> tuple[DataSet, Period, Any]:
    """The data set, period and org unit (or zone) of a figures request; officials only.

    Without `period`: for analysis the latest approved period, else the period open for entry.
    """
    if request.user.role == "enterprise_user":
        raise ApiPermissionDenied()
    params = request.query_params
    dataset = _dataset(params.get("dataset"))
    unit = _unit_param(request)
    if params.get("period"):
        return dataset, _period(params["period"]), unit
    found = selectors.default_analysis_period(dataset=dataset, unit=unit) if analysis else None
    return dataset, found or periods.current(dataset, timezone.localdate()), unit


_UNIT_PARAMS = [
    OpenApiParameter("dataset", str),
    OpenApiParameter("period", str, description="YYYYMM"),
    OpenApiParameter("org_unit", int),
    OpenApiParameter("zone", int),
]


def _number(value: Any) -> str | None:
    return None if value is None else str(value)


class CompletenessView(APIView):
    """Expected, submitted, accepted and on-time forms of an org unit, with its children and
    the enterprises still missing."""

    permission_classes = [CanOpenStats]

    @extend_schema(parameters=_UNIT_PARAMS, responses={200: dict})
    def get(self, request: Any) -> Response:
        dataset, period, unit = _figures_params(request, analysis=False)
        figures = selectors.completeness(dataset=dataset, period=period, unit=unit)
        missing = selectors.missing_enterprises(dataset=dataset, period=period, unit=unit)

        def row(entry: Any) -> dict[str, Any]:
            return {
                "org_unit": entry.unit.pk if entry.unit is not None else None,
                "name": entry.name,
                "expected": entry.expected,
                "submitted": entry.submitted,
                "accepted": entry.accepted,
                "on_time": entry.on_time,
                "missing": entry.missing,
                "rate": _number(entry.rate),
                "approved": entry.approved,
            }

        return Response(
            {
                "dataset": dataset.code,
                "period": str(period),
                "zone": isinstance(unit, Zone),
                **row(figures),
                "children": [row(c) for c in figures.children],
                "missing_enterprises": [
                    {"id": e.pk, "name": e.name, "street": e.street.name} for e in missing[:500]
                ],
            }
        )


_ROLLUP_FIELDS = (
    "month",
    "ytd",
    "month_base",
    "ytd_base",
    "month_yoy",
    "ytd_yoy",
    "naive_ytd_yoy",
    "mom",
    "last_year_ytd",
    "month_comparable",
    "ytd_comparable",
    "contribution",
)


def _plain(entry: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in entry.items():
        if key in ("children", "by_enterprise"):
            continue
        out[key] = _number(value) if key in _ROLLUP_FIELDS else value
    return out


class RollupView(APIView):
    """This month, year to date, month-on-month and year-on-year on a comparable basis (percent,
    null when not defined, with the bureau's words for losses), the naive figure beside it, and
    each child unit with its contribution in percentage points. Money in 千元."""

    permission_classes = [CanOpenStats]

    @extend_schema(
        parameters=[*_UNIT_PARAMS, OpenApiParameter("indicator", str)], responses={200: dict}
    )
    def get(self, request: Any) -> Response:
        dataset, period, unit = _figures_params(request, analysis=True)
        code = request.query_params.get("indicator") or "output"
        indicator = dataset.indicators.filter(code=code).first()
        if indicator is None:
            raise ApiValidationError(
                {"indicator": [_("“%(code)s” is not an indicator of this form.") % {"code": code}]}
            )
        result = selectors.rollup(dataset=dataset, period=period, unit=unit, indicator=indicator)
        return Response(
            {
                "dataset": dataset.code,
                "period": str(period),
                "indicator": indicator.code,
                "unit": indicator.unit,
                "org_unit": None if isinstance(unit, Zone) else unit.pk,
                "zone": unit.pk if isinstance(unit, Zone) else None,
                "name": unit.name,
                **_plain(result),
                "children": [_plain(c) for c in result["children"]],
            }
        )
