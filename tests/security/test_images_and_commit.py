"""Image pixel limit and the downscaled copy (item 5); files written or deleted only when the
transaction commits (item 12)."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from engagements.images import display_name
from meetings import services as meeting_services
from meetings.models import Attachment
from survey import selectors as survey_selectors
from survey import services as survey_services
from survey.models import Floor, Photo

from .conftest import PDF_BYTES, png_bytes

pytestmark = pytest.mark.django_db


def big_bitmap_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG")
    return buffer.getvalue()


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# Pillow warns on opening any image above its own limit (89 Mpx), before the app's lower limit
# refuses it: the warning is expected here, the refusal is what is tested.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_12000_by_12000_png_is_refused_as_photo_and_plan(media_root, engagement, city_user,
                                                            desk):
    content = big_bitmap_png(12000, 12000)
    assert len(content) < 1_000_000  # small file, huge image
    with pytest.raises(ValidationError) as info:
        survey_services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                  image=SimpleUploadedFile("big.png", content))
    assert "メガピクセル" in " ".join(info.value.messages)
    with pytest.raises(ValidationError):
        survey_services.floor_create(engagement=engagement, actor=city_user, name="大", width_mm=0,
                                     depth_mm=0, mm_per_px=5,
                                     plan_image=SimpleUploadedFile("big.png", content))
    assert not Photo.objects.exists()


def test_the_pixel_limit_is_a_setting(settings, media_root, engagement, city_user, desk):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "MAX_IMAGE_PIXELS": 1000}
    with pytest.raises(ValidationError):
        survey_services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                  image=SimpleUploadedFile("a.png", png_bytes(40, 30)))
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "MAX_IMAGE_PIXELS": 1200}
    with transaction.atomic():
        survey_services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                  image=SimpleUploadedFile("a.png", png_bytes(40, 30)))


def test_a_downscaled_copy_is_stored_and_used_by_pages_and_the_report(
    settings, media_root, engagement, city_user, desk, client, django_capture_on_commit_callbacks
):
    settings.OFFICE_REFORM = {**settings.OFFICE_REFORM, "DISPLAY_IMAGE_MAX_PX": 300}
    with django_capture_on_commit_callbacks(execute=True):
        photo = survey_services.photo_add(
            engagement=engagement, actor=city_user, desk=desk, in_report=True,
            image=SimpleUploadedFile("desk.png", png_bytes(1500, 1000)),
        )
    copy = display_name(photo.image.name)
    assert default_storage.exists(copy)
    with default_storage.open(copy) as handle, Image.open(handle) as image:
        assert image.size == (300, 200)
    # pages show the copy
    assert photo.display_url == default_storage.url(copy)
    client.force_login(city_user)
    response = client.get(photo.display_url)
    assert response.status_code == 200
    # the report embeds the copy, never a local path
    context = survey_selectors.report_chapter(engagement)
    (_photo, href), = context["photos"]
    assert href.startswith("data:image/png;base64,")
    with Image.open(io.BytesIO(base64.b64decode(href.split(",", 1)[1]))) as image:
        assert image.size == (300, 200)


def test_a_missing_display_copy_is_answered_with_the_original_without_decoding(
    settings, media_root, engagement, city_user, client, monkeypatch
):
    # given an image stored before copies were made on upload (no display copy)
    content = png_bytes(800, 400)
    name = default_storage.save(f"engagement_{engagement.pk}/survey/photos/old.png",
                                io.BytesIO(content))
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    monkeypatch.setattr(Image, "open", lambda *a, **k: decoded.append(a) or None)
    client.force_login(city_user)
    # when a page asks for its display copy
    response = client.get(default_storage.url(display_name(name)))
    # then the original is sent as stored, nothing decoded, and no copy is made by a GET
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert decoded == []
    assert not default_storage.exists(display_name(name))


# --- Item 12: on commit ------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_rolled_back_upload_leaves_no_file(media_root, engagement, city_user, desk, meeting,
                                             contractor, django_capture_on_commit_callbacks):
    media_root.mkdir(parents=True, exist_ok=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            survey_services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                      image=SimpleUploadedFile("desk.png", png_bytes()))
            meeting_services.attachment_add(actor=contractor, meeting=meeting,
                                            upload=SimpleUploadedFile("a.pdf", PDF_BYTES))
            survey_services.floor_create(
                engagement=engagement, actor=city_user, name="5階", width_mm=0, depth_mm=0,
                mm_per_px=100, plan_image=SimpleUploadedFile("plan.png", png_bytes()),
            )
            raise Boom
    assert callbacks == []
    assert stored_files(media_root) == []
    assert not Photo.objects.exists() and not Attachment.objects.exists()
    assert not Floor.objects.filter(name="5階").exists()


def test_a_committed_upload_is_written_and_a_rolled_back_delete_keeps_the_file(
    media_root, engagement, city_user, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = survey_services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                          image=SimpleUploadedFile("desk.png", png_bytes()))
    assert default_storage.exists(photo.image.name)
    assert default_storage.exists(display_name(photo.image.name))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            survey_services.photo_delete(photo=photo, actor=city_user)
            raise Boom
    assert default_storage.exists(photo.image.name)  # the row is back, so is its file
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.photo_delete(photo=photo, actor=city_user)
    assert not default_storage.exists(photo.image.name)
    assert not default_storage.exists(display_name(photo.image.name))


def test_replacing_a_plan_deletes_the_old_file_only_on_commit(
    media_root, engagement, city_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        floor = survey_services.floor_create(
            engagement=engagement, actor=city_user, name="6階", width_mm=0, depth_mm=0,
            mm_per_px=100, plan_image=SimpleUploadedFile("plan.png", png_bytes()),
        )
    old = floor.plan_image.name
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            survey_services.floor_update(floor=floor, actor=city_user,
                                         plan_image=SimpleUploadedFile("new.png", png_bytes()))
            raise Boom
    assert default_storage.exists(old)
    assert len([f for f in stored_files(media_root) if "/display/" not in f]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        floor = survey_services.floor_update(
            floor=Floor.objects.get(pk=floor.pk), actor=city_user,
            plan_image=SimpleUploadedFile("new.png", png_bytes()),
        )
    assert not default_storage.exists(old)
    assert default_storage.exists(floor.plan_image.name)
