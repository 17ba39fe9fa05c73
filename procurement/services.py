"""Every write of the procurement stage: one function per change, keyword-only, atomic.

Each checks the actor's role (``require_member``), locks the row it changes, checks the source
state (status changes go through the ``Workflow`` tables in ``workflows.py``), writes, and
leaves one history or status-change row. A refused change raises ``ValidationError`` (Japanese
message, field-keyed where a form shows it) or ``PermissionDenied`` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.choices import OrganisationKind
from engagements.concurrency import check_version
from engagements.files import save_file_on_commit
from engagements.models import Organisation
from engagements.permissions import Action, require_member
from engagements.pricing import without_tax
from engagements.services import save_checked, save_new
from engagements.uploads import Kind, validate_upload

from . import selectors
from .choices import FindingStatus, OrderStatus, PositionKind, PositionStatus
from .models import (
    Connection,
    Finding,
    FindingStatusChange,
    InstallationDay,
    OATap,
    Order,
    OrderLine,
    PlanLine,
    Position,
    ProcurementPlan,
    Quote,
    QuoteLine,
    Supplier,
)
from .rules import normalise_name
from .workflows import FINDING_WORKFLOW, ORDER_WORKFLOW, POSITION_WORKFLOW

P = PositionStatus


def _conf(key):
    return settings.OFFICE_REFORM["PROCUREMENT"][key]


def _today() -> dt.date:
    return timezone.localdate()


# --- The plan ---------------------------------------------------------------------------------

_KIND_OF_CATALOGUE = {
    "desk": PositionKind.DESK, "free_address_table": PositionKind.DESK,
    "booth": PositionKind.BOOTH, "cabinet": PositionKind.STORAGE,
    "locker": PositionKind.STORAGE,
}
_LABEL_PREFIX = {PositionKind.DESK: "T", PositionKind.BOOTH: "B", PositionKind.STORAGE: "S",
                 PositionKind.OTHER: "F"}


def _position_from_item(plan, item, line, number: int) -> Position:
    """A position for a layout item: a new catalogue unit (with ``line``) or a kept desk."""
    position = Position(
        engagement=plan.engagement, plan=plan, line=line, layout_item=item, floor_id=item.floor_id,
        x_mm=item.x_mm, y_mm=item.y_mm, rotation_deg=item.rotation_deg,
        width_mm=item.width_mm, depth_mm=item.depth_mm,
    )
    if line is not None:
        entry = item.catalogue_entry  # as approved
        kind = _KIND_OF_CATALOGUE.get(entry.kind, PositionKind.OTHER)
        position.kind = kind
        position.label = f"{_LABEL_PREFIX[kind]}{number:02d}"
        if kind == PositionKind.DESK:
            position.pc_count = position.monitor_count = entry.seats
            position.required_lan = entry.seats
        elif kind == PositionKind.BOOTH:
            position.pc_count = position.monitor_count = 1
            position.booth_equipment = True
            position.required_lan = 1
        position.required_power = entry.outlets
    else:
        desk = item.desk
        position.kind = PositionKind.DESK
        position.label = desk.number
        position.pc_count = int(desk.has_pc)
        position.monitor_count = desk.monitor_count
        position.phone_count = int(desk.has_phone)
        position.printer_count = int(desk.has_printer)
        position.required_lan = desk.lan_outlets or (position.pc_count + position.printer_count)
        position.required_power = desk.power_outlets or (
            position.pc_count + position.monitor_count + position.printer_count)
        position.required_phone = position.phone_count
    return position


def _new_positions(plan, items, lines_by_entry: dict, start: Counter, skip=frozenset()) -> list:
    numbers = Counter(start)
    positions = []
    for item in items:
        if item.pk in skip:
            continue
        if item.action == "new":
            line = lines_by_entry.get(item.catalogue_item_id)
            if line is None:
                continue
            kind = _KIND_OF_CATALOGUE.get(item.catalogue_entry.kind, PositionKind.OTHER)
            numbers[kind] += 1
            positions.append(_position_from_item(plan, item, line, numbers[kind]))
        elif item.action in ("keep", "move") and item.desk_id:
            positions.append(_position_from_item(plan, item, None, 0))
    return positions


def _save_positions(positions, actor) -> None:
    for position in positions:
        save_checked(position, actor=actor)


@transaction.atomic
def plan_start(*, engagement, actor) -> ProcurementPlan:
    """Copy the approved alternative's work list into a procurement plan, with positions."""
    require_member(actor, engagement, Action.EDIT_PROCUREMENT)
    if ProcurementPlan.objects.select_for_update().filter(engagement=engagement).exists():
        raise ValidationError(_("Procurement has already started."))
    approved = selectors.approved_procure_lines(engagement)
    if not approved:
        raise ValidationError(_("No alternative is approved yet: nothing to procure."))
    alternative = approved[0].alternative
    plan = ProcurementPlan(engagement=engagement, alternative=alternative, adopted_by=actor)
    save_checked(plan, actor=actor)
    lines = {}
    for order, row in enumerate(approved, start=1):
        line = PlanLine(engagement=engagement, plan=plan, catalogue_item=row.catalogue_item,
                        description=row.description, quantity=row.quantity,
                        budget_unit_price_yen=row.unit_price_yen, sort_order=order)
        save_checked(line, actor=actor)
        lines[row.catalogue_item_id] = line
    _save_positions(_new_positions(plan, selectors.approved_layout(alternative), lines,
                                   Counter()), actor)
    return plan


def _drop_unordered_positions(plan: ProcurementPlan) -> set:
    """Positions not yet ordered are redrawn from the new layout; ordered ones stay.

    Returns the layout items of the positions that stay."""
    kept_items = set()
    for position in Position.objects.select_for_update(of=("self",)).filter(plan=plan):
        if position.line_id is None or position.status == P.NOT_ORDERED:
            position.delete()
        elif position.layout_item_id:
            kept_items.add(position.layout_item_id)
    return kept_items


def _add_approved_lines(plan: ProcurementPlan, approved: dict, lines: dict, actor) -> None:
    """A line for each approved row the plan does not have yet (added to ``lines``)."""
    next_order = max((line.sort_order for line in lines.values()), default=0)
    for entry_id, row in approved.items():
        line = lines.get(entry_id)
        if line is None:
            next_order += 1
            line = PlanLine(engagement=plan.engagement, plan=plan,
                            catalogue_item=row.catalogue_item, description=row.description,
                            quantity=row.quantity, budget_unit_price_yen=row.unit_price_yen,
                            sort_order=next_order)
            save_checked(line, actor=actor)
            lines[entry_id] = line


@transaction.atomic
def plan_adopt_changes(*, plan: ProcurementPlan, version=None, actor) -> ProcurementPlan:
    """Adopt the approved alternative's work list as it is now (after a change of approval).

    Lines and positions not yet ordered follow the new approval; a unit already ordered is
    never dropped: its position stays, and its line keeps at least the ordered quantity.
    """
    require_member(actor, plan.engagement, Action.EDIT_PROCUREMENT)
    plan = ProcurementPlan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version, fields=["alternative"])
    diff = selectors.plan_diff(plan)
    if not diff.changed:
        raise ValidationError(_("The plan already follows the approved alternative."))
    approved = {row.catalogue_item_id: row for row in diff.approved_rows}
    lines = {line.catalogue_item_id: line for line in
             PlanLine.objects.select_for_update().filter(plan=plan)}
    kept_items = _drop_unordered_positions(plan)
    _add_approved_lines(plan, approved, lines, actor)
    ordered = Counter(Position.objects.filter(plan=plan).exclude(line=None)
                      .values_list("line_id", flat=True))
    for entry_id, line in list(lines.items()):
        row = approved.get(entry_id)
        quantity = max(row.quantity if row else 0, ordered[line.pk])
        if quantity == 0 and not line.order_lines.exists():
            line.delete()
            del lines[entry_id]
            continue
        values = {"quantity": quantity}
        if row is not None:
            values["budget_unit_price_yen"] = row.unit_price_yen
        for name, value in values.items():
            setattr(line, name, value)
        line.bump_version()
        save_checked(line, actor=actor)
    # The new layout's units beyond those already ordered get positions.
    labels = Counter()
    for position in Position.objects.filter(plan=plan).exclude(line=None):
        labels[position.kind] = max(labels[position.kind], int(position.label[1:] or 0))
    items = selectors.approved_layout(diff.alternative)
    room = {line.pk: line.quantity - ordered[line.pk] for line in lines.values()}
    new = []
    for position in _new_positions(plan, items, lines, labels, skip=kept_items):
        if position.line_id is None:
            new.append(position)
        elif room.get(position.line_id, 0) > 0:
            room[position.line_id] -= 1
            new.append(position)
    _save_positions(new, actor)
    plan.alternative = diff.alternative
    plan.bump_version()
    save_checked(plan, actor=actor)
    return plan


@transaction.atomic
def plan_budget_set(*, plan: ProcurementPlan, budget_yen: int | None, version=None,
                    actor) -> ProcurementPlan:
    require_member(actor, plan.engagement, Action.SET_PROCUREMENT_BUDGET)
    plan = ProcurementPlan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version, fields=["budget_yen"])
    plan.budget_yen = budget_yen
    plan.bump_version()
    save_checked(plan, actor=actor)
    return plan


@transaction.atomic
def line_update(*, line: PlanLine, height_mm: int | None, version=None, actor) -> PlanLine:
    require_member(actor, line.engagement, Action.EDIT_PROCUREMENT)
    line = PlanLine.objects.select_for_update().get(pk=line.pk)
    check_version(line, version, fields=["height_mm"])
    line.height_mm = height_mm
    line.bump_version()
    save_checked(line, actor=actor)
    return line


# --- Suppliers, orders, quotes ----------------------------------------------------------------


def _supplier_company(name: str, actor) -> Organisation:
    """The company of that name (widths and spaces aside), else a new one."""
    key = normalise_name(name)
    for company in Organisation.objects.filter(kind=OrganisationKind.COMPANY).order_by("pk"):
        if normalise_name(company.name) == key:
            return company
    company = Organisation(name=name, kind=OrganisationKind.COMPANY)
    save_checked(company, actor=actor)
    return company


@transaction.atomic
def supplier_create(*, engagement, name: str, actor) -> Organisation:
    """Make a company one of ``engagement``'s suppliers (offered in its forms only).

    A name already among the engagement's suppliers is refused, also when a simultaneous
    request adds it at the same moment (a database constraint, ``save_new``). The company row
    of that name is reused when there is one; returns the company.
    """
    require_member(actor, engagement, Action.EDIT_PROCUREMENT)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the company's name.")})
    key = normalise_name(name)
    if len(key) > Supplier._meta.get_field("name_key").max_length:
        # Some characters widen when normalised (㍿ → 株式会社).
        raise ValidationError({"name": _("The company's name is too long.")})
    taken = _("%(name)s is already a supplier of this engagement.") % {"name": name}
    if Supplier.objects.filter(engagement=engagement, name_key=key).exists():
        raise ValidationError({"name": taken}, code="unique")
    company = _supplier_company(name, actor)
    link = Supplier(engagement=engagement, organisation=company, name_key=key)
    try:
        save_new(link, actor=actor, field="name", message=taken)
    except ValidationError as exc:
        # Added by a simultaneous request: full_clean's own wording would name the normalised
        # key; say it with the name as typed.
        raise ValidationError({"name": taken}, code="unique") from exc
    return company


def supplier_check(engagement, company: Organisation | None, *, field: str) -> None:
    """A company recorded on this engagement's records must be one of its suppliers."""
    if company is not None and not selectors.is_supplier(engagement, company):
        raise ValidationError({field: _("Choose one of this engagement's suppliers.")})


def _remaining(line: PlanLine, exclude_order=None) -> int:
    drafted = OrderLine.objects.filter(plan_line=line).exclude(
        order__status=OrderStatus.CANCELLED)
    if exclude_order is not None:
        drafted = drafted.exclude(order=exclude_order)
    return line.quantity - sum(drafted.values_list("quantity", flat=True))


@transaction.atomic
def order_create(*, engagement, title: str, quantities: dict[int, int], actor) -> Order:
    """Draft an order for some plan lines. ``quantities``: plan line pk → quantity."""
    require_member(actor, engagement, Action.EDIT_PROCUREMENT)
    lines = {line.pk: line for line in
             PlanLine.objects.select_for_update().filter(engagement=engagement,
                                                         pk__in=quantities)}
    errors = {}
    wanted = {pk: q for pk, q in quantities.items() if q}
    if not wanted:
        raise ValidationError(_("Give a quantity for at least one line."))
    for pk, quantity in wanted.items():
        line = lines.get(pk)
        if line is None:
            raise ValidationError(_("That line is not in this engagement's plan."))
        if quantity < 0:
            errors[f"qty_{pk}"] = _("A quantity cannot be negative.")
            continue
        remaining = _remaining(line)
        if quantity > remaining:
            errors[f"qty_{pk}"] = _(
                "Only %(n)s of %(item)s are left to order.") % {"n": remaining, "item": line}
    if errors:
        raise ValidationError(errors)
    order = Order(engagement=engagement, title=title.strip() or _("Furniture"),
                  created_by=actor)
    save_checked(order, actor=actor)
    for pk, quantity in wanted.items():
        save_checked(OrderLine(order=order, plan_line=lines[pk], quantity=quantity), actor=actor)
    return order


@transaction.atomic
def quote_create(*, order: Order, supplier: Organisation, quoted_on: dt.date,
                 valid_until: dt.date | None, tax_included: bool, prices: dict[int, int],
                 file=None, notes: str = "", actor) -> Quote:
    """A supplier's quote for the draft ``order``. ``prices``: order line pk → unit price as
    written on the quote (with tax when ``tax_included``); lines without a price are not
    covered by this quote."""
    require_member(actor, order.engagement, Action.EDIT_PROCUREMENT)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("Quotes are added only while the order is being quoted."))
    if supplier.kind != OrganisationKind.COMPANY:
        raise ValidationError({"supplier": _("A supplier must be a company.")})
    supplier_check(order.engagement, supplier, field="supplier")
    if file:
        try:
            validate_upload(file, (Kind.PDF, Kind.IMAGE))
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
    lines = {line.pk: line for line in order.lines.all()}
    priced = {pk: p for pk, p in prices.items() if p is not None}
    if not priced:
        raise ValidationError(_("Give a unit price for at least one line."))
    if set(priced) - set(lines):
        raise ValidationError(_("That line is not in this order."))
    errors = {f"price_{pk}": _("A price cannot be negative.") for pk, p in priced.items()
              if p < 0}
    if errors:
        raise ValidationError(errors)
    quote = Quote(engagement=order.engagement, order=order, supplier=supplier,
                  quoted_on=quoted_on, valid_until=valid_until, tax_included=tax_included,
                  notes=notes, created_by=actor)
    if file:
        quote.file = file
        save_file_on_commit(quote, "file")  # written once the quote commits
    save_checked(quote, actor=actor)
    for pk, price in priced.items():
        save_checked(QuoteLine(quote=quote, order_line=lines[pk],
                               unit_price_yen=without_tax(price) if tax_included else price),
                     actor=actor)
    return quote


@transaction.atomic
def quote_file_set(*, quote: Quote, file, version=None, actor) -> Quote:
    """Attach the quote's file, or replace a wrong one, while its order is being quoted
    (afterwards the file is the record of what was ordered). The history keeps the old one."""
    require_member(actor, quote.engagement, Action.EDIT_PROCUREMENT)
    locked = Quote.objects.select_for_update().select_related("order").get(pk=quote.pk)
    check_version(locked, version, fields=["file"])
    if locked.order.status != OrderStatus.DRAFT:
        raise ValidationError(_("The quote's file can be changed only while the order is "
                                "being quoted."))
    if not file:
        raise ValidationError({"file": _("Choose the file of the quote.")})
    try:
        validate_upload(file, (Kind.PDF, Kind.IMAGE))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    locked.file = file
    save_file_on_commit(locked, "file")  # written once committed; the old one stays for history
    locked.bump_version()
    save_checked(locked, actor=actor)
    return locked


@transaction.atomic
def order_choose_quote(*, order: Order, quote: Quote, reason: str = "", version=None,
                       actor) -> Order:
    """Choose the quote to order from; a quote not the lowest, or fewer quotes than the
    amount requires, needs a written reason."""
    require_member(actor, order.engagement, Action.EDIT_PROCUREMENT)
    order = Order.objects.select_for_update().get(pk=order.pk)
    check_version(order, version, fields=["chosen_quote", "choice_reason"])
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("The quote can be chosen only while the order is being quoted."))
    comparison = selectors.order_comparison(order)
    column = next((c for c in comparison.columns if c.quote.pk == quote.pk), None)
    if column is None:
        raise ValidationError({"quote": _("That quote is not one of this order's.")})
    if not column.complete:
        raise ValidationError({"quote": _(
            "This quote does not price every line of the order; it cannot be chosen.")})
    needs = comparison.reason_needed_for(column)
    reason = (reason or "").strip()
    if needs and not reason:
        raise ValidationError({"reason": " ".join(str(n) for n in needs) + " " + _(
            "Write the reason for this choice.")})
    order.chosen_quote = quote
    order.choice_reason = reason
    order.bump_version()
    save_checked(order, actor=actor)
    return order


@transaction.atomic
def order_issue(*, order: Order, number: str, ordered_on: dt.date, delivery_due: dt.date,
                delivery_place: str, version=None, actor) -> Order:
    """Issue the order from its chosen quote: its units become 発注済."""
    require_member(actor, order.engagement, Action.EDIT_PROCUREMENT)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    check_version(locked, version, fields=["status", "chosen_quote"])
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = _("Give the order number.")
    elif Order.objects.filter(engagement=locked.engagement, number=number).exclude(
            pk=locked.pk).exists():
        errors["number"] = _("Order number %(n)s is already used in this engagement.") % {
            "n": number}
    if not delivery_place.strip():
        errors["delivery_place"] = _("Give the place of delivery.")
    if locked.chosen_quote_id is None:
        errors["__all__"] = _("Choose a quote before issuing the order.")
    if errors:
        raise ValidationError(errors)
    issued = ORDER_WORKFLOW.apply(
        locked, OrderStatus.ISSUED, actor=actor,
        values={"number": number, "ordered_on": ordered_on, "delivery_due": delivery_due,
                "delivery_place": delivery_place.strip()})
    for order_line in issued.lines.select_related("plan_line"):
        free = list(Position.objects.select_for_update(of=("self",)).filter(
            line=order_line.plan_line, status=P.NOT_ORDERED).order_by("label", "pk")
            [:order_line.quantity])
        if len(free) < order_line.quantity:
            raise ValidationError(_("Only %(n)s of %(item)s are left to order.") % {
                "n": len(free), "item": order_line.plan_line})
        for position in free:
            POSITION_WORKFLOW.apply(position, P.ORDERED, actor=actor, values={"order": issued})
    return issued


@transaction.atomic
def order_cancel(*, order: Order, comment: str, actor) -> Order:
    require_member(actor, order.engagement, Action.EDIT_PROCUREMENT)
    return ORDER_WORKFLOW.apply(order, OrderStatus.CANCELLED, actor=actor, comment=comment)


# --- Subcontracting gate (再委託) ---------------------------------------------------------------


def subcontract_check(engagement, company: Organisation | None, *, field: str) -> None:
    """Work recorded as done by a company other than the contractor needs the city's approved
    再委託 request naming that company for item (3) of the work (approvals register). The
    company must be one of the engagement's suppliers."""
    supplier_check(engagement, company, field=field)
    if company is None or normalise_name(company.name) == normalise_name(engagement.contractor):
        return
    if not selectors.subcontract_approved(engagement, company):
        raise ValidationError({field: _(
            "%(company)s is not the contractor: recording its work needs an approved "
            "subcontracting request (再委託) for %(company)s covering procurement, installation "
            "and cabling in the approvals register, and there is none."
        ) % {"company": company.name}})


# --- Delivery, installation, inspection -----------------------------------------------------

# Values a transition writes with the new status.
def _transition_values(target: str, day: dt.date, installer=None) -> dict:
    if target == P.DELIVERED:
        return {"delivered_on": day}
    if target == P.INSTALLED:
        return {"installed_on": day, "installer": installer}
    if target == P.INSPECTED:
        return {"inspected_on": day}
    return {}


def _move(positions, target: str, *, actor, day=None, installer=None,
          anchored: frozenset = frozenset()) -> list[Position]:
    """Every position to ``target``, or none (the refused ones named). ``anchored``: ids of
    the positions whose anchoring (転倒防止) is confirmed with this move: written in the same
    save as the status, so in its history row and its version."""
    day = day or _today()

    def values_of(position):
        values = _transition_values(target, day, installer)
        if position.pk in anchored:
            values["anchored"] = True
        return values

    return POSITION_WORKFLOW.apply_many(positions, target, actor=actor, values_of=values_of)


def _action_for(target: str) -> Action:
    return Action.INSPECT_DELIVERY if target == P.INSPECTED else Action.EDIT_PROCUREMENT


@transaction.atomic
def position_transition(*, position: Position, target: str, actor, day=None,
                        installer=None) -> Position:
    """One position to ``target`` (delivered, installed, inspected)."""
    require_member(actor, position.engagement, _action_for(target))
    if target == P.INSTALLED:
        subcontract_check(position.engagement, installer, field="installer")
    return _move([position], target, actor=actor, day=day, installer=installer)[0]


@transaction.atomic
def positions_update(*, engagement, position_ids, target: str, actor, day=None,
                     installer=None, anchored_ids=()) -> list[Position]:
    """The tablet's bulk update: all the chosen positions to ``target`` in one transaction,
    or none of them (``ValidationError`` naming every refused one)."""
    require_member(actor, engagement, _action_for(target))
    if target not in (P.DELIVERED, P.INSTALLED, P.INSPECTED):
        raise ValidationError(_("Choose what was done."))
    ids = [int(pk) for pk in position_ids]
    if not ids:
        raise ValidationError(_("Tick at least one position."))
    positions = list(Position.objects.filter(engagement=engagement, pk__in=ids)
                     .select_related("line").order_by("label", "pk"))
    if len(positions) != len(set(ids)):
        raise ValidationError(_("Some of the chosen positions are not in this engagement."))
    if target == P.INSTALLED:
        subcontract_check(engagement, installer, field="installer")
    return _move(positions, target, actor=actor, day=day, installer=installer,
                 anchored=frozenset(int(pk) for pk in anchored_ids) & set(ids))


@transaction.atomic
def line_transition(*, line: PlanLine, target: str, quantity: int, actor, day=None,
                    installer=None) -> list[Position]:
    """``quantity`` units of ``line`` one step on (3 of 5 delivered): the units in the state
    before ``target``, in position order."""
    require_member(actor, line.engagement, _action_for(target))
    sources = [s for (s, t) in POSITION_WORKFLOW.transitions if t == target]
    source = {P.DELIVERED: P.ORDERED, P.INSTALLED: P.DELIVERED}.get(target)
    if source is None:
        raise ValidationError(_("Choose what was done."))
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": _("Give a quantity of 1 or more.")})
    candidates = list(Position.objects.select_for_update(of=("self",))
                      .filter(line=line, status__in=sources)
                      .select_related("line").order_by("label", "pk"))
    if quantity > len(candidates):
        state = dict(P.choices)[source]
        raise ValidationError({"quantity": _(
            "Only %(n)s of %(item)s are %(state)s; %(q)s cannot be moved on.") % {
                "n": len(candidates), "item": line, "state": state, "q": quantity}})
    if target == P.INSTALLED:
        subcontract_check(line.engagement, installer, field="installer")
    return _move(candidates[:quantity], target, actor=actor, day=day, installer=installer)


@transaction.atomic
def position_confirm_anchoring(*, position: Position, actor) -> Position:
    require_member(actor, position.engagement, Action.EDIT_PROCUREMENT)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status not in (P.DELIVERED, P.INSTALLED):
        raise ValidationError(_("Anchoring is confirmed once the unit is delivered."))
    position.anchored = True
    position.bump_version()
    save_checked(position, actor=actor)
    return position


@transaction.atomic
def finding_raise(*, position: Position, text: str, photo=None, actor, day=None) -> Finding:
    """The city's point at inspection (指摘): the unit is not passed until it is corrected."""
    require_member(actor, position.engagement, Action.INSPECT_DELIVERY)
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.status not in (P.DELIVERED, P.INSTALLED):
        raise ValidationError(_("Only a delivered or installed unit is inspected."))
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what must be corrected.")})
    if photo:
        try:
            validate_upload(photo, (Kind.IMAGE,))
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
    finding = Finding(engagement=position.engagement, position=position, text=text.strip(),
                      raised_by=actor, raised_on=day or _today())
    if photo:
        finding.photo = photo
        save_file_on_commit(finding, "photo")
    save_checked(finding, actor=actor)
    FindingStatusChange.objects.create(finding=finding, old_status="",
                                       new_status=FindingStatus.OPEN, actor=actor,
                                       comment=finding.text)
    return finding


@transaction.atomic
def finding_correct(*, finding: Finding, correction: str, photo=None, actor,
                    day=None) -> Finding:
    require_member(actor, finding.engagement, Action.EDIT_PROCUREMENT)
    if photo:
        try:
            validate_upload(photo, (Kind.IMAGE,))
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
    values = {"correction": (correction or "").strip(), "corrected_on": day or _today()}
    if photo:
        values["correction_photo"] = photo  # in the saved fields, so the photo is kept

    def attach(locked):
        save_file_on_commit(locked, "correction_photo")

    return FINDING_WORKFLOW.apply(finding, FindingStatus.CORRECTED, actor=actor,
                                  comment=correction, values=values, using_locked=attach)


@transaction.atomic
def finding_reinspect(*, finding: Finding, passed: bool, comment: str = "", actor,
                      day=None) -> Finding:
    """Re-inspection after a correction: passed (and the unit passes when nothing else is
    open), or raised again with a comment."""
    require_member(actor, finding.engagement, Action.INSPECT_DELIVERY)
    if not passed:
        return FINDING_WORKFLOW.apply(finding, FindingStatus.OPEN, actor=actor, comment=comment)
    finding = FINDING_WORKFLOW.apply(finding, FindingStatus.RESOLVED, actor=actor,
                                     comment=comment)
    position = finding.position
    if not position.findings.exclude(status=FindingStatus.RESOLVED).exists():
        _move([position], P.INSPECTED, actor=actor, day=day)
    return finding


@transaction.atomic
def asset_numbers_set(*, engagement, numbers: dict[int, str], actor,
                      versions: dict[int, int] | None = None) -> int:
    """Record the 備品番号 of inspected units; returns how many changed.

    ``versions``: position → its version when the form was opened; a number changed on a
    position somebody else saved since is a ``StaleEdit`` (nothing written).
    """
    require_member(actor, engagement, Action.RECORD_ASSET_NUMBERS)
    positions = {p.pk: p for p in Position.objects.select_for_update(of=("self",)).filter(
        engagement=engagement, pk__in=numbers)}
    errors, changed = {}, 0
    wanted = {pk: unicodedata.normalize("NFKC", value or "").strip()
              for pk, value in numbers.items()}
    for pk, value in wanted.items():
        if pk in positions and value != positions[pk].asset_number:
            check_version(positions[pk], (versions or {}).get(pk), fields=["asset_number"])
    seen = Counter(v for v in wanted.values() if v)
    taken = set(Position.objects.filter(engagement=engagement).exclude(pk__in=numbers)
                .exclude(asset_number="").values_list("asset_number", flat=True))
    for pk, value in wanted.items():
        position = positions.get(pk)
        if position is None:
            raise ValidationError(_("That position is not in this engagement."))
        if value == position.asset_number:
            continue
        if position.status != P.INSPECTED:
            errors[f"asset_{pk}"] = _("An asset number is recorded after inspection.")
        elif value and (seen[value] > 1 or value in taken):
            errors[f"asset_{pk}"] = _("Asset number %(n)s is used twice.") % {"n": value}
    if errors:
        raise ValidationError(errors)
    for pk, value in wanted.items():
        position = positions[pk]
        if value != position.asset_number:
            position.asset_number = value
            position.bump_version()
            save_checked(position, actor=actor)
            changed += 1
    return changed


# --- Cabling ----------------------------------------------------------------------------------

REQUIREMENT_FIELDS = ["pc_count", "monitor_count", "phone_count", "printer_count",
                      "booth_equipment", "required_lan", "required_power", "required_phone",
                      "oa_tap"]


@transaction.atomic
def position_requirements_update(*, position: Position, values: dict, reason: str = "",
                                 version=None, actor) -> Position:
    """Edit a position's equipment and required connections (with a reason) and its OA tap."""
    require_member(actor, position.engagement, Action.EDIT_PROCUREMENT)
    locked = Position.objects.select_for_update().get(pk=position.pk)
    check_version(locked, version, fields=REQUIREMENT_FIELDS)
    tap = values.get("oa_tap")
    if tap is not None and tap.engagement_id != locked.engagement_id:
        raise ValidationError({"oa_tap": _("That OA tap is not in this engagement.")})
    changed = [name for name in REQUIREMENT_FIELDS
               if name in values and getattr(locked, name) != values[name]]
    required_changed = {"required_lan", "required_power", "required_phone"} & set(changed)
    reason = (reason or "").strip()
    if required_changed and not reason:
        raise ValidationError({"requirement_reason": _(
            "Say why the required connections differ from the approved layout.")})
    for name in changed:
        setattr(locked, name, values[name])
    if reason:
        locked.requirement_reason = reason
    locked.bump_version()
    save_checked(locked, actor=actor)
    return locked


@transaction.atomic
def oa_tap_create(*, engagement, label: str, rating_w: int | None = None, actor) -> OATap:
    require_member(actor, engagement, Action.EDIT_PROCUREMENT)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Give the tap's label.")})
    if OATap.objects.filter(engagement=engagement, label=label).exists():
        raise ValidationError({"label": _("Tap %(l)s exists already.") % {"l": label}})
    tap = OATap(engagement=engagement, label=label,
                rating_w=rating_w or _conf("OA_TAP_RATING_W"))
    save_checked(tap, actor=actor)
    return tap


@transaction.atomic
def connection_add(*, position: Position, kind: str, count: int, category: str = "",
                   length_m: int | None = None, label: str = "", tested: bool = False,
                   installer: Organisation | None = None, actor) -> Connection:
    require_member(actor, position.engagement, Action.EDIT_PROCUREMENT)
    Position.objects.select_for_update(of=("self",)).filter(pk=position.pk).first()
    subcontract_check(position.engagement, installer, field="installer")
    connection = Connection(engagement=position.engagement, position=position, kind=kind,
                            count=count, category=category, length_m=length_m,
                            label=label.strip(), tested=tested, installer=installer,
                            recorded_by=actor, recorded_on=_today())
    save_checked(connection, actor=actor)
    return connection


@transaction.atomic
def connection_mark_tested(*, connection: Connection, actor) -> Connection:
    require_member(actor, connection.engagement, Action.EDIT_PROCUREMENT)
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if not connection.tested:
        connection.tested = True
        save_checked(connection, actor=actor)
    return connection


# --- Installation days ------------------------------------------------------------------------

DAY_FIELDS = ["date", "starts_at", "ends_at", "planned", "workers", "company", "note"]


@transaction.atomic
def installation_day_save(*, engagement, values: dict, day: InstallationDay | None = None,
                          version=None, actor) -> InstallationDay:
    require_member(actor, engagement, Action.EDIT_PROCUREMENT)
    if day is None:
        day = InstallationDay(engagement=engagement)
    else:
        day = InstallationDay.objects.select_for_update().get(pk=day.pk, engagement=engagement)
        check_version(day, version, fields=DAY_FIELDS)
        day.bump_version()
    subcontract_check(engagement, values.get("company"), field="company")
    for name in DAY_FIELDS:
        if name in values:
            setattr(day, name, values[name])
    save_checked(day, actor=actor)
    return day
