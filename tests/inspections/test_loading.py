"""Loading fixtures: load_letters from the command line and the upload in the admin."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from inspections.models import Authority, Finding, FixtureLoad, Inspection
from tests.factories import AuthorityFactory, FindingFactory, FixtureLoadFactory
from tests.inspections import fixture_samples as samples
from tests.pages import confirm_load

pytestmark = pytest.mark.django_db

BAD_FILES = {
    "bad JSON": ('[{"model": "inspections.authority", ', "not valid JSON"),
    "not a list": ('{"model": "inspections.authority"}', "must be a JSON list"),
    "unknown model": (
        json.dumps([{"model": "inspections.nonsense", "fields": {}}]),
        "object 1: unknown model 'inspections.nonsense'",
    ),
    "unknown field": (
        json.dumps([{"model": "inspections.authority", "fields": {"short_name": "X", "name": "X", "colour": "red"}}]),
        "field 'colour': inspections.authority has no field 'colour'",
    ),
    "broken natural key": (
        json.dumps([{**samples.INSPECTION, "fields": {**samples.INSPECTION["fields"], "authority": ["Nowhere"]}}]),
        "field 'authority': no inspections.authority has the natural key [\"Nowhere\"]",
    ),
    "constraint broken": (
        json.dumps(
            [
                samples.AUTHORITY,
                {**samples.INSPECTION, "fields": {**samples.INSPECTION["fields"], "visit_end": "2024-04-01"}},
            ]
        ),
        "object 2 (inspections.inspection",
    ),
    "invalid date": (
        json.dumps(
            [
                samples.AUTHORITY,
                {**samples.INSPECTION, "fields": {**samples.INSPECTION["fields"], "visit_start": "2024-13-45"}},
            ]
        ),
        "field 'visit_start'",
    ),
    "primary key given": (json.dumps([{**samples.AUTHORITY, "pk": 7}]), 'remove the "pk"'),
}


def counts():
    return (Authority.objects.count(), Inspection.objects.count(), Finding.objects.count())


@pytest.fixture
def fixture_dir(tmp_path):
    samples.write(tmp_path / "2024-05-20-testshire-letter.json", samples.valid_records())
    return tmp_path


class TestLoadLetters:
    def test_it_loads_every_file_and_says_what_it_created(self, fixture_dir, capsys):
        call_command("load_letters", directory=fixture_dir)

        out = capsys.readouterr().out
        assert "inspections.finding: 2 created, 0 updated, 0 unchanged" in out
        assert "Loaded 1 fixture files: 4 created, 0 updated, 0 unchanged." in out
        finding = Finding.objects.get_by_natural_key(*samples.INSPECTION_KEY, "finding", 1)
        assert finding.text == "Managers' oversight is inconsistent."
        assert [theme.slug for theme in finding.themes.all()] == ["leadership-and-oversight"]

    def test_loading_twice_changes_nothing(self, fixture_dir, capsys):
        call_command("load_letters", directory=fixture_dir)
        before = counts()

        call_command("load_letters", directory=fixture_dir)

        assert counts() == before
        assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out

    def test_it_adds_only_its_rows_to_a_database_with_other_data(self, fixture_dir):
        other = FindingFactory()
        before = counts()

        call_command("load_letters", directory=fixture_dir)

        assert counts() == (before[0] + 1, before[1] + 1, before[2] + 2)
        assert Finding.objects.filter(pk=other.pk).exists()

    def test_it_keeps_what_a_fixture_does_not_mention(self, fixture_dir):
        call_command("load_letters", directory=fixture_dir)
        Authority.objects.filter(short_name="Testshire").update(region="South West")

        call_command("load_letters", directory=fixture_dir)

        assert Authority.objects.get(short_name="Testshire").region == "South West"

    def test_it_records_the_load(self, fixture_dir):
        call_command("load_letters", directory=fixture_dir)

        load = FixtureLoad.objects.get()
        assert load.via == FixtureLoad.Via.COMMAND and load.status == FixtureLoad.Status.LOADED
        assert load.filenames == ["2024-05-20-testshire-letter.json"]
        assert load.summary["inspections.finding"] == {"created": 2}

    def test_dry_run_changes_nothing(self, fixture_dir, capsys):
        call_command("load_letters", directory=fixture_dir, dry_run=True)

        assert counts() == (0, 0, 0)
        assert "Would load 1 fixture files: 4 created" in capsys.readouterr().out
        assert not FixtureLoad.objects.exists()

    @pytest.mark.parametrize("case", BAD_FILES)
    def test_a_bad_file_is_refused_with_a_clear_message_and_changes_nothing(self, tmp_path, case):
        content, message = BAD_FILES[case]
        samples.write(
            tmp_path / "2020-01-01-good.json",
            [{"model": "inspections.authority", "fields": {"short_name": "Good", "name": "Good Council"}}],
        )
        (tmp_path / "2024-01-01-bad.json").write_text(content, encoding="utf-8")
        AuthorityFactory(short_name="Existing")
        before = counts()

        with pytest.raises(CommandError, match="Nothing was loaded. 2024-01-01-bad.json") as error:
            call_command("load_letters", directory=tmp_path)

        assert "Nothing was loaded. 2024-01-01-bad.json" in str(error.value)
        assert message in str(error.value)
        assert counts() == before
        assert not Authority.objects.filter(short_name="Good").exists()
        assert not FixtureLoad.objects.exists()

    def test_a_file_too_large_is_refused(self, fixture_dir, settings):
        settings.FIXTURE_UPLOAD_MAX_BYTES = 100

        with pytest.raises(
            CommandError, match=r"2024-05-20-testshire-letter.json: the file is [\d,]+ bytes; the limit is 100 bytes"
        ):
            call_command("load_letters", directory=fixture_dir)

        assert counts() == (0, 0, 0)


def upload(client, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("admin:inspections_fixtureload_add"),
        {"file": SimpleUploadedFile(name, content.encode("utf-8"), content_type="application/json")},
    )


class TestAdminUpload:
    def test_admin_previews_then_confirms(self, client, admin):
        client.force_login(admin)

        response = upload(client, "testshire.json", json.dumps(samples.valid_records()))

        load = FixtureLoad.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("admin:inspections_fixtureload_confirm", args=[load.pk])
        assert load.status == FixtureLoad.Status.PREVIEWED
        assert not Inspection.objects.filter(authority__short_name="Testshire").exists()

        preview = client.get(response.url)
        text = preview.content.decode()
        assert preview.status_code == 200
        assert "inspections.finding" in text and "Monitoring visit, 1 May 2024 to 2 May 2024" in text

        confirmed = confirm_load(client, response.url)

        assert "Loaded testshire.json: 4 created, 0 updated, 0 unchanged." in confirmed.content.decode()
        load.refresh_from_db()
        assert load.status == FixtureLoad.Status.LOADED and load.confirmed_by == admin and load.content == ""
        assert Finding.objects.filter(inspection__authority__short_name="Testshire").count() == 2
        # A file about one inspection leads to it.
        inspection = Inspection.objects.get(authority__short_name="Testshire")
        assert confirmed.redirect_chain[-1][0] == reverse("admin:inspections_inspection_change", args=[inspection.pk])

    def test_cancel_loads_nothing(self, client, admin):
        client.force_login(admin)
        response = upload(client, "testshire.json", json.dumps(samples.valid_records()))

        client.post(response.url, {"cancel": "Cancel"})

        assert FixtureLoad.objects.get().status == FixtureLoad.Status.CANCELLED
        assert not Authority.objects.filter(short_name="Testshire").exists()

    @pytest.mark.parametrize("case", BAD_FILES)
    def test_a_bad_upload_is_refused_with_a_clear_message_and_changes_nothing(self, client, admin, case):
        content, message = BAD_FILES[case]
        client.force_login(admin)
        before = counts()

        response = upload(client, "bad.json", content)

        text = response.content.decode()
        assert response.status_code == 200
        assert "Nothing was loaded. bad.json" in text
        assert message.replace("'", "&#x27;").replace('"', "&quot;") in text
        assert counts() == before
        assert not FixtureLoad.objects.exists()

    def test_a_file_too_large_is_refused(self, client, admin, settings):
        settings.FIXTURE_UPLOAD_MAX_BYTES = 100
        client.force_login(admin)

        response = upload(client, "big.json", json.dumps(samples.valid_records()))

        assert "big.json is" in response.content.decode() and "the limit is 100 bytes" in response.content.decode()
        assert not FixtureLoad.objects.exists()

    @pytest.mark.parametrize("persona", ["officer", "councillor"])
    def test_it_is_refused_to_officers_and_councillors(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))

        response = upload(client, "testshire.json", json.dumps(samples.valid_records()))

        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        assert not FixtureLoad.objects.exists()
        assert not Authority.objects.filter(short_name="Testshire").exists()


def preview(client, name="testshire.json", records=None):
    response = upload(client, name, json.dumps(records or samples.valid_records()))
    assert response.status_code == 302, response.context["form"].errors
    return FixtureLoad.objects.get(pk=int(response.url.rstrip("/").split("/")[-2])), response.url


class TestFieldByFieldPreview:
    SUMMARY = "The second monitoring visit since the inadequate judgement."

    def records(self, **inspection):
        records = samples.valid_records()
        records[1] = {**records[1], "fields": {**records[1]["fields"], **inspection}}
        return records

    def test_the_preview_shows_each_changed_field_with_its_value_now_and_after(self, client, admin, tmp_path):
        samples.write(tmp_path / "2024-05-20-a.json", self.records(summary=self.SUMMARY))
        call_command("load_letters", directory=tmp_path, verbosity=0)
        client.force_login(admin)

        _, url = preview(client, records=self.records(title="Monitoring visit (corrected)", summary=""))
        page = client.get(url)

        (changed,) = page.context["preview"].changed
        assert [(c.name, c.old, c.new, c.kept) for c in changed.fields] == [
            ("title", "Monitoring visit to Testshire children's services", "Monitoring visit (corrected)", False),
            ("summary", self.SUMMARY, "", True),
        ]
        text = page.content.decode()
        assert "<caption>inspections.inspection “Monitoring visit, 1 May 2024 to 2 May 2024”</caption>" in text
        assert '<th scope="row">title</th>' in text
        assert (
            "Monitoring visit to Testshire children&#x27;s services" in text and "Monitoring visit (corrected)" in text
        )
        assert f'value="{escape(changed.fields[1].choice)}"> Empty summary instead</label>' in text

    @pytest.mark.parametrize(("ticked", "summary"), [(False, SUMMARY), (True, "")])
    def test_a_field_left_empty_is_emptied_only_when_ticked(self, client, admin, tmp_path, ticked, summary):
        samples.write(tmp_path / "2024-05-20-a.json", self.records(summary=self.SUMMARY))
        call_command("load_letters", directory=tmp_path, verbosity=0)
        client.force_login(admin)
        load, url = preview(client, records=self.records(summary=""))
        (kept,) = client.get(url).context["preview"].changed[0].fields

        confirm_load(client, url, overwrite_empty=[kept.choice] if ticked else [])

        assert Inspection.objects.get().summary == summary
        load.refresh_from_db()
        assert load.status == FixtureLoad.Status.LOADED
        assert load.overwrite_empty == ([kept.choice] if ticked else [])
        changes = [
            {
                "model": "inspections.inspection",
                "key": samples.INSPECTION_KEY,
                "object": str(Inspection.objects.get()),
                "fields": {"summary": {"old": self.SUMMARY, "new": ""}},
            }
        ]
        assert load.changes == (changes if ticked else [])

    def test_the_load_records_each_value_it_replaced(self, client, admin, tmp_path):
        samples.write(tmp_path / "2024-05-20-a.json", samples.valid_records())
        call_command("load_letters", directory=tmp_path, verbosity=0)
        records = samples.valid_records()
        records[3] = samples.finding(2, "Children are seen within a day.")
        samples.write(tmp_path / "2024-05-20-a.json", records)

        call_command("load_letters", directory=tmp_path, verbosity=0)

        load = FixtureLoad.objects.latest("created_at")
        assert load.summary["inspections.finding"] == {"unchanged": 1, "updated": 1}
        assert load.changes == [
            {
                "model": "inspections.finding",
                "key": [*samples.INSPECTION_KEY, "finding", 2],
                "object": "Finding 2: Children are seen quickly.",
                "fields": {"text": {"old": "Children are seen quickly.", "new": "Children are seen within a day."}},
            }
        ]

    def test_a_change_to_the_record_after_the_preview_stops_the_load(self, client, admin):
        client.force_login(admin)
        load, url = preview(client)
        fingerprint = client.get(url).context["preview"].fingerprint
        AuthorityFactory(short_name="Testshire", name="Testshire Borough Council")

        response = client.post(url, {"confirm": "Load these records", "fingerprint": fingerprint})

        assert "Nothing was loaded: the record has changed since you saw this preview." in response.content.decode()
        assert not Inspection.objects.exists()
        assert Authority.objects.get().name == "Testshire Borough Council"
        load.refresh_from_db()
        assert load.status == FixtureLoad.Status.PREVIEWED


class TestWhoDidWhat:
    def test_who_previewed_and_who_confirmed_are_recorded(self, client, admin, second_admin):
        client.force_login(admin)
        load, url = preview(client)
        assert (load.previewed_by, load.confirmed_by) == (admin, None)

        client.force_login(second_admin)
        confirm_load(client, url)

        load.refresh_from_db()
        assert (load.status, load.previewed_by, load.confirmed_by, load.cancelled_by) == (
            FixtureLoad.Status.LOADED,
            admin,
            second_admin,
            None,
        )

    def test_who_cancelled_is_recorded(self, client, admin, second_admin):
        client.force_login(admin)
        load, url = preview(client)

        client.force_login(second_admin)
        client.post(url, {"cancel": "Cancel, load nothing"})

        load.refresh_from_db()
        assert (load.status, load.previewed_by, load.cancelled_by, load.confirmed_by) == (
            FixtureLoad.Status.CANCELLED,
            admin,
            second_admin,
            None,
        )
        assert load.cancelled_at is not None and load.content == ""

    def test_a_preview_is_loaded_once_however_often_it_is_confirmed(self, client, admin, second_admin):
        client.force_login(admin)
        load, url = preview(client)
        fingerprint = client.get(url).context["preview"].fingerprint
        confirm_load(client, url)

        client.force_login(second_admin)
        again = client.post(url, {"confirm": "Load these records", "fingerprint": fingerprint}, follow=True)

        assert "Nothing was done: the preview of testshire.json was already loaded." in again.content.decode()
        load.refresh_from_db()
        assert load.confirmed_by == admin
        assert Finding.objects.count() == 2

    def test_the_command_records_its_load_in_the_loads_transaction(self, fixture_dir, monkeypatch):
        def refuse(*args, **kwargs):
            raise DatabaseError("the record of loads is unavailable")

        monkeypatch.setattr(FixtureLoad, "save", refuse)

        with pytest.raises(DatabaseError, match="the record of loads is unavailable"):
            call_command("load_letters", directory=fixture_dir, verbosity=0)

        assert counts() == (0, 0, 0)


class TestPreviewsExpire:
    def age(self, load, hours):
        FixtureLoad.objects.filter(pk=load.pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))

    @pytest.mark.parametrize("page", ["admin:inspections_fixtureload_changelist", "admin:inspections_fixtureload_add"])
    def test_an_unconfirmed_preview_expires_after_a_day_and_its_file_is_deleted(self, client, admin, page):
        client.force_login(admin)
        old, _ = preview(client, "old.json")
        recent, _ = preview(client, "recent.json")
        self.age(old, 25)
        self.age(recent, 23)

        client.get(reverse(page))

        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.status, old.content) == (FixtureLoad.Status.EXPIRED, "")
        assert recent.status == FixtureLoad.Status.PREVIEWED and json.loads(recent.content) == samples.valid_records()

    def test_the_lifetime_is_a_setting(self, client, admin, settings):
        settings.FIXTURE_PREVIEW_LIFETIME = dt.timedelta(hours=1)
        client.force_login(admin)
        load, _ = preview(client)
        self.age(load, 2)

        client.get(reverse("admin:inspections_fixtureload_changelist"))

        load.refresh_from_db()
        assert load.status == FixtureLoad.Status.EXPIRED

    def test_an_expired_preview_cannot_be_confirmed(self, client, admin):
        client.force_login(admin)
        load, url = preview(client)
        fingerprint = client.get(url).context["preview"].fingerprint
        self.age(load, 25)

        response = client.post(url, {"confirm": "Load these records", "fingerprint": fingerprint}, follow=True)

        assert "Nothing was done: the preview of testshire.json was already expired, not loaded." in (
            response.content.decode()
        )
        assert not Inspection.objects.exists()

    def test_the_command_expires_stale_previews(self, capsys):
        stale = FixtureLoadFactory(via=FixtureLoad.Via.ADMIN, content="[]")
        fresh = FixtureLoadFactory(via=FixtureLoad.Via.ADMIN, content="[]")
        self.age(stale, 30)

        call_command("expire_fixture_previews")

        assert capsys.readouterr().out == "Expired 1 preview older than 24 hours.\n"
        stale.refresh_from_db()
        fresh.refresh_from_db()
        assert (stale.status, stale.content) == (FixtureLoad.Status.EXPIRED, "")
        assert (fresh.status, fresh.content) == (FixtureLoad.Status.PREVIEWED, "[]")
