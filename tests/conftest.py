"""Fixtures shared by every app's tests: an engagement with one member of each role."""

import datetime as dt
import os

import pytest
from django.contrib.auth import get_user_model

from engagements.choices import OrganisationKind, Role
from engagements.models import Engagement, Organisation
from engagements.services import membership_set


@pytest.fixture(scope="session", autouse=True)
def status_written_only_by_workflows():
    """Every test fails if code other than ``Workflow.apply`` changes a status
    (``tests/workflow_guard.py``)."""
    from tests.workflow_guard import install

    install()


@pytest.fixture(scope="session", autouse=True)
def files_written_only_on_commit():
    """Every test fails if a model's save() writes a new upload (``tests/file_guard.py``):
    uploads go through ``save_file_on_commit``."""
    from tests.file_guard import install

    install()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request's LocaleMiddleware leaves its
    language active in the thread (a test that asked for English would leak it)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test database may hand the next
    test the same primary keys and data generations, under which pages cache their parts."""
    from django.core.cache import cache

    cache.clear()


def row_counts() -> dict[str, int]:
    """Every table's row count, history and status-change tables included: a refused request
    must leave it as it was."""
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "axes"}
    }


@pytest.fixture
def nothing_written():
    """``with nothing_written(): client.post(...)`` fails if the block wrote any row."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = row_counts()
        yield
        after = row_counts()
        assert after == before, {k: (before[k], after[k]) for k in after if after[k] != before[k]}

    return check


@pytest.fixture
def make_user(db):
    def make(username: str, **fields):
        user = get_user_model().objects.create_user(username=username, password="pass", **fields)
        return user

    return make


@pytest.fixture
def make_engagement(db):
    def make(title: str = "テスト案件", **fields) -> Engagement:
        city, _ = Organisation.objects.get_or_create(
            name="京都市", parent=None, defaults={"kind": OrganisationKind.CITY}
        )
        office, _ = Organisation.objects.get_or_create(
            name=f"{title} 推進室", parent=city, defaults={"kind": OrganisationKind.OFFICE}
        )
        section, _ = Organisation.objects.get_or_create(
            name=f"{title} 担当", parent=office, defaults={"kind": OrganisationKind.SECTION}
        )
        values = {
            "client": office,
            "section": section,
            "building": "本庁舎",
            "floor": "3階",
            "contract_start": dt.date(2026, 7, 1),
            "contract_end": dt.date(2027, 3, 19),
            "fiscal_year": 2026,
            "contractor": "株式会社テスト",
            "desk_count": 19,
        }
        values.update(fields)
        return Engagement.objects.create(title=title, **values)

    return make


@pytest.fixture
def engagement(make_engagement):
    return make_engagement()


@pytest.fixture
def other_engagement(make_engagement):
    return make_engagement("別の案件")


@pytest.fixture
def make_member(make_user):
    def make(engagement: Engagement, role: str, username: str | None = None):
        user = make_user(username or f"{role}-{engagement.pk}")
        membership_set(engagement=engagement, user=user, role=role)
        return user

    return make


@pytest.fixture
def city_user(engagement, make_member):
    return make_member(engagement, Role.CITY_STAFF, "city")


@pytest.fixture
def contractor(engagement, make_member):
    return make_member(engagement, Role.CONTRACTOR, "contractor")


@pytest.fixture
def administrator(engagement, make_member):
    return make_member(engagement, Role.ADMINISTRATOR, "administrator")


@pytest.fixture
def outsider(other_engagement, make_member):
    """A member of another engagement only: must see nothing of ``engagement``."""
    return make_member(other_engagement, Role.CITY_STAFF, "outsider")


@pytest.fixture
def member_by_role(city_user, contractor, administrator, outsider):
    return {
        Role.CITY_STAFF: city_user,
        Role.CONTRACTOR: contractor,
        Role.ADMINISTRATOR: administrator,
        "outsider": outsider,
    }


# --- Browser tests -------------------------------------------------------------------------
# Playwright drives Debian's chromium (Playwright's own browser download does not work on
# closed networks). Playwright's sync API runs an event loop in the test thread, which makes
# Django refuse ORM calls there unless this is set.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TABLET_VIEWPORT = {"width": 1024, "height": 768}


@pytest.fixture(scope="session")
def chromium_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser, live_server):
    """A fresh page (tablet-sized) whose relative URLs go to the live server.

    The app's Content-Security-Policy forbids eval, which Playwright's string predicates
    (``wait_for_function("...")``) use, so these pages bypass it; the CSP itself is tested
    with a strict page in tests/security/test_csp.py.
    """
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport=TABLET_VIEWPORT, locale="ja-JP", accept_downloads=True,
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(browser_page):
    """Sign in through the real login form; returns the page on the page after sign-in."""

    def do(username: str, password: str = "pass"):
        browser_page.goto("/accounts/login/")
        browser_page.get_by_label("ユーザー名").fill(username)
        browser_page.get_by_label("パスワード").fill(password)
        browser_page.get_by_role("button", name="ログイン").click()
        browser_page.wait_for_load_state()
        return browser_page

    return do
