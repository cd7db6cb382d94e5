"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

pytest-playwright is deliberately not used; this file starts Playwright itself. Chromium is
the system one (Debian's `chromium` package), not one downloaded by `playwright install`.
"""

import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, in_ci

# Playwright's sync API runs an asyncio event loop in this (the test) thread. Django sees the
# running loop and refuses ORM calls from the same thread with SynchronousOnlyOperation, so
# fixtures such as `officer` could not create users once the browser had started. Nothing here
# is really asynchronous (the test code blocks on every Playwright call), so the check is
# safely switched off for browser tests. Set before any test runs; Django reads it per call.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    """Everything in this directory is a browser test: `-m "not browser"` leaves it out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    resolved = path if os.path.isfile(path) else shutil.which(path)
    if resolved and os.access(resolved, os.X_OK):
        return resolved
    message = (
        f"Chromium not found at {path!r}. Install it (Debian: `apt-get install chromium`) "
        "or set CHROMIUM_PATH to a Chromium or Chrome executable."
    )
    if in_ci():
        pytest.fail(f"Browser tests are required here (CI or REQUIRE_BROWSER_TESTS set). {message}")
    pytest.skip(f"Browser tests skipped: {message}")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server (with the test settings of tests/conftest.py), serving our CSS."""
    url = f"{live_server.url}/static/css/app.css"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, body = response.status, response.read(200)
    except OSError as error:
        pytest.fail(f"The live server did not serve {url}: {error}")
    if status != 200 or not body:
        pytest.fail(f"The live server answered {status} for {url}; pages would be unstyled.")
    return live_server


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context (no cookies) and page for each test. The Content Security Policy
    is enforced as in production, and the test fails if the browser reports any violation."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not violations, "The browser reported Content Security Policy violations:\n" + "\n".join(violations)


def sign_in(page, live_server, user):
    """Sign in as `user` on the sign-in page, and check that it worked: the browser is on the
    overview, by its address and its heading, and the page says who is signed in."""
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("#signed-in-as")).to_contain_text(f"Signed in as {user.get_full_name()} (")
