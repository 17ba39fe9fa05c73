"""A meeting's or approval request's attachment is written only once the change commits,
within the size limit of its kind; a refused post leaves nothing in MEDIA_ROOT."""

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Attachment
from tests.files_on_commit import (
    empty_media,  # noqa: F401
    limit_uploads,
    pdf,
    stored_files,
    written_only_on_commit,
)

pytestmark = pytest.mark.django_db

COVERED_FILE_FIELDS = {"meetings.Attachment.file"}


def test_an_attachment_is_written_only_on_commit(empty_media, monkeypatch,  # noqa: F811
                                                 django_capture_on_commit_callbacks, meeting,
                                                 contractor):
    written = written_only_on_commit(
        lambda: services.attachment_add(actor=contractor, meeting=meeting, upload=pdf()),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)
    assert Attachment.objects.get().file.name == written[0]


def test_an_attachment_over_the_limit_is_refused_and_nothing_stored(
        settings, client, empty_media, engagement, meeting, contractor):  # noqa: F811
    limit_uploads(settings, pdf=300)
    client.force_login(contractor)
    response = client.post(
        reverse("meetings:meeting_attachment_upload", args=[engagement.pk, meeting.pk]),
        {"file": pdf("資料.pdf", padding=400), "description": "説明資料"}, follow=True)
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(empty_media) == []
