"""Form helpers shared by the stage apps."""

import datetime as dt

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.utils.translation import gettext_lazy as _

from .concurrency import VersionFormMixin
from .selectors import colleague_named
from .services import not_found_message
from .wareki import FIRST_ERA_DATE

# Dates a form accepts: from the first day of Meiji (the eras the app writes) to the end of
# 2100 (far beyond any engagement, before the calendar's end).
DATE_MIN = FIRST_ERA_DATE
DATE_MAX = dt.date(2100, 12, 31)
# An integer field is bounded to its column (PostgreSQL's sizes); a plain form's field, with no
# column, to ``integer``, the narrowest one a number is stored in.
INT_BITS = {"SmallIntegerField": 15, "PositiveSmallIntegerField": 15, "BigIntegerField": 63,
            "PositiveBigIntegerField": 63, "BigAutoField": 63, "SmallAutoField": 15}
FLOAT_LIMIT = 1e15
DECIMAL_MAX_DIGITS = 18


def _date_in_range(value) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("Enter a date from 25 January 1868 (the first day of Meiji) to 31 December "
              "2100."), code="date_range")


class InputBoundsMixin:
    """Bounds every field to what the app and its columns hold, before any model sees it:
    dates from the first day of Meiji to 2100 (so the era conversion always works), integers
    to the integer column's range unless the field is narrower, decimals to 18 digits, floats
    to ±10¹⁵. Each refusal is a Japanese message next to the field.

    Every form of the app has it: through ``BootstrapWidgetsMixin``, or named directly.
    """

    def full_clean(self):
        # Here rather than in __init__: forms add fields after their super().__init__().
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            bound_field_input(field, bits=_column_bits(model, name))
        super().full_clean()


def _column_bits(model, name: str) -> int:
    try:
        column = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        column = None
    return INT_BITS.get(column.get_internal_type(), 31) if column is not None else 31


def bound_field_input(field: forms.Field, *, bits: int = 31) -> None:
    """Adds the app's input bounds to one form field (see ``InputBoundsMixin``); an integer
    field's column holds ``bits`` bits and a sign."""
    if getattr(field, "_input_bounded", False):
        return
    field._input_bounded = True
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(_date_in_range)
    elif isinstance(field, forms.IntegerField) and not isinstance(
            field, (forms.DecimalField, forms.FloatField)):
        if field.max_value is None:
            field.validators.append(MaxValueValidator(2**bits - 1))
        if field.min_value is None:
            field.validators.append(MinValueValidator(-(2**bits)))
    elif isinstance(field, forms.FloatField) and not isinstance(field, forms.DecimalField):
        if field.max_value is None:
            field.validators.append(MaxValueValidator(FLOAT_LIMIT))
        if field.min_value is None:
            field.validators.append(MinValueValidator(-FLOAT_LIMIT))
    elif isinstance(field, forms.DecimalField) and field.max_digits is None:
        field.validators.append(DecimalValidator(DECIMAL_MAX_DIGITS, None))


class BootstrapWidgetsMixin(InputBoundsMixin):
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


class MemberAddForm(BootstrapWidgetsMixin, forms.Form):
    """Add a person who already has a sign-in and shares an engagement with ``actor``.

    An unknown name and a name only in other engagements get the same answer, so the form
    never tells whether a user exists elsewhere."""

    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, actor=None, **kwargs):
        from .choices import Role

        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["role"].choices = Role.choices

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = colleague_named(self.actor, username) if self.actor is not None else None
        if user is None:
            raise forms.ValidationError(not_found_message(username))
        self.user = user
        return username


class MemberCreateForm(BootstrapWidgetsMixin, forms.Form):
    """Create a sign-in for a new person and add them."""

    last_name = forms.CharField(label=_("Family name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    username = forms.CharField(
        label=_("User name"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
        # What the help text says, and what the sign-in form can be typed with on any
        # keyboard: half-width letters and digits (「やまだ」 or full-width digits refused).
        validators=[RegexValidator(
            r"\A[A-Za-z0-9@.+\-_]+\Z",
            _("Use half-width letters, digits and @ . + - _ only (for example yamada.h)."),
            code="invalid_username")],
    )
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits. Hand it over in person."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, **kwargs):
        from .choices import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices


class MemberRoleForm(InputBoundsMixin, VersionFormMixin, forms.Form):
    """A member's role, with the membership's version when the page was opened."""

    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, **kwargs):
        from .choices import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices


def error_summary(*forms_and_formsets) -> list[dict]:
    """Every error of the given forms and formsets, for a summary at the top of the page.

    Each entry has ``anchor`` (the field's id, for a link that moves the focus there),
    ``label`` (the field's label, with the row number for a formset row) and ``message``.
    Errors not tied to a field link to the form (anchor ``""``).
    """
    entries = []

    def add_form(form, row=None):
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                label, anchor = "", ""
            else:
                bound = form[name]
                label, anchor = str(bound.label), bound.auto_id
            if row is not None and label:
                label = _("%(label)s (row %(row)s)") % {"label": label, "row": row}
            for message in errors:
                entries.append({"anchor": anchor, "label": label, "message": message})

    for item in forms_and_formsets:
        if item is None:
            continue
        if hasattr(item, "forms"):
            for message in item.non_form_errors():
                entries.append({"anchor": "", "label": "", "message": message})
            for index, form in enumerate(item.forms, start=1):
                add_form(form, row=index)
        else:
            add_form(item)
    return entries


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names, or above the form.

    The one way views hand a refused service call back to the user.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
