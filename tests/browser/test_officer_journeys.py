"""Officers keep the plan current in the browser: each journey walked as `officer`, the first
by keyboard alone, with axe run on every form when empty, with errors and after success."""

import datetime as dt
import re
from decimal import Decimal

from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import expect

from improvement.models import Action, Measure, MeasureValue, Priority
from inspections.themes import sync_themes
from scrutiny.models import ScrutinyAction
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_sign_in import FOCUSED, tab_to
from tests.conftest import PASSWORD
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ScrutinyActionFactory,
    UserFactory,
)

GREEN_PRIORITY = "Voice and influence of children, young people and families"


def sign_in(page, username="officer"):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def expect_success(page, message):
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(message)
    assert_no_axe_violations(page)


def expect_errors(page, *messages):
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    for message in messages:
        expect(summary).to_contain_text(message)
    assert_no_axe_violations(page)


def open_form(page, link_name, heading):
    page.get_by_role("link", name=link_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


def test_a_newcomer_rates_the_green_priority_by_keyboard_and_sees_it_in_the_timeline(page, live_server, officer):
    # What `make run` gives a newcomer: the record, and the demo users.
    sync_themes(apps)
    call_command("load_letters", verbosity=0)
    sign_in(page)

    tab_to(page, 'a.govuk-service-navigation__link[href="/plan/"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ofsted Improvement Plan")
    green = Priority.objects.get(title=GREEN_PRIORITY)
    tab_to(page, f'a.govuk-link[href="{green.get_absolute_url()}"]', max_presses=80)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(GREEN_PRIORITY)
    tab_to(page, "#edit-controls a[href$='/rating/']")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Update the rating")
    expect(page.locator("#previous-commentary")).to_contain_text("on track for successful completion")
    assert_no_axe_violations(page)

    # Amber without a commentary: refused, and the summary takes the keyboard to the field.
    tab_to(page, "#id_rating")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, Amber
    assert page.evaluate(FOCUSED, "#id_rating-2:checked")
    tab_to(page, "button.govuk-button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_title(
        f"Error: Update the rating – {GREEN_PRIORITY} – Improvement Tracker – Devon County Council"
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Explain why the rating has changed from Green to Amber.")
    assert_no_axe_violations(page)
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_commentary")).to_be_focused()
    page.keyboard.type("Fewer children took part in reviews this quarter.")
    expect(page.locator("#id_rating-2")).to_be_checked()
    tab_to(page, "button.govuk-button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(GREEN_PRIORITY)
    expect_success(page, f"Rating recorded: {GREEN_PRIORITY} is Amber.")
    latest = page.locator(".app-timeline__entry").first
    expect(latest).to_contain_text("Rated Amber")
    expect(latest).to_contain_text("by Olivia Officer")
    expect(latest).to_contain_text("Fewer children took part in reviews this quarter.")
    expect(page.locator(".app-timeline__entry").nth(1)).to_contain_text("Rated Green")
    assert Priority.objects.with_current_rating().get(title=GREEN_PRIORITY).current_rating == "amber"


def test_an_officer_rates_updates_completes_and_re_baselines_an_action(page, live_server, officer):
    action = ActionFactory(description="Audit a sample of assessments.", start_date=dt.date(2022, 4, 1))
    sign_in(page)
    page.goto(action.get_absolute_url())

    open_form(page, "Update rating", "Update the rating")
    page.get_by_role("button", name="Save rating").click()
    expect_errors(page, "Choose red, amber or green")
    page.get_by_label("Red").check()
    page.get_by_label("Commentary").fill("The audit team is short of two auditors.")
    page.get_by_role("button", name="Save rating").click()
    expect_success(page, f"Rating recorded: {action} is Red.")

    open_form(page, "Move the due date", "Move the due date")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name="Move the due date").click()
    expect_errors(page, "Say why the due date is moving.")
    page.get_by_label("Why is the due date moving?").fill("Two auditors start in November.")
    page.get_by_role("button", name="Move the due date").click()
    expect_success(page, f"Due date moved: {action} is now due 31 December 2022.")
    expect(page.get_by_text("31 December 2022 (re-baselined from 30 September 2022)")).to_be_visible()

    open_form(page, "Update progress", "Update progress")
    page.get_by_label("Complete").check()
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2022")
    page.get_by_role("button", name="Save progress").click()
    expect_errors(page, "The date the action was completed must be a real date")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Progress note").fill("All 40 cases audited.")
    page.get_by_role("button", name="Save progress").click()
    expect_success(page, f"Progress recorded: {action} is complete.")
    expect(page.locator(".app-timeline__entry").first).to_contain_text("Status: Complete on 20 September 2022")
    assert Action.objects.get(pk=action.pk).completed_on == dt.date(2022, 9, 20)


def test_an_officer_keeps_a_measure_current(page, live_server, officer):
    measure = MeasureFactory(title="Assessments completed within 45 days", target=Decimal("80"))
    MeasureValueFactory(measure=measure, period_end=dt.date(2024, 4, 30), value=Decimal("66"))
    sign_in(page)
    page.goto(measure.get_absolute_url())

    open_form(page, "Record a value", "Record a value")
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("Value", exact=True).fill("104")
    page.get_by_role("button", name="Save value").click()
    expect_errors(page, "A percentage must be between 0 and 100.")
    page.get_by_label("Value", exact=True).fill("68")
    page.get_by_role("button", name="Save value").click()
    expect_errors(page, "A value for 30 April 2024 is already recorded (66%). Correct it instead, giving the reason.")

    page.get_by_role("link", name="Correct the value for 30 April 2024").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct the value for 30 April 2024")
    assert_no_axe_violations(page)
    page.get_by_label("Corrected value").fill("68")
    page.get_by_role("button", name="Save correction").click()
    expect_errors(page, "Say why the value is being corrected.")
    page.get_by_label("Why is it being corrected?").fill("The April return was revised.")
    page.get_by_role("button", name="Save correction").click()
    expect_success(page, "Value corrected: 30 April 2024 is now 68% (was 66%).")

    open_form(page, "Set the target", "Set the target")
    page.get_by_label("Target", exact=True).fill("85")
    page.get_by_role("button", name="Save target").click()
    expect_errors(page, "Say why the target is changing.")
    page.get_by_label("Why is the target changing?").fill("Agreed by the Improvement Board.")
    page.get_by_role("button", name="Save target").click()
    expect_success(page, "Target saved: 85%.")
    expect(page.locator(".app-timeline__entry").first).to_contain_text("Target set to 85%, amber within 5% (was 80%)")
    assert MeasureValue.objects.get(measure=measure).value == Decimal("68")
    assert Measure.objects.get(pk=measure.pk).target == Decimal("85")


def test_an_officer_records_scrutiny_progress_from_my_work_and_marks_it_done(page, live_server, officer):
    action = ScrutinyActionFactory(
        meeting=MeetingFactory(date=dt.date(2022, 2, 21)),
        owner=PersonFactory(name="Olivia Officer", user=officer),
        text="Officers to provide Members with the caseload figures.",
    )
    sign_in(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    assert_no_axe_violations(page)

    open_form(page, "Record progress", "Record progress")
    page.get_by_label("Complete").check()
    page.get_by_role("button", name="Save progress").click()
    expect_errors(page, "Enter what progress has been made.")
    page.get_by_label("Progress note").fill("Figures sent to Members.")
    page.get_by_role("button", name="Save progress").click()
    expect_success(page, f"Progress recorded: action {action.number} is complete.")
    assert ScrutinyAction.objects.get(pk=action.pk).status == "complete"


def test_an_officer_links_and_unlinks_findings_from_either_end(page, live_server, officer):
    inspection = InspectionFactory(title="Monitoring visit")
    finding = FindingFactory(inspection=inspection, text="Managers do not consistently oversee plans.")
    other = FindingFactory(inspection=inspection, text="Care leavers are not always in suitable homes.")
    priority = PriorityFactory(title="Care leavers")
    sign_in(page)

    page.goto(priority.get_absolute_url())
    open_form(page, "Link to findings", "Link to the findings it answers")
    page.get_by_role("button", name="Link findings").click()
    expect_errors(page, "Choose at least one finding that is not already linked.")
    page.get_by_label(str(other), exact=True).check()
    page.get_by_role("button", name="Link findings").click()
    expect_success(page, f"{priority} now answers 1 more finding.")

    page.goto(finding.get_absolute_url())
    open_form(page, "Link or unlink what answers this finding", f"What answers {finding}")
    page.get_by_role("button", name="Link to this finding").click()
    expect_errors(page, "Choose a priority, action, measure or scrutiny action")
    page.get_by_label("What answers this finding?").select_option(label=f"{priority} ({priority.plan})")
    page.get_by_role("button", name="Link to this finding").click()
    expect_success(page, f"{priority} now answers {finding}.")

    open_form(page, "Link or unlink what answers this finding", f"What answers {finding}")
    page.get_by_role("link", name=f"Unlink {priority}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Unlink from {finding}")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unlink").click()
    expect_errors(page, "Say why this no longer answers the finding.")
    page.get_by_label("Why does it no longer answer this finding?").fill("It answers the care leavers finding.")
    page.get_by_role("button", name="Unlink").click()
    expect_success(page, f"{priority} no longer answers {finding}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What answers {finding}")
    assert list(Priority.objects.get(pk=priority.pk).findings.all()) == [other]


def test_an_officer_whose_rating_was_overtaken_sees_the_other_change_and_keeps_their_words(page, live_server, officer):
    priority = PriorityFactory(title="Early help")
    sign_in(page)
    page.goto(priority.get_absolute_url())
    open_form(page, "Update rating", "Update the rating")
    colleague = UserFactory(first_name="Sam", last_name="Colleague")
    Priority.objects.get(pk=priority.pk).record_rating(
        by=colleague, rating="red", commentary="Two teams lost managers."
    )

    page.get_by_label("Amber").check()
    page.get_by_label("Commentary").fill("Recovering after recruitment.")
    page.get_by_role("button", name="Save rating").click()

    expect_errors(page, "was changed by Sam Colleague after you opened this page")
    expect(page.locator("#their-change")).to_contain_text("Two teams lost managers.")
    expect(page.get_by_label("Commentary")).to_have_value("Recovering after recruitment.")
    page.get_by_role("button", name="Save rating").click()
    expect_success(page, f"Rating recorded: {priority} is Amber.")
