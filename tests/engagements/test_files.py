import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from engagements.files import EngagementUploadTo, engagement_pk_of

pytestmark = pytest.mark.django_db


class _Owner:
    engagement_id = 7


def test_upload_path_starts_with_the_engagement():
    path = EngagementUploadTo("survey/photos")(_Owner(), "../../desk 1.jpg")
    assert path.startswith("engagement_7/survey/photos/")
    assert path.endswith("_desk 1.jpg")
    assert engagement_pk_of(path) == 7
    assert engagement_pk_of("survey/photos/x.jpg") is None


@pytest.fixture
def stored_file(engagement):
    name = default_storage.save(
        f"engagement_{engagement.pk}/survey/photos/test.png", ContentFile(b"\x89PNG fake")
    )
    yield name
    default_storage.delete(name)


def test_members_get_the_file(client, city_user, stored_file):
    client.force_login(city_user)
    response = client.get(f"/media/{stored_file}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Content-Type"] == "image/png"


def test_other_engagements_members_and_anonymous_users_do_not(client, outsider, stored_file):
    assert client.get(f"/media/{stored_file}").status_code == 302  # to sign-in
    client.force_login(outsider)
    assert client.get(f"/media/{stored_file}").status_code == 404


def test_paths_outside_an_engagement_or_escaping_media_answer_404(client, city_user, engagement):
    client.force_login(city_user)
    assert client.get("/media/other/file.png").status_code == 404
    assert client.get(f"/media/engagement_{engagement.pk}/../../etc/passwd").status_code == 404
    assert client.get(f"/media/engagement_{engagement.pk}/missing.png").status_code == 404
