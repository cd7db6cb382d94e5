"""Every officer's page at once: who may use it, CSRF, edit conflicts, and query counts that
do not grow with the length of a record's history."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.officer_pages import (
    CHANGED_BY_SOMEONE_ELSE,
    EDIT_PAGES,
    VERSIONED_PAGES,
    build_plan,
    error_summary,
    hidden_version,
    snapshot,
    someone_else,
    text_of,
)
from tests.pages import count_queries, count_queries_of, keep_permissions

pytestmark = pytest.mark.django_db

PAGES = sorted(EDIT_PAGES)


@pytest.fixture
def plan():
    return build_plan()


@pytest.mark.parametrize("page", PAGES)
def test_an_officer_saves_through_every_page(client, officer, plan, page):
    url, data = EDIT_PAGES[page]
    client.force_login(officer)
    assert client.get(url(plan)).status_code == 200
    before = snapshot()

    response = client.post(url(plan), data(plan), follow=True)

    assert response.redirect_chain, error_summary(response)
    assert "govuk-notification-banner--success" in response.content.decode()
    assert snapshot() != before


@pytest.mark.parametrize("page", PAGES)
def test_a_councillor_can_neither_open_nor_post_any_edit_page(client, councillor, plan, page):
    url, data = EDIT_PAGES[page]
    client.force_login(councillor)
    before = snapshot()

    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan), data(plan)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_people_are_sent_to_sign_in_and_change_nothing(client, plan, page):
    url, data = EDIT_PAGES[page]
    before = snapshot()

    for response in (client.get(url(plan)), client.post(url(plan), data(plan))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("page", PAGES)
def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(officer, plan, page):
    url, data = EDIT_PAGES[page]
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    before = snapshot()

    assert client.post(url(plan), data(plan)).status_code == 403
    assert snapshot() == before
    # The page's form carries the token, once (the other form on the page is signing out).
    html = client.get(url(plan)).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count('name="csrfmiddlewaretoken"') == 1


@pytest.mark.parametrize("page", sorted(VERSIONED_PAGES))
def test_every_form_carries_the_version_and_refuses_a_stale_one_keeping_what_was_typed(client, officer, plan, page):
    url, data = EDIT_PAGES[page]
    record = VERSIONED_PAGES[page]
    client.force_login(officer)
    opened = client.get(url(plan))
    typed = data(plan)
    opened_version = getattr(plan, record).version
    if "version" in typed:
        assert hidden_version(opened) == opened_version

    CHANGED_BY_SOMEONE_ELSE[record](plan, someone_else())
    before = snapshot()
    response = client.post(url(plan), typed)

    assert response.status_code == 200
    assert snapshot() == before
    page_text = text_of(response)
    assert page_text.startswith("Error: ")
    assert "was changed by Sam Colleague after you opened this page" in page_text
    assert "What Sam Colleague changed" in page_text
    current = getattr(plan.refreshed(), record).version
    if "version" in typed:
        assert hidden_version(response) == current
    # Submitting again, now at the current version, applies the officer's change.
    retyped = {**typed, "version": current} if "version" in typed else typed
    if page == "finding links":
        retyped = {"item": f"priority:{plan.priority.pk}:{current}"}
    assert client.post(url(plan), retyped).status_code == 302


@pytest.mark.parametrize("page", PAGES)
def test_query_counts_do_not_grow_with_the_history(client, officer, page):
    url, _ = EDIT_PAGES[page]
    client.force_login(officer)
    short, long = build_plan(history=1), build_plan(history=12)
    keep_permissions(client)
    assert count_queries(client, url(long)) == count_queries(client, url(short))


@pytest.mark.parametrize("page", PAGES)
def test_a_save_runs_the_same_queries_however_long_the_history(client, officer, page):
    url, data = EDIT_PAGES[page]
    client.force_login(officer)
    keep_permissions(client)
    counts = []
    # Two entries at least: with one, a measure's unlink writes one history row fewer (its
    # links' history); from two on the count is flat (12 and 24 entries agree).
    for plan in (build_plan(history=2), build_plan(history=12)):
        with count_queries_of() as queries:
            response = client.post(url(plan), data(plan))
        assert response.status_code == 302, error_summary(response)
        counts.append(len(queries))
    assert counts[1] == counts[0]


READ_PAGES = {
    "priority": lambda plan: plan.priority.get_absolute_url(),
    "action": lambda plan: plan.action.get_absolute_url(),
    "measure": lambda plan: plan.measure.get_absolute_url(),
    "scrutiny action": lambda plan: plan.scrutiny_action.get_absolute_url(),
    "finding": lambda plan: plan.linked.get_absolute_url(),
}


@pytest.mark.parametrize("page", sorted(READ_PAGES))
def test_read_pages_have_flat_query_counts_however_long_the_history(client, officer, page):
    client.force_login(officer)
    short, long = build_plan(history=1), build_plan(history=12)
    keep_permissions(client)
    assert count_queries(client, READ_PAGES[page](long)) == count_queries(client, READ_PAGES[page](short))


@pytest.mark.parametrize("page", sorted(READ_PAGES))
def test_only_officers_and_administrators_see_edit_controls(client, officer, councillor, admin, plan, page):
    for user, sees in ((officer, True), (admin, True), (councillor, False)):
        client.force_login(user)
        html = client.get(READ_PAGES[page](plan)).content.decode()
        assert ('id="edit-controls"' in html) is sees, user.username


def test_an_error_about_the_whole_form_links_to_the_first_input(client, officer, plan):
    url, data = EDIT_PAGES["action due date"]
    client.force_login(officer)
    typed = data(plan)
    CHANGED_BY_SOMEONE_ELSE["action"](plan, someone_else())

    response = client.post(url(plan), typed)

    # The due date comes first: the link lands on its day box, not on the group around it.
    assert error_summary(response)[0][0] == "id_to_0"
