from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import BootstrapWidgetsMixin
from engagements.models import Engagement, Organisation

from .models import VersionStatus


class ReportSettingsForm(VersionFormMixin, BootstrapWidgetsMixin, forms.ModelForm):
    """The report's cover, its scope, and which studies count as before and after."""

    scope_sections = forms.ModelMultipleChoiceField(
        label=_("Scope (sections)"), queryset=Organisation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The sections whose desks the commission covers. Empty: the site section."),
    )

    class Meta:
        model = Engagement
        fields = ["addressee", "subtitle", "contractor_address", "baseline_study",
                  "followup_study", "baseline_wave", "followup_wave"]

    def __init__(self, *args, **kwargs):
        from survey.models import OccupancyStudy
        from survey.models.questionnaire import QuestionnaireWave
        from survey.selectors import sections_for

        super().__init__(*args, **kwargs)
        engagement = self.instance
        self.fields["scope_sections"].queryset = sections_for(engagement)
        self.fields["scope_sections"].initial = list(engagement.scope_sections.all())
        self.fields["scope_sections"].widget.attrs.pop("class", None)
        studies = OccupancyStudy.objects.filter(engagement=engagement)
        waves = QuestionnaireWave.objects.filter(engagement=engagement)
        for name in ("baseline_study", "followup_study"):
            self.fields[name].queryset = studies
            self.fields[name].empty_label = _("(none)")
        for name in ("baseline_wave", "followup_wave"):
            self.fields[name].queryset = waves
            self.fields[name].empty_label = _("(none)")


class ReportTextForm(VersionFormMixin, BootstrapWidgetsMixin, forms.Form):
    findings = forms.CharField(label=_("Findings"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    discussion = forms.CharField(label=_("Considerations"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(BootstrapWidgetsMixin, forms.Form):
    acknowledgement = forms.CharField(
        label=_("Acknowledgement of open items"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the check has open items: they are printed as open items."),
    )


class DecideForm(BootstrapWidgetsMixin, forms.Form):
    target = forms.ChoiceField(choices=[(VersionStatus.ACCEPTED, _("Accept")),
                                        (VersionStatus.RETURNED, _("Return with comments"))])
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
