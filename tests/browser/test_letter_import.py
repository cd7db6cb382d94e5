"""An administrator imports a letter in the admin: pastes it, corrects the draft beside the text,
previews and confirms the load; the inspection then appears on the public inspections page."""

from pathlib import Path

from playwright.sync_api import expect

from inspections.models import FixtureLoad, Inspection
from tests.browser.axe import assert_no_axe_violations
from tests.browser.conftest import sign_in

LETTER = Path(__file__).parents[1] / "inspections" / "letters" / "single_day_visit.txt"
CORRECTED_TITLE = "Monitoring visit to Westvale children's services (May 2021)"


def test_admin_imports_a_letter_and_it_appears_on_the_inspections_page(page, live_server, admin):
    sign_in(page, live_server, admin)
    page.goto("/admin/inspections/inspection/")
    page.get_by_role("link", name="Import a letter").click()

    page.get_by_label("Letter text").fill(LETTER.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Read the letter").click()

    # The letter's text and the draft read from it, side by side.
    source = page.get_by_role("region", name="The letter's text")
    expect(source).to_contain_text("Monitoring visit to Westvale children's services")
    expect(source).to_have_attribute("tabindex", "0")
    authority = page.get_by_label("Authority", exact=True)
    expect(authority).to_have_value("Westvale")
    expect(page.get_by_label("Visit started")).to_have_value("2021-05-12")
    expect(page.get_by_label("Inspectors")).to_have_value("Priya Shah")
    left, right = source.bounding_box(), authority.bounding_box()
    assert left["x"] + left["width"] <= right["x"], (left, right)
    assert left["y"] < right["y"] + right["height"] and right["y"] < left["y"] + left["height"], (left, right)
    assert not Inspection.objects.exists()

    page.get_by_label("Title").fill(CORRECTED_TITLE)
    page.get_by_role("button", name="Preview the load").click()

    preview = page.locator("#preview")
    expect(preview).to_contain_text("inspections.finding")
    expect(preview).to_contain_text("Westvale Borough Council")
    assert FixtureLoad.objects.get().status == FixtureLoad.Status.PREVIEWED
    assert not Inspection.objects.exists()

    page.get_by_role("button", name="Load these records").click()

    expect(page.locator(".messagelist")).to_contain_text("Loaded letter-westvale-2021-06-12.json: ")
    assert Inspection.objects.get().title == CORRECTED_TITLE

    # Westvale is not the home authority: its inspections are shown when it is chosen.
    page.goto("/inspections/?authority=Westvale")
    expect(page.get_by_role("main")).to_contain_text(CORRECTED_TITLE)
    assert_no_axe_violations(page)
