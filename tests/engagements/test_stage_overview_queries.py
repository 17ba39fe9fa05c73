"""The dashboard computes each stage's progress once, and nothing more."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from engagements.stages import STAGES, stage_overview
from survey.selectors import stage_progress as survey_progress


def count(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_overview_costs_the_stages_once(engagement):
    # given each stage's own cost (the report's is its pre-submission check)
    own = sum(count(lambda s=stage: import_string(s.progress)(engagement)) for stage in STAGES)
    # then the overview costs exactly that: no stage is computed twice
    assert count(lambda: stage_overview(engagement)) == own


def test_survey_progress_is_one_query(engagement, django_assert_num_queries):
    with django_assert_num_queries(1):
        progress = survey_progress(engagement)
    assert progress.percent == 0


def test_analyze_refreshes_the_statistics_of_the_tables_after_the_commit(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from engagements import db as upkeep
    from survey.models import Desk

    # On SQLite ANALYZE is valid SQL too: pretend to be PostgreSQL and check what runs.
    monkeypatch.setattr(upkeep.connection, "vendor", "postgresql")
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            tables = upkeep.analyze(Desk)
        assert not queries.captured_queries  # nothing before the commit
        for callback in callbacks:
            callback()
    assert tables == ["survey_desk", "survey_historicaldesk"]
    assert [q["sql"] for q in queries.captured_queries] == [
        'ANALYZE "survey_desk"', 'ANALYZE "survey_historicaldesk"'
    ]


def test_analyze_does_nothing_on_sqlite(db, django_capture_on_commit_callbacks):
    from engagements import db as upkeep

    if connection.vendor == "sqlite":
        with django_capture_on_commit_callbacks() as callbacks:
            assert upkeep.analyze() == []
        assert callbacks == []
    else:
        assert upkeep.analyze()
