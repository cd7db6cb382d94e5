from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from config.middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="start_idle_clock")
