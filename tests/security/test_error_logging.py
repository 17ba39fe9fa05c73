"""A 500 leaves its traceback on stderr and mails DJANGO_ADMINS (item 13)."""

import importlib
import io
import logging

import pytest
from django.core import mail
from django.urls import path

from engagements.views import EngagementListView

pytestmark = pytest.mark.django_db


def broken(request):
    raise RuntimeError("boom in a view")


urlpatterns = [path("broken/", broken), path("ok/", EngagementListView.as_view())]
handler500 = "engagements.errors.server_error"  # as office_reform/urls.py


def test_a_server_error_is_logged_with_its_traceback_to_stderr_and_mailed(client, settings):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("運用担当", "ops@example.jp")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert settings.LOGGING["handlers"]["errors"]["stream"] == "ext://sys.stderr"
    (handler,) = [h for h in logging.getLogger("django.request").handlers
                  if type(h) is logging.StreamHandler]
    buffer = io.StringIO()
    previous, handler.stream = handler.stream, buffer  # what gunicorn's stderr would receive
    try:
        client.raise_request_exception = False
        response = client.get("/broken/")
    finally:
        handler.stream = previous
    assert response.status_code == 500
    err = buffer.getvalue()
    assert "Internal Server Error: /broken/" in err
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: boom in a view" in err
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.jp"]


def test_django_admins_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_ADMINS", "運用 太郎 <ops@example.jp>, dev@example.jp")
    import office_reform.settings.base as base

    reloaded = importlib.reload(base)
    try:
        assert reloaded.ADMINS == [("運用 太郎", "ops@example.jp"),
                                   ("dev@example.jp", "dev@example.jp")]
    finally:
        monkeypatch.delenv("DJANGO_ADMINS")
        importlib.reload(base)
