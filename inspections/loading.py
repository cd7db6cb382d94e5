"""Loading the record of past letters and meetings from fixture files.

One function previews a load (everything is written, compared and then rolled back) and the
same function loads it for real, so what an administrator confirms is exactly what happens.
Any problem stops the whole load and names the file, the object and the field.

What a load may do to the record:
- create and change only the record's own models (`is_loadable`); anything else, users and
  permissions above all, is refused by name;
- append rows of append-only models (`AppendOnlyModel`: progress updates, scrutiny action
  updates), never change one: a row already recorded must match the file;
- change a field only to a value: where the file leaves a field empty, the record keeps what it
  has unless the administrator chooses to empty it (`overwrite_empty`); a field the file omits
  is kept;
- write nothing for an object the file leaves as it is.

Objects are saved raw, as `loaddata` saves them, so signal-driven history is not written; the
load itself is recorded as a `FixtureLoad`, with each field it changed and the value before.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers import base as serializer_base
from django.core.serializers.python import Deserializer
from django.db import DatabaseError, models, transaction

from inspections.models import AppendOnlyModel, FixtureLoad, NaturalKeyModel, remembering_natural_keys

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# The record's own apps: the only ones a fixture loads into.
LOADABLE_APPS = ("inspections", "improvement", "scrutiny")

# A fixture nests five deep: the list, an object, its fields, a many-to-many list and a natural
# key. Deeper files are refused before they are parsed, since the JSON parser recurses.
MAX_NESTING = 10


def is_loadable(model):
    """Whether fixtures may load `model`: the natural-keyed models of LOADABLE_APPS.

    Not users, groups, permissions, content types, sessions or the admin log (other apps), nor
    history tables (simple_history's Historical* models) or FixtureLoad: they have no natural key.
    Nor what only the tracker itself makes (`TRANSCRIBED = False`), such as a published briefing
    pack, which a file could otherwise forge.
    """
    return model._meta.app_label in LOADABLE_APPS and issubclass(model, NaturalKeyModel) and model.TRANSCRIBED


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


class PreviewChanged(Exception):
    """The record changed between a preview and its confirmation; nothing was loaded."""


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

    @classmethod
    def of_preview(cls, load):
        return cls(load.filenames[0], load.content.encode("utf-8"))


@dataclass
class FieldChange:
    """A field of a recorded object that the file changes, or leaves empty (`kept`)."""

    name: str
    old: str
    new: str
    kept: bool = False  # the file leaves it empty, so the record keeps its value
    choice: str = ""  # for an empty value: what `overwrite_empty` takes to empty the field


@dataclass
class LoadedObject:
    label: str
    key: list
    name: str
    outcome: str
    fields: list
    instance: models.Model


@dataclass
class LoadResult:
    """Every object of the files, in order: created, updated (field by field) or unchanged."""

    loaded: list = field(default_factory=list)

    @property
    def counts(self):
        counts = {}
        for obj in self.loaded:
            counts.setdefault(obj.label, Counter())[obj.outcome] += 1
        return counts

    def total(self, outcome):
        return sum(1 for obj in self.loaded if obj.outcome == outcome)

    def instances(self, label):
        return [obj.instance for obj in self.loaded if obj.label == label]

    @property
    def rows(self):
        """One row per model, in the order first met, with what is new and what changes."""
        rows = {}
        for obj in self.loaded:
            row = rows.setdefault(obj.label, {"model": obj.label, "created_names": [], "changed": []})
            if obj.outcome == CREATED:
                row["created_names"].append(obj.name)
            elif obj.fields:
                row["changed"].append(obj)
        for label, counter in self.counts.items():
            rows[label].update({outcome: counter[outcome] for outcome in (CREATED, UPDATED, UNCHANGED)})
        return list(rows.values())

    @property
    def changed(self):
        """Recorded objects with a field that changes or that the file leaves empty."""
        return [obj for obj in self.loaded if obj.outcome != CREATED and obj.fields]

    def summary(self):
        return f"{self.total(CREATED)} created, {self.total(UPDATED)} updated, {self.total(UNCHANGED)} unchanged"

    def as_json(self):
        return {label: dict(counter) for label, counter in self.counts.items()}

    def changes_as_json(self):
        """What a load changed, with each value it replaced: the trail of a load."""
        return [
            {
                "model": obj.label,
                "key": obj.key,
                "object": obj.name,
                "fields": {c.name: {"old": c.old, "new": c.new} for c in obj.fields if not c.kept},
            }
            for obj in self.loaded
            if obj.outcome == UPDATED
        ]

    @property
    def fingerprint(self):
        """What the file does to the record as it stands, whatever is chosen to be emptied: if
        the record changes between a preview and its confirmation, this changes."""
        state = [
            [obj.label, obj.key, obj.outcome == CREATED, [[c.name, c.old, c.new] for c in obj.fields]]
            for obj in self.loaded
        ]
        return hashlib.sha256(json.dumps(state, default=str).encode("utf-8")).hexdigest()


def fixture_files(directory=None):
    """The fixture files in `fixtures/`, in working order: by name, which starts with the date."""
    directory = Path(directory or settings.BASE_DIR / "fixtures")
    return [FixtureFile.from_path(path) for path in sorted(directory.glob("*.json"))]


def load_fixtures(files, *, dry_run=False, overwrite_empty=()):
    """Load the files in order, in one transaction; roll everything back when `dry_run`.

    `overwrite_empty` names fields that the files leave empty and that should be emptied in the
    record all the same: "app.model.field" for every object of a model, or an object's own
    `FieldChange.choice`. Raises FixtureError for the first problem, having changed nothing.
    """
    overwrite_empty = set(overwrite_empty)
    result = LoadResult()
    with transaction.atomic(), remembering_natural_keys():
        for fixture in files:
            for index, record in enumerate(_records(fixture)):
                _load_record(fixture.name, index, record, result, overwrite_empty)
        if dry_run:
            transaction.set_rollback(True)
    return result


def load_and_record(files, *, preview=None, user=None, overwrite_empty=(), fingerprint=None):
    """Load the files and record the load, in one transaction: the admin confirming a
    `preview` (as `user`), or load_letters. Returns the FixtureLoad and the LoadResult.

    Raises FixtureError, PreviewChanged when `fingerprint` (the preview's) no longer matches,
    or FixtureLoad.DoesNotExist when the preview was confirmed, cancelled or expired meanwhile.
    """
    with transaction.atomic():
        if preview is not None:
            # Locked, so that two administrators confirming at once load it once.
            preview = FixtureLoad.objects.select_for_update().get(pk=preview.pk, status=FixtureLoad.Status.PREVIEWED)
        result = load_fixtures(files, overwrite_empty=overwrite_empty)
        if fingerprint is not None and fingerprint != result.fingerprint:
            raise PreviewChanged("The record has changed since this preview was made.")
        load = preview or FixtureLoad(
            via=FixtureLoad.Via.COMMAND, filenames=[f.name for f in files], sha256=[f.sha256 for f in files]
        )
        load.mark_loaded(by=user, result=result, overwrite_empty=overwrite_empty)
    return load, result


def record_preview(fixture, *, user, via=FixtureLoad.Via.ADMIN):
    """Preview an uploaded file (or, `via` the letter import, the fixture made from a letter)
    and keep it, as `user`'s FixtureLoad preview, until it is confirmed, cancelled or expires.
    Raises FixtureError."""
    result = load_fixtures([fixture], dry_run=True)
    return FixtureLoad.objects.create(
        previewed_by=user,
        via=via,
        filenames=[fixture.name],
        sha256=[fixture.sha256],
        content=fixture.content.decode("utf-8-sig"),
        summary=result.as_json(),
    )


def check_overwrite_choice(choice):
    """Raise ValueError unless `choice` is "app.model.field" for a field of a loadable model."""
    label, _, name = choice.rpartition(".")
    try:
        model = apps.get_model(label)
        model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        raise ValueError(
            f"{choice!r} is not a field: write it as app.model.field, e.g. inspections.inspection.summary."
        ) from None
    if not is_loadable(model):
        raise ValueError(f"{label} is not loaded from fixtures.")


def _records(fixture):
    limit = settings.FIXTURE_UPLOAD_MAX_BYTES
    if len(fixture.content) > limit:
        raise FixtureError(fixture.name, f"the file is {len(fixture.content):,} bytes; the limit is {limit:,} bytes.")
    try:
        text = fixture.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FixtureError(fixture.name, f"the file is not UTF-8 text (byte {error.start:,}).") from None
    if _nesting_deeper_than(text, MAX_NESTING):
        raise FixtureError(
            fixture.name,
            f"lists and objects are nested more than {MAX_NESTING} deep; a fixture nests five deep at most.",
        )
    try:
        records = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise FixtureError(
            fixture.name, f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except ValueError as error:  # a number too long to read, NaN or Infinity
        raise FixtureError(fixture.name, f"not valid JSON: {error}") from None
    if not isinstance(records, list):
        raise FixtureError(fixture.name, "a fixture must be a JSON list of objects.")
    most = settings.FIXTURE_MAX_OBJECTS
    if len(records) > most:
        raise FixtureError(
            fixture.name,
            f"the file holds {len(records):,} objects; the limit is {most:,}. Split it into smaller files.",
        )
    for index, record in enumerate(records):
        # PostgreSQL cannot store or even look up text holding NUL, which JSON can write as
        # \u0000 (found by hypothesis: the load was a server error there, not a refusal).
        if _holds_nul(record):
            raise FixtureError(
                fixture.name, "a text holds the NUL character (\\u0000), which no record can hold.", index
            )
    return records


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


# A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')


def _nesting_deeper_than(text, most):
    depth = 0
    for match in JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > most:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number a fixture can hold.")


def _load_record(filename, index, record, result, overwrite_empty):
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict) or "model" not in record:
        raise FixtureError(filename, 'each object needs a "model" and a "fields" object.', index)
    try:
        Model = apps.get_model(record["model"])
    except (LookupError, ValueError, TypeError, AttributeError):
        raise FixtureError(filename, f"unknown model '{record['model']}'.", index) from None
    label = Model._meta.label_lower
    if not is_loadable(Model):
        raise FixtureError(
            filename,
            f"{label} cannot be loaded from a fixture. Fixtures hold only the record's own models "
            f"({', '.join(LOADABLE_APPS)}); never users, groups, permissions, history or loads.",
            index,
            label,
        )
    if "pk" in record:
        raise FixtureError(filename, 'objects are identified by natural keys; remove the "pk".', index, label)
    fields = record["fields"]
    missing = [name for name in Model.NATURAL_KEY if name not in fields]
    if missing:
        raise FixtureError(
            filename, f"give the fields of its natural key: {', '.join(missing)} is missing.", index, label
        )
    for name, value in fields.items():
        _check_field(filename, index, label, Model, name, value)

    try:
        (deserialized,) = list(Deserializer([record]))
    except (serializer_base.DeserializationError, ObjectDoesNotExist, ValidationError, ValueError) as error:
        raise FixtureError(filename, str(error), index, label) from None
    instance, m2m_data = deserialized.object, deserialized.m2m_data
    key = _key(Model, fields)

    existing = Model._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    changes = []
    if existing is not None:
        instance._state.adding = False
        changes = _compare(label, key, existing, instance, fields, m2m_data, overwrite_empty)
    name = _name(instance if existing is None else existing)
    applied = [change for change in changes if not change.kept]
    if applied and isinstance(instance, AppendOnlyModel):
        change, verbose = applied[0], Model._meta.verbose_name
        raise FixtureError(
            filename,
            f"a {verbose} is never changed once recorded: this one has {change.old or 'nothing'!r}, the file "
            f"{change.new or 'nothing'!r}. Give a new {verbose} its own key instead; nothing was loaded.",
            index,
            f"{label} “{name}”",
            change.name,
        )
    try:
        instance.full_clean(validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        field_name, messages = _first_error(error)
        raise FixtureError(filename, " ".join(messages), index, f"{label} “{name}”", field_name) from None

    outcome = CREATED if existing is None else UPDATED if applied else UNCHANGED
    if outcome != UNCHANGED:
        try:
            with transaction.atomic():
                models.Model.save_base(instance, raw=True)
                for accessor, values in m2m_data.items():
                    getattr(instance, accessor).set(values)
        except DatabaseError as error:
            raise FixtureError(filename, f"the database refused it: {error}", index, f"{label} “{name}”") from None
    result.loaded.append(LoadedObject(label, key, name, outcome, changes, instance))


def _check_field(filename, index, label, Model, name, value):
    try:
        model_field = Model._meta.get_field(name)
    except FieldDoesNotExist:
        raise FixtureError(filename, f"{label} has no field '{name}'.", index, label, name) from None
    if model_field.auto_created or isinstance(model_field, models.ForeignObjectRel):
        raise FixtureError(filename, f"'{name}' cannot be set from a fixture.", index, label, name)
    if model_field.is_relation and not is_loadable(model_field.related_model):
        related = model_field.related_model._meta.label_lower
        raise FixtureError(filename, f"'{name}' refers to {related}, which a fixture cannot set.", index, label, name)
    if not model_field.editable and name not in Model.NATURAL_KEY:
        raise FixtureError(filename, f"'{name}' is set when a row is recorded, not by a fixture.", index, label, name)
    if model_field.many_to_many:
        through = model_field.remote_field.through._meta
        if not through.auto_created:
            raise FixtureError(
                filename, f"'{name}' is recorded as {through.label_lower} objects; give those.", index, label, name
            )
        if not isinstance(value, list):
            raise FixtureError(filename, "a many-to-many value must be a list of natural keys.", index, label, name)
        for key in value:
            _resolve(filename, index, label, model_field, name, key)
    elif model_field.many_to_one or model_field.one_to_one:
        if value is not None:
            _resolve(filename, index, label, model_field, name, value)
    else:
        try:
            model_field.to_python(value)
        except ValidationError as error:
            raise FixtureError(filename, " ".join(error.messages), index, label, name) from None
        except (TypeError, ValueError):
            # A list or an object where a date, number or text belongs: Django's parsers raise
            # TypeError, not ValidationError (found by hypothesis).
            kind = {dict: "an object", list: "a list"}.get(type(value), f"{value!r}")
            raise FixtureError(filename, f"'{name}' cannot be {kind}.", index, label, name) from None


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


def _compare(label, key, existing, instance, fields, m2m_data, overwrite_empty):
    """The fields of a recorded object that the file changes or leaves empty, field by field.

    Leaves `instance` and `m2m_data` as they will be saved: what the file omits, and what it
    leaves empty unless chosen in `overwrite_empty`, is the record's.
    """
    changes = []
    for model_field in instance._meta.concrete_fields:
        name, attname = model_field.name, model_field.attname
        if model_field.primary_key:
            continue
        old, new = getattr(existing, attname), getattr(instance, attname)
        if name not in fields or old == new or (_is_empty(old) and _is_empty(new)):
            setattr(instance, attname, old)
            continue
        change = FieldChange(name, _shown(model_field, existing), _shown(model_field, instance))
        if _is_empty(new) and not _chosen(label, name, key, overwrite_empty, change):
            setattr(instance, attname, old)
        changes.append(change)

    for name in list(m2m_data):
        model_field = instance._meta.get_field(name)
        old = set(getattr(existing, name).values_list("pk", flat=True))
        new = {value.pk if isinstance(value, models.Model) else int(value) for value in m2m_data[name]}
        if old == new:
            del m2m_data[name]  # nothing to write
            continue
        related = model_field.related_model._default_manager
        change = FieldChange(name, _shown_many(related, old), _shown_many(related, new))
        if not new and not _chosen(label, name, key, overwrite_empty, change):
            del m2m_data[name]
        changes.append(change)
    return changes


def _chosen(label, name, key, overwrite_empty, change):
    """Whether an empty value in the file empties the field; if not, `change` is marked kept."""
    change.choice = f"{label}.{name}:{json.dumps(key)}"
    change.kept = not ({f"{label}.{name}", change.choice} & overwrite_empty)
    return not change.kept


def _is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(model_field, obj):
    """A field's value as the preview shows it: a choice's label, a related object's name."""
    if model_field.is_relation:
        related = getattr(obj, model_field.name)
        return "" if related is None else str(related)
    value = getattr(obj, model_field.attname)
    if value is None:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _shown_many(manager, pks):
    return "; ".join(sorted(str(obj) for obj in manager.filter(pk__in=pks)))


def _key(Model, fields):
    """The object's natural key, from the file: each related part expanded into its own key."""
    key = []
    for name in Model.NATURAL_KEY:
        value = fields[name]
        key += value if isinstance(value, list) else [value]
    return key


def _first_error(error):
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.message_dict.items()))
        return (None if name == "__all__" else name), errors
    return None, error.messages


def _name(instance):
    """How a load names an object: its own name, with a finding's opening words."""
    try:
        excerpt = getattr(type(instance), "summary", None)
        return f"{instance}: {instance.summary}" if isinstance(excerpt, property) else str(instance)
    except Exception:  # a half-built object may not render; its key still identifies it
        return " / ".join(str(part) for part in instance.natural_key())
