"""The tables of the plan's list pages: priorities, actions and measures (django-tables2).

Each cell reads what the list's QuerySet annotated or prefetched: no query per row. Every
column the page shows is exported, and nothing else.
"""

import django_tables2 as tables
from django.utils.html import format_html

from config.lists import OVERDUE, ListTable, RatingColumn
from improvement.models import Action, Measure, Priority


def last_updated(record):
    if not record.last_updated_on:
        return "Not yet updated"
    return (
        f"{record.last_updated_display} by {record.last_updated_by}"
        if record.last_updated_by
        else (record.last_updated_display)
    )


def names(related):
    return ", ".join(str(item) for item in related.all())


class PriorityTable(ListTable):
    priority = tables.Column(verbose_name="Priority", accessor="pk", order_by=("number", "title", "pk"))
    lead = tables.Column(verbose_name="Lead", accessor="pk", order_by=("lead__name", "lead_role", "pk"))
    rating = RatingColumn(accessor="current_rating")
    rated_on = tables.Column(verbose_name="Rated", accessor="rated_on", order_by=("rated_on", "pk"), empty_values=())
    last_updated = tables.Column(
        verbose_name="Last updated", accessor="last_updated_on", order_by=("last_updated_on", "pk"), empty_values=()
    )
    themes = tables.Column(verbose_name="Themes", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        model = Priority
        fields = ()
        sequence = ("priority", "lead", "rating", "rated_on", "last_updated", "themes")

    def render_priority(self, record):
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), record)

    def value_priority(self, record):
        return str(record)

    def render_lead(self, record):
        return record.lead_display or "Not named"

    def render_rated_on(self, record):
        return record.rated_on_display or "—"

    def render_last_updated(self, record):
        return last_updated(record)

    def render_themes(self, record):
        return names(record.themes) or "—"


class ActionTable(ListTable):
    action = tables.Column(verbose_name="Action", accessor="pk", order_by=("priority__number", "number", "pk"))
    priority = tables.Column(
        verbose_name="Priority", accessor="priority", order_by=("priority__number", "number", "pk")
    )
    owner = tables.Column(verbose_name="Owner", accessor="pk", order_by=("owner__name", "owner_role", "pk"))
    due = tables.Column(verbose_name="Due", accessor="due_by", order_by=("due_by", "pk"), empty_values=())
    status = tables.Column(verbose_name="Status", accessor="status", order_by=("status", "pk"))
    rating = RatingColumn(accessor="current_rating")
    last_updated = tables.Column(
        verbose_name="Last updated", accessor="last_updated_on", order_by=("last_updated_on", "pk"), empty_values=()
    )

    class Meta(ListTable.Meta):
        model = Action
        fields = ()
        sequence = ("action", "priority", "owner", "due", "status", "rating", "last_updated")

    def render_action(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>: {}', record.get_absolute_url(), record, record.description
        )

    def value_action(self, record):
        return f"{record}: {record.description}"

    def render_priority(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', record.priority.get_absolute_url(), record.priority
        )

    def value_priority(self, record):
        return str(record.priority)

    def render_owner(self, record):
        return record.owner_display or "Not named"

    def render_due(self, record):
        return record.due_date_display or "No date"

    def render_status(self, record):
        if record.is_overdue():
            return OVERDUE
        return record.get_status_display()

    def value_status(self, record):
        return "Overdue" if record.is_overdue() else record.get_status_display()

    def render_last_updated(self, record):
        return last_updated(record)


class MeasureTable(ListTable):
    measure = tables.Column(verbose_name="Measure", accessor="title", order_by=("title", "pk"))
    latest_value = tables.Column(
        verbose_name="Latest value",
        accessor="latest_value",
        order_by=("latest_value", "pk"),
        empty_values=(),
        attrs={"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}},
    )
    period = tables.Column(
        verbose_name="For", accessor="latest_period_end", order_by=("latest_period_end", "pk"), empty_values=()
    )
    target = tables.Column(verbose_name="Target", accessor="target", order_by=("target", "pk"), empty_values=())
    rating = RatingColumn(accessor="latest_rating")
    direction = tables.Column(verbose_name="Direction", accessor="pk", orderable=False)
    owner = tables.Column(verbose_name="Owner", accessor="owner", order_by=("owner__name", "pk"))
    themes = tables.Column(verbose_name="Themes", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        model = Measure
        fields = ()
        sequence = ("measure", "latest_value", "period", "target", "rating", "direction", "owner", "themes")

    def render_measure(self, record):
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.get_absolute_url(), record.title)

    def value_measure(self, record):
        return record.title

    def render_latest_value(self, record):
        return record.latest_value_display if record.latest_value is not None else "—"

    def render_period(self, record):
        return record.latest_period_display or "—"

    def render_target(self, record):
        return record.format_value(record.target)

    def render_direction(self, record):
        return record.direction.label if record.direction else "—"

    def render_owner(self, record):
        return str(record.owner) if record.owner else "—"

    def render_themes(self, record):
        return names(record.themes) or "—"
