"""Demo survey of the seed office: the 19 desks of 区政・スマート区役所推進担当 on an outline
plan of the floor, the neighbouring sections' desks, cabinets with their documents, headcounts.

Idempotent (``engagements.demo.upsert``): a second run changes nothing.
"""

from decimal import Decimal

from engagements.demo import Demo, upsert
from engagements.models import Organisation

from .choices import Condition, DeskType, Disposition, Retention, StorageKind, UserRole
from .models import Desk, Floor, Furniture, Room, SectionStaffing, StorageUnit, StorageVolume

FLOOR_W, FLOOR_D = 18_000, 11_000


def _island(prefix, start, origin, count, section, floor, engagement, width=1000, depth=700):
    """Desks face each other in pairs: ``count`` desks, half in each row."""
    x0, y0 = origin
    per_row = count // 2
    for index in range(count):
        row, column = divmod(index, per_row)
        upsert(
            Desk,
            {"engagement": engagement, "number": f"{prefix}{start + index:02d}"},
            {
                "floor": floor, "section": section, "user_role": UserRole.STAFF,
                "desk_type": DeskType.SINGLE_PEDESTAL, "width_mm": width, "depth_mm": depth,
                "x_mm": x0 + column * width, "y_mm": y0 + row * depth,
                "rotation_deg": 180 if row == 0 else 0,
                "condition": Condition.FAIR if index % 4 == 3 else Condition.GOOD,
                "year": 2008 + index % 6, "has_pc": True, "monitor_count": 1 + index % 2,
                "has_phone": index % 2 == 0, "document_fm": Decimal("0.6") + Decimal(index % 3) / 5,
                "power_outlets": 2, "lan_outlets": 1,
            },
        )


def seed(demo: Demo) -> None:
    engagement, site = demo.engagement, demo.site
    madoguchi = Organisation.objects.get(name="市民窓口企画担当")
    mynumber = Organisation.objects.get(name="マイナンバー担当")
    floor = upsert(
        Floor,
        {"engagement": engagement, "name": "3階 執務室"},
        {"width_mm": FLOOR_W, "depth_mm": FLOOR_D, "sort_order": 1,
         "notes": "別紙2の配席図を基に外形で作図。"},
    )
    for name, x, y, w, d in [
        ("会議室", 13_500, 7_000, 4_300, 3_800),
        ("書庫", 13_500, 200, 4_300, 3_000),
    ]:
        upsert(Room, {"engagement": engagement, "floor": floor, "name": name},
               {"x_mm": x, "y_mm": y, "width_mm": w, "depth_mm": d})

    # 区政・スマート区役所推進担当: the 課長's desk and three islands of six (19 desks).
    upsert(
        Desk,
        {"engagement": engagement, "number": "01"},
        {
            "floor": floor, "section": site, "user_role": UserRole.SECTION_CHIEF,
            "desk_type": DeskType.DOUBLE_PEDESTAL, "width_mm": 1400, "depth_mm": 700,
            "x_mm": 1_000, "y_mm": 9_200, "rotation_deg": 180, "condition": Condition.GOOD,
            "year": 2010, "has_pc": True, "monitor_count": 2, "has_phone": True,
            "document_fm": Decimal("1.50"), "power_outlets": 4, "lan_outlets": 2,
            "notes": "区庁舎整備・スマート区役所推進担当課長",
        },
    )
    for island, y in enumerate((1_200, 3_800, 6_400)):
        _island("", 2 + island * 6, (1_000, y), 6, site, floor, engagement)
    # The neighbouring sections on the same floor.
    _island("窓口-", 1, (5_500, 1_200), 6, madoguchi, floor, engagement)
    _island("MN-", 1, (5_500, 3_800), 6, mynumber, floor, engagement)

    upsert(Furniture, {"engagement": engagement, "number": "F01"},
           {"floor": floor, "kind": "table", "name": "打合せテーブル", "width_mm": 1800,
            "depth_mm": 900, "x_mm": 9_500, "y_mm": 7_500, "section": site})
    upsert(Furniture, {"engagement": engagement, "number": "F02"},
           {"floor": floor, "kind": "printer", "name": "複合機", "width_mm": 600,
            "depth_mm": 700, "x_mm": 9_800, "y_mm": 5_200})

    # Cabinets along the north wall and in the 書庫, with their documents.
    cabinets = [
        ("C01", site, 1_000), ("C02", site, 1_900), ("C03", site, 2_800), ("C04", site, 3_700),
        ("C05", site, 4_600), ("C06", madoguchi, 5_500), ("C07", madoguchi, 6_400),
        ("C08", mynumber, 7_300), ("C09", mynumber, 8_200),
    ]
    mixes = [
        {("1", "discard"): "0.8", ("3", "archive"): "1.2", ("5", "digitise"): "1.0",
         ("10", "archive"): "0.6"},
        {("1", "keep"): "1.0", ("3", "keep"): "1.5", ("5", "archive"): "1.2"},
        {("3", "digitise"): "1.6", ("5", "digitise"): "1.4", ("permanent", "keep"): "0.5"},
    ]
    for index, (number, section, x) in enumerate(cabinets):
        unit = upsert(
            StorageUnit,
            {"engagement": engagement, "number": number},
            {"floor": floor, "kind": StorageKind.CABINET, "section": section, "width_mm": 880,
             "depth_mm": 400, "height_mm": 1_850, "shelf_count": 5, "x_mm": x, "y_mm": 100,
             "condition": Condition.GOOD if index % 3 else Condition.FAIR},
        )
        _volumes(unit, mixes[index % len(mixes)])
    for index in range(4):
        unit = upsert(
            StorageUnit,
            {"engagement": engagement, "number": f"S{index + 1:02d}"},
            {"floor": floor, "kind": StorageKind.ARCHIVE, "section": site, "width_mm": 900,
             "depth_mm": 450, "height_mm": 2_100, "shelf_count": 6,
             "x_mm": 13_700 + index * 1_000, "y_mm": 300},
        )
        _volumes(unit, {("10", "archive"): "2.4", ("permanent", "keep"): "1.8",
                        ("5", "discard"): "0.9"})

    upsert(SectionStaffing, {"engagement": engagement, "section": site},
           {"headcount": 19, "notes": "課長を含む"})
    upsert(SectionStaffing, {"engagement": engagement, "section": madoguchi}, {"headcount": 6})
    upsert(SectionStaffing, {"engagement": engagement, "section": mynumber}, {"headcount": 6})


def _volumes(unit: StorageUnit, cells: dict[tuple[str, str], str]) -> None:
    for (retention, disposition), fm in cells.items():
        assert retention in Retention.values and disposition in Disposition.values
        upsert(
            StorageVolume,
            {"unit": unit, "retention": retention, "disposition": disposition},
            {"volume_fm": Decimal(fm)},
        )
