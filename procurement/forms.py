"""Forms of the procurement stage. Amounts and quantities accept full-width digits and commas
(「１２，０００」 is 12000); bad input gets a Japanese message beside the field."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import BootstrapWidgetsMixin, InputBoundsMixin, TableRowFormMixin
from engagements.models import Organisation
from engagements.uploads import Kind, UploadValidator

from . import selectors
from .choices import CableCategory, ConnectionKind
from .models import InstallationDay, OATap


def normalise_number(value) -> str:
    """Full-width digits and commas to ASCII, thousands separators and 円 removed."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    return re.sub(r"[,\s円¥]", "", text)


class IntegerTextField(forms.CharField):
    """A non-negative integer typed freely: 12000, 12,000, １２，０００, 12000円."""

    default_error_messages = {
        "invalid": _("Enter a whole number of 0 or more (for example 12,000)."),
        "negative": _("A negative number cannot be entered here."),
        "too_large": _("The number is too large."),
    }

    def __init__(self, *args, min_value: int = 0, **kwargs):
        self.min_value = min_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = normalise_number(value)
        if text in self.empty_values:
            return None
        if text.startswith("-") and text[1:].isdigit():
            raise ValidationError(self.error_messages["negative"], code="negative")
        if not text.isdigit():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        number = int(text)
        if number > 9_999_999_999:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        if number < self.min_value:
            raise ValidationError(
                _("Enter %(n)s or more.") % {"n": self.min_value}, code="min_value")
        return number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VersionedForm(VersionFormMixin, BootstrapWidgetsMixin, forms.Form):
    """A plain form carrying the version of the record it edits."""

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)


class BudgetForm(VersionedForm):
    budget_yen = IntegerTextField(label=_("Furniture budget with tax (yen)"), required=False)


class LineForm(VersionedForm):
    height_mm = IntegerTextField(label=_("Height (mm)"), required=False)


def companies(engagement):
    """The engagement's own suppliers (another engagement's companies are never offered)."""
    return selectors.suppliers(engagement)


class SuppliersMixin:
    """A form offering companies: ``engagement=`` limits the choice to its suppliers."""

    company_fields: tuple = ("installer",)

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.company_fields:
            self.fields[name].queryset = companies(engagement)


class SupplierForm(BootstrapWidgetsMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)


class OrderCreateForm(BootstrapWidgetsMixin, forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=200)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for row in self.lines:
            self.fields[f"qty_{row.line.pk}"] = IntegerTextField(
                label=str(row.line), required=False)

    def quantities(self) -> dict[int, int]:
        return {row.line.pk: self.cleaned_data.get(f"qty_{row.line.pk}") or 0
                for row in self.lines}

    def line_fields(self):
        return [(row, self[f"qty_{row.line.pk}"]) for row in self.lines]


class QuoteForm(SuppliersMixin, BootstrapWidgetsMixin, forms.Form):
    company_fields = ("supplier",)

    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Organisation.objects.none())
    quoted_on = forms.DateField(label=_("Quote date"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    tax_included = forms.TypedChoiceField(
        label=_("Prices on the quote"), coerce=lambda v: v == "1",
        choices=[("0", _("without tax")), ("1", _("including tax"))])
    file = forms.FileField(label=_("Quote file (PDF or image)"), required=False,
                           validators=[UploadValidator(Kind.PDF, Kind.IMAGE)])
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, order_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.order_lines = list(order_lines)
        for line in self.order_lines:
            self.fields[f"price_{line.pk}"] = IntegerTextField(
                label=str(line.plan_line), required=False)

    def clean(self):
        data = super().clean()
        if data.get("quoted_on") and data.get("valid_until") and (
                data["valid_until"] < data["quoted_on"]):
            self.add_error("valid_until", _("The quote cannot expire before its date."))
        if self.order_lines and not any(
                data.get(f"price_{line.pk}") is not None for line in self.order_lines):
            raise ValidationError(_("Give a unit price for at least one line."))
        return data

    def prices(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"price_{line.pk}") for line in self.order_lines}

    def price_fields(self):
        return [(line, self[f"price_{line.pk}"]) for line in self.order_lines]


class ChooseQuoteForm(VersionedForm):
    quote = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("Choose the quote to adopt in the comparison table.")})
    reason = forms.CharField(label=_("Reason for the choice"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(VersionedForm):
    number = forms.CharField(label=_("Order number"), max_length=30)
    ordered_on = forms.DateField(label=_("Order date"), widget=DateInput())
    delivery_due = forms.DateField(label=_("Delivery date"), widget=DateInput())
    delivery_place = forms.CharField(label=_("Place of delivery"), max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("ordered_on") and data.get("delivery_due") and (
                data["delivery_due"] < data["ordered_on"]):
            self.add_error("delivery_due",
                           _("The delivery date cannot be before the order date."))
        return data


class CancelForm(BootstrapWidgetsMixin, forms.Form):
    comment = forms.CharField(label=_("Reason for cancelling"),
                              widget=forms.Textarea(attrs={"rows": 2}))


class LineQuantityForm(SuppliersMixin, BootstrapWidgetsMixin, forms.Form):
    """Mark part of a line (3 of 5) delivered or installed, from the plan page."""

    control_size = "lg"
    target = forms.ChoiceField(choices=[("delivered", "delivered"), ("installed", "installed")],
                               widget=forms.HiddenInput)
    quantity = IntegerTextField(label=_("Quantity"), min_value=1)
    installer = forms.ModelChoiceField(label=_("Installed by (company)"), required=False,
                                       queryset=Organisation.objects.none(),
                                       empty_label=_("(the contractor)"))


class BulkForm(SuppliersMixin, BootstrapWidgetsMixin, forms.Form):
    control_size = "lg"
    target = forms.ChoiceField(label=_("What was done"), choices=[
        ("delivered", _("Delivered")), ("installed", _("Installed"))])
    installer = forms.ModelChoiceField(label=_("Installed by (company)"), required=False,
                                       queryset=Organisation.objects.none(),
                                       empty_label=_("(the contractor)"))


class FindingForm(BootstrapWidgetsMixin, forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo"), required=False,
                            validators=[UploadValidator(Kind.IMAGE)])


class CorrectionForm(BootstrapWidgetsMixin, forms.Form):
    correction = forms.CharField(label=_("Correction made"),
                                 widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("Photo after the correction"), required=False,
                            validators=[UploadValidator(Kind.IMAGE)])


class ReinspectForm(BootstrapWidgetsMixin, forms.Form):
    passed = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", "1"), ("0", "0")],
                                    widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RequirementForm(VersionedForm, TableRowFormMixin):
    pc_count = IntegerTextField(label=_("PCs"))
    monitor_count = IntegerTextField(label=_("monitors"))
    phone_count = IntegerTextField(label=_("phones"))
    printer_count = IntegerTextField(label=_("printers"))
    booth_equipment = forms.BooleanField(label=_("booth equipment (light, fan)"), required=False)
    required_lan = IntegerTextField(label=_("LAN ports required"))
    required_power = IntegerTextField(label=_("power outlets required"))
    required_phone = IntegerTextField(label=_("phone lines required"))
    oa_tap = forms.ModelChoiceField(label=_("OA tap"), required=False,
                                    queryset=OATap.objects.none())
    requirement_reason = forms.CharField(label=_("Reason for changing the requirement"),
                                         max_length=300, required=False)

    def __init__(self, *args, engagement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oa_tap"].queryset = OATap.objects.filter(engagement=engagement)


class ConnectionForm(SuppliersMixin, BootstrapWidgetsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Connection"), choices=ConnectionKind.choices)
    count = IntegerTextField(label=_("Count"), min_value=1)
    category = forms.ChoiceField(label=_("Cable category"), choices=CableCategory.choices,
                                 required=False)
    length_m = IntegerTextField(label=_("Run length (m)"), required=False)
    label = forms.CharField(label=_("Label or port number"), max_length=100, required=False)
    tested = forms.BooleanField(label=_("Tested"), required=False)
    installer = forms.ModelChoiceField(label=_("Work done by (company)"), required=False,
                                       queryset=Organisation.objects.none(),
                                       empty_label=_("(the contractor)"))


class TapForm(BootstrapWidgetsMixin, forms.Form):
    label = forms.CharField(label=_("Tap label"), max_length=50)
    rating_w = IntegerTextField(label=_("Rating (W)"), required=False)


class InstallationDayForm(SuppliersMixin, VersionFormMixin, BootstrapWidgetsMixin,
                          forms.ModelForm):
    company_fields = ("company",)

    class Meta:
        model = InstallationDay
        fields = ["date", "starts_at", "ends_at", "planned", "workers", "company", "note"]
        widgets = {"date": DateInput(), "starts_at": forms.TimeInput(attrs={"type": "time"}),
                   "ends_at": forms.TimeInput(attrs={"type": "time"}),
                   "planned": forms.Textarea(attrs={"rows": 2}),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].empty_label = _("(the contractor)")

    def _post_clean(self):
        # The service validates the row (note rule, subcontracting) under its lock.
        pass


class QuoteFileForm(VersionFormMixin, InputBoundsMixin, forms.Form):
    """The file of one quote (``quote``: its pk), attached or replaced."""

    quote = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Quote file (PDF or image)"), required=False,
                           validators=[UploadValidator(Kind.PDF, Kind.IMAGE)])
