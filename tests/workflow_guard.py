"""A guard, on for every test: a status field changes only inside ``Workflow.apply``.

For each model with a ``status`` field, the status an instance was loaded with is kept
(post_init); a save that changes it (pre_save) must run inside ``engagements.workflow``'s
``Workflow.apply``, or come straight from test code arranging its data. Anything else — a
service or demo step that sets ``obj.status`` and saves — fails the test that ran it.
"""

import sys
from pathlib import Path

from django.apps import apps
from django.db.models.signals import post_init, post_save, pre_save

TESTS_DIR = Path(__file__).resolve().parent
WORKFLOW_FILE = str(Path(apps.get_app_config("engagements").path) / "workflow.py")
_LOADED = "_workflow_guard_status"


def status_models() -> list:
    """Every concrete model with a ``status`` field (history tables excepted)."""
    return [
        model for model in apps.get_models()
        if any(f.name == "status" for f in model._meta.concrete_fields)
        and not model.__name__.startswith("Historical")
        # the project's own models, not those of installed packages (django-tasks' results)
        and "site-packages" not in Path(model._meta.app_config.path).parts
    ]


class StatusWrittenOutsideWorkflow(AssertionError):
    pass


def _remember(sender, instance, **kwargs):
    instance.__dict__[_LOADED] = instance.__dict__.get("status")


def _check(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or _LOADED not in instance.__dict__:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    if instance.__dict__.get("status") == instance.__dict__[_LOADED]:
        return
    frame = sys._getframe(1)
    caller = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == WORKFLOW_FILE and frame.f_code.co_name == "apply":
            return
        if caller is None and "site-packages" not in filename and filename != __file__:
            caller = filename
        frame = frame.f_back
    if caller is not None and Path(caller).resolve().is_relative_to(TESTS_DIR):
        return  # a test arranging its data
    raise StatusWrittenOutsideWorkflow(
        f"{sender.__name__}.status changed outside Workflow.apply (from {caller})"
    )


def install() -> list:
    models = status_models()
    for model in models:
        post_init.connect(_remember, sender=model, dispatch_uid=f"guard-init-{model.__name__}")
        post_save.connect(_remember, sender=model, dispatch_uid=f"guard-saved-{model.__name__}")
        pre_save.connect(_check, sender=model, dispatch_uid=f"guard-save-{model.__name__}")
    return models
