"""Writes of the proposals stage. Every write checks the actor's role again.

Each function is keyword-only and atomic, locks the row it changes, runs ``full_clean`` and
names the actor in the history row. Status changes go through ``ALTERNATIVE_WORKFLOW``
(``proposals/workflows.py``) only: it checks the allowed source states and the role and writes
exactly one ``StatusChange``; a refused transition raises and writes nothing.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from engagements.concurrency import bump, check_version
from engagements.models import Engagement
from engagements.permissions import Action, require_member
from engagements.services import assign_changed, save_checked, save_new, set_history_actor
from survey import selectors as survey
from survey.models import Floor

from .choices import (
    EDITABLE_STATUSES,
    AlternativeStatus,
    LayoutAction,
    WorkListKind,
    ZoneKind,
)
from .layout_check import LayoutWarning, alternative_layout_warnings
from .models import (
    Alternative,
    CatalogueItem,
    LayoutItem,
    Proposal,
    ProposalSection,
    WorkListItem,
    WorksLine,
    Zone,
)
from .workflows import ALTERNATIVE_WORKFLOW

PLACEMENT = ("floor_id", "x_mm", "y_mm", "rotation_deg", "width_mm", "depth_mm")


# --- Roles ------------------------------------------------------------------------------------


def _lock_editable(alternative: Alternative, actor) -> Alternative:
    """Lock the alternative; only the contractor edits, and only a draft or returned one."""
    require_member(actor, alternative.proposal.engagement, Action.EDIT_PROPOSAL)
    locked = Alternative.objects.select_for_update().select_related("proposal").get(
        pk=alternative.pk
    )
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("%(label)s is %(status)s and can no longer be edited.")
            % {"label": locked.label, "status": locked.get_status_display()}
        )
    return locked


# --- Catalogue --------------------------------------------------------------------------------

CATALOGUE_FIELDS = ("kind", "name", "maker", "model_number", "width_mm", "depth_mm",
                    "unit_price_yen", "tax_class", "seats", "storage_fm", "outlets", "active")


@transaction.atomic
def catalogue_item_save(*, engagement: Engagement, item: CatalogueItem | None = None,
                        values: dict, actor: AbstractBaseUser,
                        version: int | None = None) -> CatalogueItem:
    """Create or change an item of ``engagement``'s catalogue; its administrators may.

    A change is refused when somebody saved the item after the form was opened (``version``);
    an approved alternative keeps the name and price it was approved with.
    """
    require_member(actor, engagement, Action.EDIT_CATALOGUE)
    if item is None:
        item = CatalogueItem(engagement=engagement, **values)
        save_new(item, actor=actor, field="name", message=_(
            "%(name)s was just added to the catalogue by somebody else."
        ) % {"name": values.get("name", "")})
        return item
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk, engagement=engagement)
    check_version(item, version, fields=list(values))
    changed = assign_changed(item, values)
    if changed:
        changed.append(bump(item))
        save_checked(item, actor=actor, update_fields=changed)
    return item


@transaction.atomic
def catalogue_copy(*, source: Engagement, target: Engagement,
                   actor: AbstractBaseUser | None) -> list[CatalogueItem]:
    """Copy ``source``'s catalogue into ``target`` (an engagement starting from another).

    The caller decides who may (the roll-out's set-up); items whose name ``target`` already
    has are left as they are there. Returns the items created.
    """
    existing = set(CatalogueItem.objects.filter(engagement=target).values_list("name",
                                                                               flat=True))
    created = []
    for entry in CatalogueItem.objects.filter(engagement=source).order_by("pk"):
        if entry.name in existing:
            continue
        copy = CatalogueItem(engagement=target,
                             **{name: getattr(entry, name) for name in CATALOGUE_FIELDS})
        save_new(copy, actor=actor, field="name")
        created.append(copy)
    return created


# --- Proposals and alternatives ---------------------------------------------------------------


@transaction.atomic
def proposal_create(*, engagement: Engagement, title: str, summary: str = "",
                    actor: AbstractBaseUser) -> Proposal:
    """A new proposal of the engagement; the contractor writes it."""
    require_member(actor, engagement, Action.EDIT_PROPOSAL)
    proposal = Proposal(engagement=engagement, title=title, summary=summary)
    save_checked(proposal, actor=actor)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, title: str, summary: str,
                    actor: AbstractBaseUser, version: int | None = None) -> Proposal:
    require_member(actor, proposal.engagement, Action.EDIT_PROPOSAL)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    check_version(proposal, version, fields=["title", "summary"])
    changed = assign_changed(proposal, {"title": title, "summary": summary})
    if changed:
        changed.append(bump(proposal))
        save_checked(proposal, actor=actor, update_fields=changed)
    return proposal


def _survey_layout(engagement: Engagement, alternative: Alternative) -> list[LayoutItem]:
    """Every surveyed desk, furniture and storage unit, kept where it stands."""
    return [
        LayoutItem(
            alternative=alternative, engagement=engagement, action=LayoutAction.KEEP,
            **{kind: obj}, **{name: getattr(obj, name) for name in PLACEMENT},
        )
        for kind, obj in survey.baseline_layout(engagement)
    ]


def _copy_rows(rows, alternative: Alternative, fields: Sequence[str]) -> list:
    return [
        type(row)(alternative=alternative, **{name: getattr(row, name) for name in fields})
        for row in rows
    ]


@transaction.atomic
def alternative_create(*, proposal: Proposal, label: str, based_on: Alternative | None = None,
                       rationale: str = "", actor: AbstractBaseUser) -> Alternative:
    """A new draft alternative: a copy of the current (surveyed) layout, or of ``based_on``.

    Copying another alternative takes its items, zones, works and sections as they are.
    """
    engagement = proposal.engagement
    require_member(actor, engagement, Action.EDIT_PROPOSAL)
    if based_on is not None and based_on.proposal_id != proposal.pk:
        raise ValidationError({"based_on": _("Choose an alternative of this proposal.")})
    alternative = Alternative(
        proposal=proposal, label=label, based_on=based_on,
        rationale=rationale or (based_on.rationale if based_on else ""),
    )
    if based_on is not None:
        alternative.min_aisle_mm = based_on.min_aisle_mm
    save_new(alternative, actor=actor, field="label", message=_(
        "Alternative %(label)s was just added by somebody else; choose another label."
    ) % {"label": label})
    if based_on is None:
        items = _survey_layout(engagement, alternative)
        zones, works, sections = [], [], []
    else:
        item_fields = ("engagement_id", "action", "desk_id", "furniture_id", "storage_unit_id",
                       "catalogue_item_id", *PLACEMENT)
        zone_fields = ("engagement_id", "kind", "name", "capacity", *PLACEMENT)
        items = _copy_rows(based_on.items.order_by("pk"), alternative, item_fields)
        zones = _copy_rows(based_on.zones.order_by("pk"), alternative, zone_fields)
        works = _copy_rows(based_on.works_lines.all(), alternative,
                           ("description", "amount_yen", "tax_class", "sort_order"))
        sections = _copy_rows(based_on.sections.all(), alternative,
                              ("heading", "finding", "rationale", "sort_order"))
    for rows, model in ((items, LayoutItem), (zones, Zone), (works, WorksLine),
                        (sections, ProposalSection)):
        if rows:
            bulk_create_with_history(rows, model, default_user=actor)
    return alternative


@transaction.atomic
def alternative_update(*, alternative: Alternative, actor: AbstractBaseUser,
                       version: int | None = None, **values) -> Alternative:
    """Label, rationale and minimum aisle of a draft or returned alternative."""
    alternative = _lock_editable(alternative, actor)
    check_version(alternative, version, fields=list(values))
    changed = assign_changed(alternative, values)
    if changed:
        changed.append(bump(alternative))
        save_checked(alternative, actor=actor, update_fields=changed)
    return alternative


# --- Layout -----------------------------------------------------------------------------------


def _int(value, label: str, errors: list, *, minimum: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append(_("%(item)s: the position must be a whole number of mm.") % {"item": label})
        return minimum
    if number < minimum:
        errors.append(_("%(item)s: the position lies outside the floor.") % {"item": label})
    return number


def _place(obj, data: dict, floor: Floor, label: str, errors: list) -> None:
    obj.x_mm = _int(data.get("x"), label, errors)
    obj.y_mm = _int(data.get("y"), label, errors)
    obj.rotation_deg = _int(data.get("r", 0), label, errors) % 360
    if obj.x_mm > floor.width_mm or obj.y_mm > floor.depth_mm:
        errors.append(_("%(item)s: the position lies outside the floor.") % {"item": label})


@dataclass
class _LayoutChanges:
    """What one save of the editor writes: rows to save (with their changed fields, None for
    a new row) and rows to delete; ``errors`` collects every bad row before anything is
    written."""

    alternative: Alternative
    floor: Floor
    errors: list[str] = field(default_factory=list)
    to_save: list[tuple] = field(default_factory=list)
    to_delete: list = field(default_factory=list)

    @property
    def engagement(self):
        return self.alternative.proposal.engagement

    def save(self, obj, changed: list[str] | None) -> None:
        if obj.pk is None:
            self.to_save.append((obj, None))
        elif changed:
            self.to_save.append((obj, changed))


@transaction.atomic
def layout_save(*, alternative: Alternative, floor: Floor, items: list[dict], zones: list[dict],
                actor: AbstractBaseUser, version: int | None = None) -> list[LayoutWarning]:
    """Save the editor's layout of one floor: every item's placement and the zones.

    ``items``: ``{"id", "source" ("desk:12"…) or "catalogue", "x", "y", "r", "removed"}``;
    ``zones``: ``{"id", "kind", "name", "capacity", "x", "y", "w", "d", "r"}``. A survey item
    is kept where the survey has it, moved elsewhere, or removed; new items missing from the
    list are deleted; survey items cannot be deleted, only removed. Any bad row refuses the
    whole save (nothing half-saved). Returns the overlap and aisle warnings, which never block.
    """
    alternative = _lock_editable(alternative, actor)
    check_version(alternative, version, fields=["label", "status"])
    if floor.engagement_id != alternative.proposal.engagement.pk:
        raise ValidationError(_("This floor belongs to another engagement."))
    changes = _LayoutChanges(alternative, floor)
    _layout_items(changes, items)
    _layout_zones(changes, zones)
    if changes.errors:
        raise ValidationError(changes.errors)
    _layout_write(changes, actor)
    if changes.to_save or changes.to_delete:
        # The layout changed: an editor opened before this save is now stale.
        bump(alternative)
        Alternative.objects.filter(pk=alternative.pk).update(version=alternative.version)
    return alternative_layout_warnings(alternative, floor)


def _layout_items(changes: _LayoutChanges, rows: list[dict]) -> None:
    """Each row of the editor's items: found or made, then placed; new items left out of
    the list are deleted."""
    existing = {i.pk: i for i in changes.alternative.items.filter(
        floor=changes.floor).select_related("desk", "furniture", "storage_unit",
                                            "catalogue_item")}
    catalogue = CatalogueItem.objects.filter(engagement=changes.engagement).in_bulk()
    seen: set[int] = set()
    for position, data in enumerate(rows, start=1):
        label = str(data.get("label") or _("Item %(n)s") % {"n": position})
        item = _layout_item(changes, data, label, existing, catalogue)
        if item is None:
            continue
        if item.pk:
            seen.add(item.pk)
        before = {name: getattr(item, name) for name in ("x_mm", "y_mm", "rotation_deg",
                                                         "action")}
        _place(item, data, changes.floor, label, changes.errors)
        item.action = _survey_item_action(item, data)
        changes.save(item, [name for name, value in before.items()
                            if getattr(item, name) != value])
    changes.to_delete += [i for pk, i in existing.items()
                          if pk not in seen and i.action == LayoutAction.NEW]


def _layout_item(changes: _LayoutChanges, data: dict, label: str, existing: dict,
                 catalogue: dict) -> LayoutItem | None:
    """The item a row means: one of the layout (``id``), a survey item brought onto this
    floor (``source``), or a new item of the catalogue; None (and an error) otherwise."""
    errors, floor = changes.errors, changes.floor
    common = {"alternative": changes.alternative, "engagement": changes.engagement,
              "floor": floor}
    if data.get("id"):
        item = existing.get(data["id"])
        if item is None:
            errors.append(_("%(item)s is not part of this layout.") % {"item": label})
        return item
    if data.get("source"):
        name, source = survey.baseline_item(changes.engagement, data["source"])
        if source is None or source.floor_id != floor.pk:
            errors.append(_("%(item)s is not on this floor.") % {"item": label})
            return None
        if changes.alternative.items.filter(**{name: source}).exists():
            errors.append(_("%(item)s is already in the layout.") % {"item": label})
            return None
        return LayoutItem(**common, action=LayoutAction.KEEP, width_mm=source.width_mm,
                          depth_mm=source.depth_mm, **{name: source})
    entry = catalogue.get(data.get("catalogue"))
    if entry is None or not entry.active:
        errors.append(_("%(item)s: choose an item of the catalogue.") % {"item": label})
        return None
    return LayoutItem(**common, action=LayoutAction.NEW, catalogue_item=entry,
                      width_mm=entry.width_mm, depth_mm=entry.depth_mm)


def _survey_item_action(item: LayoutItem, data: dict) -> str:
    """A survey item is removed, kept (where the survey has it) or moved; a new item stays
    new."""
    survey_item = item.desk or item.furniture or item.storage_unit
    if survey_item is None:
        return item.action
    if data.get("removed"):
        return LayoutAction.REMOVE
    if (item.x_mm, item.y_mm, item.rotation_deg) == (
        survey_item.x_mm, survey_item.y_mm, survey_item.rotation_deg
    ):
        return LayoutAction.KEEP
    return LayoutAction.MOVE


def _layout_zones(changes: _LayoutChanges, rows: list[dict]) -> None:
    """Each row of the editor's zones, checked and placed; zones left out are deleted."""
    existing = {z.pk: z for z in changes.alternative.zones.filter(floor=changes.floor)}
    kept: set[int] = set()
    for position, data in enumerate(rows, start=1):
        label = str(data.get("name") or _("Zone %(n)s") % {"n": position})
        zone = existing.get(data.get("id")) if data.get("id") else None
        if data.get("id") and zone is None:
            changes.errors.append(_("%(item)s is not part of this layout.") % {"item": label})
            continue
        if zone is None:
            zone = Zone(alternative=changes.alternative, engagement=changes.engagement,
                        floor=changes.floor)
        else:
            kept.add(zone.pk)
        if data.get("kind") not in ZoneKind.values:
            changes.errors.append(_("%(item)s: choose the kind of zone.") % {"item": label})
            continue
        changes.save(zone, _zone_values(zone, data, position, label, changes))
    changes.to_delete += [z for pk, z in existing.items() if pk not in kept]


def _zone_values(zone: Zone, data: dict, position: int, label: str,
                 changes: _LayoutChanges) -> list[str]:
    """Set a zone's kind, name, capacity, size and placement; return the changed fields."""
    errors = changes.errors
    values = {"kind": data["kind"], "name": str(data.get("name") or "").strip()[:100]}
    if not values["name"]:
        errors.append(_("Zone %(n)s: enter a name.") % {"n": position})
    values["capacity"] = _int(data.get("capacity", 0), label, errors)
    values["width_mm"] = _int(data.get("w"), label, errors, minimum=1)
    values["depth_mm"] = _int(data.get("d"), label, errors, minimum=1)
    changed = assign_changed(zone, values)
    old = (zone.x_mm, zone.y_mm, zone.rotation_deg)
    _place(zone, data, changes.floor, label, errors)
    if old != (zone.x_mm, zone.y_mm, zone.rotation_deg):
        changed += ["x_mm", "y_mm", "rotation_deg"]
    return changed


def _layout_write(changes: _LayoutChanges, actor) -> None:
    for obj, changed in changes.to_save:
        try:
            save_checked(obj, actor=actor, update_fields=changed)
        except ValidationError as exc:
            raise ValidationError(
                [f"{obj.source if isinstance(obj, LayoutItem) else obj}: {m}"
                 for m in exc.messages]
            ) from exc
    for obj in changes.to_delete:
        set_history_actor(obj, actor)
        obj.delete()


# --- Sections and works -----------------------------------------------------------------------


def _rows_save(model, alternative: Alternative, rows: list[dict], fields: Sequence[str],
               actor) -> None:
    """Create, change or delete the rows of a formset: ``{"id", "DELETE", **fields}``."""
    existing = {row.pk: row for row in model.objects.filter(alternative=alternative)}
    for data in rows:
        row = existing.get(data["id"].pk if hasattr(data.get("id"), "pk") else data.get("id"))
        if data.get("DELETE"):
            if row is not None:
                set_history_actor(row, actor)
                row.delete()
            continue
        values = {name: data[name] for name in fields}
        if row is None:
            save_checked(model(alternative=alternative, **values), actor=actor)
        else:
            changed = assign_changed(row, values)
            if changed:
                save_checked(row, actor=actor, update_fields=changed)


@transaction.atomic
def sections_save(*, alternative: Alternative, rows: list[dict], actor: AbstractBaseUser) -> None:
    """The alternative's sections: heading, survey finding answered, rationale."""
    alternative = _lock_editable(alternative, actor)
    _rows_save(ProposalSection, alternative, rows,
               ("heading", "finding", "rationale", "sort_order"), actor)


@transaction.atomic
def works_lines_save(*, alternative: Alternative, rows: list[dict],
                     actor: AbstractBaseUser) -> None:
    """The alternative's works costs (integer yen without tax)."""
    alternative = _lock_editable(alternative, actor)
    _rows_save(WorksLine, alternative, rows,
               ("description", "amount_yen", "tax_class", "sort_order"), actor)


# --- Workflow ---------------------------------------------------------------------------------

@transaction.atomic
def alternative_submit(*, alternative: Alternative, actor: AbstractBaseUser,
                       comment: str = "") -> Alternative:
    """提出: the contractor submits a draft or returned alternative to the city."""
    return ALTERNATIVE_WORKFLOW.apply(alternative, AlternativeStatus.SUBMITTED, actor=actor,
                                      comment=comment)


@transaction.atomic
def alternative_return(*, alternative: Alternative, actor: AbstractBaseUser,
                       comment: str) -> Alternative:
    """差戻し: the city returns a submitted alternative; a comment saying why is required."""
    return ALTERNATIVE_WORKFLOW.apply(alternative, AlternativeStatus.RETURNED, actor=actor,
                                      comment=comment)


@transaction.atomic
def alternative_approve(*, alternative: Alternative, actor: AbstractBaseUser,
                        comment: str = "") -> Alternative:
    """承認: the city approves a submitted alternative; it is frozen from then on.

    Its new items keep their catalogue names and prices as approved (``LayoutItem.
    catalogue_name``, ``catalogue_unit_price_yen``, ``catalogue_tax_class``).

    Refused when another alternative of the proposal is approved (the proposal is locked
    first, so two approvals of one proposal wait for each other). Produces the work lists:
    procurement (new items, by catalogue item) and disposal (removed survey items).
    """
    Proposal.objects.select_for_update().get(pk=alternative.proposal_id)
    approved = ALTERNATIVE_WORKFLOW.apply(alternative, AlternativeStatus.APPROVED, actor=actor,
                                          comment=comment)
    _catalogue_freeze(approved, actor)
    _work_lists_create(approved, actor)
    return approved


def _catalogue_freeze(alternative: Alternative, actor) -> None:
    """Copy each new item's catalogue name and price onto its row: what was approved stays
    as approved, whatever the catalogue says later."""
    items = list(alternative.items.filter(catalogue_item__isnull=False).select_related(
        "catalogue_item").order_by("pk"))
    fields = [item.freeze_catalogue() for item in items]
    if items:
        bulk_update_with_history(items, LayoutItem, fields[0], default_user=actor)


@transaction.atomic
def alternative_transition(*, alternative: Alternative, target: str, actor: AbstractBaseUser,
                           comment: str = "") -> Alternative:
    """Move an alternative to ``target``: the one entry point of the transition view."""
    if target == AlternativeStatus.APPROVED:
        return alternative_approve(alternative=alternative, actor=actor, comment=comment)
    return ALTERNATIVE_WORKFLOW.apply(alternative, target, actor=actor, comment=comment)


def _work_lists_create(alternative: Alternative, actor) -> None:
    items = list(
        alternative.items.filter(action__in=[LayoutAction.NEW, LayoutAction.REMOVE])
        .select_related("catalogue_item", "desk", "furniture", "storage_unit")
        .order_by("pk")
    )
    quantities = Counter(i.catalogue_item for i in items if i.action == LayoutAction.NEW)
    rows = [
        WorkListItem(alternative=alternative, kind=WorkListKind.PROCURE, catalogue_item=entry,
                     quantity=count, unit_price_yen=entry.unit_price_yen,
                     description=entry.label)
        for entry, count in sorted(quantities.items(), key=lambda pair: (pair[0].kind,
                                                                          pair[0].name))
    ]
    for item in items:
        if item.action == LayoutAction.REMOVE:
            source = item.desk or item.furniture or item.storage_unit
            rows.append(WorkListItem(
                alternative=alternative, kind=WorkListKind.DISPOSE, desk=item.desk,
                furniture=item.furniture, storage_unit=item.storage_unit,
                description=f"{source._meta.verbose_name} {source}",
            ))
    if rows:
        bulk_create_with_history(rows, WorkListItem, default_user=actor)


@transaction.atomic
def alternative_edit(*, alternative: Alternative, values: dict, sections: list[dict],
                     works: list[dict], actor: AbstractBaseUser) -> Alternative:
    """The edit page in one go: label, rationale and minimum aisle, the sections and the works
    costs. All or nothing: a refused part leaves the alternative as it was."""
    values = dict(values)
    version = values.pop("version", None)
    alternative = alternative_update(alternative=alternative, actor=actor, version=version,
                                     **values)
    if sections or works:
        bump(alternative)
        Alternative.objects.filter(pk=alternative.pk).update(version=alternative.version)
    sections_save(alternative=alternative, rows=sections, actor=actor)
    works_lines_save(alternative=alternative, rows=works, actor=actor)
    return alternative
