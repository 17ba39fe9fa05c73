"""Fixtures of the procurement tests: an approved alternative with new items, and its plan.

The survey layout: one desk K1 (kept by the layout: cabling only). The approved 案A adds two
desks W1200 (1 seat, 2 outlets), one booth and two lockers; lockers are 1,800 mm tall once the
contractor gives their height.
"""

import datetime as dt

import pytest

from procurement import services
from procurement.choices import PositionStatus
from procurement.models import Position, PositionStatusChange
from proposals import services as proposal_services
from proposals.choices import CatalogueKind, LayoutAction
from proposals.models import CatalogueItem, LayoutItem
from survey.models import Desk, Floor

P = PositionStatus


@pytest.fixture
def floor(engagement):
    return Floor.objects.create(engagement=engagement, name="3階", width_mm=18000, depth_mm=11000)


@pytest.fixture
def catalogue(engagement):
    """The engagement's own catalogue."""
    def item(name, kind, w, d, price, seats=0, outlets=0):
        return CatalogueItem.objects.create(engagement=engagement, name=name, kind=kind,
                                            width_mm=w, depth_mm=d, unit_price_yen=price,
                                            seats=seats, outlets=outlets)

    return {
        "desk": item("事務用デスク", CatalogueKind.DESK, 1200, 700, 58_000, seats=1, outlets=2),
        "booth": item("集中ブース", CatalogueKind.BOOTH, 1000, 1000, 420_000, seats=1,
                      outlets=1),
        "locker": item("ロッカー", CatalogueKind.LOCKER, 900, 515, 148_000),
    }


def add_items(alternative, floor, entries):
    for entry, x, y in entries:
        LayoutItem.objects.create(
            alternative=alternative, engagement=alternative.engagement, floor=floor,
            action=LayoutAction.NEW, catalogue_item=entry, x_mm=x, y_mm=y,
            width_mm=entry.width_mm, depth_mm=entry.depth_mm)


@pytest.fixture
def approved(engagement, floor, catalogue, contractor, city_user):
    Desk.objects.create(engagement=engagement, floor=floor, section=engagement.section,
                        number="K1", width_mm=1200, depth_mm=700, x_mm=9000, y_mm=5000,
                        has_phone=True, monitor_count=2)
    proposal = proposal_services.proposal_create(engagement=engagement, title="提案",
                                                 actor=contractor)
    alternative = proposal_services.alternative_create(proposal=proposal, label="案A",
                                                       actor=contractor)
    add_items(alternative, floor, [
        (catalogue["desk"], 1000, 1000), (catalogue["desk"], 2400, 1000),
        (catalogue["booth"], 1000, 4000),
        (catalogue["locker"], 6000, 100), (catalogue["locker"], 7000, 100),
    ])
    proposal_services.alternative_submit(alternative=alternative, actor=contractor)
    return proposal_services.alternative_approve(alternative=alternative, actor=city_user)


@pytest.fixture
def plan(approved, engagement, contractor):
    return services.plan_start(engagement=engagement, actor=contractor)


@pytest.fixture
def lines(plan):
    return {line.catalogue_item.kind: line for line in plan.lines.select_related(
        "catalogue_item")}


@pytest.fixture
def suppliers(engagement, contractor):
    return [services.supplier_create(engagement=engagement, name=name, actor=contractor)
            for name in ("株式会社A家具", "株式会社B商会", "株式会社C設備")]


@pytest.fixture
def make_order(engagement, contractor, suppliers):
    """An order for ``lines`` (line → quantity) with quotes at ``factors`` % of the budget
    price; chosen (the lowest) and issued unless told otherwise."""

    def make(quantities, factors=(100, 95), *, issue=True, number="R8-001", reason="x"):
        order = services.order_create(
            engagement=engagement, title="什器", actor=contractor,
            quantities={line.pk: q for line, q in quantities.items()})
        order_lines = {ol.plan_line_id: ol.pk for ol in order.lines.all()}
        quotes = [services.quote_create(
            order=order, supplier=suppliers[i], quoted_on=dt.date(2026, 10, 1),
            valid_until=None, tax_included=False, actor=contractor,
            prices={order_lines[line.pk]: line.budget_unit_price_yen * f // 100
                    for line in quantities}) for i, f in enumerate(factors)]
        if issue:
            lowest = quotes[factors.index(min(factors))]
            services.order_choose_quote(order=order, quote=lowest, reason=reason,
                                        actor=contractor)
            order = services.order_issue(order=order, number=number,
                                         ordered_on=dt.date(2026, 10, 5),
                                         delivery_due=dt.date(2026, 10, 20),
                                         delivery_place="本庁舎3階", actor=contractor)
        order.quotes_made = quotes
        return order

    return make


@pytest.fixture
def position_in(plan, lines):
    """A position of the desk line put straight into ``status`` (no status-change rows)."""

    def make(status, kind="desk"):
        position = Position.objects.filter(line=lines[kind]).order_by("label").first()
        Position.objects.filter(pk=position.pk).update(status=status,
                                                       delivered_on=dt.date(2026, 10, 20))
        PositionStatusChange.objects.filter(position=position).delete()
        position.refresh_from_db()
        return position

    return make


@pytest.fixture
def subcontractor(engagement, contractor):
    """A company other than the contractor, one of the engagement's suppliers."""
    return services.supplier_create(engagement=engagement, name="株式会社配線工業",
                                    actor=contractor)
