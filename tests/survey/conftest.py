"""Fixtures of the survey tests: a floor with desks and storage in ``engagement``."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from engagements.choices import OrganisationKind
from engagements.models import Organisation
from survey.models import Desk, Floor, StorageUnit, StorageVolume


@pytest.fixture
def section(engagement):
    return engagement.section


@pytest.fixture
def other_section(engagement):
    unit, _ = Organisation.objects.get_or_create(
        name="隣の担当", parent=engagement.client, defaults={"kind": OrganisationKind.SECTION}
    )
    return unit


@pytest.fixture
def floor(engagement):
    return Floor.objects.create(engagement=engagement, name="3階", width_mm=18000, depth_mm=11000)


@pytest.fixture
def make_desk(engagement, floor, section):
    def make(number: str, **fields) -> Desk:
        values = {
            "engagement": engagement, "floor": floor, "section": section, "number": number,
            "width_mm": 1200, "depth_mm": 700, "x_mm": 1000, "y_mm": 1000,
        }
        values.update(fields)
        return Desk.objects.create(**values)

    return make


@pytest.fixture
def desk(make_desk):
    return make_desk("01")


@pytest.fixture
def make_unit(engagement, floor, section):
    def make(number: str, volumes=None, **fields) -> StorageUnit:
        values = {
            "engagement": engagement, "floor": floor, "section": section, "number": number,
            "width_mm": 900, "depth_mm": 450, "height_mm": 1850, "shelf_count": 5,
        }
        values.update(fields)
        unit = StorageUnit.objects.create(**values)
        for (retention, disposition), fm in (volumes or {}).items():
            StorageVolume.objects.create(
                unit=unit, retention=retention, disposition=disposition, volume_fm=Decimal(fm)
            )
        return unit

    return make


@pytest.fixture
def other_floor(other_engagement):
    return Floor.objects.create(
        engagement=other_engagement, name="2階", width_mm=10000, depth_mm=8000
    )


def image_bytes(fmt: str = "PNG", size=(400, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
