from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from engagements import demo
from engagements.db import analyze
from engagements.stages import STAGES


class Command(BaseCommand):
    help = "Load the demo engagement (idempotent: a second run changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        story = demo.seed()
        # Each stage app adds its part of the story (its Stage's ``demo`` steps).
        for step in STAGES.demo_steps():
            import_string(step)(story)
        analyze()  # PostgreSQL: statistics of the tables just filled (after the commit)
        self.stdout.write(
            f"Demo engagement {story.engagement.pk}: {story.engagement}. "
            "Users: city, contractor, admin (passwords in README.md)."
        )
