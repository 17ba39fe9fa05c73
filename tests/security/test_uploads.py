"""Uploads are checked by content on every form, service and the admin; media is served
so that nothing uploaded runs on the app's origin (issue 11, item 2)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from meetings import services as meeting_services
from meetings.forms import AttachmentForm
from meetings.models import Attachment
from survey import services as survey_services
from survey.models import Floor, Photo

from .conftest import HTML_BYTES, PDF_BYTES, SVG_BYTES, jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


ACCEPTED = [
    ("資料.pdf", PDF_BYTES),
    ("写真.png", png_bytes()),
    ("写真.jpg", jpeg_bytes()),
    ("一覧.xlsx", xlsx_bytes()),
    ("メモ.txt", "打合せメモ\n".encode()),
    ("一覧.csv", "机,1\n".encode("cp932")),
]
REFUSED = [
    ("page.html", HTML_BYTES),
    ("page.htm", HTML_BYTES),
    ("drawing.svg", SVG_BYTES),
    ("page.txt", HTML_BYTES),  # HTML named .txt
    ("drawing.png", SVG_BYTES),  # SVG named .png
    ("picture.pdf", png_bytes()),  # a PNG named .pdf
    ("document.png", PDF_BYTES),  # a PDF named .png
    ("sheet.xlsx", PDF_BYTES),
    ("tool.exe", b"MZ\x90\x00\x03"),
    ("noname", PDF_BYTES),
    ("binary.txt", b"\x00\x01\x02\x03"),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_attachment_service_accepts_the_kinds_the_app_needs(media_root, meeting, contractor,
                                                            name, content):
    upload = SimpleUploadedFile(name, content)
    attachment = meeting_services.attachment_add(actor=contractor, upload=upload,
                                                 meeting=meeting)
    assert attachment.original_name == name


@pytest.mark.parametrize(("name", "content"), REFUSED)
def test_attachment_service_and_form_refuse_by_content(media_root, meeting, contractor,
                                                       name, content):
    with pytest.raises(ValidationError) as info:
        meeting_services.attachment_add(actor=contractor, upload=SimpleUploadedFile(name, content),
                                        meeting=meeting)
    assert "file" in info.value.message_dict
    assert not Attachment.objects.exists()
    form = AttachmentForm({}, {"file": SimpleUploadedFile(name, content)})
    assert not form.is_valid()
    assert form.errors["file"]


def test_a_png_named_pdf_is_refused_in_the_view_with_a_japanese_message(
    client, media_root, meeting, contractor
):
    client.force_login(contractor)
    url = reverse("meetings:meeting_attachment_upload", args=[meeting.engagement_id, meeting.pk])
    response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", png_bytes())},
                           follow=True)
    assert response.status_code == 200
    assert "ファイルの内容が名前" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_admin_refuses_an_html_attachment(client, media_root, meeting, contractor,
                                              django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pass")
    client.force_login(admin)
    response = client.post(reverse("admin:meetings_attachment_add"), {
        "engagement": meeting.engagement_id, "meeting": meeting.pk,
        "file": SimpleUploadedFile("x.html", HTML_BYTES), "original_name": "x.html",
        "size": len(HTML_BYTES), "uploaded_by": contractor.pk,
    })
    assert response.status_code == 200  # the form again, with its error
    assert "この種類のファイルはアップロードできません" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("name", "content"), [
    ("desk.png", SVG_BYTES), ("desk.pdf", PDF_BYTES), ("desk.png", jpeg_bytes()),
    ("desk.svg", SVG_BYTES), ("desk.html", HTML_BYTES),
])
def test_survey_photos_and_plans_refuse_by_content(media_root, engagement, city_user, desk,
                                                   name, content):
    with pytest.raises(ValidationError):
        survey_services.photo_add(engagement=engagement, image=SimpleUploadedFile(name, content),
                                  actor=city_user, desk=desk)
    with pytest.raises(ValidationError):
        survey_services.floor_create(
            engagement=engagement, actor=city_user, name="4階", width_mm=10000, depth_mm=8000,
            plan_image=SimpleUploadedFile(name, content), mm_per_px=20,
        )
    assert not Photo.objects.exists()
    assert not Floor.objects.filter(name="4階").exists()


def _stored(engagement, name, content):
    return default_storage.save(f"engagement_{engagement.pk}/meetings/{name}", ContentFile(content))


@pytest.mark.parametrize(("name", "content", "inline", "mime"), [
    ("a.png", png_bytes(), True, "image/png"),
    ("a.pdf", PDF_BYTES, True, "application/pdf"),
    ("a.html", HTML_BYTES, False, "application/octet-stream"),
    ("a.svg", SVG_BYTES, False, "application/octet-stream"),
    ("a.txt", b"hello", False, "application/octet-stream"),
    ("a.png", HTML_BYTES, False, "application/octet-stream"),  # named .png, is HTML
])
def test_media_is_served_sandboxed_and_downloaded_unless_image_or_pdf(
    client, media_root, engagement, city_user, name, content, inline, mime
):
    client.force_login(city_user)
    response = client.get(f"/media/{_stored(engagement, name, content)}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Content-Type"] == mime
    assert response["Content-Disposition"].startswith("inline" if inline else "attachment")


def test_attachment_download_is_sandboxed_and_keeps_its_name(
    client, media_root, meeting, contractor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment = meeting_services.attachment_add(
            actor=contractor, upload=SimpleUploadedFile("議事資料.pdf", PDF_BYTES),
            meeting=meeting,
        )
    client.force_login(contractor)
    response = client.get(reverse("meetings:attachment_download",
                                  args=[meeting.engagement_id, attachment.pk]))
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "%E8%AD%B0%E4%BA%8B%E8%B3%87%E6%96%99.pdf" in response["Content-Disposition"]
