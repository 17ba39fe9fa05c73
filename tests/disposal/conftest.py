"""Fixtures of the disposal tests: items in any status, operators, manifests, transfers."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disposal.choices import ItemSource, ItemStatus, Material, OperatorRole, Outcome, WasteClass
from disposal.models import DisposalItem, Manifest, Transfer, WasteOperator
from engagements.choices import OrganisationKind
from engagements.models import Organisation


def png_upload(name="photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 100, 50)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def ward(db):
    city = Organisation.objects.get_or_create(name="京都市", kind=OrganisationKind.CITY)[0]
    return Organisation.objects.create(name="西京区役所", kind=OrganisationKind.WARD_OFFICE,
                                       parent=city, sort_order=110)


@pytest.fixture
def ward2(ward):
    return Organisation.objects.create(name="伏見区役所", kind=OrganisationKind.WARD_OFFICE,
                                       parent=ward.parent, sort_order=111)


@pytest.fixture
def company(db):
    return Organisation.objects.create(name="株式会社どこか", kind=OrganisationKind.COMPANY)


@pytest.fixture
def make_item(engagement):
    """An item in any status, written straight to the database (no status-change rows)."""
    counter = {"n": 0}

    def make(status=ItemStatus.NEW, outcome="", target=None, **fields) -> DisposalItem:
        counter["n"] += 1
        values = {"engagement": target or engagement, "source": ItemSource.MANUAL,
                  "number": f"M{counter['n']:02d}", "name": "事務椅子", "reason": "破損",
                  "material": Material.STEEL, "waste_class": WasteClass.METAL,
                  "status": status, "outcome": outcome,
                  "proposed_outcome": outcome}
        if status in (ItemStatus.DECIDED, ItemStatus.KEPT) and not outcome:
            values["outcome"] = Outcome.KEEP if status == ItemStatus.KEPT else Outcome.SCRAP
        values.update(fields)
        return DisposalItem.objects.create(**values)

    return make


@pytest.fixture
def item(make_item):
    return make_item()


@pytest.fixture
def collector(engagement):
    return WasteOperator.objects.create(
        engagement=engagement, name="京都クリーン運輸", role=OperatorRole.COLLECTOR,
        licence_number="026001", licence_issuer="京都市長",
        licence_issued_on=dt.date(2023, 4, 1), licence_expires_on=dt.date(2028, 3, 31))


@pytest.fixture
def disposer(engagement):
    return WasteOperator.objects.create(
        engagement=engagement, name="洛南リサイクル", role=OperatorRole.DISPOSER,
        licence_number="026201", licence_issuer="京都市長",
        licence_issued_on=dt.date(2021, 10, 1), licence_expires_on=dt.date(2028, 9, 30),
        excellent=True)


@pytest.fixture
def make_manifest(engagement, collector, disposer, contractor):
    def make(items=(), issued_on=dt.date(2026, 4, 1), **fields) -> Manifest:
        manifest = Manifest.objects.create(
            engagement=engagement, number=fields.pop("number", "M-0001"), issued_on=issued_on,
            collector=collector, disposer=disposer, collected_on=issued_on,
            created_by=contractor, **fields)
        for item in items:
            item.manifest = manifest
            item.save()
        return manifest

    return make


@pytest.fixture
def make_transfer(engagement, ward, contractor):
    def make(items=(), **fields) -> Transfer:
        values = {"engagement": engagement, "destination": ward, "contact_name": "総務課",
                  "planned_on": dt.date(2026, 10, 8), "created_by": contractor}
        values.update(fields)
        transfer = Transfer.objects.create(**values)
        for item in items:
            item.transfer = transfer
            item.save()
        return transfer

    return make
