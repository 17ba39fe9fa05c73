"""A guard, on for every test: an upload is written only through ``save_file_on_commit``.

A model's ``save()`` writes a file field holding a new (uncommitted) upload there and then,
inside the transaction, so a rollback leaves the file behind. ``save_file_on_commit``
names the upload and marks it committed before the save, and writes it once the
transaction commits. So a save (pre_save) of any model whose file field still holds an
uncommitted upload is a write outside that path: it fails the test that ran it, unless the
save comes straight from test code arranging its data.
"""

import sys
from pathlib import Path

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

TESTS_DIR = Path(__file__).resolve().parent


class FileWrittenInSave(AssertionError):
    pass


def file_models() -> dict:
    """Every project model with a file field (history tables excepted) → its fields."""
    found = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        if "site-packages" in Path(model._meta.app_config.path).parts:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.FileField)]
        if fields:
            found[model] = fields
    return found


def _caller() -> str | None:
    frame = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if "site-packages" not in filename and filename != __file__:
            return filename
        frame = frame.f_back
    return None


def _check(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    for name in FIELDS[sender]:
        if update_fields is not None and name not in update_fields:
            continue
        file = instance.__dict__.get(name)
        if file and not getattr(file, "_committed", True):
            caller = _caller()
            if caller is not None and Path(caller).resolve().is_relative_to(TESTS_DIR):
                return  # a test arranging its data
            raise FileWrittenInSave(
                f"{sender.__name__}.{name} would be written by save() inside the transaction "
                f"(from {caller}): name it with engagements.files.save_file_on_commit first"
            )


FIELDS: dict = {}


def install() -> dict:
    FIELDS.update(file_models())
    for model in FIELDS:
        pre_save.connect(_check, sender=model, dispatch_uid=f"file-guard-{model.__name__}")
    return FIELDS
