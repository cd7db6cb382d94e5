"""Every form, sent generated and mutated input (hypothesis): a clear error on the page or a
success, never a server error, and an error never writes anything."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from config.forms import GovukDateField
from tests.conftest import PASSWORD
from tests.improvement.bulk_files import officers_plan
from tests.officer_pages import EDIT_PAGES, build_plan, snapshot

pytestmark = pytest.mark.django_db

# Function-scoped fixtures (the database, the plan) are shared by a test's examples on purpose:
# each example checks its own before and after.
PROPERTY_SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Seventeen pages: fewer examples each keeps the whole suite within a minute.
FORM_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=6)

# What people type, paste or tamper with: any text, numbers at and beyond every limit, dates
# that do not exist, choices that are not offered, and markup.
AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "-Infinity",
    "99999999999999999999999",
    "0.0000000001",
    "1,000",
    "31",
    "13",
    "29",
    "2",
    "2022",
    "10000",
    "green",
    "purple",
    "complete",
    "cancelled",
    "priority:1:1",
    "action:999999:1",
    "<script>alert(1)</script>",
    "x" * 5000,
]
values = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)


def mutated(data, changes):
    """`data` with each field in `changes` replaced, or left out where the change is None."""
    data = dict(data)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def plan():
    return build_plan()


@pytest.mark.parametrize("page", sorted(EDIT_PAGES))
def test_every_officers_form_answers_any_input_with_an_error_or_a_success(client, officer, plan, page):
    url, accepted = EDIT_PAGES[page]
    client.force_login(officer)
    fields = sorted(set(accepted(plan)) | {"version"})

    @FORM_SETTINGS
    # Regression: a day too large for a C long was a server error (OverflowError), not "must be a
    # real date".
    @example(changes={name: "99999999999999999999999" for name in fields if name[-2:] in ("_0", "_2")})
    @given(changes=st.dictionaries(st.sampled_from(fields), st.one_of(st.none(), values), max_size=len(fields)))
    def answers(changes):
        # A plan of its own for each example: what an earlier one saved changes nothing here.
        plan = build_plan()
        before = snapshot()
        response = client.post(url(plan), mutated(accepted(plan), changes))
        assert response.status_code in (200, 302), f"{page}: {response.status_code} for {changes!r}"
        if response.status_code == 200:
            # Refused: the page says why, and nothing was written.
            assert "govuk-error-summary" in response.content.decode(), f"{page}: no error shown for {changes!r}"
            assert snapshot() == before
        else:
            assert not response.url.startswith(reverse("login"))

    answers()


@PROPERTY_SETTINGS
@given(
    username=st.one_of(st.sampled_from(["officer", "OFFICER", " officer", ""]), st.text(max_size=40)),
    password=st.one_of(st.just(PASSWORD), st.text(max_size=80)),
)
@example(username="officer", password=PASSWORD)
@example(username="officer\x00", password=PASSWORD)
@example(username=" officer", password=PASSWORD)
def test_the_sign_in_form_answers_any_input_with_an_error_or_a_success(client, officer, username, password):
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})

    signed_in = "_auth_user_id" in client.session
    # Django's username field strips spaces and normalises the text (NFKC) before looking it up.
    if unicodedata.normalize("NFKC", username.strip()) == "officer" and password == PASSWORD:
        assert response.status_code == 302 and signed_in
    else:
        # Refused with the form's message, or (after many tries) paused with a plain page.
        assert response.status_code in (200, 429), response.status_code
        assert not signed_in


@PROPERTY_SETTINGS
@given(
    query=st.dictionaries(
        st.sampled_from(["scope", "file_format", "priority"]),
        st.one_of(st.sampled_from(["mine", "plan", "priority", "csv", "xlsx", "1"]), values),
        max_size=3,
    )
)
def test_the_bulk_update_template_form_answers_any_query(client, officer, query):
    officers_plan(officer)
    client.force_login(officer)
    response = client.get(reverse("improvement:bulk_update_template"), query)
    assert response.status_code == 200
    # The file, or the page again saying what to choose.
    assert response.has_header("Content-Disposition") or "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize("parts", [["99999999999999999999999", "1", "2022"], ["1", "1", "9" * 30]])
def test_a_date_with_a_number_too_large_for_a_date_is_not_a_real_date(parts):
    with pytest.raises(ValidationError, match="The date must be a real date"):
        GovukDateField().clean(parts)
