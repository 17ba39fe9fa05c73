from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from engagements import demo

# Each stage app adds its part of the story: f(demo: engagements.demo.Demo) -> None.
STAGE_STEPS: tuple[str, ...] = (
    "survey.demo.seed",
    "survey.demo_occupancy.seed",
    "proposals.demo.seed",
    "meetings.demo.seed",
)


class Command(BaseCommand):
    help = "Load the demo engagement (idempotent: a second run changes nothing)."

    @transaction.atomic
    def handle(self, *args, **options):
        story = demo.seed()
        for step in STAGE_STEPS:
            import_string(step)(story)
        self.stdout.write(
            f"Demo engagement {story.engagement.pk}: {story.engagement}. "
            "Users: city, contractor, admin (passwords in README.md)."
        )
