from django.db import models
from django.db.models import Q


class RecordVersion(models.Model):
    """One row whose token the database itself replaces, by trigger, whenever anything in the
    record changes: any table of the inspections, improvement and scrutiny apps, and the names
    of user accounts (see `config/record_cache.py`). A page cached under the token is shown only
    while the record is as it was when the page was worked out."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=36)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="record_version_one_row")]

    def __str__(self):
        return self.token
