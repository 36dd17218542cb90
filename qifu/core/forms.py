"""Form helpers shared by every module."""

from __future__ import annotations

from django import forms


def bootstrap(form: forms.Form) -> None:
    """Give each widget Bootstrap's class (form-control, form-select, form-check-input)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.NullBooleanSelect):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
