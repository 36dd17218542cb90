"""Forms of investment promotion: filters of the lists, the records' forms and the actions'.

Forms check shape only; the services check rules across objects and states. The record forms are
ModelForms for their fields and labels, but do not validate or save the instance themselves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qifu.core.forms import DateInput, bootstrap
from qifu.investment import selectors, services
from qifu.investment.models import (
    Channel,
    ChannelContact,
    ChannelKind,
    FollowUpMethod,
    LandUse,
    Lead,
    LeadStatus,
    Resource,
    ResourceKind,
    ResourceStatus,
)


def _choices(choices: Any, label: Any = None) -> list[tuple[str, Any]]:
    return [("", label or _("All")), *choices]


class FilterForm(forms.Form):
    """A list's filters: `filters()` gives the cleaned values (the view answers 400 on errors)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False
        bootstrap(self)

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    def error_text(self) -> str:
        return "；".join(
            f"{self.fields[name].label if name in self.fields else ''}：{message}"
            for name, messages in self.errors.items()
            for message in messages
        )


class LeadFilterForm(FilterForm):
    search = forms.CharField(label=_("Search"), max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=_choices(LeadStatus.choices))
    channel = forms.ModelChoiceField(label=_("Source channel"), queryset=Channel.objects.none())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Lead.objects.none())
    land_use = forms.ChoiceField(label=_("Use"), choices=_choices(LandUse.choices))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = selectors.channels_for_user(user=user)
        self.fields["owner"].queryset = selectors.owners_for_user(user=user)


class ResourceFilterForm(FilterForm):
    search = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(ResourceKind.choices))
    status = forms.ChoiceField(label=_("Status"), choices=_choices(ResourceStatus.choices))
    street = forms.ModelChoiceField(label=_("Street"), queryset=Resource.objects.none())
    land_use = forms.ChoiceField(label=_("Use"), choices=_choices(LandUse.choices))
    min_area = forms.DecimalField(
        label=_("Area from"), min_value=0, max_digits=12, decimal_places=2
    )
    max_area = forms.DecimalField(label=_("Area to"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = selectors.streets_for_user(user=user)
        self.fields["min_area"].help_text = _("mu for land, m² otherwise")


class ChannelFilterForm(FilterForm):
    search = forms.CharField(label=_("Search"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(ChannelKind.choices))


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose instance is validated and saved by a service, not by the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def _post_clean(self) -> None:
        return None


class LeadForm(ServiceModelForm):
    class Meta:
        model = Lead
        fields = services.LEAD_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_street"].queryset = selectors.streets_for_user(user=user)
        self.fields["channel"].queryset = selectors.channels_for_user(user=user).filter(
            is_active=True
        ) | selectors.channels_for_user(user=user).filter(pk=self.instance.channel_id or 0)
        self.fields["owner"].queryset = selectors.owners_for_user(user=user)


class ResourceForm(ServiceModelForm):
    class Meta:
        model = Resource
        fields = services.RESOURCE_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = selectors.streets_for_user(user=user)


class ChannelForm(ServiceModelForm):
    class Meta:
        model = Channel
        fields = services.CHANNEL_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContactForm(ServiceModelForm):
    class Meta:
        model = ChannelContact
        fields = services.CONTACT_FIELDS


class ActionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ContactLogForm(ActionForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    contact = forms.ModelChoiceField(
        label=_("Contact person"), queryset=ChannelContact.objects.none(), required=False
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, channel: Channel, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = ChannelContact.objects.filter(channel=channel)


class FollowUpForm(ActionForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=FollowUpMethod.choices)
    note = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DropForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ConvertForm(ActionForm):
    project = forms.IntegerField(
        label=_("Project number"), min_value=1, help_text=_("The project the lead became.")
    )


class ReserveForm(ActionForm):
    project_ref = forms.IntegerField(label=_("Project number"), min_value=1, required=False)
    lead = forms.ModelChoiceField(label=_("Lead"), queryset=Lead.objects.none(), required=False)
    until = forms.DateField(label=_("Reserved until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = selectors.open_leads_for_user(user=user)


class TakeForm(ActionForm):
    project_ref = forms.IntegerField(label=_("Project number"), min_value=1, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
