"""REST: GET /api/v1/dashboard/ — the command centre's sections and figures, as the dashboard page
shows them, with the same filters (period, street, zone) and the same scope.

Officials of a district read it (each within their own scope; a street clerk's street is fixed);
enterprise users, administrators and accounts without a role get 403, anonymous callers 401. A
filter outside the caller's district, or a period that is not a quarter or a year, is a 400 with
the message. The figures are cached for a minute (`read_at` says when they were read); `fresh=1`
reads them again. Every figure carries the URL of the list it counts, filtered the same way.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from qifu.core.rest import query_bool
from qifu.dashboard import permissions, selectors
from qifu.dashboard.views import chart_json, display, number


class CanOpenDashboard(BasePermission):
    """Officials of a district (leaders, departments, streets, statistics, investment staff)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.can_open(request.user)


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count, an amount in 万元 or a rate in %, as a JSON number."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return number(value)


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class FiltersSerializer(serializers.Serializer):
    period = serializers.CharField(source="span", help_text="2026Q2 (a quarter) or 2026 (a year)")
    period_label = serializers.CharField(source="span.label", help_text="2026年第二季度")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    district = PlaceSerializer(allow_null=True)
    street = PlaceSerializer(allow_null=True, help_text="null: every street of the scope")
    zone = PlaceSerializer(allow_null=True, help_text="null: every zone")


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='"<section>.<name>", e.g. "appeals.overdue"')
    label = serializers.CharField()
    value = NumberField(allow_null=True, help_text="null: not known for this period")
    display = serializers.SerializerMethodField(help_text="the value as the page shows it")
    unit = serializers.CharField(help_text="家, 件, 万元, % …")
    note = serializers.CharField(help_text="e.g. growth: 同比 +5.2%")
    url = serializers.CharField(
        help_text="the list page this figure counts, filtered the same way (same count)"
    )
    counts_list = serializers.BooleanField(
        help_text="true: the list at `url` shows a count equal to the value"
    )

    def get_display(self, figure: Any) -> str:
        return display(figure.value)


class ChartSeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    data = serializers.ListField(child=NumberField(allow_null=True))


class ChartSerializer(serializers.Serializer):
    id = serializers.CharField(help_text='"<section>:<index>"')
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=["bar", "pie", "line"])
    unit = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    series = ChartSeriesSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="enterprises, visits, appeals, stats, policies, …")
    title = serializers.CharField()
    figures = FigureSerializer(many=True)
    charts = serializers.SerializerMethodField()
    lines = serializers.ListField(
        child=serializers.CharField(), help_text="sentences such as 为企业解决实际问题 N 类、M 项"
    )

    @extend_schema_field(ChartSerializer(many=True))
    def get_charts(self, section: Any) -> list[dict[str, Any]]:
        return [chart_json(raw, f"{section.key}:{i}") for i, raw in enumerate(section.charts or [])]


class DashboardSerializer(serializers.Serializer):
    read_at = serializers.DateTimeField(help_text="when the figures were read (cached 60 s)")
    filters = FiltersSerializer()
    sections = SectionSerializer(many=True)


class DashboardView(APIView):
    """GET /api/v1/dashboard/: the sections of the command centre that the caller's role sees,
    each figure counted within the caller's scope and the filters, with the URL of its list."""

    permission_classes = [CanOpenDashboard]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, description="a quarter (2026Q2) or a year (2026); default: now"
            ),
            OpenApiParameter("street", str, description="code of a street of the district"),
            OpenApiParameter(
                "zone", str, description="code of a zone of the district (ignored with a street)"
            ),
            OpenApiParameter("fresh", bool, description="true: read the figures again now"),
        ],
        responses=DashboardSerializer,
        operation_id="dashboard_read",
    )
    def get(self, request: Any) -> Response:
        try:
            filters = selectors.filters_for(user=request.user, params=request.query_params)
        except selectors.FilterError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        board = selectors.dashboard_for_user(
            user=request.user,
            filters=filters,
            fresh=bool(query_bool(request.query_params.get("fresh"))),
        )
        return Response(DashboardSerializer(board).data)
