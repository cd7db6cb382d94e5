from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from config.middleware import start_idle_clock
        from config.record_cache import install_triggers

        user_logged_in.connect(start_idle_clock, dispatch_uid="start_idle_clock")
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="install_record_triggers")
