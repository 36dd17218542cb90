"""The serializers of the ideas API: the public view of an idea (never a contact), the author's
view through the tracking code, the staff view, and the input of each action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from qifu.audit.labels import ACTION_LABELS
from qifu.ideas import abuse, permissions, selectors, services
from qifu.ideas.models import (
    BODY_MAX,
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    TITLE_MAX,
    AnswerStatus,
    BlockedSender,
    ContactKind,
    Idea,
    IdeaAnswer,
    IdeaEvent,
    Outcome,
    Progress,
    Status,
    Topic,
)
from qifu.lib.masking import mask_contact

# --- output: the public --------------------------------------------------------------------------


class IdeaZoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IdeaDepartmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class IdeaPublishedAnswerSerializer(serializers.Serializer):
    text = serializers.CharField(source="answer_text")
    answered_at = serializers.DateTimeField()


class IdeaPublicProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Progress
        fields = ["on", "text", "done"]
        read_only_fields = fields


class PublicIdeaSerializer(serializers.Serializer):
    """What anyone may read of a published idea: never its contact nor anything about its
    sender."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    zone = IdeaZoneSerializer(allow_null=True, help_text="null: the whole district (全区)")
    topic = serializers.ChoiceField(choices=Topic.choices)
    topic_label = serializers.CharField(source="get_topic_display")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    author_name = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(allow_null=True)
    support_count = serializers.IntegerField()
    can_support = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField(
        help_text="the department evaluating the idea (while under evaluation)"
    )
    answer = serializers.SerializerMethodField(help_text="the official answer, once published")
    adoption_plan = serializers.SerializerMethodField(help_text="what will be done (adopted)")
    adoption_due = serializers.DateField(allow_null=True, help_text="to be done by (adopted)")
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id", allow_null=True, help_text="id of the idea it repeats"
    )

    def get_author_name(self, idea: Idea) -> str | None:
        return idea.author_name or None

    def get_can_support(self, idea: Idea) -> bool:
        return idea.status in OPEN_STATUSES and not idea.hidden

    def get_department(self, idea: Idea) -> str | None:
        if idea.status == Status.EVALUATING and idea.department_id is not None:
            return idea.department.name
        return None

    @extend_schema_field(IdeaPublishedAnswerSerializer(allow_null=True))
    def get_answer(self, idea: Idea) -> dict[str, Any] | None:
        if idea.answered_at is None:
            return None
        return IdeaPublishedAnswerSerializer(idea).data

    def get_adoption_plan(self, idea: Idea) -> str | None:
        return idea.adoption_plan or None


class PublicIdeaDetailSerializer(PublicIdeaSerializer):
    progress = IdeaPublicProgressSerializer(
        many=True, help_text='what has been done since it was adopted ("you said, we did")'
    )


class SimilarIdeaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    zone = IdeaZoneSerializer(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    support_count = serializers.IntegerField()
    can_support = serializers.SerializerMethodField()

    def get_can_support(self, idea: Idea) -> bool:
        return idea.status in OPEN_STATUSES and not idea.hidden


# --- output: the author (tracking code) ----------------------------------------------------------

# the timeline's notes that are written for the author (the others stay internal)
AUTHOR_NOTES = frozenset({"reject", "decline", "progress"})


class IdeaAuthorEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.choices, source="to_status")
    note = serializers.SerializerMethodField()

    def get_action_label(self, event: IdeaEvent) -> str:
        return str(ACTION_LABELS.get(f"idea.{event.action}", event.action))

    def get_note(self, event: IdeaEvent) -> str:
        return event.note if event.action in AUTHOR_NOTES else ""


class AuthorIdeaSerializer(serializers.Serializer):
    """The author's view of their own idea, by its tracking code: no staff names."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    zone = IdeaZoneSerializer(allow_null=True)
    topic = serializers.ChoiceField(choices=Topic.choices)
    topic_label = serializers.CharField(source="get_topic_display")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    hidden = serializers.BooleanField(help_text="hidden from the public while it is reviewed")
    submitted_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    adoption_plan = serializers.SerializerMethodField()
    adoption_due = serializers.DateField(allow_null=True)
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    support_count = serializers.IntegerField()
    progress = IdeaPublicProgressSerializer(many=True)
    timeline = serializers.SerializerMethodField()
    can_withdraw = serializers.SerializerMethodField()

    def get_rejection_reason(self, idea: Idea) -> str | None:
        return idea.rejection_reason or None

    def get_department(self, idea: Idea) -> str | None:
        return idea.department.name if idea.department_id is not None else None

    @extend_schema_field(IdeaPublishedAnswerSerializer(allow_null=True))
    def get_answer(self, idea: Idea) -> dict[str, Any] | None:
        return IdeaPublishedAnswerSerializer(idea).data if idea.answered_at is not None else None

    def get_adoption_plan(self, idea: Idea) -> str | None:
        return idea.adoption_plan or None

    @extend_schema_field(IdeaAuthorEventSerializer(many=True))
    def get_timeline(self, idea: Idea) -> list[dict[str, Any]]:
        return IdeaAuthorEventSerializer(selectors.author_timeline(idea), many=True).data

    def get_can_withdraw(self, idea: Idea) -> bool:
        return services.allowed(idea=idea, action="withdraw", user=None)


class IdeaSubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="idea.pk")
    title = serializers.CharField(source="idea.title")
    status = serializers.ChoiceField(choices=Status.choices, source="idea.status")
    status_label = serializers.CharField(source="idea.get_status_display")
    submitted_at = serializers.DateTimeField(source="idea.submitted_at")
    tracking_code = serializers.CharField(
        allow_null=True,
        help_text="the author's tracking code (查询码); null when the same text came again from "
        "the same contact without a form token (the code was given the first time)",
    )
    created = serializers.BooleanField(help_text="false: the same idea had already come")


class IdeaCaptchaSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="send back as captcha_key")
    image_url = serializers.CharField(help_text="the picture (PNG) whose characters to type")


class IdeaCaptchaRequiredSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField(help_text="captcha_required")
    captcha = IdeaCaptchaSerializer()


class IdeaSupportedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    support_count = serializers.IntegerField()


class IdeaReportedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    detail = serializers.CharField()


# --- output: staff -------------------------------------------------------------------------------


class IdeaProgressSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.display_name")

    class Meta:
        model = Progress
        fields = ["id", "on", "text", "done", "by", "created_at"]
        read_only_fields = fields


class IdeaAnswerSerializer(serializers.ModelSerializer):
    department = IdeaDepartmentSerializer()
    drafted_by = serializers.CharField(source="drafted_by.display_name")
    decided_by = serializers.CharField(source="decided_by.display_name", default=None)

    class Meta:
        model = IdeaAnswer
        fields = [
            "id",
            "department",
            "text",
            "outcome",
            "plan",
            "due_on",
            "status",
            "drafted_by",
            "drafted_at",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class IdeaEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None)
    action_label = serializers.SerializerMethodField()

    class Meta:
        model = IdeaEvent
        fields = [
            "at",
            "actor",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "note",
            "data",
        ]
        read_only_fields = fields

    def get_action_label(self, event: IdeaEvent) -> str:
        return str(ACTION_LABELS.get(f"idea.{event.action}", event.action))


class StaffIdeaSerializer(serializers.Serializer):
    """An idea as its staff see it; the contact in full for the district's leaders only."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    zone = IdeaZoneSerializer(allow_null=True, help_text="null: the whole district (全区)")
    topic = serializers.ChoiceField(choices=Topic.choices)
    topic_label = serializers.CharField(source="get_topic_display")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    author_name = serializers.CharField()
    contact = serializers.SerializerMethodField(help_text="masked unless the caller moderates")
    contact_kind = serializers.ChoiceField(choices=ContactKind.choices)
    contact_masked = serializers.SerializerMethodField()
    department = IdeaDepartmentSerializer(allow_null=True)
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    rejection_reason = serializers.CharField()
    answer = serializers.SerializerMethodField(help_text="the published answer")
    adoption_plan = serializers.CharField()
    adoption_due = serializers.DateField(allow_null=True)
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    open_reports = serializers.IntegerField()
    support_count = serializers.IntegerField()
    pending_answer = serializers.SerializerMethodField(
        help_text="an answer of the department waits for a leader's approval"
    )
    submitted_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()

    def _sees_contact(self, idea: Idea) -> bool:
        return permissions.can_see_contact(self.context["user"], idea)

    def get_contact(self, idea: Idea) -> str:
        return idea.contact if self._sees_contact(idea) else mask_contact(idea.contact)

    def get_contact_masked(self, idea: Idea) -> bool:
        return not self._sees_contact(idea)

    @extend_schema_field(IdeaPublishedAnswerSerializer(allow_null=True))
    def get_answer(self, idea: Idea) -> dict[str, Any] | None:
        return IdeaPublishedAnswerSerializer(idea).data if idea.answered_at is not None else None

    def get_pending_answer(self, idea: Idea) -> bool:
        count = getattr(idea, "pending_answers", None)
        if count is None:
            return selectors.pending_answer(idea) is not None
        return count > 0


# the staff actions, as their URL slugs, and the workflow's name of each
ACTIONS = {
    "publish": "publish",
    "reject": "reject",
    "assign": "assign",
    "answer": "answer",
    "approve-answer": "approve_answer",
    "return-answer": "return_answer",
    "adopt": "adopt",
    "decline": "decline",
    "mark-duplicate": "mark_duplicate",
    "hide": "hide",
    "restore": "restore",
    "edit": "edit",
    "progress": "progress",
}


class StaffIdeaDetailSerializer(StaffIdeaSerializer):
    pending = serializers.SerializerMethodField(help_text="the answer waiting for approval")
    answers = serializers.SerializerMethodField(help_text="every answer drafted, latest first")
    progress = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField(
        help_text="every change; a moderator's edit keeps the text before and after in data"
    )
    actions = serializers.SerializerMethodField(help_text="the actions the caller may take now")

    def _answers(self, idea: Idea) -> list[IdeaAnswer]:
        cache = self.context.setdefault("answers", {})
        if idea.pk not in cache:
            cache[idea.pk] = selectors.answers(idea)
        return cache[idea.pk]

    def get_pending_answer(self, idea: Idea) -> bool:
        return self.get_pending(idea) is not None

    @extend_schema_field(IdeaAnswerSerializer(allow_null=True))
    def get_pending(self, idea: Idea) -> dict[str, Any] | None:
        found = next((a for a in self._answers(idea) if a.status == AnswerStatus.PENDING), None)
        return IdeaAnswerSerializer(found).data if found is not None else None

    @extend_schema_field(IdeaAnswerSerializer(many=True))
    def get_answers(self, idea: Idea) -> list[dict[str, Any]]:
        return IdeaAnswerSerializer(self._answers(idea), many=True).data

    @extend_schema_field(IdeaProgressSerializer(many=True))
    def get_progress(self, idea: Idea) -> list[dict[str, Any]]:
        return IdeaProgressSerializer(selectors.progress(idea), many=True).data

    @extend_schema_field(IdeaEventSerializer(many=True))
    def get_timeline(self, idea: Idea) -> list[dict[str, Any]]:
        return IdeaEventSerializer(selectors.staff_timeline(idea), many=True).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="slugs of POST /api/v1/ideas/{id}/<action>/: "
            + ", ".join([*ACTIONS, "block"]),
        )
    )
    def get_actions(self, idea: Idea) -> list[str]:
        user = self.context["user"]
        found = [
            slug
            for slug, name in ACTIONS.items()
            if services.allowed(idea=idea, action=name, user=user)
        ]
        if permissions.can_moderate(user, idea):
            found.append("block")
        return found


class IdeaBlockSerializer(serializers.ModelSerializer):
    """A blocked sender: the contact is kept as a key only, and shown masked in `label`."""

    created_by = serializers.CharField(source="created_by.display_name")
    active = serializers.SerializerMethodField()

    class Meta:
        model = BlockedSender
        fields = ["id", "kind", "label", "reason", "until", "active", "created_by", "created_at"]
        read_only_fields = fields

    def get_active(self, block: BlockedSender) -> bool:
        return block.until is None or block.until >= timezone.localdate()


# --- input ---------------------------------------------------------------------------------------


def _text(help_text: str = "", **kwargs: Any) -> serializers.CharField:
    """A text field whose rules (required, length) the service checks, with its own message."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text=help_text,
        **kwargs,
    )


class IdeaIn(serializers.Serializer):
    title = _text(f"at most {TITLE_MAX} characters")
    body = _text(f"the idea, at most {BODY_MAX} characters")
    zone = _text("a zone's code (see the list's zone filter); empty or `all`: the whole district")
    topic = serializers.ChoiceField(choices=Topic.choices)
    author_name = _text("optional, at most 30 characters; shown with the idea")
    contact = _text("a mainland mobile number or an e-mail address for the answer; never shown")
    consent = serializers.BooleanField(
        default=False, help_text="the author agrees to how the contact is kept and used"
    )
    client_token = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="a token made once per form: sent again, it gives the same idea and the same "
        "tracking code (the Idempotency-Key header works too)",
    )
    website = _text("leave empty (a field people never see)")
    captcha_key = _text("the key of the CAPTCHA, when one was asked for")
    captcha_value = _text("the characters in the CAPTCHA's picture")


class IdeaContactIn(serializers.Serializer):
    contact = serializers.CharField(
        help_text="a mainland mobile number or an e-mail address; only its key is kept"
    )

    def validate_contact(self, value: str) -> str:
        try:
            abuse.contact_parse(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        return value


class IdeaReportIn(IdeaContactIn):
    reason = _text("why the idea should be reviewed, at most 200 characters")


class IdeaNoteIn(serializers.Serializer):
    note = _text()


class IdeaReturnAnswerIn(serializers.Serializer):
    note = _text("what to change, for the department")


class IdeaReasonIn(serializers.Serializer):
    reason = _text()


class IdeaAssignIn(serializers.Serializer):
    department = serializers.CharField(help_text="the code of a department of the idea's district")
    note = _text("for the department")


class IdeaAnswerIn(serializers.Serializer):
    text = _text("the answer to the author and the public")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    plan = _text("what will be done (outcome adopt)")
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="by when (outcome adopt)"
    )


class IdeaAdoptIn(serializers.Serializer):
    plan = _text("what will be done")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    text = _text("the answer; empty: the plan is the answer")


class IdeaDuplicateIn(serializers.Serializer):
    target = serializers.IntegerField(help_text="id of the published idea it repeats")
    note = _text()


class IdeaEditIn(serializers.Serializer):
    title = _text()
    body = _text()
    note = _text("the reason for the edit (kept in the moderation log)")


class IdeaProgressIn(serializers.Serializer):
    text = _text("what was done")
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="empty: today"
    )
    done = serializers.BooleanField(default=False, help_text="the plan is carried out")


class IdeaBlockIn(serializers.Serializer):
    reason = _text()
    until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="empty: until unblocked"
    )
    network = serializers.BooleanField(
        default=False, help_text="block the network address the idea came from too"
    )


# --- query parameters ----------------------------------------------------------------------------

QUEUES = ["review", "reports", "approval", "evaluating"]
PUBLIC_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in PUBLIC_STATUSES]


class ListParams(serializers.Serializer):
    zone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    topic = serializers.ChoiceField(
        choices=Topic.choices, required=False, allow_blank=True, default=""
    )
    status = serializers.ChoiceField(
        choices=PUBLIC_STATUS_CHOICES, required=False, allow_blank=True, default=""
    )
    q = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    def __init__(self, *args: Any, district: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district

    def validate_zone(self, value: str) -> str:
        if value and value != selectors.ALL_DISTRICT:
            known = {z.code for z in selectors.zones(self.district)} if self.district else set()
            if value not in known:
                raise serializers.ValidationError(_("Choose a zone of the district, or “all”."))
        return value


class StaffListParams(ListParams):
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, allow_blank=True, default=""
    )
    queue = serializers.ChoiceField(choices=QUEUES, required=False, allow_blank=True, default="")
    department = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)

    def validate_department(self, value: str) -> int | None:
        if not value:
            return None
        found = selectors.departments(self.district).filter(code=value).first()
        if self.district is None or found is None:
            raise serializers.ValidationError(_("Choose a department of the district."))
        return found.pk


class StatsParams(serializers.Serializer):
    since = serializers.DateField(required=False, allow_null=True, default=None)


class SimilarParams(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TITLE_MAX + BODY_MAX + 1
    )
