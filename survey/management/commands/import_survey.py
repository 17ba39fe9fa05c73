from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from engagements.models import Engagement
from survey.excel import ImportRefused, survey_import


class Command(BaseCommand):
    help = (
        "Import a survey workbook into an engagement. All rows or none; --dry-run lists the "
        "errors and changes nothing. Exits non-zero when the file is refused or has errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("engagement_id", type=int)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; change nothing.")
        parser.add_argument(
            "--user", help="Member to record as the author (must be city staff of the engagement)."
        )

    def handle(self, *args, engagement_id, file, dry_run, user, **options):
        translation.activate("ja")
        engagement = Engagement.objects.filter(pk=engagement_id).first()
        if engagement is None:
            raise CommandError(f"No engagement {engagement_id}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user}.")
        try:
            with path.open("rb") as handle:
                result = survey_import(
                    engagement=engagement, file=handle, actor=actor, dry_run=dry_run
                )
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        for issue in result.errors:
            self.stderr.write(str(issue))
        for title, created, updated, unchanged in result.summary():
            self.stdout.write(f"{title}: +{created} ~{updated} ={unchanged}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} errors; nothing was changed.")
        self.stdout.write("Dry run: nothing was changed." if dry_run else "Imported.")
