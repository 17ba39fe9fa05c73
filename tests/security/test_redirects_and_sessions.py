"""Same-host ``next`` only (item 15); a working day of idle session, ended with the browser
(item 16)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from meetings.choices import ActionItemStatus
from meetings.models import ActionItem

pytestmark = pytest.mark.django_db

EVIL = [
    "https://evil.example/", "//evil.example/", "https://evil.example/engagements/",
    "http://evil.example", "\\\\evil.example", "/\\evil.example", "javascript:alert(1)",
    " https://evil.example/",
]


@pytest.fixture
def item(minutes, city_user):
    return ActionItem.objects.create(minutes=minutes, description="配席図を送付", owner=city_user)


def status_url(engagement, item):
    return reverse("meetings:action_item_status", args=[engagement.pk, item.pk])


@pytest.mark.parametrize("target", EVIL)
def test_action_item_status_never_redirects_off_site(client, contractor, engagement, item,
                                                      target):
    client.force_login(contractor)
    response = client.post(status_url(engagement, item),
                           {"status": ActionItemStatus.DONE, "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == reverse("meetings:action_items", args=[engagement.pk])


def test_a_same_host_next_is_followed(client, contractor, engagement, item):
    client.force_login(contractor)
    back = reverse("meetings:action_items", args=[engagement.pk]) + "?status=open"
    response = client.post(status_url(engagement, item),
                           {"status": ActionItemStatus.DONE, "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_and_language_never_redirect_off_site(client, make_user, target):
    make_user("yamada")
    response = client.post(f"/accounts/login/?next={target}",
                           {"username": "yamada", "password": "pass", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(reverse("set_language"), {"language": "ja", "next": target})
    assert "evil.example" not in response.get("Location", "")


def test_sessions_last_a_working_day_of_idle_time_and_end_with_the_browser(client, make_user):
    assert django_settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True  # idle time, not time since sign-in
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    make_user("yamada")
    response = client.post("/accounts/login/", {"username": "yamada", "password": "pass"})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert 0 < client.session.get_expiry_age() <= 9 * 60 * 60
