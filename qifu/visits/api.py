"""REST: /api/v1/visits/ — visit records (走访), raising appeals from them, coverage, red flags and
visit plans; /api/v1/assignments/ — who is responsible for visiting what (包干). The same services
and scope as the pages: every write goes through `qifu.visits.services`, every read through
`qifu.visits.selectors`.

Officials of a district use it; enterprise users and the public get 403. A visit outside the
caller's scope (or someone else's draft) is 404; a change the caller's role does not allow, 403;
a change the visit's state does not allow (a completed visit back to draft, discarding a completed
visit), 409 with the reason; bad input and bad query parameters, 400 with the message by field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from qifu.accounts import scope
from qifu.accounts.models import User
from qifu.appeals import selectors as appeal_selectors
from qifu.appeals.models import Appeal, Category
from qifu.appeals.models import Kind as AppealKind
from qifu.appeals.models import Status as AppealStatus
from qifu.core.models import Level, OrgUnit
from qifu.core.rest import Conflict, query_bool
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib.quarters import Span, SpanError
from qifu.visits import permissions, selectors, services
from qifu.visits.models import (
    Assignment,
    QuestionnaireVersion,
    RedFlag,
    RedFlagKind,
    RedFlagSource,
    Visit,
    VisitKind,
    VisitPlan,
    VisitStatus,
)


class CanOpenVisits(BasePermission):
    """Officials of a district; enterprise users, admins and the public are refused (403)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.can_open(request.user)


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


def _district_streets(user: Any) -> Any:
    district = scope.scope_for(user).district if permissions.can_open(user) else None
    if district is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(parent=district, level=Level.STREET).order_by("code")


def _username_field(**kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.none(), **kwargs
    )


# --- visits: output -------------------------------------------------------------------------------


class VisitRedFlagSerializer(serializers.ModelSerializer):
    enterprise = serializers.IntegerField(source="enterprise_id", read_only=True)
    resolved = serializers.SerializerMethodField()

    class Meta:
        model = RedFlag
        fields = ["id", "enterprise", "kind", "note", "source", "resolved"]

    def get_resolved(self, flag: RedFlag) -> bool:
        return flag.resolved_at is not None


class VisitAppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "number", "status"]


class VisitQuestionnaireSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "number"]


class VisitSerializer(serializers.ModelSerializer):
    enterprises = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    officials = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    questionnaire = VisitQuestionnaireSerializer(read_only=True, allow_null=True)
    answers = serializers.DictField(read_only=True, help_text="answers keyed by question code")
    red_flags = VisitRedFlagSerializer(many=True, read_only=True)
    appeals = VisitAppealSerializer(many=True, read_only=True)
    plan = serializers.IntegerField(source="plan_id", read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "date",
            "kind",
            "status",
            "purpose",
            "notes",
            "follow_up",
            "location",
            "enterprises",
            "officials",
            "questionnaire",
            "answers",
            "red_flags",
            "appeals",
            "plan",
            "created_by",
            "created_at",
            "updated_at",
            "completed_at",
        ]
        read_only_fields = fields


# --- visits: input --------------------------------------------------------------------------------


class VisitRedFlagIn(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(), help_text="one of the enterprises met"
    )
    kind = serializers.ChoiceField(choices=RedFlagKind.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class VisitIn(serializers.Serializer):
    """A visit as the official writes it; for a draft every field may still be missing."""

    date = serializers.DateField(required=False, allow_null=True, help_text="default: today")
    kind = serializers.ChoiceField(choices=VisitKind.choices, required=False)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    follow_up = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    enterprises = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=enterprise_selectors.enterprises_none(),
        required=False,
        help_text="ids of the enterprises met (several at a symposium)",
    )
    officials = _username_field(many=True, required=False, help_text="usernames of who went")
    answers = serializers.DictField(
        required=False, help_text="answers to the questionnaire, keyed by question code"
    )
    red_flags = VisitRedFlagIn(many=True, required=False, help_text="red flags set by the official")
    plan = serializers.PrimaryKeyRelatedField(
        queryset=VisitPlan.objects.none(),
        required=False,
        allow_null=True,
        help_text="id of the plan this visit carries out",
    )
    complete = serializers.BooleanField(
        required=False,
        help_text="true completes the visit (final; all required fields checked); false or "
        "absent keeps a draft as a draft. A completed visit stays completed.",
    )
    client_token = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="a new visit sent again with the same token is the same visit (200)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is None:
            return
        enterprises = enterprise_selectors.enterprises_for_user(user=user)
        self.fields["enterprises"].child_relation.queryset = enterprises
        self.fields["red_flags"].child.fields["enterprise"].queryset = enterprises
        self.fields["officials"].child_relation.queryset = selectors.officials_for_user(user=user)
        self.fields["plan"].queryset = selectors.plans_for_user(user=user, upcoming_only=False)


def _visit_input(values: dict[str, Any], visit: Visit | None) -> services.VisitInput:
    """The service's input: the fields given, the rest from the visit (or empty for a new one)."""
    if visit is None:
        current = services.VisitInput()
    else:
        current = services.VisitInput(
            date=visit.date,
            kind=visit.kind,
            purpose=visit.purpose,
            notes=visit.notes,
            follow_up=visit.follow_up,
            location=visit.location,
            officials=list(visit.officials.all()),
            enterprises=list(visit.enterprises.all()),
            answers=dict(visit.answers),
            red_flags=[
                (flag.enterprise, flag.kind, flag.note)
                for flag in visit.red_flags.all()
                if flag.source == RedFlagSource.OFFICIAL and flag.resolved_at is None
            ],
            plan=visit.plan,
        )
    for name in ("date", "kind", "purpose", "notes", "follow_up", "location", "plan"):
        if name in values:
            setattr(current, name, values[name])
    for name in ("officials", "enterprises"):
        if name in values:
            setattr(current, name, list(values[name]))
    if "answers" in values:
        current.answers = dict(values["answers"])
    if "red_flags" in values:
        current.red_flags = [(f["enterprise"], f["kind"], f["note"]) for f in values["red_flags"]]
    return current


class VisitAppealIn(serializers.Serializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(),
        help_text="id of one of the enterprises met on the visit",
    )
    category = serializers.CharField(
        max_length=30, help_text="appeal category: its code (e.g. `land`) or its id"
    )
    kind = serializers.ChoiceField(
        choices=AppealKind.choices, required=False, default=AppealKind.PROBLEM
    )
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    client_token = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="sent again with the same token, the same appeal (200)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )

    def validate_category(self, value: str) -> Category:
        categories = appeal_selectors.categories()
        text = value.strip()
        found = (
            categories.filter(pk=int(text)).first()
            if text.isdigit()
            else categories.filter(code=text).first()
        )
        if found is None:
            raise serializers.ValidationError(_("Unknown appeal category."))
        return found


class VisitAppealOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=AppealStatus.choices)
    url = serializers.CharField(help_text="the appeal's page")


# --- visits: query parameters ---------------------------------------------------------------------


class VisitListParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(
        choices=VisitKind.choices, required=False, allow_blank=True, default=""
    )
    status = serializers.ChoiceField(
        choices=VisitStatus.choices, required=False, allow_blank=True, default=""
    )
    street = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), required=False, allow_null=True, default=None
    )
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(),
        required=False,
        allow_null=True,
        default=None,
    )
    official = _username_field(required=False, allow_null=True, default=None)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)
    mine = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["street"].queryset = scope.visible_org_units(user).filter(
                level=Level.STREET
            )
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )
            self.fields["official"].queryset = selectors.officials_for_user(user=user)


def _visit_filters(request: Any) -> selectors.VisitFilters:
    params = VisitListParams(data=request.query_params, context={"request": request})
    params.is_valid(raise_exception=True)
    d = params.validated_data
    return selectors.VisitFilters(
        q=d["q"],
        kind=d["kind"],
        status=d["status"],
        street=d["street"],
        enterprise=d["enterprise"],
        official=d["official"],
        date_from=d["date_from"],
        date_to=d["date_to"],
        with_flags=query_bool(request.query_params.get("with_flags")),
        mine=d["mine"],
    )


_VISIT_LIST_PARAMS = [
    OpenApiParameter("q", str, description="purpose, notes or an enterprise's name"),
    OpenApiParameter("kind", str, enum=VisitKind.values),
    OpenApiParameter("status", str, enum=VisitStatus.values),
    OpenApiParameter("street", int, description="id of a street: visits to its enterprises"),
    OpenApiParameter("enterprise", int, description="id of an enterprise met"),
    OpenApiParameter("official", str, description="username of an official who went"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("mine", bool, description="only the visits the caller recorded or went on"),
    OpenApiParameter("with_flags", bool, description="with (true) or without (false) red flags"),
]


# --- coverage -------------------------------------------------------------------------------------


class CoverageParams(serializers.Serializer):
    period = serializers.CharField(
        max_length=10, required=False, allow_blank=True, default="", help_text="2026Q4 or 2026"
    )
    org_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    official = _username_field(required=False, allow_null=True, default=None)
    stale_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, default=selectors.STALE_DAYS
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["official"].queryset = selectors.officials_for_user(user=user)

    def validate_period(self, value: str) -> Span:
        if not value.strip():
            return Span.quarter_of(timezone.localdate())
        try:
            return Span.parse(value)
        except SpanError:
            raise serializers.ValidationError(
                _("Enter a quarter like 2026Q4 or a year like 2026.")
            ) from None


class CoverageOfficialSerializer(serializers.Serializer):
    username = serializers.CharField(source="official.username")
    full_name = serializers.CharField(source="official.full_name")
    assigned = serializers.IntegerField(help_text="enterprises the official is responsible for")
    visited = serializers.IntegerField(help_text="of those, visited by the official in the period")
    not_visited = serializers.IntegerField()
    on_target = serializers.IntegerField(help_text="visited as often as the target asks")
    rate = serializers.FloatField(allow_null=True)
    visits = serializers.IntegerField(help_text="final visits the official went on in the period")
    last_visit = serializers.DateField(allow_null=True)
    days_since = serializers.IntegerField(allow_null=True)


class CoverageStreetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="street.pk")
    name = serializers.CharField(source="street.name")
    assigned = serializers.IntegerField()
    visited = serializers.IntegerField()
    not_visited = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    red_flags_open = serializers.IntegerField()


class CoverageStaleSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(source="enterprise_id")
    name = serializers.CharField()
    last_visit = serializers.DateField(allow_null=True)
    days_since = serializers.IntegerField(allow_null=True, help_text="null: never visited")


class CoverageSerializer(serializers.Serializer):
    period = serializers.CharField(source="span")
    period_label = serializers.CharField(source="span.label")
    org_unit = serializers.IntegerField(source="org_unit.pk")
    org_unit_name = serializers.CharField(source="org_unit.name")
    stale_days = serializers.IntegerField()
    assigned = serializers.IntegerField()
    visited = serializers.IntegerField()
    not_visited = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    red_flags_open = serializers.IntegerField()
    officials = CoverageOfficialSerializer(many=True)
    streets = CoverageStreetSerializer(many=True)
    stale = CoverageStaleSerializer(many=True)


# --- the visits viewset ---------------------------------------------------------------------------


class VisitViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Visits in the caller's scope: final visits to its enterprises, and the caller's own
    (drafts are seen by their officials only)."""

    permission_classes = [CanOpenVisits]
    serializer_class = VisitSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        filters = _visit_filters(self.request) if self.action == "list" else None
        return selectors.visit_list_for_user(user=self.request.user, filters=filters)

    def _visit(self, pk: Any) -> Visit:
        return selectors.visit_get_for_user(user=self.request.user, pk=pk)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        return Response(VisitSerializer(self._visit(pk)).data, status=code)

    @extend_schema(parameters=_VISIT_LIST_PARAMS)
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(
        request=VisitIn,
        responses={201: VisitSerializer, 200: VisitSerializer},
        description="Record a visit: a draft (anything may be missing; `complete` absent or "
        "false) or completed (`complete: true`: date, enterprises, officials and notes, and the "
        "required questions, are checked). A new visit sent again with the same `client_token` "
        "(or `Idempotency-Key` header) is the same visit, answered 200.",
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        values = VisitIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = values.validated_data
        token = d.get("client_token") or request.headers.get("Idempotency-Key", "")
        visit, created = _run(
            lambda: services.visit_save(
                by=request.user,
                data=_visit_input(d, None),
                complete=bool(d.get("complete", False)),
                client_token=token.strip()[:64],
            )
        )
        return self._detail(visit.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request=VisitIn,
        responses=VisitSerializer,
        description="Change a visit (its officials only). PUT sends the whole visit, PATCH the "
        "fields that change. A draft stays a draft unless `complete` is true; a completed "
        "visit is corrected, and `complete: false` on it is 409.",
    )
    def update(self, request: Any, pk: Any = None, partial: bool = False) -> Response:
        visit = self._visit(pk)
        values = VisitIn(data=request.data, context={"request": request}, partial=partial)
        values.is_valid(raise_exception=True)
        d = values.validated_data
        complete = d.get("complete", visit.status == VisitStatus.FINAL)
        _run(
            lambda: services.visit_save(
                by=request.user,
                data=_visit_input(d, visit if partial else None),
                visit=visit,
                complete=complete,
            )
        )
        return self._detail(pk)

    @extend_schema(request=VisitIn, responses=VisitSerializer)
    def partial_update(self, request: Any, pk: Any = None) -> Response:
        return self.update(request, pk=pk, partial=True)

    @extend_schema(
        request=None,
        responses={204: None},
        description="Discard a draft. A completed visit is part of the record: 409.",
    )
    def destroy(self, request: Any, pk: Any = None) -> Response:
        visit = self._visit(pk)
        _run(lambda: services.visit_discard(by=request.user, visit=visit))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=VisitAppealIn,
        responses={201: VisitAppealOut, 200: VisitAppealOut},
        description="A problem heard on the visit becomes an appeal (诉求) of one of the "
        "enterprises met, through the appeals intake (channel from the kind of visit); the "
        "visit and the appeal are linked both ways. The same `client_token` again is the same "
        "appeal (200).",
    )
    @action(detail=True, methods=["post"])
    def appeals(self, request: Any, pk: Any = None) -> Response:
        visit = self._visit(pk)
        linked = {appeal.pk for appeal in visit.appeals.all()}
        values = VisitAppealIn(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        token = d.pop("client_token") or request.headers.get("Idempotency-Key", "")
        appeal = _run(
            lambda: services.visit_raise_appeal(
                by=request.user, visit=visit, client_token=token.strip()[:64], **d
            )
        )
        body = {
            "id": appeal.pk,
            "number": appeal.number,
            "status": appeal.status,
            "url": request.build_absolute_uri(reverse("appeals:detail", args=[appeal.pk])),
        }
        code = status.HTTP_200_OK if appeal.pk in linked else status.HTTP_201_CREATED
        return Response(body, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, description="a quarter (2026Q4) or a year (2026); default: now"
            ),
            OpenApiParameter(
                "org_unit", int, description="id of the district or street (default: yours)"
            ),
            OpenApiParameter("official", str, description="username: only their assignments"),
            OpenApiParameter(
                "stale_days",
                int,
                description=f"list enterprises not visited for longer "
                f"(default {selectors.STALE_DAYS})",
            ),
        ],
        responses=CoverageSerializer,
        description="Assigned, visited and not yet visited enterprises of a period, in total, "
        "per official and per street, with the open red flags and the enterprises not visited "
        "for longer than `stale_days`. Only completed visits count. A year's target is four "
        "quarters'.",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def coverage(self, request: Any) -> Response:
        params = CoverageParams(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        d = params.validated_data
        figures = selectors.coverage(
            user=request.user,
            span=d["period"],
            org_unit=d["org_unit"],
            official=d["official"],
            stale_days=d["stale_days"],
        )
        return Response(CoverageSerializer(figures).data)


# --- red flags ------------------------------------------------------------------------------------


class RedFlagSerializer(serializers.ModelSerializer):
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none()
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    street = serializers.CharField(source="enterprise.street.name", read_only=True, default=None)
    kind = serializers.ChoiceField(choices=RedFlagKind.choices)
    note = serializers.CharField(max_length=500)
    visit = serializers.IntegerField(source="visit_id", read_only=True, allow_null=True)
    raised_by = serializers.CharField(source="raised_by.username", read_only=True)
    resolved = serializers.SerializerMethodField()
    resolved_by = serializers.CharField(source="resolved_by.username", read_only=True, default=None)

    class Meta:
        model = RedFlag
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "street",
            "kind",
            "note",
            "source",
            "visit",
            "raised_by",
            "raised_on",
            "resolved",
            "resolved_at",
            "resolved_by",
            "resolution",
        ]
        read_only_fields = ["source", "raised_on", "resolved_at", "resolution"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )

    def get_resolved(self, flag: RedFlag) -> bool:
        return flag.resolved_at is not None


class RedFlagResolveIn(serializers.Serializer):
    resolution = serializers.CharField(max_length=500)


class RedFlagViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Red flags (风险信号) on the enterprises in the caller's scope: raised on completed visits
    (by the official or from the answers) or on their own; the open ones first."""

    permission_classes = [CanOpenVisits]
    serializer_class = RedFlagSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        open_only = query_bool(self.request.query_params.get("open"))
        if self.action != "list":
            open_only = False
        return selectors.red_flags_for_user(
            user=self.request.user, open_only=open_only is not False
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "open", bool, description="false: the resolved ones too (default true)"
            )
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        flag = selectors.red_flag_get_for_user(user=request.user, pk=pk)
        return Response(RedFlagSerializer(flag, context={"request": request}).data)

    @extend_schema(
        request=RedFlagSerializer,
        responses={201: RedFlagSerializer},
        description="A red flag heard outside a recorded visit (a phone call, say).",
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        values = RedFlagSerializer(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = values.validated_data
        flag = _run(
            lambda: services.red_flag_raise(
                by=request.user, enterprise=d["enterprise"], kind=d["kind"], note=d["note"]
            )
        )
        fresh = selectors.red_flag_get_for_user(user=request.user, pk=flag.pk)
        body = RedFlagSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=RedFlagResolveIn, responses=RedFlagSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request: Any, pk: Any = None) -> Response:
        """Resolve a red flag (a district leader, or who raised it); 409 if resolved already."""
        flag = selectors.red_flag_get_for_user(user=request.user, pk=pk)
        values = RedFlagResolveIn(data=request.data)
        values.is_valid(raise_exception=True)
        resolution = values.validated_data["resolution"]
        _run(lambda: services.red_flag_resolve(by=request.user, flag=flag, resolution=resolution))
        return self.retrieve(request, pk=pk)


# --- plans ----------------------------------------------------------------------------------------


class VisitPlanSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=VisitKind.choices, required=False, default=VisitKind.ONSITE
    )
    enterprises = serializers.PrimaryKeyRelatedField(
        many=True, queryset=enterprise_selectors.enterprises_none()
    )
    officials = _username_field(many=True, help_text="usernames of who will go")
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = VisitPlan
        fields = [
            "id",
            "date",
            "purpose",
            "kind",
            "enterprises",
            "officials",
            "status",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields[
                "enterprises"
            ].child_relation.queryset = enterprise_selectors.enterprises_for_user(user=user)
            self.fields["officials"].child_relation.queryset = selectors.officials_for_user(
                user=user
            )


class VisitPlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Planned visits in the caller's scope: the upcoming ones, or all with `?all=true`."""

    permission_classes = [CanOpenVisits]
    serializer_class = VisitPlanSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        upcoming_only = self.action == "list" and not query_bool(
            self.request.query_params.get("all")
        )
        return selectors.plans_for_user(user=self.request.user, upcoming_only=upcoming_only)

    @extend_schema(
        parameters=[OpenApiParameter("all", bool, description="true: done and cancelled plans too")]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        plan = selectors.plan_get_for_user(user=request.user, pk=pk)
        return Response(VisitPlanSerializer(plan, context={"request": request}).data)

    @extend_schema(request=VisitPlanSerializer, responses={201: VisitPlanSerializer})
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        values = VisitPlanSerializer(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = values.validated_data
        plan = _run(
            lambda: services.plan_create(
                by=request.user,
                date=d["date"],
                purpose=d["purpose"],
                enterprises=list(d["enterprises"]),
                officials=list(d["officials"]),
                kind=d["kind"],
            )
        )
        fresh = selectors.plan_get_for_user(user=request.user, pk=plan.pk)
        body = VisitPlanSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VisitPlanSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Any, pk: Any = None) -> Response:
        """Cancel a planned visit (who planned it or goes on it); 409 if done or cancelled."""
        plan = selectors.plan_get_for_user(user=request.user, pk=pk)
        _run(lambda: services.plan_cancel(by=request.user, plan=plan))
        return self.retrieve(request, pk=pk)


# --- assignments ----------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    official = _username_field(help_text="username of an official of the district")
    official_name = serializers.CharField(source="official.display_name", read_only=True)
    street = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of a street (or name an enterprise)",
    )
    street_name = serializers.CharField(source="street.name", read_only=True, default=None)
    enterprise = serializers.PrimaryKeyRelatedField(
        queryset=enterprise_selectors.enterprises_none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="id of an enterprise (or name a street)",
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True, default=None)
    starts_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="default: today"
    )
    active = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "official",
            "official_name",
            "street",
            "street_name",
            "enterprise",
            "enterprise_name",
            "key_only",
            "visits_per_quarter",
            "starts_on",
            "ends_on",
            "active",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["ends_on", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        if user is not None:
            self.fields["official"].queryset = selectors.officials_for_user(user=user)
            self.fields["street"].queryset = _district_streets(user)
            self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(
                user=user
            )

    def get_active(self, assignment: Assignment) -> bool:
        today = timezone.localdate()
        return assignment.starts_on <= today and (
            assignment.ends_on is None or assignment.ends_on >= today
        )


class AssignmentEndIn(serializers.Serializer):
    ends_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="default: today"
    )


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Responsibility (包干) over streets and named enterprises in the caller's scope, and the
    caller's own. District leaders assign over the district, street staff over their street."""

    permission_classes = [CanOpenVisits]
    serializer_class = AssignmentSerializer
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        user = self.request.user
        if self.action != "list":
            return selectors.assignments_for_user(user=user)
        p = self.request.query_params
        active = query_bool(p.get("active"))
        qs = selectors.assignments_for_user(
            user=user, active_on=timezone.localdate() if active else None
        )
        if p.get("official", "").strip():
            qs = qs.filter(official__username=p["official"].strip())
        street = p.get("street", "").strip()
        if street:
            if not street.isdigit():
                raise serializers.ValidationError({"street": [_("Enter a whole number.")]})
            qs = qs.filter(street_id=int(street))
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("active", bool, description="true: only those in force today"),
            OpenApiParameter("official", str, description="username"),
            OpenApiParameter("street", int, description="id of a street"),
        ]
    )
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
        return Response(AssignmentSerializer(assignment, context={"request": request}).data)

    @extend_schema(
        request=AssignmentSerializer,
        responses={201: AssignmentSerializer},
        description="Make an official responsible for a street (its key enterprises, or all "
        "with `key_only: false`) or for a named enterprise, with a target of visits per "
        "quarter. The same responsibility twice is 400.",
    )
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not permissions.can_assign(request.user):
            raise ApiPermissionDenied
        values = AssignmentSerializer(data=request.data, context={"request": request})
        values.is_valid(raise_exception=True)
        d = dict(values.validated_data)
        assignment = _run(lambda: services.assignment_create(by=request.user, **d))
        fresh = selectors.assignment_get_for_user(user=request.user, pk=assignment.pk)
        body = AssignmentSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentEndIn, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Any, pk: Any = None) -> Response:
        """End the responsibility (today, or on `ends_on`); 409 if it has ended already."""
        assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
        values = AssignmentEndIn(data=request.data)
        values.is_valid(raise_exception=True)
        ends_on = values.validated_data["ends_on"]
        _run(
            lambda: services.assignment_end(by=request.user, assignment=assignment, ends_on=ends_on)
        )
        return self.retrieve(request, pk=pk)
