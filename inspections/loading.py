"""Loading the record of past letters and meetings from fixture files.

One function previews a load (everything is written, counted and then rolled back) and the
same function loads it for real, so what an administrator confirms is exactly what happens.
Any problem stops the whole load and names the file, the object and the field.

Objects are saved raw, as `loaddata` saves them, so signal-driven history is not written;
the load itself is recorded as a `FixtureLoad` instead.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers import base as serializer_base
from django.core.serializers.python import Deserializer
from django.db import DatabaseError, models, transaction

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message says where and why."""

    def __init__(self, filename, message, index=None, model=None, field_name=None):
        self.filename, self.index, self.model, self.field_name = filename, index, model, field_name
        where = [f"{filename}"]
        if index is not None:
            where.append(f"object {index + 1}" + (f" ({model})" if model else ""))
        if field_name:
            where.append(f"field '{field_name}'")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass
class FixtureFile:
    name: str
    content: bytes

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()

    @classmethod
    def from_path(cls, path):
        path = Path(path)
        return cls(path.name, path.read_bytes())


@dataclass
class LoadResult:
    """What a load created, updated and left unchanged, per model, with the objects' names."""

    counts: dict = field(default_factory=dict)  # label -> Counter(created/updated/unchanged)
    names: dict = field(default_factory=dict)  # (label, outcome) -> [str]
    objects: dict = field(default_factory=dict)  # label -> [instance], whatever the outcome

    def add(self, label, outcome, name, instance=None):
        self.counts.setdefault(label, Counter())[outcome] += 1
        self.objects.setdefault(label, []).append(instance)
        if outcome != UNCHANGED:
            self.names.setdefault((label, outcome), []).append(name)

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())

    @property
    def rows(self):
        """One row per model, in the order first met: label, created, updated, unchanged, names."""
        return [
            {
                "model": label,
                CREATED: counter[CREATED],
                UPDATED: counter[UPDATED],
                UNCHANGED: counter[UNCHANGED],
                "created_names": self.names.get((label, CREATED), []),
                "updated_names": self.names.get((label, UPDATED), []),
            }
            for label, counter in self.counts.items()
        ]

    def summary(self):
        return f"{self.total(CREATED)} created, {self.total(UPDATED)} updated, {self.total(UNCHANGED)} unchanged"

    def as_json(self):
        return {label: dict(counter) for label, counter in self.counts.items()}


def fixture_files(directory=None):
    """The fixture files in `fixtures/`, in working order: by name, which starts with the date."""
    directory = Path(directory or settings.BASE_DIR / "fixtures")
    return [FixtureFile.from_path(path) for path in sorted(directory.glob("*.json"))]


def load_fixtures(files, *, dry_run=False):
    """Load the files in order, in one transaction; roll everything back when `dry_run`.

    Raises FixtureError for the first problem, having changed nothing.
    """
    result = LoadResult()
    with transaction.atomic():
        for fixture in files:
            for index, record in enumerate(_records(fixture)):
                _load_record(fixture.name, index, record, result)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _records(fixture):
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if len(fixture.content) > limit:
        raise FixtureError(fixture.name, f"the file is {len(fixture.content):,} bytes; the limit is {limit:,} bytes.")
    try:
        text = fixture.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FixtureError(fixture.name, f"the file is not UTF-8 text (byte {error.start}).") from None
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise FixtureError(
            fixture.name, f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    if not isinstance(records, list):
        raise FixtureError(fixture.name, "a fixture must be a JSON list of objects.")
    return records


def _load_record(filename, index, record, result):
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict) or "model" not in record:
        raise FixtureError(filename, 'each object needs a "model" and a "fields" object.', index)
    label = record["model"]
    try:
        Model = apps.get_model(label)
    except (LookupError, ValueError, TypeError):
        raise FixtureError(filename, f"unknown model '{label}'.", index) from None
    if "pk" in record:
        raise FixtureError(filename, 'objects are identified by natural keys; remove the "pk".', index, label)
    if not hasattr(Model, "natural_key"):
        raise FixtureError(filename, "this model cannot be loaded from fixtures.", index, label)

    for name, value in record["fields"].items():
        _check_field(filename, index, label, Model, name, value)

    try:
        (deserialized,) = list(Deserializer([record]))
    except (serializer_base.DeserializationError, ObjectDoesNotExist, ValidationError, ValueError) as error:
        raise FixtureError(filename, str(error), index, label) from None

    instance = deserialized.object
    existing = Model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    if existing is not None:
        instance._state.adding = False
        # What the fixture does not mention stays as it is (e.g. a person's link to a user).
        for model_field in Model._meta.concrete_fields:
            if model_field.name not in record["fields"] and not model_field.primary_key:
                setattr(instance, model_field.attname, getattr(existing, model_field.attname))
    try:
        instance.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        field_name, messages = _first_error(error)
        raise FixtureError(filename, " ".join(messages), index, f"{label} “{_name(instance)}”", field_name) from None

    outcome = CREATED if existing is None else _compare(existing, instance, deserialized.m2m_data)
    try:
        with transaction.atomic():
            deserialized.save()
    except DatabaseError as error:
        raise FixtureError(
            filename, f"the database refused it: {error}", index, f"{label} “{_name(instance)}”"
        ) from None
    result.add(label, outcome, _name(instance), instance)


def _check_field(filename, index, label, Model, name, value):
    try:
        model_field = Model._meta.get_field(name)
    except FieldDoesNotExist:
        raise FixtureError(filename, f"{label} has no field '{name}'.", index, label, name) from None
    if model_field.many_to_many:
        if not isinstance(value, list):
            raise FixtureError(filename, "a many-to-many value must be a list of natural keys.", index, label, name)
        for key in value:
            _resolve(filename, index, label, model_field, name, key)
    elif model_field.many_to_one or model_field.one_to_one:
        if value is None:
            return
        _resolve(filename, index, label, model_field, name, value)
    elif not model_field.concrete or model_field.auto_created:
        raise FixtureError(filename, f"'{name}' cannot be set from a fixture.", index, label, name)
    else:
        try:
            model_field.to_python(value)
        except ValidationError as error:
            raise FixtureError(filename, " ".join(error.messages), index, label, name) from None


def _resolve(filename, index, label, model_field, name, key):
    related = model_field.related_model
    if not isinstance(key, list):
        raise FixtureError(
            filename, f"refer to a {related._meta.label_lower} by its natural key, as a list.", index, label, name
        )
    try:
        related._default_manager.get_by_natural_key(*key)
    except related.DoesNotExist:
        raise FixtureError(
            filename, f"no {related._meta.label_lower} has the natural key {json.dumps(key)}.", index, label, name
        ) from None
    except (TypeError, IndexError, ValueError, ValidationError):
        raise FixtureError(
            filename, f"{json.dumps(key)} is not a natural key of {related._meta.label_lower}.", index, label, name
        ) from None


def _compare(existing, instance, m2m_data):
    for model_field in instance._meta.concrete_fields:
        if model_field.primary_key:
            continue
        if getattr(existing, model_field.attname) != getattr(instance, model_field.attname):
            return UPDATED
    for name, values in m2m_data.items():
        current = set(getattr(existing, name).values_list("pk", flat=True))
        if current != {int(value) if not isinstance(value, models.Model) else value.pk for value in values}:
            return UPDATED
    return UNCHANGED


def _first_error(error):
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.message_dict.items()))
        return (None if name == "__all__" else name), errors
    return None, error.messages


def _name(instance):
    try:
        summary = getattr(instance, "summary", "")
        return f"{instance}: {summary}" if isinstance(summary, str) and summary else str(instance)
    except Exception:  # a half-built object may not render; its key still identifies it
        return " / ".join(str(part) for part in instance.natural_key())
