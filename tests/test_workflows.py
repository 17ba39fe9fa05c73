"""Every status field of every model is written by its workflow (engagements/workflow.py) only.

Three checks: each model's ``status`` field has exactly one ``Workflow``; no application code
assigns a status outside ``engagements/workflow.py`` (read from the source); and at run time
the guard of ``tests/workflow_guard.py`` (on for every test) refuses a changed status saved
outside ``Workflow.apply``.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from engagements.workflow import WORKFLOWS
from tests.workflow_guard import StatusWrittenOutsideWorkflow, status_models

ROOT = Path(settings.BASE_DIR)


def _own_app_configs():
    """The project's apps (not Django's or the virtualenv's, which may sit inside the tree)."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.is_relative_to(ROOT) and "site-packages" not in path.parts:
            yield config


def _load_workflows() -> None:
    for config in _own_app_configs():
        try:
            importlib.import_module(f"{config.name}.workflows")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workflows":
                raise


def test_every_status_field_has_exactly_one_workflow():
    _load_workflows()
    governed = [(w.model, w.field) for w in WORKFLOWS]
    assert len(governed) == len(set(governed))
    fields = {(model, "status") for model in status_models()}
    # today: minutes, action items, approval requests, alternatives, questionnaire waves
    assert len(fields) >= 5
    assert fields == set(governed)


WRITES = re.compile(
    r"""\.status\s*=(?!=)"""                      # obj.status = …
    r"""|setattr\([^,]+,\s*["']status["']"""       # setattr(obj, "status", …)
    r"""|\.update\([^)]*\bstatus\s*="""           # queryset.update(status=…)
)


def _application_sources():
    for config in _own_app_configs():
        path = Path(config.path)
        for source in path.rglob("*.py"):
            if "migrations" not in source.parts:
                yield source


def test_no_application_code_assigns_a_status_outside_the_workflow():
    workflow = Path(apps.get_app_config("engagements").path) / "workflow.py"
    offenders = [
        f"{source.relative_to(ROOT)}:{number}: {line.strip()}"
        for source in _application_sources() if source != workflow
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES.search(line)
    ]
    assert offenders == []


def test_the_source_check_finds_an_assignment():
    assert WRITES.search("    minutes.status = MinutesStatus.CONFIRMED")
    assert WRITES.search('setattr(item, "status", value)')
    assert WRITES.search("Alternative.objects.filter(pk=1).update(status=S.APPROVED)")
    assert not WRITES.search("if minutes.status == MinutesStatus.CONFIRMED:")


@pytest.mark.django_db
def test_the_guard_refuses_a_status_saved_outside_the_workflow(make_minutes_outside_tests):
    with pytest.raises(StatusWrittenOutsideWorkflow):
        make_minutes_outside_tests()


@pytest.fixture
def make_minutes_outside_tests(engagement, contractor):
    """Save a changed status from code that is neither a test nor the workflow: compiled
    under a file name of the application, as a service doing it wrongly would."""
    from meetings.choices import MinutesStatus
    from meetings.models import Meeting, Minutes

    meeting = Meeting.objects.create(engagement=engagement, title="打合せ",
                                     starts_at="2026-07-01T10:00+09:00", created_by=contractor)
    minutes = Minutes.objects.create(meeting=meeting, written_by=contractor)
    code = compile("def wrong(m, s):\n    m.status = s\n    m.save()\n",
                   str(ROOT / "meetings" / "services.py"), "exec")
    namespace: dict = {}
    exec(code, namespace)
    return lambda: namespace["wrong"](Minutes.objects.get(pk=minutes.pk),
                                      MinutesStatus.CONFIRMED)
