"""REST: /api/v1/projects/ — projects with their stages, obstacles, monthly inspections, timetable
and tasks; the pipeline and the key-project board. The same services and scope as the pages:
every write goes through `qifu.projects.services`, every read through `qifu.projects.selectors`.

A project outside the caller's scope is 404; a role that may not act on a project it sees, 403;
a change the project's state does not allow (e.g. 投产 before 在建), 409 with the reason; bad
input, 400 with the message by field. An enterprise user sees its own projects without internal
notes. Amounts are in 万元, as decimals.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from qifu.accounts import scope
from qifu.accounts.models import OFFICIAL_ROLES, Role, User
from qifu.appeals.models import Category
from qifu.appeals.models import Kind as AppealKind
from qifu.core.models import Department, Level, OrgUnit
from qifu.core.rest import Conflict, query_bool
from qifu.enterprises import selectors as enterprise_selectors
from qifu.enterprises.models import Enterprise
from qifu.investment import selectors as investment_selectors
from qifu.investment.models import Channel
from qifu.projects import permissions, selectors, services
from qifu.projects.models import (
    SIGNING_KINDS,
    DateKind,
    Document,
    DocumentCategory,
    Inspection,
    KeyList,
    Milestone,
    Obstacle,
    ObstacleStatus,
    ObstacleType,
    Project,
    ProjectDate,
    SchedulingMeeting,
    Stage,
    StageEvent,
    Task,
    TaskStatus,
)
from qifu.stats.periods import Period

MONEY = {"max_digits": 14, "decimal_places": 2}

# --- scoped choices -------------------------------------------------------------------------------


def _choices(user: Any) -> dict[str, Any]:
    """The rows a caller may name in a project: those of their own district (officials only)."""
    s = scope.scope_for(user)
    district = s.district if permissions.sees_internal(user) else None
    if district is None:
        return {
            "street": OrgUnit.objects.none(),
            "enterprise": Enterprise.objects.none(),
            "leader": User.objects.none(),
            "liaison_leader": User.objects.none(),
            "lead_department": Department.objects.none(),
            "key_list": KeyList.objects.none(),
            "source_channel": Channel.objects.none(),
            "department": Department.objects.none(),
        }
    departments = Department.objects.filter(district=district)
    return {
        "street": OrgUnit.objects.filter(parent=district, level=Level.STREET),
        "enterprise": enterprise_selectors.enterprises_for_user(user=user),
        "leader": User.objects.filter(is_active=True, role=Role.DISTRICT_LEADER, org_unit=district),
        "liaison_leader": User.objects.filter(
            is_active=True,
            role__in=list(OFFICIAL_ROLES),
            org_unit__path__startswith=district.path,
        ),
        "lead_department": departments,
        "key_list": KeyList.objects.filter(district=district),
        "source_channel": investment_selectors.channels_for_user(user=user),
        "department": departments,
    }


class _Scoped:
    """A serializer whose relations are limited to the caller's district (from the request)."""

    def scope_fields(self: Any) -> None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for name, queryset in _choices(user).items():
            if name in self.fields and not self.fields[name].read_only:
                self.fields[name].queryset = queryset
        if user is not None and not permissions.sees_internal(user):
            for name in getattr(self.Meta, "internal_fields", ()):
                self.fields.pop(name, None)


def _department_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.none(),
        help_text="department code",
        **kwargs,
    )


# --- serializers ----------------------------------------------------------------------------------


class ProjectSerializer(_Scoped, serializers.ModelSerializer):
    street = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.none(), help_text="street code"
    )
    street_name = serializers.CharField(source="street.name", read_only=True)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=Enterprise.objects.none(), required=False, allow_null=True
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    leader = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text="username of a district leader",
    )
    leader_name = serializers.CharField(source="leader.full_name", read_only=True, default=None)
    liaison_leader = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        help_text="username of an official of the district",
    )
    lead_department = _department_field(required=False, allow_null=True)
    lead_department_name = serializers.CharField(
        source="lead_department.name", read_only=True, default=None
    )
    key_list = serializers.PrimaryKeyRelatedField(
        queryset=KeyList.objects.none(), required=False, allow_null=True
    )
    key_list_name = serializers.CharField(source="key_list.name", read_only=True, default=None)
    source_channel = serializers.PrimaryKeyRelatedField(
        queryset=Channel.objects.none(), required=False, allow_null=True
    )
    total_investment = serializers.DecimalField(min_value=0, **MONEY)
    completed_investment = serializers.DecimalField(
        source="investment_completed", read_only=True, **MONEY
    )
    completion_ratio = serializers.DecimalField(
        read_only=True, max_digits=7, decimal_places=4, allow_null=True
    )
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    allowed_stages = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "investor",
            "enterprise",
            "enterprise_name",
            "industry_code",
            "street",
            "street_name",
            "stage",
            "stage_label",
            "stage_date",
            "allowed_stages",
            "is_key",
            "key_list",
            "key_list_name",
            "total_investment",
            "completed_investment",
            "completion_ratio",
            "leader",
            "leader_name",
            "liaison_leader",
            "lead_department",
            "lead_department_name",
            "source_lead",
            "source_channel",
            "expected_start",
            "actual_start",
            "production_date",
            "internal_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "stage",
            "stage_date",
            "source_lead",
            "actual_start",
            "production_date",
            "created_at",
            "updated_at",
        ]
        internal_fields = ("internal_note",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Stage.choices)))
    def get_allowed_stages(self, project: Project) -> list[str]:
        request = self.context.get("request")
        if request is None or not permissions.can_manage(request.user, project):
            return []
        return services.allowed_stages(project)


class ProjectStageEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = StageEvent
        fields = ["id", "from_stage", "to_stage", "date", "note", "reason", "actor", "at"]


class ProjectDateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectDate
        fields = ["kind", "date", "note"]


class ProjectDetailSerializer(ProjectSerializer):
    dates = ProjectDateSerializer(many=True, read_only=True)
    stage_history = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "paused_from",
            "stop_reason",
            "plan_approved_at",
            "dates",
            "stage_history",
        ]
        read_only_fields = [
            *ProjectSerializer.Meta.read_only_fields,
            "paused_from",
            "stop_reason",
            "plan_approved_at",
        ]

    @extend_schema_field(ProjectStageEventSerializer(many=True))
    def get_stage_history(self, project: Project) -> Any:
        user = self.context["request"].user
        events = selectors.stage_history_for_user(user=user, project=project)
        return ProjectStageEventSerializer(events, many=True).data


class ProjectStageIn(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField(required=False, help_text="default: today")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    signing = serializers.ChoiceField(
        choices=[(k, DateKind(k).label) for k in SIGNING_KINDS],
        required=False,
        allow_blank=True,
        default="",
        help_text="for 签约: what was signed on `date` (intent, contract or land lease)",
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="for pausing or terminating",
    )


class ProjectDateIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DateKind.choices)
    date = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ProjectObstacleSerializer(_Scoped, serializers.ModelSerializer):
    department = _department_field(required=False, allow_null=True)
    appeal = serializers.CharField(source="appeal.number", read_only=True, default=None)
    appeal_id = serializers.IntegerField(read_only=True, allow_null=True)
    type = serializers.ChoiceField(choices=ObstacleType.choices)

    class Meta:
        model = Obstacle
        fields = [
            "id",
            "stage",
            "description",
            "type",
            "department",
            "deadline",
            "status",
            "resolution",
            "resolved_on",
            "internal_note",
            "appeal",
            "appeal_id",
            "created_at",
        ]
        read_only_fields = ["stage", "status", "resolution", "resolved_on", "created_at"]
        internal_fields = ("internal_note",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()


class ProjectObstacleResolveIn(serializers.Serializer):
    resolution = serializers.CharField(max_length=2000)
    date = serializers.DateField(required=False, allow_null=True, default=None)


class ProjectObstacleChangeIn(_Scoped, serializers.Serializer):
    description = serializers.CharField(max_length=2000, required=False)
    type = serializers.ChoiceField(choices=ObstacleType.choices, required=False)
    department = _department_field(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    internal_note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (ObstacleStatus.OPEN, ObstacleStatus.IN_PROGRESS)],
        required=False,
        help_text="`in_progress` marks it as being solved; resolve with /resolve/",
    )

    class Meta:
        internal_fields = ("internal_note",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()


class ProjectObstacleAppealIn(serializers.Serializer):
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="appeal category code (default: from the obstacle's type)",
    )
    kind = serializers.ChoiceField(
        choices=AppealKind.choices, required=False, default=AppealKind.PROBLEM
    )
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ProjectAppealOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    obstacle = ProjectObstacleSerializer()


class ProjectInspectionSerializer(serializers.ModelSerializer):
    invested_this_month = serializers.DecimalField(source="month_investment", **MONEY)
    cumulative_investment = serializers.DecimalField(**MONEY)
    department = serializers.CharField(source="department.code", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "month",
            "invested_this_month",
            "cumulative_investment",
            "progress",
            "progress_percent",
            "problems",
            "next_plan",
            "explanation",
            "department",
            "submitted_by",
            "submitted_at",
        ]
        read_only_fields = ["department", "submitted_by", "submitted_at"]


class ProjectInspectionIn(serializers.Serializer):
    month = serializers.RegexField(r"^\d{6}$", help_text="YYYYMM")
    invested_this_month = serializers.DecimalField(min_value=0, **MONEY)
    cumulative_investment = serializers.DecimalField(min_value=0, **MONEY)
    progress = serializers.CharField(max_length=2000)
    progress_percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )
    problems = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    next_plan = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    explanation = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="required when the cumulative investment is above the total",
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="site photos (JPG or PNG; send the report as multipart), filed with the report",
    )

    def validate_month(self, value: str) -> str:
        try:
            return str(Period.parse(value))
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class ProjectMilestoneSerializer(serializers.ModelSerializer):
    colour = serializers.SerializerMethodField(
        help_text="green done, blue on track, yellow due within 2 working days, red overdue"
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "name",
            "sort_order",
            "is_completion",
            "planned",
            "forecast",
            "actual",
            "colour",
        ]

    @extend_schema_field(serializers.ChoiceField(["green", "blue", "yellow", "red"]))
    def get_colour(self, milestone: Milestone) -> str:
        return selectors.milestone_colour(milestone)


class ProjectMilestoneIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    planned = serializers.DateField(required=False, allow_null=True, default=None)
    forecast = serializers.DateField(required=False, allow_null=True, default=None)
    is_completion = serializers.BooleanField(required=False, default=False)
    sort_order = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, allow_null=True, default=None
    )


class ProjectMilestoneChangeIn(serializers.Serializer):
    planned = serializers.DateField(required=False, help_text="before the plan is approved")
    forecast = serializers.DateField(required=False)
    actual = serializers.DateField(required=False, help_text="the date it was reached")


class ProjectTaskSerializer(_Scoped, serializers.ModelSerializer):
    department = _department_field()
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)
    meeting_title = serializers.CharField(source="meeting.title", read_only=True, default=None)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "what",
            "department",
            "due",
            "status",
            "done_on",
            "note",
            "meeting",
            "meeting_title",
            "overdue",
        ]
        read_only_fields = ["status", "done_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()

    def get_overdue(self, task: Task) -> bool:
        return task.status != "done" and task.due < timezone.localdate()


class ProjectTaskCompleteIn(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProjectTaskChangeIn(_Scoped, serializers.Serializer):
    what = serializers.CharField(max_length=2000, required=False)
    department = _department_field(required=False)
    due = serializers.DateField(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)],
        required=False,
        help_text="`in_progress` starts it; complete it with /complete/",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope_fields()


class ProjectDocumentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    inspection = serializers.IntegerField(source="inspection_id", read_only=True, allow_null=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "category",
            "name",
            "size",
            "content_type",
            "description",
            "is_internal",
            "inspection",
            "meeting",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = fields


class ProjectDocumentIn(serializers.Serializer):
    upload = serializers.FileField(
        help_text="PDF, Word (.docx), Excel (.xlsx), JPG or PNG, at most 10 MB"
    )
    category = serializers.ChoiceField(choices=DocumentCategory.choices)
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    is_internal = serializers.BooleanField(
        required=False, default=False, help_text="officials only; ignored for an enterprise"
    )


class ProjectKeyListSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta:
        model = KeyList
        fields = ["id", "name", "year", "district"]


class ProjectMeetingDecisionIn(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.none(), help_text="id of a project on the list"
    )
    what = serializers.CharField(max_length=2000)
    department = _department_field()
    due = serializers.DateField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key_list = self.context.get("key_list")
        request = self.context.get("request")
        if key_list is not None and request is not None:
            self.fields["project"].queryset = selectors.project_list_for_user(
                user=request.user, filters={"key_list": key_list.pk}
            )
            self.fields["department"].queryset = Department.objects.filter(
                district_id=key_list.district_id
            )


@extend_schema_field(ProjectMeetingDecisionIn(many=True))
class _DecisionsField(serializers.JSONField):
    """A list of decisions; in a multipart request, the list as a JSON string."""


class ProjectMeetingIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    attendees = serializers.CharField(max_length=2000)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    decisions = _DecisionsField(
        help_text="one decision per project discussed, each becoming a task: "
        '[{"project": id, "what": text, "department": code, "due": date}]'
    )
    minutes = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="filed as internal documents"
    )

    def validate_decisions(self, value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            raise serializers.ValidationError(_("Record the decision on each project discussed."))
        rows = ProjectMeetingDecisionIn(data=value, many=True, context=self.context)
        rows.is_valid(raise_exception=True)
        return [dict(row) for row in rows.validated_data]


class ProjectMeetingSerializer(serializers.ModelSerializer):
    key_list = serializers.IntegerField(source="key_list_id", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = SchedulingMeeting
        fields = [
            "id",
            "key_list",
            "title",
            "date",
            "attendees",
            "place",
            "recorded_by",
            "recorded_at",
            "tasks",
        ]

    @extend_schema_field(ProjectTaskSerializer(many=True))
    def get_tasks(self, meeting: SchedulingMeeting) -> Any:
        request = self.context["request"]
        rows = selectors.tasks_for_user(user=request.user, filters={"meeting": meeting.pk})
        return ProjectTaskSerializer(rows, many=True, context={"request": request}).data


class ProjectPipelineRowSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()
    total_investment = serializers.DecimalField(**MONEY)
    investment_completed = serializers.DecimalField(**MONEY)


class ProjectBoardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.id")
    name = serializers.CharField(source="project.name")
    stage = serializers.ChoiceField(source="project.stage", choices=Stage.choices)
    lead_department = serializers.CharField(source="project.lead_department.name", default=None)
    total_investment = serializers.DecimalField(source="project.total_investment", **MONEY)
    cumulative = serializers.DecimalField(**MONEY)
    ratio = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    started = serializers.BooleanField()
    past_30 = serializers.BooleanField()
    ahead = serializers.BooleanField()
    reported = serializers.BooleanField()
    colour = serializers.CharField(allow_null=True)


class ProjectBoardSerializer(serializers.Serializer):
    key_list = serializers.IntegerField(source="key_list.id")
    key_list_name = serializers.CharField(source="key_list.name")
    month = serializers.CharField()
    total = serializers.IntegerField()
    started = serializers.IntegerField()
    past_30 = serializers.IntegerField()
    ahead = serializers.IntegerField()
    total_investment = serializers.DecimalField(**MONEY)
    completed = serializers.DecimalField(**MONEY)
    ratio = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    rows = ProjectBoardRowSerializer(many=True)
    missing = serializers.SerializerMethodField(help_text="ids of the projects not reported")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_missing(self, board: Any) -> list[int]:
        return [p.pk for p in board.missing]


# --- helpers --------------------------------------------------------------------------------------


def _data(serializer: type[serializers.Serializer], request: Any, **kwargs: Any) -> dict[str, Any]:
    data = serializer(data=request.data, context={"request": request}, **kwargs)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _run(run: Any) -> Any:
    try:
        return run()
    except services.TransitionError as error:
        raise Conflict(str(error)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error


def _filters(request: Any) -> dict[str, Any]:
    """stage, street (code), industry (code prefix), is_key, key_list (id), leader (id),
    department (code), search."""
    p = request.query_params
    filters: dict[str, Any] = {k: p.get(k, "").strip() for k in ("street", "industry", "search")}
    filters["department"] = p.get("department", "").strip()
    errors: dict[str, list[str]] = {}
    stage = p.get("stage", "")
    if stage and stage not in Stage.values:
        errors["stage"] = [_("Choose one of the stages.")]
    filters["stage"] = stage
    for key in ("key_list", "leader"):
        value = p.get(key, "").strip()
        if value and not value.isdigit():
            errors[key] = [_("Enter a whole number.")]
        filters[key] = int(value) if value.isdigit() else None
    filters["is_key"] = query_bool(p.get("is_key"))
    if errors:
        raise serializers.ValidationError(errors)
    return filters


_FILTER_PARAMS = [
    OpenApiParameter("stage", str, enum=Stage.values),
    OpenApiParameter("street", str, description="street code"),
    OpenApiParameter("industry", str, description="industry code prefix (GB/T 4754)"),
    OpenApiParameter("is_key", bool),
    OpenApiParameter("key_list", int, description="id of a key project list"),
    OpenApiParameter("leader", int, description="user id of the responsible leader"),
    OpenApiParameter("department", str, description="code of the lead department"),
    OpenApiParameter("search", str, description="name or investor"),
]


# --- the viewset ----------------------------------------------------------------------------------


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Investment projects in the caller's scope, from negotiation to production."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]+"

    def get_serializer_class(self) -> Any:
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def get_queryset(self) -> Any:
        filters = _filters(self.request) if self.action == "list" else {}
        return selectors.project_list_for_user(user=self.request.user, filters=filters)

    def _project(self, pk: Any) -> Project:
        return selectors.project_get_for_user(user=self.request.user, pk=pk)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        project = self._project(pk)
        body = ProjectDetailSerializer(project, context={"request": self.request}).data
        return Response(body, status=code)

    @extend_schema(parameters=_FILTER_PARAMS)
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return self._detail(kwargs["pk"])

    @extend_schema(request=ProjectSerializer, responses={201: ProjectDetailSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        district = scope.scope_for(request.user).district
        if not permissions.is_pipeline_staff(request.user, district.pk if district else None):
            raise ApiPermissionDenied(_("Your role does not allow this on this project."))
        values = _data(ProjectSerializer, request)
        project = _run(lambda: services.project_create(by=request.user, **values))
        return self._detail(project.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ProjectSerializer, responses=ProjectDetailSerializer)
    def partial_update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        project = self._project(kwargs["pk"])
        values = _data(ProjectSerializer, request, partial=True)
        _run(lambda: services.project_update(by=request.user, project=project, **values))
        return self._detail(project.pk)

    # --- stage and dates

    @extend_schema(
        request=ProjectStageIn,
        responses=ProjectDetailSerializer,
        description="Move the project to `stage`. 签约 needs `signing` (what was signed on "
        "`date`); pausing and terminating need a `reason`. A change out of order answers 409 "
        "with the reason.",
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        d = _data(ProjectStageIn, request)
        date = d.get("date") or timezone.localdate()
        signing = {d["signing"]: date} if d["signing"] else None
        _run(
            lambda: services.stage_change(
                by=request.user,
                project=project,
                stage=d["stage"],
                date=date,
                note=d["note"],
                signing=signing,
                reason=d["reason"],
            )
        )
        return self._detail(pk)

    @extend_schema(request=ProjectDateIn, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def dates(self, request: Any, pk: Any = None) -> Response:
        """Record or correct the date of a signing or approval step."""
        project = self._project(pk)
        d = _data(ProjectDateIn, request)
        _run(lambda: services.project_date_record(by=request.user, project=project, **d))
        return self._detail(pk)

    # --- obstacles

    @extend_schema(methods=["GET"], request=None, responses=ProjectObstacleSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProjectObstacleSerializer,
        responses={201: ProjectObstacleSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def obstacles(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        context = {"request": request}
        if request.method == "GET":
            rows = selectors.obstacles_for_user(user=request.user, project=project)
            return Response(ProjectObstacleSerializer(rows, many=True, context=context).data)
        d = _data(ProjectObstacleSerializer, request)
        obstacle = _run(lambda: services.obstacle_add(by=request.user, project=project, **d))
        return Response(
            ProjectObstacleSerializer(self._obstacle(project, obstacle.pk), context=context).data,
            status=status.HTTP_201_CREATED,
        )

    def _obstacle(self, project: Project, obstacle_id: Any) -> Obstacle:
        for obstacle in selectors.obstacles_for_user(user=self.request.user, project=project):
            if str(obstacle.pk) == str(obstacle_id):
                return obstacle
        raise Http404

    @extend_schema(request=ProjectObstacleChangeIn, responses=ProjectObstacleSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"obstacles/(?P<obstacle_id>[0-9]+)",
        url_name="obstacle-change",
    )
    def obstacle_change(self, request: Any, pk: Any = None, obstacle_id: Any = None) -> Response:
        """Change an open obstacle, or mark it as being solved (`status: in_progress`)."""
        project = self._project(pk)
        obstacle = self._obstacle(project, obstacle_id)
        d = _data(ProjectObstacleChangeIn, request)
        _run(lambda: services.obstacle_update(by=request.user, obstacle=obstacle, **d))
        return Response(
            ProjectObstacleSerializer(
                self._obstacle(project, obstacle_id), context={"request": request}
            ).data
        )

    @extend_schema(request=ProjectObstacleResolveIn, responses=ProjectObstacleSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"obstacles/(?P<obstacle_id>[0-9]+)/resolve",
        url_name="obstacle-resolve",
    )
    def obstacle_resolve(self, request: Any, pk: Any = None, obstacle_id: Any = None) -> Response:
        project = self._project(pk)
        obstacle = self._obstacle(project, obstacle_id)
        d = _data(ProjectObstacleResolveIn, request)
        _run(lambda: services.obstacle_resolve(by=request.user, obstacle=obstacle, **d))
        return Response(
            ProjectObstacleSerializer(
                self._obstacle(project, obstacle_id), context={"request": request}
            ).data
        )

    @extend_schema(
        request=ProjectObstacleAppealIn,
        responses={201: ProjectAppealOut},
        description="Raise the obstacle as an appeal (诉求) of the project's enterprise; the "
        "two stay linked. 409 when it has been raised already or is resolved.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"obstacles/(?P<obstacle_id>[0-9]+)/raise-appeal",
        url_name="obstacle-raise-appeal",
    )
    def obstacle_raise_appeal(
        self, request: Any, pk: Any = None, obstacle_id: Any = None
    ) -> Response:
        project = self._project(pk)
        obstacle = self._obstacle(project, obstacle_id)
        d = _data(ProjectObstacleAppealIn, request)
        appeal = _run(
            lambda: services.obstacle_raise_appeal(by=request.user, obstacle=obstacle, **d)
        )
        body = {
            "id": appeal.pk,
            "number": appeal.number,
            "status": appeal.status,
            "obstacle": ProjectObstacleSerializer(
                self._obstacle(project, obstacle_id), context={"request": request}
            ).data,
        }
        return Response(body, status=status.HTTP_201_CREATED)

    # --- monthly inspections

    @extend_schema(methods=["GET"], request=None, responses=ProjectInspectionSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProjectInspectionIn,
        responses={201: ProjectInspectionSerializer, 200: ProjectInspectionSerializer},
        description="The lead department's monthly report of a key project; the same month "
        "again corrects it (200). A cumulative investment above the total needs an "
        "`explanation`.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def inspections(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        if request.method == "GET":
            rows = selectors.inspections_for_user(user=request.user, project=project)
            return Response(ProjectInspectionSerializer(rows, many=True).data)
        d = _data(ProjectInspectionIn, request)
        month = d.pop("month")
        existed = Inspection.objects.filter(project=project, month=month).exists()
        inspection = _run(
            lambda: services.inspection_submit(
                by=request.user,
                project=project,
                month=month,
                month_investment=d.pop("invested_this_month"),
                **d,
            )
        )
        return Response(
            ProjectInspectionSerializer(inspection).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    # --- the timetable

    @extend_schema(methods=["GET"], request=None, responses=ProjectMilestoneSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ProjectMilestoneIn, responses={201: ProjectMilestoneSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def milestones(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        if request.method == "GET":
            rows = [
                m for m, _colour in selectors.timetable_for_user(user=request.user, project=project)
            ]
            return Response(ProjectMilestoneSerializer(rows, many=True).data)
        d = _data(ProjectMilestoneIn, request)
        milestone = _run(lambda: services.milestone_add(by=request.user, project=project, **d))
        return Response(ProjectMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectMilestoneChangeIn, responses=ProjectMilestoneSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"milestones/(?P<milestone_id>[0-9]+)",
        url_name="milestone-change",
    )
    def milestone_change(self, request: Any, pk: Any = None, milestone_id: Any = None) -> Response:
        """Change a milestone's planned date (before approval), forecast or actual date."""
        project = self._project(pk)
        timetable = selectors.timetable_for_user(user=request.user, project=project)
        milestone = next((m for m, _c in timetable if str(m.pk) == str(milestone_id)), None)
        if milestone is None:
            raise Http404
        d = _data(ProjectMilestoneChangeIn, request)
        by = request.user

        def change() -> None:
            with transaction.atomic():
                if "planned" in d:
                    services.milestone_plan(by=by, milestone=milestone, planned=d["planned"])
                if "forecast" in d:
                    services.milestone_forecast(by=by, milestone=milestone, forecast=d["forecast"])
                if "actual" in d:
                    services.milestone_actual(by=by, milestone=milestone, actual=d["actual"])

        _run(change)
        milestone.refresh_from_db()
        return Response(ProjectMilestoneSerializer(milestone).data)

    @extend_schema(request=None, responses=ProjectMilestoneSerializer(many=True))
    @action(
        detail=True,
        methods=["post"],
        url_path="milestones/approve",
        url_name="milestones-approve",
    )
    def milestones_approve(self, request: Any, pk: Any = None) -> Response:
        """Approve the timetable: the planned dates are fixed from now on."""
        project = self._project(pk)
        _run(lambda: services.milestone_plan_approve(by=request.user, project=project))
        rows = [
            m for m, _colour in selectors.timetable_for_user(user=request.user, project=project)
        ]
        return Response(ProjectMilestoneSerializer(rows, many=True).data)

    # --- tasks

    @extend_schema(methods=["GET"], request=None, responses=ProjectTaskSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ProjectTaskSerializer, responses={201: ProjectTaskSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def tasks(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        context = {"request": request}
        if request.method == "GET":
            rows = selectors.tasks_for_user(user=request.user, filters={"project": project.pk})
            return Response(ProjectTaskSerializer(rows, many=True, context=context).data)
        d = _data(ProjectTaskSerializer, request)
        task = _run(lambda: services.task_add(by=request.user, project=project, **d))
        return Response(
            ProjectTaskSerializer(task, context=context).data, status=status.HTTP_201_CREATED
        )

    def _task(self, project: Project, task_id: Any) -> Task:
        task = (
            selectors.tasks_for_user(user=self.request.user, filters={"project": project.pk})
            .filter(pk=task_id)
            .first()
        )
        if task is None:
            raise Http404
        return task

    @extend_schema(request=ProjectTaskChangeIn, responses=ProjectTaskSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"tasks/(?P<task_id>[0-9]+)",
        url_name="task-change",
    )
    def task_change(self, request: Any, pk: Any = None, task_id: Any = None) -> Response:
        """Change a task that is not done, or start it (`status: in_progress`)."""
        project = self._project(pk)
        task = self._task(project, task_id)
        d = _data(ProjectTaskChangeIn, request)
        _run(lambda: services.task_update(by=request.user, task=task, **d))
        task.refresh_from_db()
        return Response(ProjectTaskSerializer(task, context={"request": request}).data)

    @extend_schema(request=ProjectTaskCompleteIn, responses=ProjectTaskSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"tasks/(?P<task_id>[0-9]+)/complete",
        url_name="task-complete",
    )
    def task_complete(self, request: Any, pk: Any = None, task_id: Any = None) -> Response:
        project = self._project(pk)
        task = self._task(project, task_id)
        d = _data(ProjectTaskCompleteIn, request)
        _run(lambda: services.task_complete(by=request.user, task=task, **d))
        task.refresh_from_db()
        return Response(ProjectTaskSerializer(task, context={"request": request}).data)

    # --- the archive

    @extend_schema(methods=["GET"], request=None, responses=ProjectDocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ProjectDocumentIn},
        responses={201: ProjectDocumentSerializer},
        description="Add a file to the project's archive (multipart, the file as `upload`): "
        "PDF, .docx, .xlsx, JPG or PNG, at most 10 MB, checked by content. An enterprise's "
        "documents are never internal.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        parser_classes=[MultiPartParser, FormParser],
    )
    def documents(self, request: Any, pk: Any = None) -> Response:
        project = self._project(pk)
        if request.method == "GET":
            rows = selectors.documents_for_user(user=request.user, project=project)
            return Response(ProjectDocumentSerializer(rows, many=True).data)
        d = _data(ProjectDocumentIn, request)
        document = _run(lambda: services.document_upload(by=request.user, project=project, **d))
        return Response(ProjectDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="The file, as an attachment under its (safe) name; 404 outside the "
        "caller's scope, and for an enterprise on an internal document.",
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>[0-9]+)/download",
        url_name="document-download",
    )
    def document_download(
        self, request: Any, pk: Any = None, document_id: Any = None
    ) -> FileResponse:
        project = self._project(pk)
        document = (
            selectors.documents_for_user(user=request.user, project=project)
            .filter(pk=document_id)
            .first()
        )
        if document is None:
            raise Http404
        try:
            handle = document.file.open("rb")
        except OSError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=services.safe_name(document.name),
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # --- figures

    @extend_schema(parameters=_FILTER_PARAMS, responses=ProjectPipelineRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def pipeline(self, request: Any) -> Response:
        """Count, total investment and investment completed by stage, every stage in order."""
        rows = selectors.pipeline(user=request.user, filters=_filters(request))
        return Response(ProjectPipelineRowSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("key_list", int, required=True, description="id of the list"),
            OpenApiParameter("month", str, description="YYYYMM (default: this month)"),
        ],
        responses=ProjectBoardSerializer,
    )
    @action(detail=False, methods=["get"], url_path="key-board", pagination_class=None)
    def key_board(self, request: Any) -> Response:
        """The board of a key project list for a month: started, past 30% of the total
        investment, ahead of plan, each project's colour and the missing reports."""
        p = request.query_params
        key_list_id = p.get("key_list", "").strip()
        if not key_list_id.isdigit():
            raise serializers.ValidationError({"key_list": [_("Enter a whole number.")]})
        key_list = selectors.key_lists_for_user(user=request.user).filter(pk=key_list_id).first()
        if key_list is None:
            raise Http404
        month = p.get("month", "").strip() or str(Period.of(timezone.localdate()))
        try:
            period = Period.parse(month)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"month": error.messages}) from error
        board = selectors.key_board(user=request.user, key_list=key_list, month=period)
        return Response(ProjectBoardSerializer(board).data)


class KeyListViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Key project lists (e.g. 2026年十大二产项目) of the caller's district, and their quarterly
    scheduling meetings (季调度), whose decisions become tasks."""

    serializer_class = ProjectKeyListSerializer
    pagination_class = None
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        return (
            selectors.key_lists_for_user(user=self.request.user)
            .select_related("district")
            .order_by("-year", "name", "id")
        )

    @extend_schema(request=ProjectKeyListSerializer, responses={201: ProjectKeyListSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """A new list in the caller's district (the district's investment staff)."""
        user = request.user
        district = scope.scope_for(user).district
        if district is None or not permissions.is_pipeline_staff(user, district.pk):
            raise ApiPermissionDenied(_("Your role does not allow this on this project."))
        d = _data(ProjectKeyListSerializer, request)
        key_list = _run(lambda: services.key_list_create(by=user, district=district, **d))
        return Response(ProjectKeyListSerializer(key_list).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "application/json": ProjectMeetingIn,
            "multipart/form-data": ProjectMeetingIn,
        },
        responses={201: ProjectMeetingSerializer},
        description="Record a scheduling meeting of the list: one decision per project "
        "discussed, each becoming a task of the owner department. With `minutes` (multipart, "
        "`decisions` then as a JSON string) the minutes are filed as an internal document of "
        "every project discussed.",
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def meetings(self, request: Any, pk: Any = None) -> Response:
        key_list = self.get_queryset().filter(pk=pk).first()
        if key_list is None:
            raise Http404
        if not permissions.can_record_meeting(request.user, key_list):
            raise ApiPermissionDenied(_("Your role does not allow this on this project."))
        data = ProjectMeetingIn(
            data=request.data, context={"request": request, "key_list": key_list}
        )
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        meeting = _run(lambda: services.meeting_record(by=request.user, key_list=key_list, **d))
        return Response(
            ProjectMeetingSerializer(meeting, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
