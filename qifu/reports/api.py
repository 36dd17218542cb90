"""REST: /api/v1/reports/ — research reports, their drafting from the data and the Word export.
The same services and scope as the pages: every write goes through `qifu.reports.services`, every
read through `qifu.reports.selectors`.

A report outside the caller's scope is 404; enterprise users are refused (403); a change the
report's state does not allow (changing a final report, finalising it twice), 409 with the
reason; bad input, 400 with the message by field.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from qifu.accounts.models import User
from qifu.appeals.models import Appeal
from qifu.core.models import OrgUnit
from qifu.core.rest import Conflict
from qifu.lib.quarters import Span, SpanError
from qifu.reports import permissions, selectors, services, word
from qifu.reports.drafting import DRAFTABLE
from qifu.reports.models import Report, ReportAttachment, ReportKind, ReportStatus
from qifu.visits.models import Visit

# --- serializers ----------------------------------------------------------------------------------


class ReportAttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "size", "content_type", "uploaded_by", "uploaded_at"]


class ReportSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="org unit code (district or street)"
    )
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)
    authors = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "title",
            "kind",
            "org_unit",
            "org_unit_name",
            "period",
            "status",
            "summary",
            "authors",
            "created_by",
            "created_at",
            "updated_at",
            "finalised_at",
        ]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    appeals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    visits = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "body", "appeals", "visits", "attachments"]
        read_only_fields = fields


class ReportIn(serializers.Serializer):
    """A report's text and metadata (create: title, org_unit and period required)."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=ReportKind.choices, default=ReportKind.THEMATIC)
    org_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.none(),
        help_text="code of the district or of one of its streets",
    )
    period = serializers.CharField(max_length=10, help_text="a quarter like 2026Q4, or a year")
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(
        max_length=100000,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Markdown: #/## headings, paragraphs, > quotes, - lists, pipe tables",
    )
    authors = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        queryset=User.objects.none(),
        required=False,
        help_text="usernames of officials of the district (default: the caller)",
    )
    appeals = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Appeal.objects.none(), required=False, help_text="appeal ids"
    )
    visits = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Visit.objects.none(), required=False, help_text="visit ids"
    )
    client_token = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=64
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from qifu.appeals.selectors import appeals_for_user
        from qifu.visits.selectors import visits_for_user

        request = self.context.get("request")
        user = getattr(request, "user", None)
        report: Report | None = self.context.get("report")
        if user is None:
            return
        units = selectors.units_for_user(user=user)
        officials = selectors.officials_for_user(user=user)
        if report is not None:
            # an author from a street keeps the report's own unit and its district's officials
            units = OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=report.org_unit_id))
            district = selectors.district_of(report.org_unit)
            if district is not None:
                officials = selectors.officials_of(district=district)
        self.fields["org_unit"].queryset = units
        self.fields["authors"].child_relation.queryset = officials
        self.fields["appeals"].child_relation.queryset = appeals_for_user(user=user)
        self.fields["visits"].child_relation.queryset = visits_for_user(user=user)


class ReportChangeIn(ReportIn):
    """The fields to change on a draft; those left out keep their value."""

    class Meta:
        fields = ["title", "kind", "org_unit", "period", "summary", "body", "authors"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("appeals", "visits", "client_token"):
            self.fields.pop(name)


class ReportDraftIn(serializers.Serializer):
    period = serializers.CharField(max_length=10, help_text="a quarter like 2026Q4, or a year")
    org_unit = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="code of the district or street (default: the caller's own)",
    )
    kind = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in ReportKind if k in DRAFTABLE],
        error_messages={
            "invalid_choice": gettext_lazy("Drafting is available for the problems and the visits.")
        },
    )
    client_token = serializers.CharField(required=False, allow_blank=True, max_length=64)


class ReportReopenIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ReportAttachIn(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


# --- helpers --------------------------------------------------------------------------------------


class CanOpenReports(BasePermission):
    message = gettext_lazy("Research reports are for the officials of the district.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.can_open(request.user)


class DocxRenderer(BaseRenderer):
    media_type = word.DOCX_MIME
    format = "docx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> Any:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False, default=str).encode()


def _run(run: Any) -> Any:
    try:
        return run()
    except services.TransitionError as error:
        raise Conflict(str(error)) from error
    except PermissionDenied as error:
        raise ApiPermissionDenied(str(error) or None) from error


def _filters(request: Any) -> selectors.ReportFilters:
    p = request.query_params
    errors: dict[str, list[str]] = {}
    status_ = p.get("status", "").strip()
    if status_ and status_ not in ReportStatus.values:
        errors["status"] = [_("Choose draft or final.")]
    kind = p.get("kind", "").strip()
    if kind and kind not in ReportKind.values:
        errors["kind"] = [_("Choose the kind of report.")]
    span = None
    if p.get("period", "").strip():
        try:
            span = Span.parse(p["period"])
        except SpanError:
            errors["period"] = [_("Enter a quarter like 2026Q4 or a year like 2026.")]
    unit = None
    code = p.get("org_unit", "").strip()
    if code:
        unit = selectors.units_for_user(user=request.user).filter(code=code).first()
        if unit is None:
            errors["org_unit"] = [_("Choose your district or one of its streets.")]
    if errors:
        raise serializers.ValidationError(errors)
    return selectors.ReportFilters(
        q=p.get("q", "").strip()[:100], status=status_, kind=kind, period=span, org_unit=unit
    )


_FILTER_PARAMS = [
    OpenApiParameter("q", str, description="words of the title or summary"),
    OpenApiParameter("status", str, enum=ReportStatus.values),
    OpenApiParameter("kind", str, enum=ReportKind.values),
    OpenApiParameter("period", str, description="2026Q4, or 2026 for the year and its quarters"),
    OpenApiParameter("org_unit", str, description="code of a district or street"),
]


# --- the viewset ----------------------------------------------------------------------------------


class ReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Research reports (调研报告) of the caller's scope: a street's own, the district's when the
    caller is of the district, and the district's final reports for everyone in it."""

    permission_classes = [IsAuthenticated, CanOpenReports]
    serializer_class = ReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = "[0-9]+"
    queryset = Report.objects.none()

    def get_queryset(self) -> Any:
        filters = _filters(self.request) if self.action == "list" else None
        return selectors.report_list_for_user(user=self.request.user, filters=filters)

    def _report(self, pk: Any) -> Report:
        return selectors.report_get_for_user(user=self.request.user, pk=pk)

    def _detail(self, pk: Any, code: int = status.HTTP_200_OK) -> Response:
        report = self._report(pk)
        prefetch_related_objects([report], "appeals", "visits")
        return Response(ReportDetailSerializer(report).data, status=code)

    @extend_schema(parameters=_FILTER_PARAMS)
    def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=ReportDetailSerializer)
    def retrieve(self, request: Any, pk: Any = None) -> Response:
        return self._detail(pk)

    @extend_schema(
        request=ReportIn,
        responses={201: ReportDetailSerializer, 200: ReportDetailSerializer},
        description="A new report, as a draft. A repeated `client_token` answers 200 with the "
        "report made the first time.",
    )
    def create(self, request: Any) -> Response:
        data = ReportIn(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        report, created = _run(lambda: services.report_create(by=request.user, **values))
        return self._detail(report.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ReportChangeIn, responses=ReportDetailSerializer)
    def partial_update(self, request: Any, pk: Any = None) -> Response:
        report = self._report(pk)
        data = ReportChangeIn(
            data=request.data, partial=True, context={"request": request, "report": report}
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        _run(lambda: services.report_update(by=request.user, report=report, **values))
        return self._detail(pk)

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request: Any, pk: Any = None) -> Response:
        """Draft → final (its authors, or a district leader over it); 409 if already final."""
        report = self._report(pk)
        _run(lambda: services.report_finalise(by=request.user, report=report))
        return self._detail(pk)

    @extend_schema(request=ReportReopenIn, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Any, pk: Any = None) -> Response:
        """Final → draft (its authors, or a district leader over it); 409 if a draft."""
        report = self._report(pk)
        data = ReportReopenIn(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data.get("reason", "")
        _run(lambda: services.report_reopen(by=request.user, report=report, reason=reason))
        return self._detail(pk)

    @extend_schema(
        request={"multipart/form-data": ReportAttachIn},
        responses={201: ReportAttachmentSerializer(many=True)},
        description="Attach files to a draft: PDF, images, Word or Excel, at most 10 MB each.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request: Any, pk: Any = None) -> Response:
        report = self._report(pk)
        uploads = [f for f in request.FILES.getlist("files") if f]
        saved = _run(
            lambda: services.report_attach(by=request.user, report=report, uploads=uploads)
        )
        return Response(
            ReportAttachmentSerializer(saved, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=None,
        responses={(200, word.DOCX_MIME): OpenApiTypes.BINARY},
        description="The report as a Word document, named after its title.",
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DocxRenderer])
    def word(self, request: Any, pk: Any = None) -> HttpResponse:
        report = self._report(pk)
        response = HttpResponse(word.report_document(report), content_type=word.DOCX_MIME)
        response["Content-Disposition"] = content_disposition_header(True, word.filename(report))
        return response

    @extend_schema(
        request=ReportDraftIn,
        responses={201: ReportDetailSerializer, 200: ReportDetailSerializer},
        description="Draft a report from the data of `period` and `org_unit` (default: the "
        "caller's own) and save it as a draft of the caller: `problems` in the shape of "
        "《企业当前面临的主要问题及对策》, `visits` on the visiting work. An org unit outside the "
        "caller's scope is 404. A repeated `client_token` answers 200 with the first draft.",
    )
    @action(detail=False, methods=["post"])
    def draft(self, request: Any) -> Response:
        data = ReportDraftIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = None
        if d.get("org_unit"):
            unit = OrgUnit.objects.filter(
                code=d["org_unit"], level__in=selectors.REPORT_LEVELS
            ).first()
            if unit is None:
                raise serializers.ValidationError(
                    {"org_unit": [_("There is no district or street with this code.")]}
                )
        report, created = _run(
            lambda: services.report_draft(
                by=request.user,
                period=d["period"],
                org_unit=unit,
                kind=d["kind"],
                client_token=d.get("client_token", ""),
            )
        )
        return self._detail(report.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
