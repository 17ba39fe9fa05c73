"""Form helpers shared by the stage apps."""

from django import forms
from django.core.exceptions import ValidationError


class BootstrapWidgetsMixin:
    """Bootstrap classes on every widget, numeric keyboards on tablets, and aria-invalid on
    fields with errors. ``control_size = "lg"`` gives the large controls used on the floor."""

    control_size: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = f" form-select-{self.control_size}" if self.control_size else ""
        control = f" form-control-{self.control_size}" if self.control_size else ""
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", f"form-select{size}")
            else:
                widget.attrs.setdefault("class", f"form-control{control}")
            if isinstance(widget, forms.NumberInput):
                widget.attrs.setdefault("inputmode", "numeric")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class TableRowFormMixin:
    """For forms shown as table rows with the labels in the header: each widget still gets
    its label as ``aria-label``, so screen readers name every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, or above the form.

    The one way views hand a refused service call back to the user.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
