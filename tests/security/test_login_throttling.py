"""Login throttling with django-axes at /accounts/login/ and /admin/login/ (item 8)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # take the settings above
    yield
    AxesProxyHandler.implementation = None


def sign_in(client, url, username, password):
    return client.post(url, {"username": username, "password": password},
                       REMOTE_ADDR="203.0.113.7")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_twenty_wrong_passwords_lock_out_even_the_right_one(client, axes_on, make_user, url):
    user = make_user("tanaka", is_staff=True, is_superuser=True)
    for _ in range(20):
        response = sign_in(client, url, "tanaka", "wrong")
        assert response.status_code in (200, 429)
    response = sign_in(client, url, "tanaka", "pass")
    assert response.status_code == 429
    body = response.content.decode()
    assert "ログインはロックされています" in body
    assert "_auth_user_id" not in client.session
    # another address is not locked for this user (lockout per user and address)
    ok = client.post(url, {"username": "tanaka", "password": "pass"}, REMOTE_ADDR="198.51.100.1")
    assert ok.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_lock_starts_at_the_limit(client, axes_on, make_user):
    make_user("suzuki")
    for _ in range(4):
        assert sign_in(client, "/accounts/login/", "suzuki", "wrong").status_code == 200
    assert sign_in(client, "/accounts/login/", "suzuki", "pass").status_code == 302


def test_axes_reset_unlocks(client, axes_on, make_user):
    make_user("sato")
    for _ in range(6):
        sign_in(client, "/accounts/login/", "sato", "wrong")
    assert sign_in(client, "/accounts/login/", "sato", "pass").status_code == 429
    call_command("axes_reset_username", "sato")
    assert sign_in(client, "/accounts/login/", "sato", "pass").status_code == 302
    client.logout()
    for _ in range(6):
        sign_in(client, "/accounts/login/", "sato", "wrong")
    call_command("axes_reset")
    assert sign_in(client, "/accounts/login/", "sato", "pass").status_code == 302
