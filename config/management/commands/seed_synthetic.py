import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from config import synthetic
from improvement.models import ImprovementPlan
from inspections.models import Authority, FixtureLoad, Inspection


class Command(BaseCommand):
    help = (
        "Build a synthetic county (an invented authority, clearly labelled) in the database DATABASE_URL "
        "names: about ten years of inspections, plans, ratings, measures and scrutiny at scale 1, N times "
        "that at --scale N, a chunk at a time, saying how far it has got on stderr. Refuses a database that "
        "holds the real record or any other data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is one county over ten years; 0.1 a small one.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same record.")
        parser.add_argument(
            "--password", help="Give the synthetic officers' accounts this password (none can sign in without it)."
        )

    def handle(self, *args, scale, seed, password=None, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if FixtureLoad.objects.exists() or Authority.objects.exclude(short_name=synthetic.SHORT_NAME).exists():
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} holds the real record (or another authority's): "
                "the synthetic county is only ever built in a database of its own. Point DATABASE_URL at an empty one."
            )
        if Inspection.objects.exists() or ImprovementPlan.objects.exists():
            raise CommandError("This database already holds a synthetic county; build a new one in an empty database.")
        started = time.perf_counter()
        # A large county takes minutes: say how far it has got, unless asked to be quiet.
        progress = self.stderr.write if options["verbosity"] > 0 else None
        summary = synthetic.build(scale=scale, seed=seed, password=password, progress=progress)
        self.stdout.write(
            f"Built the synthetic county at scale {scale:g} in {time.perf_counter() - started:.1f} s: {summary}."
        )
