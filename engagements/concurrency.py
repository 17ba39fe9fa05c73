"""Optimistic locking: nobody's edit is silently lost.

A model that two people may edit at once inherits ``Versioned`` (an integer ``version``
that every save through a service increments). Its edit form carries the version it was
opened with (``VersionFormMixin`` adds the hidden field); the service locks the row with
``select_for_update`` and calls ``check_version(locked, submitted, fields=...)`` before
writing. When somebody saved in between, ``StaleEdit`` (a ``ValidationError``) is raised
with a Japanese message naming the fields that changed and their current values; the view
shows it above the form and nothing is overwritten.

JSON saves send ``"version"`` in the body and get HTTP 409 with the same message.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        abstract = True

    def bump_version(self) -> None:
        self.version = (self.version or 0) + 1


def version_field_of(obj) -> str:
    """The name of the edit-version field: ``version``, or the model's ``VERSION_FIELD`` when
    ``version`` already means something else (the minutes' 第n版)."""
    return getattr(obj, "VERSION_FIELD", "version")


def bump(obj) -> str:
    """Increment ``obj``'s edit version (in memory); returns the field's name for
    ``update_fields``."""
    name = version_field_of(obj)
    setattr(obj, name, (getattr(obj, name) or 0) + 1)
    return name


class StaleEdit(ValidationError):
    """Somebody else saved the object after this form was opened."""

    def __init__(self, message, changes: list[tuple[str, str]] | None = None):
        super().__init__(message, code="stale")
        self.changes = changes or []


def _display(obj, name: str) -> str:
    try:
        field = obj._meta.get_field(name)
    except Exception:
        return str(getattr(obj, name, ""))
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if value in (None, ""):
        return "—"
    return str(value)


def _attname(obj, name: str) -> str:
    try:
        return obj._meta.get_field(name).attname
    except Exception:
        return name


def _seen_row(locked, submitted: int):
    """The history row of the version the user opened, if the history has it."""
    history = getattr(locked, "history", None)
    if history is None:
        return None
    try:
        return (history.filter(**{version_field_of(locked): submitted})
                .order_by("-history_date", "-history_id").first())
    except Exception:
        return None


def check_version(locked, submitted, *, fields=()) -> None:
    """Refuse the save unless ``submitted`` is the version of the locked row.

    ``fields``: the fields the form edits; the message names those whose current value
    the user has not seen (from the history when it has the version's row, else all of them),
    with their current values.
    """
    if submitted in (None, ""):
        return
    try:
        submitted = int(submitted)
    except (TypeError, ValueError) as exc:
        raise StaleEdit(_("The form was damaged; reload the page.")) from exc
    if submitted == getattr(locked, version_field_of(locked)):
        return
    seen = _seen_row(locked, submitted)
    names = list(fields)
    if seen is not None:
        changed = [n for n in names
                   if getattr(seen, _attname(locked, n), None)
                   != getattr(locked, _attname(locked, n), None)]
        names = changed or names
    changes = []
    for name in names:
        try:
            label = str(locked._meta.get_field(name).verbose_name)
        except Exception:
            label = name
        changes.append((label, _display(locked, name)))
    raise stale_edit(changes)


def stale_edit(changes: list[tuple[str, str]]) -> StaleEdit:
    """The ``StaleEdit`` naming ``changes`` (label, current value): for a form of several
    rows (a round's desks) whose labels are the rows' names."""
    summary = "、".join(f"{label}：{value}" for label, value in changes)
    message = _(
        "Somebody else saved this record after you opened it. Nothing of yours was saved. "
        "Current values: %(values)s. Reload the page, then make your change again."
    ) % {"values": summary or "—"}
    return StaleEdit(message, changes)


class VersionFormMixin:
    """Adds a hidden ``version`` field holding the version the form was opened with."""

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        initial = version
        if initial is None and instance is not None and instance.pk:
            initial = getattr(instance, version_field_of(instance), None)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=initial
        )
