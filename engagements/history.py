"""Readable change history of a domain object: who, when, and each field before and after."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


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


def _display(record, field_name: str):
    model_field = record.instance_type._meta.get_field(field_name)
    value = getattr(record, model_field.attname)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if value in (None, ""):
        return "—"
    return value


def history_entries(obj: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest ``limit`` history rows of ``obj`` with the fields each one changed.

    Two queries whatever the number of rows: one for the records, users joined.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
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
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                model_field = record.instance_type._meta.get_field(change.field)
                entry.changes.append(
                    FieldChange(
                        label=str(model_field.verbose_name),
                        old=_display(previous, change.field),
                        new=_display(record, change.field),
                    )
                )
        elif record.history_type == "+":
            for model_field in record.instance_type._meta.concrete_fields:
                if model_field.name in {"id"}:
                    continue
                value = _display(record, model_field.name)
                if value not in ("—",):
                    entry.changes.append(
                        FieldChange(label=str(model_field.verbose_name), old="—", new=value)
                    )
        entries.append(entry)
    return entries
