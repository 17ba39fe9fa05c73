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


# --- The demo, seeded once ---------------------------------------------------------------
# seed_demo takes 3–5 s (its story runs through the services and builds the report's PDF), so
# it runs once per session (per xdist worker: the tests that use it are marked
# ``xdist_group(DEMO_GROUP)`` and so share one worker). Its rows are then kept in copies of the
# tables that neither Django (flush, introspection) nor the backup command sees (a schema of
# their own: an attached database in SQLite). Putting them back is one INSERT … SELECT
# a table. Files the demo writes stay in the session's MEDIA_ROOT.
DEMO_GROUP = "seeded_demo"


def _copy_of(connection, schema: str, table: str) -> str:
    return f"{schema}.{connection.ops.quote_name(table)}"


# SQLite: the copies are in a shared in-memory database of their own, kept alive by this
# connection and attached under the schema's name to each Django connection that restores
# (a browser test's code runs with another connection to the test database than the others').
_SQLITE_KEEPERS: dict = {}


def _sqlite_attach(connection, schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        if schema not in {row[1] for row in cursor.fetchall()}:
            cursor.execute(f"ATTACH DATABASE 'file:{schema}?mode=memory&cache=shared' AS {schema}")


def _delete_rows(cursor, tables) -> None:
    """DELETE, not flush's TRUNCATE: far faster on PostgreSQL for small tables; the foreign
    keys are checked at the commit (Django makes them deferrable)."""
    from django.db import connection

    for table in tables:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def empty_database() -> None:
    """What ``manage.py flush`` does, with DELETE: no row left, then the content types and
    permissions made anew (post_migrate)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection, transaction

    tables = connection.introspection.django_table_names(only_existing=True,
                                                         include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        _delete_rows(cursor, tables)
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def take_snapshot(schema: str, seed) -> dict[str, str]:
    """Run ``seed()`` (committed), copy every table into ``schema``, then empty the database
    again (content types and permissions made anew, as after any flush). Call it with the
    database unblocked, from a session fixture; returns table → copy for ``restore_snapshot``."""
    from django.db import connection

    seed()
    tables = connection.introspection.django_table_names(only_existing=True,
                                                         include_views=False)
    copies = {table: _copy_of(connection, schema, table) for table in sorted(tables)}
    if connection.vendor == "sqlite":
        import sqlite3

        _SQLITE_KEEPERS[schema] = sqlite3.connect(f"file:{schema}?mode=memory&cache=shared",
                                                  uri=True)
        _sqlite_attach(connection, schema)
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
        for table, copy in copies.items():
            cursor.execute(
                f"CREATE TABLE {copy} AS SELECT * FROM {connection.ops.quote_name(table)}"
            )
    empty_database()
    return copies


def drop_snapshot(schema: str, copies: dict[str, str]) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        _SQLITE_KEEPERS.pop(schema).close()  # the memory is freed with the last connection
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    # after a browser test (Playwright's own context), this may be another connection than
    # the one the test database's teardown closes: it would keep PostgreSQL from dropping it
    connection.close()


def restore_snapshot(copies: dict[str, str]) -> None:
    """Every table holds exactly the snapshot's rows again (inside a test's transaction, only
    until its rollback)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        _sqlite_attach(connection, next(iter(copies.values())).split(".")[0])
    with transaction.atomic(), connection.cursor() as cursor:
        _delete_rows(cursor, copies)
        for table, copy in copies.items():
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {copy}")
        # PostgreSQL: each table's next id follows the snapshot's (SQLite: no statement)
        for sql in connection.ops.sequence_reset_sql(
            no_style(), apps.get_models(include_auto_created=True)
        ):
            cursor.execute(sql)
    ContentType.objects.clear_cache()  # the snapshot's content types may have other ids


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """``seed_demo`` run once a session, its rows copied (``take_snapshot``)."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        copies = take_snapshot("demo_snapshot",
                               lambda: call_command("seed_demo", verbosity=0))
    yield copies
    with django_db_blocker.unblock():
        drop_snapshot("demo_snapshot", copies)


@pytest.fixture(scope="module")
def seeded_demo(demo_snapshot, django_db_blocker):
    """The demo, committed once for the module: its tests read it, each inside its own
    rolled-back transaction (``django_db``); the database is emptied after the module."""
    with django_db_blocker.unblock():
        restore_snapshot(demo_snapshot)
    yield
    with django_db_blocker.unblock():
        empty_database()


@pytest.fixture
def demo_data(demo_snapshot, transactional_db):
    """The demo for one transactional test (a live server's requests see it): put back before
    the test; what the test changes is emptied after it by the transactional test's flush."""
    restore_snapshot(demo_snapshot)


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
def chromium_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def chromium_browser(chromium_session):
    """The session's browser. After the test, every context (page) it opened is closed and the
    live server's request threads are waited for: a kept-alive connection's thread left over
    would end later, after the live server stopped sharing SQLite's connection (an unhandled
    thread exception), or hold its PostgreSQL connection while the test database is dropped."""
    import threading

    yield chromium_session
    for context in chromium_session.contexts:
        context.close()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


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
