"""Rating a priority or an action on its page: red, amber or green with the meaning of each,
a commentary when the rating changes, the previous rating for context, and no lost updates."""

import datetime as dt

import pytest
from django.urls import reverse

from improvement.models import VIA_PAGE, Priority, ProgressUpdate, Rating
from tests.factories import ActionFactory, PersonFactory, PriorityFactory, ProgressUpdateFactory
from tests.officer_pages import error_summary, hidden_version, someone_else, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def priority():
    priority = PriorityFactory(number=None, title="Voice and influence of children, young people and families")
    ProgressUpdateFactory(
        priority=priority,
        action=None,
        rating=Rating.GREEN,
        date=dt.date(2022, 2, 21),
        commentary="On track for successful completion.",
        reported_to="Children's Standing Overview Group",
    )
    return priority


def rate_url(record):
    name = "improvement:priority_rate" if isinstance(record, Priority) else "improvement:action_rate"
    return reverse(name, args=[record.pk])


def test_the_page_shows_the_previous_rating_and_what_each_rating_means(client, officer, priority):
    client.force_login(officer)
    response = client.get(rate_url(priority))
    page = text_of(response)

    assert page.startswith("Update the rating – Voice and influence")
    assert "Current rating Green as at 21 February 2022, reported to Children's Standing Overview Group" in page
    assert "On track for successful completion." in page
    html = response.content.decode()
    assert 'class="govuk-back-link"' in html and f'href="{priority.get_absolute_url()}"' in html
    # Radios, the first with the field's own id (the error summary links to it), each with its meaning.
    assert 'id="id_rating" value="red" aria-describedby="id_rating-hint"' in html
    assert "Off track: delivery is at risk" in page and "Some slippage or risk" in page
    assert 'data-module="govuk-character-count" data-maxlength="2000"' in html
    assert hidden_version(response) == priority.version


def test_a_rating_is_saved_attributed_and_shown_in_the_timeline(client, officer, priority):
    PersonFactory(name="Olivia Officer", user=officer)
    client.force_login(officer)

    response = client.post(
        rate_url(priority),
        {"version": 1, "rating": "amber", "commentary": "Participation fell over the summer."},
        follow=True,
    )

    assert response.redirect_chain == [(priority.get_absolute_url(), 302)]
    update = ProgressUpdate.objects.filter(priority=priority).latest("recorded_at")
    assert (update.rating, update.commentary, update.recorded_by, update.recorded_via) == (
        "amber",
        "Participation fell over the summer.",
        officer,
        VIA_PAGE,
    )
    assert update.author.name == "Olivia Officer"
    page = text_of(response)
    assert "Success Rating recorded: Voice and influence of children, young people and families is Amber." in page
    today = dt.date.today()
    assert f"Last updated by Olivia Officer on {today.day} {today:%B %Y}" in page
    # The timeline, newest first: rating as a tag with its word, commentary, author, date.
    assert page.index("Participation fell over the summer.") < page.index("On track for successful completion.")
    assert f"Rated Amber {today.day} {today:%B %Y} by Olivia Officer Participation fell over the summer." in page
    assert '<strong class="app-rag app-rag--amber">Amber</strong>' in response.content.decode()
    priority.refresh_from_db()
    assert priority.version == 2


def test_a_changed_rating_without_commentary_is_refused_on_the_commentary(client, officer, priority):
    client.force_login(officer)

    response = client.post(rate_url(priority), {"version": 1, "rating": "red", "commentary": "  "})

    assert response.status_code == 200
    assert text_of(response).startswith("Error: Update the rating")
    assert error_summary(response) == [("id_commentary", "Explain why the rating has changed from Green to Red.")]
    assert 'id="id_commentary_1_error"' in response.content.decode()
    assert priority.updates.count() == 1


def test_the_same_rating_needs_no_commentary(client, officer, priority):
    client.force_login(officer)
    assert client.post(rate_url(priority), {"version": 1, "rating": "green", "commentary": ""}).status_code == 302
    assert priority.updates.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"rating": "", "commentary": "Why."}, "id_rating", "Choose red, amber or green"),
        ({"rating": "blue", "commentary": "Why."}, "id_rating", "Choose red, amber or green"),
        ({"rating": "red", "commentary": "x" * 2001}, "id_commentary", "Commentary must be 2,000 characters or fewer"),
        (
            {"version": "", "rating": "red", "commentary": "Why."},
            "id_rating",
            "This page is out of date. Reload it and enter your update again.",
        ),
    ],
)
def test_bad_input_is_refused_with_its_message_and_nothing_is_saved(client, officer, priority, data, field, message):
    client.force_login(officer)

    response = client.post(rate_url(priority), {"version": 1, **data})

    assert error_summary(response) == [(field, message)]
    assert priority.updates.count() == 1


def test_a_first_rating_needs_a_commentary(client, officer):
    action = ActionFactory()
    client.force_login(officer)
    page = text_of(client.get(rate_url(action)))
    assert "Not rated yet. A first rating needs a commentary." in page

    response = client.post(rate_url(action), {"version": 1, "rating": "amber"})

    assert error_summary(response) == [("id_commentary", "Explain the rating: this is its first.")]
    assert not action.updates.exists()


def test_an_action_is_rated_on_its_own_page(client, officer):
    action = ActionFactory()
    client.force_login(officer)

    response = client.post(rate_url(action), {"version": 1, "rating": "red", "commentary": "Stalled."}, follow=True)

    assert response.redirect_chain == [(action.get_absolute_url(), 302)]
    assert list(action.updates.values_list("rating", "recorded_by")) == [("red", officer.pk)]
    assert "Rating recorded: " in text_of(response)


def test_a_rating_saved_by_someone_else_meanwhile_is_shown_and_what_was_typed_is_kept(client, officer, priority):
    client.force_login(officer)
    opened_at = hidden_version(client.get(rate_url(priority)))
    colleague = someone_else()
    Priority.objects.get(pk=priority.pk).record_rating(by=colleague, rating="red", commentary="Staff left.")

    typed = {"version": opened_at, "rating": "amber", "commentary": "Recovering after the summer."}
    response = client.post(rate_url(priority), typed)

    page = text_of(response)
    assert page.startswith("Error: ")
    assert (
        "There is a problem Voice and influence of children, young people and families was changed by Sam "
        "Colleague after you opened this page. Your changes have not been saved" in page
    )
    today = dt.date.today()
    assert (
        f"What Sam Colleague changed Who Sam Colleague When {today.day} {today:%B %Y}" in page
        and "What Rated Red Red Their words Staff left." in page
    )
    html = response.content.decode()
    assert "\nRecovering after the summer.</textarea>" in html
    assert 'value="amber" checked' in html
    assert hidden_version(response) == 2
    assert list(priority.updates.values_list("rating", flat=True)) == ["red", "green"]

    # Resubmitting what they typed applies it on top of the other change.
    assert client.post(rate_url(priority), {**typed, "version": 2}).status_code == 302
    assert list(priority.updates.values_list("rating", "recorded_by")) == [
        ("amber", officer.pk),
        ("red", colleague.pk),
        ("green", None),
    ]
