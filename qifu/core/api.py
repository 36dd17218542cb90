"""REST endpoints of the org structure and the working-day calendar."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qifu.accounts.permissions import CalendarPermission, CanReadOrg
from qifu.core import selectors, services, workdays
from qifu.core.models import Department, Holiday, Level, OrgUnit
from qifu.core.viewsets import ServiceViewSet, ServiceWriteMixin


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=selectors.org_units_for_configuration(),
        allow_null=True,
        required=False,
    )
    zone = serializers.CharField(
        source="zone.code", allow_null=True, required=False, help_text=_("zone code")
    )
    zone_name = serializers.CharField(source="zone.name", read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "level", "parent", "zone", "zone_name", "sort_order"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "zone" not in attrs:
            return attrs
        zone_code = attrs.pop("zone").get("code")
        zone = None  # an explicit null removes the zone
        if zone_code:
            parent = attrs.get("parent") or getattr(self.instance, "parent", None)
            zone = selectors.zone_in_district(district=parent, code=zone_code)
            if zone is None:
                raise serializers.ValidationError({"zone": _("No such zone in this district.")})
        attrs["zone"] = zone
        return attrs


class DepartmentSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=selectors.org_units_for_configuration(level=Level.DISTRICT)
    )

    class Meta:
        model = Department
        fields = ["code", "name", "district", "is_active", "is_service_centre", "sort_order"]


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "date", "kind", "name"]


class OrgUnitViewSet(ServiceViewSet):
    """Org units inside the caller's scope; the system admin may add and change them."""

    serializer_class = OrgUnitSerializer
    permission_classes = [CanReadOrg]
    save_service = staticmethod(services.org_unit_save)
    instance_kwarg = "unit"
    lookup_field = "code"

    @extend_schema(parameters=[OpenApiParameter("level", enum=Level.values)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.org_unit_list_for_user(
            user=self.request.user, level=self.request.query_params.get("level", "")
        )


class DepartmentViewSet(ServiceViewSet):
    """Departments of the caller's district; the system admin may add and change them."""

    serializer_class = DepartmentSerializer
    permission_classes = [CanReadOrg]
    save_service = staticmethod(services.department_save)
    instance_kwarg = "department"

    def get_queryset(self) -> Any:
        return selectors.department_list_for_user(user=self.request.user)


_add_response = inline_serializer(
    "WorkingDayResult",
    {
        "date": serializers.DateField(),
        "days": serializers.IntegerField(),
        "result": serializers.DateField(),
        "provisional": serializers.BooleanField(),
    },
)


class AddWorkingDaysQuery(serializers.Serializer):
    date = serializers.DateField()
    days = serializers.IntegerField(min_value=-3650, max_value=3650)


class HolidayViewSet(ServiceWriteMixin, viewsets.ModelViewSet):
    """The official calendar's special days (holidays and adjusted workdays) of a year."""

    serializer_class = HolidaySerializer
    permission_classes = [CalendarPermission]
    save_service = staticmethod(services.holiday_save)
    instance_kwarg = "holiday"

    @extend_schema(parameters=[OpenApiParameter("year", int, required=False)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        raw = self.request.query_params.get("year", "")
        year = int(raw) if raw.isdigit() else timezone.localdate().year
        if self.action != "list":
            return selectors.holidays_for_configuration()
        return selectors.holiday_list(year=year)

    def perform_destroy(self, instance: Holiday) -> None:
        services.holiday_delete(by=self.request.user, holiday=instance)

    @extend_schema(
        parameters=[AddWorkingDaysQuery], responses=_add_response, summary="Add working days"
    )
    @action(detail=False, methods=["get"], url_path="add-working-days")
    def add_working_days(self, request: Request) -> Response:
        query = AddWorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["date"], query.validated_data["days"]
        result = workdays.add_working_days(start, days)
        return Response(
            {"date": start, "days": days, "result": result, "provisional": result.provisional}
        )
