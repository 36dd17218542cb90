"""Forms of the visit pages: the list filters, the visit record (with its questionnaire and red
flags), raising an appeal, assignments, plans, red flags, coverage and the questionnaire.

Forms check shape only. A visit form accepts anything a draft may hold (every field optional);
the services say what completing a visit needs, which officials and enterprises may be chosen,
and which answers are valid."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qifu.appeals import selectors as appeal_selectors
from qifu.appeals.forms import MultipleFileField, MultipleFileInput
from qifu.appeals.models import Kind as AppealKind
from qifu.core.forms import DateInput, bootstrap
from qifu.core.models import Zone
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib.quarters import Span, SpanError
from qifu.visits import selectors, services
from qifu.visits.models import (
    QuestionKind,
    QuestionnaireVersion,
    RedFlagKind,
    RedFlagSource,
    Visit,
    VisitKind,
    VisitStatus,
)

YES, NO = "yes", "no"
ATTACHMENT_TYPES = "image/*,.pdf,.doc,.docx,.xls,.xlsx"
MAX_RADIO_OPTIONS = 6


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _text(label: Any, *, max_length: int, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class OfficialChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class OfficialField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class EnterpriseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.street.name}）"


def _enterprises(user: Any) -> Any:
    return (
        enterprise_selectors.enterprises_for_user(user=user)
        .select_related("street")
        .order_by("-is_key", "name", "id")
    )


class ActionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


# --- the list ------------------------------------------------------------------------------------


class VisitFilterForm(ActionForm):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(VisitKind.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=_all(VisitStatus.choices), required=False)
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=None, to_field_name="code", required=False
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, to_field_name="code", required=False
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    with_flags = forms.NullBooleanField(
        label=_("Red flags"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("With red flags")), ("false", _("Without"))]
        ),
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    enterprise = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["zone"].queryset = enterprise_selectors.zones_for_user(user=user)
        self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(user=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> selectors.VisitFilters:
        d = self.cleaned_data
        return selectors.VisitFilters(
            q=d.get("q") or "",
            kind=d.get("kind") or "",
            status=d.get("status") or "",
            street=d.get("street"),
            zone=d.get("zone"),
            enterprise=d.get("enterprise"),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            with_flags=d.get("with_flags"),
            mine=bool(d.get("mine")),
        )


# --- the visit record ----------------------------------------------------------------------------


def _question_field(question: Any) -> forms.Field:
    label = question.text
    help_text = question.unit
    if question.kind == QuestionKind.TEXT:
        field: forms.Field = _text(label, max_length=2000, rows=2)
    elif question.kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(
            label=label,
            required=False,
            choices=[(YES, _("Yes")), (NO, _("No"))],
            widget=forms.RadioSelect,
        )
    elif question.kind == QuestionKind.CHOICE:
        options = [(str(c), str(c)) for c in question.choices]
        if len(options) <= MAX_RADIO_OPTIONS:
            field = forms.ChoiceField(
                label=label, required=False, choices=options, widget=forms.RadioSelect
            )
        else:
            field = forms.ChoiceField(label=label, required=False, choices=[("", "—"), *options])
    else:
        field = forms.DecimalField(
            label=label,
            required=False,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        )
    field.help_text = help_text
    return field


def _shown(question: Any, value: Any) -> Any:
    """An answer as the form shows it."""
    if value is None:
        return None
    if question.kind == QuestionKind.YES_NO:
        return YES if value is True else NO if value is False else None
    return value


class VisitForm(forms.Form):
    """A visit as recorded on the phone. Every field may be empty while it is a draft.

    The questionnaire's questions are fields `q_<code>`; the red flags set by the official are
    `flag_<kind>` (a tick), `flag_<kind>_note` and, at a visit to several enterprises,
    `flag_<kind>_enterprise`.
    """

    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=VisitKind.choices, required=False, widget=forms.RadioSelect
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    officials = OfficialChoiceField(
        label=_("Who went"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enterprises = EnterpriseChoiceField(
        label=_("Enterprises met"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = _text(_("What was discussed"), max_length=10000, rows=6)
    follow_up = _text(pgettext_lazy("visit", "Follow-ups"), max_length=5000, rows=3)
    photos = MultipleFileField(
        label=_("Take photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    attachments = MultipleFileField(
        label=_("Attach files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_TYPES}),
        help_text=_("Photos, PDF, Word or Excel, at most 10 MB each."),
    )
    plan = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput())
    client_token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput())

    def __init__(
        self,
        *args: Any,
        user: Any,
        version: QuestionnaireVersion | None,
        visit: Visit | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.visit = visit
        self.version = version
        self.questions = list(version.questions.all()) if version is not None else []
        self.fields["officials"].queryset = selectors.officials_for_user(user=user)
        self.fields["enterprises"].queryset = _enterprises(user)
        self.fields["plan"].queryset = selectors.plans_for_user(user=user, upcoming_only=False)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        for question in self.questions:
            self.fields[f"q_{question.code}"] = _question_field(question)
        chosen = self._chosen_enterprises()
        for kind, label in RedFlagKind.choices:
            self.fields[f"flag_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"flag_{kind}_note"] = forms.CharField(
                label=_("What was heard"), max_length=500, required=False
            )
            self.fields[f"flag_{kind}_enterprise"] = forms.TypedChoiceField(
                label=_("Enterprise"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *((e.pk, e.name) for e in chosen)],
            )
        if visit is not None and not self.is_bound:
            self._initial_from(visit)
        if not self.is_bound and not self.initial.get("client_token"):
            self.initial["client_token"] = uuid.uuid4().hex
        bootstrap(self)

    def _chosen_enterprises(self) -> list[Any]:
        """The enterprises ticked (posted, or initially): the choices for a red flag."""
        if self.is_bound:
            ids = self.data.getlist("enterprises") if hasattr(self.data, "getlist") else []
        elif self.visit is not None:
            return list(self.visit.enterprises.all())
        else:
            ids = self.initial.get("enterprises") or []
        ids = [i.pk if hasattr(i, "pk") else i for i in ids]
        ids = [int(i) for i in ids if str(i).isdigit()]
        if not ids:
            return []
        return list(self.fields["enterprises"].queryset.filter(pk__in=ids))

    def _initial_from(self, visit: Visit) -> None:
        initial = self.initial
        for name in ("date", "kind", "purpose", "location", "notes", "follow_up"):
            initial.setdefault(name, getattr(visit, name))
        initial.setdefault("officials", [u.pk for u in visit.officials.all()])
        initial.setdefault("enterprises", [e.pk for e in visit.enterprises.all()])
        initial.setdefault("client_token", visit.client_token)
        for question in self.questions:
            initial.setdefault(
                f"q_{question.code}", _shown(question, visit.answers.get(question.code))
            )
        several = len(visit.enterprises.all()) > 1
        for flag in visit.red_flags.all():
            if flag.source != RedFlagSource.OFFICIAL:
                continue
            initial[f"flag_{flag.kind}"] = True
            initial[f"flag_{flag.kind}_note"] = flag.note
            if several:
                initial[f"flag_{flag.kind}_enterprise"] = flag.enterprise_id

    # --- what the template shows

    def question_rows(self) -> list[dict[str, Any]]:
        return [{"question": q, "field": self[f"q_{q.code}"]} for q in self.questions]

    def flag_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "label": label,
                "tick": self[f"flag_{kind}"],
                "note": self[f"flag_{kind}_note"],
                "enterprise": self[f"flag_{kind}_enterprise"],
            }
            for kind, label in RedFlagKind.choices
        ]

    # --- what the service gets

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        enterprises = list(data.get("enterprises") or [])
        by_id = {e.pk: e for e in enterprises}
        flags: list[tuple[Any, str, str]] = []
        for kind, _label in RedFlagKind.choices:
            if not data.get(f"flag_{kind}"):
                continue
            chosen = data.get(f"flag_{kind}_enterprise")
            if chosen is not None and chosen in by_id:
                enterprise = by_id[chosen]
            elif len(enterprises) == 1:
                enterprise = enterprises[0]
            elif len(enterprises) > 1:
                self.add_error(
                    f"flag_{kind}_enterprise",
                    _("Choose which of the enterprises met this red flag concerns."),
                )
                continue
            else:
                # no enterprise ticked yet: a draft keeps the rest; completing asks for them
                continue
            flags.append((enterprise, kind, data.get(f"flag_{kind}_note") or ""))
        data["red_flags"] = flags
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's errors by field; an answer's error goes to its question."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            for message in messages:
                question = next(
                    (q for q in self.questions if name == "answers" and message.startswith(q.text)),
                    None,
                )
                if question is not None:
                    self.add_error(f"q_{question.code}", message)
                else:
                    self.add_error(name if name in self.fields else None, message)

    def answers(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.code}")
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                value = str(value)
            answers[question.code] = value
        return answers

    def visit_input(self) -> services.VisitInput:
        d = self.cleaned_data
        return services.VisitInput(
            date=d.get("date"),
            kind=str(d.get("kind") or "onsite"),
            purpose=d.get("purpose") or "",
            notes=d.get("notes") or "",
            follow_up=d.get("follow_up") or "",
            location=d.get("location") or "",
            officials=list(d.get("officials") or []),
            enterprises=list(d.get("enterprises") or []),
            answers=self.answers(),
            red_flags=d.get("red_flags") or [],
            plan=d.get("plan"),
        )

    def uploads(self) -> list[Any]:
        return [
            *(self.cleaned_data.get("photos") or []),
            *(self.cleaned_data.get("attachments") or []),
        ]


# --- raising an appeal ---------------------------------------------------------------------------


class RaiseAppealForm(ActionForm):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=AppealKind.choices,
        initial=AppealKind.PROBLEM,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, to_field_name="code")
    title = forms.CharField(label=_("Title"), max_length=100)
    description = _text(_("Description"), max_length=5000, rows=5)
    client_token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprises = list(visit.enterprises.all())
        self.fields["enterprise"].queryset = visit.enterprises.all()
        self.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]
        if len(enterprises) == 1:
            self.fields["enterprise"].empty_label = None
        self.fields["category"].queryset = appeal_selectors.categories()
        self.fields["description"].required = True
        if not self.is_bound:
            self.initial.setdefault("description", visit.notes)
            self.initial.setdefault("client_token", uuid.uuid4().hex)


# --- responsibility, plans, red flags ------------------------------------------------------------


class AssignmentForm(ActionForm):
    official = OfficialField(label=_("Official"), queryset=None)
    street = forms.ModelChoiceField(label=_("Street"), queryset=None, required=False)
    enterprise = forms.ModelChoiceField(label=_("or an enterprise"), queryset=None, required=False)
    key_only = forms.BooleanField(label=_("Key enterprises only"), required=False, initial=True)
    visits_per_quarter = forms.IntegerField(
        label=_("Visits per quarter"), min_value=1, max_value=13, initial=1
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = selectors.officials_for_user(user=user)
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["enterprise"].queryset = _enterprises(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("street")) == bool(data.get("enterprise")):
            raise forms.ValidationError(_("Assign either a street or an enterprise."))
        return data


class AssignmentEndForm(ActionForm):
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())


class PlanForm(ActionForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    enterprises = EnterpriseChoiceField(
        label=_("Enterprises"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    officials = OfficialChoiceField(
        label=_("Who goes"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = _enterprises(user)
        self.fields["officials"].queryset = selectors.officials_for_user(user=user)
        self.fields["date"].widget.attrs["min"] = timezone.localdate().isoformat()
        if not self.is_bound:
            self.initial.setdefault("officials", [user.pk])


class ResolveFlagForm(ActionForm):
    resolution = forms.CharField(label=_("How it was resolved"), max_length=500)


class RedFlagFilterForm(ActionForm):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open only")), ("all", _("Open and resolved"))],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(RedFlagKind.choices), required=False)
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=None, to_field_name="code", required=False
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, to_field_name="code", required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["zone"].queryset = enterprise_selectors.zones_for_user(user=user)


# --- coverage ------------------------------------------------------------------------------------


class CoverageForm(ActionForm):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        help_text=_("A quarter (2026Q4) or a year (2026)"),
    )
    org_unit = forms.IntegerField(
        label=_("Street or district"), required=False, min_value=1, widget=forms.Select()
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, to_field_name="code", required=False
    )
    stale_days = forms.IntegerField(
        label=_("Not visited for more than (days)"),
        min_value=1,
        max_value=3650,
        required=False,
    )
    # which of the assigned enterprises the list shows (the totals above count them all)
    visited = forms.ChoiceField(
        label=_("Assigned enterprises"),
        required=False,
        choices=[
            ("", _("All")),
            (YES, pgettext_lazy("coverage", "Visited")),
            (NO, pgettext_lazy("coverage", "Not visited yet")),
        ],
    )

    def __init__(
        self, *args: Any, units: list[Any], today: Any, zones: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["org_unit"].widget.choices = [(u.pk, u.name) for u in units]
        self.fields["zone"].queryset = zones if zones is not None else Zone.objects.none()
        self.fields["period"].widget.attrs.update({"list": "coverage-periods", "size": 8})

    def clean_period(self) -> Span:
        raw = self.cleaned_data.get("period") or ""
        if not raw.strip():
            return Span.quarter_of(self.today)
        try:
            return Span.parse(raw)
        except SpanError:
            raise forms.ValidationError(
                _("Enter a quarter such as 2026Q4 or a year such as 2026.")
            ) from None

    def periods(self) -> list[Span]:
        """The recent quarters and years offered in the picker."""
        span = Span.quarter_of(self.today)
        quarters = [span]
        for _i in range(7):
            span = span.previous()
            quarters.append(span)
        return [*quarters, Span(self.today.year), Span(self.today.year - 1)]


# --- the questionnaire ---------------------------------------------------------------------------

LINE_HELP = _(
    "One question per line, fields separated by |: code | kind (text, yes_no, choice, number) | "
    "question | options separated by ; (choice) | unit | required (yes) | red flag kind | "
    "answers that raise it (options separated by ;) or: below N (number). "
    "Trailing fields may be left out."
)


def question_line(question: Any) -> str:
    """One question in the line format of `QuestionnaireForm`."""
    trigger = ""
    if question.flag and question.kind == QuestionKind.CHOICE:
        trigger = ";".join(question.flag_values)
    elif question.flag and question.kind == QuestionKind.NUMBER and question.flag_below is not None:
        trigger = f"below {question.flag_below.normalize():f}"
    fields = [
        question.code,
        question.kind,
        question.text,
        ";".join(question.choices) if question.kind == QuestionKind.CHOICE else "",
        question.unit,
        YES if question.required else "",
        question.flag,
        trigger,
    ]
    while fields and not fields[-1]:
        fields.pop()
    return " | ".join(fields)


def _parse_line(number: int, line: str) -> dict[str, Any]:
    parts = [p.strip() for p in line.split("|")]
    parts += [""] * (8 - len(parts))
    if len(parts) > 8:
        raise forms.ValidationError(
            _("Line %(n)d: at most 8 fields separated by |.") % {"n": number}
        )
    code, kind, text, options, unit, required, flag, trigger = parts
    if kind not in QuestionKind.values:
        raise forms.ValidationError(
            _("Line %(n)d: the kind must be one of %(kinds)s.")
            % {"n": number, "kinds": ", ".join(QuestionKind.values)}
        )
    if required.lower() not in ("", YES, "no", "是", "否", "required"):
        raise forms.ValidationError(
            _("Line %(n)d: write yes in the sixth field for a required question.") % {"n": number}
        )
    if flag and flag not in RedFlagKind.values:
        raise forms.ValidationError(
            _("Line %(n)d: the red flag must be one of %(kinds)s.")
            % {"n": number, "kinds": ", ".join(RedFlagKind.values)}
        )
    values: dict[str, Any] = {
        "code": code,
        "kind": kind,
        "text": text,
        "choices": [o.strip() for o in options.split(";") if o.strip()]
        if kind == QuestionKind.CHOICE
        else [],
        "unit": unit,
        "required": required.lower() in (YES, "是", "required"),
        "flag": flag,
    }
    if flag and kind == QuestionKind.NUMBER:
        below = trigger.lower().removeprefix("below").strip()
        try:
            values["flag_below"] = Decimal(below)
        except ArithmeticError:
            raise forms.ValidationError(
                _("Line %(n)d: write the flag's threshold as: below N.") % {"n": number}
            ) from None
    elif flag and kind == QuestionKind.CHOICE:
        values["flag_values"] = [o.strip() for o in trigger.split(";") if o.strip()]
    return values


class QuestionnaireForm(ActionForm):
    note = forms.CharField(label=_("What changed"), max_length=200)
    questions = forms.CharField(
        label=_("Questions"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=LINE_HELP,
    )

    def clean_questions(self) -> list[dict[str, Any]]:
        lines = [
            (n, line)
            for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not lines:
            raise forms.ValidationError(_("A questionnaire needs at least one question."))
        errors: list[str] = []
        parsed = []
        for number, line in lines:
            try:
                parsed.append(_parse_line(number, line))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return parsed
