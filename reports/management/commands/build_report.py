import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from engagements.models import Engagement
from reports.builder import Edition, write_report_pdf
from reports.checks import open_items, pre_submission_check
from reports.electronic_data import write_electronic_data
from reports.models import ReportVersion
from reports.naming import report_filename, zip_filename


class Command(BaseCommand):
    help = ("Write the report PDF of one engagement: the draft (marked 案), or a submitted "
            "version's stored PDF with --version; with --data, its electronic data ZIP too.")

    def add_arguments(self, parser):
        # --version names the report's version here (Django's --version is replaced).
        parser.conflict_handler = parser._optionals.conflict_handler = "resolve"
        parser.add_argument("engagement_id", type=int)
        parser.add_argument("--output", "-o", default="report.pdf")
        parser.add_argument("--data", help="also write the electronic data ZIP to this file")
        parser.add_argument("--version", type=int, help="a submitted version's number")
        parser.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args, engagement_id, output, data, version, language, **options):
        engagement = Engagement.objects.filter(pk=engagement_id).first()
        if engagement is None:
            raise CommandError(f"No engagement with id {engagement_id}.")
        if version is not None:
            stored = ReportVersion.objects.filter(engagement=engagement, number=version).first()
            if stored is None:
                numbers = list(ReportVersion.objects.filter(engagement=engagement)
                               .values_list("number", flat=True))
                raise CommandError(
                    f"Engagement {engagement_id} has no version {version} "
                    f"(versions: {', '.join(map(str, sorted(numbers))) or 'none'}).")
            self._copy(stored.pdf.name, output)
            if data:
                if stored.data_zip:
                    self._copy(stored.data_zip.name, data)
                else:
                    with translation.override(language):
                        write_electronic_data(
                            engagement, data, pdf_stored=stored.pdf.name,
                            pdf_name=report_filename(engagement, version=stored),
                            root=zip_filename(engagement, version=stored)[:-4])
                    self.stdout.write(f"Wrote {data}")
            return
        with translation.override(language):
            edition = Edition(open_items=[i.as_dict() for i in open_items(
                pre_submission_check(engagement))])
            write_report_pdf(engagement, output, edition=edition)
            if data:
                write_electronic_data(engagement, data, pdf_path=output,
                                      pdf_name=report_filename(engagement, draft=True),
                                      root=zip_filename(engagement, draft=True)[:-4])
                self.stdout.write(f"Wrote {data} ({Path(data).stat().st_size:,} bytes)")
        self.stdout.write(f"Wrote {output} ({Path(output).stat().st_size:,} bytes)")

    def _copy(self, stored_name: str, target: str) -> None:
        with default_storage.open(stored_name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        self.stdout.write(f"Wrote {target} ({Path(target).stat().st_size:,} bytes)")


