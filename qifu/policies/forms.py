"""Forms of the policy pages: list filters, the programme form (criteria as rows or JSON), the
application and its actions, the calculator and notices. Forms check shape only; the services
check the rules (window, duplicates, the checklist, the criteria themselves)."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qifu.core.forms import DateInput, bootstrap
from qifu.core.models import Department, OrgUnit, Zone
from qifu.enterprises import selectors as enterprise_selectors
from qifu.lib import eligibility
from qifu.lib.quarters import Span, SpanError
from qifu.policies import permissions, selectors
from qifu.policies.models import ApplicationStatus, Level, Origin, ProgrammeStatus

VALIDITY = [("", _("All")), ("valid", _("Valid")), ("expired", _("Expired"))]


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


def _departments(user: Any) -> Any:
    return Department.objects.filter(district_id=selectors._district_id(user)).order_by("pk")


def _categories() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in selectors.categories()]


class _Filters(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "department" in self.fields:
            field: Any = self.fields["department"]
            field.queryset = _departments(user)
        if "category" in self.fields:
            self.fields["category"].choices = _all(_categories())  # type: ignore[attr-defined]
        bootstrap(self)

    def value(self, name: str) -> Any:
        return self.cleaned_data.get(name) or ""


class PolicyFilterForm(_Filters):
    level = forms.ChoiceField(label=_("Issuing level"), required=False, choices=_all(Level.choices))
    category = forms.ChoiceField(label=_("Category"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none()
    )
    validity = forms.ChoiceField(label=_("Validity"), required=False, choices=VALIDITY)

    def filters(self) -> selectors.PolicyFilters:
        department = self.cleaned_data.get("department")
        return selectors.PolicyFilters(
            q=self.value("q"),
            level=self.value("level"),
            category=self.value("category"),
            department=department.pk if department else None,
            validity=self.value("validity"),
        )


class ProgrammeFilterForm(_Filters):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(ProgrammeStatus.choices)
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none()
    )
    open_now = forms.BooleanField(label=_("Window open today"), required=False)

    def filters(self, today: Any) -> selectors.ProgrammeFilters:
        department = self.cleaned_data.get("department")
        return selectors.ProgrammeFilters(
            q=self.value("q"),
            status=self.value("status"),
            category=self.value("category"),
            department=department.pk if department else None,
            open_on=today if self.cleaned_data.get("open_now") else None,
        )


def _span(text: Any) -> Span | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return Span.parse(text)
    except SpanError:
        raise ValidationError(
            _("Enter a year (2026) or a quarter (2026Q2)."), code="period"
        ) from None


class ApplicationFilterForm(_Filters):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(ApplicationStatus.choices)
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=_all(Origin.choices))
    period = forms.CharField(
        label=_("Submitted in"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2026Q2"}),
    )
    street = forms.ModelChoiceField(
        label=_("Street"), required=False, queryset=OrgUnit.objects.none(), to_field_name="code"
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"), required=False, queryset=Zone.objects.none(), to_field_name="code"
    )
    live = forms.BooleanField(label=_("Without withdrawn ones"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none()
    )
    programme = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    enterprise = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        street: Any = self.fields["street"]
        street.queryset = enterprise_selectors.streets_for_user(user=user).order_by(
            "sort_order", "code"
        )
        zone: Any = self.fields["zone"]
        zone.queryset = enterprise_selectors.zones_for_user(user=user)

    def clean_period(self) -> Span | None:
        return _span(self.cleaned_data.get("period"))

    def filters(self) -> selectors.ApplicationFilters:
        street = self.cleaned_data.get("street")
        zone = self.cleaned_data.get("zone")
        return selectors.ApplicationFilters(
            q=self.value("q"),
            status=self.value("status"),
            origin=self.value("origin"),
            programme=self.cleaned_data.get("programme"),
            enterprise=self.cleaned_data.get("enterprise"),
            period=self.cleaned_data.get("period"),
            street=street.code if street else "",
            zone=zone.code if zone else "",
            live=bool(self.cleaned_data.get("live")),
            department=self.cleaned_data["department"].pk
            if self.cleaned_data.get("department")
            else None,
        )


class FiguresFilterForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=10,
        help_text=_("A year (2026) or a quarter (2026Q2); empty: all."),
        widget=forms.TextInput(attrs={"placeholder": "2026Q2"}),
    )
    programme = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_period(self) -> Span | None:
        return _span(self.cleaned_data.get("period"))


# --- programmes -----------------------------------------------------------------------------------

FIELD_CHOICES = [(f, f) for f in eligibility.FIELDS]
OP_CHOICES = [
    (op, op) for op in ("in", "is", "has_any", "has_all", *eligibility.NUMBER_OPS)
]  # the service says which fits which field


class ProgrammeForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("Policy"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Title"), max_length=200)
    window_opens = forms.DateField(label=_("Applications open"), widget=DateInput)
    window_closes = forms.DateField(label=_("Applications close"), widget=DateInput)
    support_amount = forms.DecimalField(
        label=_("Support up to (10k yuan)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    support_text = forms.CharField(label=_("Support"), required=False, max_length=500)
    materials = forms.CharField(
        label=_("Materials checklist (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    no_application = forms.BooleanField(label=_("No application needed (免申即享)"), required=False)
    department = forms.ModelChoiceField(label=_("Responsible department"), queryset=None)  # type: ignore[arg-type]
    combine = forms.ChoiceField(
        label=_("Combine the conditions"),
        choices=[("all", _("All must hold")), ("any", _("Any one holds"))],
        required=False,
    )
    criteria_json = forms.CharField(
        label=_("Criteria as JSON (replaces the rows when filled)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control font-monospace"}),
    )

    ROWS = 8

    def __init__(self, *args: Any, user: Any, programme: Any = None, **kwargs: Any) -> None:
        initial = kwargs.pop("initial", None) or {}
        if programme is not None:
            initial = {
                "policy": programme.policy_id,
                "title": programme.title,
                "window_opens": programme.window_opens,
                "window_closes": programme.window_closes,
                "support_amount": programme.support_amount,
                "support_text": programme.support_text,
                "materials": "\n".join(programme.materials),
                "no_application": programme.no_application,
                "department": programme.department_id,
                "combine": (programme.criteria or {}).get("combine", "all"),
            }
            for i, c in enumerate((programme.criteria or {}).get("conditions", [])[: self.ROWS]):
                value = c.get("value")
                initial[f"c{i}_field"] = c.get("field")
                initial[f"c{i}_op"] = c.get("op")
                initial[f"c{i}_value"] = (
                    "、".join(value) if isinstance(value, list) else json.dumps(value)
                )
        super().__init__(*args, initial=initial, **kwargs)
        policy_field: Any = self.fields["policy"]
        policy_field.queryset = selectors.policies_for_user(user=user).order_by("-issued_on")
        department_field: Any = self.fields["department"]
        departments = _departments(user)
        if user.role != "district_leader" and getattr(user, "department_id", None):
            departments = departments.filter(pk=user.department_id)
        department_field.queryset = departments
        for i in range(self.ROWS):
            self.fields[f"c{i}_field"] = forms.ChoiceField(
                required=False, choices=[("", "—"), *FIELD_CHOICES]
            )
            self.fields[f"c{i}_op"] = forms.ChoiceField(
                required=False, choices=[("", "—"), *OP_CHOICES]
            )
            self.fields[f"c{i}_value"] = forms.CharField(required=False, max_length=500)
        bootstrap(self)
        self.can_manage = permissions.can_manage(user)

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"c{i}_field"], self[f"c{i}_op"], self[f"c{i}_value"]) for i in range(8)]

    @staticmethod
    def _value(field: str, text: str) -> Any:
        text = text.strip()
        if field in eligibility.FLAG_FIELDS:
            return text.lower() not in ("false", "0", "no", "否", "不是")
        if field in eligibility.NUMBER_FIELDS:
            return text
        return [v.strip() for v in text.replace(",", "、").replace("，", "、").split("、") if v]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = (data.get("criteria_json") or "").strip()
        if raw:
            try:
                criteria = json.loads(raw)
            except ValueError:
                raise ValidationError({"criteria_json": _("This is not valid JSON.")}) from None
        else:
            conditions = []
            for i in range(self.ROWS):
                field = data.get(f"c{i}_field")
                if not field:
                    continue
                conditions.append(
                    {
                        "field": field,
                        "op": data.get(f"c{i}_op") or "",
                        "value": self._value(field, data.get(f"c{i}_value") or ""),
                    }
                )
            criteria = (
                {"combine": data.get("combine") or "all", "conditions": conditions}
                if conditions
                else {}
            )
        data["criteria"] = criteria
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "policy": data["policy"],
            "title": data["title"],
            "window_opens": data["window_opens"],
            "window_closes": data["window_closes"],
            "support_amount": data.get("support_amount"),
            "support_text": data.get("support_text") or "",
            "materials": [m for m in (data.get("materials") or "").splitlines() if m.strip()],
            "no_application": bool(data.get("no_application")),
            "department": data["department"],
            "criteria": data["criteria"],
        }


def _token() -> str:
    return uuid.uuid4().hex


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    materials = forms.MultipleChoiceField(
        label=_("Materials ready"), required=False, widget=forms.CheckboxSelectMultiple
    )
    client_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_token": _token()})
        super().__init__(*args, **kwargs)
        materials: Any = self.fields["materials"]
        materials.choices = [(m, m) for m in programme.materials]
        bootstrap(self)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Review"),
        choices=[("1", _("Passed: materials complete")), ("0", _("Return for completion"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    materials_checked = forms.MultipleChoiceField(
        label=_("Materials checked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, application: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["materials_checked"]
        field.choices = [(m, m) for m in application.programme.materials]
        bootstrap(self)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ResultForm(NoteForm):
    approved = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("1", _("Approved")), ("0", _("Rejected"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Amount approved (10k yuan)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )


class FundsForm(NoteForm):
    amount = forms.DecimalField(
        label=_("Funds received (10k yuan)"), min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    on = forms.DateField(label=_("Received on"), widget=DateInput)


# --- calculator and notices -----------------------------------------------------------------------


class CalculatorForm(forms.Form):
    enterprise = forms.IntegerField(label=_("Enterprise"), required=False, min_value=1)
    industry_code = forms.CharField(label=_("Industry code"), required=False, max_length=10)
    street = forms.CharField(label=_("Street code"), required=False, max_length=20)
    above_scale = forms.BooleanField(label=_("Above scale"), required=False)
    key = forms.BooleanField(label=_("Key enterprise"), required=False)
    tags = forms.CharField(label=_("Tags (separated by 、)"), required=False, max_length=300)
    registered_capital = forms.DecimalField(
        label=_("Registered capital (10k yuan)"), required=False, min_value=Decimal(0)
    )
    years_established = forms.IntegerField(
        label=_("Years since establishment"), required=False, min_value=0, max_value=200
    )
    revenue_last_year = forms.DecimalField(
        label=_("Last year's revenue (10k yuan)"), required=False, min_value=Decimal(0)
    )
    employees = forms.IntegerField(label=_("Employees"), required=False, min_value=0)
    growth = forms.DecimalField(label=_("Revenue growth (%)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


TARGETS = [
    ("eligible", _("The programme's eligible enterprises")),
    ("filters", _("By street, industry, tags")),
]


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    programme = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    eligible = forms.BooleanField(label=_("The programme's eligible enterprises"), required=False)
    streets = forms.MultipleChoiceField(
        label=_("Streets"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.CharField(
        label=_("Industries (section letters or code prefixes, separated by 、)"),
        required=False,
        max_length=200,
    )
    tags = forms.CharField(label=_("Tags (separated by 、)"), required=False, max_length=300)
    key = forms.BooleanField(label=_("Key enterprises"), required=False)
    above_scale = forms.BooleanField(label=_("Above-scale enterprises"), required=False)
    sms = forms.BooleanField(label=_("Also by SMS and e-mail"), required=False)
    client_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"client_token": _token()})
        super().__init__(*args, **kwargs)
        names = selectors.code_names(district_id=permissions.district_id(user))
        streets: Any = self.fields["streets"]
        streets.choices = sorted(names["street"].items())
        bootstrap(self)

    @staticmethod
    def _split(text: str) -> list[str]:
        return [
            v.strip() for v in text.replace(",", "、").replace("，", "、").split("、") if v.strip()
        ]

    def target(self) -> dict[str, Any]:
        data = self.cleaned_data
        target: dict[str, Any] = {}
        if data.get("eligible"):
            target["eligible"] = True
        if data.get("streets"):
            target["streets"] = list(data["streets"])
        for key in ("industries", "tags"):
            values = self._split(data.get(key) or "")
            if values:
                target[key] = values
        for key in ("key", "above_scale"):
            if data.get(key):
                target[key] = True
        return target
