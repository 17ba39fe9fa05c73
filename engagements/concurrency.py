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


def check_version(locked, submitted, *, fields=()) -> None:
    """Refuse the save unless ``submitted`` is the version of the locked row.

    ``fields``: the fields the form edits; the message names those whose current value
    the user has not seen (from the history when it has the version's row, else all of them).
    """
    if submitted in (None, ""):
        return
    try:
        submitted = int(submitted)
    except (TypeError, ValueError) as exc:
        raise StaleEdit(_("The form was damaged; reload the page.")) from exc
    if submitted == locked.version:
        return
    changes = []
    for name in fields:
        try:
            label = str(locked._meta.get_field(name).verbose_name)
        except Exception:
            label = name
        changes.append((label, _display(locked, name)))
    summary = "、".join(f"{label}：{value}" for label, value in changes)
    message = _(
        "Somebody else saved this record after you opened it. Nothing of yours was saved. "
        "Current values: %(values)s. Reload the page, then make your change again."
    ) % {"values": summary or "—"}
    raise StaleEdit(message, changes)


class VersionFormMixin:
    """Adds a hidden ``version`` field holding the version the form was opened with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        initial = getattr(instance, "version", None) if instance is not None else None
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=initial
        )
