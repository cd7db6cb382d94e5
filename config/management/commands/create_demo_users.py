import os

from django.core.management.base import BaseCommand

from config.demo import DEMO_USERS, ensure_roles, user_in_role

DEFAULT_DEMO_PASSWORD = "improvement-demo"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo users officer, councillor and admin, one in each role. "
        f"Password from DEMO_PASSWORD, default '{DEFAULT_DEMO_PASSWORD}'. For local use only."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        ensure_roles()
        created = []
        for username, first_name, last_name, group in DEMO_USERS:
            _, was_created = user_in_role(username, group, password, first_name, last_name)
            if was_created:
                created.append(username)
        names = ", ".join(username for username, *_ in DEMO_USERS)
        self.stdout.write(f"Demo users ready: {names} ({len(created)} created).")
