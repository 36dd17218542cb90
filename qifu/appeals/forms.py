from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qifu.appeals import selectors
from qifu.appeals.models import Channel, Fulfilment, Kind, Satisfaction, Status
from qifu.core.forms import DateInput, bootstrap

_YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class HiddenDateInput(forms.DateInput):
    """A date carried in a hidden field, as YYYY-MM-DD whatever the language."""

    input_type = "hidden"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.PORTAL]
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        help_text=_("A problem is analysed (问题→分析); a demand is met (需求→满足)."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, to_field_name="code")
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, JPG, PNG, Word or Excel, at most 10 MB each."),
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, user: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories()
        if user.role == "enterprise_user":
            del self.fields["enterprise"]
            del self.fields["channel"]
        else:
            self.fields["enterprise"].queryset = enterprises
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4().hex)
        bootstrap(self)


class AppealFilterForm(forms.Form):
    search = forms.CharField(label=_("Number, title or enterprise"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    overdue = forms.NullBooleanField(
        label=_("Overdue"), required=False, widget=forms.Select(choices=_YES_NO)
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    # Filters a link brings (the command centre's figures, the inboxes), kept in hidden fields so
    # that refining the list keeps them; "Clear" drops them.
    street = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput())
    zone = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput())
    open = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput())
    closed_from = forms.DateField(required=False, widget=HiddenDateInput())
    closed_to = forms.DateField(required=False, widget=HiddenDateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + [
            (c.code, c.name) for c in selectors.categories()
        ]
        bootstrap(self)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = dict(self.cleaned_data)
        for key in ("department", "street", "enterprise", "supervised", "flagged", "open"):
            if self.data.get(key):
                data[key] = self.data.get(key)
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None)
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["co_departments"].queryset = departments
        bootstrap(self)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    cause = forms.CharField(
        label=_("Cause analysis (问题性质/原因分析)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fulfilment = forms.ChoiceField(
        label=_("How it was met"), required=False, choices=[("", "—"), *Fulfilment.choices]
    )
    met = forms.NullBooleanField(
        label=_("Demand met"),
        required=False,
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == Kind.PROBLEM:
            del self.fields["fulfilment"]
            del self.fields["met"]
        else:
            del self.fields["cause"]
        bootstrap(self)


class ExtendRequestForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=30)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ExtendDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "true",
        choices=[("true", _("Approve")), ("false", _("Refuse"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DuplicateForm(forms.Form):
    target = forms.CharField(label=_("Number of the appeal it duplicates"), max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["target"].widget.attrs["placeholder"] = "SQ-202611-0001"


class CauseForm(forms.Form):
    cause = forms.CharField(
        label=_("Cause analysis (问题性质/原因分析)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StatsFilterForm(forms.Form):
    group = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[
            ("category", _("Category")),
            ("department", _("Department")),
            ("street", _("Street")),
            ("channel", _("Channel")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    # a street or a zone (codes) a link brings, e.g. from the command centre
    street = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput())
    zone = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        return dict(self.cleaned_data)
