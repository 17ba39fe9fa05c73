"""Fixtures of the proposal tests: a known surveyed floor, a small catalogue, a proposal.

The survey layout: three desks W1200×D700 (D1 and D2 side by side, D3 apart), one cabinet
W900 with 5 shelves (4.5 fm) holding 9 fm, 1 fm at desk D1, a headcount of 4.
"""

from decimal import Decimal

import pytest

from proposals import services
from proposals.choices import AlternativeStatus, CatalogueKind, TaxClass
from proposals.models import Alternative, CatalogueItem, StatusChange
from survey.models import Desk, Floor, SectionStaffing, StorageUnit, StorageVolume


@pytest.fixture
def floor(engagement):
    return Floor.objects.create(engagement=engagement, name="3階", width_mm=18000, depth_mm=11000)


@pytest.fixture
def survey_layout(engagement, floor):
    section = engagement.section
    desks = [
        Desk.objects.create(engagement=engagement, floor=floor, section=section, number=number,
                            width_mm=1200, depth_mm=700, x_mm=x, y_mm=y,
                            document_fm=Decimal("1.00") if number == "D1" else Decimal("0"))
        for number, x, y in (("D1", 1000, 1000), ("D2", 2200, 1000), ("D3", 1000, 3000))
    ]
    unit = StorageUnit.objects.create(
        engagement=engagement, floor=floor, section=section, number="S1", width_mm=900,
        depth_mm=450, height_mm=1850, shelf_count=5, x_mm=6000, y_mm=100,
    )
    StorageVolume.objects.create(unit=unit, retention="5", disposition="keep",
                                 volume_fm=Decimal("9.00"))
    SectionStaffing.objects.create(engagement=engagement, section=section, headcount=4)
    return {"desks": desks, "unit": unit}


@pytest.fixture
def catalogue(engagement):
    """The engagement's own catalogue."""
    def item(name, kind, w, d, price, seats=0, fm="0", outlets=0, tax=TaxClass.STANDARD):
        return CatalogueItem.objects.create(
            engagement=engagement, name=name, kind=kind, width_mm=w, depth_mm=d,
            unit_price_yen=price, seats=seats, storage_fm=Decimal(fm), outlets=outlets,
            tax_class=tax,
        )

    return {
        "table": item("フリーアドレステーブル", CatalogueKind.FREE_ADDRESS_TABLE, 2400, 1400,
                      186_000, seats=6, outlets=6),
        "booth": item("集中ブース", CatalogueKind.BOOTH, 1000, 1000, 420_000, seats=1,
                      outlets=1),
        "locker": item("ロッカー", CatalogueKind.LOCKER, 900, 515, 148_000, fm="1.2"),
        "design": item("レイアウト設計", CatalogueKind.OTHER, 100, 100, 12_345,
                       tax=TaxClass.NON_TAXABLE),
    }


@pytest.fixture
def proposal(engagement, contractor):
    return services.proposal_create(engagement=engagement, title="改善提案", actor=contractor)


@pytest.fixture
def alternative(proposal, survey_layout, contractor):
    return services.alternative_create(proposal=proposal, label="案A", actor=contractor)


@pytest.fixture
def make_alternative(proposal, survey_layout, contractor, city_user):
    """An alternative brought to ``status`` through the services, its status changes cleared."""

    def make(status: str = AlternativeStatus.DRAFT, label: str = "案X") -> Alternative:
        alt = services.alternative_create(proposal=proposal, label=label, actor=contractor)
        if status != AlternativeStatus.DRAFT:
            services.alternative_submit(alternative=alt, actor=contractor)
        if status == AlternativeStatus.RETURNED:
            services.alternative_return(alternative=alt, actor=city_user, comment="見直し")
        if status == AlternativeStatus.APPROVED:
            services.alternative_approve(alternative=alt, actor=city_user)
        StatusChange.objects.filter(alternative=alt).delete()
        alt.refresh_from_db()
        return alt

    return make


def payload_of(state: dict) -> tuple[list, list]:
    """The editor state as the editor posts it."""
    items = [{k: it[k] for k in ("id", "source", "catalogue", "label", "x", "y", "r", "removed")}
             for it in state["items"]]
    zones = [{k: z[k] for k in ("id", "kind", "name", "capacity", "x", "y", "w", "d", "r")}
             for z in state["zones"]]
    return items, zones
