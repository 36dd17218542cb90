from django import forms
from django.utils.translation import gettext_lazy as _

from qifu.core.forms import DateInput


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    q = forms.CharField(label=_("Object or IP"), required=False, max_length=100)
    success = forms.NullBooleanField(
        label=_("Result"),
        required=False,
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Succeeded")), ("false", _("Failed"))]
        ),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def filters(self) -> dict:
        """The valid filters; an invalid one is dropped and the others still apply."""
        self.is_valid()
        return dict(self.cleaned_data)
