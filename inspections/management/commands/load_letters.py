from django.core.management.base import BaseCommand, CommandError

from inspections.loading import (
    FixtureError,
    check_overwrite_choice,
    fixture_files,
    load_and_record,
    load_fixtures,
)


class Command(BaseCommand):
    help = (
        "Load every fixture in fixtures/ (the record of past letters and meetings) in filename "
        "order, in one transaction, and record the load. Loading again changes nothing. A field "
        "a file leaves empty keeps what the record has, unless named with --overwrite-empty."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Load from this folder instead of fixtures/.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, then roll back.")
        parser.add_argument(
            "--overwrite-empty",
            action="append",
            default=[],
            metavar="APP.MODEL.FIELD",
            help="Empty this field where a file leaves it empty (e.g. inspections.inspection.summary). Repeatable.",
        )

    def handle(self, *args, directory=None, dry_run=False, overwrite_empty=(), verbosity=1, **options):
        for choice in overwrite_empty:
            try:
                check_overwrite_choice(choice)
            except ValueError as problem:
                raise CommandError(f"--overwrite-empty: {problem}") from None
        files = fixture_files(directory)
        if not files:
            self.stdout.write("No fixture files found; nothing to load.")
            return
        try:
            if dry_run:
                result = load_fixtures(files, dry_run=True, overwrite_empty=overwrite_empty)
            else:
                _, result = load_and_record(files, overwrite_empty=overwrite_empty)
        except FixtureError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None

        if verbosity >= 1:
            for row in result.rows:
                counts = f"{row['created']} created, {row['updated']} updated, {row['unchanged']} unchanged"
                self.stdout.write(f"  {row['model']}: {counts}")
                for obj in row["changed"]:
                    self._write_changes(obj)
        verb = "Would load" if dry_run else "Loaded"
        self.stdout.write(f"{verb} {len(files)} fixture files: {result.summary()}.")

    def _write_changes(self, obj):
        self.stdout.write(f"    {obj.name}")
        for change in obj.fields:
            if change.kept:
                self.stdout.write(
                    f"      {change.name}: kept {_short(change.old)} (the file leaves it empty; "
                    f"--overwrite-empty {obj.label}.{change.name} empties it)"
                )
            else:
                self.stdout.write(f"      {change.name}: {_short(change.old)} -> {_short(change.new)}")


def _short(value, most=80):
    value = repr(value)
    return value if len(value) <= most else value[: most - 2] + "…'"
