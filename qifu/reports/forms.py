"""Forms of the report pages: the list filters, the report's own form, the drafting form and the
attachments. Forms check shape; the services check scope and state."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qifu.core.forms import bootstrap
from qifu.core.models import OrgUnit
from qifu.lib.quarters import Span, SpanError
from qifu.reports import selectors
from qifu.reports.drafting import DRAFTABLE
from qifu.reports.models import ReportKind, ReportStatus


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _span(value: str, *, required: bool) -> Span | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise forms.ValidationError(_("Enter a quarter like 2026Q4 or a year like 2026."))
        return None
    try:
        return Span.parse(value)
    except SpanError:
        raise forms.ValidationError(_("Enter a quarter like 2026Q4 or a year like 2026.")) from None


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class FilterForm(_Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=_all(ReportStatus.choices), required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=_all(ReportKind.choices), required=False)
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026Q4"}),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Scope"), queryset=None, to_field_name="code", required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = selectors.units_for_user(user=user)

    def clean_period(self) -> Span | None:
        return _span(self.cleaned_data.get("period", ""), required=False)

    def filters(self) -> selectors.ReportFilters:
        d = self.cleaned_data
        return selectors.ReportFilters(
            q=d.get("q") or "",
            status=d.get("status") or "",
            kind=d.get("kind") or "",
            period=d.get("period"),
            org_unit=d.get("org_unit"),
        )

    def error_text(self) -> str:
        return "；".join(
            f"{self.fields[name].label if name in self.fields else ''}：{message}"
            for name, messages in self.errors.items()
            for message in messages
        )


class ReportForm(_Form):
    """A report's text and metadata; also the blank report of /reports/new/."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    org_unit = forms.ModelChoiceField(label=_("Scope"), queryset=None, to_field_name="code")
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A quarter like 2026Q4, or a year like 2026."),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Officials of the district who write the report."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Body"),
        max_length=100000,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "form-control font-monospace"}),
        help_text=_(
            "Markdown: # and ## for headings, > for quotes, - for lists, | for tables. "
            "HTML is shown as text."
        ),
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, user: Any, report: Any = None, **kwargs: Any) -> None:
        if report is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": report.title,
                    "kind": report.kind,
                    "org_unit": report.org_unit.code,
                    "period": report.period,
                    "authors": [a.pk for a in report.authors.all()],
                    "summary": report.summary,
                    "body": report.body,
                },
            )
        super().__init__(*args, **kwargs)
        units = selectors.units_for_user(user=user)
        officials = selectors.officials_for_user(user=user)
        if report is not None:
            # an author from a street keeps the report's own unit, and its district's officials
            units = OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=report.org_unit_id))
            district = selectors.district_of(report.org_unit)
            if district is not None:
                officials = selectors.officials_of(district=district)
            del self.fields["client_token"]
        else:
            self.initial.setdefault("client_token", uuid.uuid4().hex)
            self.initial.setdefault("authors", [user.pk])
            if user.org_unit is not None:
                self.initial.setdefault("org_unit", user.org_unit.code)
        self.fields["org_unit"].queryset = units.order_by("path")
        self.fields["authors"].queryset = officials
        self.fields["authors"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.org_unit.name if u.org_unit else ''}）"
        )

    def clean_period(self) -> str:
        return str(_span(self.cleaned_data.get("period", ""), required=True))

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d.pop("client_token", None)
        d["authors"] = list(d.get("authors") or [])
        return d


class UnitField(forms.ModelChoiceField):
    """Offers the units in the user's scope and accepts any district or street by its code, so
    that one outside the scope is answered 404 by the service, as in the API."""

    def to_python(self, value: Any) -> OrgUnit | None:
        if value in self.empty_values:
            return None
        unit = OrgUnit.objects.filter(code=str(value), level__in=selectors.REPORT_LEVELS).first()
        if unit is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return unit


class DraftForm(_Form):
    """Draft a report from the data: period, scope and kind."""

    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A quarter like 2026Q4, or a year like 2026."),
    )
    org_unit = UnitField(label=_("Scope"), queryset=None, to_field_name="code")
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in ReportKind if k in DRAFTABLE],
        widget=forms.RadioSelect,
    )
    client_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = selectors.units_for_user(user=user)
        self.initial.setdefault("client_token", uuid.uuid4().hex)
        self.initial.setdefault("kind", ReportKind.PROBLEMS)
        if user.org_unit is not None:
            self.initial.setdefault("org_unit", user.org_unit.code)

    def clean_period(self) -> str:
        return str(_span(self.cleaned_data.get("period", ""), required=True))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachForm(_Form):
    files = forms.FileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(),
        help_text=_("PDF, JPG, PNG, Word or Excel, at most 10 MB each."),
    )

    def uploads(self, files: Any) -> list[Any]:
        return [f for f in files.getlist("files") if f]
