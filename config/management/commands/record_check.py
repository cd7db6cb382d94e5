import json

from django.core.management.base import BaseCommand
from django.db import connection

from config.record_check import plan_digest, row_counts


class Command(BaseCommand):
    help = (
        "Print the row count of every table and a sha256 of the plan (plans, priorities, actions, "
        "progress updates, due date changes, measures, values). Run it on a database and on its "
        "restored copy: the same output means the same record."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="One JSON object, for scripts.")

    def handle(self, *args, **options):
        counts = row_counts()
        digest = plan_digest()
        if options["json"]:
            self.stdout.write(
                json.dumps({"database": connection.settings_dict["NAME"], "plan_sha256": digest, "tables": counts})
            )
            return
        for table, rows in counts.items():
            self.stdout.write(f"{rows:>10,}  {table}")
        self.stdout.write(f"{len(counts)} tables, {sum(counts.values()):,} rows; plan sha256 {digest}")
