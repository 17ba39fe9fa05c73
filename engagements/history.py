"""Readable change history of a domain object: who, when, and each field before and after."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .wareki import format_wareki


def person_name(user) -> str:
    """Family name first, as Japanese documents write it; the username when there is none."""
    full = f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}".strip()
    return full or user.get_username()


# django-simple-history's ``history_change_reason`` column when a model does not say otherwise.
REASON_MAX_LENGTH = 100


def reason_max_length(model) -> int:
    """How many characters the history reason of ``model`` holds (its column's max_length)."""
    history = getattr(model, "history", None)
    try:
        return history.model._meta.get_field("history_change_reason").max_length
    except Exception:
        return REASON_MAX_LENGTH


def set_change_reason(instance: models.Model, text: str) -> None:
    """Give the next history row of ``instance`` ``text`` as its reason, cut to the column.

    The reason is a short note beside the field changes; free text (a workflow comment, a
    correction's reason) is kept in full where it belongs (the status-change row, the
    record's own field), so here it is shortened to fit, ending in "…", never refused by
    the database.
    """
    text = (text or "").strip()
    if not text:
        return
    limit = reason_max_length(type(instance))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    instance._change_reason = text


CHANGE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_FIELDS = {"id", "created_at", "updated_at"}


def edit_version_field(model) -> str:
    """The edit-version counter of ``model`` (``engagements.concurrency``): bookkeeping for
    stale forms, not a fact a reader of the history needs (the minutes' 第n版 is ``version``
    and stays; their counter is ``VERSION_FIELD``)."""
    return getattr(model, "VERSION_FIELD", "version") if any(
        getattr(f, "name", "") == getattr(model, "VERSION_FIELD", "version")
        and isinstance(f, models.PositiveIntegerField) and not f.editable
        for f in model._meta.concrete_fields) else ""


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


class _Renderer:
    """Turns stored values into what a person reads: names for foreign keys, era dates.

    Foreign keys are resolved in one query per related model, whatever the number of rows.
    """

    def __init__(self, model: type[models.Model], records: list) -> None:
        self.model = model
        hidden = HIDDEN_FIELDS | {edit_version_field(model)}
        self.fields = {
            f.name: f for f in model._meta.concrete_fields if f.name not in hidden
        }
        self.related: dict[str, dict] = {}
        for name, model_field in self.fields.items():
            if isinstance(model_field, models.ForeignKey):
                ids = {getattr(r, model_field.attname) for r in records} - {None}
                target = model_field.related_model
                self.related[name] = target._default_manager.in_bulk(ids) if ids else {}

    def __call__(self, record, name: str):
        model_field = self.fields[name]
        value = getattr(record, model_field.attname)
        if value in (None, ""):
            return "—"
        if name in self.related:
            related = self.related[name].get(value, value)
            return person_name(related) if isinstance(related, AbstractBaseUser) else related
        if model_field.choices:
            return dict(model_field.flatchoices).get(value, value)
        if isinstance(value, list | tuple):
            # A list of choice values (a JSONField): the model names their choices in
            # HISTORY_LIST_CHOICES = {"field": TextChoices}.
            choices = getattr(self.model, "HISTORY_LIST_CHOICES", {}).get(name)
            labels = dict(choices.choices) if choices else {}
            return "、".join(str(labels.get(item, item)) for item in value) or "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return f"{format_wareki(local.date())} {local:%H:%M}"
        if isinstance(value, dt.date):
            return format_wareki(value)
        return value


def history_entries(obj: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest ``limit`` history rows of ``obj`` with the fields each one changed.

    A constant number of queries: the records with their users, and one per related model.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    render = _Renderer(type(obj), records)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=CHANGE_LABELS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            names = [
                name for name in render.fields
                if getattr(record, render.fields[name].attname)
                != getattr(previous, render.fields[name].attname)
            ]
            changes = [(name, render(previous, name), render(record, name)) for name in names]
        elif record.history_type == "+":
            changes = [(name, "—", render(record, name)) for name in render.fields]
            changes = [change for change in changes if change[2] != "—"]
        else:
            changes = []
        entry.changes = [
            FieldChange(label=str(render.fields[name].verbose_name), old=old, new=new)
            for name, old, new in changes
        ]
        entries.append(entry)
    return entries
