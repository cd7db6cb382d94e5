"""Settings come from the environment, with safe defaults and a clear refusal where unsafe."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import required

BASE_ENV = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "config.settings"}


def start_django(**env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env={**BASE_ENV, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_not_debugging():
    result = start_django()

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_starts_with_a_development_key_when_debugging():
    result = start_django(DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_debug_is_off_unless_asked_for():
    result = start_django(SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_uk_time_zone_language_and_dates():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.DATE_INPUT_FORMATS[0] == "%d/%m/%Y"


def test_database_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_a_test_that_lacks_what_it_needs_fails_under_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    missing = tmp_path / "seeds" / "001.txt"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="001.txt is missing. Tests that need it are required here"):
        required(missing)
    monkeypatch.delenv("CI")
    monkeypatch.delenv("REQUIRE_BROWSER_TESTS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="001.txt is missing."):
        required(missing)
    missing.parent.mkdir()
    missing.write_text("A seed.")
    assert required(missing) == missing
