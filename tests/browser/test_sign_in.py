"""Signing in and out, by keyboard alone, with no accessibility violations on the way."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

FOCUSED = "selector => document.activeElement !== null && document.activeElement.matches(selector)"


def tab_to(page, selector, max_presses=30):
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, selector):
            return
    active = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    pytest.fail(f"{selector} not reached after {max_presses} Tab presses; focus is on {active}")


def test_officer_signs_in_and_out_with_the_keyboard(page, live_server, officer):
    page.goto("/sign-in/")
    expect(page).to_have_title("Sign in – Improvement Tracker – Devon County Council")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_no_axe_violations(page)

    # The first Tab from the top of the page reaches the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED, ".govuk-skip-link")

    tab_to(page, "#id_username")
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    expect(page.locator("#signed-in-as")).to_have_text("Signed in as Olivia Officer (Officer).")
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)

    tab_to(page, "#sign-out")
    expect(page.get_by_role("button", name="Sign out")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_no_axe_violations(page)


def test_wrong_password_shows_the_error_summary(page, live_server, officer):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Error: Sign in – Improvement Tracker – Devon County Council")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    message = "Enter a correct username and password. Both are case-sensitive."
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_attribute("href", "#id_username")
    # GOV.UK Frontend moves focus to the summary so screen readers announce it at once.
    expect(summary).to_be_focused()
    assert_no_axe_violations(page)

    # The summary's link takes a keyboard user to the field to fix.
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_username")).to_be_focused()


def test_accessibility_statement_is_public_and_accessible(page, live_server):
    page.goto("/accessibility")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Improvement Tracker")
    expect(page.get_by_text("This statement was prepared on 23 November 2026.")).to_be_visible()
    assert_no_axe_violations(page)
