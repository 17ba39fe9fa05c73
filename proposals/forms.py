from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import BootstrapWidgetsMixin, TableRowFormMixin

from .models import Alternative, CatalogueItem, Proposal, ProposalSection, WorksLine


class StyledMixin(BootstrapWidgetsMixin):
    """The proposal pages' forms: Bootstrap widgets in the regular size."""


class StyledModelForm(StyledMixin, forms.ModelForm):
    pass


class TableRowForm(TableRowFormMixin, StyledModelForm):
    pass


class ProposalForm(VersionFormMixin, StyledModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class AlternativeCreateForm(StyledMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=20, help_text=_("For example 案C."))
    based_on = forms.ModelChoiceField(
        label=_("Start from"), queryset=Alternative.objects.none(), required=False,
        empty_label=_("The current layout (survey)"),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["based_on"].queryset = proposal.alternatives.order_by("label")
        self.proposal = proposal

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        if self.proposal.alternatives.filter(label=label).exists():
            raise forms.ValidationError(_("This proposal already has an alternative %(label)s.")
                                        % {"label": label})
        return label


class AlternativeForm(VersionFormMixin, StyledModelForm):
    class Meta:
        model = Alternative
        fields = ["label", "rationale", "min_aisle_mm"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 4})}


SectionFormSet = modelformset_factory(
    ProposalSection, form=TableRowForm,
    fields=["heading", "finding", "rationale", "sort_order"], extra=1,
    can_delete=True, widgets={"rationale": forms.Textarea(attrs={"rows": 2})},
)
WorksLineFormSet = modelformset_factory(
    WorksLine, form=TableRowForm,
    fields=["description", "amount_yen", "tax_class", "sort_order"], extra=1,
    can_delete=True,
)


class TransitionForm(StyledMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CatalogueItemForm(VersionFormMixin, StyledModelForm):
    class Meta:
        model = CatalogueItem
        fields = ["kind", "name", "maker", "model_number", "width_mm", "depth_mm",
                  "unit_price_yen", "tax_class", "seats", "storage_fm", "outlets", "active"]
