"""Survey part of the benchmark (engineer A): desks, cabinets and a 2,100-row desk import.

City scale: about 150 desks and 43 cabinets per office over 14 offices (≈2,100 desks, 600
cabinets), each cabinet with two document-volume cells.
"""

import io
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from openpyxl import Workbook

from survey.models import Desk, Floor, StorageUnit, StorageVolume

DESKS_PER_OFFICE = 150
CABINETS_PER_OFFICE = 43


def _floor(engagement) -> Floor:
    floor, _ = Floor.objects.get_or_create(
        engagement=engagement, name="執務室", defaults={"width_mm": 40_000, "depth_mm": 20_000}
    )
    return floor


def generate_survey(engagements, scale: str) -> None:
    from engagements import demo
    from survey import demo as survey_demo

    survey_demo.seed(demo.seed())  # the seed office: its demo survey (19 desks)
    for engagement in engagements[1:]:
        if Desk.objects.filter(engagement=engagement).exists():
            continue
        floor = _floor(engagement)
        Desk.objects.bulk_create(
            Desk(
                engagement=engagement, floor=floor, section=engagement.section,
                number=f"{n:04d}", width_mm=1200, depth_mm=700,
                x_mm=1000 + (n % 25) * 1400, y_mm=1000 + (n // 25) * 1600,
                document_fm=Decimal("0.5"),
            )
            for n in range(DESKS_PER_OFFICE)
        )
        StorageUnit.objects.bulk_create(
            StorageUnit(
                engagement=engagement, floor=floor, section=engagement.section,
                number=f"C{n:03d}", width_mm=900, depth_mm=450, height_mm=1850, shelf_count=5,
                x_mm=500 + n * 900, y_mm=200,
            )
            for n in range(CABINETS_PER_OFFICE)
        )
        units = list(StorageUnit.objects.filter(engagement=engagement))
        StorageVolume.objects.bulk_create(
            StorageVolume(unit=unit, retention=retention, disposition=disposition,
                          volume_fm=Decimal("1.5"))
            for unit in units
            for retention, disposition in (("5", "archive"), ("1", "discard"))
        )


def import_2100_desks(engagement, *, dry_run: bool = True) -> None:
    """Import of a 2,100-row desk sheet: a dry run checks every row and writes nothing; a real
    import writes them all and is rolled back afterwards, so both scales start alike."""
    from engagements.choices import Role
    from survey import excel

    floor = engagement.floors.order_by("pk").first()
    actor = engagement.memberships.filter(role=Role.CITY_STAFF).first().user
    workbook = Workbook()
    sheet = workbook.active
    with translation.override("ja"):
        sheet.title = str(excel.DESK_SHEET.title)
        sheet.append([str(c.header) for c in excel.DESK_SHEET.columns])
    for n in range(2100):
        sheet.append([f"B{n:05d}", floor.name, None, None, None, 1200, 700])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with transaction.atomic():
        result = excel.survey_import(
            engagement=engagement, file=buffer, actor=actor, dry_run=dry_run
        )
        assert result.ok, result.errors[:3]
        transaction.set_rollback(True)


def import_2100_desks_for_real(engagement) -> None:
    import_2100_desks(engagement, dry_run=False)


PAGES = [
    ("survey index", "survey:index", lambda e: {"engagement_pk": e.pk}),
    ("survey desks", "survey:desk_list", lambda e: {"engagement_pk": e.pk}),
    ("survey storage", "survey:storage_list", lambda e: {"engagement_pk": e.pk}),
    ("survey analysis", "survey:analysis", lambda e: {"engagement_pk": e.pk}),
    ("survey plan", "survey:floor_plan",
     lambda e: {"engagement_pk": e.pk, "pk": e.floors.order_by("pk").first().pk}),
    ("survey Excel export", "survey:excel_export", lambda e: {"engagement_pk": e.pk}),
]
