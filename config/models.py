from django.db import models
from django.db.models import Q


class RecordVersion(models.Model):
    """Two rows whose tokens the database itself replaces, by trigger (see
    `config/record_cache.py`). RECORD's whenever anything in the record changes: any table of the
    inspections, improvement and scrutiny apps, and the names of user accounts; a page cached
    under it is shown only while the record is as it was when the page was worked out. ROLES's
    whenever who may do what changes (groups, their permissions, users' groups and their own
    permissions), which replaces RECORD's too; each user's permissions are cached under it, so
    that a write to the record does not make every page read them again."""

    RECORD = 1
    ROLES = 2

    id = models.PositiveSmallIntegerField(primary_key=True, default=RECORD)
    token = models.CharField(max_length=36)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id__in=[1, 2]), name="record_version_known_rows")]

    def __str__(self):
        return self.token
