"""Forms of the project pages: the list filters, the project's own form and one form per action.

Forms check shape only; the services check the rules across objects and states (an allowed stage,
a department of the district, a file that really is a PDF)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qifu.core import selectors as core_selectors
from qifu.core.forms import DateInput, bootstrap
from qifu.enterprises import selectors as enterprise_selectors
from qifu.enterprises.models import Enterprise
from qifu.investment import selectors as investment_selectors
from qifu.projects import selectors, services
from qifu.projects.models import (
    APPROVAL_KINDS,
    SIGNING_KINDS,
    DateKind,
    DocumentCategory,
    ObstacleStatus,
    ObstacleType,
    Project,
    Stage,
    TaskStatus,
)
from qifu.stats.periods import Period


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _text(
    label: Any, required: bool = True, max_length: int = 2000, rows: int = 2
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class ActionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FilterForm(ActionForm):
    """The filters of the pipeline and the lists; `filters()` gives the selector's filters."""

    search = forms.CharField(label=_("Search"), max_length=100, required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=_all(Stage.choices), required=False)
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=None, to_field_name="code", required=False
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), queryset=None, to_field_name="code", required=False
    )
    industry = forms.RegexField(
        label=_("Industry code"),
        regex=r"^[A-Z]?\d{0,4}$",
        max_length=5,
        required=False,
        help_text=_("GB/T 4754 code or its beginning, e.g. 34"),
    )
    leader = forms.ModelChoiceField(
        label=pgettext_lazy("project", "Responsible leader"), queryset=None, required=False
    )
    channel = forms.ModelChoiceField(label=_("Source channel"), queryset=None, required=False)
    is_key = forms.NullBooleanField(
        label=_("Key project"),
        required=False,
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    # a department's inbox links here (codes): the projects with an obstacle it must solve, or a
    # task it must do; kept hidden while the list is refined, shown as a note, dropped by "Clear"
    obstacle_department = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)
    task_department = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["zone"].queryset = enterprise_selectors.zones_for_user(user=user)
        self.fields["leader"].queryset = enterprise_selectors.district_leaders_for_user(user=user)
        self.fields["channel"].queryset = investment_selectors.channels_for_user(
            user=user
        ).order_by("name")

    def filters(self) -> dict[str, Any]:
        d = self.cleaned_data
        result: dict[str, Any] = {
            "search": d.get("search"),
            "stage": d.get("stage"),
            "industry": d.get("industry"),
            "street": d["street"].code if d.get("street") else None,
            "zone": d["zone"].code if d.get("zone") else None,
            "leader": d["leader"].pk if d.get("leader") else None,
            "channel": d["channel"].pk if d.get("channel") else None,
            "is_key": d.get("is_key"),
            "obstacle_department": d.get("obstacle_department"),
            "task_department": d.get("task_department"),
        }
        return {k: v for k, v in result.items() if v not in (None, "")}

    def waiting_for(self) -> list[str]:
        """What the hidden department filters show, in words (one query when one is set)."""
        d = self.cleaned_data if self.is_valid() else {}
        codes = {d.get("obstacle_department"), d.get("task_department")} - {None, ""}
        if not codes:
            return []
        names = {
            dep.code: dep.name
            for dep in core_selectors.department_list_for_user(user=self.user).filter(
                code__in=codes
            )
        }
        notes = []
        if d.get("obstacle_department"):
            name = names.get(d["obstacle_department"], d["obstacle_department"])
            notes.append(_("With an obstacle for %(department)s to solve") % {"department": name})
        if d.get("task_department"):
            name = names.get(d["task_department"], d["task_department"])
            notes.append(_("With a task for %(department)s to do") % {"department": name})
        return notes

    def error_text(self) -> str:
        return "；".join(
            f"{self.fields[name].label if name in self.fields else ''}：{message}"
            for name, messages in self.errors.items()
            for message in messages
        )


class ProjectForm(forms.ModelForm):
    """The project's data (not its stage); validated and saved by the services."""

    enterprise = forms.ModelChoiceField(
        label=_("Linked enterprise"),
        queryset=Enterprise.objects.none(),
        to_field_name="credit_code",
        required=False,
        widget=forms.TextInput(),
        help_text=_("Its unified social credit code (18 characters)."),
    )

    class Meta:
        model = Project
        fields = services.PROJECT_FIELDS
        widgets = {
            "internal_note": forms.Textarea(attrs={"rows": 3}),
            "expected_start": DateInput(),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprise_selectors.enterprises_for_user(user=user)
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["leader"].queryset = enterprise_selectors.district_leaders_for_user(user=user)
        self.fields["liaison_leader"].queryset = enterprise_selectors.district_leaders_for_user(
            user=user
        )
        self.fields["lead_department"].queryset = core_selectors.department_list_for_user(user=user)
        self.fields["source_channel"].queryset = investment_selectors.channels_for_user(
            user=user
        ).order_by("name")
        self.fields["key_list"].queryset = selectors.key_lists_for_user(user=user)
        bootstrap(self)

    def _post_clean(self) -> None:
        return None


class StageForm(ActionForm):
    """Any stage is accepted here so that a change out of order reaches the service, which says
    why (409); the select offers only the allowed ones."""

    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    date = _date(_("Date of the change"))
    intent = _date(DateKind.INTENT.label, required=False)
    contract = _date(DateKind.CONTRACT.label, required=False)
    land_lease = _date(DateKind.LAND_LEASE.label, required=False)
    reason = _text(_("Reason (pausing or terminating)"), required=False)
    note = _text(_("Internal note"), required=False)

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["stage"].widget.choices = [
                (value, label) for value, label in Stage.choices if value in allowed
            ]

    def signing(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in SIGNING_KINDS if self.cleaned_data.get(k)}


class DateForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[(k, DateKind(k).label) for k in (*SIGNING_KINDS, *APPROVAL_KINDS)],
    )
    date = _date(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ObstacleForm(ActionForm):
    description = _text(_("Description"))
    type = forms.ChoiceField(label=_("Type"), choices=ObstacleType.choices)
    department = forms.ModelChoiceField(
        label=_("Department responsible"), queryset=None, required=False
    )
    deadline = _date(_("Deadline"), required=False)
    internal_note = _text(_("Internal note"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = core_selectors.department_list_for_user(user=user)


class ObstacleStatusForm(ActionForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in ObstacleStatus.choices if s != ObstacleStatus.RESOLVED],
    )


class ResolveForm(ActionForm):
    resolution = _text(_("Resolution"))
    date = _date(_("Resolved on"), required=False)


class InspectionForm(ActionForm):
    month = forms.CharField(
        label=pgettext_lazy("period", "Month"), max_length=6, help_text=_("YYYYMM")
    )
    month_investment = forms.DecimalField(
        label=_("Investment this month (10k yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    cumulative_investment = forms.DecimalField(
        label=_("Cumulative investment (10k yuan)"), min_value=0, max_digits=14, decimal_places=2
    )
    progress_percent = forms.IntegerField(
        label=_("Physical progress (%)"), min_value=0, max_value=100, required=False
    )
    progress = _text(_("Physical progress"))
    problems = _text(_("Problems"), required=False)
    next_plan = _text(_("Next month's plan"), required=False)
    explanation = _text(_("Explanation"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"month": str(Period.of(timezone.localdate()))})
        super().__init__(*args, **kwargs)

    def clean_month(self) -> str:
        from django.core.exceptions import ValidationError

        try:
            return str(Period.parse(self.cleaned_data["month"]))
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None


class TaskForm(ActionForm):
    what = _text(_("Task"))
    department = forms.ModelChoiceField(label=_("Owner department"), queryset=None)
    due = _date(_("Due"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = core_selectors.department_list_for_user(user=user)


class TaskUpdateForm(ActionForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, label) for s, label in TaskStatus.choices if s != TaskStatus.DONE],
    )
    due = _date(_("Due"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TaskCompleteForm(ActionForm):
    done_on = _date(_("Done on"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class MilestoneForm(ActionForm):
    name = forms.CharField(label=_("Milestone"), max_length=100)
    planned = _date(_("Planned"), required=False)
    forecast = _date(_("Forecast"), required=False)
    is_completion = forms.BooleanField(label=_("Completes the project"), required=False)


class MilestoneDateForm(ActionForm):
    date = _date(_("Date"))


class DocumentForm(ActionForm):
    upload = forms.FileField(
        label=_("File"), help_text=_("PDF, Word, Excel, JPG or PNG, at most 10 MB")
    )
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_internal = forms.BooleanField(
        label=_("Internal (not shown to the enterprise)"), required=False
    )

    def __init__(self, *args: Any, internal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not internal:
            del self.fields["is_internal"]
            self.fields["category"].choices = [
                c for c in DocumentCategory.choices if c[0] != DocumentCategory.MINUTES
            ]


class KeyListForm(ActionForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


BOARD_SHOWS = [
    ("", _("Key projects")),
    ("started", _("Started")),
    ("past_30", _("Past 30%")),
    ("ahead", _("Ahead of plan")),
]


class BoardForm(ActionForm):
    """The board's list and month, its projects of a street or zone, and which of them to show
    (the view answers 400 on errors)."""

    key_list = forms.ModelChoiceField(label=_("Key project list"), queryset=None, required=False)
    month = forms.CharField(
        label=pgettext_lazy("period", "Month"), max_length=6, required=False, help_text=_("YYYYMM")
    )
    # the command centre's links narrow the board to a street or zone: kept hidden, shown as a note
    street = forms.ModelChoiceField(
        label=_("Street"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.HiddenInput,
    )
    show = forms.ChoiceField(
        label=_("Show"), choices=BOARD_SHOWS, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_list"].queryset = selectors.key_lists_for_user(user=user)
        self.fields["street"].queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        self.fields["zone"].queryset = enterprise_selectors.zones_for_user(user=user)

    def narrowed_to(self) -> list[Any]:
        """The street or zone the board is narrowed to (for the note)."""
        d = self.cleaned_data if self.is_valid() else {}
        return [d[name] for name in ("street", "zone") if d.get(name)]

    def project_filters(self) -> dict[str, Any]:
        """The street and zone as the project selectors' filters."""
        d = self.cleaned_data
        found = {
            "street": d["street"].code if d.get("street") else None,
            "zone": d["zone"].code if d.get("zone") else None,
        }
        return {k: v for k, v in found.items() if v}

    def clean_month(self) -> str:
        from django.core.exceptions import ValidationError

        raw = self.cleaned_data.get("month") or str(Period.of(timezone.localdate()))
        try:
            return str(Period.parse(raw))
        except ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None


class MeetingForm(ActionForm):
    """A scheduling meeting and one decision per project of the list (blank rows are skipped)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    date = _date(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    attendees = _text(_("Attendees"))
    minutes = forms.FileField(label=_("Minutes"), required=False)

    def __init__(self, *args: Any, user: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = projects
        departments = core_selectors.department_list_for_user(user=user)
        for p in projects:
            self.fields[f"what_{p.pk}"] = forms.CharField(
                label=pgettext_lazy("meeting", "Decision"),
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"department_{p.pk}"] = forms.ModelChoiceField(
                label=_("Owner department"), queryset=departments, required=False
            )
            self.fields[f"due_{p.pk}"] = _date(_("Due"), required=False)
        bootstrap(self)

    def rows(self) -> list[dict[str, Any]]:
        """The bound fields of each project, for the template."""
        return [
            {
                "project": p,
                "what": self[f"what_{p.pk}"],
                "department": self[f"department_{p.pk}"],
                "due": self[f"due_{p.pk}"],
            }
            for p in self.projects
        ]

    def decisions(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "project": p,
                "what": d.get(f"what_{p.pk}") or "",
                "department": d.get(f"department_{p.pk}"),
                "due": d.get(f"due_{p.pk}"),
            }
            for p in self.projects
            if (d.get(f"what_{p.pk}") or "").strip()
        ]
