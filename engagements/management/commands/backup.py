"""``manage.py backup --output FILE``: the database and the media files in one archive."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from engagements.backup import BackupError, write_backup


class Command(BaseCommand):
    help = ("Write one archive (tar) with the database (PostgreSQL: pg_dump custom format; "
            "SQLite: online backup) and every media file, with a manifest of row counts and "
            "SHA-256 hashes signed with DJANGO_BACKUP_KEY (else a key derived from "
            "DJANGO_SECRET_KEY). The database and the files come from one snapshot: files "
            "deleted while it runs are kept until it ends.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None,
                            help="archive path (default office_reform-YYYYmmdd-HHMMSS.tar)")

    def handle(self, *args, output=None, **options):
        output = output or timezone.localtime().strftime("office_reform-%Y%m%d-%H%M%S.tar")
        try:
            manifest = write_backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"{output}: {manifest['vendor']}, {len(manifest['tables'])} tables, "
                          f"{rows} rows, {len(manifest['files'])} files")
        if manifest["missing"]:
            self.stderr.write("Rows name files that are not in the storage (not archived): "
                              + ", ".join(manifest["missing"][:20]))
