"""Security headers, sign-in throttling, idle sign-out, signing out everywhere, error pages
and request logs."""

import re
import time
from unittest import mock

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from config.views import server_error
from tests import pages
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def assert_the_policy(response, where):
    policy = directives(response)
    for name, value in REQUIRED_DIRECTIVES.items():
        assert policy.get(name) == value, f"{where}: {name}"
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, where
    assert policy["style-src"] == "'self'", where
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), where


def _every_page():
    """Every URL of the site, the admin's custom pages included, and the admin's index and lists."""
    from django.contrib import admin as admin_site

    site = [pattern.name for pattern in pages.url_patterns() if not pattern.in_admin or pattern.custom_admin_view]
    lists = [f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin_site.site._registry]
    return site + ["admin:index", *lists]


@pytest.mark.parametrize("name", _every_page())
def test_every_page_has_the_content_security_policy(client, admin, name):
    pattern = next(p for p in pages.url_patterns() if p.name == name)
    url = pattern.url(admin)
    anonymous = client.get(url)
    assert_the_policy(anonymous, f"{url} (anonymous, {anonymous.status_code})")

    client.force_login(admin)
    signed_in = client.get(url)

    assert_the_policy(signed_in, f"{url} (signed in, {signed_in.status_code})")
    assert "no-store" in signed_in.headers.get("Cache-Control", ""), url


def test_inline_scripts_carry_the_responses_nonce(client):
    response = client.get("/sign-in/")
    nonce = directives(response)["script-src"].split("'nonce-")[1].split("'")[0]
    inline = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", response.content.decode())
    assert len(inline) == 2
    assert all(f'nonce="{nonce}"' in tag for tag in inline)
    assert client.get("/sign-in/").headers["Content-Security-Policy"] != response.headers["Content-Security-Policy"]


def test_signed_in_pages_are_not_stored(client, councillor):
    client.force_login(councillor)
    assert "no-store" in client.get("/").headers["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/accessibility").headers.get("Cache-Control", "")


class TestSignInThrottling:
    def sign_in(self, username, password, address="203.0.113.5", **extra):
        return Client().post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
        )

    def test_the_eleventh_attempt_is_refused_without_checking_the_password(self, officer):
        for _ in range(9):
            assert self.sign_in("officer", "wrong").status_code == 200
        assert self.sign_in("officer", "wrong").status_code == 429  # the tenth failure pauses sign-in
        response = self.sign_in("officer", PASSWORD)  # the eleventh: the right password, not checked
        assert response.status_code == 429
        assert "Sign-in paused for this account" in response.content.decode()
        assert "paused for 15 minutes" in response.content.decode()
        assert "_auth_user_id" not in response.client.session

    def test_one_persons_mistakes_do_not_lock_out_others_at_the_same_address(self, officer, councillor):
        for _ in range(11):
            self.sign_in("officer", "wrong")
        assert self.sign_in("councillor", PASSWORD).status_code == 302
        # Nor the same person from another address.
        assert self.sign_in("officer", PASSWORD, address="198.51.100.7").status_code == 302

    def test_a_success_before_the_limit_starts_the_count_again(self, officer):
        for _ in range(9):
            self.sign_in("officer", "wrong")
        assert self.sign_in("officer", PASSWORD).status_code == 302
        for _ in range(9):
            self.sign_in("officer", "wrong")
        assert self.sign_in("officer", PASSWORD).status_code == 302

    def test_behind_a_proxy_each_client_is_told_apart(self, settings, officer):
        settings.AXES_IPWARE_PROXY_COUNT = 1
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
        proxy = "10.0.0.2"
        for _ in range(11):
            self.sign_in("officer", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
        locked = self.sign_in("officer", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.1")
        other = self.sign_in("officer", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
        assert (locked.status_code, other.status_code) == (429, 302)

    def test_without_a_trusted_proxy_a_forged_address_changes_nothing(self, officer):
        for number in range(11):
            self.sign_in("officer", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        assert self.sign_in("officer", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


class TestIdleSignOut:
    def test_a_session_idle_too_long_is_signed_out_with_a_message(self, client, councillor, settings):
        client.force_login(councillor)
        session = client.session
        session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
        session.save()
        response = client.get("/plan/", follow=True)
        assert response.redirect_chain[0][0] == "/sign-in/?next=/plan/"
        assert "You were signed out because you had not used the service for 30 minutes." in response.content.decode()
        assert client.get("/").status_code == 302

    def test_an_active_session_carries_on(self, client, councillor, settings):
        client.force_login(councillor)
        session = client.session
        session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
        session.save()
        assert client.get("/").status_code == 200


class TestSignOutEverywhere:
    def test_it_ends_every_session_of_the_user_and_no_one_elses(self, officer, councillor):
        laptop, phone, colleague = Client(), Client(), Client()
        laptop.force_login(officer)
        phone.force_login(officer)
        colleague.force_login(councillor)

        response = laptop.post(reverse("sign_out_everywhere"), follow=True)
        assert "You have been signed out on every device (2 sign-ins)." in response.content.decode()
        assert phone.get("/").status_code == 302
        assert laptop.get("/").status_code == 302
        assert colleague.get("/").status_code == 200

    def test_the_account_page_offers_it(self, client, officer):
        client.force_login(officer)
        html = client.get(reverse("account")).content.decode()
        assert "Sign out on every device" in html
        assert "Not linked to anyone in the record." in html

    def test_it_needs_a_post(self, client, officer):
        client.force_login(officer)
        assert client.get(reverse("sign_out_everywhere")).status_code == 405


class TestErrorPages:
    def test_a_database_outage_is_a_503_that_asks_to_retry(self):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = server_error(RequestFactory().get("/"))
        assert (response.status_code, response["Retry-After"]) == (503, "10")
        html = response.content.decode()
        assert "Sorry, the service is unavailable" in html
        assert "connection refused" not in html

    def test_its_scripts_carry_the_nonce_the_policy_allows(self):
        request = RequestFactory().get("/")
        CSPMiddleware(lambda request: None).process_request(request)
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            html = server_error(request).content.decode()
        assert html.count(f'nonce="{request.csp_nonce}"') == 2

    def test_with_the_database_down_the_503_keeps_its_headers_and_its_log_line(self, councillor, caplog):
        # The session cannot be read, so neither can the user: the middleware that asks again
        # after the 503 was made must not raise a second error that replaces it.
        client = Client(raise_request_exception=False)
        client.force_login(councillor)
        with (
            mock.patch.object(
                SessionStore, "load", side_effect=OperationalError("the database system is shutting down")
            ),
            caplog.at_level("INFO", logger="tracker.requests"),
        ):
            response = client.get("/plan/")
        assert response.status_code == 503
        assert "nonce-" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
        [record] = [r for r in caplog.records if r.name == "tracker.requests"]
        assert (record.status, record.user_id, record.request_id) == (503, None, response["X-Request-ID"])

    def test_any_other_error_is_a_500_that_reveals_nothing(self):
        try:
            raise ValueError("secret detail in /work/main/config/settings.py")
        except ValueError:
            response = server_error(RequestFactory().get("/"))
        html = response.content.decode()
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in html
        assert "secret detail" not in html
        assert "Traceback" not in html


def test_each_request_is_logged_with_an_id_it_sends_back(client, councillor, caplog):
    client.force_login(councillor)
    with caplog.at_level("INFO", logger="tracker.requests"):
        response = client.get("/plan/")
    [record] = [r for r in caplog.records if r.name == "tracker.requests"]
    assert (record.method, record.path, record.status, record.user_id) == ("GET", "/plan/", 200, councillor.pk)
    assert record.request_id == response.headers["X-Request-ID"]
    assert record.duration_ms >= 0
