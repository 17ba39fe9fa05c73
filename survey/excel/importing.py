"""The survey import: rows matched by their number (update) or created, all or nothing.

A dry run lists every error by sheet, row and column and writes nothing; a real import
writes everything or nothing. The number of queries does not depend on the number of rows
or on whether they exist already (apart from one insert/update per 1,000 rows).
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from engagements.db import analyze
from engagements.progress import invalidate_on_commit

from ..models import Desk, SectionStaffing, StorageUnit, StorageVolume
from ..services import require_survey_editor
from . import bulk
from .reading import _open, _read_sheets, _Reader
from .sheets import BATCH, SHEETS, column_headers, is_example


@dataclass
class ImportIssue:
    """One error of an import: where it is, and what the row and the cell hold.

    ``label`` is the row's number (机番号, 収納番号, or the section) and ``value`` the cell as
    typed, so the page can show the error beside the row it concerns.
    """

    sheet: str
    row: int
    column: str
    message: str
    label: str = ""
    value: str = ""

    def __str__(self) -> str:
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet, "row": self.row, "column": self.column or "—",
            "message": self.message,
        }


@dataclass
class ImportResult:
    dry_run: bool
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_rows(self, limit: int = 500) -> list[dict]:
        """The first ``limit`` errors grouped by sheet and row, in the workbook's order."""
        rows: list[dict] = []
        for issue in self.errors[:limit]:
            if not rows or (rows[-1]["sheet"], rows[-1]["row"]) != (issue.sheet, issue.row):
                rows.append(
                    {"sheet": issue.sheet, "row": issue.row, "label": issue.label, "issues": []}
                )
            rows[-1]["issues"].append(issue)
        return rows

    def summary(self) -> list[tuple[str, int, int, int]]:
        return [
            (str(spec.title), self.created.get(spec.key, 0), self.updated.get(spec.key, 0),
             self.unchanged.get(spec.key, 0))
            for spec in SHEETS
        ]


def _row_values(reader, spec, positions, number, cells, issues, sheet_name) -> dict | None:
    values, ok = {}, True
    headers = column_headers(spec)
    for column in spec.columns:
        if column.export_only or column.key not in positions:
            continue
        index = positions[column.key]
        raw = cells[index] if index < len(cells) else None
        try:
            values[column.key] = reader.value(column, raw)
        except ValueError as exc:
            issues.append(ImportIssue(sheet_name, number, headers[column.key], str(exc)))
            ok = False
    return values if ok else None


class _Validator:
    """Model validation in bulk: each field's distinct values are checked once per import.

    The same as ``full_clean`` without uniqueness (checked on the whole file): field values
    (their validators and choices do not depend on the row), then the model's ``clean()``.
    A survey has few distinct widths, types or years, so 2,000 rows cost a few hundred checks.
    """

    def __init__(self, exclude):
        self.exclude = set(exclude)
        self.cache: dict = {}

    def _field(self, model_field, instance, raw):
        try:
            key = (model_field.attname, type(raw), raw)
            hash(key)
        except TypeError:
            key = None
        found = self.cache.get(key) if key is not None else None
        if found is None:
            try:
                found = (model_field.clean(raw, instance), None)
            except ValidationError as exc:
                found = (raw, exc.messages)
            if key is not None:
                self.cache[key] = found
        return found

    def errors(self, instance) -> dict[str, list[str]]:
        errors = {}
        for model_field in instance._meta.concrete_fields:
            if model_field.name in self.exclude or model_field.primary_key:
                continue
            raw = getattr(instance, model_field.attname)
            if model_field.blank and raw in model_field.empty_values:
                continue
            value, messages = self._field(model_field, instance, raw)
            if messages:
                errors[model_field.name] = messages
            elif value is not raw:
                setattr(instance, model_field.attname, value)
        if not errors:
            try:
                instance.clean()
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        return errors


def _validate(instance, spec, number, sheet_name, issues, validator) -> bool:
    """Model validation without per-row queries (uniqueness is checked on the whole file)."""
    errors = validator.errors(instance)
    if not errors:
        return True
    headers = column_headers(spec)
    for name, messages in errors.items():
        column = headers.get(name, headers.get(name.removesuffix("_id"), ""))
        for message in messages:
            issues.append(ImportIssue(sheet_name, number, column, str(message)))
    return False


def _apply_row_values(instance, values: dict) -> list[str]:
    """Like engagements.services.assign_changed, but a blank optional cell keeps the value.

    Related rows (floor, section) are compared by their id, so an existing row's floor is
    never loaded.
    """
    changed = []
    for name, value in values.items():
        if value is None and name not in ("section", "year", "notes"):
            continue  # a blank optional cell keeps the current value (or the default)
        if value is None and name == "notes":
            value = ""
        if isinstance(value, models.Model) or (value is None and name == "section"):
            current = getattr(instance, f"{name}_id", None)
            if current != (value.pk if value is not None else None):
                setattr(instance, name, value)
                changed.append(name)
            continue
        current = getattr(instance, name, None)
        if current != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@dataclass
class _Plan:
    create: list = field(default_factory=list)
    update: list = field(default_factory=list)
    fields: set = field(default_factory=set)
    unchanged: int = 0
    rows: dict = field(default_factory=dict)  # number → (row, instance)


def _existing_numbered(model, engagement, reader) -> dict:
    """The engagement's rows by number, their floor and section taken from the reader (no join,
    no query per row)."""
    existing = {}
    for obj in model.objects.filter(engagement=engagement):
        floor = reader.floors_by_pk.get(obj.floor_id)
        if floor is not None:
            obj.floor = floor
        if obj.section_id is not None and obj.section_id in reader.sections_by_pk:
            obj.section = reader.sections_by_pk[obj.section_id]
        existing[obj.number] = obj
    return existing


def _plan_numbered(model, spec, engagement, rows, reader, issues, sheet_name) -> _Plan:
    plan = _Plan()
    existing = _existing_numbered(model, engagement, reader)
    first_header = column_headers(spec)[spec.columns[0].key]
    validator = _Validator(exclude=["engagement", "floor", "section"])
    for number, cells in rows:
        if is_example(cells[0] if cells else None):
            continue
        values = _row_values(reader, spec, reader.positions[spec.key], number, cells, issues,
                             sheet_name)
        if values is None or is_example(values["number"]):
            continue
        key = values["number"]
        if key in plan.rows:
            issues.append(ImportIssue(
                sheet_name, number, first_header,
                _("The number %(n)s is also on row %(row)s.") % {"n": key,
                                                                 "row": plan.rows[key][0]},
            ))
            continue
        instance = existing.get(key)
        is_new = instance is None
        if is_new:
            instance = model(engagement=engagement)
        plan.rows[key] = (number, instance)
        changed = _apply_row_values(instance, values)
        if not _validate(instance, spec, number, sheet_name, issues, validator):
            continue
        if is_new:
            plan.create.append(instance)
        elif changed:
            plan.update.append(instance)
            plan.fields.update(changed)
        else:
            plan.unchanged += 1
    return plan


@transaction.atomic
def survey_import(*, engagement, file, actor, dry_run: bool = False) -> ImportResult:
    """Import a survey workbook: all rows or none. Raises ImportRefused for unreadable files.

    ``actor`` is the member importing (checked: city staff only); ``None`` only for the
    management command, run by whoever operates the server.
    """
    if actor is not None:
        require_survey_editor(engagement=engagement, actor=actor)
    with translation.override("ja"):
        return _import(engagement, file, actor, dry_run)


def _read_file(file) -> dict:
    workbook = _open(file)
    try:
        return _read_sheets(workbook)
    finally:
        workbook.close()


def _reader_for(engagement, found) -> _Reader:
    """A reader that knows the floors, sections and storage numbers (the file's included)."""
    unit_numbers = set(
        StorageUnit.objects.filter(engagement=engagement).values_list("number", flat=True)
    )
    if "storage" in found:
        _spec, positions, rows = found["storage"]
        index = positions["number"]
        for _number, cells in rows:
            raw = cells[index] if index < len(cells) else None
            if raw is not None:
                unit_numbers.add(_Reader._text(raw))
    reader = _Reader(engagement, unit_numbers)
    reader.positions = {key: positions for key, (_s, positions, _r) in found.items()}
    return reader


def _keyed_rows(found, sheet, reader, issues, key, duplicate_message, checks) -> list[dict]:
    """The rows of a sheet without a number column: each key once, each value checked.

    ``checks`` are (column index, test, message): a row whose value fails a test is an error.
    """
    if sheet not in found:
        return []
    spec, positions, rows = found[sheet]
    headers = column_headers(spec)
    title = str(spec.title)
    match = positions[spec.match]
    seen, kept = {}, []
    for number, cells in rows:
        if is_example(cells[match] if match < len(cells) else None):
            continue
        values = _row_values(reader, spec, positions, number, cells, issues, title)
        if values is None:
            continue
        cell = key(values)
        if cell in seen:
            issues.append(ImportIssue(title, number, headers[spec.columns[0].key],
                                      duplicate_message % {"row": seen[cell]}))
            continue
        failed = next(((c, m) for c, test, m in checks if not test(values)), None)
        if failed is not None:
            issues.append(ImportIssue(title, number, headers[spec.columns[failed[0]].key],
                                      failed[1]))
            continue
        seen[cell] = number
        values["_row"] = number
        kept.append(values)
    return kept


def _volume_rows(found, reader, issues) -> list[dict]:
    return _keyed_rows(
        found, "volumes", reader, issues,
        key=lambda v: (v["unit"], v["retention"], v["disposition"]),
        duplicate_message=_("The same unit, retention and disposition is also on row %(row)s."),
        checks=[(3, lambda v: v["volume_fm"] >= 0, _("The volume cannot be negative."))],
    )


def _staffing_rows(found, reader, issues) -> list[dict]:
    return _keyed_rows(
        found, "staffing", reader, issues,
        key=lambda v: v["section"].pk,
        duplicate_message=_("This section is also on row %(row)s."),
        checks=[(1, lambda v: v["headcount"] >= 0, _("The headcount cannot be negative."))],
    )


def _check_capacities(plans, volume_rows, existing_volumes, units, issues) -> None:
    """The storage rule of ``storage_unit_update`` on every unit the file touches: its documents
    (the file's cells, and the cells it does not name) at most twice its capacity."""
    from .sheets import STORAGE_SHEET, VOLUME_SHEET

    storage_plan = plans.get("storage")
    planned = {number: instance for number, (_row, instance) in
               (storage_plan.rows.items() if storage_plan else ())}
    totals: dict[str, dict] = defaultdict(dict)
    first_row: dict[str, int] = {}
    for (number, retention, disposition), volume in existing_volumes.items():
        totals[number][(retention, disposition)] = volume
    for values in volume_rows:
        totals[values["unit"]][(values["retention"], values["disposition"])] = values["volume_fm"]
        first_row.setdefault(values["unit"], values["_row"])
    for number in set(first_row) | set(planned):
        unit = planned.get(number) or units.get(number)
        if unit is None:
            continue
        try:
            unit.check_document_volume(sum(totals[number].values(), Decimal("0")))
        except ValidationError as exc:
            if number in first_row:
                spec, row = VOLUME_SHEET, first_row[number]
                column = column_headers(spec)["volume_fm"]
            else:
                spec, row = STORAGE_SHEET, storage_plan.rows[number][0]
                column = column_headers(spec)["shelf_count"]
            issues.extend(ImportIssue(str(spec.title), row, column, message)
                          for message in exc.messages)


def _import(engagement, file, actor, dry_run) -> ImportResult:
    found = _read_file(file)
    result = ImportResult(dry_run=dry_run)
    issues = result.errors
    reader = _reader_for(engagement, found)
    plans = {}
    for key, model in (("desks", Desk), ("storage", StorageUnit)):
        if key in found:
            spec, _positions, rows = found[key]
            plans[key] = _plan_numbered(
                model, spec, engagement, rows, reader, issues, str(spec.title)
            )
    volume_rows = _volume_rows(found, reader, issues)
    staffing_rows = _staffing_rows(found, reader, issues)
    existing_volumes = {
        (number, retention, disposition): volume
        for number, retention, disposition, volume in StorageVolume.objects.filter(
            unit__engagement=engagement
        ).values_list("unit__number", "retention", "disposition", "volume_fm")
    }
    if volume_rows or "storage" in plans:
        units = {u.number: u for u in StorageUnit.objects.filter(engagement=engagement)}
        _check_capacities(plans, volume_rows, existing_volumes, units, issues)
    order = [str(s.title) for s in SHEETS]
    issues.sort(key=lambda i: (order.index(i.sheet), i.row))
    _describe(issues, found)
    for key, plan in plans.items():
        result.created[key] = len(plan.create)
        result.updated[key] = len(plan.update)
        result.unchanged[key] = plan.unchanged
    _count_small_sheets(result, engagement, volume_rows, staffing_rows, existing_volumes)
    if issues or dry_run:
        return result
    _write(engagement, actor, plans, volume_rows, staffing_rows, result)
    return result


def _describe(issues: list[ImportIssue], found) -> None:
    """Give each error its row's number and its cell as typed (both blank when not known)."""
    if not issues:
        return
    rows = {
        (str(spec.title), number): (spec, positions, cells)
        for spec, positions, data in found.values()
        for number, cells in data
    }
    for issue in issues:
        spec, positions, cells = rows.get((issue.sheet, issue.row), (None, None, None))
        if spec is None:
            continue
        issue.label = _cell_text(cells, positions.get(spec.match))
        keys = _header_keys(spec.key, translation.get_language())
        if issue.column in keys:
            issue.value = _cell_text(cells, positions.get(keys[issue.column]))


@functools.cache
def _header_keys(sheet_key: str, _language) -> dict[str, str]:
    spec = next(s for s in SHEETS if s.key == sheet_key)
    return {header: key for key, header in column_headers(spec).items()}


def _cell_text(cells: list, index: int | None) -> str:
    value = cells[index] if index is not None and index < len(cells) else None
    return "" if value is None else str(value)


def _count_small_sheets(result, engagement, volume_rows, staffing_rows, existing_volumes) -> None:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for values in volume_rows:
        key = (values["unit"], values["retention"], values["disposition"])
        if key not in existing_volumes:
            counts["created"] += 1
        elif existing_volumes[key] != values["volume_fm"]:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    result.created["volumes"], result.updated["volumes"] = counts["created"], counts["updated"]
    result.unchanged["volumes"] = counts["unchanged"]
    existing_staff = dict(
        SectionStaffing.objects.filter(engagement=engagement).values_list(
            "section_id", "headcount"
        )
    )
    created = sum(1 for v in staffing_rows if v["section"].pk not in existing_staff)
    updated = sum(
        1 for v in staffing_rows
        if v["section"].pk in existing_staff and existing_staff[v["section"].pk] != v["headcount"]
    )
    result.created["staffing"], result.updated["staffing"] = created, updated
    result.unchanged["staffing"] = len(staffing_rows) - created - updated


def _write(engagement, actor, plans, volume_rows, staffing_rows, result) -> None:
    reason = _("Excel import")
    history = {"default_user": actor, "default_change_reason": reason}
    for key, model in (("desks", Desk), ("storage", StorageUnit)):
        plan = plans.get(key)
        if plan is None:
            continue
        # Thousands of rows: one compiled statement each for the rows and their history.
        bulk.create_with_history(plan.create, model, key="number",
                                 scope={"engagement": engagement}, user=actor, reason=reason)
        bulk.update_with_history(plan.update, model, plan.fields, user=actor, reason=reason)
    _write_volumes(engagement, volume_rows, history)
    staffing_changed = _write_staffing(engagement, staffing_rows, history)
    analyze(Desk, StorageUnit, StorageVolume, SectionStaffing)
    # The bulk writes send no signals: the pages caching what they derive from the survey
    # learn of the change here (from a page or from the import command).
    invalidate_on_commit(engagement.pk)
    desks = plans.get("desks")
    if staffing_changed or (desks and (desks.create or desks.update)):
        from ..services.occupancy import occupancy_results_update_engagement

        occupancy_results_update_engagement(engagement.pk)


def _save_small(model, create, update, fields, history) -> bool:
    if create:
        bulk_create_with_history(create, model, batch_size=BATCH, **history)
    if update:
        bulk_update_with_history(update, model, fields, batch_size=BATCH, **history)
    return bool(create or update)


def _write_volumes(engagement, volume_rows, history) -> None:
    units = {u.number: u for u in StorageUnit.objects.filter(engagement=engagement)}
    existing = {
        (v.unit_id, v.retention, v.disposition): v
        for v in StorageVolume.objects.filter(unit__engagement=engagement)
    }
    create, update = [], []
    for values in volume_rows:
        unit = units[values["unit"]]
        row = existing.get((unit.pk, values["retention"], values["disposition"]))
        if row is None:
            create.append(StorageVolume(
                unit=unit, retention=values["retention"], disposition=values["disposition"],
                volume_fm=values["volume_fm"],
            ))
        elif row.volume_fm != values["volume_fm"]:
            row.volume_fm = values["volume_fm"]
            update.append(row)
    _save_small(StorageVolume, create, update, ["volume_fm"], history)


def _write_staffing(engagement, staffing_rows, history) -> bool:
    staff = {s.section_id: s for s in SectionStaffing.objects.filter(engagement=engagement)}
    create, update = [], []
    for values in staffing_rows:
        row = staff.get(values["section"].pk)
        if row is None:
            create.append(SectionStaffing(
                engagement=engagement, section=values["section"], headcount=values["headcount"]
            ))
        elif row.headcount != values["headcount"]:
            row.headcount = values["headcount"]
            update.append(row)
    return _save_small(SectionStaffing, create, update, ["headcount"], history)
