from django.conf import settings
from django.core.management.base import BaseCommand

from inspections.models import FixtureLoad


class Command(BaseCommand):
    help = (
        "Expire fixture load previews that nobody confirmed within FIXTURE_PREVIEW_LIFETIME, and "
        "delete their copy of the file. Run it on a schedule (e.g. daily); the admin's fixture "
        "load pages also do it when they are used."
    )

    def handle(self, *args, **options):
        expired = FixtureLoad.objects.expire_previews()
        hours = settings.FIXTURE_PREVIEW_LIFETIME.total_seconds() / 3600
        self.stdout.write(f"Expired {expired} preview{'s' if expired != 1 else ''} older than {hours:g} hours.")
