"""Survey photos and plan images are written only once the change commits (with their
display copy), within the size limit of an image; a refused post leaves nothing in
MEDIA_ROOT."""

from decimal import Decimal

import pytest
from django.urls import reverse

from survey import services
from survey.models import Floor, Photo
from tests.files_on_commit import (
    empty_media,  # noqa: F401
    limit_uploads,
    png,
    stored_files,
    written_only_on_commit,
)

pytestmark = pytest.mark.django_db

COVERED_FILE_FIELDS = {"survey.Photo.image", "survey.Floor.plan_image"}


def test_photos_and_plans_are_written_only_on_commit(empty_media, monkeypatch,  # noqa: F811
                                                     django_capture_on_commit_callbacks,
                                                     engagement, desk, city_user):
    written = written_only_on_commit(
        lambda: services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                   image=png()),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)
    assert written[0] == Photo.objects.get().image.name and "/display/" in written[1]
    written_only_on_commit(
        lambda: services.floor_create(engagement=engagement, actor=city_user,
                                      name=f"{Floor.objects.count()}階",
                                      plan_image=png("plan.png", size=(80, 80)),
                                      mm_per_px=Decimal("25")),
        media_root=empty_media, monkeypatch=monkeypatch,
        capture=django_capture_on_commit_callbacks)


def test_a_refused_plan_leaves_no_file(client, empty_media, engagement,  # noqa: F811
                                       city_user):
    # given a plan image without the scale it needs
    client.force_login(city_user)
    response = client.post(reverse("survey:floor_create", args=[engagement.pk]),
                           {"name": "4階", "sort_order": 0, "plan_image": png("plan.png")})
    # then the floor is refused and the image not stored
    assert response.status_code == 200
    assert not Floor.objects.filter(name="4階").exists()
    assert stored_files(empty_media) == []


def test_a_photo_over_the_limit_is_refused_beside_the_field(
        settings, client, empty_media, engagement, desk, city_user):  # noqa: F811
    limit_uploads(settings, image=200)
    client.force_login(city_user)
    response = client.post(reverse("survey:photo_add", args=[engagement.pk, "desk", desk.pk]),
                           {"image": png(padding=400), "caption": "机"}, follow=True)
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files(empty_media) == []
