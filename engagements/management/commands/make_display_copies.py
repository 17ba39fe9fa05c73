"""``manage.py make_display_copies``: the display copy of every stored image that has none.

Copies are made when an image is uploaded (``save_file_on_commit``); pages never make one
(a missing copy is answered with the original). Run this once after an upgrade, after a
restore, or when the log shows a copy that failed, so pages show the small copies again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models

from engagements.images import has_display_copy, make_display_copy


def stored_images():
    """(model label, field name, storage name) of every stored image of every model (the
    history models' rows name the same files and are left out)."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.ImageField):
                continue
            names = (model._base_manager.exclude(**{field.name: ""})
                     .exclude(**{f"{field.name}__isnull": True})
                     .values_list(field.name, flat=True).distinct().iterator())
            for name in names:
                yield model._meta.label, field.name, name


class Command(BaseCommand):
    help = ("Make the display copy (a downscaled image for pages and the report) of every "
            "stored image that has none, one image at a time.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="only list the images whose copy is missing")

    def handle(self, *args, dry_run=False, **options):
        made = failed = missing = 0
        for label, field, name in stored_images():
            if has_display_copy(name):
                continue
            missing += 1
            if dry_run:
                self.stdout.write(f"{label}.{field}: {name}")
                continue
            try:
                make_display_copy(name)
                made += 1
            except Exception as exc:  # one bad file must not stop the others
                failed += 1
                self.stderr.write(f"{label}.{field}: {name}: {exc}")
        if dry_run:
            self.stdout.write(f"{missing} display copies missing")
        else:
            self.stdout.write(f"{made} display copies made, {failed} failed")
