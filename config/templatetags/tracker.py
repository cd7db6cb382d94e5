"""Template filters that turn stored choice values into their choices, so that templates read
a rating's or grade's words and tag from the choice itself (`Rating.tag_class`, `Grade.label`)."""

from django import template

from improvement.models import Rating
from inspections.models import Grade

register = template.Library()


@register.filter
def as_rating(value):
    """'amber' (or Rating.AMBER) -> Rating.AMBER; empty -> None."""
    return Rating(value) if value else None


@register.filter
def as_grade(value):
    return Grade(value) if value else None
