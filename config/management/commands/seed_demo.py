from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from config import demo, synthetic
from inspections.models import Authority


class Command(BaseCommand):
    help = (
        "Set up the demo (`make demo`): a small synthetic county, built once; the demo users, linked to "
        "synthetic people who own work; and published briefing packs for its latest past meetings. "
        "Refuses, as seed_synthetic does, a database that holds the real record. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.1, help="The county's size; 1 is ten years of one county.")

    def handle(self, *args, scale, **options):
        if settings.HOME_AUTHORITY != synthetic.SHORT_NAME:
            raise CommandError(
                f"Set HOME_AUTHORITY={synthetic.SHORT_NAME} (make demo does), so that the dashboards follow the "
                "synthetic county's plan."
            )
        if not Authority.objects.filter(short_name=synthetic.SHORT_NAME).exists():
            call_command("seed_synthetic", scale=scale, stdout=self.stdout)
        call_command("create_demo_users", stdout=self.stdout)
        linked = demo.link_to_synthetic_people()
        officer = get_user_model().objects.get(username="officer")
        published = demo.publish_past_packs(by=officer)
        self.stdout.write(
            f"Demo ready: {linked} demo user{'s' if linked != 1 else ''} newly linked to synthetic people, "
            f"{len(published)} briefing pack{'s' if len(published) != 1 else ''} published."
        )
