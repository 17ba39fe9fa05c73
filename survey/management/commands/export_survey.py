from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from engagements.models import Engagement
from survey.excel import export_workbook


class Command(BaseCommand):
    help = "Write an engagement's survey to an Excel workbook in the template's layout."

    def add_arguments(self, parser):
        parser.add_argument("engagement_id", type=int)
        parser.add_argument("--output", required=True, help="Path of the .xlsx file to write.")

    def handle(self, *args, engagement_id, output, **options):
        engagement = Engagement.objects.filter(pk=engagement_id).first()
        if engagement is None:
            raise CommandError(f"No engagement {engagement_id}.")
        Path(output).write_bytes(export_workbook(engagement))
        self.stdout.write(f"Wrote {output}")
