"""The golden thread drawn by officers: linking priorities, actions, measures and scrutiny
actions to findings from either end, and unlinking with a reason kept in the history."""

import datetime as dt

import pytest
from django.urls import reverse

from config.golden_thread import TRACE_ITEMS
from config.thread_views import ANSWERS_PAGE
from improvement.models import Action
from tests.factories import (
    ActionFactory,
    FindingFactory,
    FindingFollowUpFactory,
    InspectionFactory,
    MeasureFactory,
    PriorityFactory,
    ScrutinyActionFactory,
)
from tests.officer_pages import error_summary, text_of
from tests.pages import text_by_id

pytestmark = pytest.mark.django_db

RECORDS = {
    "priority": (PriorityFactory, "improvement:priority"),
    "action": (
        lambda **kwargs: ActionFactory(no_finding_reason="Raised by the service.", **kwargs),
        "improvement:action",
    ),
    "measure": (MeasureFactory, "improvement:measure"),
    "scrutinyaction": (ScrutinyActionFactory, "scrutiny:scrutinyaction"),
}


@pytest.fixture(params=sorted(RECORDS))
def kind(request):
    return request.param


def link_url(kind, record, inspection=None):
    url = reverse(f"{RECORDS[kind][1]}_link_findings", args=[record.pk])
    return f"{url}?inspection={inspection.pk}" if inspection else url


def test_findings_of_the_chosen_inspection_are_linked_from_the_items_page(client, officer, kind):
    older, latest = InspectionFactory(title="ILACS inspection"), InspectionFactory(title="Monitoring visit")
    first, second = FindingFactory(inspection=older), FindingFactory(inspection=older)
    FindingFactory(inspection=latest, text="About the front door.")
    record = RECORDS[kind][0]()
    client.force_login(officer)
    # The latest inspection's findings are offered first; another inspection is one link away.
    assert "About the front door." in text_of(client.get(link_url(kind, record)))
    page = client.get(link_url(kind, record, older))
    assert first.summary in text_of(page)

    response = client.post(
        link_url(kind, record, older), {"version": 1, "findings": [first.pk, second.pk]}, follow=True
    )

    assert response.redirect_chain == [(record.get_absolute_url(), 302)]
    assert set(record.findings.all()) == {first, second}
    assert f"{record} now answers 2 more findings." in text_of(response)
    latest_history = record.history.latest()
    assert latest_history.history_user == officer
    assert latest_history.history_change_reason.startswith("Linked to ")
    record.refresh_from_db()
    assert record.version == 2
    # Linked findings are not offered again, and each can be unlinked from here.
    page = client.get(link_url(kind, record, older)).content.decode()
    assert f'value="{first.pk}"' not in page
    assert reverse(f"{RECORDS[kind][1]}_unlink_finding", args=[record.pk, first.pk]) in page


def test_choosing_no_finding_is_refused(client, officer, kind):
    finding = FindingFactory()
    record = RECORDS[kind][0]()
    client.force_login(officer)

    response = client.post(link_url(kind, record, finding.inspection), {"version": 1})

    assert error_summary(response) == [("id_findings", "Choose at least one finding that is not already linked.")]
    assert not record.findings.exists()


def test_unlinking_needs_a_reason_and_keeps_it_in_the_history(client, officer, kind):
    finding = FindingFactory()
    record = RECORDS[kind][0](findings=[finding])
    url = reverse(f"{RECORDS[kind][1]}_unlink_finding", args=[record.pk, finding.pk])
    client.force_login(officer)
    assert finding.text in text_of(client.get(url))

    refused = client.post(url, {"version": 1, "reason": " "})
    assert error_summary(refused) == [("id_reason", "Say why this no longer answers the finding.")]
    assert record.findings.exists()

    response = client.post(url, {"version": 1, "reason": "It answers the 2022 letter instead."}, follow=True)

    assert response.redirect_chain == [(record.get_absolute_url(), 302)]
    assert not record.findings.exists()
    assert (
        record.history.latest().history_change_reason == f"Unlinked from {finding}: It answers the 2022 letter instead."
    )


def test_an_action_keeps_its_only_finding_unless_it_says_why_it_answers_none(client, officer):
    finding = FindingFactory()
    action = ActionFactory(findings=[finding])
    client.force_login(officer)

    response = client.post(
        reverse("improvement:action_unlink_finding", args=[action.pk, finding.pk]), {"version": 1, "reason": "Wrong."}
    )

    assert error_summary(response)[0][1].startswith("This is the only finding the action answers.")
    assert action.findings.get() == finding


def test_a_finding_not_linked_cannot_be_unlinked(client, officer):
    priority, finding = PriorityFactory(), FindingFactory()
    client.force_login(officer)
    url = reverse("improvement:priority_unlink_finding", args=[priority.pk, finding.pk])
    assert client.get(url).status_code == 404


class TestFromTheFindingsPage:
    def test_the_finding_page_offers_officers_the_way_to_link(self, client, officer, councillor):
        finding = FindingFactory()
        url = reverse("finding_links", args=[finding.pk])
        client.force_login(officer)
        assert url in client.get(finding.get_absolute_url()).content.decode()
        client.force_login(councillor)
        assert url not in client.get(finding.get_absolute_url()).content.decode()

    def test_a_priority_action_measure_or_scrutiny_action_is_linked_from_the_finding(self, client, officer, kind):
        finding = FindingFactory()
        record = RECORDS[kind][0]()
        client.force_login(officer)
        page = client.get(reverse("finding_links", args=[finding.pk])).content.decode()
        option = f"{record._meta.model_name}:{record.pk}:1"
        assert f'value="{option}"' in page

        response = client.post(reverse("finding_links", args=[finding.pk]), {"item": option}, follow=True)

        assert response.redirect_chain == [(finding.get_absolute_url(), 302)]
        assert list(record.findings.all()) == [finding]
        assert f"{record} now answers {finding}." in text_of(response)
        assert record.history.latest().history_user == officer

    def test_nothing_chosen_is_refused(self, client, officer):
        finding = FindingFactory()
        client.force_login(officer)
        response = client.post(reverse("finding_links", args=[finding.pk]), {"item": ""})
        assert error_summary(response) == [("id_item", "Choose a priority, action, measure or scrutiny action")]

    def test_something_already_linked_is_refused(self, client, officer):
        finding = FindingFactory()
        priority = PriorityFactory(findings=[finding])
        client.force_login(officer)

        response = client.post(reverse("finding_links", args=[finding.pk]), {"item": f"priority:{priority.pk}:1"})

        assert error_summary(response) == [
            (
                "id_item",
                "Choose from the list: the one you chose already answers this finding, or no longer exists",
            )
        ]

    def test_what_answers_it_is_unlinked_from_the_finding_and_the_officer_comes_back(self, client, officer):
        finding = FindingFactory()
        measure = MeasureFactory(findings=[finding])
        here = reverse("finding_links", args=[finding.pk])
        client.force_login(officer)
        unlink = f"{reverse('improvement:measure_unlink_finding', args=[measure.pk, finding.pk])}?next={here}"
        assert unlink in client.get(here).content.decode()

        response = client.post(unlink, {"version": 1, "reason": "Measures something else."})

        assert response.status_code == 302 and response.url == here
        assert not measure.findings.exists()

    def test_an_unlink_never_sends_the_officer_to_another_site(self, client, officer):
        finding = FindingFactory()
        measure = MeasureFactory(findings=[finding])
        client.force_login(officer)
        url = reverse("improvement:measure_unlink_finding", args=[measure.pk, finding.pk])

        response = client.post(f"{url}?next=https://example.com/", {"version": 1, "reason": "Not this one."})

        assert response.url == measure.get_absolute_url()


def test_the_trace_links_each_answering_action_and_scrutiny_action_to_its_own_page(client, councillor):
    finding = FindingFactory()
    action = ActionFactory(findings=[finding], description="Recruit two team managers.")
    scrutiny_action = ScrutinyActionFactory(findings=[finding], text="Report back on caseloads.")
    client.force_login(councillor)

    page = client.get(finding.get_absolute_url()).content.decode()

    assert f'<a class="govuk-link" href="{action.get_absolute_url()}">{action}</a>: Recruit two team managers.' in page
    assert f'<a class="govuk-link" href="{scrutiny_action.get_absolute_url()}">Report back on caseloads.</a>' in page


class TestAFindingWithManyAnswers:
    """The trace lists the first few of each kind, counts them all and links to every one."""

    def answers_url(self, finding, kind="actions", page=None):
        url = reverse("inspections:finding_answers", args=[finding.pk, kind])
        return f"{url}?page={page}" if page else url

    def test_the_trace_lists_the_first_and_links_to_all(self, client, councillor):
        finding = FindingFactory()
        for n in range(TRACE_ITEMS + 2):
            ActionFactory(findings=[finding], description=f"Answer {n:03}.")
        client.force_login(councillor)

        page = client.get(finding.get_absolute_url()).content.decode()

        assert text_by_id(page, "answering-actions").count("Answer ") == TRACE_ITEMS
        assert f"The first {TRACE_ITEMS} of {TRACE_ITEMS + 2}:" in page
        assert f'href="{self.answers_url(finding)}"' in page

    def test_its_pages_list_every_answer_of_the_kind(self, client, councillor):
        finding = FindingFactory()
        actions = [ActionFactory(findings=[finding], description=f"Answer {n:03}.") for n in range(ANSWERS_PAGE + 1)]
        ActionFactory(findings=[finding], description="Cancelled one.", status=Action.Status.CANCELLED)
        client.force_login(councillor)

        first = client.get(self.answers_url(finding)).content.decode()
        second = client.get(self.answers_url(finding, page=2)).content.decode()

        assert f"Actions answering it: all {len(actions)}" in first
        for action in actions:
            assert (action.description in first) != (action.description in second)
        assert "Cancelled one." not in first + second

    @pytest.mark.parametrize("kind, page", [("gossip", None), ("actions", 2), ("actions", "x")])
    def test_a_kind_or_page_it_does_not_have_is_not_found(self, client, councillor, kind, page):
        finding = FindingFactory()
        ActionFactory(findings=[finding])
        client.force_login(councillor)

        assert client.get(self.answers_url(finding, kind, page)).status_code == 404

    def test_later_findings_that_return_to_it_are_listed_first_few_and_counted(self, client, councillor):
        finding = FindingFactory()
        later = [
            FindingFollowUpFactory(
                earlier=finding, finding__inspection__visit_start=dt.date(2020, 1, 1) + dt.timedelta(days=31 * n)
            ).finding
            for n in range(TRACE_ITEMS + 2)
        ]
        client.force_login(councillor)

        page = client.get(finding.get_absolute_url()).content.decode()

        # The earliest visits first, as many as the trace lists.
        assert [f'href="{f.get_absolute_url()}"' in page for f in later] == [True] * TRACE_ITEMS + [False] * 2
        assert f"The first {TRACE_ITEMS} of {TRACE_ITEMS + 2} later findings that return to it" in page
