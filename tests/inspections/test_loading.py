"""Loading fixtures: load_letters from the command line and the upload in the admin."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from inspections.models import Authority, Finding, FixtureLoad, Inspection
from tests.factories import AuthorityFactory, FindingFactory
from tests.inspections import fixture_samples as samples

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

        with pytest.raises(CommandError) as error:
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

        confirmed = client.post(response.url, {"confirm": "Load these records"}, follow=True)

        assert "Loaded testshire.json: 4 created, 0 updated, 0 unchanged." in confirmed.content.decode()
        load.refresh_from_db()
        assert load.status == FixtureLoad.Status.LOADED and load.user == admin and load.content == ""
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
