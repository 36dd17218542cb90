"""Forms of the staff pages of the ideas portal: the list filters, the statistics period and one
form per action on an idea.

Forms check shape only (types, lengths, dates, a choice of the district). What an action needs
(a reason, a plan and its date, a published target) is the services' to say, so that the pages
and the API answer the same way. Each action form has its own element ids (`id_<action>_<field>`)
because the detail page shows several at once, while the posted names stay plain (`reason`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qifu.core.forms import DateInput, bootstrap
from qifu.core.models import Department, OrgUnit
from qifu.ideas import selectors
from qifu.ideas.models import BODY_MAX, TITLE_MAX, Outcome, Status, Topic

# The queues of the staff list (selectors.idea_list_for_user's `queue`); "" is every idea.
QUEUES = [
    ("review", pgettext_lazy("ideas queue", "Awaiting review")),
    ("reports", pgettext_lazy("ideas queue", "Reported or hidden")),
    ("approval", pgettext_lazy("ideas queue", "Answers to approve")),
    ("evaluating", pgettext_lazy("ideas queue", "Under evaluation")),
    ("", pgettext_lazy("ideas queue", "All")),
]


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _text(label: Any, *, max_length: int, rows: int = 2, needed: bool = False) -> forms.CharField:
    """A text area; `needed` marks it required in the browser, the service says why."""
    attrs: dict[str, Any] = {"rows": rows}
    if needed:
        attrs["required"] = True
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.Textarea(attrs=attrs)
    )


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- the list and the statistics --------------------------------------------------------------


class StaffFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("Queue"), required=False, choices=QUEUES, widget=forms.HiddenInput
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_all(Status.choices))
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=_all(Topic.choices))
    department = DepartmentField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_("All"),
    )
    submitted_from = forms.DateField(label=_("Submitted from"), required=False, widget=DateInput)
    submitted_to = forms.DateField(label=_("Submitted to"), required=False, widget=DateInput)
    # shown when given (the command centre's links): answered or decided on these days
    answered_from = forms.DateField(label=_("Answered from"), required=False, widget=DateInput)
    answered_to = forms.DateField(label=_("Answered to"), required=False, widget=DateInput)
    decided_from = forms.DateField(label=_("Decided from"), required=False, widget=DateInput)
    decided_to = forms.DateField(label=_("Decided to"), required=False, widget=DateInput)

    DATES = tuple(name for pair in selectors.DATE_FILTERS for name in pair)

    def __init__(self, *args: Any, district: OrgUnit | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = selectors.zones(district) if district is not None else []
        self.fields["zone"].choices = [
            *_all([(z.code, z.name) for z in zones]),
            (selectors.ALL_DISTRICT, _("Whole district")),
        ]
        if district is not None:
            field: Any = self.fields["department"]
            field.queryset = selectors.departments(district)
        bootstrap(self)

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        department = data.get("department")
        return {
            "queue": data.get("queue") or "",
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "zone": data.get("zone") or "",
            "topic": data.get("topic") or "",
            "department": department.pk if department else None,
            **{name: data.get(name) for name in self.DATES},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for first, last in selectors.DATE_FILTERS:
            if data.get(first) and data.get(last) and data[first] > data[last]:
                self.add_error(last, _("The end date is before the start date."))
        return data

    def extra_dates(self) -> list[Any]:
        """The answered and decided date fields that are given (shown only then)."""
        return [self[name] for name in self.DATES[2:] if self.data.get(name)]


class StatsFilterForm(forms.Form):
    since = forms.DateField(label=_("Submitted since"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


# --- the actions on an idea ---------------------------------------------------------------------


class ActionForm(forms.Form):
    """The base of the action forms: unique element ids, Bootstrap classes."""

    slug = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.slug.replace('-', '_')}_%s")
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PublishForm(ActionForm):
    slug = "publish"


class RejectForm(ActionForm):
    slug = "reject"
    reason = _text(_("Reason (sent to the author)"), max_length=500, needed=True)


class AssignForm(ActionForm):
    slug = "assign"
    department = DepartmentField(label=_("Department"), queryset=Department.objects.none())
    note = _text(_("Note to the department"), max_length=500)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = departments


class AnswerForm(ActionForm):
    slug = "answer"
    text = _text(_("Answer"), max_length=BODY_MAX, rows=4, needed=True)
    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=Outcome.choices)
    plan = _text(_("What will be done (if adopted)"), max_length=BODY_MAX)
    due_on = forms.DateField(
        label=_("To be done by (if adopted)"), required=False, widget=DateInput
    )


class ApproveAnswerForm(ActionForm):
    slug = "approve-answer"


class ReturnAnswerForm(ActionForm):
    slug = "return-answer"
    note = _text(_("What to change"), max_length=500, needed=True)


class AdoptForm(ActionForm):
    slug = "adopt"
    plan = _text(_("What will be done"), max_length=BODY_MAX, rows=3, needed=True)
    due_on = forms.DateField(label=_("To be done by"), required=False, widget=DateInput)
    text = _text(
        _("Answer (optional; the plan is published otherwise)"), max_length=BODY_MAX, rows=3
    )


class DeclineForm(ActionForm):
    slug = "decline"
    reason = _text(_("Reason (published as the answer)"), max_length=BODY_MAX, rows=3, needed=True)


class DuplicateForm(ActionForm):
    slug = "mark-duplicate"
    target = forms.IntegerField(
        label=_("Number of the idea it repeats"),
        min_value=1,
        widget=forms.NumberInput(attrs={"list": "duplicate-candidates", "inputmode": "numeric"}),
    )
    note = _text(_("Note"), max_length=500)


class HideForm(ActionForm):
    slug = "hide"
    reason = _text(_("Reason for hiding"), max_length=200, needed=True)


class RestoreForm(ActionForm):
    slug = "restore"
    note = _text(_("Note"), max_length=500)


class EditForm(ActionForm):
    slug = "edit"
    title = forms.CharField(label=_("Title"), required=False, max_length=TITLE_MAX)
    body = _text(_("Idea"), max_length=BODY_MAX, rows=6, needed=True)
    note = forms.CharField(label=_("Reason for the edit"), required=False, max_length=200)


class ProgressForm(ActionForm):
    slug = "progress"
    text = _text(_("What was done"), max_length=BODY_MAX, rows=3, needed=True)
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput)
    done = forms.BooleanField(label=_("Completed"), required=False)


class BlockForm(ActionForm):
    slug = "block"
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    until = forms.DateField(
        label=_("Blocked until (empty: no end)"), required=False, widget=DateInput
    )
    network = forms.BooleanField(label=_("Also block the network address"), required=False)
