import pytest

from engagements import demo
from engagements.stages import STAGES


@pytest.fixture
def story(db):
    """The demo story without the report's own step (no version built): fast to load."""
    told = demo.seed()
    from django.utils.module_loading import import_string

    for step in STAGES.demo_steps():
        if not step.startswith("reports."):
            import_string(step)(told)
    told.engagement.refresh_from_db()
    return told
