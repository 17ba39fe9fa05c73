"""403, 404 and 500 are Japanese pages in the site's layout that say where to go (DEBUG off)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_settings_run_without_debug():
    assert settings.DEBUG is False


def _landmarks(content: str) -> None:
    assert '<html lang="ja">' in content
    assert '<main id="main"' in content
    assert "<header>" in content and "<footer" in content
    assert "<h1" in content


def test_404_is_japanese_in_the_layout_and_leads_to_the_list(client, city_user):
    client.force_login(city_user)
    response = client.get("/engagements/999999/")
    content = response.content.decode()
    assert response.status_code == 404
    _landmarks(content)
    assert "このページは存在しません" in content
    assert f'href="{reverse("engagements:engagement_list")}"' in content
    assert "案件一覧へ" in content


def test_404_inside_an_engagement_of_the_user_leads_to_its_dashboard(client, city_user,
                                                                      engagement):
    client.force_login(city_user)
    response = client.get(f"/engagements/{engagement.pk}/survey/desks/999999/")
    content = response.content.decode()
    assert response.status_code == 404
    assert f'href="{reverse("engagements:dashboard", args=[engagement.pk])}"' in content
    assert "案件のダッシュボードへ" in content


def test_404_for_a_visitor_leads_to_the_sign_in_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert f'href="{reverse("login")}"' in response.content.decode()


def test_403_is_japanese_says_why_and_leads_to_the_dashboard(client, contractor, engagement):
    client.force_login(contractor)
    response = client.get(reverse("survey:questionnaire_wave_create", args=[engagement.pk]))
    content = response.content.decode()
    assert response.status_code == 403
    _landmarks(content)
    assert "このページは開けません" in content
    assert "何も変更されていません" in content
    assert f'href="{reverse("engagements:dashboard", args=[engagement.pk])}"' in content
    assert "Forbidden" not in content


def test_403_shows_the_services_japanese_reason(rf, contractor):
    from django.core.exceptions import PermissionDenied

    from engagements.errors import permission_denied

    request = rf.get("/")
    request.user = contractor
    response = permission_denied(request, PermissionDenied("この案は差戻しのみできます。"))
    assert response.status_code == 403
    assert "この案は差戻しのみできます。" in response.content.decode()


def test_500_is_japanese_in_the_layout(city_user, engagement, monkeypatch):
    def boom(engagement):
        raise RuntimeError("deliberate failure")

    monkeypatch.setattr("engagements.views.stored_stage_overview", boom)
    client = Client(raise_request_exception=False)
    client.force_login(city_user)
    response = client.get(reverse("engagements:dashboard", args=[engagement.pk]))
    content = response.content.decode()
    assert response.status_code == 500
    _landmarks(content)
    assert "システムエラーが発生しました" in content
    assert "deliberate failure" not in content


def test_500_falls_back_to_plain_japanese_when_the_layout_fails(rf, monkeypatch):
    from engagements import errors

    def broken(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(errors, "_render", broken)
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "システムエラーが発生しました" in response.content.decode()


def test_csrf_failure_is_japanese(city_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city_user)
    response = client.post(reverse("logout"))
    content = response.content.decode()
    assert response.status_code == 403
    assert "フォームを送信できませんでした" in content


def test_favicon_is_served_from_static(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/favicon.ico"
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    assert client.get("/static/favicon.ico").status_code == 200
