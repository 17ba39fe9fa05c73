"""Writes of the proposals stage. Every write checks the actor's role again.

Each function is keyword-only and atomic, locks the row it changes, runs ``full_clean`` and
names the actor in the history row. Status changes go through ``_transition`` only: it checks
the allowed source states from ``choices.ALLOWED_TRANSITIONS`` and writes exactly one
``StatusChange``; a refused transition raises ``ValidationError`` and writes nothing.
"""

from collections import Counter
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from engagements.models import Engagement, Membership
from engagements.permissions import Action, require, role_can
from engagements.services import assign_changed, save_checked, set_history_actor
from survey.models import Desk, Floor, Furniture, StorageUnit

from .choices import (
    EDITABLE_STATUSES,
    AlternativeStatus,
    LayoutAction,
    WorkListKind,
    ZoneKind,
)
from .layout_check import LayoutWarning
from .models import (
    Alternative,
    CatalogueItem,
    LayoutItem,
    Proposal,
    ProposalSection,
    StatusChange,
    WorkListItem,
    WorksLine,
    Zone,
)

PLACEMENT = ("floor_id", "x_mm", "y_mm", "rotation_deg", "width_mm", "depth_mm")
SURVEY_SOURCES = {"desk": Desk, "furniture": Furniture, "storage_unit": StorageUnit}


# --- Roles ------------------------------------------------------------------------------------


def _require(engagement: Engagement, actor: AbstractBaseUser, action: Action) -> None:
    role = (
        Membership.objects.filter(engagement=engagement, user=actor)
        .values_list("role", flat=True)
        .first()
    )
    require(role, action)


def can_edit_catalogue(actor: AbstractBaseUser) -> bool:
    """The catalogue is global: administrators of at least one engagement edit it."""
    roles = Membership.objects.filter(user=actor).values_list("role", flat=True)
    return any(role_can(role, Action.EDIT_CATALOGUE) for role in roles)




def _lock_editable(alternative: Alternative, actor) -> Alternative:
    """Lock the alternative; only the contractor edits, and only a draft or returned one."""
    _require(alternative.proposal.engagement, actor, Action.EDIT_PROPOSAL)
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


@transaction.atomic
def catalogue_item_save(*, item: CatalogueItem | None = None, values: dict,
                        actor: AbstractBaseUser) -> CatalogueItem:
    """Create or change a catalogue item. Only administrators (of any engagement) may."""
    if not can_edit_catalogue(actor):
        require(None, Action.EDIT_CATALOGUE)
    if item is None:
        item = CatalogueItem(**values)
        save_checked(item, actor=actor)
        return item
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    changed = assign_changed(item, values)
    if changed:
        save_checked(item, actor=actor, update_fields=changed)
    return item


# --- Proposals and alternatives ---------------------------------------------------------------


@transaction.atomic
def proposal_create(*, engagement: Engagement, title: str, summary: str = "",
                    actor: AbstractBaseUser) -> Proposal:
    """A new proposal of the engagement; the contractor writes it."""
    _require(engagement, actor, Action.EDIT_PROPOSAL)
    proposal = Proposal(engagement=engagement, title=title, summary=summary)
    save_checked(proposal, actor=actor)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, title: str, summary: str,
                    actor: AbstractBaseUser) -> Proposal:
    _require(proposal.engagement, actor, Action.EDIT_PROPOSAL)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    changed = assign_changed(proposal, {"title": title, "summary": summary})
    if changed:
        save_checked(proposal, actor=actor, update_fields=changed)
    return proposal


def _survey_layout(engagement: Engagement, alternative: Alternative) -> list[LayoutItem]:
    """Every surveyed desk, furniture and storage unit, kept where it stands."""
    items = []
    for field_name, model in SURVEY_SOURCES.items():
        for obj in model.objects.filter(engagement=engagement).order_by("pk"):
            items.append(LayoutItem(
                alternative=alternative, engagement=engagement, action=LayoutAction.KEEP,
                **{field_name: obj}, **{name: getattr(obj, name) for name in PLACEMENT},
            ))
    return items


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
    _require(engagement, actor, Action.EDIT_PROPOSAL)
    if based_on is not None and based_on.proposal_id != proposal.pk:
        raise ValidationError({"based_on": _("Choose an alternative of this proposal.")})
    alternative = Alternative(
        proposal=proposal, label=label, based_on=based_on,
        rationale=rationale or (based_on.rationale if based_on else ""),
    )
    if based_on is not None:
        alternative.min_aisle_mm = based_on.min_aisle_mm
    save_checked(alternative, actor=actor)
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
                       **values) -> Alternative:
    """Label, rationale and minimum aisle of a draft or returned alternative."""
    alternative = _lock_editable(alternative, actor)
    changed = assign_changed(alternative, values)
    if changed:
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


def _survey_source(engagement, key: str):
    name, _sep, pk = (key or "").partition(":")
    model = SURVEY_SOURCES.get(name)
    if model is None or not pk.isdigit():
        return None, None
    return name, model.objects.filter(engagement=engagement, pk=int(pk)).first()


@transaction.atomic
def layout_save(*, alternative: Alternative, floor: Floor, items: list[dict], zones: list[dict],
                actor: AbstractBaseUser) -> list[LayoutWarning]:
    """Save the editor's layout of one floor: every item's placement and the zones.

    ``items``: ``{"id", "source" ("desk:12"…) or "catalogue", "x", "y", "r", "removed"}``;
    ``zones``: ``{"id", "kind", "name", "capacity", "x", "y", "w", "d", "r"}``. A survey item
    is kept where the survey has it, moved elsewhere, or removed; new items missing from the
    list are deleted; survey items cannot be deleted, only removed. Any bad row refuses the
    whole save (nothing half-saved). Returns the overlap and aisle warnings, which never block.
    """
    from .selectors import layout_warnings

    alternative = _lock_editable(alternative, actor)
    engagement = alternative.proposal.engagement
    if floor.engagement_id != engagement.pk:
        raise ValidationError(_("This floor belongs to another engagement."))
    errors: list[str] = []
    existing = {i.pk: i for i in alternative.items.filter(floor=floor).select_related(
        "desk", "furniture", "storage_unit", "catalogue_item")}
    catalogue = CatalogueItem.objects.in_bulk()
    seen: set[int] = set()
    to_save: list[tuple[LayoutItem, list[str] | None]] = []
    for position, data in enumerate(items, start=1):
        label = str(data.get("label") or _("Item %(n)s") % {"n": position})
        item_id = data.get("id")
        if item_id:
            item = existing.get(item_id)
            if item is None:
                errors.append(_("%(item)s is not part of this layout.") % {"item": label})
                continue
            seen.add(item.pk)
        elif data.get("source"):
            name, source = _survey_source(engagement, data["source"])
            if source is None or source.floor_id != floor.pk:
                errors.append(_("%(item)s is not on this floor.") % {"item": label})
                continue
            if alternative.items.filter(**{name: source}).exists():
                errors.append(_("%(item)s is already in the layout.") % {"item": label})
                continue
            item = LayoutItem(alternative=alternative, engagement=engagement, floor=floor,
                              action=LayoutAction.KEEP, width_mm=source.width_mm,
                              depth_mm=source.depth_mm, **{name: source})
        else:
            entry = catalogue.get(data.get("catalogue"))
            if entry is None or not entry.active:
                errors.append(_("%(item)s: choose an item of the catalogue.") % {"item": label})
                continue
            item = LayoutItem(alternative=alternative, engagement=engagement, floor=floor,
                              action=LayoutAction.NEW, catalogue_item=entry,
                              width_mm=entry.width_mm, depth_mm=entry.depth_mm)
        before = {name: getattr(item, name) for name in ("x_mm", "y_mm", "rotation_deg",
                                                         "action")}
        _place(item, data, floor, label, errors)
        survey_item = item.desk or item.furniture or item.storage_unit
        if survey_item is not None:
            if data.get("removed"):
                item.action = LayoutAction.REMOVE
            elif (item.x_mm, item.y_mm, item.rotation_deg) == (
                survey_item.x_mm, survey_item.y_mm, survey_item.rotation_deg
            ):
                item.action = LayoutAction.KEEP
            else:
                item.action = LayoutAction.MOVE
        changed = [name for name, value in before.items() if getattr(item, name) != value]
        if item.pk is None:
            to_save.append((item, None))
        elif changed:
            to_save.append((item, changed))
    stale_new = [i for pk, i in existing.items() if pk not in seen and i.action == LayoutAction.NEW]

    existing_zones = {z.pk: z for z in alternative.zones.filter(floor=floor)}
    kept_zones: set[int] = set()
    zones_to_save: list[tuple[Zone, list[str] | None]] = []
    for position, data in enumerate(zones, start=1):
        label = str(data.get("name") or _("Zone %(n)s") % {"n": position})
        zone = existing_zones.get(data.get("id")) if data.get("id") else None
        if data.get("id") and zone is None:
            errors.append(_("%(item)s is not part of this layout.") % {"item": label})
            continue
        if zone is None:
            zone = Zone(alternative=alternative, engagement=engagement, floor=floor)
        else:
            kept_zones.add(zone.pk)
        if data.get("kind") not in ZoneKind.values:
            errors.append(_("%(item)s: choose the kind of zone.") % {"item": label})
            continue
        values = {"kind": data["kind"], "name": str(data.get("name") or "").strip()[:100]}
        if not values["name"]:
            errors.append(_("Zone %(n)s: enter a name.") % {"n": position})
        values["capacity"] = _int(data.get("capacity", 0), label, errors)
        values["width_mm"] = _int(data.get("w"), label, errors, minimum=1)
        values["depth_mm"] = _int(data.get("d"), label, errors, minimum=1)
        changed = assign_changed(zone, values)
        old = (zone.x_mm, zone.y_mm, zone.rotation_deg)
        _place(zone, data, floor, label, errors)
        if old != (zone.x_mm, zone.y_mm, zone.rotation_deg):
            changed += ["x_mm", "y_mm", "rotation_deg"]
        if zone.pk is None or changed:
            zones_to_save.append((zone, None if zone.pk is None else changed))
    stale_zones = [z for pk, z in existing_zones.items() if pk not in kept_zones]

    if errors:
        raise ValidationError(errors)
    for obj, changed in [*to_save, *zones_to_save]:
        try:
            save_checked(obj, actor=actor, update_fields=changed)
        except ValidationError as exc:
            raise ValidationError(
                [f"{obj.source if isinstance(obj, LayoutItem) else obj}: {m}"
                 for m in exc.messages]
            ) from exc
    for obj in [*stale_new, *stale_zones]:
        set_history_actor(obj, actor)
        obj.delete()
    return layout_warnings(alternative, floor)


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

TRANSITION_ACTIONS = {
    AlternativeStatus.SUBMITTED: Action.EDIT_PROPOSAL,
    AlternativeStatus.RETURNED: Action.DECIDE_PROPOSAL,
    AlternativeStatus.APPROVED: Action.DECIDE_PROPOSAL,
}


def _transition(*, alternative: Alternative, target: str, actor: AbstractBaseUser,
                comment: str = "") -> tuple[Alternative, str]:
    """Lock, check role and source state, move, and write one StatusChange row."""
    proposal = Proposal.objects.select_for_update().get(pk=alternative.proposal_id)
    _require(proposal.engagement, actor, TRANSITION_ACTIONS[target])
    locked = Alternative.objects.select_for_update().get(pk=alternative.pk)
    if not locked.can_move_to(target):
        raise ValidationError(
            _("%(label)s is %(status)s: it cannot be moved to %(target)s.")
            % {"label": locked.label, "status": locked.get_status_display(),
               "target": AlternativeStatus(target).label}
        )
    old = locked.status
    locked.status = target
    save_checked(locked, actor=actor, update_fields=["status"])
    StatusChange.objects.create(
        alternative=locked, old_status=old, new_status=target, actor=actor, comment=comment
    )
    return locked, old


@transaction.atomic
def alternative_submit(*, alternative: Alternative, actor: AbstractBaseUser,
                       comment: str = "") -> Alternative:
    """提出: the contractor submits a draft or returned alternative to the city.

    Refused when another alternative of the proposal is approved: the city could only return it.
    """
    Proposal.objects.select_for_update().get(pk=alternative.proposal_id)
    other = (
        Alternative.objects.filter(proposal_id=alternative.proposal_id,
                                   status=AlternativeStatus.APPROVED)
        .exclude(pk=alternative.pk).first()
    )
    if other is not None:
        raise ValidationError(
            _("%(other)s of this proposal is already approved, so %(label)s cannot be "
              "submitted.") % {"other": other.label, "label": alternative.label}
        )
    return _transition(alternative=alternative, target=AlternativeStatus.SUBMITTED,
                       actor=actor, comment=comment)[0]


@transaction.atomic
def alternative_return(*, alternative: Alternative, actor: AbstractBaseUser,
                       comment: str) -> Alternative:
    """差戻し: the city returns a submitted alternative; a comment saying why is required."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the alternative is returned.")})
    return _transition(alternative=alternative, target=AlternativeStatus.RETURNED,
                       actor=actor, comment=comment.strip())[0]


@transaction.atomic
def alternative_approve(*, alternative: Alternative, actor: AbstractBaseUser,
                        comment: str = "") -> Alternative:
    """承認: the city approves a submitted alternative; it is frozen from then on.

    Refused when another alternative of the proposal is approved. Produces the work lists:
    procurement (new items, by catalogue item) and disposal (removed survey items).
    """
    proposal = Proposal.objects.select_for_update().get(pk=alternative.proposal_id)
    _require(proposal.engagement, actor, Action.DECIDE_PROPOSAL)
    other = (
        Alternative.objects.filter(proposal_id=alternative.proposal_id,
                                   status=AlternativeStatus.APPROVED)
        .exclude(pk=alternative.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("%(other)s of this proposal is already approved; only one alternative can be.")
            % {"other": other.label}
        )
    approved, _old = _transition(alternative=alternative, target=AlternativeStatus.APPROVED,
                                 actor=actor, comment=comment)
    _work_lists_create(approved, actor)
    return approved


def _work_lists_create(alternative: Alternative, actor) -> None:
    from .selectors import catalogue_label

    items = list(
        alternative.items.filter(action__in=[LayoutAction.NEW, LayoutAction.REMOVE])
        .select_related("catalogue_item", "desk", "furniture", "storage_unit")
        .order_by("pk")
    )
    quantities = Counter(i.catalogue_item for i in items if i.action == LayoutAction.NEW)
    rows = [
        WorkListItem(alternative=alternative, kind=WorkListKind.PROCURE, catalogue_item=entry,
                     quantity=count, unit_price_yen=entry.unit_price_yen,
                     description=catalogue_label(entry))
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
    alternative = alternative_update(alternative=alternative, actor=actor, **values)
    sections_save(alternative=alternative, rows=sections, actor=actor)
    works_lines_save(alternative=alternative, rows=works, actor=actor)
    return alternative
