"""Same-host ``next`` only (item 15); a working day of idle session, ended with the browser
(item 16)."""

import datetime as dt
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from engagements import sessions
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
    # Idle time, not time since sign-in: renewed by engagements.sessions.IdleSessionMiddleware.
    assert "engagements.sessions.IdleSessionMiddleware" in django_settings.MIDDLEWARE
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    make_user("yamada")
    response = client.post("/accounts/login/", {"username": "yamada", "password": "pass"})
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert 0 < client.session.get_expiry_age() <= 9 * 60 * 60


def test_a_request_renews_the_session_only_when_its_last_renewal_is_a_few_minutes_old(
        client, make_user, monkeypatch):
    make_user("yamada")
    client.post("/accounts/login/", {"username": "yamada", "password": "pass"})
    key = client.session.session_key
    page = reverse("engagements:engagement_list")
    earlier = timezone.now() + dt.timedelta(hours=1)  # as if renewed 8 hours ago
    Session.objects.filter(pk=key).update(expire_date=earlier)

    # Within the renewal window: the page is answered without writing the session row.
    clock = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: clock + 60)
    assert client.get(page).status_code == 200
    assert Session.objects.get(pk=key).expire_date == earlier

    # Five minutes after the last renewal: the next request moves the expiry a working day on.
    monkeypatch.setattr(sessions.time, "time", lambda: clock + 5 * 60 + 1)
    assert client.get(page).status_code == 200
    renewed = Session.objects.get(pk=key)
    assert renewed.expire_date >= timezone.now() + dt.timedelta(hours=9, minutes=-1)
    assert renewed.get_decoded()[sessions.RENEWED_KEY] == int(clock + 5 * 60 + 1)
    assert client.session.session_key == key  # the same session, still signed in
