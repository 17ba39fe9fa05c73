from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.forms import InputBoundsMixin

from ..models.questionnaire import (
    IMPORTANCE_FIELDS,
    READINESS_FIELDS,
    SATISFACTION_FIELDS,
    Area,
    QuestionnaireWave,
    WaveKind,
)
from ..selectors.questionnaire import READINESS_LABELS

SCALE_CHOICES = [(value, str(value)) for value in range(1, 6)]
NOT_STATED = ""


class WaveCreateForm(InputBoundsMixin, forms.ModelForm):
    class Meta:
        model = QuestionnaireWave
        fields = ["kind", "planned_start", "planned_end", "note"]
        widgets = {
            "planned_start": forms.DateInput(attrs={"type": "date"}),
            "planned_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, existing_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label) for value, label in WaveKind.choices if value not in existing_kinds
        ]


class WaveTransitionForm(InputBoundsMixin, forms.Form):
    target = forms.CharField()
    note = forms.CharField(required=False, max_length=200)


def _scale(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer from 1 to 5.")},
    )


class QuestionnaireAnswerForm(InputBoundsMixin, forms.Form):
    """The colleague's answers. Section is optional; every scale question needs an answer."""

    section = forms.ChoiceField(label=_("Your section"), required=False)
    comment = forms.CharField(
        label=_("Anything else you would like to tell us (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write names or anything that identifies a person."),
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = {str(section.pk): section for section in sections}
        self.fields["section"].choices = [(NOT_STATED, _("Prefer not to say"))] + [
            (str(section.pk), section.name) for section in sections
        ]
        for area, name in zip(Area, SATISFACTION_FIELDS, strict=True):
            self.fields[name] = _scale(area.label)
        for area, name in zip(Area, IMPORTANCE_FIELDS, strict=True):
            self.fields[name] = _scale(area.label)
        for name in READINESS_FIELDS:
            self.fields[name] = _scale(READINESS_LABELS[name])

    def satisfaction_fields(self):
        return [self[name] for name in SATISFACTION_FIELDS]

    def importance_fields(self):
        return [self[name] for name in IMPORTANCE_FIELDS]

    def readiness_fields(self):
        return [self[name] for name in READINESS_FIELDS]

    def answers(self) -> dict[str, int]:
        names = SATISFACTION_FIELDS + IMPORTANCE_FIELDS + READINESS_FIELDS
        return {name: self.cleaned_data[name] for name in names}

    def chosen_section(self):
        return self.sections.get(self.cleaned_data.get("section") or NOT_STATED)


class KioskStartForm(InputBoundsMixin, forms.Form):
    """The optional PIN the clerk may use instead of their password to leave the kiosk."""

    pin = forms.RegexField(
        label=_("PIN for ending the kiosk (optional)"),
        regex=r"^\d{4,8}$",
        required=False,
        error_messages={"invalid": _("Enter a PIN of 4 to 8 digits, or leave it empty.")},
        help_text=_(
            "4 to 8 digits. Without a PIN, the kiosk is ended with your password. "
            "After 5 wrong entries (PIN or password) the kiosk cannot be ended for a while."
        ),
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "new-password", "maxlength": 8}
        ),
    )


class KioskExitForm(InputBoundsMixin, forms.Form):
    secret = forms.CharField(
        label=_("Password or PIN of the clerk"),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Enter the password or the PIN.")},
    )
