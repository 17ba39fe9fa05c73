"""``manage.py restore FILE``: restore a ``backup`` archive into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from engagements.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("Restore an archive written by `manage.py backup` into an empty database (migrated "
            "or not) and an empty media storage. Before anything is written, refuses an "
            "archive whose manifest's signature (DJANGO_BACKUP_KEY or DJANGO_SECRET_KEY, as "
            "when it was written) does not match, whose member names or manifest paths leave "
            "the archive, whose files do not match their hashes or whose dump's row counts "
            "differ from the manifest; checks every table's row count afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{archive}: restored {sum(manifest['tables'].values())} rows and "
                          f"{len(manifest['files'])} files")
