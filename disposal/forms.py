"""Forms of the disposal stage: they validate input only; the rules are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import BootstrapWidgetsMixin
from engagements.models import Organisation
from engagements.selectors import transfer_destinations
from engagements.uploads import Kind, validate_upload

from .choices import ManifestForm, OperatorRole, Outcome, WasteClass
from .models import DisposalItem, WasteOperator, city_unit_q


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UploadField(forms.FileField):
    """A file checked by its content: PDF or image (or image only)."""

    def __init__(self, *args, kinds=(Kind.PDF, Kind.IMAGE), **kwargs):
        self.kinds = kinds
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and hasattr(file, "read"):
            validate_upload(file, self.kinds)
        return file


class Widgets(BootstrapWidgetsMixin):
    """Bootstrap classes, except on radio buttons and check-box lists (crispy draws those)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                field.widget.attrs.pop("class", None)


class _Form(Widgets, forms.Form):
    pass


class ItemForm(VersionFormMixin, Widgets, forms.ModelForm):
    """An item's facts. After the decision the city changes them with a reason."""

    reason_for_change = forms.CharField(
        label=_("Reason for the change"), required=False, max_length=300,
        help_text=_("Required once the city has decided the item."),
    )

    class Meta:
        model = DisposalItem
        fields = ["number", "name", "size", "condition", "year", "asset_number", "quantity",
                  "material", "reason", "photo"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, manual: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"] = UploadField(label=_("photo"), required=False,
                                           kinds=(Kind.IMAGE,))
        if not manual:
            self.fields["reason"].required = False
        else:
            self.fields["reason"].required = True
        if not self.instance.pk:
            del self.fields["reason_for_change"]


class ProposeForm(VersionFormMixin, _Form):
    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("Proposal note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(VersionFormMixin, _Form):
    outcome = forms.ChoiceField(label=_("Decided outcome"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    document = forms.CharField(label=_("Decision document number"), required=False,
                               max_length=60)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReviseDecisionForm(DecideForm):
    comment = forms.CharField(label=_("Reason for the change"), required=True,
                              widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(_Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class WasteForm(VersionFormMixin, _Form):
    waste_class = forms.ChoiceField(label=_("Waste class"),
                                    choices=[("", "---------"), *WasteClass.choices])
    weight_kg = forms.DecimalField(label=_("Weight (kg)"), required=False, min_value=0,
                                   max_digits=8, decimal_places=1)
    weighed = forms.BooleanField(label=_("Weighed (not estimated)"), required=False)
    reason = forms.CharField(label=_("Reason for another class"), required=False,
                             max_length=100)


class SaleForm(VersionFormMixin, _Form):
    buyer = forms.CharField(label=_("Buyer"), max_length=200)
    price_yen = forms.IntegerField(label=_("Price (yen)"), min_value=0)
    sold_on = forms.DateField(label=_("Sale date"), widget=DateInput())
    receipt = UploadField(label=_("Receipt"), required=False)


class ItemsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.number} {obj.name}"


class TransferForm(_Form):
    items = ItemsField(label=_("Items"), queryset=DisposalItem.objects.none())
    destination = forms.ModelChoiceField(label=_("Destination office"),
                                         queryset=Organisation.objects.none())
    destination_section = forms.CharField(label=_("Receiving section"), required=False,
                                          max_length=200)
    contact_name = forms.CharField(label=_("Receiving contact"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        wards = list(transfer_destinations().values_list("pk", flat=True))
        self.fields["destination"].queryset = Organisation.objects.filter(city_unit_q()) \
            .order_by("sort_order", "name")
        self.fields["destination"].error_messages["invalid_choice"] = _(
            "Choose an office or section of the city.")
        self.ward_ids = wards


class CarryOutForm(VersionFormMixin, _Form):
    carried_out_on = forms.DateField(label=_("Carried out on"), widget=DateInput())
    photo = UploadField(label=_("Photo of the carrying out"), kinds=(Kind.IMAGE,))


class CancelTransferForm(VersionFormMixin, _Form):
    comment = forms.CharField(label=_("Reason for cancelling"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReceiveForm(VersionFormMixin, _Form):
    received_by_name = forms.CharField(label=_("Received by"), max_length=100)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())


class FileForm(_Form):
    file = UploadField(label=_("File (PDF or image)"))


class OperatorForm(Widgets, forms.ModelForm):
    class Meta:
        model = WasteOperator
        fields = ["name", "role", "licence_number", "licence_issuer", "licence_issued_on",
                  "licence_expires_on", "excellent", "contract_signed_on", "contract_file"]
        widgets = {"licence_issued_on": DateInput(), "licence_expires_on": DateInput(),
                   "contract_signed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract_file"] = UploadField(label=_("disposal contract"),
                                                   required=False)
        self.fields["role"].choices = OperatorRole.choices


class ManifestCreateForm(_Form):
    items = ItemsField(label=_("Items"), queryset=DisposalItem.objects.none())
    number = forms.CharField(label=_("Manifest number"), max_length=30)
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())
    form = forms.ChoiceField(label=_("Form"), choices=ManifestForm.choices,
                             widget=forms.RadioSelect, initial=ManifestForm.PAPER)
    collector = forms.ModelChoiceField(label=_("Collector"), queryset=WasteOperator.objects.none())
    disposer = forms.ModelChoiceField(label=_("Disposer"), queryset=WasteOperator.objects.none())
    collected_on = forms.DateField(label=_("Collection date"), widget=DateInput())

    def __init__(self, *args, items, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["collector"].queryset = operators.filter(role=OperatorRole.COLLECTOR)
        self.fields["disposer"].queryset = operators.filter(role=OperatorRole.DISPOSER)


class ReturnsForm(VersionFormMixin, _Form):
    b2_returned_on = forms.DateField(label=_("B2 returned on"), required=False,
                                     widget=DateInput())
    d_returned_on = forms.DateField(label=_("D returned on"), required=False,
                                    widget=DateInput())
    e_returned_on = forms.DateField(
        label=_("E returned on"), required=False, widget=DateInput(),
        help_text=_("For an electronic manifest: the day the final disposal was reported. "
                    "The items count as scrapped from this date."))


class OfferForm(_Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    circulated_on = forms.DateField(label=_("Circulated on"), widget=DateInput())
    respond_by = forms.DateField(label=_("Answers wanted by"), widget=DateInput())
    items = ItemsField(label=_("Items offered"), queryset=DisposalItem.objects.none())

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items

    def clean(self):
        data = super().clean()
        if data.get("respond_by") and data.get("circulated_on") \
                and data["respond_by"] < data["circulated_on"]:
            self.add_error("respond_by",
                           _("Answers cannot be due before the offer is circulated."))
        return data


class RequestForm(_Form):
    office = forms.ModelChoiceField(label=_("Requesting office"),
                                    queryset=Organisation.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=DisposalItem.objects.none())
    quantity = forms.IntegerField(label=_("Quantity wanted"), min_value=1, initial=1)
    wanted_by = forms.DateField(label=_("Wanted by"), required=False, widget=DateInput())
    contact = forms.CharField(label=_("Contact"), required=False, max_length=100)

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = transfer_destinations()
        self.fields["item"].queryset = offer.items.order_by("number")
        self.fields["item"].label_from_instance = lambda o: f"{o.number} {o.name}"
