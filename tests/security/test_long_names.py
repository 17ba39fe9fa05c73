"""Long Japanese file names are shortened on disk; the download keeps the original (item 11)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagements.files import shorten_filename
from meetings import services

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_shorten_filename_keeps_the_extension_within_the_byte_limit():
    name = "会" * 120 + ".pdf"
    short = shorten_filename(name)
    assert short.endswith(".pdf")
    assert len(short.encode()) <= 200
    assert short.startswith("会" * 60)
    assert shorten_filename("短い.pdf") == "短い.pdf"


@pytest.mark.parametrize("length", [81, 90, 200])
def test_a_long_japanese_attachment_name_is_stored_and_downloaded_with_its_name(
    client, media_root, meeting, contractor, length, django_capture_on_commit_callbacks
):
    original = "令和八年度職場環境改革" * (length // 10) + "資" * (length % 10) + ".pdf"
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.attachment_add(
            actor=contractor, upload=SimpleUploadedFile(original, PDF_BYTES), meeting=meeting
        )
    stored = attachment.file.name.rsplit("/", 1)[1]
    assert len(stored.encode()) <= 255
    assert attachment.original_name == original[:200]
    client.force_login(contractor)
    response = client.get(reverse("meetings:attachment_download",
                                  args=[meeting.engagement_id, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    from urllib.parse import quote
    assert quote(original[:200]) in response["Content-Disposition"]
