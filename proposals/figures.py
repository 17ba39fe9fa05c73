"""Figures and costs of a layout: pure functions of the items, testable on known layouts.

Definitions (the report states them too):
- seats: work seats — each surveyed desk kept or moved is one seat; new desks and
  free-address tables give their catalogue ``seats``. Booths and zones are counted apart.
- seats per person: seats ÷ headcount (the survey's section staffing); under 1.0 means
  free address. Shown beside the occupancy study's recommendation.
- desk area: the desks' and tables' W×D in m²; area per person: desk area plus the zones'
  area, divided by the headcount.
- storage capacity (fm): surveyed storage units kept, shelf width/1000 × shelves, plus the
  catalogue fm of new storage; paper reduction required = max(0, 1 − capacity ÷ current
  documents), rounded up to a whole percent (the target must be sufficient).
- meeting and booth places: the zones' capacity (storage zones excepted) plus new booths' seats.
- outlets needed: two per surveyed desk (PC and monitor) plus each new item's catalogue figure.

Money is integer yen. The consumption tax is computed once on the taxable subtotal of the
whole quote (the usual quote practice, not per line): tax = ⌊subtotal × rate ÷ 100⌋
(``engagements.pricing``).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from engagements import pricing

from .choices import DESK_AREA_KINDS, WORK_SEAT_KINDS, CatalogueKind, TaxClass, ZoneKind

OUTLETS_PER_SURVEY_DESK = 2
ZERO = Decimal("0")


@dataclass(frozen=True)
class ItemFacts:
    """What one item of a layout contributes to the figures."""

    seats: int = 0
    booth_places: int = 0
    desk_area_mm2: int = 0
    storage_fm: Decimal = ZERO
    outlets: int = 0


@dataclass(frozen=True)
class ZoneFacts:
    kind: str
    capacity: int
    area_mm2: int


def survey_desk_facts(width_mm: int, depth_mm: int) -> ItemFacts:
    return ItemFacts(seats=1, desk_area_mm2=width_mm * depth_mm, outlets=OUTLETS_PER_SURVEY_DESK)


def survey_storage_facts(width_mm: int, shelf_count: int) -> ItemFacts:
    return ItemFacts(storage_fm=(Decimal(width_mm) / 1000 * shelf_count).quantize(Decimal("0.01")))


def catalogue_facts(item) -> ItemFacts:
    """Facts of one new item from the catalogue (any object with the catalogue's fields)."""
    is_desk = item.kind in DESK_AREA_KINDS
    return ItemFacts(
        seats=item.seats if item.kind in WORK_SEAT_KINDS else 0,
        booth_places=item.seats if item.kind == CatalogueKind.BOOTH else 0,
        desk_area_mm2=item.width_mm * item.depth_mm if is_desk else 0,
        storage_fm=Decimal(item.storage_fm or 0),
        outlets=item.outlets,
    )


@dataclass
class Figures:
    headcount: int
    seats: int
    desk_area_m2: Decimal
    area_per_person_m2: Decimal | None
    storage_fm: Decimal
    document_fm: Decimal
    meeting_places: int
    outlets: int
    seats_per_person: Decimal | None = None
    paper_reduction_percent: int = 0
    recommended_seats: int | None = None
    recommended_seats_per_person: Decimal | None = None

    def rows(self) -> list[tuple[str, object]]:
        """(key, value) in the order of the figures table."""
        return [(key, getattr(self, key)) for key in FIGURE_KEYS]


FIGURE_KEYS = (
    "seats", "seats_per_person", "desk_area_m2", "area_per_person_m2", "storage_fm",
    "paper_reduction_percent", "meeting_places", "outlets",
)


def _ratio(numerator, denominator, places: str = "0.01") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        Decimal(places), rounding=ROUND_HALF_UP
    )


def paper_reduction_percent(capacity_fm: Decimal, document_fm: Decimal) -> int:
    """Share of today's documents that must go for the rest to fit: max(0, 1 − cap/vol), ↑%."""
    if not document_fm or document_fm <= 0:
        return 0
    share = 1 - Decimal(capacity_fm) / Decimal(document_fm)
    if share <= 0:
        return 0
    return min(100, math.ceil(share * 100))


def compute_figures(items: Iterable[ItemFacts], zones: Iterable[ZoneFacts], *, headcount: int,
                    document_fm: Decimal, recommended_seats: int | None = None) -> Figures:
    """The figures of one layout (the survey's, or an alternative's without removed items)."""
    items, zones = list(items), list(zones)
    seats = sum(i.seats for i in items)
    desk_area = sum(i.desk_area_mm2 for i in items)
    zone_area = sum(z.area_mm2 for z in zones)
    storage = sum((i.storage_fm for i in items), ZERO)
    meeting = sum(z.capacity for z in zones if z.kind != ZoneKind.STORAGE)
    meeting += sum(i.booth_places for i in items)
    figures = Figures(
        headcount=headcount,
        seats=seats,
        desk_area_m2=_ratio(desk_area, 1_000_000, "0.1"),
        area_per_person_m2=_ratio(Decimal(desk_area + zone_area) / 1_000_000, headcount),
        storage_fm=storage.quantize(Decimal("0.01")),
        document_fm=Decimal(document_fm).quantize(Decimal("0.01")),
        meeting_places=meeting,
        outlets=sum(i.outlets for i in items),
        seats_per_person=_ratio(seats, headcount),
        paper_reduction_percent=paper_reduction_percent(storage, Decimal(document_fm)),
        recommended_seats=recommended_seats,
        recommended_seats_per_person=_ratio(recommended_seats, headcount)
        if recommended_seats else None,
    )
    return figures


# --- Cost -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostLine:
    description: str
    quantity: int
    unit_price_yen: int
    tax_class: str
    is_works: bool = False

    @property
    def amount_yen(self) -> int:
        return self.quantity * self.unit_price_yen


@dataclass
class Cost:
    lines: list[CostLine] = field(default_factory=list)
    percent: int = 10

    @property
    def items_subtotal_yen(self) -> int:
        return sum(line.amount_yen for line in self.lines if not line.is_works)

    @property
    def works_subtotal_yen(self) -> int:
        return sum(line.amount_yen for line in self.lines if line.is_works)

    @property
    def subtotal_yen(self) -> int:
        return sum(line.amount_yen for line in self.lines)

    @property
    def taxable_yen(self) -> int:
        return sum(line.amount_yen for line in self.lines if line.tax_class == TaxClass.STANDARD)

    @property
    def tax_yen(self) -> int:
        return pricing.tax_yen(self.taxable_yen, self.percent)

    @property
    def total_yen(self) -> int:
        return self.subtotal_yen + self.tax_yen


def compute_cost(lines: Iterable[CostLine], percent: int | None = None) -> Cost:
    return Cost(lines=list(lines), percent=pricing.tax_percent() if percent is None else percent)
