"""/media/: the path is resolved before the engagement is read from it (issue 11, item 1)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from engagements.views import normalise_media_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_file(media_root, other_engagement):
    """A file of the engagement ``city_user`` is NOT a member of."""
    return default_storage.save(
        f"engagement_{other_engagement.pk}/meetings/secret.txt", ContentFile(b"secret minutes")
    )


@pytest.fixture
def own_file(media_root, engagement):
    return default_storage.save(
        f"engagement_{engagement.pk}/meetings/mine.txt", ContentFile(b"my minutes")
    )


def _variants(own: int, other: int, name: str):
    return [
        f"engagement_{own}/../engagement_{other}/meetings/{name}",
        f"engagement_{own}/%2e%2e/engagement_{other}/meetings/{name}",
        f"engagement_{own}/%252e%252e/engagement_{other}/meetings/{name}",
        f"engagement_{own}/.%2e/engagement_{other}/meetings/{name}",
        f"engagement_0{own}/../engagement_{other}/meetings/{name}",
        f"engagement_0{own}/meetings/../../engagement_{other}/meetings/{name}",
        f"engagement_{own}/meetings/..%2f..%2fengagement_{other}/meetings/{name}",
        f"engagement_{own}\\..\\engagement_{other}\\meetings\\{name}",
        f"engagement_{own}/..\\engagement_{other}/meetings/{name}",
        f"engagement_{own}%5c..%5cengagement_{other}/meetings/{name}",
        f"/engagement_{other}/meetings/{name}",
        f"%2fengagement_{other}/meetings/{name}",
        f"engagement_{own}/./../engagement_{other}/meetings/{name}",
        f"engagement_{own}//../engagement_{other}/meetings/{name}",
    ]


def test_traversal_variants_never_reach_another_engagement(
    client, city_user, engagement, other_engagement, foreign_file, own_file
):
    client.force_login(city_user)
    name = foreign_file.rsplit("/", 1)[1]
    for path in _variants(engagement.pk, other_engagement.pk, name):
        response = client.get(f"/media/{path}")
        assert response.status_code == 404, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"secret minutes" not in body, path


def test_absolute_paths_and_escapes_answer_404(client, city_user, engagement, own_file, tmp_path):
    client.force_login(city_user)
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"outside")
    for path in [
        str(outside),
        f"engagement_{engagement.pk}/../../outside.txt",
        f"engagement_{engagement.pk}/../../../../../../etc/passwd",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        f"engagement_{engagement.pk}/meetings/mine.txt%00.png",
    ]:
        assert client.get(f"/media/{path}").status_code == 404, path


def test_the_member_still_gets_their_own_file(client, city_user, own_file):
    client.force_login(city_user)
    response = client.get(f"/media/{own_file}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"my minutes"


def test_a_member_of_both_reads_the_resolved_engagement_only_by_its_canonical_name(
    client, outsider, engagement, other_engagement, foreign_file
):
    # the outsider IS a member of the other engagement: the canonical name works, tricks do not
    client.force_login(outsider)
    assert client.get(f"/media/{foreign_file}").status_code == 200
    assert client.get(
        f"/media/engagement_{other_engagement.pk}/x/../meetings/secret.txt"
    ).status_code == 404


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("engagement_1/a/b.png", "engagement_1/a/b.png"),
        ("engagement_1/../engagement_2/b.png", None),
        ("engagement_1/%2e%2e/engagement_2/b.png", None),
        ("engagement_1\\..\\engagement_2\\b.png", None),
        ("/etc/passwd", None),
        ("..", None),
        ("engagement_1/a/", None),
        ("engagement_1/a\x00.png", None),
    ],
)
def test_normalise_media_path(raw, expected):
    assert normalise_media_path(raw) == expected
