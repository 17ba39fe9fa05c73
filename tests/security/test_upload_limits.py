"""Every file field of every model has the upload validator with a size limit from the
settings, and every one is proven to be written only on commit (each app's
``test_files_on_commit.py``); images are bounded by the memory their decoded pixels take,
read from the header, never decoded to find out."""

import importlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from PIL import Image

from engagements.images import ImageTooLarge, display_name, make_display_copy
from engagements.uploads import Kind, UploadValidator, validate_upload
from tests.files_on_commit import limit_uploads, pdf, png

pytestmark = pytest.mark.django_db

# Files the app writes itself (the report's PDF and ZIP), never uploaded by a user: no
# upload validator, and written by the report worker.
GENERATED = {"reports.ReportVersion.pdf", "reports.ReportVersion.data_zip",
             "reports.ReportBuild.file"}


def file_fields():
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):  # the history rows name the same files
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


def upload_validators(field) -> list[UploadValidator]:
    return [v for v in field.validators if isinstance(v, UploadValidator)]


def test_every_uploaded_file_field_has_the_upload_validator_with_a_size_limit():
    fields = dict(file_fields())
    assert {"procurement.Quote.file", "disposal.Transfer.signed_receipt",
            "disposal.Manifest.certificate", "disposal.WasteOperator.contract_file"} <= set(fields)
    missing = [label for label, field in fields.items()
               if label not in GENERATED and not upload_validators(field)]
    assert missing == []
    for label, field in fields.items():
        for validator in upload_validators(field):
            assert 0 < validator.max_bytes() <= 20 * 2**20, label


def test_every_file_field_is_proven_to_be_written_only_on_commit():
    covered = set()
    for path in Path(__file__).parent.parent.glob("*/test_files_on_commit.py"):
        module = importlib.import_module(f"tests.{path.parent.name}.test_files_on_commit")
        covered |= module.COVERED_FILE_FIELDS
    uncovered = {label for label, _field in file_fields()} - GENERATED - covered
    assert uncovered == set(), "add a test to the app's test_files_on_commit.py"


UPLOAD_OF_KIND = {
    Kind.PDF: lambda: pdf("a.pdf", padding=400),
    Kind.IMAGE: lambda: png("a.png", padding=400),
    Kind.OFFICE: lambda: SimpleUploadedFile("a.docx", _docx(padding=400)),
    Kind.TEXT: lambda: SimpleUploadedFile("a.txt", "議事メモ".encode() * 100),
}


def _docx(padding=0) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" + " " * padding)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("label", sorted(label for label, _f in file_fields()
                                         if label not in GENERATED))
def test_every_file_field_refuses_a_file_over_the_limit_of_its_kind(label, settings):
    field = dict(file_fields())[label]
    limit_uploads(settings, pdf=300, image=300, office=300, text=300)
    for validator in upload_validators(field):
        for kind in validator.kinds:
            with pytest.raises(ValidationError) as info:
                validator(UPLOAD_OF_KIND[Kind(kind)]())
            assert info.value.code == "file_size"
            assert "MB" in info.value.messages[0] and "大きすぎます" in info.value.messages[0]


# --- Images: the decoded size from the header ------------------------------------------------


def png_header(width: int, height: int, colour_type: int, bit_depth: int = 8) -> bytes:
    """A PNG that says it is ``width`` × ``height``, a few hundred bytes long (its pixel data
    is not there: nothing may decode it)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    palette = chunk(b"PLTE", b"\x00\x00\x00") if colour_type == 3 else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + palette
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_a_small_png_of_40_megapixels_in_colour_is_refused_by_the_memory_budget():
    # given a 150-byte PNG whose header says 6300 × 6300 RGB (39.7 MP, under the pixel limit)
    content = png_header(6300, 6300, colour_type=2)
    assert len(content) < 1000
    # when it is uploaded, then it is refused: decoded it would take 159 MB
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("big.png", content), [Kind.IMAGE])
    assert info.value.code == "image_memory"
    assert "メモリ" in info.value.messages[0] and "159 MB" in info.value.messages[0]


@pytest.mark.parametrize("colour_type,size,refused", [
    (6, (5000, 4900), True),   # RGBA 24.5 MP: 98 MB
    (6, (4800, 5000), False),  # RGBA 24 MP: 96 MB, the budget
    (3, (6300, 6300), False),  # palette 39.7 MP: one byte a pixel
    (0, (6300, 6300), False),  # grey
])
def test_the_budget_counts_the_bytes_of_a_pixel(colour_type, size, refused):
    upload = SimpleUploadedFile("plan.png", png_header(*size, colour_type=colour_type))
    if refused:
        with pytest.raises(ValidationError):
            validate_upload(upload, [Kind.IMAGE])
    else:
        assert validate_upload(upload, [Kind.IMAGE]) == "image/png"


def test_the_memory_budget_is_a_setting(settings):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "MAX_IMAGE_DECODED_BYTES": 1000}
    with pytest.raises(ValidationError):
        validate_upload(png("a.png", size=(20, 20)), [Kind.IMAGE])  # 1,600 bytes
    assert validate_upload(png("a.png", size=(15, 15)), [Kind.IMAGE])  # 900 bytes


def test_a_display_copy_is_never_made_from_an_image_over_the_budget(settings, media_root):
    name = default_storage.save("engagement_1/survey/photos/big.png",
                                io.BytesIO(png_header(6300, 6300, colour_type=2)))
    with pytest.raises(ImageTooLarge):
        make_display_copy(name)
    assert not default_storage.exists(display_name(name))


def test_a_large_jpegs_display_copy_is_decoded_reduced(settings, media_root):
    # given a 2400 × 1600 JPEG (15 MB decoded) and a budget of 1 MB
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), (10, 120, 200)).save(buffer, "JPEG")
    name = default_storage.save("engagement_1/survey/photos/wide.jpg", buffer)
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "MAX_IMAGE_DECODED_BYTES": 1_000_000,
                              "DISPLAY_IMAGE_MAX_PX": 300}
    # when its display copy is made, then the JPEG is decoded at 1/8 (300 × 200), in budget
    copy = make_display_copy(name)
    with default_storage.open(copy) as handle, Image.open(handle) as image:
        assert image.size == (300, 200)


def test_make_display_copies_makes_the_missing_copies(media_root, engagement, desk, city_user,
                                                      django_capture_on_commit_callbacks):
    from survey import services

    # given a photo whose copy is missing (stored before copies were made on upload)
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                   image=png("desk.png"))
    default_storage.delete(display_name(photo.image.name))
    out = io.StringIO()
    call_command("make_display_copies", "--dry-run", stdout=out)
    assert photo.image.name in out.getvalue() and "1 display copies missing" in out.getvalue()
    assert not default_storage.exists(display_name(photo.image.name))
    # when the command runs, then the copy is there
    out = io.StringIO()
    call_command("make_display_copies", stdout=out)
    assert "1 display copies made, 0 failed" in out.getvalue()
    assert default_storage.exists(display_name(photo.image.name))


def test_the_guard_fails_a_service_that_saves_an_upload_in_save(engagement, contractor):
    # given code outside the tests that assigns an upload and saves (no save_file_on_commit)
    from disposal.models import WasteOperator
    from engagements.services import save_checked
    from tests.file_guard import FIELDS, FileWrittenInSave

    assert WasteOperator in FIELDS
    operator = WasteOperator(engagement=engagement, name="業者", role="collector",
                             licence_number="1", licence_issuer="京都市長",
                             licence_expires_on="2028-03-31", contract_file=pdf())
    # when it saves through a service helper, then the guard stops it
    with pytest.raises(FileWrittenInSave, match="save_file_on_commit"):
        save_checked(operator, actor=contractor)
