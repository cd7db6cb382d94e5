"""factory_boy factories for every domain model.

Defaults satisfy every constraint: unique fields come from sequences, dates are in order, and
a factory-built row can always be saved. Many-to-many fields take a list, e.g.
`ActionFactory(findings=[finding])`.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from improvement.models import (
    Action,
    BulkUpdate,
    ComparatorGroup,
    ComparatorValue,
    DueDateChange,
    ImprovementPlan,
    Measure,
    MeasureValue,
    PlanPhase,
    Priority,
    ProgressUpdate,
    Rating,
)
from inspections.models import (
    Authority,
    DatePrecision,
    Finding,
    FindingFollowUp,
    FixtureLoad,
    Grade,
    Inspection,
    InspectionInspector,
    Intervention,
    Judgement,
    Person,
    SourceDocument,
    Theme,
    VisitArea,
)
from scrutiny.briefing import briefing_pack_for, canonical_json, checksum_of
from scrutiny.models import (
    AgendaItem,
    Attendance,
    BriefingPackApproval,
    BriefingPackVersion,
    Commitment,
    Committee,
    DiscussionPoint,
    Meeting,
    Membership,
    Recommendation,
    ScrutinyAction,
    ScrutinyActionUpdate,
    ScrutinyFinding,
    Witness,
)

BASE_DATE = dt.date(2020, 1, 6)


def days_after_base(days):
    return BASE_DATE + dt.timedelta(days=days)


def many_to_many(name):
    """A post-generation hook that sets a many-to-many field from a list, when one is given."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, name).set(extracted)

    hook.__name__ = name
    return factory.PostGeneration(hook)


class ModelFactory(DjangoModelFactory):
    """Saves once: many-to-many hooks write the join rows, not the instance again (which would
    add a history record)."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True


class UserFactory(ModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")


# --- inspections -------------------------------------------------------------------------


class ThemeFactory(ModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"test-theme-{n}")
    name = factory.Sequence(lambda n: f"Test theme {n}")


class AuthorityFactory(ModelFactory):
    class Meta:
        model = Authority

    short_name = factory.Sequence(lambda n: f"Borsetshire {n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} County Council")
    region = "South West"


def home_authority():
    """The authority the dashboards follow (settings.HOME_AUTHORITY), made once."""
    return Authority.objects.filter(short_name=settings.HOME_AUTHORITY).first() or AuthorityFactory(
        short_name=settings.HOME_AUTHORITY, name=f"{settings.HOME_AUTHORITY} County Council"
    )


class PersonFactory(ModelFactory):
    class Meta:
        model = Person

    # Fixed width, so that no name is part of another (the lists filter by part of a name).
    name = factory.Sequence(lambda n: f"Alex Example {n:05}")
    job_title = "Head of Service"
    organisation = "Borsetshire County Council"


class SourceDocumentFactory(ModelFactory):
    class Meta:
        model = SourceDocument

    reference = factory.Sequence(lambda n: f"document-{n}")
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = SourceDocument.Kind.LETTER
    date = dt.date(2022, 3, 9)
    date_precision = DatePrecision.DAY


class InspectionFactory(ModelFactory):
    """Later-built inspections start later, so a follow-up's earlier finding is earlier."""

    class Meta:
        model = Inspection

    authority = factory.SubFactory(AuthorityFactory)
    kind = Inspection.Kind.MONITORING_VISIT
    title = factory.Sequence(lambda n: f"Monitoring visit {n}")
    visit_start = factory.Sequence(lambda n: days_after_base(7 * n))
    visit_end = factory.LazyAttribute(lambda o: o.visit_start + dt.timedelta(days=1))
    visit_date_precision = DatePrecision.DAY
    letter_date = factory.LazyAttribute(lambda o: o.visit_start + dt.timedelta(days=28))


class JudgementFactory(ModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    name = Judgement.OVERALL
    grade = Grade.INADEQUATE


class InspectionInspectorFactory(ModelFactory):
    class Meta:
        model = InspectionInspector

    inspection = factory.SubFactory(InspectionFactory)
    person = factory.SubFactory(PersonFactory)
    role = "Her Majesty's Inspector"
    signed_letter = False


class FindingFactory(ModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    kind = Finding.Kind.AREA_FOR_IMPROVEMENT
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"The quality of assessments is not consistently good ({n}).")
    themes = many_to_many("themes")

    class Params:
        required_action = factory.Trait(kind=Finding.Kind.REQUIRED_ACTION, timescale="within_three_months")


class FindingFollowUpFactory(ModelFactory):
    class Meta:
        model = FindingFollowUp

    # Declared first, so its inspection is built first and starts earlier.
    earlier = factory.SubFactory(FindingFactory)
    finding = factory.SubFactory(FindingFactory)
    progress = FindingFollowUp.Progress.IMPROVING
    evaluation = "Improvement is occurring."


class VisitAreaFactory(ModelFactory):
    class Meta:
        model = VisitArea

    inspection = factory.SubFactory(InspectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Professional curiosity and the quality of assessments"


class InterventionFactory(ModelFactory):
    class Meta:
        model = Intervention

    authority = factory.SubFactory(AuthorityFactory)
    kind = Intervention.Kind.IMPROVEMENT_NOTICE
    title = factory.Sequence(lambda n: f"Improvement notice {n}")
    date = dt.date(2013, 6, 1)
    date_precision = DatePrecision.MONTH


class FixtureLoadFactory(ModelFactory):
    class Meta:
        model = FixtureLoad

    via = FixtureLoad.Via.COMMAND
    status = FixtureLoad.Status.PREVIEWED
    filenames = factory.LazyFunction(lambda: ["letters.json"])
    sha256 = factory.LazyFunction(lambda: ["0" * 64])


# --- improvement -------------------------------------------------------------------------


class ImprovementPlanFactory(ModelFactory):
    class Meta:
        model = ImprovementPlan

    reference = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    authority = factory.SubFactory(AuthorityFactory)
    period_start = dt.date(2022, 4, 1)
    period_end = dt.date(2023, 3, 31)
    responds_to = many_to_many("responds_to")


class PlanPhaseFactory(ModelFactory):
    class Meta:
        model = PlanPhase

    plan = factory.SubFactory(ImprovementPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "April to July"
    start = dt.date(2022, 4, 1)
    end = dt.date(2022, 7, 31)


class PriorityFactory(ModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(ImprovementPlanFactory)
    reference = factory.Sequence(lambda n: f"priority-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n}")
    findings = many_to_many("findings")
    themes = many_to_many("themes")


class ActionFactory(ModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Audit a sample of assessments ({n}).")
    start_date = dt.date(2022, 4, 1)
    due_date = dt.date(2022, 9, 30)
    status = Action.Status.NOT_STARTED
    completed_on = None
    findings = many_to_many("findings")

    class Params:
        complete = factory.Trait(status=Action.Status.COMPLETE, completed_on=dt.date(2022, 9, 1))


class ProgressUpdateFactory(ModelFactory):
    """An update on an action by default; pass `priority=…, action=None` for a priority's."""

    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    priority = None
    date = dt.date(2022, 6, 30)
    rating = Rating.AMBER
    commentary = "On track, with some slippage."


class DueDateChangeFactory(ModelFactory):
    """A due date moved a month later, with a reason (as `Action.move_due_date()` records it)."""

    class Meta:
        model = DueDateChange

    action = factory.SubFactory(ActionFactory)
    previous_due_date = dt.date(2022, 6, 30)
    due_date = dt.date(2022, 7, 31)
    reason = "The recruitment campaign starts later than planned."


class MeasureFactory(ModelFactory):
    """A percentage where higher is better: target 80, amber within 5, stable within 1."""

    class Meta:
        model = Measure

    reference = factory.Sequence(lambda n: f"measure-{n}")
    title = factory.Sequence(lambda n: f"Assessments completed within 45 days ({n})")
    unit = Measure.Unit.PERCENTAGE
    polarity = Measure.Polarity.HIGHER_IS_BETTER
    target = Decimal("80")
    amber_tolerance = Decimal("5")
    stable_margin = Decimal("1")
    findings = many_to_many("findings")
    themes = many_to_many("themes")
    plans = many_to_many("plans")


class MeasureValueFactory(ModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    period_end = factory.Sequence(lambda n: days_after_base(n))
    value = Decimal("75")


class ComparatorGroupFactory(ModelFactory):
    class Meta:
        model = ComparatorGroup

    name = factory.Sequence(lambda n: f"Statistical neighbours {n}")
    kind = ComparatorGroup.Kind.STATISTICAL_NEIGHBOURS


class ComparatorValueFactory(ModelFactory):
    class Meta:
        model = ComparatorValue

    measure = factory.SubFactory(MeasureFactory)
    group = factory.SubFactory(ComparatorGroupFactory)
    period_end = factory.Sequence(lambda n: days_after_base(n))
    value = Decimal("82")


# --- scrutiny ----------------------------------------------------------------------------


class CommitteeFactory(ModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Children's Scrutiny Committee {n}")
    kind = Committee.Kind.SCRUTINY_COMMITTEE


class MembershipFactory(ModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    start = dt.date(2021, 5, 1)
    end = dt.date(2025, 5, 1)


class MeetingFactory(ModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = ""
    date = factory.Sequence(lambda n: days_after_base(n))
    start_time = dt.time(10, 0)
    end_time = dt.time(12, 30)


class AttendanceFactory(ModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    capacity = Attendance.Capacity.MEMBER


class WitnessFactory(ModelFactory):
    class Meta:
        model = Witness

    committee = factory.SubFactory(CommitteeFactory, kind=Committee.Kind.TASK_GROUP)
    number = factory.Sequence(lambda n: n + 1)
    name_as_written = factory.Sequence(lambda n: f"Witness {n}")


class AgendaItemFactory(ModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Children's services improvement plan"


class DiscussionPointFactory(ModelFactory):
    class Meta:
        model = DiscussionPoint

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Members asked about social worker caseloads."
    findings = many_to_many("findings")
    measures = many_to_many("measures")


class ScrutinyActionFactory(ModelFactory):
    class Meta:
        model = ScrutinyAction

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Report caseloads to the next meeting."
    owner_role = "Scrutiny Officer"
    due_date = factory.LazyAttribute(lambda o: o.meeting.date + dt.timedelta(days=30))
    status = ScrutinyAction.Status.OPEN
    findings = many_to_many("findings")
    priorities = many_to_many("priorities")
    measures = many_to_many("measures")


class ScrutinyActionUpdateFactory(ModelFactory):
    class Meta:
        model = ScrutinyActionUpdate

    action = factory.SubFactory(ScrutinyActionFactory)
    date = factory.LazyAttribute(lambda o: o.action.meeting.date + dt.timedelta(days=7))
    commentary = "Report requested from the service."


class RecommendationFactory(ModelFactory):
    class Meta:
        model = Recommendation

    committee = factory.SubFactory(CommitteeFactory, kind=Committee.Kind.TASK_GROUP)
    made_on = dt.date(2014, 3, 1)
    made_on_precision = DatePrecision.MONTH
    number = factory.Sequence(lambda n: n + 1)
    text = "That caseloads are reported quarterly."
    findings = many_to_many("findings")
    priorities = many_to_many("priorities")
    measures = many_to_many("measures")


class ScrutinyFindingFactory(ModelFactory):
    class Meta:
        model = ScrutinyFinding

    committee = factory.SubFactory(CommitteeFactory, kind=Committee.Kind.TASK_GROUP)
    source = factory.SubFactory(SourceDocumentFactory, kind=SourceDocument.Kind.TASK_GROUP_REPORT)
    number = factory.Sequence(lambda n: n + 1)
    section = "Social Care Caseloads"
    text = "The Task Group also noted that there were incomplete records on the case system."
    findings = many_to_many("findings")


class CommitmentFactory(ModelFactory):
    class Meta:
        model = Commitment

    committee = factory.SubFactory(CommitteeFactory, kind=Committee.Kind.TASK_GROUP)
    source = factory.SubFactory(SourceDocumentFactory, kind=SourceDocument.Kind.TASK_GROUP_REPORT)
    number = factory.Sequence(lambda n: n + 1)
    text = "A review has been commissioned with a report due at the end of the month."
    due_on = dt.date(2014, 3, 1)
    due_on_precision = DatePrecision.MONTH
    due_wording = "at the end of March 2014"


class BriefingPackVersionFactory(ModelFactory):
    """A published version of the meeting's pack as it stands (what `briefing_pack_publish` stores)."""

    class Meta:
        model = BriefingPackVersion

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    published_by = factory.SubFactory(UserFactory)
    content = factory.LazyAttribute(lambda o: canonical_json(briefing_pack_for(o.meeting)))
    checksum = factory.LazyAttribute(lambda o: checksum_of(o.content))


class BriefingPackApprovalFactory(ModelFactory):
    class Meta:
        model = BriefingPackApproval

    version = factory.SubFactory(BriefingPackVersionFactory)
    approved_by = factory.SubFactory(UserFactory)


class BulkUpdateFactory(ModelFactory):
    class Meta:
        model = BulkUpdate

    uploaded_by = factory.SubFactory(UserFactory)
    file_name = "plan.csv"
    sha256 = "0" * 64
    size = 0


def factory_for(model):
    """The factory of `model`, for tests that go over every model of a kind."""
    for value in list(globals().values()):
        if isinstance(value, type) and issubclass(value, ModelFactory) and value._meta.model is model:
            return value
    raise LookupError(f"No factory makes {model._meta.label}; add one to tests/factories.py.")
