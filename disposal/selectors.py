"""Reads of the disposal stage: the work-list diff, lists, the reconciliation, the dashboard
progress and the report chapter. Every list is a fixed number of queries."""

from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from engagements.stages import StageProgress
from survey.choices import FurnitureKind

from .choices import (
    FINAL_STATUSES,
    ItemSource,
    ItemStatus,
    ManifestStatus,
    Material,
    Outcome,
    RequestStatus,
    TransferStatus,
)
from .deadlines import copy_deadlines, overdue
from .models import DisposalItem, Manifest, ReuseOffer, ReuseRequest, Transfer, WasteOperator

FURNITURE_MATERIAL = {
    FurnitureKind.TABLE: Material.STEEL,
    FurnitureKind.CHAIR: Material.STEEL_PLASTIC,
    FurnitureKind.PARTITION: Material.STEEL_PLASTIC,
    FurnitureKind.WHITEBOARD: Material.STEEL,
    FurnitureKind.COUNTER: Material.WOOD,
}


def _key(entry) -> str:
    if entry.desk_id:
        return f"{ItemSource.DESK}:{entry.desk_id}"
    if entry.furniture_id:
        return f"{ItemSource.FURNITURE}:{entry.furniture_id}"
    return f"{ItemSource.STORAGE}:{entry.storage_unit_id}"


def source_of(entry) -> dict:
    """The values of a new disposal item for one DISPOSE line of the approved work list."""
    with translation.override(settings.LANGUAGE_CODE):
        if entry.desk_id:
            d = entry.desk
            values = {"source": ItemSource.DESK, "desk": d, "number": d.number,
                      "name": str(d.get_desk_type_display()),
                      "size": f"W{d.width_mm}×D{d.depth_mm}", "condition": d.condition,
                      "year": d.year, "material": Material.STEEL}
        elif entry.furniture_id:
            f = entry.furniture
            values = {"source": ItemSource.FURNITURE, "furniture": f, "number": f.number,
                      "name": str(f), "size": f"W{f.width_mm}×D{f.depth_mm}",
                      "condition": f.condition,
                      "material": FURNITURE_MATERIAL.get(f.kind, Material.OTHER)}
        else:
            s = entry.storage_unit
            values = {"source": ItemSource.STORAGE, "storage_unit": s, "number": s.number,
                      "name": str(s.get_kind_display()),
                      "size": f"W{s.width_mm}×D{s.depth_mm}×H{s.height_mm}",
                      "condition": s.condition, "material": Material.STEEL}
    from .choices import MATERIAL_WASTE_CLASS

    values["waste_class"] = MATERIAL_WASTE_CLASS.get(values["material"], "")
    return values


def work_list_diff(engagement) -> dict:
    """What the approved work list removes against the items the stage holds.

    ``appeared``: work-list lines with no item yet; ``disappeared``: items (not withdrawn)
    whose survey item the approved layout no longer removes; ``returned``: withdrawn items
    it removes again. Hand-added items are never part of the diff.
    """
    from proposals.choices import WorkListKind
    from proposals.selectors import approved_work_list

    lines = {_key(e): e for e in approved_work_list(engagement, WorkListKind.DISPOSE)}
    items = list(
        DisposalItem.objects.filter(engagement=engagement)
        .exclude(source=ItemSource.MANUAL).select_related("transfer")
    )
    by_key = {i.source_key: i for i in items}
    appeared = [line for key, line in lines.items() if key not in by_key]
    disappeared = [i for i in items if i.source_key not in lines
                   and i.status != ItemStatus.WITHDRAWN and i.on_work_list]
    returned = [i for i in items if i.source_key in lines and i.status == ItemStatus.WITHDRAWN]
    return {"appeared": appeared, "disappeared": disappeared, "returned": returned,
            "started": bool(items)}


def item_queryset(engagement):
    return (
        DisposalItem.objects.filter(engagement=engagement)
        .select_related("transfer__destination", "manifest", "allocated_to", "decided_by")
    )


def item_get(engagement, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(item_queryset(engagement), pk=pk)


def counts_by_outcome(items) -> list[dict]:
    """Per outcome (and undecided): how many items, how many done."""
    rows = []
    decided = Counter(i.outcome for i in items if i.outcome and i.status != ItemStatus.WITHDRAWN)
    done = Counter(i.outcome for i in items if i.is_final)
    for outcome in Outcome:
        rows.append({"outcome": outcome, "label": outcome.label, "count": decided[outcome],
                     "done": done[outcome]})
    undecided = sum(1 for i in items if not i.outcome and i.status != ItemStatus.WITHDRAWN)
    rows.append({"outcome": "", "label": _("Not decided"), "count": undecided, "done": 0})
    return rows


def manifest_list(engagement, today=None):
    today = today or timezone.localdate()
    manifests = list(
        Manifest.objects.filter(engagement=engagement)
        .select_related("collector", "disposer").annotate(item_count=Count("items"))
    )
    for m in manifests:
        m.deadlines = copy_deadlines(m, today)
        m.overdue_copies = [d for d in m.deadlines if d.overdue]
    return manifests


def overdue_manifests(engagement, today=None) -> list[dict]:
    """Copies not back by their deadline, with the 30-day deadline for reporting them."""
    today = today or timezone.localdate()
    rows = []
    for m in Manifest.objects.filter(engagement=engagement, status=ManifestStatus.ISSUED):
        for d in overdue(m, today):
            rows.append({"manifest": m, "deadline": d})
    return rows


def reconciliation(engagement, today=None) -> dict:
    """"What is still open?": every item with its state; counts by outcome; the items
    without a decision, without a receipt, or with manifest copies outstanding."""
    today = today or timezone.localdate()
    items = list(item_queryset(engagement).order_by("source", "number", "pk"))
    active = [i for i in items if i.status != ItemStatus.WITHDRAWN]
    final = [i for i in active if i.is_final]
    no_decision = [i for i in active if i.status in (ItemStatus.NEW, ItemStatus.PROPOSED)]
    no_receipt = [i for i in active if i.status == ItemStatus.DECIDED
                  and i.outcome == Outcome.TRANSFER]
    manifest_open = [i for i in active if i.status == ItemStatus.DECIDED
                     and i.outcome == Outcome.SCRAP]
    sale_open = [i for i in active if i.status == ItemStatus.DECIDED and i.outcome == Outcome.SALE]
    for i in manifest_open:
        i.outstanding = [d for d in copy_deadlines(i.manifest, today) if not d.is_back] \
            if i.manifest_id else []
    return {
        "items": items,
        "active_count": len(active),
        "final_count": len(final),
        "open_count": len(active) - len(final),
        "withdrawn_count": len(items) - len(active),
        "counts": counts_by_outcome(items),
        "no_decision": no_decision,
        "no_receipt": no_receipt,
        "manifest_open": manifest_open,
        "sale_open": sale_open,
        "overdue": overdue_manifests(engagement, today),
        "complete": bool(active) and len(final) == len(active),
    }


def stage_progress(engagement) -> StageProgress:
    """The share of items in a final state; overdue manifest copies named."""
    statuses = dict(
        DisposalItem.objects.filter(engagement=engagement)
        .exclude(status=ItemStatus.WITHDRAWN)
        .values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    total = sum(statuses.values())
    if not total:
        return StageProgress(percent=0, summary=_("Not started"))
    done = sum(n for status, n in statuses.items() if status in FINAL_STATUSES)
    percent = round(100 * done / total)
    summary = _("%(done)s of %(total)s items reached their outcome") % {
        "done": done, "total": total}
    late = len(overdue_manifests(engagement))
    if late:
        summary += "・" + _("%(n)s manifest copies overdue: report within 30 days") % {"n": late}
    return StageProgress(percent=percent, summary=summary)


def transfer_list(engagement):
    return (
        Transfer.objects.filter(engagement=engagement).select_related("destination")
        .annotate(item_count=Count("items"))
    )


def transfer_get(engagement, pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Transfer.objects.filter(engagement=engagement)
        .select_related("destination", "created_by", "engagement__client")
        .prefetch_related(Prefetch("items", DisposalItem.objects.order_by("number"))),
        pk=pk,
    )


def operator_list(engagement):
    return WasteOperator.objects.filter(engagement=engagement)


def offer_list(engagement):
    return ReuseOffer.objects.filter(engagement=engagement).annotate(
        item_count=Count("items", distinct=True), request_count=Count("requests", distinct=True))


def offer_board(offer) -> list[dict]:
    """Each offered item with the offices' requests side by side (a conflict when two or
    more offices want it and none is allocated yet)."""
    items = list(offer.items.select_related("allocated_to").order_by("number"))
    requests = defaultdict(list)
    for r in (ReuseRequest.objects.filter(offer=offer).select_related("office")
              .order_by("office__sort_order", "pk")):
        requests[r.item_id].append(r)
    rows = []
    for item in items:
        rs = requests[item.pk]
        allocated = next((r for r in rs if r.status == RequestStatus.ALLOCATED), None)
        rows.append({"item": item, "requests": rs, "allocated": allocated,
                     "conflict": len(rs) > 1 and allocated is None})
    return rows


def offerable_items(engagement):
    return item_queryset(engagement).filter(
        status__in=[ItemStatus.NEW, ItemStatus.PROPOSED]).exclude(proposed_outcome=Outcome.KEEP)


def decided_items(engagement, outcome, *, free_field):
    return item_queryset(engagement).filter(
        status=ItemStatus.DECIDED, outcome=outcome, **{f"{free_field}__isnull": True})


def report_chapter(engagement) -> dict:
    """Chapter 廃棄・移設: only what the records hold."""
    from reports.chapters import numbered_chapters

    number = next((n for n, ch in numbered_chapters() if ch.key == "disposal"), None)
    rec = reconciliation(engagement)
    items = [i for i in rec["items"] if i.status != ItemStatus.WITHDRAWN]
    transfers = list(
        Transfer.objects.filter(engagement=engagement)
        .exclude(status=TransferStatus.CANCELLED).select_related("destination")
        .prefetch_related(Prefetch("items", DisposalItem.objects.order_by("number")))
    )
    manifests = {m.pk: m for m in manifest_list(engagement)}
    scrapped = [i for i in items if i.outcome == Outcome.SCRAP]
    for i in scrapped:
        i.deadlines = manifests[i.manifest_id].deadlines if i.manifest_id else []
    return {
        "number": number,
        "items": items,
        "counts": rec["counts"],
        "total": rec["active_count"],
        "final_count": rec["final_count"],
        "transfers": transfers,
        "scrapped": scrapped,
        "sold": [i for i in items if i.outcome == Outcome.SALE],
        "kept": [i for i in items if i.status == ItemStatus.KEPT],
        "open_items": [i for i in items if not i.is_final],
        "overdue": rec["overdue"],
    }


def schedule_rows(engagement) -> list:
    """The transfers (planned or carried out, to their receipt), for the report's 工程."""
    from reports.schedule import Row

    from .models import Transfer

    rows = []
    for transfer in Transfer.objects.filter(engagement=engagement).exclude(
            status=TransferStatus.CANCELLED).select_related("destination").order_by(
            "planned_on", "pk"):
        start = transfer.carried_out_on or transfer.planned_on
        rows.append(Row(_("Transfer to %(office)s") % {"office": transfer.destination}, start,
                        transfer.received_on if transfer.received_on else None,
                        _("Disposal and transfer")))
    return rows
