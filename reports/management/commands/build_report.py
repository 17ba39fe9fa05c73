from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from engagements.models import Engagement
from reports.builder import report_pdf


class Command(BaseCommand):
    help = "Build the report PDF of one engagement."

    def add_arguments(self, parser):
        parser.add_argument("engagement_id", type=int)
        parser.add_argument("--output", "-o", default="report.pdf")
        parser.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args, engagement_id, output, language, **options):
        try:
            engagement = Engagement.objects.get(pk=engagement_id)
        except Engagement.DoesNotExist as exc:
            raise CommandError(f"No engagement with id {engagement_id}.") from exc
        with translation.override(language):
            pdf = report_pdf(engagement)
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Wrote {output} ({len(pdf):,} bytes)")
