"""Writes of the disposal stage. Each one checks the actor's role again, locks what it
changes, and goes through ``ITEM_WORKFLOW`` / ``TRANSFER_WORKFLOW`` / ``MANIFEST_WORKFLOW`` for
every status change (one status-change row each); other changes are in the history."""

import datetime as dt
import unicodedata
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.concurrency import check_version
from engagements.files import file_fields, save_file_on_commit, save_files_on_commit
from engagements.history import set_change_reason
from engagements.models import Engagement, Organisation
from engagements.permissions import Action, require_member
from engagements.services import save_checked

from .choices import (
    UNNEEDED_OUTCOMES,
    ItemSource,
    ItemStatus,
    ManifestStatus,
    Outcome,
    RequestStatus,
    TransferStatus,
    WasteClass,
)
from .models import (
    DisposalItem,
    Manifest,
    ReuseOffer,
    ReuseRequest,
    Transfer,
    WasteOperator,
    city_unit_q,
)
from .selectors import source_of, work_list_diff
from .workflows import ITEM_WORKFLOW, MANIFEST_WORKFLOW, REQUEST_WORKFLOW, TRANSFER_WORKFLOW

ITEM_FACT_FIELDS = ["number", "name", "size", "condition", "year", "asset_number", "quantity",
                    "material", "reason"]


def _not_future(errors: dict, name: str, value: dt.date | None) -> None:
    if value and value > timezone.localdate():
        errors[name] = _("This date is in the future.")


def _reason(instance, text: str) -> None:
    set_change_reason(instance, text)


def _validate_upload_of(model, field: str, file, *, error_field: str) -> None:
    """The checks of ``model.field``'s own upload validators (kind, size, image limits), as
    an error on ``error_field``."""
    if not file or getattr(file, "_committed", False):
        return
    try:
        for validator in model._meta.get_field(field).validators:
            validator(file)
    except ValidationError as exc:
        raise ValidationError({error_field: exc.messages}) from exc


def _validate_files(instance) -> None:
    """Check every new upload on ``instance`` before it is named for writing: once named,
    ``full_clean`` no longer reads it."""
    for field in file_fields(type(instance)):
        _validate_upload_of(type(instance), field.name, getattr(instance, field.name),
                            error_field=field.name)


def _lock_item(item: DisposalItem, version=None, fields=ITEM_FACT_FIELDS) -> DisposalItem:
    locked = DisposalItem.objects.select_for_update().get(pk=item.pk)
    check_version(locked, version, fields=fields)
    return locked


# --- Items -------------------------------------------------------------------------------
@transaction.atomic
def items_sync(*, engagement: Engagement, actor: AbstractBaseUser) -> dict:
    """Bring the items in line with the approved work list (and start the stage the first
    time): one item per removed survey item appears; an item whose survey item is no longer
    removed is withdrawn, unless something has already happened to it (then it stays,
    marked as no longer on the list); a withdrawn item removed again comes back."""
    require_member(actor, engagement, Action.EDIT_DISPOSAL)
    diff = work_list_diff(engagement)
    created = []
    for entry in diff["appeared"]:
        values = source_of(entry)
        item = DisposalItem(engagement=engagement, **values)
        save_checked(item, actor=actor)
        created.append(item)
    withdrawn, kept = [], []
    for item in diff["disappeared"]:
        if item.work_started or item.is_final:
            if item.on_work_list:
                item.on_work_list = False
                save_checked(item, actor=actor, update_fields=["on_work_list"])
            kept.append(item)
        else:
            ITEM_WORKFLOW.apply(item, ItemStatus.WITHDRAWN, actor=actor,
                                comment=_("No longer removed by the approved layout."),
                                values={"on_work_list": False})
            withdrawn.append(item)
    for item in diff["returned"]:
        ITEM_WORKFLOW.apply(item, ItemStatus.NEW, actor=actor,
                            comment=_("Removed again by the approved layout."),
                            values={"on_work_list": True})
    return {"created": created, "withdrawn": withdrawn, "kept": kept,
            "returned": list(diff["returned"])}


@transaction.atomic
def item_create_manual(*, engagement: Engagement, actor: AbstractBaseUser,
                       **values) -> DisposalItem:
    """An item the survey did not list (e.g. old chairs), added by hand with a reason."""
    require_member(actor, engagement, Action.EDIT_DISPOSAL)
    item = DisposalItem(engagement=engagement, source=ItemSource.MANUAL, on_work_list=False,
                        **values)
    item.waste_class = item.derived_waste_class
    _validate_files(item)
    save_files_on_commit(item)
    save_checked(item, actor=actor)
    return item


@transaction.atomic
def item_update(*, item: DisposalItem, actor: AbstractBaseUser, values: dict, version=None,
                reason: str = "") -> DisposalItem:
    """Change an item's facts. Before the decision the contractor does it; afterwards only
    the city, with a reason (kept in the history)."""
    locked = _lock_item(item, version, fields=list(values))
    if locked.status in (ItemStatus.NEW, ItemStatus.PROPOSED, ItemStatus.WITHDRAWN):
        require_member(actor, locked.engagement, Action.EDIT_DISPOSAL)
    else:
        require_member(actor, locked.engagement, Action.REVISE_DISPOSAL_DECISION)
        if not reason.strip():
            raise ValidationError({"reason_for_change": _(
                "The item has been decided: write why it changes.")})
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, values[name])
    _validate_files(locked)
    save_files_on_commit(locked)  # a replaced photo stays: the history names it
    if changed:
        locked.bump_version()
        _reason(locked, reason.strip())
        save_checked(locked, actor=actor, update_fields=[*changed, "version"])
    return locked


@transaction.atomic
def item_propose(*, item: DisposalItem, actor: AbstractBaseUser, outcome: str,
                 note: str = "", version=None) -> DisposalItem:
    """The contractor proposes an outcome (未提案 → 提案済), or changes its proposal."""
    require_member(actor, item.engagement, Action.EDIT_DISPOSAL)
    locked = _lock_item(item, version, fields=["proposed_outcome", "proposal_note"])
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    values = {"proposed_outcome": outcome, "proposal_note": note}
    if locked.status == ItemStatus.NEW:
        return ITEM_WORKFLOW.apply(locked, ItemStatus.PROPOSED, actor=actor, values=values)
    if locked.status != ItemStatus.PROPOSED:
        raise ValidationError(_("The city has decided this item; only the city changes it."))
    for name, value in values.items():
        setattr(locked, name, value)
    locked.bump_version()
    save_checked(locked, actor=actor, update_fields=[*values, "version"])
    return locked


def _decision_values(*, outcome, decided_on, document, actor) -> dict:
    errors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose an outcome.")
    if outcome in UNNEEDED_OUTCOMES and not decided_on:
        errors["decided_on"] = _("Enter the date of the decision that the item is unneeded.")
    _not_future(errors, "decided_on", decided_on)
    if errors:
        raise ValidationError(errors)
    return {"outcome": outcome, "decided_on": decided_on, "decided_by": actor,
            "decision_document": document or ""}


@transaction.atomic
def item_decide(*, item: DisposalItem, actor: AbstractBaseUser, outcome: str,
                decided_on: dt.date | None, document: str = "", comment: str = "",
                version=None) -> DisposalItem:
    """The city decides the outcome of a proposed item: for transfer, scrap or sale this is
    the 不用決定 (date, by whom, document number); 継続使用 ends the item's part in the stage."""
    require_member(actor, item.engagement, Action.DECIDE_DISPOSAL)
    locked = _lock_item(item, version, fields=["proposed_outcome", "outcome"])
    values = _decision_values(outcome=outcome, decided_on=decided_on, document=document,
                              actor=actor)
    target = ItemStatus.KEPT if outcome == Outcome.KEEP else ItemStatus.DECIDED
    return ITEM_WORKFLOW.apply(locked, target, actor=actor, comment=comment, values=values)


@transaction.atomic
def item_revise_decision(*, item: DisposalItem, actor: AbstractBaseUser, outcome: str,
                         decided_on: dt.date | None, document: str = "", reason: str,
                         version=None) -> DisposalItem:
    """The city changes a decided item's outcome, saying why; refused once something has
    happened to the item (moved, handed to a collector, sold)."""
    require_member(actor, item.engagement, Action.REVISE_DISPOSAL_DECISION)
    locked = _lock_item(item, version, fields=["outcome", "decided_on", "decision_document"])
    values = _decision_values(outcome=outcome, decided_on=decided_on, document=document,
                              actor=actor)
    target = ItemStatus.KEPT if outcome == Outcome.KEEP else ItemStatus.DECIDED
    if locked.outcome == Outcome.TRANSFER and outcome != Outcome.TRANSFER and locked.transfer_id:
        values["transfer"] = None
    return ITEM_WORKFLOW.apply(locked, target, actor=actor, comment=reason, values=values,
                               using_locked=lambda row: _reason(row, reason.strip()))


@transaction.atomic
def item_return(*, item: DisposalItem, actor: AbstractBaseUser, comment: str) -> DisposalItem:
    """The city sends a proposal back to the contractor with a comment."""
    require_member(actor, item.engagement, Action.DECIDE_DISPOSAL)
    return ITEM_WORKFLOW.apply(item, ItemStatus.NEW, actor=actor, comment=comment)


@transaction.atomic
def item_record_waste(*, item: DisposalItem, actor: AbstractBaseUser, waste_class: str,
                      weight_kg, weighed: bool, reason: str = "", version=None) -> DisposalItem:
    """The waste class (derived from the material; another class needs a reason) and the
    weight of an item to be scrapped."""
    require_member(actor, item.engagement, Action.EDIT_DISPOSAL)
    locked = _lock_item(item, version, fields=["waste_class", "weight_kg"])
    if locked.is_final:
        raise ValidationError(_("This item has reached its outcome; it no longer changes."))
    errors = {}
    derived = locked.derived_waste_class
    if not waste_class:
        errors["waste_class"] = _("Choose the waste class.")
    elif derived and waste_class != derived and not reason.strip():
        errors["reason"] = _("The material gives %(derived)s: write why the class differs.") % {
            "derived": WasteClass(derived).label}
    if weight_kg is not None and weight_kg < 0:
        errors["weight_kg"] = _("The weight cannot be negative.")
    if errors:
        raise ValidationError(errors)
    locked.waste_class, locked.weight_kg, locked.weight_weighed = waste_class, weight_kg, weighed
    locked.bump_version()
    _reason(locked, reason.strip())
    save_checked(locked, actor=actor,
                 update_fields=["waste_class", "weight_kg", "weight_weighed", "version"])
    return locked


@transaction.atomic
def item_record_sale(*, item: DisposalItem, actor: AbstractBaseUser, buyer: str,
                     price_yen: int, sold_on: dt.date, receipt=None,
                     version=None) -> DisposalItem:
    """A sale (buyer, price in integer yen, date, receipt): the item is then sold."""
    require_member(actor, item.engagement, Action.EDIT_DISPOSAL)
    locked = _lock_item(item, version, fields=["buyer", "sale_price_yen", "sold_on"])
    errors = {}
    if not (buyer or "").strip():
        errors["buyer"] = _("Name the buyer.")
    if price_yen is None or price_yen < 0:
        errors["price_yen"] = _("Enter the price in whole yen (0 or more).")
    if not sold_on:
        errors["sold_on"] = _("Enter the date of the sale.")
    _not_future(errors, "sold_on", sold_on)
    if errors:
        raise ValidationError(errors)
    if locked.status != ItemStatus.DECIDED or locked.outcome != Outcome.SALE:
        raise ValidationError(_("The city has not decided to sell this item."))
    values = {"buyer": buyer.strip(), "sale_price_yen": price_yen, "sold_on": sold_on}
    if receipt:
        values["sale_receipt"] = receipt
    for name, value in values.items():
        setattr(locked, name, value)
    _validate_files(locked)
    save_files_on_commit(locked)
    save_checked(locked, actor=actor, update_fields=list(values))
    # The status change checks the sale on the row just saved.
    return ITEM_WORKFLOW.apply(locked, ItemStatus.SOLD, actor=actor)


# --- Transfers ---------------------------------------------------------------------------
def _items_for(engagement, items: Iterable[DisposalItem], outcome: str) -> list[DisposalItem]:
    ids = [i.pk for i in items]
    locked = list(DisposalItem.objects.select_for_update().filter(
        engagement=engagement, pk__in=ids).order_by("pk"))
    if not locked or len(locked) != len(set(ids)):
        raise ValidationError({"items": _("Choose at least one item.")})
    wrong = [str(i) for i in locked if i.status != ItemStatus.DECIDED or i.outcome != outcome]
    if wrong:
        raise ValidationError({"items": _("Not decided for this outcome: %(items)s")
                               % {"items": "、".join(wrong)}})
    return locked


@transaction.atomic
def transfer_create(*, engagement: Engagement, actor: AbstractBaseUser,
                    items: Iterable[DisposalItem], destination: Organisation,
                    destination_section: str = "", contact_name: str, contact_phone: str = "",
                    planned_on: dt.date, notes: str = "") -> Transfer:
    """Plan a move of decided items to an office or section of the city."""
    require_member(actor, engagement, Action.EDIT_DISPOSAL)
    if destination is None or not Organisation.objects.filter(
            city_unit_q(), pk=destination.pk).exists():
        raise ValidationError({"destination": _("Choose an office or section of the city.")})
    locked = _items_for(engagement, items, Outcome.TRANSFER)
    taken = [str(i) for i in locked if i.transfer_id]
    if taken:
        raise ValidationError({"items": _("Already in another transfer: %(items)s")
                               % {"items": "、".join(taken)}})
    transfer = Transfer(
        engagement=engagement, destination=destination,
        destination_section=destination_section, contact_name=contact_name,
        contact_phone=contact_phone, planned_on=planned_on, notes=notes, created_by=actor,
    )
    save_checked(transfer, actor=actor)
    for item in locked:
        item.transfer = transfer
        item.bump_version()
        save_checked(item, actor=actor, update_fields=["transfer", "version"])
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, actor: AbstractBaseUser, reason: str,
                    version=None) -> Transfer:
    """取消: a planned transfer will not happen. Its items are released, to be put on another
    transfer (or given another outcome); the reason stays in the status changes and each
    item's history says which transfer it left."""
    require_member(actor, transfer.engagement, Action.EDIT_DISPOSAL)
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    check_version(locked, version, fields=["status"])

    def release(locked_transfer):
        for item in DisposalItem.objects.select_for_update().filter(transfer=locked_transfer):
            item.transfer = None
            item.bump_version()
            save_checked(item, actor=actor, update_fields=["transfer", "version"])

    return TRANSFER_WORKFLOW.apply(locked, TransferStatus.CANCELLED, actor=actor,
                                   comment=reason, using_locked=release)


@transaction.atomic
def transfer_carry_out(*, transfer: Transfer, actor: AbstractBaseUser,
                       carried_out_on: dt.date, photo, version=None) -> Transfer:
    """搬出: the items left the site on ``carried_out_on``; a photo shows them."""
    require_member(actor, transfer.engagement, Action.EDIT_DISPOSAL)
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    check_version(locked, version, fields=["status", "carried_out_on"])
    errors = {}
    if not carried_out_on:
        errors["carried_out_on"] = _("Enter the date the items were carried out.")
    _not_future(errors, "carried_out_on", carried_out_on)
    if not photo:
        errors["photo"] = _("Add a photo of the items carried out.")
    if errors:
        raise ValidationError(errors)
    _validate_upload_of(Transfer, "carry_out_photo", photo, error_field="photo")

    def attach(locked_transfer):
        locked_transfer.carry_out_photo = photo
        save_file_on_commit(locked_transfer, "carry_out_photo")

    return TRANSFER_WORKFLOW.apply(locked, TransferStatus.CARRIED_OUT, actor=actor, values={
        "carried_out_on": carried_out_on, "carry_out_photo": photo}, using_locked=attach)


@transaction.atomic
def transfer_receive(*, transfer: Transfer, actor: AbstractBaseUser, received_by_name: str,
                     received_on: dt.date, version=None) -> Transfer:
    """受領: who received the items at the destination and when. Only now do its items
    count as transferred (each moves to 移設済, all or none)."""
    require_member(actor, transfer.engagement, Action.EDIT_DISPOSAL)
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    check_version(locked, version, fields=["status", "received_by_name", "received_on"])
    errors = {}
    if not (received_by_name or "").strip():
        errors["received_by_name"] = _("Name who received the items.")
    if not received_on:
        errors["received_on"] = _("Enter the date of the receipt.")
    _not_future(errors, "received_on", received_on)
    if errors:
        raise ValidationError(errors)
    locked = TRANSFER_WORKFLOW.apply(locked, TransferStatus.RECEIVED, actor=actor, values={
        "received_by_name": received_by_name.strip(), "received_on": received_on})
    items = list(locked.items.select_related("transfer").order_by("pk"))
    ITEM_WORKFLOW.apply_many(items, ItemStatus.TRANSFERRED, actor=actor,
                             comment=_("Received by %(name)s.") % {"name": received_by_name})
    return locked


def _attach_paper(obj, field: str, file, *, actor):
    """Attach a scanned paper (PDF or image, checked by content) to a transfer or a manifest,
    on the locked row; the version moves on so an open form of it is stale."""
    require_member(actor, obj.engagement, Action.EDIT_DISPOSAL)
    _validate_upload_of(type(obj), field, file, error_field="file")
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    setattr(locked, field, file)
    save_file_on_commit(locked, field)  # a replaced paper stays: the history names it
    locked.bump_version()
    save_checked(locked, actor=actor, update_fields=[field, "version"])
    return locked


@transaction.atomic
def transfer_upload_receipt(*, transfer: Transfer, actor: AbstractBaseUser,
                            file) -> Transfer:
    """The signed 受領書, scanned."""
    return _attach_paper(transfer, "signed_receipt", file, actor=actor)


# --- Waste --------------------------------------------------------------------------------
@transaction.atomic
def operator_create(*, engagement: Engagement, actor: AbstractBaseUser,
                    **values) -> WasteOperator:
    """A licensed collector or disposer with the written disposal contract."""
    require_member(actor, engagement, Action.EDIT_DISPOSAL)
    operator = WasteOperator(engagement=engagement, **values)
    _validate_files(operator)
    save_files_on_commit(operator)
    save_checked(operator, actor=actor)
    return operator


@transaction.atomic
def manifest_create(*, engagement: Engagement, actor: AbstractBaseUser,
                    items: Iterable[DisposalItem], number: str, issued_on: dt.date,
                    form: str, collector: WasteOperator, disposer: WasteOperator,
                    collected_on: dt.date) -> Manifest:
    """Issue a manifest for decided scrap items; a licence expired on the collection date
    is refused, and so is an item without a waste class."""
    require_member(actor, engagement, Action.EDIT_DISPOSAL)
    errors = {}
    for name, operator in (("collector", collector), ("disposer", disposer)):
        if operator is not None and operator.engagement_id != engagement.pk:
            errors[name] = _("Choose an operator of this engagement.")
    _not_future(errors, "issued_on", issued_on)
    if errors:
        raise ValidationError(errors)
    locked = _items_for(engagement, items, Outcome.SCRAP)
    problems = [str(i) for i in locked if i.manifest_id]
    if problems:
        raise ValidationError({"items": _("Already under another manifest: %(items)s")
                               % {"items": "、".join(problems)}})
    unclassed = [str(i) for i in locked if not i.waste_class]
    if unclassed:
        raise ValidationError({"items": _("Record the waste class first: %(items)s")
                               % {"items": "、".join(unclassed)}})
    # A number typed with full-width digits or letters is the same number: stored half-width.
    number = unicodedata.normalize("NFKC", number or "").strip()
    manifest = Manifest(engagement=engagement, number=number, issued_on=issued_on, form=form,
                        collector=collector, disposer=disposer, collected_on=collected_on,
                        created_by=actor)
    if Manifest.objects.filter(engagement=engagement, number=number).exists():
        raise ValidationError({"number": _("This manifest number is already recorded.")})
    save_checked(manifest, actor=actor)
    for item in locked:
        item.manifest = manifest
        item.bump_version()
        save_checked(item, actor=actor, update_fields=["manifest", "version"])
    return manifest


@transaction.atomic
def manifest_record_returns(*, manifest: Manifest, actor: AbstractBaseUser,
                            b2_returned_on: dt.date | None, d_returned_on: dt.date | None,
                            e_returned_on: dt.date | None, version=None) -> Manifest:
    """The dates the copies came back. With E back the manifest is complete and its items
    are scrapped (all or none)."""
    require_member(actor, manifest.engagement, Action.EDIT_DISPOSAL)
    locked = Manifest.objects.select_for_update().get(pk=manifest.pk)
    check_version(locked, version,
                  fields=["b2_returned_on", "d_returned_on", "e_returned_on"])
    errors = {}
    values = {"b2_returned_on": b2_returned_on, "d_returned_on": d_returned_on,
              "e_returned_on": e_returned_on}
    for name, value in values.items():
        _not_future(errors, name, value)
    if locked.e_returned_on and not e_returned_on:
        errors["e_returned_on"] = _("The manifest is complete: E stays recorded.")
    if errors:
        raise ValidationError(errors)
    changed = [n for n, v in values.items() if getattr(locked, n) != v]
    for name in changed:
        setattr(locked, name, values[name])
    if changed:
        locked.bump_version()
        save_checked(locked, actor=actor, update_fields=[*changed, "version"])
    if e_returned_on and locked.status == ManifestStatus.ISSUED:
        # The status change checks copy E on the row just saved; the items follow, all or none.
        locked = MANIFEST_WORKFLOW.apply(locked, ManifestStatus.COMPLETED, actor=actor,
                                         comment=_("Copy E returned."))
        items = list(locked.items.select_related("manifest").order_by("pk"))
        ITEM_WORKFLOW.apply_many(items, ItemStatus.SCRAPPED, actor=actor,
                                 comment=_("Manifest %(number)s: copy E returned.")
                                 % {"number": locked.number})
    return locked


@transaction.atomic
def manifest_upload_certificate(*, manifest: Manifest, actor: AbstractBaseUser,
                                file) -> Manifest:
    """The disposer's certificate (処分証明)."""
    return _attach_paper(manifest, "certificate", file, actor=actor)


# --- Offer to the ward offices ------------------------------------------------------------
@transaction.atomic
def offer_create(*, engagement: Engagement, actor: AbstractBaseUser, title: str,
                 circulated_on: dt.date, respond_by: dt.date,
                 items: Iterable[DisposalItem]) -> ReuseOffer:
    """The offer list to the ward offices: items proposed for disposal, not yet decided."""
    require_member(actor, engagement, Action.ALLOCATE_REUSE)
    items = list(items)
    if not items:
        raise ValidationError({"items": _("Choose at least one item.")})
    wrong = [str(i) for i in items if i.engagement_id != engagement.pk
             or i.status not in (ItemStatus.NEW, ItemStatus.PROPOSED)
             or i.proposed_outcome == Outcome.KEEP]
    if wrong:
        raise ValidationError({"items": _("Only items not yet decided and not kept may be "
                                          "offered: %(items)s") % {"items": "、".join(wrong)}})
    offer = ReuseOffer(engagement=engagement, title=title, circulated_on=circulated_on,
                       respond_by=respond_by, created_by=actor)
    save_checked(offer, actor=actor)
    offer.items.set(items)
    return offer


@transaction.atomic
def request_record(*, offer: ReuseOffer, actor: AbstractBaseUser, office: Organisation,
                   item: DisposalItem, quantity: int = 1, wanted_by: dt.date | None = None,
                   contact: str = "") -> ReuseRequest:
    """One office's answer: it wants ``quantity`` of ``item`` by ``wanted_by``."""
    from engagements.selectors import transfer_destinations

    require_member(actor, offer.engagement, Action.ALLOCATE_REUSE)
    errors = {}
    if office is None or not transfer_destinations().filter(pk=office.pk).exists():
        errors["office"] = _("Choose one of the ward offices and branches.")
    if not offer.items.filter(pk=item.pk).exists():
        errors["item"] = _("This item is not on the offer.")
    elif quantity and quantity > item.quantity:
        errors["quantity"] = _("Only %(n)s of this item are offered.") % {"n": item.quantity}
    if errors:
        raise ValidationError(errors)
    if ReuseRequest.objects.filter(offer=offer, office=office, item=item).exists():
        raise ValidationError({"office": _("This office's request for the item is recorded.")})
    request = ReuseRequest(offer=offer, office=office, item=item, quantity=quantity,
                           wanted_by=wanted_by, contact=contact, recorded_by=actor)
    save_checked(request, actor=actor)
    return request


@transaction.atomic
def offer_allocate(*, offer: ReuseOffer, actor: AbstractBaseUser, item: DisposalItem,
                   request: ReuseRequest | None) -> DisposalItem:
    """The city gives ``item`` to the office of ``request`` (the others are declined), or to
    none (``None``: every request declined). The item is then proposed for transfer to that
    office; the decision (不用決定) is still the city's separate step."""
    require_member(actor, offer.engagement, Action.ALLOCATE_REUSE)
    locked = DisposalItem.objects.select_for_update().get(pk=item.pk)
    if not offer.items.filter(pk=locked.pk).exists():
        raise ValidationError(_("This item is not on the offer."))
    if locked.status not in (ItemStatus.NEW, ItemStatus.PROPOSED):
        raise ValidationError(_("%(item)s has been decided already.") % {"item": locked})
    requests = list(ReuseRequest.objects.select_for_update().filter(offer=offer, item=locked))
    if request is not None and request.pk not in {r.pk for r in requests}:
        raise ValidationError(_("This request is not for this item."))
    for row in requests:
        status = (RequestStatus.ALLOCATED if request is not None and row.pk == request.pk
                  else RequestStatus.DECLINED)
        if row.status != status:
            REQUEST_WORKFLOW.apply(row, status, actor=actor)
    office = request.office if request is not None else None
    if locked.allocated_to_id != (office.pk if office else None):
        locked.allocated_to = office
        fields = ["allocated_to"]
        if office is not None and locked.proposed_outcome != Outcome.TRANSFER:
            locked.proposed_outcome = Outcome.TRANSFER
            fields.append("proposed_outcome")
        locked.bump_version()
        save_checked(locked, actor=actor, update_fields=[*fields, "version"])
    return locked
