"""REST: /api/v1/ideas/ — golden ideas from the public (征集金点子).

The same services and scope as the pages: every write goes through `qifu.ideas.services`, every
read through `qifu.ideas.selectors`.

- The public needs no account: the published ideas of the portal's district (list, detail,
  statistics, similar ideas), submitting an idea (with the image CAPTCHA after repeated
  submissions), supporting (附议) and reporting a published idea, and following or withdrawing
  one's own idea with its tracking code (查询码). A contact is never part of a public answer.
  These endpoints are throttled per client address (scopes `ideas_read` and `ideas_write`);
  the database's own limits (`qifu.ideas.abuse`) answer 429 too.
- Staff (the district's leaders, and the department an idea is assigned to) list the ideas of
  their scope in every state and act on them: `POST /api/v1/ideas/{id}/<action>/`. An idea
  outside the caller's scope is 404; an action the caller's role does not allow, 403; an action
  the idea's state does not allow, 409 with the reason; bad input, 400 with the message by field.
- The block list: `/api/v1/ideas/blocks/` (the district's leaders).
"""

from __future__ import annotations

from typing import Any

from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from qifu.accounts.scope import scope_for
from qifu.audit.middleware import request_ip
from qifu.core.models import OrgUnit
from qifu.core.rest import Conflict
from qifu.ideas import abuse, permissions, selectors, services
from qifu.ideas.api.serializers import (
    QUEUES,
    AuthorIdeaSerializer,
    IdeaAdoptIn,
    IdeaAnswerIn,
    IdeaAssignIn,
    IdeaBlockIn,
    IdeaBlockSerializer,
    IdeaCaptchaRequiredSerializer,
    IdeaCaptchaSerializer,
    IdeaContactIn,
    IdeaDuplicateIn,
    IdeaEditIn,
    IdeaIn,
    IdeaNoteIn,
    IdeaProgressIn,
    IdeaReasonIn,
    IdeaReportedSerializer,
    IdeaReportIn,
    IdeaReturnAnswerIn,
    IdeaSubmittedSerializer,
    IdeaSupportedSerializer,
    ListParams,
    PublicIdeaDetailSerializer,
    PublicIdeaSerializer,
    SimilarIdeaSerializer,
    SimilarParams,
    StaffIdeaDetailSerializer,
    StaffIdeaSerializer,
    StaffListParams,
    StatsParams,
)
from qifu.ideas.models import (
    Idea,
    Status,
    Topic,
)

# --- throttles -----------------------------------------------------------------------------------


class IdeaThrottle(SimpleRateThrottle):
    """Per client address (the address the abuse checks use), whether logged in or not."""

    def get_rate(self) -> str | None:
        # read at each request: DRF copies the rates once, at import, into THROTTLE_RATES
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate for scope {self.scope!r}.") from None

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = request_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IdeaReadThrottle(IdeaThrottle):
    scope = "ideas_read"


class IdeaWriteThrottle(IdeaThrottle):
    scope = "ideas_write"


THROTTLED = _("Too many requests from your network. Please try again later.")


# --- shared pieces -------------------------------------------------------------------------------


def _run(run: Any) -> Any:
    """A service call, with its refusals as HTTP answers (ValidationError: the core handler)."""
    try:
        return run()
    except (services.TransitionError, services.AlreadyDone) as error:
        raise Conflict(str(error)) from error
    except abuse.RateLimited as error:
        raise exceptions.Throttled(detail=str(error)) from error
    except abuse.Blocked as error:
        raise exceptions.PermissionDenied(str(error)) from error
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from error


def _valid(serializer: type[serializers.Serializer], data: Any, **kwargs: Any) -> dict[str, Any]:
    values = serializer(data=data, **kwargs)
    values.is_valid(raise_exception=True)
    return dict(values.validated_data)


def _challenge() -> dict[str, str]:
    """A fresh image CAPTCHA, drawn here (django-simple-captcha): its key and its picture."""
    key = CaptchaStore.generate_key()
    return {"key": key, "image_url": captcha_image_url(key)}


def _captcha_answered(key: str, value: str) -> bool:
    """Whether the answer is right; a right answer is used up (one submission per picture)."""
    if not key or not value.strip():
        return False
    right = CaptchaStore.objects.filter(
        hashkey=key, response=value.strip().lower(), expiration__gt=timezone.now()
    )
    deleted, _rows = right.delete()
    return deleted > 0


def _staff_district(user: Any) -> OrgUnit | None:
    return scope_for(user).district


def _context(request: Any) -> dict[str, Any]:
    return {"request": request, "user": request.user}


_list_params = [
    OpenApiParameter(
        "zone", str, description="a zone's code (west, central, east); `all`: the whole district"
    ),
    OpenApiParameter("topic", str, enum=Topic.values),
    OpenApiParameter(
        "status",
        str,
        enum=Status.values,
        description="the public: a public state only; staff: any state",
    ),
    OpenApiParameter("q", str, description="a substring of the title or the idea"),
    OpenApiParameter("queue", str, enum=QUEUES, description="staff only: a work queue"),
    OpenApiParameter("department", str, description="staff only: a department's code"),
]
_code_param = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="the tracking code (查询码)"
)
_refusals = {
    400: OpenApiResponse(description="bad input: the message by field"),
    403: OpenApiResponse(description="the caller's role may not do this"),
    404: OpenApiResponse(description="no such idea in the caller's scope"),
    409: OpenApiResponse(description="the idea's state does not allow it"),
}
_public_refusals = {
    400: OpenApiResponse(description="bad input: the message by field"),
    403: OpenApiResponse(description="the sender is blocked"),
    404: OpenApiResponse(description="no such published idea"),
    409: OpenApiResponse(description="already done by this contact, or not possible now"),
    429: OpenApiResponse(description="too many requests from this network or contact"),
}

PUBLIC_WRITES = frozenset({"create", "support", "report", "withdraw"})
PUBLIC_ACTIONS = PUBLIC_WRITES | {"list", "retrieve", "captcha", "track", "stats", "similar"}


# --- the viewsets --------------------------------------------------------------------------------


class IdeaViewSet(viewsets.GenericViewSet):
    """Golden ideas. The public reads the published ideas of the portal's district; staff read
    the ideas of their scope in every state and act on them."""

    queryset = Idea.objects.none()  # for the schema only: every read goes through a selector
    lookup_value_regex = "[0-9]+"

    def get_permissions(self) -> list[BasePermission]:
        if self.action in PUBLIC_ACTIONS or self.action is None:  # None: a wrong method, 405
            return [AllowAny()]
        return [IsAuthenticated()]

    def get_throttles(self) -> list[Any]:
        if self.action in PUBLIC_WRITES:
            return [IdeaWriteThrottle()]
        if self.request.method in ("GET", "HEAD"):
            return [IdeaReadThrottle()]
        return []

    def throttled(self, request: Any, wait: float | None) -> None:
        raise exceptions.Throttled(wait, detail=str(THROTTLED))

    # --- reading -----------------------------------------------------------------------------

    def _staff_detail(self, idea_pk: Any, code: int = status.HTTP_200_OK) -> Response:
        idea = selectors.idea_get_for_user(user=self.request.user, pk=idea_pk)
        body = StaffIdeaDetailSerializer(idea, context=_context(self.request)).data
        return Response(body, status=code)

    @extend_schema(
        parameters=_list_params,
        responses=PolymorphicProxySerializer(
            component_name="IdeaListItem",
            serializers=[PublicIdeaSerializer, StaffIdeaSerializer],
            resource_type_field_name=None,
            many=True,
        ),
        description="The public (and any account that is not ideas staff): published ideas, "
        "latest first. The district's leaders and the department staff: the ideas of their "
        "scope in every state (the staff view). An unknown filter value is 400.",
    )
    def list(self, request: Any) -> Response:
        user = request.user
        if permissions.can_open(user):
            district = _staff_district(user)
            d = _valid(StaffListParams, request.query_params, district=district)
            qs = selectors.idea_list_for_user(user=user, filters=d)
            page = self.paginate_queryset(qs)
            body = StaffIdeaSerializer(page, many=True, context=_context(request)).data
            return self.get_paginated_response(body)
        district = selectors.portal_district()
        d = _valid(ListParams, request.query_params, district=district)
        page = self.paginate_queryset(selectors.public_ideas(district=district, filters=d))
        return self.get_paginated_response(PublicIdeaSerializer(page, many=True).data)

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="IdeaDetail",
                serializers=[PublicIdeaDetailSerializer, StaffIdeaDetailSerializer],
                resource_type_field_name=None,
            ),
            404: OpenApiResponse(description="not published, or outside the caller's scope"),
        },
        description="Staff in scope: the staff view. Anyone else: the public view of a "
        "published idea; 404 for any other.",
    )
    def retrieve(self, request: Any, pk: Any = None) -> Response:
        if permissions.can_open(request.user):
            try:
                return self._staff_detail(pk)
            except Http404:
                pass
        idea = selectors.public_idea_get(district=selectors.portal_district(), pk=pk)
        return Response(PublicIdeaDetailSerializer(idea).data)

    @extend_schema(
        parameters=[OpenApiParameter("since", OpenApiTypes.DATE, description="submitted from")],
        responses=inline_serializer(
            "IdeaStats",
            {
                "total": serializers.IntegerField(),
                "adopted": serializers.IntegerField(),
                "declined": serializers.IntegerField(),
                "decided": serializers.IntegerField(),
                "answered": serializers.IntegerField(),
                "adoption_rate": serializers.FloatField(
                    allow_null=True, help_text="% of the decided ideas"
                ),
                "average_days_to_answer": serializers.FloatField(allow_null=True),
                "by_zone": serializers.ListField(
                    child=serializers.DictField(),
                    help_text="key (a zone's id, null: the whole district), name, total, "
                    "adopted, adoption_rate",
                ),
                "by_topic": serializers.ListField(
                    child=serializers.DictField(), help_text="key, name, total"
                ),
                "by_status": serializers.ListField(
                    child=serializers.DictField(), help_text="key, name, total"
                ),
            },
        ),
        description="Counts by zone, topic and state, the adoption rate and the average days to "
        "an answer: of the published ideas (the public), or of the caller's scope (staff).",
    )
    @action(detail=False, methods=["get"])
    def stats(self, request: Any) -> Response:
        d = _valid(StatsParams, request.query_params)
        user = request.user
        district = _staff_district(user) if permissions.can_open(user) else None
        if district is not None:
            ideas = selectors.ideas_for_user(user=user)
        else:
            district = selectors.portal_district()
            ideas = selectors.public_ideas(district=district)
        figures = selectors.idea_stats(ideas=ideas, district=district, since=d["since"])
        for group in ("by_zone", "by_topic", "by_status"):
            figures[group] = [{**row, "name": str(row["name"])} for row in figures[group]]
        return Response(figures)

    @extend_schema(
        parameters=[OpenApiParameter("text", str, description="the title and idea being written")],
        responses=SimilarIdeaSerializer(many=True),
        description="Up to five published ideas like the text (fewer than four characters: "
        "none), so that the author may support one instead (附议).",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def similar(self, request: Any) -> Response:
        d = _valid(SimilarParams, request.query_params)
        found = selectors.similar_public(district=selectors.portal_district(), text=d["text"])
        return Response(SimilarIdeaSerializer(found, many=True).data)

    # --- the public: submitting ------------------------------------------------------------------

    @extend_schema(
        responses=IdeaCaptchaSerializer,
        description="A fresh image CAPTCHA. Its answer is good for one submission.",
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def captcha(self, request: Any) -> Response:
        return Response(_challenge())

    @extend_schema(
        request=IdeaIn,
        responses={
            201: IdeaSubmittedSerializer,
            200: OpenApiResponse(
                IdeaSubmittedSerializer, description="the same idea had already come: nothing new"
            ),
            400: OpenApiResponse(
                IdeaCaptchaRequiredSerializer,
                description="bad input (the message by field), or `code` captcha_required: "
                "type the characters of `captcha` and send again with captcha_key and "
                "captcha_value",
            ),
            403: OpenApiResponse(description="the sender is blocked"),
            429: OpenApiResponse(description="too many ideas from this network or contact"),
        },
        description="Submit an idea; it waits for review. Keep the tracking code: it is the only "
        "way to follow or withdraw the idea. From the third idea of a day from one network or "
        "contact, the image CAPTCHA must be answered.",
    )
    def create(self, request: Any) -> Response:
        d = _valid(IdeaIn, request.data)
        if d["website"].strip():
            raise exceptions.ValidationError(
                {"non_field_errors": [_("The submission could not be accepted.")]}
            )
        token = d["client_token"].strip() or request.headers.get("Idempotency-Key", "")[:64]
        data = services.IdeaInput(
            title=d["title"],
            body=d["body"],
            topic=d["topic"],
            contact=d["contact"],
            consent=d["consent"],
            zone="" if d["zone"].strip() == selectors.ALL_DISTRICT else d["zone"].strip(),
            author_name=d["author_name"],
            client_token=token.strip(),
        )
        answered = _captcha_answered(d["captcha_key"], d["captcha_value"])
        try:
            submitted = _run(
                lambda: services.idea_submit(
                    data=data,
                    ip=request_ip(request),
                    district=selectors.portal_district(),
                    captcha_passed=answered,
                )
            )
        except abuse.CaptchaRequired as error:
            wrong = bool(d["captcha_value"].strip())
            message = (
                _("The characters do not match the picture. Please try again.")
                if wrong
                else str(error)
            )
            body = {"detail": str(message), "code": "captcha_required", "captcha": _challenge()}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = IdeaSubmittedSerializer(
            {
                "idea": submitted.idea,
                "tracking_code": submitted.code or None,
                "created": submitted.created,
            }
        ).data
        code = status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK
        return Response(body, status=code)

    # --- the public: supporting and reporting ----------------------------------------------------

    def _public_idea(self, pk: Any) -> Idea:
        return selectors.public_idea_get(district=selectors.portal_district(), pk=pk)

    @extend_schema(
        request=IdeaContactIn,
        responses={201: IdeaSupportedSerializer, **_public_refusals},
        description="附议: one support per contact per idea, while the idea is published or "
        "under evaluation (409 otherwise, and for a second support).",
    )
    @action(detail=True, methods=["post"])
    def support(self, request: Any, pk: Any = None) -> Response:
        idea = self._public_idea(pk)
        d = _valid(IdeaContactIn, request.data)
        _run(lambda: services.idea_support(idea=idea, contact=d["contact"], ip=request_ip(request)))
        idea.refresh_from_db(fields=["support_count"])
        body = IdeaSupportedSerializer({"id": idea.pk, "support_count": idea.support_count}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=IdeaReportIn,
        responses={201: IdeaReportedSerializer, **_public_refusals},
        description="Report inappropriate content: one report per contact per idea; three "
        "reports hide the idea until a moderator has looked at it.",
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Any, pk: Any = None) -> Response:
        idea = self._public_idea(pk)
        d = _valid(IdeaReportIn, request.data)
        _run(
            lambda: services.idea_report(
                idea=idea, contact=d["contact"], reason=d["reason"], ip=request_ip(request)
            )
        )
        body = {"id": idea.pk, "detail": str(_("Thank you. A moderator will look at it."))}
        return Response(IdeaReportedSerializer(body).data, status=status.HTTP_201_CREATED)

    # --- the author: the tracking code -----------------------------------------------------------

    def _author_view(self, code: str) -> Response:
        idea = selectors.idea_by_tracking_code(code=code)
        return Response(AuthorIdeaSerializer(idea).data)

    @extend_schema(
        parameters=[_code_param],
        responses={200: AuthorIdeaSerializer, 404: OpenApiResponse(description="unknown code")},
        description="The author's view of their idea: its state, the reason it was not "
        "published, the answer, the plan and the progress, and its timeline.",
    )
    @action(detail=False, methods=["get"], url_path=r"track/(?P<code>[^/.]+)")
    def track(self, request: Any, code: str) -> Response:
        return self._author_view(code)

    @extend_schema(
        parameters=[_code_param],
        request=None,
        responses={
            200: AuthorIdeaSerializer,
            404: OpenApiResponse(description="unknown code"),
            409: OpenApiResponse(description="the idea can no longer be withdrawn"),
        },
        description="The author withdraws the idea (while it waits for review, is published or "
        "is under evaluation).",
    )
    @action(detail=False, methods=["post"], url_path=r"track/(?P<code>[^/.]+)/withdraw")
    def withdraw(self, request: Any, code: str) -> Response:
        idea = selectors.idea_by_tracking_code(code=code)
        _run(lambda: services.idea_withdraw(idea=idea, code=code))
        return self._author_view(code)

    # --- staff: the workflow ---------------------------------------------------------------------

    def _act(self, pk: Any, run: Any) -> Response:
        idea = selectors.idea_get_for_user(user=self.request.user, pk=pk)
        _run(lambda: run(idea))
        return self._staff_detail(pk)

    @extend_schema(request=None, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def publish(self, request: Any, pk: Any = None) -> Response:
        """Publish an idea waiting for review (the district's leaders)."""
        return self._act(pk, lambda i: services.idea_publish(idea=i, by=request.user))

    @extend_schema(request=IdeaReasonIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def reject(self, request: Any, pk: Any = None) -> Response:
        """Do not publish an idea (不予公开); the reason is sent to the author."""
        d = _valid(IdeaReasonIn, request.data)
        return self._act(
            pk, lambda i: services.idea_reject(idea=i, by=request.user, reason=d["reason"])
        )

    @extend_schema(request=IdeaAssignIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def assign(self, request: Any, pk: Any = None) -> Response:
        """Give a published idea to a department of its district to evaluate."""
        d = _valid(IdeaAssignIn, request.data)
        idea = selectors.idea_get_for_user(user=request.user, pk=pk)
        department = selectors.departments(idea.district).filter(code=d["department"]).first()
        if department is None:
            raise exceptions.ValidationError(
                {"department": [_("Choose an active department of the district.")]}
            )
        return self._act(
            pk,
            lambda i: services.idea_assign(
                idea=i, by=request.user, department=department, note=d["note"]
            ),
        )

    @extend_schema(request=IdeaAnswerIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def answer(self, request: Any, pk: Any = None) -> Response:
        """The evaluating department drafts the answer and proposes the outcome; a district
        leader approves it before the public sees it."""
        d = _valid(IdeaAnswerIn, request.data)
        return self._act(pk, lambda i: services.idea_answer(idea=i, by=request.user, **d))

    @extend_schema(request=None, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"], url_path="approve-answer")
    def approve_answer(self, request: Any, pk: Any = None) -> Response:
        """Publish the department's answer; its proposed outcome takes effect."""
        return self._act(pk, lambda i: services.idea_approve_answer(idea=i, by=request.user))

    @extend_schema(
        request=IdeaReturnAnswerIn, responses={200: StaffIdeaDetailSerializer, **_refusals}
    )
    @action(detail=True, methods=["post"], url_path="return-answer")
    def return_answer(self, request: Any, pk: Any = None) -> Response:
        """Send the department's draft back with what to change."""
        d = _valid(IdeaReturnAnswerIn, request.data)
        return self._act(
            pk, lambda i: services.idea_return_answer(idea=i, by=request.user, note=d["note"])
        )

    @extend_schema(request=IdeaAdoptIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def adopt(self, request: Any, pk: Any = None) -> Response:
        """A district leader adopts the idea: what will be done and by when."""
        d = _valid(IdeaAdoptIn, request.data)
        return self._act(pk, lambda i: services.idea_adopt(idea=i, by=request.user, **d))

    @extend_schema(request=IdeaReasonIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def decline(self, request: Any, pk: Any = None) -> Response:
        """A district leader does not adopt the idea; the reason is the published answer."""
        d = _valid(IdeaReasonIn, request.data)
        return self._act(
            pk, lambda i: services.idea_decline(idea=i, by=request.user, reason=d["reason"])
        )

    @extend_schema(request=IdeaDuplicateIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"], url_path="mark-duplicate")
    def mark_duplicate(self, request: Any, pk: Any = None) -> Response:
        """The idea repeats a published idea of the same district."""
        d = _valid(IdeaDuplicateIn, request.data)
        idea = selectors.idea_get_for_user(user=request.user, pk=pk)
        target = selectors.duplicate_targets(idea=idea).filter(pk=d["target"]).first()
        if target is None:
            raise exceptions.ValidationError(
                {"target": [_("Choose a published idea of the same district.")]}
            )
        return self._act(
            pk,
            lambda i: services.idea_mark_duplicate(
                idea=i, by=request.user, target=target, note=d["note"]
            ),
        )

    @extend_schema(request=IdeaReasonIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def hide(self, request: Any, pk: Any = None) -> Response:
        """Hide a published idea from the public until it is restored."""
        d = _valid(IdeaReasonIn, request.data)
        return self._act(
            pk, lambda i: services.idea_hide(idea=i, by=request.user, reason=d["reason"])
        )

    @extend_schema(request=IdeaNoteIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def restore(self, request: Any, pk: Any = None) -> Response:
        """Show a hidden idea again, or dismiss the reports it has."""
        d = _valid(IdeaNoteIn, request.data)
        return self._act(
            pk, lambda i: services.idea_restore(idea=i, by=request.user, note=d["note"])
        )

    @extend_schema(request=IdeaEditIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def edit(self, request: Any, pk: Any = None) -> Response:
        """A moderator's edit (personal data, abuse); the original stays in the timeline."""
        d = _valid(IdeaEditIn, request.data)
        return self._act(pk, lambda i: services.idea_edit(idea=i, by=request.user, **d))

    @extend_schema(request=IdeaProgressIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def progress(self, request: Any, pk: Any = None) -> Response:
        """What has been done on an adopted idea ("you said, we did")."""
        d = _valid(IdeaProgressIn, request.data)
        return self._act(pk, lambda i: services.idea_progress(idea=i, by=request.user, **d))

    @extend_schema(request=IdeaBlockIn, responses={200: StaffIdeaDetailSerializer, **_refusals})
    @action(detail=True, methods=["post"])
    def block(self, request: Any, pk: Any = None) -> Response:
        """Block the idea's sender (the contact, and the network address if asked)."""
        d = _valid(IdeaBlockIn, request.data)
        return self._act(pk, lambda i: services.sender_block(by=request.user, idea=i, **d))


class IsIdeasModerator(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.is_moderator(request.user)


class BlockViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The block list of the caller's district (its leaders only; others 403). A sender is kept
    as a key, never in clear."""

    serializer_class = IdeaBlockSerializer
    permission_classes = [IsAuthenticated, IsIdeasModerator]
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> Any:
        return selectors.blocks_for_user(user=self.request.user)

    @extend_schema(
        responses={204: None, 404: OpenApiResponse(description="not in the caller's district")}
    )
    def destroy(self, request: Any, pk: Any = None) -> Response:
        """Unblock a sender."""
        block = selectors.block_get_for_user(user=request.user, pk=pk)
        _run(lambda: services.sender_unblock(by=request.user, block=block))
        return Response(status=status.HTTP_204_NO_CONTENT)
