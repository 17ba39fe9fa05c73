"""``{% status_badge obj %}``: a status with its colour from ``engagements.badges``."""

from django import template
from django.apps import apps
from django.db import models

from engagements.badges import badge

register = template.Library()


@register.inclusion_tag("includes/status_badge.html")
def status_badge(obj, model=None, field: str = "status", empty: str = ""):
    """``{% status_badge alternative %}``, or for a bare value
    ``{% status_badge m.minutes_status "meetings.Minutes" empty=_("No minutes") %}``."""
    if isinstance(obj, models.Model):
        model, value = type(obj), getattr(obj, field)
    else:
        value = obj
        if isinstance(model, str):
            model = apps.get_model(model)
    if not value:
        return {"label": empty, "colour": "light border", "show": bool(empty), "value": ""}
    label, colour = badge(model, value, field)
    return {"label": label, "colour": colour, "show": True, "value": value}
