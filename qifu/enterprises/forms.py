from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qifu.core.forms import DateInput, bootstrap
from qifu.enterprises import selectors
from qifu.enterprises.models import Kind, Status
from qifu.enterprises.validators import validate_credit_code, validate_industry_code
from qifu.lib import credit_code, industry
from qifu.lib.xlsx import MAX_UPLOAD_BYTES

_YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class EnterpriseFilterForm(forms.Form):
    search = forms.CharField(label=_("Name or credit code"), required=False, max_length=100)
    street = forms.ChoiceField(label=_("Street"), required=False)
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    section = forms.ChoiceField(label=_("Industry section"), required=False)
    is_above_scale = forms.NullBooleanField(
        label=_("Above scale"), required=False, widget=forms.Select(choices=_YES_NO)
    )
    is_key = forms.NullBooleanField(
        label=_("Key enterprise"), required=False, widget=forms.Select(choices=_YES_NO)
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = list(selectors.streets_for_user(user=user))
        self.fields["street"].choices = [("", _("All"))] + [(s.code, s.name) for s in streets]
        self.fields["zone"].choices = [("", _("All"))] + [
            (z.code, z.name) for z in selectors.zones_for_user(user=user)
        ]
        self.fields["section"].choices = [("", _("All"))] + [
            (letter, f"{letter} {name}") for letter, name in industry.sections()
        ]
        if len(streets) <= 1:  # a street clerk or an enterprise: nothing to choose
            del self.fields["street"]
            del self.fields["zone"]
        bootstrap(self)
        self.fields["search"].widget.attrs["placeholder"] = _("e.g. 天路 or 9137…")

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped and the others still apply."""
        self.is_valid()
        return dict(self.cleaned_data)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=50, required=False
    )
    street = forms.ModelChoiceField(label=_("Street"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    industry_code = forms.CharField(
        label=_("Industry code (GB/T 4754-2017)"),
        max_length=60,
        help_text=_("The four-digit class code, e.g. 2614."),
    )
    registered_capital = forms.DecimalField(
        label=_("Registered capital (10k yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    established_on = forms.DateField(
        label=_("Date established"),
        required=False,
        widget=DateInput(),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.ENTERPRISE)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, initial=Status.OPERATING)
    is_above_scale = forms.BooleanField(label=_("Above scale (规上)"), required=False)
    is_key = forms.BooleanField(label=_("Key enterprise (重点企业)"), required=False)
    park = forms.ModelChoiceField(label=_("Park"), queryset=None, required=False)
    responsible_leader = forms.ModelChoiceField(
        label=_("Responsible leader"), queryset=None, required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with 、 or commas, e.g. 高新技术企业、专精特新."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = selectors.streets_for_user(user=user)
        self.fields["park"].queryset = selectors.parks()
        self.fields["responsible_leader"].queryset = selectors.district_leaders_for_user(user=user)
        bootstrap(self)

    def clean_credit_code(self) -> str:
        code = credit_code.normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_industry_code(self) -> str:
        match = re.match(r"^[A-Ta-t]?(\d{4})", self.cleaned_data["industry_code"].strip())
        code = match.group(1) if match else self.cleaned_data["industry_code"].strip()
        validate_industry_code(code)
        return code

    def clean_tags(self) -> list[str]:
        parts = re.split(r"[、,，;；]+", self.cleaned_data["tags"])
        return [t.strip() for t in parts if t.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_key") and not data.get("responsible_leader"):
            self.add_error("responsible_leader", _("A key enterprise needs a responsible leader."))
        return data

    @classmethod
    def initial_for(cls, enterprise: Any) -> dict[str, Any]:
        initial = {name: getattr(enterprise, name) for name in cls.base_fields if name != "tags"}
        initial["tags"] = "、".join(t.name for t in enterprise.tags.all())
        return initial


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=30,
        required=False,
        regex=r"^[0-9+\-() ]{5,30}$",
        error_messages={"invalid": _("Write a phone number, e.g. 13812341234 or 0532-88886666.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
