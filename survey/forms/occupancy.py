import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import InputBoundsMixin
from engagements.models import Organisation

from ..models import Desk, SectionStaffing
from ..models.occupancy import DEFAULT_DAYS, DEFAULT_ROUND_TIMES, DeskState, OccupancyStudy


def study_section_choices(engagement):
    """The sections that have desks or a headcount in the engagement's survey."""
    ids = set(
        Desk.objects.filter(engagement=engagement, section__isnull=False)
        .values_list("section", flat=True)
    ) | set(SectionStaffing.objects.filter(engagement=engagement).values_list("section", flat=True))
    return Organisation.objects.filter(pk__in=ids)


class StudyForm(InputBoundsMixin, VersionFormMixin, forms.ModelForm):
    class Meta:
        model = OccupancyStudy
        fields = [
            "name", "sections", "margin_percent", "core_hours_only", "core_start", "core_end",
            "notes",
        ]
        widgets = {
            "core_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "core_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "sections": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, engagement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = study_section_choices(engagement)


class RoundGenerateForm(InputBoundsMixin, forms.Form):
    """Dates × times of the rounds: by default hourly 8:30–17:30 on 5 working days."""

    start_date = forms.DateField(
        label=_("first day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(
        label=_("working days"), min_value=1, max_value=20, initial=DEFAULT_DAYS,
        help_text=_(
            "Saturdays, Sundays, public holidays and the year-end closure (29 December to "
            "3 January) are skipped."
        ),
    )
    first_time = forms.TimeField(
        label=_("first round"), initial=DEFAULT_ROUND_TIMES[0],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    last_time = forms.TimeField(
        label=_("last round"), initial=DEFAULT_ROUND_TIMES[-1],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    interval_minutes = forms.IntegerField(
        label=_("interval (minutes)"), min_value=10, max_value=240, initial=60
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_time"), data.get("last_time")
        if isinstance(first, dt.time) and isinstance(last, dt.time) and last < first:
            self.add_error("last_time", _("The last round cannot be before the first."))
        return data


class StateChoiceField(forms.ChoiceField):
    """A desk's state: the choices are normalised once for the whole round form (a study of
    2,250 desks has as many fields; normalising each field's choices took a third of the page)."""

    @forms.ChoiceField.choices.setter
    def choices(self, value):
        # Already a normalised list of (value, label): the widget's own setter would
        # normalise it again for every desk.
        self._choices = self.widget._choices = value


class RoundRecordForm(InputBoundsMixin, forms.Form):
    """One choice per desk (``desk_<pk>``); an empty choice leaves the desk unrecorded."""

    def __init__(self, *args, desks=(), states=None, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        states = states or {}
        self.desks = list(desks)
        # The versions of the desks' observations as the page showed them ("pk:version,…"),
        # so a save from a stale page is refused (``occupancy_round_record``).
        self.fields["versions"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=200_000,
            initial=",".join(f"{pk}:{v}" for pk, v in sorted((versions or {}).items())),
        )
        # Plain strings, translated once: at city scale the form has hundreds of fields.
        choices = [("", str(_("Not recorded")))] + [(v, str(label)) for v, label in
                                                     DeskState.choices]
        invalid = {"invalid_choice": _("Choose one of the states.")}
        for desk in self.desks:
            self.fields[f"desk_{desk.pk}"] = StateChoiceField(
                label=desk.number, choices=choices, required=False,
                initial=states.get(desk.pk, ""),
                error_messages=invalid,
            )

    def rows(self):
        return [(desk, self[f"desk_{desk.pk}"]) for desk in self.desks]

    def clean_versions(self) -> dict[int, int] | None:
        text = self.cleaned_data.get("versions") or ""
        if not text:
            return None if "versions" not in self.data else {}
        try:
            pairs = (part.split(":") for part in text.split(","))
            return {int(pk): int(version) for pk, version in pairs}
        except ValueError as exc:
            raise forms.ValidationError(_("The form was damaged; reload the page.")) from exc

    def states(self) -> dict[int, str]:
        return {
            desk.pk: self.cleaned_data[f"desk_{desk.pk}"]
            for desk in self.desks
            if self.cleaned_data.get(f"desk_{desk.pk}")
        }
