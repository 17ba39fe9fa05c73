"""Helpers for the literal transition tables of every workflow (CONTRIBUTING, Tests).

Each app's ``tests/<app>/test_workflows.py`` writes its allowed pairs out literally, with the
action each one needs, and compares them with the workflow's table through ``table_of``; a
parametrised test moves an object over every other pair of the status choices and checks
with ``assert_refused_and_nothing_written`` that nothing was written.
"""

import itertools

import pytest
from django.core.exceptions import ValidationError


def table_of(workflow) -> dict:
    """The workflow's table as ``{(source, target): action}``: what the test compares."""
    return {pair: tr.action for pair, tr in workflow.transitions.items()}


def disallowed(choices, allowed) -> list[tuple[str, str]]:
    """Every (source, target) pair of ``choices`` not in ``allowed``, in a stable order."""
    return sorted(set(itertools.product(choices.values, choices.values)) - set(allowed))


def assert_refused_and_nothing_written(workflow, obj, target, *, actor) -> None:
    """``workflow.apply`` refuses ``obj`` → ``target`` with a ValidationError, and the status,
    the status-change rows and the history rows are as they were."""
    model = type(obj)
    source = getattr(obj, workflow.field)
    log = workflow.log_model._default_manager.filter(**{workflow.log_fk: obj})
    rows_before = log.count()
    history = getattr(obj, "history", None)
    history_before = history.count() if history is not None else None
    with pytest.raises(ValidationError) as error:
        workflow.apply(obj, target, actor=actor, comment="理由")
    assert "できません" in str(error.value)
    assert getattr(model._default_manager.get(pk=obj.pk), workflow.field) == source
    assert log.count() == rows_before
    if history is not None:
        assert history.count() == history_before
