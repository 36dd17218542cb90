"""Forms of the public portal: the list filters, the idea form (with its honeypot and, when asked
for, the image CAPTCHA), support, report, the tracking code and withdrawing.

Forms check shape only (lengths, choices, a contact that parses); the services say what the rules
are (limits, the block list, states)."""

from __future__ import annotations

import uuid
from typing import Any

from captcha.fields import CaptchaField
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qifu.core.forms import bootstrap
from qifu.ideas import abuse
from qifu.ideas.models import BODY_MAX, PUBLIC_STATUSES, TITLE_MAX, Status, Topic
from qifu.ideas.selectors import ALL_DISTRICT

NAME_MAX = 30
CONTACT_MAX = 254
REASON_MAX = 200
QUERY_MAX = 100
CODE_MAX = 20
SIMILAR_TEXT_MAX = TITLE_MAX + BODY_MAX + 1


def zone_choices(zones: list[Any]) -> list[tuple[str, Any]]:
    """The district's zones by code, and the whole district (`all`)."""
    return [(z.code, z.name) for z in zones] + [(ALL_DISTRICT, _("Whole district"))]


def _contact(raw: str) -> str:
    """The raw contact, once it parses (the service normalises it again)."""
    try:
        abuse.contact_parse(raw)
    except ValidationError as error:
        raise ValidationError(error.messages) from None
    return raw.strip()


class TextField(forms.CharField):
    """Text from a textarea: the browser sends line breaks as CR LF and counts them as one."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n").replace("\r", "\n")


class IdeaFilterForm(forms.Form):
    """The list's filters. An unknown value is an error (the page answers 400)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the idea")}),
    )
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("All")), *Topic.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + [(v, n) for v, n in Status.choices if v in PUBLIC_STATUSES],
    )

    def __init__(self, *args: Any, zones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field: Any = self.fields["zone"]
        zone_field.choices = [("", _("All")), *zone_choices(zones)]
        bootstrap(self)
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} {css}-sm".strip()

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v}


class IdeaForm(forms.Form):
    """A new idea. `captcha=True` adds the image CAPTCHA (it must then be answered)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "data-counter": TITLE_MAX}),
        help_text=_("At most %(n)s characters.") % {"n": TITLE_MAX},
    )
    body = TextField(
        label=_("Your idea"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 7, "maxlength": BODY_MAX, "data-counter": BODY_MAX}),
        help_text=_("At most %(n)s characters.") % {"n": BODY_MAX},
    )
    zone = forms.ChoiceField(label=_("Which part of the district"), widget=forms.RadioSelect)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("Choose a topic")), *Topic.choices])
    author_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("Optional. Shown with the idea; leave empty to stay anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = forms.CharField(
        label=_("Mobile number or e-mail"),
        max_length=CONTACT_MAX,
        help_text=_("For the answer only. Never published."),
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "off"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my contact details are kept for this purpose."),
        error_messages={
            "required": _("Please agree to how your contact details are kept and used.")
        },
    )
    client_token = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput())
    # the honeypot: hidden from people (and from screen readers); robots fill it in
    website = forms.CharField(
        label=pgettext_lazy("honeypot field", "Website"),
        required=False,
        widget=forms.TextInput(
            attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}
        ),
    )

    def __init__(self, *args: Any, zones: list[Any], captcha: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field: Any = self.fields["zone"]
        zone_field.choices = zone_choices(zones)
        zone_field.error_messages["required"] = _("Choose the part of the district.")
        self.fields["topic"].error_messages["required"] = _("Choose a topic.")
        self.fields["title"].error_messages["required"] = _("Give your idea a title.")
        self.fields["body"].error_messages["required"] = _("Write your idea.")
        self.fields["contact"].error_messages["required"] = _(
            "Give a mobile number or an e-mail address for the answer."
        )
        if captcha:
            self.fields["captcha"] = CaptchaField(
                label=_("Characters in the picture"),
                error_messages={
                    "required": _("Please type the characters in the picture."),
                    "invalid": _("The characters do not match the picture. Try the new one."),
                },
            )
        if not self.is_bound and not self.initial.get("client_token"):
            self.initial["client_token"] = uuid.uuid4().hex
        bootstrap(self)
        for name in ("title", "body"):
            self.fields[name].widget.attrs["aria-describedby"] = f"{name}-count"

    @property
    def has_captcha(self) -> bool:
        return "captcha" in self.fields

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give your idea a title."))
        return title

    def clean_contact(self) -> str:
        return _contact(self.cleaned_data["contact"])

    def clean_zone(self) -> str:
        zone = self.cleaned_data["zone"]
        return "" if zone == ALL_DISTRICT else zone

    def honeypot_filled(self) -> bool:
        return bool((self.data.get(abuse.HONEYPOT_FIELD) or "").strip())


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Mobile number or e-mail"),
        max_length=CONTACT_MAX,
        help_text=_("Only to count one support per person. Not kept, never shown."),
        error_messages={
            "required": _("Give a mobile number or an e-mail address."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_contact(self) -> str:
        return _contact(self.cleaned_data["contact"])


class SupportForm(ContactForm):
    prefix = "support"


class ReportForm(ContactForm):
    prefix = "report"
    reason = TextField(
        label=_("What is wrong with it"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX}),
        error_messages={"required": _("Say what is wrong with it.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].help_text = _("Only to count one report per person. Never shown.")


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=CODE_MAX,
        widget=forms.TextInput(
            attrs={
                "placeholder": "ABCDE-FGH23",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Type the tracking code you were given.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class WithdrawForm(TrackForm):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my idea. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )
