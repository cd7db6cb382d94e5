"""The site's pages and forms, in one place, for the tests that walk them all (tests/test_site.py),
and helpers for page tests: query counts, a page's tables, confirming a fixture load.

A new page or form is added here:
- PUBLIC_PAGES: the pages anyone may open. Every other page outside the admin sends an anonymous
  visitor to sign in.
- URL_ARGUMENTS: how to fill the arguments of a URL that has some (a page of one object): a
  function that makes the object with factories and returns the URL's keyword arguments
  (URL_QUERIES: the same for a page that needs a query string).
- ACCESS: what each persona gets from the URL on GET and POST (tests/test_permissions.py); a URL
  without an entry fails there.
- FORMS: every form that writes, by the URL it posts to: who may send it, what it sends, and how
  to tell that it did what it is for. The walk fails on a form found on a page and missing here.
"""

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from improvement.models import BulkUpdate, MeasureValue, ProgressUpdate
from inspections.models import FixtureLoad
from tests import factories
from tests.conftest import PASSWORD
from tests.inspections import fixture_samples as samples

LETTER = Path(__file__).parent / "inspections" / "letters" / "devon_2022-03-09_from_pdf.txt"

PUBLIC_PAGES = {"login", "healthz", "accessibility", "public:pack_list", "public:pack"}


def _fixture_preview(user):
    from inspections.loading import FixtureFile, record_preview

    content = json.dumps(samples.valid_records()).encode()
    return record_preview(FixtureFile("testshire.json", content), user=user)


def _bulk_update(user, apply=False):
    """An officer's upload of the monthly bulk update, previewed (or applied), rating one
    priority Green."""
    from improvement.bulk import template_file
    from improvement.models import ImprovementPlan
    from improvement.services import bulk_update_apply, bulk_update_preview
    from tests.improvement.bulk_files import Template, officers_plan

    user = user or factories.UserFactory()
    plan = ImprovementPlan.objects.current() or officers_plan(user)
    name, content = template_file(plan, "plan", "csv", user=user, priority=None)
    template = Template(content, "csv", name)
    template.set(plan.priorities.first(), new_rating="Green", commentary="Back on plan.")
    upload = bulk_update_preview(file=SimpleUploadedFile(name, template.content), by=user)
    if apply:
        upload, _ = bulk_update_apply(upload=upload, by=user, only_if_all_valid=False)
    return upload


def _bulk_file(user):
    upload = _bulk_update(user)
    file = SimpleUploadedFile(upload.file_name, bytes(upload.content))
    upload.delete()
    return file


def _recorded(model, **fields):
    """`did`: whether a row of `model` with these values now exists."""
    return lambda client, response: model.objects.filter(**fields).exists()


def _plan(user):
    from tests.officer_pages import build_plan

    return build_plan()


def _published_pack(approved=False):
    version = factories.BriefingPackVersionFactory()
    if approved:
        factories.BriefingPackApprovalFactory(version=version)
    return {"pk": version.meeting_id, "number": version.number}


def _pack_part():
    """A part of a live pack that can say what changed: a meeting with one before it, a record
    that begins earlier still, and a rating between the two meetings."""
    earlier = factories.MeetingFactory(date=dt.date(2022, 3, 1))
    meeting = factories.MeetingFactory(committee=earlier.committee, date=dt.date(2022, 4, 1))
    factories.MeasureValueFactory(period_end=dt.date(2021, 6, 1))
    factories.ProgressUpdateFactory(priority=factories.PriorityFactory(), action=None, date=dt.date(2022, 3, 15))
    return {"pk": meeting.pk, "part": "ratings"}


def _unlink(record):
    """The URL arguments to unlink `record` (a plan record's name in `build_plan`) from its finding."""

    def arguments(user):
        plan = _plan(user)
        return {"pk": getattr(plan, record).pk, "finding_pk": plan.linked.pk}

    return arguments


URL_ARGUMENTS = {
    "finding_links": lambda user: {"pk": factories.FindingFactory().pk},
    "inspections:inspection_detail": lambda user: {"pk": factories.InspectionFactory().pk},
    "inspections:coverage": lambda user: {"pk": factories.InspectionFactory().pk},
    "inspections:finding_detail": lambda user: {"pk": factories.FindingFactory().pk},
    "inspections:finding_answers": lambda user: {
        "pk": factories.ActionFactory(findings=[factories.FindingFactory()]).findings.get().pk,
        "kind": "actions",
    },
    "improvement:plan_detail": lambda user: {"pk": factories.ImprovementPlanFactory().pk},
    "improvement:priority_detail": lambda user: {"pk": factories.PriorityFactory().pk},
    "improvement:priority_rate": lambda user: {"pk": factories.PriorityFactory().pk},
    "improvement:priority_link_findings": lambda user: {"pk": factories.PriorityFactory().pk},
    "improvement:priority_unlink_finding": _unlink("priority"),
    "improvement:action_detail": lambda user: {"pk": factories.ActionFactory().pk},
    "improvement:action_rate": lambda user: {"pk": factories.ActionFactory().pk},
    "improvement:action_progress": lambda user: {"pk": factories.ActionFactory().pk},
    "improvement:action_due_date": lambda user: {"pk": factories.ActionFactory().pk},
    "improvement:action_link_findings": lambda user: {"pk": factories.ActionFactory().pk},
    "improvement:action_unlink_finding": _unlink("action"),
    "improvement:measure_detail": lambda user: {"pk": factories.MeasureFactory().pk},
    "improvement:measure_record_value": lambda user: {"pk": factories.MeasureFactory().pk},
    "improvement:measure_set_target": lambda user: {"pk": factories.MeasureFactory().pk},
    "improvement:measure_link_findings": lambda user: {"pk": factories.MeasureFactory().pk},
    "improvement:measure_unlink_finding": _unlink("measure"),
    "improvement:value_correct": lambda user: {"pk": factories.MeasureValueFactory().pk},
    "scrutiny:meeting_detail": lambda user: {"pk": factories.MeetingFactory().pk},
    "scrutiny:briefing_pack": lambda user: {"pk": factories.MeetingFactory().pk},
    "scrutiny:publish_briefing_pack": lambda user: {"pk": factories.MeetingFactory().pk},
    "scrutiny:briefing_pack_part": lambda user: _pack_part(),
    "scrutiny:briefing_pack_version": lambda user: _published_pack(),
    "scrutiny:briefing_pack_version_content": lambda user: _published_pack(),
    "scrutiny:approve_briefing_pack": lambda user: _published_pack(),
    "scrutiny:action_detail": lambda user: {"pk": factories.ScrutinyActionFactory().pk},
    "scrutiny:action_progress": lambda user: {"pk": factories.ScrutinyActionFactory().pk},
    "scrutiny:scrutinyaction_link_findings": lambda user: {"pk": factories.ScrutinyActionFactory().pk},
    "scrutiny:scrutinyaction_unlink_finding": _unlink("scrutiny_action"),
    "public:pack": lambda user: {"pk": factories.BriefingPackApprovalFactory().version_id},
    "admin:inspections_fixtureload_confirm": lambda user: {"pk": _fixture_preview(user).pk},
    "improvement:bulk_update_preview": lambda user: {"pk": _bulk_update(user).pk},
    "improvement:bulk_update_result": lambda user: {"pk": _bulk_update(user, apply=True).pk},
}


def _template_query(user):
    """The bulk update template of the whole current plan, as its download link asks for it."""
    from improvement.models import ImprovementPlan
    from tests.improvement.bulk_files import officers_plan

    ImprovementPlan.objects.current() or officers_plan(user or factories.UserFactory())
    return "?scope=plan&file_format=csv"


# What a page needs in its query string to be the page people open (made with factories).
URL_QUERIES = {"improvement:bulk_update_template": _template_query}


# --- Who may do what: the permission matrix (tests/test_permissions.py) ---------------------

PERSONAS = ("anonymous", "councillor", "officer", "admin")
SIGN_IN = "sign-in"  # a redirect to the site's sign-in page, back to where the visitor was going
ADMIN_SIGN_IN = "admin sign-in"  # a redirect to the admin's sign-in page


def outcome(response, url):
    """The status, or the sign-in page a redirect goes to (SIGN_IN only if it comes back to
    `url` after signing in), as the matrix writes it."""
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        if location.path == reverse("login") and parse_qs(location.query) == {"next": [url]}:
            return SIGN_IN
        if location.path == reverse("admin:login"):
            return ADMIN_SIGN_IN
    return response.status_code


@dataclass(frozen=True)
class Access:
    """What each persona (anonymous, councillor, officer, admin) gets from a URL: a GET, and a
    POST of an empty form (with a valid CSRF token). `writes` names the personas whose empty POST
    does what the URL is for (signing out, publishing); for everyone else, the POST changes
    nothing."""

    get: tuple
    post: tuple
    writes: tuple = ()


# Read by anyone, signed in or not; nothing to post.
PUBLIC = Access(get=(200, 200, 200, 200), post=(405, 405, 405, 405))
# Read by every signed-in user; nothing to post.
READ = Access(get=(SIGN_IN, 200, 200, 200), post=(SIGN_IN, 405, 405, 405))
# The officers' forms: officers and administrators; an empty form is shown back with its errors.
OFFICER_FORM = Access(get=(SIGN_IN, 403, 200, 200), post=(SIGN_IN, 403, 200, 200))
# Officers' own pages that only read (their work, a bulk update's result).
OFFICER_READ = Access(get=(SIGN_IN, 403, 200, 200), post=(SIGN_IN, 403, 405, 405))
# Administrators' pages in the admin: others are sent to the admin's sign-in.
ADMIN_FORM = Access(get=(SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, 200), post=(SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, 200))

ACCESS = {
    "home": READ,
    "healthz": PUBLIC,
    "accessibility": PUBLIC,
    # Signed in already: the sign-in page sends you home.
    "login": Access(get=(200, 302, 302, 302), post=(200, 302, 302, 302)),
    "logout": Access(
        get=(SIGN_IN, 405, 405, 405), post=(SIGN_IN, 302, 302, 302), writes=("councillor", "officer", "admin")
    ),
    "account": Access(get=(SIGN_IN, 200, 200, 200), post=(SIGN_IN, 405, 405, 405)),
    "sign_out_everywhere": Access(
        get=(SIGN_IN, 405, 405, 405), post=(SIGN_IN, 302, 302, 302), writes=("councillor", "officer", "admin")
    ),
    "my_work": OFFICER_READ,
    # Administrators only, whatever the method; it only reads.
    "audit_trail": Access(get=(SIGN_IN, 403, 403, 200), post=(SIGN_IN, 403, 403, 405)),
    "finding_links": OFFICER_FORM,
    "inspections:inspection_list": READ,
    "inspections:inspection_detail": READ,
    "inspections:coverage": READ,
    "inspections:finding_detail": READ,
    "inspections:finding_answers": READ,
    "improvement:plan": READ,
    "improvement:plan_detail": READ,
    "improvement:priority_list": READ,
    "improvement:priority_detail": READ,
    "improvement:action_list": READ,
    "improvement:action_detail": READ,
    "improvement:measure_list": READ,
    "improvement:measure_detail": READ,
    "improvement:bulk_update": OFFICER_FORM,
    "improvement:bulk_update_template": OFFICER_READ,
    # An upload's preview: confirming it (the form's only button besides Cancel) applies it.
    "improvement:bulk_update_preview": Access(
        get=(SIGN_IN, 403, 200, 200), post=(SIGN_IN, 403, 302, 302), writes=("officer", "admin")
    ),
    "improvement:bulk_update_result": OFFICER_READ,
    "improvement:priority_rate": OFFICER_FORM,
    "improvement:action_rate": OFFICER_FORM,
    "improvement:action_progress": OFFICER_FORM,
    "improvement:action_due_date": OFFICER_FORM,
    "improvement:measure_record_value": OFFICER_FORM,
    "improvement:value_correct": OFFICER_FORM,
    "improvement:measure_set_target": OFFICER_FORM,
    "improvement:priority_link_findings": OFFICER_FORM,
    "improvement:priority_unlink_finding": OFFICER_FORM,
    "improvement:action_link_findings": OFFICER_FORM,
    "improvement:action_unlink_finding": OFFICER_FORM,
    "improvement:measure_link_findings": OFFICER_FORM,
    "improvement:measure_unlink_finding": OFFICER_FORM,
    "scrutiny:meeting_list": READ,
    "scrutiny:meeting_detail": READ,
    "scrutiny:briefing_pack": READ,
    "scrutiny:briefing_pack_part": READ,
    # Publishing takes nothing but the button: officers and administrators publish.
    "scrutiny:publish_briefing_pack": Access(
        get=(SIGN_IN, 405, 405, 405), post=(SIGN_IN, 403, 302, 302), writes=("officer", "admin")
    ),
    "scrutiny:briefing_pack_version": READ,
    "scrutiny:briefing_pack_version_content": READ,
    # Only administrators approve a published version for the public.
    "scrutiny:approve_briefing_pack": Access(
        get=(SIGN_IN, 405, 405, 405), post=(SIGN_IN, 403, 403, 302), writes=("admin",)
    ),
    "scrutiny:scrutiny_action_list": READ,
    "scrutiny:recommendation_list": READ,
    "scrutiny:action_detail": READ,
    "scrutiny:action_progress": OFFICER_FORM,
    "scrutiny:scrutinyaction_link_findings": OFFICER_FORM,
    "scrutiny:scrutinyaction_unlink_finding": OFFICER_FORM,
    "public:pack_list": PUBLIC,
    "public:pack": PUBLIC,
    "admin:inspections_inspection_import_letter": ADMIN_FORM,
    # With no letter read yet, the review page sends the administrator to import one.
    "admin:inspections_inspection_review_letter": Access(
        get=(SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, 302), post=(SIGN_IN, ADMIN_SIGN_IN, ADMIN_SIGN_IN, 200)
    ),
    "admin:inspections_fixtureload_confirm": ADMIN_FORM,
}


@dataclass(frozen=True)
class Form:
    """A form that writes. `send(client, user)` makes what it needs and returns the URL and the
    data to post; `did(client, response)` says whether the post did what the form is for.
    `persona` may send it (None: only an anonymous visitor); `permission` is the one it checks
    ("" when any signed-in user may send it)."""

    persona: str | None
    send: Callable
    did: Callable
    permission: str = ""


def _letter_review(client, user):
    from inspections.letter_import import extract_letter
    from inspections.letter_import.forms import LetterReviewForm

    text = LETTER.read_text(encoding="utf-8")
    form = LetterReviewForm.from_draft(extract_letter(text), text)
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value.isoformat() if isinstance(value, dt.date) else value
    return reverse("admin:inspections_inspection_review_letter"), data


def _confirm(client, user, **data):
    from inspections.loading import FixtureFile, load_fixtures

    load = _fixture_preview(user)
    fingerprint = load_fixtures([FixtureFile.of_preview(load)], dry_run=True).fingerprint
    url = reverse("admin:inspections_fixtureload_confirm", args=[load.pk])
    return url, {"fingerprint": fingerprint, **data}


def _templates(response):
    return [template.name for template in response.templates]


def _record_measure_value(client, user):
    """The admin's measure page, adding a value in its inline."""
    measure = factories.MeasureFactory()
    url = reverse("admin:improvement_measure_change", args=[measure.pk])
    data = admin_form_data(client, url)
    data.update(
        {
            "values-TOTAL_FORMS": "1",
            **{f"values-0-{k}": v for k, v in INLINE_ROWS["improvement.measurevalue"].items()},
        }
    )
    return url, data


# Rows the admin's inlines record, with who recorded them, by model: what one new row sends.
INLINE_ROWS = {
    "improvement.progressupdate": {"date": "2022-02-21", "rating": "green", "commentary": "On track."},
    "scrutiny.scrutinyactionupdate": {"date": "2022-03-01", "commentary": "Report requested from the service."},
    "improvement.measurevalue": {"period_end": "2022-03-31", "period_precision": "day", "value": "75"},
}

# What a parent needs for the admin to accept its form unchanged, where the factory's row does not.
PARENTS = {"improvement.action": {"no_finding_reason": "Raised by scrutiny."}}

FORMS = {
    "login": Form(
        None,
        send=lambda client, user: (reverse("login"), {"username": "officer", "password": PASSWORD}),
        did=lambda client, response: "_auth_user_id" in client.session,
    ),
    "logout": Form(
        "officer",
        send=lambda client, user: (reverse("logout"), {}),
        did=lambda client, response: "_auth_user_id" not in client.session,
    ),
    "sign_out_everywhere": Form(
        "officer",
        send=lambda client, user: (reverse("sign_out_everywhere"), {}),
        did=lambda client, response: "_auth_user_id" not in client.session,
    ),
    "improvement:bulk_update": Form(
        "officer",
        send=lambda client, user: (reverse("improvement:bulk_update"), {"file": _bulk_file(user)}),
        did=_recorded(BulkUpdate, status="previewed"),
        permission="improvement.add_bulkupdate",
    ),
    "improvement:bulk_update_preview": Form(
        "officer",
        send=lambda client, user: (reverse("improvement:bulk_update_preview", args=[_bulk_update(user).pk]), {}),
        did=_recorded(BulkUpdate, status="applied"),
        permission="improvement.add_bulkupdate",
    ),
    "improvement:bulk_update_preview (cancel)": Form(
        "officer",
        send=lambda client, user: (
            reverse("improvement:bulk_update_preview", args=[_bulk_update(user).pk]),
            {"cancel": "Cancel"},
        ),
        did=_recorded(BulkUpdate, status="cancelled"),
        permission="improvement.add_bulkupdate",
    ),
    "admin:inspections_inspection_import_letter": Form(
        "admin",
        send=lambda client, user: (
            reverse("admin:inspections_inspection_import_letter"),
            {"text": LETTER.read_text(encoding="utf-8")},
        ),
        did=lambda client, response: "admin/inspections/inspection/review_letter.html" in _templates(response),
        permission="inspections.load_fixtures",
    ),
    "admin:inspections_inspection_review_letter": Form(
        "admin",
        send=_letter_review,
        did=_recorded(FixtureLoad, status="previewed"),
        permission="inspections.load_fixtures",
    ),
    "admin:inspections_fixtureload_add": Form(
        "admin",
        send=lambda client, user: (
            reverse("admin:inspections_fixtureload_add"),
            {"file": SimpleUploadedFile("testshire.json", json.dumps(samples.valid_records()).encode())},
        ),
        did=_recorded(FixtureLoad, status="previewed"),
        permission="inspections.load_fixtures",
    ),
    "admin:inspections_fixtureload_confirm": Form(
        "admin",
        send=lambda client, user: _confirm(client, user, confirm="Load these records"),
        did=_recorded(FixtureLoad, status="loaded"),
        permission="inspections.load_fixtures",
    ),
    "admin:inspections_fixtureload_confirm (cancel)": Form(
        "admin",
        send=lambda client, user: _confirm(client, user, cancel="Cancel, load nothing"),
        did=_recorded(FixtureLoad, status="cancelled"),
        permission="inspections.load_fixtures",
    ),
    "admin:improvement_measure_change": Form(
        "admin",
        send=_record_measure_value,
        did=lambda client, response: MeasureValue.objects.exists(),
        permission="improvement.change_measure",
    ),
}


def _edit_page(page):
    """`send` for an officers' edit page of tests/officer_pages.py, on a new small plan."""

    def send(client, user):
        from tests.officer_pages import EDIT_PAGES, build_plan

        plan = build_plan()
        url, data = EDIT_PAGES[page]
        return url(plan), data(plan)

    return send


def _links(model, count):
    """Whether the plan's one record of `model` now answers `count` findings."""
    return lambda client, response: model.findings.through.objects.count() == count


def _officer_forms():
    from improvement.models import Action, DueDateChange, Measure, Priority
    from scrutiny.models import ScrutinyAction, ScrutinyActionUpdate

    # page: (URL name, what it does, the permission it checks); counts of links from build_plan.
    pages = {
        "priority rating": (
            "improvement:priority_rate",
            _recorded(ProgressUpdate, commentary="Back on track."),
            "improvement.add_progressupdate",
        ),
        "action rating": (
            "improvement:action_rate",
            _recorded(ProgressUpdate, commentary="Stalled."),
            "improvement.add_progressupdate",
        ),
        "action progress": (
            "improvement:action_progress",
            _recorded(ProgressUpdate, commentary="Audit finished."),
            "improvement.add_progressupdate",
        ),
        "action due date": (
            "improvement:action_due_date",
            _recorded(DueDateChange, reason="Waiting for the new case system."),
            "improvement.change_action",
        ),
        "measure value": (
            "improvement:measure_record_value",
            _recorded(MeasureValue, value=81),
            "improvement.add_measurevalue",
        ),
        "value correction": (
            "improvement:value_correct",
            _recorded(MeasureValue, value="76.5"),
            "improvement.change_measurevalue",
        ),
        "measure target": (
            "improvement:measure_set_target",
            _recorded(Measure, target=85),
            "improvement.change_measure",
        ),
        "scrutiny progress": (
            "scrutiny:action_progress",
            _recorded(ScrutinyActionUpdate, commentary="Reported."),
            "scrutiny.add_scrutinyactionupdate",
        ),
        "priority findings": ("improvement:priority_link_findings", _links(Priority, 2), "improvement.change_priority"),
        "action findings": ("improvement:action_link_findings", _links(Action, 3), "improvement.change_action"),
        "measure findings": ("improvement:measure_link_findings", _links(Measure, 2), "improvement.change_measure"),
        "scrutiny action findings": (
            "scrutiny:scrutinyaction_link_findings",
            _links(ScrutinyAction, 2),
            "scrutiny.change_scrutinyaction",
        ),
        "priority unlink": ("improvement:priority_unlink_finding", _links(Priority, 0), "improvement.change_priority"),
        "action unlink": ("improvement:action_unlink_finding", _links(Action, 1), "improvement.change_action"),
        "measure unlink": ("improvement:measure_unlink_finding", _links(Measure, 0), "improvement.change_measure"),
        "scrutiny action unlink": (
            "scrutiny:scrutinyaction_unlink_finding",
            _links(ScrutinyAction, 0),
            "scrutiny.change_scrutinyaction",
        ),
        # Any of the four models' change permissions will do; an officer holds them all.
        "finding links": ("finding_links", _links(Priority, 2), ""),
    }
    return {
        f"{name} ({page})": Form("officer", send=_edit_page(page), did=did, permission=permission)
        for page, (name, did, permission) in pages.items()
    }


def _publish(client, user):
    meeting = factories.MeetingFactory()
    return reverse("scrutiny:publish_briefing_pack", args=[meeting.pk]), {}


def _approve(client, user):
    return reverse("scrutiny:approve_briefing_pack", kwargs=_published_pack()), {}


def _pack_forms():
    from scrutiny.models import BriefingPackApproval, BriefingPackVersion

    return {
        "scrutiny:publish_briefing_pack": Form(
            "officer",
            send=_publish,
            did=lambda client, response: BriefingPackVersion.objects.exists(),
            permission="scrutiny.publish_briefingpack",
        ),
        "scrutiny:approve_briefing_pack": Form(
            "admin",
            send=_approve,
            did=lambda client, response: BriefingPackApproval.objects.exists(),
            permission="scrutiny.approve_briefingpack",
        ),
    }


FORMS |= _officer_forms() | _pack_forms()


def form_url_name(key):
    """The URL name a FORMS entry posts to (an entry may be one of several forms on a URL)."""
    return key.split(" (")[0]


# --- Walking the URL patterns ---------------------------------------------------------------

ADMIN_OWN = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "view_on_site",
    "app_list",
    "autocomplete",
}
ADMIN_MODEL_VIEWS = ("_changelist", "_add", "_change", "_delete", "_history", "_simple_history")


@dataclass(frozen=True)
class Pattern:
    name: str | None  # with its namespace, e.g. "inspections:inspection_detail"
    namespace: str
    route: str
    arguments: tuple  # (name, converter or None for a regular expression group)

    @property
    def in_admin(self):
        return self.namespace.startswith("admin:")

    @property
    def custom_admin_view(self):
        """An admin view of our own (not one Django's admin makes for every model)."""
        short = (self.name or "").removeprefix("admin:")
        return self.in_admin and bool(short) and short not in ADMIN_OWN and not short.endswith(ADMIN_MODEL_VIEWS)

    def example(self):
        """The URL with placeholder arguments: enough for what happens before a view runs."""
        if any(argument is None for argument, _ in self.arguments):  # unnamed groups
            return reverse(self.name, args=["1"] * len(self.arguments))
        values = {}
        for argument, converter in self.arguments:
            if converter is None:
                values[argument] = "inspections" if argument == "app_label" else "1"
            else:
                values[argument] = converter.to_url(1 if type(converter).__name__ == "IntConverter" else "1")
        return reverse(self.name, kwargs=values)

    def url(self, user=None):
        """The URL of a real page: arguments from URL_ARGUMENTS, made with factories."""
        query = URL_QUERIES[self.name](user) if self.name in URL_QUERIES else ""
        if not self.arguments:
            return reverse(self.name) + query
        assert self.name in URL_ARGUMENTS, (
            f"{self.name} ({self.route}) takes arguments: add to URL_ARGUMENTS in tests/pages.py how to fill them."
        )
        return reverse(self.name, kwargs=URL_ARGUMENTS[self.name](user)) + query


def url_patterns(patterns=None, namespace="", prefix="", arguments=()):
    """Every URL pattern of the site, the admin's included."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = _arguments(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner, prefix + str(entry.pattern), arguments + found)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Pattern(name, namespace, prefix + str(entry.pattern), arguments + found)


def _arguments(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters.items())
    named = tuple((name, None) for name in pattern.regex.groupindex)
    return named + ((None, None),) * (pattern.regex.groups - len(named))


def site_pages():
    """The patterns outside the admin: the site's own pages and forms."""
    return [pattern for pattern in url_patterns() if not pattern.in_admin]


class _PostForms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.actions = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.actions.append(attrs.get("action") or "")


def post_forms(page_url, html):
    """The URL names that the page's POST forms send to."""
    parser = _PostForms()
    parser.feed(html)
    return {resolve(urlsplit(action).path or page_url).view_name for action in parser.actions}


def admin_form_data(client, url):
    """What the browser sends back from an admin change form left as it is, inlines included."""
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.isoformat() if isinstance(value, dt.date) else value
    return data


# --- Query counts and fixture loads ---------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def keep_permissions(client):
    """A first request, to none of the pages counted, after which the reader's permissions are
    in the record cache (`config/auth.py`), where writes to the record leave them: every page
    counted after it reads them alike, however much is built between two counts."""
    assert client.get(reverse("account")).status_code == 200


def confirm_load(client, url, overwrite_empty=(), follow=True):
    """Confirm a previewed fixture load as the browser does: with the fingerprint of the
    preview shown, and the fields ticked to be emptied."""
    shown = client.get(url)
    assert shown.status_code == 200, f"{url} answered {shown.status_code}"
    data = {"confirm": "Load these records", "fingerprint": shown.context["preview"].fingerprint}
    return client.post(url, {**data, "overwrite_empty": list(overwrite_empty)}, follow=follow)


def table_rows(page):
    """Each table row of a page as the text of its cells, tags dropped and spaces collapsed."""
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    ]


def count_queries_of():
    """`with count_queries_of() as queries:` records the queries the block runs."""
    return CaptureQueriesContext(connection)


class _TextById(HTMLParser):
    """Collects the text inside the element with a given id, however deeply it nests."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    INLINE = {"a", "abbr", "b", "em", "i", "small", "span", "strong"}

    def __init__(self, element_id):
        super().__init__()
        self.element_id, self.depth, self.found, self.words = element_id, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in self.VOID
            self._separate(tag)
        elif dict(attrs).get("id") == self.element_id:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            self._separate(tag)

    def _separate(self, tag):
        # Block elements and line breaks separate words; inline ones (a link, a tag) do not.
        if tag not in self.INLINE:
            self.words.append(" ")

    def handle_data(self, data):
        if self.depth:
            self.words.append(data)


def text_by_id(html, element_id):
    """The words inside the element with this id, tags removed and spaces collapsed."""
    parser = _TextById(element_id)
    parser.feed(html)
    assert parser.found, f"No element with id {element_id!r}"
    return " ".join("".join(parser.words).split())
