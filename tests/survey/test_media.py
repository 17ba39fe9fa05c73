"""Survey photos and plan images are fetched through the membership check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from survey.services import photo_add

from .conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_photo_url_serves_members_only(client, media_root, engagement, desk, city_user, outsider,
                                       django_capture_on_commit_callbacks):
    # given a photo of a desk (files are written on commit)
    upload = SimpleUploadedFile("desk.png", image_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        photo = photo_add(engagement=engagement, image=upload, actor=city_user, desk=desk)
    assert photo.image.name.startswith(f"engagement_{engagement.pk}/survey/photos/")
    # when a member fetches its URL, they get the image
    client.force_login(city_user)
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == image_bytes()
    # and a member of another engagement gets 404
    client.force_login(outsider)
    assert client.get(photo.image.url).status_code == 404
