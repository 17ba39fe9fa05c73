"""Forms of the survey: input checks only; rules live in services and models."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from engagements.concurrency import VersionFormMixin
from engagements.forms import BootstrapWidgetsMixin, InputBoundsMixin

from ..choices import JIS_DESK_SIZES_MM, Disposition, Retention
from ..models import Desk, Floor, Furniture, Room, StorageUnit
from ..services import image_check

OTHER_SIZE = "other"


def _size_choices():
    return [(f"{w}x{d}", f"W{w}×D{d}") for w, d in JIS_DESK_SIZES_MM] + [
        (OTHER_SIZE, _("Other size (enter below)"))
    ]


class TabletFormMixin(BootstrapWidgetsMixin):
    """Large controls for a tablet walking the floor."""

    control_size = "lg"


class FloorForm(VersionFormMixin, TabletFormMixin, forms.ModelForm):
    class Meta:
        model = Floor
        fields = ["name", "plan_image", "mm_per_px", "width_mm", "depth_mm", "sort_order", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "mm_per_px": _("Real millimetres per pixel of the image (for example 20)."),
            "width_mm": _("Outline plan: the floor's width in mm. Computed for an image plan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["width_mm"].required = False
        self.fields["depth_mm"].required = False
        self.fields["plan_image"].widget = forms.ClearableFileInput(
            attrs={"class": "form-control form-control-lg", "accept": "image/png,image/jpeg"}
        )

    def clean_plan_image(self):
        image = self.cleaned_data.get("plan_image")
        if image and hasattr(image, "content_type"):
            image_check(image)
        return image

    def clean(self):
        data = super().clean()
        if data.get("plan_image"):
            if not data.get("mm_per_px"):
                self.add_error("mm_per_px", _("Give the scale of the plan image."))
        else:
            for name in ("width_mm", "depth_mm"):
                if not data.get(name):
                    self.add_error(name, _("Give the outline's size, or upload a plan image."))
        return data


class SectionChoiceMixin:
    """Limits ``section`` to the units of the engagement's client."""

    def __init__(self, *args, sections=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "section" in self.fields and sections is not None:
            self.fields["section"].queryset = sections
        if "floor" in self.fields and getattr(self, "floors", None) is not None:
            self.fields["floor"].queryset = self.floors


class DeskForm(VersionFormMixin, TabletFormMixin, SectionChoiceMixin, forms.ModelForm):
    size = forms.ChoiceField(label=_("size"), choices=_size_choices, required=False)

    class Meta:
        model = Desk
        fields = [
            "number", "floor", "section", "user_role", "desk_type", "size", "width_mm",
            "depth_mm", "condition", "year", "has_pc", "monitor_count", "has_phone",
            "has_printer", "under_desk_storage", "document_fm", "power_outlets", "lan_outlets",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, floors=None, **kwargs):
        self.floors = floors
        super().__init__(*args, **kwargs)
        self.fields["width_mm"].required = False
        self.fields["depth_mm"].required = False
        instance = self.instance
        current = f"{instance.width_mm}x{instance.depth_mm}" if instance.width_mm else "1200x700"
        known = {value for value, _label in _size_choices()}
        self.initial.setdefault("size", current if current in known else OTHER_SIZE)

    def clean(self):
        data = super().clean()
        size = data.get("size")
        if size and size != OTHER_SIZE:
            width, depth = (int(part) for part in size.split("x"))
            data["width_mm"], data["depth_mm"] = width, depth
            self.instance.width_mm, self.instance.depth_mm = width, depth
            self.errors.pop("width_mm", None)
            self.errors.pop("depth_mm", None)
        else:
            for name in ("width_mm", "depth_mm"):
                if not data.get(name):
                    self.add_error(name, _("Give the size in mm, or choose a JIS size."))
        return data


class FurnitureForm(VersionFormMixin, TabletFormMixin, SectionChoiceMixin, forms.ModelForm):
    class Meta:
        model = Furniture
        fields = [
            "number", "kind", "name", "floor", "section", "width_mm", "depth_mm", "condition",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, floors=None, **kwargs):
        self.floors = floors
        super().__init__(*args, **kwargs)


class RoomForm(VersionFormMixin, TabletFormMixin, SectionChoiceMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "floor", "x_mm", "y_mm", "width_mm", "depth_mm"]

    def __init__(self, *args, floors=None, **kwargs):
        self.floors = floors
        super().__init__(*args, **kwargs)


def volume_field_name(retention: str, disposition: str) -> str:
    return f"volume_{retention}_{disposition}"


class StorageUnitForm(VersionFormMixin, TabletFormMixin, SectionChoiceMixin,
                      forms.ModelForm):
    """The unit and a grid of its documents by retention (rows) × disposition (columns), in fm."""

    class Meta:
        model = StorageUnit
        fields = [
            "number", "kind", "floor", "section", "width_mm", "depth_mm", "height_mm",
            "shelf_count", "condition", "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, floors=None, **kwargs):
        self.floors = floors
        super().__init__(*args, **kwargs)
        existing = {}
        if self.instance.pk:
            existing = {
                (v.retention, v.disposition): v.volume_fm for v in self.instance.volumes.all()
            }
        for retention in Retention:
            for disposition in Disposition:
                name = volume_field_name(retention.value, disposition.value)
                self.fields[name] = forms.DecimalField(
                    label=f"{retention.label} {disposition.label}", required=False,
                    min_value=Decimal("0"), max_digits=6, decimal_places=2,
                    initial=existing.get((retention.value, disposition.value)),
                    widget=forms.NumberInput(
                        attrs={"class": "form-control", "step": "0.1", "inputmode": "decimal"}
                    ),
                )

    def volume_rows(self):
        """(retention label, [bound fields by disposition]) for the grid in the template."""
        return [
            (r.label, [self[volume_field_name(r.value, d.value)] for d in Disposition])
            for r in Retention
        ]

    def volumes(self) -> dict[tuple[str, str], Decimal]:
        return {
            (r.value, d.value): self.cleaned_data.get(volume_field_name(r.value, d.value))
            or Decimal("0")
            for r in Retention
            for d in Disposition
        }

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StaffingForm(InputBoundsMixin, forms.Form):
    """Headcount per section: one number field per section of the client, and beside each a
    hidden ``version_<pk>``: the version of the section's row the form was opened with (0: no
    row yet), so a save from a stale page is refused (``staffing_set``)."""

    def __init__(self, *args, sections=(), current=None, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        versions = versions or {}
        self.sections = list(sections)
        for section in self.sections:
            self.fields[f"version_{section.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=versions.get(section.pk, 0),
            )
            self.fields[f"section_{section.pk}"] = forms.IntegerField(
                label=str(section), min_value=0, max_value=10_000, required=False,
                initial=current.get(section.pk, 0),
                widget=forms.NumberInput(
                    attrs={"class": "form-control form-control-lg", "inputmode": "numeric"}
                ),
            )

    def headcounts(self):
        """(section, headcount, version the form was opened with) for every section."""
        return [
            (section, self.cleaned_data.get(f"section_{section.pk}") or 0,
             self.cleaned_data.get(f"version_{section.pk}"))
            for section in self.sections
        ]


class PhotoForm(InputBoundsMixin, forms.Form):
    image = forms.ImageField(
        label=_("photo"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": "image/png,image/jpeg",
                "capture": "environment",
            }
        ),
    )
    caption = forms.CharField(
        label=_("caption"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    in_report = forms.BooleanField(
        label=_("show in the report"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        try:
            image_check(image)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
        return image


class ImportForm(InputBoundsMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel workbook (.xlsx)"), required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): list the errors and change nothing"), required=False,
        initial=True, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # A clean dry run keeps the file checked: posting its token imports it without a new upload.
    pending = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("pending"):
            self.add_error("file", _("Choose the workbook to upload."))
        return cleaned
