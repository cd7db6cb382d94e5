from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inspections.loading import FixtureError, fixture_files, load_fixtures
from inspections.models import FixtureLoad


class Command(BaseCommand):
    help = (
        "Load every fixture in fixtures/ (the record of past letters and meetings) in filename "
        "order, in one transaction. Loading again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Load from this folder instead of fixtures/.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, then roll back.")

    def handle(self, *args, directory=None, dry_run=False, verbosity=1, **options):
        files = fixture_files(directory)
        if not files:
            self.stdout.write("No fixture files found; nothing to load.")
            return
        try:
            result = load_fixtures(files, dry_run=dry_run)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None

        if verbosity >= 1:
            for row in result.rows:
                counts = f"{row['created']} created, {row['updated']} updated, {row['unchanged']} unchanged"
                self.stdout.write(f"  {row['model']}: {counts}")
        if not dry_run:
            FixtureLoad.objects.create(
                via=FixtureLoad.Via.COMMAND,
                status=FixtureLoad.Status.LOADED,
                loaded_at=timezone.now(),
                filenames=[f.name for f in files],
                sha256=[f.sha256 for f in files],
                summary=result.as_json(),
            )
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(f"{verb} {len(files)} fixture files: {result.summary()}.")
