import pytest

from engagements import demo
from engagements.stages import STAGES
from tests.conftest import drop_snapshot, restore_snapshot, take_snapshot


@pytest.fixture(scope="session")
def story_snapshot(django_db_setup, django_db_blocker):
    """The demo story without the report's own step, seeded once a session and copied
    (tests/conftest.py ``take_snapshot``); returns the copies and the story's primary keys."""
    from django.utils.module_loading import import_string

    keys = {}

    def seed():
        told = demo.seed()
        for step in STAGES.demo_steps():
            if not step.startswith("reports."):
                import_string(step)(told)
        keys.update({name: getattr(told, name).pk
                     for name in ("engagement", "city", "contractor", "admin", "site")})

    with django_db_blocker.unblock():
        copies = take_snapshot("story_snapshot", seed)
    yield copies, keys
    with django_db_blocker.unblock():
        drop_snapshot("story_snapshot", copies)


@pytest.fixture
def story(db, story_snapshot):
    """The demo story without the report's own step (no version built): put back inside the
    test's transaction, so each test has it fresh."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from engagements.models import Engagement, Organisation

    copies, keys = story_snapshot
    restore_snapshot(copies)
    users = get_user_model().objects
    yield demo.Demo(
        engagement=Engagement.objects.get(pk=keys["engagement"]),
        city=users.get(pk=keys["city"]), contractor=users.get(pk=keys["contractor"]),
        admin=users.get(pk=keys["admin"]), site=Organisation.objects.get(pk=keys["site"]),
    )
    # the rollback brings back the content types of before, perhaps with other ids
    ContentType.objects.clear_cache()
