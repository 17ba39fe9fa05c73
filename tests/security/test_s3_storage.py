"""Uploads through STORAGES only: S3-compatible storage (django-storages), tested in process
with moto (issue 14 item 7). Nothing reads MEDIA_ROOT: photos, display copies, downloads,
deletes and backups work with the bucket alone."""

import io

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto import mock_aws

from engagements.backup import media_names
from engagements.images import display_name
from survey import services

from .conftest import png_bytes

pytestmark = pytest.mark.django_db

BUCKET = "office-reform-test"


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "ap-northeast-1"}.items():
        monkeypatch.setenv(key, value)
    # MEDIA_ROOT points at a folder that must stay empty: nothing may write to the disk
    settings.MEDIA_ROOT = str(tmp_path / "unused-media")
    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-northeast-1")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={
            "LocationConstraint": "ap-northeast-1"})
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "engagements.storage.ProtectedS3Storage",
                        "OPTIONS": {"bucket_name": BUCKET, "region_name": "ap-northeast-1",
                                    "location": "media"}},
        }
        yield s3
    assert not (tmp_path / "unused-media").exists()


def keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_photos_live_in_the_bucket_and_are_served_through_the_membership_check(
    bucket, client, engagement, city_user, outsider, desk, django_capture_on_commit_callbacks,
    tmp_path,
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_add(engagement=engagement, actor=city_user, desk=desk,
                                   image=SimpleUploadedFile("机.png", png_bytes(300, 200)))
    assert keys(bucket) == sorted([f"media/{photo.image.name}",
                                   f"media/{display_name(photo.image.name)}"])
    assert photo.image.url == f"/media/{photo.image.name}".replace("机", "%E6%9C%BA")
    client.force_login(city_user)
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes(300, 200)
    assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(outsider)
    assert client.get(photo.image.url).status_code == 404
    # the backup reads the bucket
    assert media_names() == sorted([photo.image.name, display_name(photo.image.name)])
    # a delete reaches the bucket once committed
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_delete(photo=photo, actor=city_user)
    assert keys(bucket) == []


def test_the_report_embeds_plans_from_the_bucket(bucket, engagement, city_user,
                                                 django_capture_on_commit_callbacks):
    from survey.selectors import floor_plan

    with django_capture_on_commit_callbacks(execute=True):
        floor = services.floor_create(
            engagement=engagement, actor=city_user, name="7階", width_mm=0, depth_mm=0,
            mm_per_px=100, plan_image=SimpleUploadedFile("plan.png", png_bytes(80, 60)),
        )
    svg = floor_plan(floor, for_pdf=True)
    assert "data:image/png;base64," in svg
    assert "file://" not in svg
    assert io.BytesIO(default_storage.open(floor.plan_image.name).read()).getvalue()[:4] == \
        b"\x89PNG"
