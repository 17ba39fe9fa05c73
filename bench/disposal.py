"""Disposal part of the benchmark: items, transfers, manifests and an offer per office.

Seed scale: the demo story (20 items). City scale: per ward-office engagement 200 disposal
items (thousands across the city) in every state, 5 transfers, 3 manifests (one with copies
overdue), and an offer of 40 items answered by two offices each.
"""

import datetime as dt

from simple_history.utils import bulk_create_with_history

from disposal.choices import (
    ItemSource,
    ItemStatus,
    Material,
    OperatorRole,
    Outcome,
    RequestStatus,
    TransferStatus,
    WasteClass,
)
from disposal.models import (
    DisposalItem,
    Manifest,
    ReuseOffer,
    ReuseRequest,
    Transfer,
    WasteOperator,
)
from engagements.models import Membership
from engagements.selectors import transfer_destinations
from survey.models import Desk

ITEMS_PER_OFFICE = 200
STATES = [
    (ItemStatus.NEW, ""), (ItemStatus.PROPOSED, ""), (ItemStatus.DECIDED, Outcome.TRANSFER),
    (ItemStatus.TRANSFERRED, Outcome.TRANSFER), (ItemStatus.DECIDED, Outcome.SCRAP),
    (ItemStatus.SCRAPPED, Outcome.SCRAP), (ItemStatus.SOLD, Outcome.SALE),
    (ItemStatus.KEPT, Outcome.KEEP),
]


def generate_disposal(engagements, scale: str) -> None:
    from disposal import demo as disposal_demo
    from engagements import demo

    disposal_demo.seed(demo.seed())
    offices = list(transfer_destinations()[:2])
    for engagement in engagements[1:]:
        if DisposalItem.objects.filter(engagement=engagement).exists():
            continue
        members = {m.role: m.user for m in Membership.objects.filter(engagement=engagement)}
        city, contractor = members["city_staff"], members["contractor"]
        collector, disposer = (
            WasteOperator.objects.create(
                engagement=engagement, name=f"業者{role}", role=role, licence_number="0260001",
                licence_issuer="京都市長", licence_issued_on=dt.date(2024, 4, 1),
                licence_expires_on=dt.date(2029, 3, 31))
            for role in (OperatorRole.COLLECTOR, OperatorRole.DISPOSER))
        transfers = bulk_create_with_history([
            Transfer(engagement=engagement, destination=offices[n % 2], contact_name="総務課",
                     planned_on=dt.date(2027, 6, 1 + n), status=TransferStatus.RECEIVED,
                     carried_out_on=dt.date(2027, 6, 1 + n), received_on=dt.date(2027, 6, 1 + n),
                     received_by_name="総務課長", created_by=contractor)
            for n in range(5)], Transfer, default_user=contractor)
        manifests = bulk_create_with_history([
            Manifest(engagement=engagement, number=f"M{engagement.pk}-{n}",
                     issued_on=dt.date(2025, 1, 10) if n == 0 else dt.date(2027, 7, 1 + n),
                     collector=collector, disposer=disposer,
                     collected_on=dt.date(2025, 1, 10) if n == 0 else dt.date(2027, 7, 1 + n),
                     created_by=contractor)
            for n in range(3)], Manifest, default_user=contractor)
        # As in real use, most items are surveyed desks removed by the approved layout.
        desks = list(Desk.objects.filter(engagement=engagement).order_by("pk"))
        items = []
        for k in range(ITEMS_PER_OFFICE):
            status, outcome = STATES[k % len(STATES)]
            desk = desks[k] if k < len(desks) else None
            items.append(DisposalItem(
                engagement=engagement, source=ItemSource.DESK if desk else ItemSource.MANUAL,
                desk=desk, number=f"B{k:04d}",
                allocated_to=offices[k % 2] if outcome == Outcome.TRANSFER else None,
                name="片袖机", size="W1200×D700", year=2010, reason="ベンチマーク",
                material=Material.STEEL, waste_class=WasteClass.METAL, status=status,
                outcome=outcome, proposed_outcome=outcome,
                decided_on=dt.date(2027, 5, 1) if outcome else None,
                decided_by=city if outcome else None,
                transfer=transfers[k % 5] if outcome == Outcome.TRANSFER else None,
                manifest=manifests[k % 3] if outcome == Outcome.SCRAP else None,
                buyer="買取業者" if outcome == Outcome.SALE else "",
                sale_price_yen=1000 if outcome == Outcome.SALE else None,
                sold_on=dt.date(2027, 6, 1) if outcome == Outcome.SALE else None))
        items = bulk_create_with_history(items, DisposalItem, default_user=contractor)
        offered = [i for i in items if i.status in (ItemStatus.NEW, ItemStatus.PROPOSED)][:40]
        offer = ReuseOffer.objects.create(
            engagement=engagement, title="庁内リユース照会", circulated_on=dt.date(2027, 5, 1),
            respond_by=dt.date(2027, 5, 20), created_by=city)
        offer.items.set(offered)
        ReuseRequest.objects.bulk_create(
            ReuseRequest(offer=offer, office=office, item=item, recorded_by=city,
                         status=RequestStatus.REQUESTED)
            for item in offered for office in offices)


def _first(model, e, **filters):
    return model.objects.filter(engagement=e, **filters).values_list("pk", flat=True).first()


PAGES = [
    ("disposal items", "disposal:index", lambda e: {"engagement_pk": e.pk}),
    ("disposal reconciliation", "disposal:reconciliation", lambda e: {"engagement_pk": e.pk}),
    # A transferred surveyed desk: the item page with the most to show.
    ("disposal item", "disposal:item_detail",
     lambda e: {"engagement_pk": e.pk, "pk": _first(DisposalItem, e, status="transferred",
                                                    desk__isnull=False)}),
    ("disposal transfers", "disposal:transfer_list", lambda e: {"engagement_pk": e.pk}),
    ("disposal waste and manifests", "disposal:waste", lambda e: {"engagement_pk": e.pk}),
    ("disposal offer", "disposal:offer_detail",
     lambda e: {"engagement_pk": e.pk, "pk": _first(ReuseOffer, e)}),
]
