"""Figures, cost and layout warnings as pure functions, on known layouts."""

from decimal import Decimal

import pytest

from engagements import pricing
from proposals import figures as fig
from proposals.choices import CatalogueKind, TaxClass, ZoneKind
from proposals.layout_check import bounding_box, group_warnings, layout_warnings


class Entry:
    def __init__(self, kind, w, d, seats=0, fm="0", outlets=0):
        self.kind, self.width_mm, self.depth_mm = kind, w, d
        self.seats, self.storage_fm, self.outlets = seats, Decimal(fm), outlets


def test_figures_of_a_known_layout():
    # given two surveyed desks, one cabinet (0.9 m × 5 shelves), a free-address table,
    # a booth and two zones, for 4 people with 9 fm of documents
    items = [
        fig.survey_desk_facts(1200, 700),
        fig.survey_desk_facts(1200, 700),
        fig.survey_storage_facts(900, 5),
        fig.catalogue_facts(Entry(CatalogueKind.FREE_ADDRESS_TABLE, 2400, 1400, seats=6,
                                  outlets=6)),
        fig.catalogue_facts(Entry(CatalogueKind.BOOTH, 1000, 1000, seats=1, outlets=1)),
    ]
    zones = [fig.ZoneFacts(ZoneKind.COLLABORATION, 6, 2000 * 2000),
             fig.ZoneFacts(ZoneKind.STORAGE, 0, 1000 * 1000)]
    # when
    figures = fig.compute_figures(items, zones, headcount=4, document_fm=Decimal("9"),
                                  recommended_seats=3)
    # then
    assert figures.seats == 8  # 2 desks + 6 at the table; the booth is a booth place
    assert figures.seats_per_person == Decimal("2.00")
    assert figures.recommended_seats_per_person == Decimal("0.75")
    assert figures.desk_area_m2 == Decimal("5.0")  # 0.84 + 0.84 + 3.36 = 5.04
    assert figures.area_per_person_m2 == Decimal("2.51")  # (5.04 + 4 + 1) / 4
    assert figures.storage_fm == Decimal("4.50")
    assert figures.paper_reduction_percent == 50  # 1 - 4.5 / 9
    assert figures.meeting_places == 7  # collaboration 6 + booth 1; storage zones excepted
    assert figures.outlets == 2 + 2 + 6 + 1


def test_figures_without_headcount_or_documents_leave_ratios_empty():
    figures = fig.compute_figures([fig.survey_desk_facts(1000, 700)], [], headcount=0,
                                  document_fm=Decimal("0"))
    assert figures.seats == 1
    assert figures.seats_per_person is None
    assert figures.area_per_person_m2 is None
    assert figures.paper_reduction_percent == 0


@pytest.mark.parametrize("capacity,volume,expected", [
    ("10", "8", 0),       # everything fits
    ("8", "8", 0),
    ("6", "8", 25),
    ("6.01", "8", 25),    # 24.875% → rounded up: the target must be enough
    ("0", "8", 100),
])
def test_paper_reduction_required(capacity, volume, expected):
    assert fig.paper_reduction_percent(Decimal(capacity), Decimal(volume)) == expected


@pytest.mark.parametrize("subtotal,tax", [
    (12_345, 1_234),      # 1,234.5 → rounded down
    (99, 9),
    (9, 0),
    (0, 0),
    (1_886_000, 188_600),
])
def test_consumption_tax_is_rounded_down(subtotal, tax):
    assert pricing.tax_yen(subtotal, 10) == tax


def test_consumption_tax_uses_the_setting(settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "CONSUMPTION_TAX_PERCENT": 8}
    assert pricing.tax_yen(12_345) == 987


def test_cost_taxes_the_taxable_total_once():
    # given two lines of 0.5 yen tax each: per-line rounding would lose a yen
    lines = [
        fig.CostLine("A", 1, 5, TaxClass.STANDARD),
        fig.CostLine("B", 1, 5, TaxClass.STANDARD),
        fig.CostLine("設計", 1, 12_345, TaxClass.NON_TAXABLE, is_works=True),
    ]
    # when
    cost = fig.compute_cost(lines, 10)
    # then
    assert cost.items_subtotal_yen == 10
    assert cost.works_subtotal_yen == 12_345
    assert cost.subtotal_yen == 12_355
    assert cost.tax_yen == 1
    assert cost.total_yen == 12_356


def test_quarter_turn_swaps_width_and_depth():
    box = bounding_box("机", 1000, 1000, 1200, 700, 90)
    assert (box.x0, box.y0, box.x1, box.y1) == (1250, 750, 1950, 1950)
    same = bounding_box("机", 1000, 1000, 1200, 700, 180)
    assert (same.x0, same.y0, same.x1, same.y1) == (1000, 1000, 2200, 1700)


def test_overlap_and_narrow_aisle_warnings():
    boxes = [
        bounding_box("A", 0, 0, 1200, 700),
        bounding_box("B", 1000, 0, 1200, 700),       # overlaps A by 200 mm
        bounding_box("C", 0, 1400, 1200, 700),       # 700 mm below A: narrow aisle
        bounding_box("D", 0, 2100, 1200, 700),       # touches C: placed together
        bounding_box("E", 5000, 5000, 1000, 1000),   # far away
    ]
    warnings = layout_warnings(boxes, 900)
    found = {(w.kind, w.first, w.second): w for w in warnings}
    # B overlaps C's column by 200 mm too: 700 mm between them as well
    assert set(found) == {("overlap", "A", "B"), ("aisle", "A", "C"), ("aisle", "C", "B")}
    assert found[("aisle", "A", "C")].gap_mm == 700
    assert "700" in found[("aisle", "A", "C")].message


def test_aisle_at_the_minimum_is_fine():
    boxes = [bounding_box("A", 0, 0, 1200, 700), bounding_box("B", 0, 1600, 1200, 700)]
    assert layout_warnings(boxes, 900) == []
    assert len(layout_warnings(boxes, 1000)) == 1


def test_warnings_between_surveyed_items_are_inherited_and_listed_apart():
    # given two surveyed items as found (700 mm apart), and a new booth 400 mm from one
    boxes = [
        bounding_box("C01", 0, 0, 900, 450, surveyed=True),
        bounding_box("02", 0, 1150, 1200, 700, surveyed=True),
        bounding_box("ブース", 1600, 1150, 1000, 1000),
        bounding_box("机", 5000, 0, 1200, 700),
        bounding_box("机2", 5500, 300, 1200, 700),
    ]
    # when
    groups = group_warnings(layout_warnings(boxes, 900))
    # then the alternative's own come first (the overlap before the aisle), inherited apart
    assert [(w.kind, w.first, w.second) for w in groups.own] == [
        ("overlap", "机", "机2"), ("aisle", "02", "ブース")]
    assert [(w.first, w.second, w.gap_mm) for w in groups.inherited] == [("C01", "02", 700)]
    assert groups.count == 3 and groups
    assert not group_warnings([])


def test_figure_table_puts_the_recommendation_beside_the_seats():
    from proposals.selectors import figure_table

    current = fig.compute_figures([fig.survey_desk_facts(1200, 700)] * 10, [], headcount=10,
                                  document_fm=Decimal("0"), recommended_seats=6)
    proposed = fig.compute_figures([fig.survey_desk_facts(1200, 700)] * 6, [], headcount=10,
                                   document_fm=Decimal("0"), recommended_seats=6)
    rows = {row.key: row for row in figure_table([current, proposed])}
    assert rows["seats"].values == [10, 6] and rows["seats"].differs
    assert "6" in rows["seats"].note
    assert "0.60" in rows["seats_per_person"].note
    assert rows["storage_fm"].note == ""
    without = figure_table([fig.compute_figures([], [], headcount=1, document_fm=Decimal("0"))])
    assert all(row.note == "" for row in without)
