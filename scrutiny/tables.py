"""The tables of the scrutiny list pages: scrutiny actions and recommendations (django-tables2).

Each cell reads what the list's QuerySet selected: no query per row.
"""

import django_tables2 as tables
from django.utils.html import format_html

from config.lists import OVERDUE, ListTable
from inspections.models import DatePrecision, format_with_precision
from scrutiny.models import Recommendation, ScrutinyAction


def meeting_link(meeting):
    return format_html('<a class="govuk-link" href="{}">{}</a>', meeting.get_absolute_url(), meeting)


class ScrutinyActionTable(ListTable):
    action = tables.Column(verbose_name="Scrutiny action", accessor="text", order_by=("number", "pk"))
    meeting = tables.Column(verbose_name="Raised at", accessor="meeting", order_by=("meeting__date", "number", "pk"))
    owner = tables.Column(verbose_name="Owner", accessor="pk", order_by=("owner__name", "owner_role", "pk"))
    due = tables.Column(verbose_name="Due", accessor="due_date", order_by=("due_date", "pk"))
    status = tables.Column(verbose_name="Status", accessor="status", order_by=("status", "pk"))

    class Meta(ListTable.Meta):
        model = ScrutinyAction
        fields = ()
        sequence = ("action", "meeting", "owner", "due", "status")

    def value_action(self, record):
        return f"{record.number}. {record.text}"

    def render_action(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}. {}</a>', record.get_absolute_url(), record.number, record.text
        )

    def render_meeting(self, record):
        # No page of its own for a scrutiny action yet: the row links to the meeting that raised it.
        return meeting_link(record.meeting)

    def value_meeting(self, record):
        return str(record.meeting)

    def render_owner(self, record):
        return record.owner_display or "Not named"

    def render_due(self, value):
        return format_with_precision(value, DatePrecision.DAY)

    def render_status(self, record):
        if record.is_overdue():
            return OVERDUE
        return record.get_status_display()

    def value_status(self, record):
        return "Overdue" if record.is_overdue() else record.get_status_display()


class RecommendationTable(ListTable):
    recommendation = tables.Column(verbose_name="Recommendation", accessor="text", order_by=("number", "pk"))
    committee = tables.Column(verbose_name="Made by", accessor="committee", order_by=("committee__name", "pk"))
    made_on = tables.Column(verbose_name="Made", accessor="made_on", order_by=("made_on", "number", "pk"))
    addressed_to = tables.Column(verbose_name="Addressed to", accessor="addressed_to", order_by=("addressed_to", "pk"))
    status = tables.Column(verbose_name="Status", accessor="status", order_by=("status", "pk"))
    response = tables.Column(verbose_name="Response", accessor="response", orderable=False)

    class Meta(ListTable.Meta):
        model = Recommendation
        fields = ()
        sequence = ("recommendation", "committee", "made_on", "addressed_to", "status", "response")

    def render_recommendation(self, record):
        return f"{record.number}. {record.text}"

    def render_made_on(self, record):
        # Recommendations have no page of their own: the date links to the meeting that made it.
        if record.meeting:
            return format_html(
                '<a class="govuk-link" href="{}">{}</a>', record.meeting.get_absolute_url(), record.made_on_display
            )
        return record.made_on_display

    def value_made_on(self, record):
        return record.made_on_display

    def render_status(self, record):
        return record.get_status_display()
