"""Fixture loads record who previewed, who confirmed and who cancelled them, what they changed
field by field, and expire; the file's content is kept only while a load is a preview."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def split_user(apps, schema_editor):
    # Until now `user` was the previewer, replaced by whoever confirmed once a load was loaded.
    FixtureLoad = apps.get_model("inspections", "FixtureLoad")
    FixtureLoad.objects.filter(status="loaded").update(confirmed_by=models.F("user"))
    FixtureLoad.objects.exclude(status="loaded").update(previewed_by=models.F("user"))
    FixtureLoad.objects.exclude(status="previewed").update(content="")


def join_user(apps, schema_editor):
    FixtureLoad = apps.get_model("inspections", "FixtureLoad")
    FixtureLoad.objects.filter(status="loaded").update(user=models.F("confirmed_by"))
    FixtureLoad.objects.exclude(status="loaded").update(user=models.F("previewed_by"))
    FixtureLoad.objects.filter(status="expired").update(status="cancelled")


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("inspections", "0008_sif_inspection_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="fixtureload",
            name="previewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="fixtureload",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="fixtureload",
            name="cancelled_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="fixtureload",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="fixtureload",
            name="changes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Each object the load changed: every changed field, before and after.",
            ),
        ),
        migrations.AddField(
            model_name="fixtureload",
            name="overwrite_empty",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Fields the file leaves empty that the administrator chose to empty.",
            ),
        ),
        migrations.AlterField(
            model_name="fixtureload",
            name="content",
            field=models.TextField(blank=True, help_text="An uploaded file, kept only while it is a preview."),
        ),
        migrations.AlterField(
            model_name="fixtureload",
            name="status",
            field=models.CharField(
                choices=[
                    ("previewed", "Previewed, not loaded"),
                    ("loaded", "Loaded"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired, not loaded"),
                ],
                default="previewed",
                max_length=10,
            ),
        ),
        migrations.RunPython(split_user, join_user),
        migrations.RemoveField(model_name="fixtureload", name="user"),
        migrations.AddConstraint(
            model_name="fixtureload",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "previewed"), ("content", ""), _connector="OR"),
                name="fixture_load_content_only_while_previewed",
                violation_error_message="A load keeps its file's content only while it is a preview.",
            ),
        ),
        migrations.AddConstraint(
            model_name="fixtureload",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "loaded"), ("via", "admin"), _negated=True),
                    ("confirmed_by__isnull", False),
                    _connector="OR",
                ),
                name="fixture_load_admin_load_confirmed_by_someone",
                violation_error_message="A load from the admin records who confirmed it.",
            ),
        ),
    ]
